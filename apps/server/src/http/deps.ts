import type { FastifyRequest } from 'fastify';
import type { Keys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../env.ts';
import type { Actor, Ctx } from './context.ts';
import { AppError } from './errors.ts';
import { appendAudit } from '../audit/audit.service.ts';

/** What the app is built from: configuration, the database and the keys. Tests build their own. */
export interface AppDeps {
  config: Config;
  db: Db;
  keys: Keys;
}

/**
 * Runs a service function in one transaction with the request's context. Refused accesses the
 * service recorded survive the rollback: they are appended once the transaction has failed.
 */
export async function inTx<T>(deps: AppDeps, req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return run(deps, req, fn, 'tx');
}

/**
 * Like `inTx` for read-only service functions whose one write is their audit entry, appended as
 * the last statement: without BEGIN and COMMIT (two round trips fewer on the hottest routes). The
 * entry commits before the response is built, so no data leaves unaudited; if it fails, the
 * request fails.
 */
export async function inRead<T>(deps: AppDeps, req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return run(deps, req, fn, 'session');
}

async function run<T>(
  deps: AppDeps,
  req: FastifyRequest,
  fn: (ctx: Ctx) => Promise<T>,
  mode: 'tx' | 'session',
): Promise<T> {
  const denied: Parameters<Ctx['auditDenied']>[0][] = [];
  try {
    return await deps.db[mode]((q) =>
      fn({ actor: req.actor, ip: req.ip, locale: req.locale, q, auditDenied: (e) => denied.push(e) }),
    );
  } catch (err) {
    if (denied.length) {
      await deps.db.tx(async (q) => {
        for (const e of denied) await appendAudit(q, { ...e, actor: req.actor, ip: req.ip, outcome: 'denied' });
      });
    }
    throw err;
  }
}

/** The signed-in actor; routes that declare a permission always have one. */
export function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('auth.required');
  return ctx.actor;
}
