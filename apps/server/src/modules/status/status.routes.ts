import {
  type TStatusRules,
  ZCaseStatus,
  ZComplianceReport,
  ZDecisionInput,
  ZEarlyEndInput,
  ZProceeding,
  ZProceedingInput,
  ZProtectionLookup,
  ZProtectionStatus,
  ZReflectionExtend,
  ZResidencePermitInput,
  ZReviewRequest,
  ZStatusRules,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { PROCEEDINGS_SCOPE } from '../../policies/case.policy.ts';
import { complianceReport } from './compliance.service.ts';
import * as service from './status.service.ts';

const tags = ['victim status'];
const ZId = z.object({ id: z.uuid() });
const ZRulesOut = z.object({ rules: ZStatusRules, version: z.number().int(), isDefault: z.boolean() });

/**
 * Victim status (issue 5): decisions of the competent authority, the recovery and reflection period,
 * residence permits, linked criminal proceedings, the migration service's protection lookup and the
 * coordinator's compliance report.
 */
export async function statusRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/cases/:id/status', {
    config: { access: { permission: 'cases.read', case: 'readers' } },
    schema: {
      tags,
      summary: 'Status of a case: HTCDS status, preliminary target, decisions, reflection period, protection, permits',
      params: ZId,
      response: { 200: ZCaseStatus },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.readStatus(deps, ctx, req.params.id)),
  });

  r.post('/api/cases/:id/decisions', {
    config: { access: { permission: 'decisions.take', case: 'readers' } },
    schema: {
      tags,
      summary:
        'Take a preliminary or final decision (decision makers of a competent authority; never requires a criminal case or cooperation)',
      params: ZId,
      body: ZDecisionInput,
      response: { 201: ZCaseStatus },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.takeDecision(deps, ctx, req.params.id, req.body))),
  });

  r.post('/api/decisions/:id/review-request', {
    config: { access: { permission: 'cases.update' } },
    schema: {
      tags,
      summary: 'Record that the person asks for a review of a negative decision (within 30 days)',
      params: ZId,
      body: ZReviewRequest,
      response: { 201: ZCaseStatus },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.requestReview(deps, ctx, req.params.id, req.body))),
  });

  r.post('/api/decisions/:id/review', {
    config: { access: { permission: 'decisions.take' } },
    schema: {
      tags,
      summary: 'Decide a requested review (a different decision maker than the author)',
      params: ZId,
      body: ZDecisionInput,
      response: { 201: ZCaseStatus },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await inTx(deps, req, (ctx) => service.reviewDecision(deps, ctx, req.params.id, req.body))),
  });

  r.post('/api/reflection-periods/:id/extend', {
    config: { access: { permission: 'decisions.take' } },
    schema: {
      tags,
      summary: 'Extend the recovery and reflection period (the end only moves later)',
      params: ZId,
      body: ZReflectionExtend,
      response: { 200: ZCaseStatus },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.extendReflection(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/reflection-periods/:id/end', {
    config: { access: { permission: 'decisions.take' } },
    schema: {
      tags,
      summary: 'End the period early: public order or improper claim only (art. 13(3)), with a written justification',
      params: ZId,
      body: ZEarlyEndInput,
      response: { 200: ZCaseStatus },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.endReflectionEarly(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/cases/:id/residence-permits', {
    config: { access: { permission: 'cases.update', case: 'readers' } },
    schema: {
      tags,
      summary: 'Record a residence permit event (applied, granted, renewed, refused)',
      params: ZId,
      body: ZResidencePermitInput,
      response: { 201: ZCaseStatus },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await inTx(deps, req, (ctx) => service.recordResidencePermit(deps, ctx, req.params.id, req.body))),
  });

  r.get('/api/cases/:id/proceedings', {
    config: { access: { permission: 'cases.read', case: { readers: PROCEEDINGS_SCOPE } } },
    schema: {
      tags,
      summary: 'Criminal proceedings linked to the case (never required for its status)',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZProceeding) }) },
    },
    handler: async (req) => ({
      items: await inTx(deps, req, (ctx) => service.listProceedings(deps, ctx, req.params.id)),
    }),
  });

  r.post('/api/cases/:id/proceedings', {
    config: { access: { permission: 'cases.update', case: { readers: PROCEEDINGS_SCOPE } } },
    schema: {
      tags,
      summary: 'Link a criminal proceeding (register number encrypted)',
      params: ZId,
      body: ZProceedingInput,
      response: { 201: ZProceeding },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await inTx(deps, req, (ctx) => service.createProceeding(deps, ctx, req.params.id, req.body))),
  });

  r.put('/api/proceedings/:id', {
    config: { access: { permission: 'cases.update' } },
    schema: {
      tags,
      summary: 'Update a linked criminal proceeding (409 on a stale version)',
      params: ZId,
      body: ZProceedingInput.extend({ version: z.number().int().min(1) }),
      response: { 200: ZProceeding },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateProceeding(deps, ctx, req.params.id, req.body)),
  });

  // The case number travels in the body, not the URL.
  r.post('/api/protection/lookup', {
    config: { access: { permission: 'protection.read' } },
    schema: {
      tags,
      summary: 'Removal authorities: is the person of this case number protected from removal, and until when',
      body: ZProtectionLookup,
      response: { 200: ZProtectionStatus },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.lookupProtection(deps, ctx, req.body.caseNumber)),
  });

  r.get('/api/coordination/compliance', {
    config: { access: { permission: 'coordination.read' } },
    schema: {
      tags,
      summary: 'Compliance with decision targets and the reflection period — aggregates, no personal identifiers',
      response: { 200: ZComplianceReport },
    },
    handler: async (req) => inTx(deps, req, (ctx) => complianceReport(deps, ctx)),
  });

  r.get('/api/status-rules', {
    config: { access: { permission: 'rules.read' } },
    schema: { tags, summary: 'Decision targets and reflection period settings', response: { 200: ZRulesOut } },
    handler: async (req) => inTx(deps, req, (ctx) => service.readRules(ctx)),
  });

  r.put('/api/status-rules', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Change decision targets and the reflection period (never below 30 days; system administrator)',
      body: z.object({ rules: ZStatusRules, version: z.number().int().min(0) }),
      response: { 200: ZRulesOut },
    },
    handler: async (req) =>
      inTx(deps, req, (ctx) => service.updateRules(ctx, req.body.rules as TStatusRules, req.body.version)),
  });
}
