import {
  ZCaseCreate,
  ZCaseDetail,
  ZCaseListQuery,
  ZCaseSummary,
  ZCaseUpdate,
  ZPage,
  ZSharedCaseDetail,
  ZTimelineEntry,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inRead, inTx } from '../../http/deps.ts';
import * as service from './cases.service.ts';
import { currentCaseNumbers } from './case-numbers.ts';

const tags = ['cases'];
const ZId = z.object({ id: z.uuid() });

export async function caseRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/cases', {
    config: { access: { permission: 'cases.create' } },
    schema: {
      tags,
      summary: 'Register a potential victim (person + case)',
      body: ZCaseCreate,
      response: { 201: z.object({ id: z.uuid(), number: z.string() }) },
    },
    handler: async (req, reply) => {
      const numbers = await currentCaseNumbers(deps);
      reply.status(201).send(await inTx(deps, req, (ctx) => service.createCase(deps, ctx, req.body, numbers)));
    },
  });

  // Search terms can be names: they travel in the body, never in the URL.
  r.post('/api/cases/search', {
    config: { access: { permission: 'cases.read' } },
    schema: {
      tags,
      summary: 'List and search the cases the caller may see (filters, name in any script, case number)',
      body: ZCaseListQuery,
      response: { 200: ZPage(ZCaseSummary) },
    },
    handler: async (req) => inRead(deps, req, (ctx) => service.listCases(deps, ctx, req.body)),
  });

  r.get('/api/cases/:id', {
    config: { access: { permission: 'cases.read', case: 'readers' } },
    schema: {
      tags,
      summary:
        'One case (audited): in full for the holding agency and emergency access; for a referral receiver only the shared scope (other sections null)',
      params: ZId,
      response: { 200: z.union([ZCaseDetail, ZSharedCaseDetail]) },
    },
    handler: async (req) => inRead(deps, req, (ctx) => service.readCase(deps, ctx, req.params.id)),
  });

  r.patch('/api/cases/:id', {
    config: { access: { permission: 'cases.update', case: 'holder' } },
    schema: {
      tags,
      summary: 'Edit a case; a stale version answers 409',
      params: ZId,
      body: ZCaseUpdate,
      response: { 200: ZCaseDetail },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateCase(deps, ctx, req.params.id, req.body)),
  });

  r.get('/api/cases/:id/timeline', {
    config: { access: { permission: 'cases.read', case: 'holder' } },
    schema: {
      tags,
      summary: 'What happened to the case, by whom and when',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZTimelineEntry) }) },
    },
    handler: async (req) => ({ items: await inTx(deps, req, (ctx) => service.caseTimeline(ctx, req.params.id)) }),
  });
}
