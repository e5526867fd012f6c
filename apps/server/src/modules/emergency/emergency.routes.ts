import { ZEmergencyAccess, ZEmergencyRequest, ZEmergencyReview } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './emergency.service.ts';

const tags = ['emergency access'];
const ZId = z.object({ id: z.uuid() });

export async function emergencyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/cases/:id/emergency-access', {
    config: { access: { permission: 'emergency.access', case: 'any' } },
    schema: {
      tags,
      summary:
        'Police or health: open a case you cannot otherwise see for 4 hours, with a written reason (audited, reviewed)',
      params: ZId,
      body: ZEmergencyRequest,
      response: { 201: ZEmergencyAccess },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await inTx(deps, req, (ctx) => service.openEmergencyAccess(deps, ctx, req.params.id, req.body.reason))),
  });

  r.get('/api/cases/:id/emergency-access', {
    config: { access: { permission: 'cases.read', case: 'holder' } },
    schema: {
      tags,
      summary: 'Emergency accesses to a case (holding agency)',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZEmergencyAccess) }) },
    },
    handler: async (req) => ({
      items: await inTx(deps, req, (ctx) => service.caseEmergencyAccess(deps, ctx, req.params.id)),
    }),
  });

  r.get('/api/emergency-access/pending-review', {
    config: { access: { permission: 'emergency.review' } },
    schema: {
      tags,
      summary: "Emergency accesses to my agency's cases awaiting a supervisor's review",
      response: { 200: z.object({ items: z.array(ZEmergencyAccess) }) },
    },
    handler: async (req) => ({ items: await inTx(deps, req, (ctx) => service.pendingReviews(deps, ctx)) }),
  });

  r.post('/api/emergency-access/:id/review', {
    config: { access: { permission: 'emergency.review' } },
    schema: {
      tags,
      summary: 'Supervisor of the holding agency: review an emergency access',
      params: ZId,
      body: ZEmergencyReview,
      response: { 200: ZEmergencyAccess },
    },
    handler: async (req) =>
      inTx(deps, req, (ctx) => service.reviewEmergencyAccess(deps, ctx, req.params.id, req.body.outcome)),
  });
}
