import { ZCatalogue, ZScreeningRequest } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './screening.service.ts';

const tags = ['screening'];

const ZScreeningRecord = z.object({
  id: z.uuid(),
  catalogueVersion: z.string(),
  profile: z.string(),
  acts: z.array(z.string()),
  indicatorIds: z.array(z.string()),
  result: z.record(z.string(), z.unknown()),
  outcome: z.string(),
  recommendation: z.string(),
  judgement: z.string(),
  reasons: z.string().nullable(),
  screenedBy: z.string(),
  createdAt: z.string(),
});

export async function screeningRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/screening/catalogue', {
    config: { access: { permission: 'catalogue.read' } },
    schema: {
      tags,
      summary: 'The current indicator catalogue (texts and help in kk/ru/en, strengths, rules)',
      response: { 200: ZCatalogue },
    },
    handler: async () => service.currentCatalogue(deps.db),
  });

  r.get('/api/screening/catalogues', {
    config: { access: { permission: 'catalogue.manage' } },
    schema: {
      tags,
      summary: 'Published catalogue versions',
      response: {
        200: z.object({
          items: z.array(z.object({ version: z.string(), isCurrent: z.boolean(), publishedAt: z.string() })),
        }),
      },
    },
    handler: async () => ({ items: await service.listCatalogues(deps.db) }),
  });

  r.get('/api/screening/catalogues/:version', {
    config: { access: { permission: 'catalogue.read' } },
    schema: {
      tags,
      summary: 'One catalogue version (results name the version they were computed with)',
      params: z.object({ version: z.string().max(100) }),
      response: { 200: ZCatalogue },
    },
    handler: async (req) => service.catalogueVersion(deps.db, req.params.version),
  });

  r.post('/api/screening/catalogues', {
    config: { access: { permission: 'catalogue.manage' } },
    schema: {
      tags,
      summary: 'Publish a new catalogue version (it becomes current)',
      body: ZCatalogue,
      response: { 201: z.object({ version: z.string() }) },
    },
    handler: async (req, reply) => {
      await inTx(deps, req, (ctx) => service.publishCatalogue(ctx, req.body));
      return reply.status(201).send({ version: req.body.version });
    },
  });

  r.post('/api/cases/:id/screenings', {
    config: { access: { permission: 'screening.perform', case: 'holder' } },
    schema: {
      tags,
      summary: 'Screen the person with the indicators (decision support)',
      params: z.object({ id: z.uuid() }),
      body: ZScreeningRequest,
      response: { 201: ZScreeningRecord },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.screenCase(deps, ctx, req.params.id, req.body))),
  });

  r.get('/api/cases/:id/screenings', {
    config: { access: { permission: 'cases.read', case: { readers: 'screening' } } },
    schema: {
      tags,
      summary: 'The screening history of a case, latest first',
      params: z.object({ id: z.uuid() }),
      response: { 200: z.object({ items: z.array(ZScreeningRecord) }) },
    },
    handler: async (req) => ({ items: await inTx(deps, req, (ctx) => service.screeningsOf(ctx, req.params.id, deps)) }),
  });
}
