import {
  type TResponseRules,
  ZCalendarYear,
  ZCalendarYearInput,
  ZReferralMatrix,
  ZResponseRules,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './rules.service.ts';

const tags = ['referral rules'];
const ZVersion = z.object({ version: z.number().int().min(0) });
const ZMatrixOut = ZReferralMatrix.extend({ version: z.number().int(), isDefault: z.boolean() });
const ZRulesOut = z.object({ rules: ZResponseRules, version: z.number().int(), isDefault: z.boolean() });
const ZYear = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export async function rulesRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/referral-rules/matrix', {
    config: { access: { permission: 'rules.read' } },
    schema: {
      tags,
      summary: 'The NRM role matrix: which agency types may refer to which, for which purposes',
      response: { 200: ZMatrixOut },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.readMatrix(ctx)),
  });

  r.put('/api/referral-rules/matrix', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Replace the NRM role matrix (system administrator; 409 on a stale version)',
      body: ZReferralMatrix.extend(ZVersion.shape),
      response: { 200: ZMatrixOut },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateMatrix(ctx, req.body)),
  });

  r.get('/api/referral-rules/deadlines', {
    config: { access: { permission: 'rules.read' } },
    schema: { tags, summary: 'Response deadlines and expiry per urgency', response: { 200: ZRulesOut } },
    handler: async (req) => inTx(deps, req, (ctx) => service.readDeadlines(ctx)),
  });

  r.put('/api/referral-rules/deadlines', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Change response deadlines (system administrator)',
      body: z.object({ rules: ZResponseRules, version: z.number().int().min(0) }),
      response: { 200: ZRulesOut },
    },
    handler: async (req) =>
      inTx(deps, req, (ctx) => service.updateDeadlines(ctx, req.body.rules as TResponseRules, req.body.version)),
  });

  r.get('/api/calendar/:year', {
    config: { access: { permission: 'rules.read' } },
    schema: {
      tags,
      summary: 'Holidays and transferred working days of a year (defaults until an administrator saves it)',
      params: ZYear,
      response: { 200: ZCalendarYear },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.readCalendar(ctx, req.params.year)),
  });

  r.put('/api/calendar/:year', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Replace the holidays and transferred working days of a year (e.g. add Kurban Ait)',
      params: ZYear,
      body: ZCalendarYearInput,
      response: { 200: ZCalendarYear },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateCalendar(ctx, req.params.year, req.body)),
  });
}
