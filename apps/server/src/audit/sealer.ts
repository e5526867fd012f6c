import { sha256Hex } from '../crypto/keys.ts';
import type { Db, Queryable } from '../db/client.ts';
import { eventHash, type StoredAuditFields } from './audit.service.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a block: its predecessor, its transaction range, and its events' ids and hashes in id order. */
export function blockHash(
  prevHash: string,
  xidFrom: string,
  xidTo: string,
  events: { id: string; hash: string }[],
): string {
  return sha256Hex(`${prevHash}|${xidFrom}|${xidTo}|${events.map((e) => `${e.id}:${e.hash}`).join(',')}`);
}

/**
 * Seals every audit event written by a transaction that has finished into a new block of the hash
 * chain. Request handling never waits for it: events are written freely and linked afterwards.
 * Returns the number of events sealed.
 */
export async function sealAudit(db: Db): Promise<number> {
  return db.tx(async (q) => {
    await q.query('select pg_advisory_xact_lock(4242002)');
    const [horizon] = await q.query<{ xmin: string }>('select pg_snapshot_xmin(pg_current_snapshot())::text as xmin');
    const [last] = await q.query<{ xid_to: string; hash: string }>(
      'select xid_to::text, hash from audit_blocks order by id desc limit 1',
    );
    const from = last?.xid_to ?? '0';
    const to = horizon!.xmin;
    if (BigInt(to) <= BigInt(from)) return 0;
    const events = await eventsInRange(q, from, to);
    if (!events.length) return 0;
    const prev = last?.hash ?? GENESIS_HASH;
    await q.query(
      `insert into audit_blocks (xid_from, xid_to, event_count, first_event_id, last_event_id, prev_hash, hash)
       values ($1::text::xid8, $2::text::xid8, $3, $4, $5, $6, $7)`,
      [from, to, events.length, events[0]!.id, events[events.length - 1]!.id, prev, blockHash(prev, from, to, events)],
    );
    return events.length;
  });
}

async function eventsInRange(q: Queryable, from: string, to: string) {
  return q.query<{ id: string; hash: string }>(
    // Qualified: a bare `order by id` would sort the text output column ('10' before '9').
    'select e.id::text as id, e.hash from audit_events e where e.tx >= $1::text::xid8 and e.tx < $2::text::xid8 order by e.id',
    [from, to],
  );
}

export interface VerifyResult {
  ok: boolean;
  blocks: number;
  events: number;
  unsealed: number;
  /** The first broken link, named: which block or event and why. */
  broken?: { blockId?: string; eventId?: string; reason: string };
}

/** Verifies the whole chain: every event's content hash, every block's hash and link, and event counts. */
export async function verifyAudit(q: Queryable): Promise<VerifyResult> {
  const blocks = await q.query<{
    id: string;
    xid_from: string;
    xid_to: string;
    event_count: number;
    prev_hash: string;
    hash: string;
  }>(
    'select b.id::text as id, b.xid_from::text as xid_from, b.xid_to::text as xid_to, b.event_count, b.prev_hash, b.hash from audit_blocks b order by b.id',
  );
  let prev = GENESIS_HASH;
  let expectedFrom = '0';
  let events = 0;
  for (const b of blocks) {
    if (b.prev_hash !== prev)
      return {
        ok: false,
        blocks: blocks.length,
        events,
        unsealed: 0,
        broken: { blockId: b.id, reason: 'block does not link to its predecessor' },
      };
    if (b.xid_from !== expectedFrom)
      return {
        ok: false,
        blocks: blocks.length,
        events,
        unsealed: 0,
        broken: { blockId: b.id, reason: 'gap between blocks' },
      };
    const rows = await q.query<StoredAuditFields & { id: string; hash: string }>(
      `select id::text, at, actor_id::text, actor_username, agency_id::text, action, target_type, target_id, ip, outcome, details, hash
       from audit_events where tx >= $1::text::xid8 and tx < $2::text::xid8 order by audit_events.id`,
      [b.xid_from, b.xid_to],
    );
    for (const r of rows) {
      if (eventHash(r) !== r.hash)
        return {
          ok: false,
          blocks: blocks.length,
          events,
          unsealed: 0,
          broken: { blockId: b.id, eventId: r.id, reason: 'event content does not match its hash' },
        };
    }
    if (rows.length !== b.event_count)
      return {
        ok: false,
        blocks: blocks.length,
        events,
        unsealed: 0,
        broken: { blockId: b.id, reason: `block holds ${rows.length} events, sealed with ${b.event_count}` },
      };
    if (blockHash(b.prev_hash, b.xid_from, b.xid_to, rows) !== b.hash)
      return {
        ok: false,
        blocks: blocks.length,
        events,
        unsealed: 0,
        broken: { blockId: b.id, reason: 'block hash does not match its events' },
      };
    events += rows.length;
    prev = b.hash;
    expectedFrom = b.xid_to;
  }
  const [tail] = await q.query<{ n: number }>(
    'select count(*)::int as n from audit_events where tx >= $1::text::xid8',
    [expectedFrom],
  );
  const unsealed = tail?.n ?? 0;
  // Unsealed events cannot be chain-checked yet, but their own hashes can.
  const loose = await q.query<StoredAuditFields & { id: string; hash: string }>(
    `select id::text, at, actor_id::text, actor_username, agency_id::text, action, target_type, target_id, ip, outcome, details, hash
     from audit_events where tx >= $1::text::xid8 order by audit_events.id`,
    [expectedFrom],
  );
  for (const r of loose) {
    if (eventHash(r) !== r.hash)
      return {
        ok: false,
        blocks: blocks.length,
        events,
        unsealed,
        broken: { eventId: r.id, reason: 'event content does not match its hash' },
      };
  }
  return { ok: true, blocks: blocks.length, events, unsealed };
}
