import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../../audit/audit.service.ts';
import { type AppDeps, inTx } from '../../http/deps.ts';
import { stale } from '../../http/errors.ts';
import { getSecuritySettings, saveSecuritySettings, ZSecuritySettings } from './settings.repository.ts';

const tags = ['settings'];
const ZVersioned = ZSecuritySettings.extend({ version: z.number().int().min(0) });

export async function settingsRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/settings/security', {
    config: { access: { permission: 'settings.manage' } },
    schema: {
      tags,
      summary: 'Security settings: roles that must use two-factor authentication',
      response: { 200: ZVersioned },
    },
    handler: async () => getSecuritySettings(deps.db),
  });

  r.put('/api/settings/security', {
    config: { access: { permission: 'settings.manage' } },
    schema: { tags, summary: 'Change the security settings', body: ZVersioned, response: { 200: ZVersioned } },
    handler: async (req) => {
      const { version, ...value } = req.body;
      const saved = await inTx(deps, req, async (ctx) => {
        if (!(await saveSecuritySettings(ctx.q, value, version, ctx.actor!.userId))) throw stale();
        await appendAudit(ctx.q, {
          actor: ctx.actor,
          action: 'settings.update',
          targetType: 'settings',
          targetId: 'security',
          ip: ctx.ip,
        });
        return getSecuritySettings(ctx.q);
      });
      app.invalidateSettingsCache();
      return saved;
    },
  });
}
