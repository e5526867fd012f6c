import { ZNotificationList } from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as service from './notifications.service.ts';

const tags = ['notifications'];

export async function notificationRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/notifications', {
    config: { access: { permission: 'profile.self' } },
    schema: {
      tags,
      summary: 'My notifications (latest first) and the unread count',
      querystring: z.object({
        unread: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: ZNotificationList },
    },
    handler: async (req) =>
      inTx(deps, req, (ctx) =>
        service.listNotifications(ctx, { unreadOnly: req.query.unread ?? false, limit: req.query.limit }),
      ),
  });

  r.post('/api/notifications/read', {
    config: { access: { permission: 'profile.self' } },
    schema: {
      tags,
      summary: 'Mark notifications read: the given ids, or all when `all` is true',
      body: z.union([z.object({ ids: z.array(z.uuid()).min(1).max(200) }), z.object({ all: z.literal(true) })]),
      response: { 200: z.object({ unread: z.number().int() }) },
    },
    handler: async (req) => inTx(deps, req, (ctx) => service.markRead(ctx, 'ids' in req.body ? req.body.ids : 'all')),
  });
}
