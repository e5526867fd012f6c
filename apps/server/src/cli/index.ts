import { createInterface } from 'node:readline';
import { PASSWORD_MIN_LENGTH } from '@opennrm/domain';
import { appendAudit } from '../audit/audit.service.ts';
import { sealAudit, verifyAudit } from '../audit/sealer.ts';
import { hashPassword } from '../crypto/password.ts';
import { join } from 'node:path';
import { BackupError, type BackupTarget, backupDatabase, restoreDatabase } from '../db/backup.ts';
import { migrate } from '../db/migrate.ts';
import { ConfigError, describeConfig, loadConfig } from '../env.ts';
import { openConfiguredDb } from '../server.ts';

const USAGE = `usage: npm run cli -- <command>
  migrate                       apply database migrations
  create-admin <username> [--email E] [--agency "Name"]
                                create the first system administrator (password from OPENNRM_ADMIN_PASSWORD or asked)
  set-password <username>       set a user's password (from OPENNRM_NEW_PASSWORD or asked); ends their sessions
  seal-audit                    seal finished audit events into the hash chain now
  verify-audit                  verify the audit hash chain; exits 1 and names the first broken link
  backup <file>                 write a backup of the database (PGlite: stop the server first); keys are not in it
  restore <file>                restore a backup into an EMPTY database (refuses any other)
  config                        print the configuration variables and their defaults`;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function askPassword(envName: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) =>
    rl.question('Password: ', (a) => {
      rl.close();
      resolve(a);
    }),
  );
}

async function main(): Promise<number> {
  const [command, positional] = process.argv.slice(2);
  if (command === 'config') {
    console.log(describeConfig());
    return 0;
  }
  if (
    !command ||
    !['migrate', 'create-admin', 'set-password', 'seal-audit', 'verify-audit', 'backup', 'restore'].includes(command)
  ) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(process.env, 'cli');
  if (command === 'backup' || command === 'restore') {
    if (!positional) throw new Error(`${command} needs a file`);
    // Before opening the database: a restore must find it untouched (not even migrated).
    const target: BackupTarget = config.databaseUrl
      ? { kind: 'pg', url: config.databaseUrl }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
    try {
      if (command === 'backup') {
        const bytes = await backupDatabase(target, positional);
        console.log(
          `backup written to ${positional} (${bytes} bytes). It holds no keys: back up OPENNRM_MASTER_KEY and OPENNRM_INDEX_KEY separately.`,
        );
      } else {
        await restoreDatabase(target, positional, (m) => console.log(m));
        console.log(
          `restored ${positional}. Start the server with the same OPENNRM_MASTER_KEY and OPENNRM_INDEX_KEY as the backed-up one.`,
        );
      }
      return 0;
    } catch (err) {
      if (err instanceof BackupError) {
        console.error(err.message);
        return 1;
      }
      throw err;
    }
  }
  const db = await openConfiguredDb(config);
  try {
    await migrate(db);
    const argon = { memoryCost: config.argon2MemoryKib, timeCost: config.argon2Iterations };
    switch (command) {
      case 'migrate':
        console.log('migrations applied');
        return 0;
      case 'create-admin': {
        if (!positional) throw new Error('create-admin needs a username');
        const [existing] = await db.query<{ n: number }>(
          "select count(*)::int as n from users where 'system_admin' = any(roles) and active",
        );
        if ((existing?.n ?? 0) > 0 && !process.argv.includes('--force')) {
          console.error('a system administrator already exists; add --force to create another');
          return 1;
        }
        const password = await askPassword('OPENNRM_ADMIN_PASSWORD');
        if (password.length < PASSWORD_MIN_LENGTH)
          throw new Error(`the password needs at least ${PASSWORD_MIN_LENGTH} characters`);
        const hashed = await hashPassword(password, argon);
        const agencyName = arg('--agency') ?? 'National Coordinator Secretariat';
        await db.tx(async (q) => {
          let [agency] = await q.query<{ id: string }>('select id from agencies where lower(name) = lower($1)', [
            agencyName,
          ]);
          agency ??= (
            await q.query<{ id: string }>(
              "insert into agencies (name, type, region) values ($1, 'national_coordinator', 'astana') returning id",
              [agencyName],
            )
          )[0];
          const [user] = await q.query<{ id: string }>(
            "insert into users (agency_id, username, email, display_name, password_hash, roles, locale) values ($1, $2, $3, $2, $4, '{system_admin}', 'en') returning id",
            [agency!.id, positional.toLowerCase(), arg('--email') ?? null, hashed],
          );
          await appendAudit(q, {
            action: 'user.create',
            targetType: 'user',
            targetId: user!.id,
            details: { via: 'cli', roles: 'system_admin' },
          });
        });
        console.log(`system administrator "${positional}" created`);
        return 0;
      }
      case 'set-password': {
        if (!positional) throw new Error('set-password needs a username');
        const password = await askPassword('OPENNRM_NEW_PASSWORD');
        if (password.length < PASSWORD_MIN_LENGTH)
          throw new Error(`the password needs at least ${PASSWORD_MIN_LENGTH} characters`);
        const hashed = await hashPassword(password, argon);
        const found = await db.tx(async (q) => {
          const [u] = await q.query<{ id: string }>(
            'update users set password_hash = $2, failed_logins = 0, locked_until = null, password_changed_at = now() where lower(username) = lower($1) returning id',
            [positional, hashed],
          );
          if (!u) return false;
          await q.query('delete from sessions where user_id = $1', [u.id]);
          await appendAudit(q, {
            action: 'user.password.reset',
            targetType: 'user',
            targetId: u.id,
            details: { via: 'cli' },
          });
          return true;
        });
        console.log(found ? 'password set' : 'no such user');
        return found ? 0 : 1;
      }
      case 'seal-audit':
        console.log(`sealed ${await sealAudit(db)} events`);
        return 0;
      default: {
        await sealAudit(db);
        const r = await verifyAudit(db);
        if (r.ok) {
          console.log(`audit chain OK: ${r.blocks} blocks, ${r.events} events sealed, ${r.unsealed} not yet sealed`);
          return 0;
        }
        console.error(
          `audit chain BROKEN at ${r.broken?.eventId ? `event ${r.broken.eventId} ` : ''}${r.broken?.blockId ? `block ${r.broken.blockId}` : ''}: ${r.broken?.reason}`,
        );
        return 1;
      }
    }
  } finally {
    await db.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`);
    process.exit(1);
  });
