import {
  ZCoordinationQuery,
  ZCoordinationReferral,
  ZPage,
  ZReferral,
  ZReferralCreate,
  ZReferralDecline,
  ZReferralListQuery,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './referrals.service.ts';

const tags = ['referrals'];
const ZId = z.object({ id: z.uuid() });

export async function referralRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/cases/:id/referrals', {
    config: { access: { permission: 'referrals.send', case: 'holder' } },
    schema: {
      tags,
      summary: 'Refer a case to another agency (NRM matrix, directory and consent are checked)',
      params: ZId,
      body: ZReferralCreate,
      response: { 201: ZReferral },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.sendReferral(deps, ctx, req.params.id, req.body))),
  });

  r.get('/api/cases/:id/referrals', {
    config: { access: { permission: 'cases.read', case: 'holder' } },
    schema: {
      tags,
      summary: 'Referrals of a case (holding agency)',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZReferral) }) },
    },
    handler: async (req) => ({ items: await inTx(deps, req, (ctx) => service.caseReferrals(ctx, req.params.id)) }),
  });

  r.get('/api/referrals', {
    config: { access: { permission: 'cases.read' } },
    schema: {
      tags,
      summary: "My agency's incoming or outgoing referrals",
      querystring: ZReferralListQuery,
      response: { 200: ZPage(ZReferral) },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.listReferrals(ctx, req.query)),
  });

  r.get('/api/referrals/:id', {
    config: { access: { permission: 'cases.read' } },
    schema: {
      tags,
      summary: 'One referral (sender or receiver; before acceptance the receiver sees only what it needs to decide)',
      params: ZId,
      response: { 200: ZReferral },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.readReferral(ctx, req.params.id)),
  });

  for (const action of ['accept', 'start', 'complete'] as const) {
    r.post(`/api/referrals/:id/${action}`, {
      config: { access: { permission: 'referrals.respond' } },
      schema: { tags, summary: `Receiver: ${action} the referral`, params: ZId, response: { 200: ZReferral } },
      handler: async (req) => inTx(deps, req, (ctx) => service.actOnReferral(deps, ctx, req.params.id, action)),
    });
  }

  r.post('/api/referrals/:id/decline', {
    config: { access: { permission: 'referrals.respond' } },
    schema: {
      tags,
      summary: 'Receiver: decline the referral with a reason',
      params: ZId,
      body: ZReferralDecline,
      response: { 200: ZReferral },
    },
    handler: async (req) =>
      inTx(deps, req, (ctx) => service.actOnReferral(deps, ctx, req.params.id, 'decline', { reason: req.body.reason })),
  });

  r.post('/api/referrals/:id/cancel', {
    config: { access: { permission: 'referrals.send' } },
    schema: { tags, summary: 'Sender: cancel the referral', params: ZId, response: { 200: ZReferral } },
    handler: async (req) => inTx(deps, req, (ctx) => service.actOnReferral(deps, ctx, req.params.id, 'cancel')),
  });

  r.get('/api/coordination/referrals', {
    config: { access: { permission: 'coordination.read' } },
    schema: {
      tags,
      summary: 'All referrals nationally: state, purpose, age group, waiting time, overdue — no personal identifiers',
      querystring: ZCoordinationQuery,
      response: { 200: ZPage(ZCoordinationReferral) },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.coordinationReferrals(ctx, req.query)),
  });
}
