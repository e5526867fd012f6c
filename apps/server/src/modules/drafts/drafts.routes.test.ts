import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('intake drafts', () => {
  it('saves, restores and discards the caller’s own draft, encrypted and audited', async () => {
    const a = await t.as('shelter.outreach');
    expect((await a.get('/api/drafts/intake')).statusCode).toBe(404);
    const saved = await a.put('/api/drafts/intake', { data: { family: 'Нурпеисова', note: 'met at the bus station' } });
    expect(saved.statusCode).toBe(200);
    const back = await a.get('/api/drafts/intake');
    expect(back.json().data).toEqual({ family: 'Нурпеисова', note: 'met at the bus station' });
    const [raw] = await t.db.query<{ data_enc: string }>('select data_enc from drafts');
    expect(raw!.data_enc).not.toContain('Нурпеисова');
    const actions = (
      await t.db.query<{ action: string }>("select action from audit_events where target_type = 'draft' order by id")
    ).map((r) => r.action);
    expect(actions).toEqual(['draft.save', 'draft.read']);
    expect((await a.delete('/api/drafts/intake')).statusCode).toBe(200);
    expect((await a.get('/api/drafts/intake')).statusCode).toBe(404);
  });

  it('keeps drafts per user: another user never sees it', async () => {
    const a = await t.as('police.officer');
    await a.put('/api/drafts/intake', { data: { family: 'Secret' } });
    const b = await t.as('clinic.nurse');
    expect((await b.get('/api/drafts/intake')).statusCode).toBe(404);
  });

  it('refuses an oversized draft and a user without cases.create', async () => {
    const a = await t.as('shelter.outreach');
    const res = await a.put('/api/drafts/intake', { data: { x: 'y'.repeat(210_000) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
    const analyst = await t.as('analyst');
    expect((await analyst.get('/api/drafts/intake')).statusCode).toBe(403);
  });
});
