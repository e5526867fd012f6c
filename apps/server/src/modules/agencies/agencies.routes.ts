import { ZAgency, ZAgencyInput, ZAgencyServiceName, ZAgencyType, ZAgencyUpdate, ZRegion } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { notFound } from '../../http/errors.ts';
import * as repo from './agencies.repository.ts';
import * as service from './agencies.service.ts';

const tags = ['agencies'];
const ZId = z.object({ id: z.uuid() });

export async function agencyRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/agencies', {
    config: { access: { permission: 'agencies.read' } },
    schema: {
      tags,
      summary: 'The agency directory (filter by type, region, service offered, region served)',
      querystring: z.object({
        type: ZAgencyType.optional(),
        region: ZRegion.optional(),
        active: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        q: z.string().trim().max(100).optional(),
        service: ZAgencyServiceName.optional(),
        servesRegion: ZRegion.optional(),
      }),
      response: { 200: z.object({ items: z.array(ZAgency) }) },
    },
    handler: async (req) => ({ items: await repo.listAgencies(deps.db, req.query) }),
  });

  r.get('/api/agencies/:id', {
    config: { access: { permission: 'agencies.read' } },
    schema: { tags, summary: 'One agency', params: ZId, response: { 200: ZAgency } },
    handler: async (req) => {
      const agency = await repo.getAgency(deps.db, req.params.id);
      if (!agency) throw notFound();
      return agency;
    },
  });

  r.post('/api/agencies', {
    config: { access: { permission: 'agencies.manage' } },
    schema: { tags, summary: 'Create an agency', body: ZAgencyInput, response: { 201: ZAgency } },
    handler: async (req, reply) => {
      const agency = await inTx(deps, req, (ctx) => service.createAgency(ctx, req.body));
      return reply.status(201).send(agency);
    },
  });

  r.patch('/api/agencies/:id', {
    config: { access: { permission: 'agencies.manage' } },
    schema: {
      tags,
      summary: 'Update an agency (optimistic concurrency on version)',
      params: ZId,
      body: ZAgencyUpdate,
      response: { 200: ZAgency },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateAgency(ctx, req.params.id, req.body)),
  });
}
