import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.ts';
import { permissionsOf, type TAgencyType, type TRole } from '@opennrm/domain';
import { type Db, openDb, type Queryable } from '../db/client.ts';
import type { Actor } from '../http/context.ts';
import { migrate } from '../db/migrate.ts';
import { loadConfig } from '../env.ts';
import type { AppDeps } from '../http/deps.ts';
import { ensureDefaultCatalogue } from '../modules/screening/screening.service.ts';
import { seedDemo } from '../seed/demo.ts';

export const TEST_PASSWORD = 'demo-password-for-tests';

/**
 * A database for one test file: in-memory PGlite by default, or a fresh schema on the PostgreSQL
 * server named by TEST_DATABASE_URL (dropped again by `drop`).
 */
export async function openTestDb(
  backend: 'pglite' | 'pg' = process.env.TEST_DATABASE_URL ? 'pg' : 'pglite',
): Promise<{ db: Db; drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (backend === 'pglite' || !url) {
    const db = await openDb({});
    return { db, drop: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = await openDb({ url, schema, poolSize: 5 });
  return {
    db,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The actor a signed-in user acts as, read from the database (for tests and benchmarks that build SQL for a user). */
export async function loadActor(q: Queryable, username: string): Promise<Actor> {
  const [row] = await q.query<{ id: string; agency_id: string; type: TAgencyType; region: string; roles: TRole[] }>(
    'select u.id, u.agency_id, a.type, a.region, u.roles from users u join agencies a on a.id = u.agency_id where u.username = $1',
    [username],
  );
  if (!row) throw new Error(`no user ${username}`);
  return {
    userId: row.id,
    username,
    agencyId: row.agency_id,
    agencyType: row.type,
    agencyRegion: row.region,
    roles: row.roles,
    permissions: permissionsOf(row.roles),
    sessionId: '',
  };
}

/** Builds the real app on a fresh migrated database with the demo directory. */
export async function createTestApp(
  env: Record<string, string> = {},
  /** backend: force one; db + keys: run over an existing database (closed by `close`). */
  opts: { backend?: 'pglite' | 'pg'; db?: Db; keys?: AppDeps['keys'] } = {},
) {
  const { db, drop } = opts.db ? { db: opts.db, drop: () => opts.db!.close() } : await openTestDb(opts.backend);
  await migrate(db);
  await ensureDefaultCatalogue(db);
  const config = loadConfig(
    {
      OPENNRM_ARGON2_MEMORY_KIB: '8192',
      OPENNRM_ARGON2_ITERATIONS: '1',
      OPENNRM_LOG_LEVEL: 'silent',
      OPENNRM_LOGIN_RATE_PER_MINUTE: '1000',
      ...env,
    },
    'test',
  );
  const deps: AppDeps = { config, db, keys: opts.keys ?? { master: randomBytes(32), index: randomBytes(32) } };
  await seedDemo(db, TEST_PASSWORD, { memoryCost: 8192, timeCost: 1 });
  const app = await buildApp(deps, { logger: false });

  /** An HTTP client with its own cookie jar that sends the CSRF token like the web app does. */
  const client = () => {
    const jar = new Map<string, string>();
    let csrf = '';
    const remember = (res: LightMyRequestResponse) => {
      for (const c of res.cookies) {
        if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) jar.delete(c.name);
        else jar.set(c.name, c.value);
      }
    };
    const request = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { 'x-csrf-token': csrf, ...headers },
        cookies: Object.fromEntries(jar),
        ...(body === undefined ? {} : { payload: body as object }),
      });
      remember(res);
      return res;
    };
    const api = {
      jar,
      request,
      get: (url: string, headers?: Record<string, string>) => request('GET', url, undefined, headers),
      post: (url: string, body: unknown = {}, headers?: Record<string, string>) => request('POST', url, body, headers),
      put: (url: string, body: unknown = {}, headers?: Record<string, string>) => request('PUT', url, body, headers),
      patch: (url: string, body: unknown = {}, headers?: Record<string, string>) =>
        request('PATCH', url, body, headers),
      delete: (url: string, headers?: Record<string, string>) => request('DELETE', url, undefined, headers),
      /** Refreshes the CSRF token from the session endpoint. */
      refresh: async () => {
        const res = await request('GET', '/api/auth/session');
        csrf = res.json().csrfToken;
        return res.json();
      },
      login: async (login: string, password = TEST_PASSWORD, totp?: string) => {
        await api.refresh();
        const res = await request('POST', '/api/auth/login', { login, password, ...(totp ? { totp } : {}) });
        if (res.statusCode === 200) await api.refresh();
        return res;
      },
    };
    return api;
  };

  /** A client already signed in as the given user (fails loudly otherwise). */
  const as = async (username: string) => {
    const c = client();
    const res = await c.login(username);
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.body}`);
    return c;
  };

  const idOf = async (table: 'users' | 'agencies', where: string, value: string) => {
    const [row] = await db.query<{ id: string }>(`select id from ${table} where ${where} = $1`, [value]);
    if (!row) throw new Error(`no ${table} row with ${where} = ${value}`);
    return row.id;
  };

  return {
    app,
    db,
    deps,
    client,
    as,
    userId: (username: string) => idOf('users', 'username', username),
    actor: (username: string) => loadActor(db, username),
    agencyId: (name: string) => idOf('agencies', 'name', name),
    close: async () => {
      await app.close();
      await drop();
    },
  };
}
