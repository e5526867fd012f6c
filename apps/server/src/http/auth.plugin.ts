import { timingSafeEqual } from 'node:crypto';
import { pickLocale, permissionsOf, ZLocale } from '@opennrm/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { appendAudit } from '../audit/audit.service.ts';
import { randomToken, sha256Hex } from '../crypto/keys.ts';
import { deleteSession, findSession, touchSession } from '../modules/auth/session.repository.ts';
import {
  getSecuritySettings,
  mfaRequiredFor,
  type TSecuritySettings,
} from '../modules/settings/settings.repository.ts';
import type { AppDeps } from './deps.ts';
import { AppError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const TOUCH_EVERY_MS = 60_000;

export function cookieNames(secure: boolean) {
  // The __Host- prefix pins a cookie to this origin and path '/', but browsers only accept it over HTTPS.
  return secure ? { session: '__Host-nrm_sid', csrf: '__Host-nrm_csrf' } : { session: 'nrm_sid', csrf: 'nrm_csrf' };
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/**
 * Loads the session of every request, enforces CSRF on state-changing requests and the route's
 * declared access. Deny by default: a route without a declaration never answers (see app.ts).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { deps: AppDeps }) => {
  const { db, config } = opts.deps;
  const names = cookieNames(config.secureCookies);
  let cached: { at: number; value: TSecuritySettings } | null = null;
  const securitySettings = async () => {
    if (!cached || Date.now() - cached.at > 5000) cached = { at: Date.now(), value: await getSecuritySettings(db) };
    return cached.value;
  };
  app.decorate('invalidateSettingsCache', () => {
    cached = null;
  });

  app.decorateRequest('locale', 'en');
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('mfaEnrollmentRequired', false);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const headerLocale = req.headers['x-locale'];
    req.locale = ZLocale.safeParse(headerLocale).success
      ? (headerLocale as 'en')
      : pickLocale(req.headers['accept-language']);
    const token = req.cookies[names.session];
    if (token) await loadSession(req, reply, token);
    if (!req.actor) {
      // Anonymous callers (the sign-in form) get a double-submit CSRF token in a cookie.
      let csrf = req.cookies[names.csrf];
      if (csrf?.length !== 43) {
        csrf = randomToken();
        reply.setCookie(names.csrf, csrf, {
          path: '/',
          httpOnly: false,
          sameSite: 'strict',
          secure: config.secureCookies,
        });
      }
      req.csrfToken = csrf;
    }
    checkCsrf(req);
    await checkAccess(req);
  });

  async function loadSession(req: FastifyRequest, reply: FastifyReply, token: string) {
    const id = sha256Hex(token);
    const s = await findSession(db, id);
    if (!s) {
      req.sessionExpired = true;
      reply.clearCookie(names.session, { path: '/', secure: config.secureCookies });
      return;
    }
    const now = Date.now();
    const idleLimit = new Date(s.last_seen_at).getTime() + config.sessionIdleMinutes * 60_000;
    const expired = now > new Date(s.expires_at).getTime() || now > idleLimit;
    if (expired || !s.user_active || !s.agency_active) {
      await db.tx(async (q) => {
        await deleteSession(q, id);
        if (expired)
          await appendAudit(q, {
            actor: { userId: s.user_id, username: s.username, agencyId: s.agency_id },
            action: 'auth.session.expired',
            ip: req.ip,
          });
      });
      req.sessionExpired = true;
      reply.clearCookie(names.session, { path: '/', secure: config.secureCookies });
      return;
    }
    if (now - new Date(s.last_seen_at).getTime() > TOUCH_EVERY_MS) await touchSession(db, id);
    const userLocale = ZLocale.safeParse(req.headers['x-locale']).success ? req.locale : s.locale;
    req.locale = userLocale;
    req.csrfToken = s.csrf_token;
    req.actor = {
      userId: s.user_id,
      username: s.username,
      agencyId: s.agency_id,
      agencyType: s.agency_type,
      agencyRegion: s.agency_region,
      roles: s.roles,
      permissions: permissionsOf(s.roles),
      sessionId: id,
    };
    req.mfaEnrollmentRequired = !s.totp_enabled && mfaRequiredFor(s.roles, await securitySettings());
  }

  function checkCsrf(req: FastifyRequest) {
    if (SAFE_METHODS.has(req.method)) return;
    const access = req.routeOptions.config?.access;
    if (access && 'metricsToken' in access && access.metricsToken) return;
    const origin = req.headers.origin;
    if (origin && origin !== 'null') {
      const host =
        req.headers['x-forwarded-host'] && config.trustProxy
          ? String(req.headers['x-forwarded-host'])
          : req.headers.host;
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost !== host) throw new AppError('csrf');
    }
    const given = req.headers['x-csrf-token'];
    if (typeof given !== 'string' || !req.csrfToken || !safeEqual(given, req.csrfToken)) throw new AppError('csrf');
  }

  async function checkAccess(req: FastifyRequest) {
    const access = req.routeOptions.config?.access;
    if (!access) {
      // Unknown URLs have no route options: let the not-found handler answer.
      if (req.routeOptions.url === undefined) return;
      throw new AppError('forbidden');
    }
    if ('public' in access) return;
    if (access.metricsToken && config.metricsToken) {
      const auth = req.headers.authorization;
      if (auth && safeEqual(auth, `Bearer ${config.metricsToken}`)) return;
    }
    if (!req.actor) throw new AppError(req.sessionExpired ? 'auth.session_expired' : 'auth.required');
    if (req.mfaEnrollmentRequired && !access.allowDuringMfaEnrollment)
      throw new AppError('auth.mfa_enrollment_required');
    if (!req.actor.permissions.has(access.permission)) throw new AppError('forbidden');
  }
});

declare module 'fastify' {
  interface FastifyInstance {
    invalidateSettingsCache: () => void;
  }
}
