import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { listMigrations, migrate, splitSql } from '../../db/migrate.ts';
import { openTestDb } from '../../test/harness.ts';
import { caseNumberSequence, ensureCaseNumberSequence } from './case-numbers.ts';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  // the schema as it was before case-number sequences (migration 0017), with numbers already given
  await db.exec(
    'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
  );
  for (const m of listMigrations().filter((x) => x.name < '0017')) {
    await db.tx(async (q) => {
      for (const statement of splitSql(m.sql)) await q.query(statement);
      await q.query('insert into schema_migrations (name) values ($1)', [m.name]);
    });
  }
  await db.query("insert into case_counters (country, year, last) values ('KZ', 2025, 41), ('KZ', 2024, 0)");
  await migrate(db);
});
afterAll(async () => drop());

describe('case numbers', () => {
  it('go on from the counters of earlier versions', async () => {
    const next = async (year: number) =>
      Number(
        (
          await db.query<{ n: string }>('select nextval($1::text::regclass)::text as n', [
            caseNumberSequence('KZ', year),
          ])
        )[0]!.n,
      );
    expect(await next(2025)).toBe(42);
    expect(await next(2024)).toBe(1);
    expect(await db.query("select to_regclass('case_counters') as t")).toEqual([{ t: null }]);
  });

  it('start a new year at 1, and two servers may create the sequence at once', async () => {
    const [a, b] = await Promise.all([
      ensureCaseNumberSequence(db, 'KZ', 2031),
      ensureCaseNumberSequence(db, 'KZ', 2031),
    ]);
    expect(a).toBe(b);
    const [row] = await db.query<{ n: string }>('select nextval($1::text::regclass)::text as n', [a]);
    expect(row!.n).toBe('1');
  });

  it('refuse a name that is not a country and a year (the name is written into SQL)', () => {
    expect(() => caseNumberSequence("KZ'; drop table cases; --", 2026)).toThrow();
    expect(() => caseNumberSequence('KZ', 2026.5)).toThrow();
    expect(caseNumberSequence('kz', 2026)).toBe('case_number_kz_2026');
  });
});
