import type { Queryable } from '../db/client.ts';

/** Tables that legitimately change on refused requests: the audit trail (appended) and sessions (touched). */
export const VOLATILE_TABLES = new Set(['audit_events', 'audit_blocks', 'sessions']);

/** The tables of the current schema (PGlite: public; PostgreSQL tests: the file's schema). */
export async function businessTables(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    "select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1",
  );
  return rows.map((r) => r.name).filter((n) => !VOLATILE_TABLES.has(n));
}

/**
 * One md5 per table over every row's text form, in one query: equal checksums mean equal
 * contents. Meant for test-sized databases.
 */
export async function tableChecksums(q: Queryable, tables: string[]): Promise<Record<string, string>> {
  const cols = tables
    .map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from "${t}" x) as "${t}"`)
    .join(', ');
  const [row] = await q.query<Record<string, string>>(`select ${cols}`);
  return row!;
}

/** The audit trail's high-water mark and the hash of its oldest part, to prove it was only appended to. */
export async function auditMark(q: Queryable): Promise<{ maxId: string; prefixHash: string }> {
  const [m] = await q.query<{ max: string | null }>('select max(id)::text as max from audit_events');
  const maxId = m?.max ?? '0';
  return { maxId, prefixHash: await auditPrefixHash(q, maxId) };
}

/** The hash of the audit events up to `maxId`: unchanged when the trail was only appended to. */
export async function auditPrefixHash(q: Queryable, maxId: string): Promise<string> {
  const [h] = await q.query<{ h: string }>(
    "select md5(coalesce(string_agg(id::text || ':' || hash, ',' order by id), '')) as h from audit_events where id <= $1::bigint",
    [maxId],
  );
  return h!.h;
}
