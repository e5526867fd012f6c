import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Every configuration variable, its default and its meaning. The README's configuration table is
 * generated from the same list (see `describeConfig`). Parsed once at boot; a bad value stops the start
 * with a message naming the variable.
 */
export const CONFIG_VARS = {
  PORT: { schema: z.coerce.number().int().min(1).max(65535), default: '3000', doc: 'HTTP port' },
  HOST: { schema: z.string().min(1), default: '127.0.0.1', doc: 'Interface to listen on (0.0.0.0 behind a proxy)' },
  DATABASE_URL: {
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    default: undefined,
    doc: 'PostgreSQL server URL; when unset the embedded PGlite database is used',
  },
  OPENNRM_DB_POOL_SIZE: {
    schema: z.coerce.number().int().min(1).max(500),
    default: '20',
    doc: 'Connections to the PostgreSQL server per instance (commits of concurrent requests share disk flushes)',
  },
  OPENNRM_DATA_DIR: {
    schema: z.string().min(1),
    default: './data',
    doc: 'Folder for the embedded database and demo secrets',
  },
  OPENNRM_MASTER_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64')
      .optional(),
    default: undefined,
    doc: 'Master key (32 bytes, base64) that wraps per-person data keys and second-factor secrets; required in production',
  },
  OPENNRM_INDEX_KEY: {
    schema: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes in base64')
      .optional(),
    default: undefined,
    doc: 'Key (32 bytes, base64) of the blind search indexes; required in production',
  },
  OPENNRM_DEMO_PASSWORD: {
    schema: z.string().min(12, 'must have at least 12 characters').optional(),
    default: undefined,
    doc: 'Password of the demo users (demo mode only); generated and printed once when unset',
  },
  OPENNRM_COUNTRY: {
    schema: z.string().regex(/^[A-Z]{2}$/),
    default: 'KZ',
    doc: 'Deployment country (ISO 3166-1 alpha-2); prefixes case numbers',
  },
  OPENNRM_TIME_ZONE: {
    schema: z.string().min(1),
    default: 'Asia/Almaty',
    doc: 'Time zone for calendar and working-day deadlines (Kazakhstan: UTC+5)',
  },
  OPENNRM_SESSION_IDLE_MINUTES: {
    schema: z.coerce.number().int().min(1).max(1440),
    default: '30',
    doc: 'Sign out after this many minutes without activity',
  },
  OPENNRM_SESSION_MAX_HOURS: {
    schema: z.coerce.number().int().min(1).max(168),
    default: '12',
    doc: 'Absolute session lifetime in hours',
  },
  OPENNRM_LOCKOUT_THRESHOLD: {
    schema: z.coerce.number().int().min(3).max(100),
    default: '5',
    doc: 'Failed sign-ins in a row that lock an account',
  },
  OPENNRM_LOCKOUT_MINUTES: {
    schema: z.coerce.number().int().min(1).max(1440),
    default: '15',
    doc: 'How long a locked account stays locked',
  },
  OPENNRM_LOGIN_RATE_PER_MINUTE: {
    schema: z.coerce.number().int().min(1).max(10000),
    default: '20',
    doc: 'Sign-in attempts allowed per IP address per minute',
  },
  OPENNRM_SECURE_COOKIES: {
    schema: bool.optional(),
    default: undefined,
    doc: 'Mark cookies Secure (default: on in production, off in demo)',
  },
  OPENNRM_TRUST_PROXY: { schema: bool, default: 'false', doc: 'Trust X-Forwarded-* headers from a reverse proxy' },
  OPENNRM_METRICS_TOKEN: {
    schema: z.string().min(16).optional(),
    default: undefined,
    doc: 'Bearer token that may read /metrics without signing in (otherwise only users with metrics.read)',
  },
  OPENNRM_LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    doc: 'Log level (JSON logs on stdout, personal fields redacted)',
  },
  OPENNRM_ARGON2_MEMORY_KIB: {
    schema: z.coerce.number().int().min(8192).max(1048576),
    default: '19456',
    doc: 'argon2id memory cost in KiB (OWASP minimum 19 MiB)',
  },
  OPENNRM_ARGON2_ITERATIONS: {
    schema: z.coerce.number().int().min(1).max(20),
    default: '2',
    doc: 'argon2id time cost',
  },
  SMTP_URL: {
    schema: z
      .string()
      .regex(/^smtps?:\/\//)
      .optional(),
    default: undefined,
    doc: 'SMTP server for e-mail notifications (e.g. smtp://user:pass@host:587); e-mail is off when unset',
  },
  SMTP_FROM: {
    schema: z.string().min(3),
    default: 'OpenNRM <no-reply@localhost>',
    doc: 'Sender address of e-mail notifications',
  },
} as const;

type Vars = typeof CONFIG_VARS;

export interface Config {
  mode: 'demo' | 'production' | 'test' | 'cli';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  dataDir: string;
  masterKey: string | undefined;
  indexKey: string | undefined;
  demoPassword: string | undefined;
  country: string;
  timeZone: string;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  loginRatePerMinute: number;
  secureCookies: boolean;
  trustProxy: boolean;
  metricsToken: string | undefined;
  logLevel: string;
  argon2MemoryKib: number;
  argon2Iterations: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment into a Config, collecting every problem before failing. */
export function loadConfig(env: NodeJS.ProcessEnv, mode: Config['mode']): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_VARS) as [keyof Vars, Vars[keyof Vars]][]) {
    // An empty variable (`PORT=` in a .env file) counts as unset: it takes the default.
    const raw = env[name] === undefined || env[name] === '' ? spec.default : env[name];
    const parsed = (spec.schema as z.ZodType).safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (mode === 'production') {
    if (!values.OPENNRM_MASTER_KEY)
      problems.push('OPENNRM_MASTER_KEY: required in production (32 random bytes, base64: `openssl rand -base64 32`)');
    if (!values.OPENNRM_INDEX_KEY)
      problems.push(
        'OPENNRM_INDEX_KEY: required in production (32 random bytes, base64, different from the master key)',
      );
    if (values.OPENNRM_MASTER_KEY && values.OPENNRM_MASTER_KEY === values.OPENNRM_INDEX_KEY)
      problems.push('OPENNRM_INDEX_KEY: must differ from OPENNRM_MASTER_KEY');
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: String(values.OPENNRM_TIME_ZONE) });
  } catch {
    problems.push(`OPENNRM_TIME_ZONE: unknown time zone "${String(values.OPENNRM_TIME_ZONE)}"`);
  }
  if (problems.length) throw new ConfigError(problems);
  const v = values as { [K in keyof Vars]: z.output<Vars[K]['schema']> };
  return {
    mode,
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    dbPoolSize: v.OPENNRM_DB_POOL_SIZE,
    dataDir: v.OPENNRM_DATA_DIR,
    masterKey: v.OPENNRM_MASTER_KEY,
    indexKey: v.OPENNRM_INDEX_KEY,
    demoPassword: v.OPENNRM_DEMO_PASSWORD,
    country: v.OPENNRM_COUNTRY,
    timeZone: v.OPENNRM_TIME_ZONE,
    sessionIdleMinutes: v.OPENNRM_SESSION_IDLE_MINUTES,
    sessionMaxHours: v.OPENNRM_SESSION_MAX_HOURS,
    lockoutThreshold: v.OPENNRM_LOCKOUT_THRESHOLD,
    lockoutMinutes: v.OPENNRM_LOCKOUT_MINUTES,
    loginRatePerMinute: v.OPENNRM_LOGIN_RATE_PER_MINUTE,
    secureCookies: v.OPENNRM_SECURE_COOKIES ?? mode === 'production',
    trustProxy: v.OPENNRM_TRUST_PROXY,
    metricsToken: v.OPENNRM_METRICS_TOKEN,
    logLevel: v.OPENNRM_LOG_LEVEL,
    argon2MemoryKib: v.OPENNRM_ARGON2_MEMORY_KIB,
    argon2Iterations: v.OPENNRM_ARGON2_ITERATIONS,
    smtpUrl: v.SMTP_URL,
    smtpFrom: v.SMTP_FROM,
  };
}

/** Markdown table of every variable with its default, for the README. */
export function describeConfig(): string {
  const rows = Object.entries(CONFIG_VARS).map(
    ([name, s]) => `| \`${name}\` | ${s.default === undefined ? '—' : `\`${s.default}\``} | ${s.doc} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
