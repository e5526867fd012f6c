import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDb } from './client.ts';

/**
 * Backup and restore of the whole database (docs/decisions/0004-backup-and-restore.md).
 * PGlite: the data directory as a gzipped tarball (`dumpDataDir`), restored with `loadDataDir`.
 * PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`. Either way the backup holds
 * what the database holds — ciphertexts and keyed blind indexes, never a plaintext identifier —
 * and never the keys, which are backed up separately.
 */
export type BackupTarget = { kind: 'pglite'; dataDir: string } | { kind: 'pg'; url: string };

export class BackupError extends Error {}

const GZIP = [0x1f, 0x8b];
const PGDMP = Buffer.from('PGDMP');

/** What a backup file holds, from its first bytes. */
export function backupKind(file: string): 'pglite' | 'pg' {
  const head = readFileSync(file).subarray(0, 5);
  if (head.subarray(0, 5).equals(PGDMP)) return 'pg';
  if (head[0] === GZIP[0] && head[1] === GZIP[1]) return 'pglite';
  throw new BackupError(`${file} is not an OpenNRM backup (neither a PGlite tarball nor a pg_dump archive)`);
}

function run(cmd: string, args: string[]): void {
  const res = spawnSync(cmd, args, { encoding: 'utf8' });
  if (res.error) throw new BackupError(`${cmd} could not run (${res.error.message}); install postgresql-client`);
  if (res.status !== 0) throw new BackupError(`${cmd} failed: ${res.stderr.trim().split('\n').slice(-3).join(' ')}`);
}

/** Writes a backup of the target database to `file` (created with mode 0600). Returns its size in bytes. */
export async function backupDatabase(target: BackupTarget, file: string): Promise<number> {
  if (target.kind === 'pg') {
    run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${target.url}`]);
  } else {
    if (!existsSync(target.dataDir) || readdirSync(target.dataDir).length === 0)
      throw new BackupError(`there is no database in ${target.dataDir}`);
    const db = await openDb({ dataDir: target.dataDir });
    try {
      if (!db.dumpDataDir) throw new BackupError('this database cannot be dumped');
      writeFileSync(file, await dumpGzip(db), { mode: 0o600 });
    } finally {
      await db.close();
    }
  }
  return readFileSync(file).length;
}

async function dumpGzip(db: { dumpDataDir?: () => Promise<Buffer> }): Promise<Buffer> {
  // Db.dumpDataDir gives an uncompressed tar; compress it here so that both formats are compact.
  const { gzipSync } = await import('node:zlib');
  return gzipSync(await db.dumpDataDir!());
}

/** Counts the tables, views and sequences outside the system schemas: zero means empty. */
async function pgRelations(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
         and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
         and n.nspname not like 'pg_temp%'`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    await c.end();
  }
}

/**
 * Restores `file` into the target, which must be empty: a PGlite data folder that does not exist
 * or is empty, or a PostgreSQL database without tables. Anything else is refused, untouched.
 */
export async function restoreDatabase(target: BackupTarget, file: string, log: (msg: string) => void = () => {}) {
  const kind = backupKind(file);
  if (kind !== target.kind)
    throw new BackupError(
      `${file} is a ${kind === 'pg' ? 'PostgreSQL (pg_dump)' : 'PGlite'} backup, but the configured database is ${target.kind === 'pg' ? 'a PostgreSQL server (DATABASE_URL)' : 'embedded PGlite'}`,
    );
  if (target.kind === 'pglite') {
    if (existsSync(target.dataDir) && readdirSync(target.dataDir).length > 0)
      throw new BackupError(
        `refusing to restore: the database folder ${target.dataDir} is not empty. Restore only goes into an empty database: point OPENNRM_DATA_DIR at a new folder (or move this one away).`,
      );
    mkdirSync(target.dataDir, { recursive: true });
    const { gunzipSync } = await import('node:zlib');
    const tar = gunzipSync(readFileSync(file));
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const instance = await PGlite.create(target.dataDir, {
      loadDataDir: new Blob([new Uint8Array(tar)]),
      extensions: { pg_trgm },
    });
    await instance.close();
    return;
  }
  const existing = await pgRelations(target.url);
  if (existing > 0)
    throw new BackupError(
      `refusing to restore: the database in DATABASE_URL is not empty (${existing} tables, views or sequences). Restore only goes into an empty database: create one (createdb) and point DATABASE_URL at it.`,
    );
  run('pg_restore', [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${target.url}`,
    file,
  ]);
  await advanceXidPastAudit(target.url, log);
}

/** Upper bound of transaction ids we burn to move a fresh server past the restored audit chain. */
const MAX_XID_ADVANCE = 200_000_000n;

/**
 * The audit chain seals blocks by ranges of transaction ids (decision 0002). Transaction ids belong
 * to the PostgreSQL server, not the database: restored into a younger server, new transactions would
 * get ids inside ranges already sealed and could never be sealed. So, after a restore, the server's
 * counter is moved past the highest restored id (a loop of empty transactions; ~250 000 a second).
 */
async function advanceXidPastAudit(url: string, log: (msg: string) => void): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ high: string; now: string }>(
      `select greatest(coalesce((select max(xid_to)::text::bigint from audit_blocks), 0),
                       coalesce((select max(tx)::text::bigint from audit_events), 0) + 1)::text as high,
              pg_current_xact_id()::text as now`,
    );
    const high = BigInt(rows[0]!.high);
    const now = BigInt(rows[0]!.now);
    if (now > high) return;
    const gap = high - now + 1n;
    if (gap > MAX_XID_ADVANCE)
      throw new BackupError(
        `restored, but this PostgreSQL server's transaction counter (${now}) is ${gap} behind the restored audit chain (${high}); move it forward with pg_resetwal --next-transaction-id (server stopped) before starting OpenNRM`,
      );
    log(`advancing the server's transaction counter by ${gap} past the restored audit chain`);
    await c.query(`do $$ begin for i in 1..${gap} loop perform pg_current_xact_id(); commit; end loop; end $$`);
  } finally {
    await c.end();
  }
}
