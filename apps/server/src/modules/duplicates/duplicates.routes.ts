import {
  ZDuplicateCheck,
  ZDuplicateCheckResult,
  ZDuplicateInquiry,
  ZDuplicatePair,
  ZDuplicatePairQuery,
  ZDuplicatePairStatus,
  ZMatchConfigSetting,
  ZMatchConfigUpdate,
  ZPage,
  type TDuplicatePairStatus,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './duplicates.service.ts';

const tags = ['duplicates'];
const ZId = z.object({ id: z.uuid() });
const ZStatus = z.object({ status: ZDuplicatePairStatus });
/** Intake checks per user and minute: enough for debounced typing, too few to sweep the country for names. */
const CHECKS_PER_MINUTE = 60;

export async function duplicateRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The person travels in the body, never in the URL.
  r.post('/api/duplicates/check', {
    config: {
      access: { permission: 'cases.create' },
      rateLimit: {
        max: CHECKS_PER_MINUTE,
        timeWindow: 60_000,
        keyGenerator: (req) => req.actor?.userId ?? req.ip,
      },
    },
    schema: {
      tags,
      summary:
        'Likely and possible duplicates of a person being registered: visible cases with the explained score; others only as "a possible match exists at agency X"',
      body: ZDuplicateCheck,
      response: { 200: ZDuplicateCheckResult },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.checkDuplicates(deps, ctx, req.body)),
  });

  r.post('/api/duplicates/inquiries', {
    config: { access: { permission: 'cases.create' } },
    schema: {
      tags,
      summary: 'Ask the agency holding a possible match to refer the case (notifies its supervisors; no personal data)',
      body: ZDuplicateInquiry,
      response: { 201: z.object({ sent: z.literal(true) }) },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.sendInquiry(deps, ctx, req.body.inquiryToken))),
  });

  r.get('/api/duplicates/pairs', {
    config: { access: { permission: 'duplicates.review' } },
    schema: {
      tags,
      summary:
        'Review queue of candidate pairs: a supervisor sees pairs touching the cases they may see; the coordinator every pair without case or name',
      querystring: ZDuplicatePairQuery,
      response: { 200: ZPage(ZDuplicatePair) },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.listPairs(deps, ctx, req.query)),
  });

  r.post('/api/duplicates/scan', {
    config: { access: { permission: 'duplicates.review' } },
    schema: {
      tags,
      summary: 'Queue the full batch over all persons (runs in the background)',
      response: { 202: z.object({ queued: z.boolean() }) },
    },
    handler: async (req, reply) => reply.status(202).send(await inTx(deps, req, (ctx) => service.requestScan(ctx))),
  });

  const decide = (
    action: 'merge' | 'dismiss' | 'unmerge',
    summary: string,
    fn: (ctx: Ctx, id: string) => Promise<{ status: TDuplicatePairStatus }>,
  ) =>
    r.post(`/api/duplicates/pairs/:id/${action}`, {
      config: { access: { permission: 'duplicates.review' } },
      schema: { tags, summary, params: ZId, response: { 200: ZStatus } },
      handler: async (req) => inTx(deps, req, (ctx) => fn(ctx, req.params.id)),
    });
  decide('merge', 'Merge the two persons of a pair (both cases keep their history; audited)', service.mergePair);
  decide('dismiss', 'Mark a pair as two different people', service.dismissPair);
  decide('unmerge', 'Undo a merge; the pair is open again', service.unmergePair);

  r.get('/api/duplicates/config', {
    config: { access: { permission: 'settings.manage' } },
    schema: { tags, summary: 'Matcher weights and thresholds', response: { 200: ZMatchConfigSetting } },
    handler: async (req) => inTx(deps, req, (ctx) => service.readConfig(ctx)),
  });

  r.put('/api/duplicates/config', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Replace the matcher weights and thresholds (system administrator; 409 on a stale version)',
      body: ZMatchConfigUpdate,
      response: { 200: ZMatchConfigSetting },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateConfig(ctx, req.body.config, req.body.version)),
  });
}
