import { ZCaseListQuery } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../http/context.ts';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { CappedLists, caseListQueries, LIST_COUNT_CAP } from './cases.repository.ts';

/**
 * A list known to hold more cases than the count cap is not counted again for a minute: its pages
 * read only as far as the page. The pages must be the same as when counted.
 */
let t: TestApp;
let police: Awaited<ReturnType<TestApp['as']>>;
let actor: Actor;
let firstId: string;

beforeAll(async () => {
  t = await createTestApp();
  police = await t.as('police.investigator');
  const first = await police.post('/api/cases', intake());
  expect(first.statusCode).toBe(201);
  firstId = first.json().id;
  // Copies of the registered case (same person), one hour apart: more than the cap in all.
  const cols = (
    await t.db.query<{ column_name: string }>(
      `select column_name from information_schema.columns
        where table_name = 'cases' and table_schema = current_schema() and column_name not in ('id', 'number', 'created_at', 'updated_at')`,
    )
  ).map((c) => c.column_name);
  await t.db.query(
    `insert into cases (id, number, created_at, updated_at, ${cols.join(', ')})
     select gen_random_uuid(), c.number || '-' || g, c.created_at - make_interval(hours => g), c.updated_at, ${cols.map((x) => `c.${x}`).join(', ')}
       from cases c, generate_series(1, $2::int) g where c.id = $1`,
    [first.json().id, LIST_COUNT_CAP + 20],
  );
  actor = await t.actor('police.investigator');
});
afterAll(async () => t.close());

describe('lists known to exceed the count cap', () => {
  it('serve the same pages, still "more than the cap", reading only as far as the page', async () => {
    for (const q of [
      { page: 1, pageSize: 25 },
      { page: 3, pageSize: 40 },
      { page: 40, pageSize: 25, order: 'asc' },
    ]) {
      const f = ZCaseListQuery.parse(q);
      const counted = caseListQueries(actor, t.deps.keys, f)!;
      const known = caseListQueries(actor, t.deps.keys, f, LIST_COUNT_CAP, true)!;
      const a = await t.db.query<{ id: string; total: number }>(counted.sql, counted.params);
      const b = await t.db.query<{ id: string; total: number }>(known.sql, known.params);
      expect(a[0]!.total).toBeGreaterThan(LIST_COUNT_CAP);
      expect(b.map((r) => r.id)).toEqual(a.map((r) => r.id));
      expect(b.length).toBe(f.pageSize);
      // The branches read the page's rows in hundreds, not cap + 1.
      const limit = Math.ceil((f.page * f.pageSize) / 100) * 100;
      expect(known.sql).toContain(`limit ${limit})`);
      expect(counted.sql).toContain(`limit ${LIST_COUNT_CAP + 1})`);
      expect(b[0]!.total).toBeLessThanOrEqual(limit);
    }
  });

  it('the API says "more than the cap" on every page, first counted, then remembered', async () => {
    const ids: string[] = [];
    for (const page of [1, 2, 1]) {
      const res = await police.post('/api/cases/search', { page, pageSize: 10 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ total: LIST_COUNT_CAP, totalCapped: true, page });
      ids.push(...(res.json().items as { id: string }[]).map((i) => i.id));
    }
    // page 1 counted, page 2 and page 1 again from the memo: the same first page, no overlap with page 2
    expect(ids.slice(20)).toEqual(ids.slice(0, 10));
    expect(new Set(ids.slice(0, 20)).size).toBe(20);
    // a filter is another list: counted on its own (no case matches this one)
    const none = await police.post('/api/cases/search', { page: 1, pageSize: 10, region: 'mangystau' });
    expect(none.json()).toMatchObject({ total: 0, totalCapped: false, items: [] });
  });

  it('count exactly again a minute after the list fell below the cap', async () => {
    const list = async () => (await police.post('/api/cases/search', { page: 1, pageSize: 10 })).json();
    expect(await list()).toMatchObject({ totalCapped: true });
    await t.db.query('delete from cases where id in (select id from cases where id <> $1 limit 30)', [firstId]);
    // remembered: still "more than the cap" (the page itself is read afresh)
    expect(await list()).toMatchObject({ total: LIST_COUNT_CAP, totalCapped: true });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 61_000);
      expect(await list()).toMatchObject({ total: LIST_COUNT_CAP + 21 - 30, totalCapped: false });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('CappedLists', () => {
  const f = (q: object) => ZCaseListQuery.parse(q);
  const a = { agencyId: 'a', userId: 'u', roles: ['case_worker'] } as unknown as Actor;

  it('keys a list by visibility and filters, not by page or order, and never a search', () => {
    const key = CappedLists.keyOf(a, f({ page: 1 }));
    expect(CappedLists.keyOf(a, f({ page: 7, pageSize: 50, sort: 'number', order: 'asc' }))).toBe(key);
    expect(CappedLists.keyOf(a, f({ stage: ['screened'] }))).not.toBe(key);
    expect(CappedLists.keyOf({ ...a, userId: 'v' }, f({}))).not.toBe(key);
    expect(CappedLists.keyOf({ ...a, agencyId: 'b' }, f({}))).not.toBe(key);
    expect(CappedLists.keyOf(a, f({ q: 'Ivanova Anna' }))).toBeNull();
  });

  it('forgets a list after its time and keeps a bounded number of lists', () => {
    const m = new CappedLists(1000, 2);
    m.add('x', 0);
    expect(m.has('x', 999)).toBe(true);
    expect(m.has('x', 1000)).toBe(false);
    expect(m.has(null, 0)).toBe(false);
    m.add('a', 0);
    m.add('b', 0);
    m.add('c', 0);
    expect([m.has('a', 1), m.has('b', 1), m.has('c', 1)]).toEqual([false, true, true]);
  });
});
