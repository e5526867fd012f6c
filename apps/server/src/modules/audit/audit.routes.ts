import { type TAuditEntry, ZAuditEntry, ZAuditQuery, ZPage } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../../audit/audit.service.ts';
import { verifyAudit } from '../../audit/sealer.ts';
import { type AppDeps, inTx } from '../../http/deps.ts';

const tags = ['audit'];

export async function auditRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/audit', {
    config: { access: { permission: 'audit.read' } },
    schema: {
      tags,
      summary: 'The audit log, filtered (who did what to which record; never case content)',
      querystring: ZAuditQuery,
      response: { 200: ZPage(ZAuditEntry) },
    },
    handler: async (req) =>
      inTx(deps, req, async (ctx) => {
        const f = req.query;
        const params: unknown[] = [];
        const where: string[] = [];
        if (f.action) where.push(`e.action = $${params.push(f.action)}`);
        if (f.outcome) where.push(`e.outcome = $${params.push(f.outcome)}`);
        if (f.actorId) where.push(`e.actor_id = $${params.push(f.actorId)}`);
        if (f.agencyId) where.push(`e.agency_id = $${params.push(f.agencyId)}`);
        if (f.from) where.push(`e.at >= $${params.push(f.from)}`);
        if (f.to) where.push(`e.at < $${params.push(f.to)}`);
        const cond = where.length ? `where ${where.join(' and ')}` : '';
        const [count] = await ctx.q.query<{ n: number }>(
          `select count(*)::int as n from audit_events e ${cond}`,
          params,
        );
        const items = await ctx.q.query<TAuditEntry>(
          `select e.id::text, e.at, e.actor_id::text as "actorId", e.actor_username as "actorUsername", e.agency_id::text as "agencyId",
                  a.name as "agencyName", e.action, e.target_type as "targetType", e.target_id as "targetId", e.ip, e.outcome
             from audit_events e left join agencies a on a.id = e.agency_id ${cond}
            order by e.id desc limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
          params,
        );
        await appendAudit(ctx.q, { actor: ctx.actor, action: 'audit.read', ip: ctx.ip, details: { page: f.page } });
        return { items, total: count?.n ?? 0, page: f.page, pageSize: f.pageSize };
      }),
  });

  r.get('/api/audit/verify', {
    config: { access: { permission: 'audit.read' } },
    schema: {
      tags,
      summary: 'Verify the hash chain of the audit trail and name the first broken link',
      response: {
        200: z.object({
          ok: z.boolean(),
          blocks: z.number(),
          events: z.number(),
          unsealed: z.number(),
          broken: z
            .object({ blockId: z.string().optional(), eventId: z.string().optional(), reason: z.string() })
            .optional(),
        }),
      },
    },
    handler: async () => verifyAudit(deps.db),
  });
}
