import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Something that runs SQL: the database itself or a transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * The one database interface the server uses. Both back ends are real PostgreSQL (PGlite is
 * PostgreSQL compiled to WASM), so the same SQL runs on both; this layer only hides how
 * connections and transactions are obtained.
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Runs fn in one transaction: everything it writes commits together or not at all. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one connection without a transaction: each statement commits on its own. For
   * read-only work whose only write is one final statement (a read's audit entry), it saves the
   * BEGIN and COMMIT round trips of `tx`.
   */
  session<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** PGlite only: the raw data directory as a tarball (backups, and tests that look for plaintext). */
  dumpDataDir?(): Promise<Buffer>;
  close(): Promise<void>;
}

// pg: return timestamps as ISO strings and int8 as strings, like PGlite's text parsing of the same types.
const types = pg.types;
types.setTypeParser(1114, (v: string) => v); // timestamp
types.setTypeParser(1184, (v: string) => new Date(v).toISOString()); // timestamptz
types.setTypeParser(1082, (v: string) => v); // date

/**
 * Statements with parameters are sent as named prepared statements (one name per distinct text,
 * prepared once per connection), so PostgreSQL parses and plans the hot statements once instead of
 * on every request. The number of names is bounded; past it, statements go unnamed as before.
 */
const MAX_PREPARED = 2000;
const preparedNames = new Map<string, string>();
function statement(sql: string, params: unknown[]): pg.QueryConfig {
  if (!params.length) return { text: sql };
  let name = preparedNames.get(sql);
  if (!name && preparedNames.size < MAX_PREPARED) {
    name = `s${preparedNames.size}`;
    preparedNames.set(sql, name);
  }
  return name ? { name, text: sql, values: params } : { text: sql, values: params };
}

class PgDb implements Db {
  readonly kind = 'pg' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const res = await this.pool.query(statement(sql, params));
    return res.rows as T[];
  }

  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const q: Queryable = {
        query: async <R>(sql: string, params: unknown[] = []) =>
          (await client.query(statement(sql, params))).rows as R[],
      };
      const result = await fn(q);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async session<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn({
        query: async <R>(sql: string, params: unknown[] = []) =>
          (await client.query(statement(sql, params))).rows as R[],
      });
    } finally {
      client.release();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const isoTimestamptz = (v: string) => new Date(v).toISOString();

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(private readonly pg: PGlite) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const res = await this.pg.query<T>(sql, params as unknown[]);
    return res.rows;
  }

  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx) => {
      const q: Queryable = {
        query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params as unknown[])).rows,
      };
      return fn(q);
    });
  }

  async session<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async exec(sql: string): Promise<void> {
    await this.pg.exec(sql);
  }

  async dumpDataDir(): Promise<Buffer> {
    const blob = await this.pg.dumpDataDir('none');
    return Buffer.from(await blob.arrayBuffer());
  }

  async close(): Promise<void> {
    await this.pg.close();
  }
}

/** Parsers that make PGlite return the same JS shapes as our pg configuration. */
const PGLITE_PARSERS = {
  1114: (v: string) => v,
  1184: isoTimestamptz,
  1082: (v: string) => v,
  20: (v: string) => v,
};

/**
 * Opens the configured database: a PostgreSQL server when `url` is given, else embedded PGlite in
 * `dataDir` (or in memory when dataDir is 'memory://'). `schema` (PostgreSQL only) isolates test runs.
 */
export async function openDb(opts: {
  url?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  schema?: string;
}): Promise<Db> {
  if (opts.url) {
    // Timestamps travel in UTC; a schema (tests) gets its own search path so files can run side by side.
    const searchPath = opts.schema ? ` -c search_path=${opts.schema},public` : '';
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      // JIT compilation costs tens of milliseconds and pays off only for long analytical queries.
      options: `-c TimeZone=UTC -c jit=off${searchPath}`,
    });
    pool.on('error', () => undefined);
    await pool.query('select 1');
    return new PgDb(pool);
  }
  const dir = opts.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const instance = await PGlite.create(dir.startsWith('memory://') ? undefined : dir, {
    extensions: { pg_trgm },
    parsers: PGLITE_PARSERS,
  });
  return new PgliteDb(instance);
}
