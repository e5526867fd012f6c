import { ZConsent, ZConsentCreate, ZConsentWithdraw } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './consents.service.ts';

const tags = ['consent'];
const ZId = z.object({ id: z.uuid() });

export async function consentRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/cases/:id/consents', {
    config: { access: { permission: 'cases.read', case: 'holder' } },
    schema: {
      tags,
      summary: 'Consents of a case (holding agency)',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZConsent) }) },
    },
    handler: async (req) => ({ items: await inTx(deps, req, (ctx) => service.listCaseConsents(ctx, req.params.id)) }),
  });

  r.post('/api/cases/:id/consents', {
    config: { access: { permission: 'consent.record', case: 'holder' } },
    schema: {
      tags,
      summary: 'Record informed consent for a purpose, or note that a child needs none (guardian informed)',
      params: ZId,
      body: ZConsentCreate,
      response: { 201: ZConsent },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.recordConsent(deps, ctx, req.params.id, req.body))),
  });

  r.post('/api/consents/:id/withdraw', {
    config: { access: { permission: 'consent.record' } },
    schema: {
      tags,
      summary: 'Withdraw a consent: dependent referrals end or narrow in the same request',
      params: ZId,
      body: ZConsentWithdraw.partial(),
      response: { 200: ZConsent },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.withdrawConsent(deps, ctx, req.params.id, req.body.date)),
  });
}
