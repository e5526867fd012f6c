import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './drafts.service.ts';

const tags = ['drafts'];
const ZKind = z.object({ kind: z.enum(['intake']) });
/** A draft is whatever the form holds, unvalidated, bounded in size; it is stored encrypted. */
const ZDraft = z.object({ data: z.record(z.string(), z.unknown()) });

export async function draftRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/drafts/:kind', {
    config: { access: { permission: 'cases.create' } },
    schema: {
      tags,
      summary: 'The caller’s autosaved draft of a form (audited)',
      params: ZKind,
      response: { 200: ZDraft.extend({ updatedAt: z.string() }) },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.readDraft(deps, ctx, req.params.kind)),
  });

  r.put('/api/drafts/:kind', {
    config: { access: { permission: 'cases.create' } },
    schema: {
      tags,
      summary: 'Autosave a draft (encrypted at rest, audited)',
      params: ZKind,
      body: ZDraft,
      response: { 200: z.object({ updatedAt: z.string() }) },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.saveDraft(deps, ctx, req.params.kind, req.body.data)),
  });

  r.delete('/api/drafts/:kind', {
    config: { access: { permission: 'cases.create' } },
    schema: { tags, summary: 'Discard a draft', params: ZKind, response: { 200: z.object({ ok: z.literal(true) }) } },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => service.discardDraft(ctx, req.params.kind));
      return { ok: true as const };
    },
  });
}
