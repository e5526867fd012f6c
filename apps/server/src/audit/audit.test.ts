import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { openTestDb } from '../test/harness.ts';
import { appendAudit, eventHash, type StoredAuditFields } from './audit.service.ts';
import { sealAudit, verifyAudit } from './sealer.ts';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  await migrate(db);
});
afterAll(async () => drop());

const actor = {
  userId: '11111111-1111-4111-8111-111111111111',
  username: 'someone',
  agencyId: null as unknown as string,
};

async function addEvents(n: number) {
  for (let i = 0; i < n; i++) {
    await db.tx((q) =>
      appendAudit(q, { actor, action: 'user.update', targetType: 'user', targetId: `u${i}`, ip: '10.0.0.1' }),
    );
  }
}

/** Runs SQL with the append-only triggers bypassed, as only someone with database superuser rights could. */
async function bypassTriggers(fn: (q: Queryable) => Promise<unknown>) {
  await db.tx(async (q) => {
    if (db.kind === 'pg') await q.query('set local session_replication_role = replica');
    else {
      await q.query('alter table audit_events disable trigger user');
      await q.query('alter table audit_blocks disable trigger user');
    }
    await fn(q);
    if (db.kind !== 'pg') {
      await q.query('alter table audit_events enable trigger user');
      await q.query('alter table audit_blocks enable trigger user');
    }
  });
}

/**
 * Seals until every event is in a block. On a shared PostgreSQL server, transactions of other test files
 * hold the sealing horizon back for a moment, so one call may legitimately seal only part.
 */
async function sealAll(): Promise<number> {
  let sealed = 0;
  for (let i = 0; i < 200; i++) {
    sealed += await sealAudit(db);
    if ((await verifyAudit(db)).unsealed === 0) return sealed;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('events stayed unsealed');
}

const lastEventId = async () => (await db.query<{ id: string }>('select max(id)::text as id from audit_events'))[0]!.id;

describe('audit trail', () => {
  it('keeps no event of a rolled-back transaction', async () => {
    await expect(
      db.tx(async (q) => {
        await appendAudit(q, { actor, action: 'agency.create', targetType: 'agency', targetId: 'rolled-back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await db.query("select 1 from audit_events where target_id = 'rolled-back'")).toHaveLength(0);
  });

  it('seals events into blocks and verifies the chain', async () => {
    await addEvents(5);
    expect(await sealAll()).toBe(5);
    await addEvents(3);
    expect(await sealAll()).toBe(3);
    expect(await sealAudit(db)).toBe(0);
    await addEvents(1);
    const r = await verifyAudit(db);
    expect(r).toMatchObject({ ok: true, events: 8, unsealed: 1 });
    expect(r.blocks).toBeGreaterThanOrEqual(2);
  });

  it('verifies a chain of more than ten blocks and records each block range in numeric id order', async () => {
    for (let i = 0; i < 10; i++) {
      await addEvents(1);
      await sealAll();
    }
    // ids cross from two to three digits inside one block
    await db.tx(async (q) => {
      for (let i = 0; i < 95; i++) await appendAudit(q, { actor, action: 'user.update', targetId: `bulk${i}` });
    });
    await sealAll();
    const r = await verifyAudit(db);
    expect(r).toMatchObject({ ok: true, unsealed: 0 });
    expect(r.blocks).toBeGreaterThanOrEqual(13);
    const ranges = await db.query<{ first: string; last: string; min: string; max: string }>(
      `select b.first_event_id::text as first, b.last_event_id::text as last,
              (select min(e.id)::text from audit_events e where e.tx >= b.xid_from and e.tx < b.xid_to) as min,
              (select max(e.id)::text from audit_events e where e.tx >= b.xid_from and e.tx < b.xid_to) as max
         from audit_blocks b order by b.id`,
    );
    for (const b of ranges) expect([b.first, b.last]).toEqual([b.min, b.max]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on both audit tables in the database itself', async () => {
    const attempts = [
      "update audit_events set action = 'auth.logout'",
      'delete from audit_events',
      'truncate audit_events',
      "update audit_blocks set hash = 'x'",
      'delete from audit_blocks',
      'truncate audit_blocks',
    ];
    for (const sql of attempts) await expect(db.query(sql), sql).rejects.toThrow(/append-only/);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('detects an event whose content was changed and names it', async () => {
    const [target] = await db.query<{ id: string; actor_username: string }>(
      'select id::text, actor_username from audit_events where id = (select min(id) + 2 from audit_events)',
    );
    await bypassTriggers((q) =>
      q.query("update audit_events set actor_username = 'innocent' where id = $1", [target!.id]),
    );
    const r = await verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.broken).toMatchObject({ eventId: target!.id, reason: expect.stringMatching(/does not match its hash/) });
    await bypassTriggers((q) =>
      q.query('update audit_events set actor_username = $2 where id = $1', [target!.id, target!.actor_username]),
    );
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('detects a changed event that is not sealed yet', async () => {
    const id = await lastEventId();
    await bypassTriggers((q) => q.query("update audit_events set outcome = 'failure' where id = $1", [id]));
    expect((await verifyAudit(db)).broken?.eventId).toBe(id);
    await bypassTriggers((q) => q.query("update audit_events set outcome = 'success' where id = $1", [id]));
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('detects an event rewritten together with a recomputed hash, by its block', async () => {
    const [row] = await db.query<StoredAuditFields & { id: string; hash: string }>(
      `select id::text, at, actor_id::text, actor_username, agency_id::text, action, target_type, target_id, ip, outcome, details, hash
         from audit_events order by audit_events.id limit 1`,
    );
    const forged = { ...row!, target_id: 'someone-else' };
    await bypassTriggers((q) =>
      q.query('update audit_events set target_id = $2, hash = $3 where id = $1', [
        row!.id,
        forged.target_id,
        eventHash(forged),
      ]),
    );
    const [block] = await db.query<{ id: string }>(
      'select b.id::text as id from audit_blocks b where b.first_event_id <= $1 and b.last_event_id >= $1',
      [row!.id],
    );
    const r = await verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.broken).toMatchObject({ blockId: block!.id, reason: expect.stringMatching(/block hash/) });
    await bypassTriggers((q) =>
      q.query('update audit_events set target_id = $2, hash = $3 where id = $1', [row!.id, row!.target_id, row!.hash]),
    );
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('detects a deleted event and names its block', async () => {
    const [b] = await db.query<{ id: string; first_event_id: string }>(
      'select b.id::text as id, b.first_event_id::text as first_event_id from audit_blocks b order by b.id desc limit 1',
    );
    await bypassTriggers((q) => q.query('delete from audit_events where id = $1', [b!.first_event_id]));
    const r = await verifyAudit(db);
    expect(r.ok).toBe(false);
    expect(r.broken).toMatchObject({
      blockId: b!.id,
      reason: expect.stringMatching(/block holds \d+ events, sealed with \d+/),
    });
  });
});
