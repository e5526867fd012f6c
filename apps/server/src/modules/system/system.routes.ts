import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';

export async function systemRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'opennrm_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'opennrm_http_errors_total',
    help: 'HTTP 5xx responses',
    labelNames: ['route'],
    registers: [registry],
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) errors.inc({ route });
  });

  r.get('/healthz', {
    config: { access: { public: true, reason: 'liveness probe' } },
    schema: {
      tags: ['system'],
      summary: 'Liveness: the process is running',
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  r.get('/readyz', {
    config: { access: { public: true, reason: 'readiness probe' } },
    schema: {
      tags: ['system'],
      summary: 'Readiness: the database answers and migrations are applied',
      response: {
        200: z.object({ status: z.literal('ready'), database: z.string() }),
        503: z.object({ status: z.literal('unavailable') }),
      },
    },
    handler: async (_req, reply) => {
      try {
        await deps.db.query('select 1 from schema_migrations limit 1');
        return { status: 'ready' as const, database: deps.db.kind };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const });
      }
    },
  });

  r.get('/metrics', {
    config: { access: { permission: 'metrics.read', metricsToken: true } },
    schema: {
      tags: ['system'],
      summary: 'Prometheus metrics (system administrators, or the configured bearer token)',
      hide: false,
    },
    handler: async (_req, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  });
}
