import { randomUUID } from 'node:crypto';
import type { TPersonInput } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import type { Db } from '../../db/client.ts';
import { openTestDb } from '../../test/harness.ts';
import { insertPerson } from '../cases/persons.repository.ts';
import { scanAllPairs } from './duplicates.batch.ts';
import { buildBlocks, packKey, personBitsFor } from './duplicates.scan.ts';

const keys = { master: Buffer.alloc(32, 1), index: Buffer.alloc(32, 2) };
let db: Db;
let drop: () => Promise<void>;
const ids: Record<string, string> = {};

const person = (family: string, given: string, date: string, over: Partial<TPersonInput> = {}): TPersonInput => ({
  names: [{ family, given, patronymic: null, script: 'other', kind: 'primary' }],
  sex: 'Feminine',
  birthDate: { kind: 'exact', date },
  ageUncertainPossiblyMinor: false,
  citizenships: ['KZ'],
  stateless: false,
  languages: [],
  interpreterNeeded: false,
  documents: [],
  contacts: [],
  vulnerabilities: [],
  ...over,
});

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await migrate(db);
  const persons: Record<string, TPersonInput> = {
    a: person('Ахметова', 'Айгерім', '1998-04-17', {
      documents: [{ type: 'passport', number: 'N8812345', issuingCountry: 'KZ' }],
    }),
    // another script: meets a on the name pair key
    b: person('Akhmetova', 'Aigerim', '1998-04-17'),
    // a typo that changes the surname's phonetic key: meets a and b only on name token + exact date
    c: person('Ахмедова', 'Айгерім', '1998-04-17'),
    // a namesake born on another day: blocked with a, never flagged
    d: person('Ахметова', 'Айгерім', '1985-02-03'),
    e: person('Иванов', 'Сергей', '1990-01-01', { sex: 'Masculine' }),
  };
  await db.tx(async (q) => {
    for (const [k, p] of Object.entries(persons)) {
      ids[k] = randomUUID();
      await insertPerson(q, keys, ids[k]!, p, '2026-11-20');
    }
  });
});
afterAll(async () => drop());

const flaggedPairs = async () => {
  const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  const rows = await db.query<{ person_a: string; person_b: string }>(
    "select person_a, person_b from duplicate_pairs where status = 'open'",
  );
  return rows.map((r) => [names[r.person_a], names[r.person_b]].sort().join('')).sort();
};

describe('the full batch', () => {
  it('finds duplicates across scripts and typos through in-memory keys, and skips namesakes', async () => {
    const r = await db.tx((q) => scanAllPairs({ keys }, q, { workers: 0 }));
    expect(await flaggedPairs()).toEqual(['ab', 'ac', 'bc']);
    expect(r).toMatchObject({ persons: 5, flagged: 3, written: 3, removed: 0, skippedBlocks: 0, workers: 0 });
    // a–b, a–d, b–d share the name pair key; a–c, b–c (and a–b) a name token + date key
    expect(r.candidatePairs).toBe(5);
    // the namesake d: the compact bound already rules it out (different date), no exact score
    expect(r.scoredPairs).toBe(3);
  });

  it('leaves unchanged pairs alone on the next run, and keeps decided ones', async () => {
    const [ab] = await db.query<{ id: string; updated_at: string }>(
      'select id, updated_at from duplicate_pairs where person_a = least($1::uuid, $2::uuid) and person_b = greatest($1::uuid, $2::uuid)',
      [ids.a, ids.b],
    );
    await db.query("update duplicate_pairs set status = 'dismissed' where id = $1", [ab!.id]);
    const r = await db.tx((q) => scanAllPairs({ keys }, q, { workers: 0 }));
    expect(r).toMatchObject({ flagged: 3, written: 0, removed: 0 });
    const [after] = await db.query<{ status: string; updated_at: string }>(
      'select status, updated_at from duplicate_pairs where id = $1',
      [ab!.id],
    );
    expect(after).toEqual({ status: 'dismissed', updated_at: ab!.updated_at });
    await db.query("update duplicate_pairs set status = 'open' where id = $1", [ab!.id]);
  });

  it('gives the same pairs in worker threads', async () => {
    await db.query('delete from duplicate_pairs');
    const r = await db.tx((q) => scanAllPairs({ keys }, q, { workers: 2, pageSize: 2 }));
    expect(r.workers).toBe(2);
    expect(await flaggedPairs()).toEqual(['ab', 'ac', 'bc']);
    expect(r.candidatePairs).toBe(5);
  });

  it('skips keys shared by more persons than the cap, and drops open pairs that no longer score', async () => {
    const r = await db.tx((q) => scanAllPairs({ keys }, q, { workers: 0, maxBlockSize: 2 }));
    expect(r).toMatchObject({ written: 0, removed: 2 });
    // the blocks of 3 (name pair of a, b, d; given name + date of a, b, c) are skipped; a and b
    // still meet on surname + date; the open pairs a–c and b–c leave the queue
    expect(r.skippedBlocks).toBe(2);
    expect(r.candidatePairs).toBe(1);
    expect(await flaggedPairs()).toEqual(['ab']);
  });
});

describe('blocks', () => {
  it('group persons by packed key, members in order, and count what the cap leaves out', () => {
    const bits = personBitsFor(10);
    const packed = Float64Array.from([
      packKey('k1', 3, bits),
      packKey('k1', 1, bits),
      packKey('k2', 1, bits),
      packKey('k2', 2, bits),
      packKey('k2', 4, bits),
      packKey('k3', 5, bits),
    ]);
    const all = buildBlocks([packed], 6, bits, 10);
    const blocks = Array.from({ length: all.blockStart.length - 1 }, (_, b) =>
      Array.from(all.members.subarray(all.blockStart[b]!, all.blockStart[b + 1]!)),
    ).sort();
    expect(blocks).toEqual([
      [1, 2, 4],
      [1, 3],
    ]);
    expect(all.largestBlock).toBe(3);
    expect(Array.from(all.personStart)).toEqual([0, 0, 2, 3, 4, 5, 5]);
    const capped = buildBlocks([packed], 6, bits, 2);
    expect(capped.skippedBlocks).toBe(1);
    expect(capped.members.length).toBe(2);
  });
});
