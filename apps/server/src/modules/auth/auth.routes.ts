import {
  ZChangePasswordRequest,
  ZLocaleUpdate,
  ZLoginRequest,
  ZSessionInfo,
  ZTotpConfirmRequest,
  ZTotpDisableRequest,
  ZTotpSetup,
} from '@opennrm/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cookieNames } from '../../http/auth.plugin.ts';
import { type AppDeps, inTx } from '../../http/deps.ts';
import * as auth from './auth.service.ts';

const ok = z.object({ ok: z.literal(true) });
const tags = ['auth'];

export async function authRoutes(app: FastifyInstance, { deps }: { deps: AppDeps }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const names = cookieNames(deps.config.secureCookies);
  // Browsers ignore a __Host- cookie (even one that deletes) unless it is marked Secure.
  const clearOpts = { path: '/', secure: deps.config.secureCookies };
  const self = { access: { permission: 'profile.self' as const, allowDuringMfaEnrollment: true } };

  r.get('/api/auth/session', {
    config: { access: { public: true, reason: 'the sign-in page asks whether a session exists' } },
    schema: {
      tags,
      summary: 'The current session (user null when signed out) and the CSRF token',
      response: { 200: ZSessionInfo },
    },
    handler: async (req) => {
      const demo = deps.config.mode === 'demo';
      const idle = deps.config.sessionIdleMinutes * 60;
      if (!req.actor)
        return { user: null, csrfToken: req.csrfToken ?? '', demo, idleTimeoutSeconds: idle, expiresAt: null };
      const { expiresAt, ...user } = await auth.sessionUser(deps, req.actor.sessionId, req.mfaEnrollmentRequired);
      return { user, csrfToken: req.csrfToken ?? '', demo, idleTimeoutSeconds: idle, expiresAt };
    },
  });

  r.post('/api/auth/login', {
    config: {
      access: { public: true, reason: 'signing in' },
      rateLimit: { max: deps.config.loginRatePerMinute, timeWindow: 60_000 },
    },
    schema: {
      tags,
      summary: 'Sign in with username or e-mail and password (and TOTP code when enabled)',
      body: ZLoginRequest,
      response: { 200: ok },
    },
    handler: async (req, reply) => {
      const { token, expiresAt } = await auth.login(deps, req.body, {
        ip: req.ip,
        userAgent: req.headers['user-agent'] ?? null,
        previousSessionId: req.actor?.sessionId ?? null,
      });
      reply.setCookie(names.session, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.config.secureCookies,
        expires: expiresAt,
      });
      reply.clearCookie(names.csrf, clearOpts);
      return { ok: true as const };
    },
  });

  r.post('/api/auth/logout', {
    config: self,
    schema: { tags, summary: 'Sign out this session', response: { 200: ok } },
    handler: async (req, reply) => {
      await inTx(deps, req, auth.logout);
      reply.clearCookie(names.session, clearOpts);
      return { ok: true as const };
    },
  });

  r.post('/api/auth/logout-all', {
    config: self,
    schema: {
      tags,
      summary: 'Sign out every session of the current user',
      response: { 200: z.object({ sessions: z.number().int() }) },
    },
    handler: async (req, reply) => {
      const sessions = await inTx(deps, req, auth.logoutEverywhere);
      reply.clearCookie(names.session, clearOpts);
      return { sessions };
    },
  });

  r.post('/api/auth/password', {
    config: { ...self, rateLimit: { max: deps.config.loginRatePerMinute, timeWindow: 60_000 } },
    schema: {
      tags,
      summary: 'Change the current user password (other sessions end)',
      body: ZChangePasswordRequest,
      response: { 200: ok },
    },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => auth.changePassword(deps, ctx, req.body.currentPassword, req.body.newPassword));
      return { ok: true as const };
    },
  });

  r.put('/api/auth/locale', {
    config: self,
    schema: {
      tags,
      summary: 'Remember the interface language of the current user',
      body: ZLocaleUpdate,
      response: { 200: ok },
    },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => auth.setLocale(ctx, req.body.locale));
      return { ok: true as const };
    },
  });

  r.post('/api/auth/totp/setup', {
    config: self,
    schema: {
      tags,
      summary: 'Start two-factor enrolment: returns a new TOTP secret once',
      response: { 200: ZTotpSetup },
    },
    handler: async (req) => inTx(deps, req, (ctx) => auth.setupTotp(deps, ctx)),
  });

  r.post('/api/auth/totp/confirm', {
    config: { ...self, rateLimit: { max: deps.config.loginRatePerMinute, timeWindow: 60_000 } },
    schema: {
      tags,
      summary: 'Confirm two-factor enrolment with a code from the app',
      body: ZTotpConfirmRequest,
      response: { 200: ok },
    },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => auth.confirmTotp(deps, ctx, req.body.code));
      return { ok: true as const };
    },
  });

  r.post('/api/auth/totp/disable', {
    config: { ...self, rateLimit: { max: deps.config.loginRatePerMinute, timeWindow: 60_000 } },
    schema: {
      tags,
      summary: 'Turn two-factor authentication off (refused when a role requires it)',
      body: ZTotpDisableRequest,
      response: { 200: ok },
    },
    handler: async (req) => {
      await inTx(deps, req, (ctx) => auth.disableTotp(ctx, req.body.password));
      return { ok: true as const };
    },
  });
}
