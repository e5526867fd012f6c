import { ZDashboard, ZDashboardParams, ZDashboardQuery, ZLocale, ZPeriod, ZProtectedTableOut } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { nationalReport } from './report.service.ts';
import * as service from './statistics.service.ts';

const tags = ['statistics'];

/**
 * National statistics (issue 7): protected aggregates only. Every answer goes through the
 * disclosure-control core (packages/domain/src/statistics) with the dashboard k; the only filters are
 * the lattice's (period, region).
 */
export async function statisticsRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/statistics/dashboard', {
    config: { access: { permission: 'stats.read' } },
    schema: {
      tags,
      summary: 'The statistics dashboard for a year or quarter and all regions or one: protected tables and indicators',
      querystring: ZDashboardParams,
      response: { 200: ZDashboard },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.dashboard(deps, ctx, req.query)),
  });

  r.get('/api/statistics/query', {
    config: { access: { permission: 'stats.read' } },
    schema: {
      tags,
      summary: 'One lattice query (period, region, a predefined breakdown, optionally a second): a protected table',
      querystring: ZDashboardQuery,
      response: { 200: ZProtectedTableOut },
    },
    handler: async (req) =>
      inTx(deps, req, async (ctx) => {
        const t = await service.query(deps, ctx, req.query);
        return { ...t, rowKeys: [...t.rowKeys], colKeys: [...t.colKeys] } as never;
      }),
  });

  r.get('/api/statistics/report', {
    config: { access: { permission: 'stats.read' } },
    schema: {
      tags,
      summary: 'The national report for a year or quarter, in one language: XLSX or printable PDF (publication k = 11)',
      querystring: z.object({ period: ZPeriod, lang: ZLocale, format: z.enum(['xlsx', 'pdf']) }).strict(),
    },
    handler: async (req, reply) => {
      const file = await inTx(deps, req, (ctx) => nationalReport(deps, ctx, req.query));
      const xlsx = req.query.format === 'xlsx';
      return reply
        .header(
          'content-type',
          xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'application/pdf',
        )
        .header(
          'content-disposition',
          `attachment; filename="opennrm-report-${req.query.period}-${req.query.lang}.${req.query.format}"`,
        )
        .header('cache-control', 'no-store')
        .send(file);
    },
  });
}
