import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { pickLocale } from '@opennrm/domain';
import Fastify, { type FastifyInstance, type FastifyServerOptions, type RouteOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { authPlugin } from './http/auth.plugin.ts';
import type { RouteAccess } from './http/context.ts';
import type { AppDeps } from './http/deps.ts';
import { errorHandler, notFoundHandler } from './http/errors.ts';
import { agencyRoutes } from './modules/agencies/agencies.routes.ts';
import { assistanceRoutes } from './modules/assistance/assistance.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { caseRoutes } from './modules/cases/cases.routes.ts';
import { consentRoutes } from './modules/consents/consents.routes.ts';
import { draftRoutes } from './modules/drafts/drafts.routes.ts';
import { duplicateRoutes } from './modules/duplicates/duplicates.routes.ts';
import { emergencyRoutes } from './modules/emergency/emergency.routes.ts';
import { exchangeRoutes } from './modules/exchange/exchange.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { referralRoutes } from './modules/referrals/referrals.routes.ts';
import { rulesRoutes } from './modules/rules/rules.routes.ts';
import { screeningRoutes } from './modules/screening/screening.routes.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { statisticsRoutes } from './modules/statistics/statistics.routes.ts';
import { statusRoutes } from './modules/status/status.routes.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';

export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Every route of the app with its access declaration, for the route-table test and the docs. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

/**
 * Routes that plugins register for us. They serve no personal data; each is declared public here,
 * by exact URL or prefix, with the reason. Any other route without a declaration stops the start.
 */
const PLUGIN_ROUTES: { match: (url: string) => boolean; reason: string }[] = [
  { match: (u) => u === '/api/docs' || u.startsWith('/api/docs/'), reason: 'browsable API reference (no data)' },
  { match: (u) => u === '/*', reason: 'static files of the web app (no data)' },
];

const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.totp',
  '*.name',
  '*.names',
  '*.birthDate',
  '*.phone',
  '*.email',
  '*.documentNumber',
];

/** Logger options: JSON lines, personal fields redacted, URLs logged without their query string. */
export function loggerOptions(level: string, stream?: { write(msg: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
      }),
    },
  };
}

/** Builds the app without listening; tests call this with their own database. */
export async function buildApp(
  deps: AppDeps,
  opts: {
    logger?: boolean;
    /** Where log lines go instead of stdout (tests read them back). */
    logStream?: { write(msg: string): void };
    /** Registers extra routes with the app's access checks (tests of the route declarations). */
    extraRoutes?: (app: FastifyInstance) => Promise<void>;
  } = {},
): Promise<FastifyInstance & { routeTable: RouteEntry[] }> {
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(deps.config.logLevel, opts.logStream),
    trustProxy: deps.config.trustProxy,
    bodyLimit: 1_048_576,
    // A malformed or over-long URL parameter is refused by the router before any hook runs; answer
    // it with our error body (400 bad_request) instead of Fastify's own, which echoes the path.
    frameworkErrors: (err, req, reply) => {
      req.locale = pickLocale(req.headers['accept-language']);
      return errorHandler(err, req, reply);
    },
  }) as unknown as FastifyInstance & { routeTable: RouteEntry[] };
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { access?: RouteAccess };
    if (!config.access) {
      const plugin = PLUGIN_ROUTES.find((p) => p.match(route.url));
      if (!plugin)
        throw new Error(`route ${String(route.method)} ${route.url} declares no permission and no public marker`);
      route.config = { ...config, access: { public: true, reason: plugin.reason } } as RouteOptions['config'];
    }
    for (const method of [route.method].flat()) {
      routeTable.push({
        method: String(method),
        url: route.url,
        access: (route.config as { access: RouteAccess }).access,
      });
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: deps.config.secureCookies ? [] : null,
      },
    },
    hsts: deps.config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => Object.assign(new Error('rate limited'), { statusCode: ctx.statusCode }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OpenNRM API',
        version: '0.1.0',
        description: 'National Referral Mechanism for victims of human trafficking',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'nrm_sid' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(async (req, reply) => {
    const html =
      req.method === 'GET' && !req.url.startsWith('/api/') && String(req.headers.accept ?? '').includes('text/html');
    if (html && existsSync(join(WEB_DIST, 'index.html'))) return reply.type('text/html').sendFile('index.html');
    return notFoundHandler(req, reply);
  });

  await app.register(authPlugin, { deps });
  await app.register(systemRoutes, { deps });
  await app.register(authRoutes, { deps });
  await app.register(agencyRoutes, { deps });
  await app.register(userRoutes, { deps });
  await app.register(auditRoutes, { deps });
  await app.register(settingsRoutes, { deps });
  await app.register(caseRoutes, { deps });
  await app.register(screeningRoutes, { deps });
  await app.register(draftRoutes, { deps });
  await app.register(consentRoutes, { deps });
  await app.register(referralRoutes, { deps });
  await app.register(rulesRoutes, { deps });
  await app.register(notificationRoutes, { deps });
  await app.register(emergencyRoutes, { deps });
  await app.register(statusRoutes, { deps });
  await app.register(duplicateRoutes, { deps });
  await app.register(assistanceRoutes, { deps });
  await app.register(statisticsRoutes, { deps });
  await app.register(exchangeRoutes, { deps });
  if (opts.extraRoutes) await app.register(opts.extraRoutes);

  app.get(
    '/api/openapi.json',
    { config: { access: { public: true, reason: 'the API description (no data)' } }, schema: { hide: true } },
    async () => app.swagger(),
  );

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, { root: WEB_DIST, wildcard: true, index: ['index.html'], maxAge: '1h' });
  } else {
    // Tests run without the built web app; sendFile must still exist for the not-found handler.
    await app.register(fastifyStatic, { root: dirname(WEB_DIST), serve: false });
  }
  await app.ready();
  return app;
}
