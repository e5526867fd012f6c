import { ZPage, ZPageQuery, ZPasswordReset, ZRole, ZUser, ZUserCreate, ZUserUpdate } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { usersVisibleTo } from '../../policies/user.policy.ts';
import { listUsers } from './users.repository.ts';
import * as service from './users.service.ts';

const tags = ['users'];
const ZId = z.object({ id: z.uuid() });
const ok = z.object({ ok: z.literal(true) });

export async function userRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/users', {
    config: { access: { permission: 'users.read' } },
    schema: {
      tags,
      summary: 'Users the caller may see (own agency, or all for system administrators and auditors)',
      querystring: ZPageQuery.extend({
        agencyId: z.uuid().optional(),
        role: ZRole.optional(),
        active: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        q: z.string().trim().max(100).optional(),
      }),
      response: { 200: ZPage(ZUser) },
    },
    handler: async (req) => listUsers(deps.db, usersVisibleTo(req.actor!), req.query),
  });

  r.get('/api/users/:id', {
    config: { access: { permission: 'users.read' } },
    schema: { tags, summary: 'One user', params: ZId, response: { 200: ZUser } },
    handler: async (req) => inTx(deps, req, (ctx) => service.readUser(ctx, req.params.id)),
  });

  r.post('/api/users', {
    config: { access: { permission: 'users.manage' } },
    schema: {
      tags,
      summary: 'Create a user (agency administrators: in their own agency only)',
      body: ZUserCreate,
      response: { 201: ZUser },
    },
    handler: async (req, reply) =>
      reply.status(201).send(await inTx(deps, req, (ctx) => service.createUser(deps, ctx, req.body))),
  });

  r.patch('/api/users/:id', {
    config: { access: { permission: 'users.manage' } },
    schema: {
      tags,
      summary: 'Update a user; deactivating ends their sessions at once',
      params: ZId,
      body: ZUserUpdate,
      response: { 200: ZUser },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.updateUser(ctx, req.params.id, req.body)),
  });

  r.post('/api/users/:id/password', {
    config: { access: { permission: 'users.manage' } },
    schema: {
      tags,
      summary: "Set a user's password (their sessions end)",
      params: ZId,
      body: ZPasswordReset,
      response: { 200: ok },
    },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => service.resetPassword(deps, ctx, req.params.id, req.body.password));
      return { ok: true as const };
    },
  });

  r.post('/api/users/:id/unlock', {
    config: { access: { permission: 'users.manage' } },
    schema: { tags, summary: 'Lift a sign-in lockout', params: ZId, response: { 200: ok } },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => service.unlockUser(ctx, req.params.id));
      return { ok: true as const };
    },
  });
}
