import {
  ATTACHMENT_MAX_BYTES,
  ZAssistance,
  ZAttachment,
  ZAttachmentInput,
  ZCapacityInput,
  ZChildProtectionInput,
  ZClosureDecision,
  ZClosureRequest,
  ZFollowUpDone,
  ZLocalClosureReason,
  ZNeedsAssessmentInput,
  ZNote,
  ZNoteInput,
  ZOccupancy,
  ZPlanInput,
  ZReopenInput,
  ZReturnDecision,
  ZReturnInput,
  ZRiskAssessmentInput,
  ZServiceInput,
  ZServiceUpdate,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { ATTACHMENT_SCOPES } from '../../policies/case.policy.ts';
import * as service from './assistance.service.ts';

const tags = ['assistance'];
const ZId = z.object({ id: z.uuid() });
const ZReasons = z.object({ fixed: z.array(z.string()), local: z.array(ZLocalClosureReason) });

/**
 * Assistance (issue 6): needs, the individual plan and its services (another agency's service is a
 * referral), placements against capacity, child protection, voluntary return, notes and
 * attachments, closure. Never conditional on cooperation with the police (art. 12(6)); services
 * only with consent (art. 12(7)).
 */
export async function assistanceRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/cases/:id/assistance', {
    config: { access: { permission: 'cases.read', case: 'holder' } },
    schema: {
      tags,
      summary: 'Needs, plan, services and progress, child protection, return, closure (holder)',
      params: ZId,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.readAssistance(deps, ctx, req.params.id)),
  });

  r.post('/api/cases/:id/needs-assessments', {
    config: { access: { permission: 'assistance.manage', case: 'holder' } },
    schema: {
      tags,
      summary: 'Record a needs assessment with a risk level',
      params: ZId,
      body: ZNeedsAssessmentInput,
      response: { 201: ZAssistance },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.assessNeeds(deps, ctx, req.params.id, req.body))),
  });

  r.put('/api/cases/:id/assistance-plan', {
    config: { access: { permission: 'assistance.manage', case: 'holder' } },
    schema: {
      tags,
      summary: 'Set the goals of the individual assistance plan (409 on a stale version)',
      params: ZId,
      body: ZPlanInput,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updatePlan(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/cases/:id/services', {
    config: { access: { permission: 'assistance.manage', case: 'holder' } },
    schema: {
      tags,
      summary:
        'Plan a service (needs assistance consent); another provider is asked through a referral; placements respect capacity',
      params: ZId,
      body: ZServiceInput,
      response: { 201: ZAssistance },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.planService(deps, ctx, req.params.id, req.body))),
  });

  r.put('/api/services/:id', {
    config: { access: { permission: 'assistance.manage' } },
    schema: {
      tags,
      summary: 'Record progress, delivery and outcome of a service',
      params: ZId,
      body: ZServiceUpdate,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateService(deps, ctx, req.params.id, req.body)),
  });

  r.get('/api/agencies/:id/occupancy', {
    config: { access: { permission: 'assistance.manage' } },
    schema: {
      tags,
      summary: "A provider's capacity and current occupancy (no person data)",
      params: ZId,
      response: { 200: ZOccupancy },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.occupancy(ctx, req.params.id)),
  });

  r.put('/api/agencies/:id/capacity', {
    config: { access: { permission: 'agencies.manage' } },
    schema: {
      tags,
      summary: "Set a provider's capacity per service, sex and age group",
      params: ZId,
      body: ZCapacityInput,
      response: { 200: ZOccupancy },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.setCapacity(ctx, req.params.id, req.body.rows)),
  });

  r.get('/api/coordination/over-capacity', {
    config: { access: { permission: 'coordination.read' } },
    schema: {
      tags,
      summary: 'Placements above capacity (provider, service, date — no case or person)',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.uuid(),
              agency: z.object({ id: z.uuid(), name: z.string() }),
              category: z.string(),
              plannedStart: z.string(),
              status: z.string(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.overCapacityPlacements(ctx)),
  });

  r.put('/api/cases/:id/child-protection', {
    config: { access: { permission: 'assistance.manage', case: 'holder' } },
    schema: {
      tags,
      summary: 'Guardian or representative, best-interests assessment, family tracing (art. 10(4))',
      params: ZId,
      body: ZChildProtectionInput,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.saveChildProtection(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/cases/:id/returns', {
    config: { access: { permission: 'assistance.manage', case: 'holder' } },
    schema: {
      tags,
      summary: 'Record a voluntary return request',
      params: ZId,
      body: ZReturnInput,
      response: { 201: ZAssistance },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.requestReturn(deps, ctx, req.params.id, req.body))),
  });

  r.post('/api/returns/:id/risk-assessment', {
    config: { access: { permission: 'assistance.manage' } },
    schema: {
      tags,
      summary: 'Risk and security assessment of a return (for a child: best interests)',
      params: ZId,
      body: ZRiskAssessmentInput,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.assessReturnRisk(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/returns/:id/decision', {
    config: { access: { permission: 'assistance.manage' } },
    schema: {
      tags,
      summary:
        "Approve, refuse, complete or cancel a return; a child's return against its best interests is refused (art. 16(7))",
      params: ZId,
      body: ZReturnDecision,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.decideReturn(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/return-follow-ups/:id/done', {
    config: { access: { permission: 'assistance.manage' } },
    schema: {
      tags,
      summary: 'Record a follow-up contact after return',
      params: ZId,
      body: ZFollowUpDone,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.recordFollowUp(deps, ctx, req.params.id, req.body)),
  });

  r.get('/api/cases/:id/notes', {
    config: { access: { permission: 'cases.read', case: 'readers' } },
    schema: {
      tags,
      summary: 'Case notes (a receiving agency sees its own)',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZNote) }) },
    },
    handler: async (req) => ({ items: await inTx(deps, req, (ctx) => service.listNotes(deps, ctx, req.params.id)) }),
  });

  r.post('/api/cases/:id/notes', {
    config: { access: { permission: 'cases.update', case: 'readers' } },
    schema: {
      tags,
      summary: 'Add a note (encrypted)',
      params: ZId,
      body: ZNoteInput,
      response: { 201: z.object({ items: z.array(ZNote) }) },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send({ items: await inTx(deps, req, (ctx) => service.addNote(deps, ctx, req.params.id, req.body.text)) }),
  });

  r.get('/api/cases/:id/attachments', {
    config: { access: { permission: 'cases.read', case: { readers: ATTACHMENT_SCOPES } } },
    schema: {
      tags,
      summary: 'Attachments visible under the share scope (documents, medical)',
      params: ZId,
      response: { 200: z.object({ items: z.array(ZAttachment) }) },
    },
    handler: async (req) => ({
      items: await inTx(deps, req, (ctx) => service.listAttachments(deps, ctx, req.params.id)),
    }),
  });

  r.post('/api/cases/:id/attachments', {
    // The file travels base64 in JSON: up to 5 MB decoded, so the body may exceed the global 1 MB limit.
    bodyLimit: Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 64 * 1024,
    config: { access: { permission: 'cases.update', case: 'holder' } },
    schema: {
      tags,
      summary: 'Upload a PDF, PNG, JPEG or plain-text file (type checked by content; encrypted at rest)',
      params: ZId,
      body: ZAttachmentInput,
      response: { 201: z.object({ items: z.array(ZAttachment) }) },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send({ items: await inTx(deps, req, (ctx) => service.uploadAttachment(deps, ctx, req.params.id, req.body)) }),
  });

  r.get('/api/attachments/:id/content', {
    config: { access: { permission: 'cases.read' } },
    schema: { tags, summary: 'The content of an attachment (no file name in the URL or headers)', params: ZId },
    handler: async (req, reply) => {
      const f = await inTx(deps, req, (ctx) => service.readAttachment(deps, ctx, req.params.id));
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', 'attachment')
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(f.bytes);
    },
  });

  r.get('/api/closure-reasons', {
    config: { access: { permission: 'cases.read' } },
    schema: { tags, summary: 'Closure reasons: the fixed list and the local ones', response: { 200: ZReasons } },
    handler: async (req) => inTx(deps, req, (ctx) => service.closureReasons(ctx)),
  });

  r.put('/api/closure-reasons/local', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Add or change local closure reasons',
      body: z.object({ reasons: z.array(ZLocalClosureReason).max(50) }),
      response: { 200: ZReasons },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.setLocalClosureReasons(ctx, req.body.reasons)),
  });

  r.post('/api/cases/:id/closure', {
    config: { access: { permission: 'assistance.manage', case: 'holder' } },
    schema: {
      tags,
      summary: 'Request closure with a reason (a supervisor approves)',
      params: ZId,
      body: ZClosureRequest,
      response: { 201: ZAssistance },
    },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await inTx(deps, req, (ctx) => service.requestClosure(deps, ctx, req.params.id, req.body))),
  });

  r.post('/api/closures/:id/decision', {
    config: { access: { permission: 'cases.supervise' } },
    schema: {
      tags,
      summary: 'A supervisor of the holding agency approves (the case closes) or rejects',
      params: ZId,
      body: ZClosureDecision,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.decideClosure(deps, ctx, req.params.id, req.body)),
  });

  r.post('/api/cases/:id/reopen', {
    config: { access: { permission: 'cases.supervise', case: 'holder' } },
    schema: {
      tags,
      summary: 'Reopen a closed case with a reason',
      params: ZId,
      body: ZReopenInput,
      response: { 200: ZAssistance },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.reopenCase(deps, ctx, req.params.id, req.body.reason)),
  });
}
