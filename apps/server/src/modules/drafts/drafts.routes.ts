import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { open, seal } from '../../crypto/keys.ts';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { AppError, notFound } from '../../http/errors.ts';

const tags = ['drafts'];
const ZKind = z.object({ kind: z.enum(['intake']) });
/** A draft is whatever the form holds, unvalidated, bounded in size; it is stored encrypted. */
const ZDraft = z.object({ data: z.record(z.string(), z.unknown()) });
const MAX_DRAFT_BYTES = 200_000;

export async function draftRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const aad = (userId: string, kind: string) => `drafts:${userId}:${kind}`;

  r.get('/api/drafts/:kind', {
    config: { access: { permission: 'cases.create' } },
    schema: {
      tags,
      summary: 'The caller’s autosaved draft of a form',
      params: ZKind,
      response: { 200: ZDraft.extend({ updatedAt: z.string() }) },
    },
    handler: async (req) => {
      const [row] = await deps.db.query<{ data_enc: string; updated_at: string }>(
        'select data_enc, updated_at from drafts where user_id = $1 and kind = $2',
        [req.actor!.userId, req.params.kind],
      );
      if (!row) throw notFound();
      return {
        data: JSON.parse(
          open(deps.keys.master, row.data_enc, aad(req.actor!.userId, req.params.kind)).toString('utf8'),
        ),
        updatedAt: row.updated_at,
      };
    },
  });

  r.put('/api/drafts/:kind', {
    config: { access: { permission: 'cases.create' } },
    schema: {
      tags,
      summary: 'Autosave a draft (encrypted at rest)',
      params: ZKind,
      body: ZDraft,
      response: { 200: z.object({ updatedAt: z.string() }) },
    },
    handler: async (req) => {
      const json = JSON.stringify(req.body.data);
      if (Buffer.byteLength(json) > MAX_DRAFT_BYTES) throw new AppError('payload_too_large');
      const [row] = await deps.db.query<{ updated_at: string }>(
        `insert into drafts (user_id, kind, data_enc) values ($1, $2, $3)
         on conflict (user_id, kind) do update set data_enc = excluded.data_enc, updated_at = now() returning updated_at`,
        [req.actor!.userId, req.params.kind, seal(deps.keys.master, json, aad(req.actor!.userId, req.params.kind))],
      );
      return { updatedAt: row!.updated_at };
    },
  });

  r.delete('/api/drafts/:kind', {
    config: { access: { permission: 'cases.create' } },
    schema: { tags, summary: 'Discard a draft', params: ZKind, response: { 200: z.object({ ok: z.literal(true) }) } },
    handler: async (req) => {
      await inTx(deps, req, (ctx) =>
        ctx.q.query('delete from drafts where user_id = $1 and kind = $2', [req.actor!.userId, req.params.kind]),
      );
      return { ok: true as const };
    },
  });
}
