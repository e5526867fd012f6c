import type { FastifyRequest } from 'fastify';
import type { Keys } from '../crypto/keys.ts';
import type { Db } from '../db/client.ts';
import type { Config } from '../env.ts';
import type { Actor, Ctx } from './context.ts';
import { AppError } from './errors.ts';

/** What the app is built from: configuration, the database and the keys. Tests build their own. */
export interface AppDeps {
  config: Config;
  db: Db;
  keys: Keys;
}

/** Runs a service function in one transaction with the request's context. */
export function inTx<T>(deps: AppDeps, req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return deps.db.tx((q) => fn({ actor: req.actor, ip: req.ip, locale: req.locale, q }));
}

/** The signed-in actor; routes that declare a permission always have one. */
export function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new AppError('auth.required');
  return ctx.actor;
}
