import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './env.ts';

const KEY_A = Buffer.alloc(32, 1).toString('base64');
const KEY_B = Buffer.alloc(32, 2).toString('base64');

function problems(env: Record<string, string>, mode: Parameters<typeof loadConfig>[1]): string[] {
  try {
    loadConfig(env, mode);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('loadConfig', () => {
  it('refuses production without the master and index keys, naming both', () => {
    const p = problems({}, 'production');
    expect(p.some((m) => m.startsWith('OPENNRM_MASTER_KEY:'))).toBe(true);
    expect(p.some((m) => m.startsWith('OPENNRM_INDEX_KEY:'))).toBe(true);
    expect(() => loadConfig({}, 'production')).toThrow(/OPENNRM_MASTER_KEY[\s\S]*OPENNRM_INDEX_KEY/);
  });

  it('refuses production with equal or malformed keys', () => {
    expect(problems({ OPENNRM_MASTER_KEY: KEY_A, OPENNRM_INDEX_KEY: KEY_A }, 'production')).toEqual([
      'OPENNRM_INDEX_KEY: must differ from OPENNRM_MASTER_KEY',
    ]);
    const p = problems({ OPENNRM_MASTER_KEY: 'too-short', OPENNRM_INDEX_KEY: KEY_B }, 'production');
    expect(p.some((m) => m.startsWith('OPENNRM_MASTER_KEY:'))).toBe(true);
  });

  it('starts production with both keys and secure cookies by default', () => {
    const c = loadConfig({ OPENNRM_MASTER_KEY: KEY_A, OPENNRM_INDEX_KEY: KEY_B }, 'production');
    expect(c.secureCookies).toBe(true);
    expect(c.masterKey).toBe(KEY_A);
  });

  it('needs no keys in demo mode and keeps cookies usable over plain http', () => {
    const c = loadConfig({}, 'demo');
    expect(c.masterKey).toBeUndefined();
    expect(c.secureCookies).toBe(false);
    expect(c.port).toBe(3000);
    expect(c.timeZone).toBe('Asia/Almaty');
  });

  it('names a bad port, an unknown time zone and every other bad value at once', () => {
    const p = problems(
      {
        PORT: '70000',
        OPENNRM_TIME_ZONE: 'Mars/Olympus_Mons',
        OPENNRM_LOCKOUT_THRESHOLD: '1',
        DATABASE_URL: 'mysql://x',
      },
      'demo',
    );
    expect(p).toHaveLength(4);
    expect(p.find((m) => m.startsWith('PORT:'))).toBeDefined();
    expect(p.find((m) => m.startsWith('OPENNRM_TIME_ZONE:'))).toContain('Mars/Olympus_Mons');
    expect(p.find((m) => m.startsWith('OPENNRM_LOCKOUT_THRESHOLD:'))).toBeDefined();
    expect(p.find((m) => m.startsWith('DATABASE_URL:'))).toBeDefined();
    expect(problems({ PORT: 'http' }, 'demo')[0]).toMatch(/^PORT:/);
  });

  it('treats an empty variable as unset', () => {
    const c = loadConfig({ PORT: '', OPENNRM_TIME_ZONE: '', OPENNRM_SECURE_COOKIES: '', DATABASE_URL: '' }, 'demo');
    expect(c.port).toBe(3000);
    expect(c.timeZone).toBe('Asia/Almaty');
    expect(c.databaseUrl).toBeUndefined();
  });

  it('parses booleans strictly', () => {
    expect(loadConfig({ OPENNRM_SECURE_COOKIES: 'yes' }, 'demo').secureCookies).toBe(true);
    const keys = { OPENNRM_MASTER_KEY: KEY_A, OPENNRM_INDEX_KEY: KEY_B };
    expect(loadConfig({ ...keys, OPENNRM_SECURE_COOKIES: 'false' }, 'production').secureCookies).toBe(false);
    expect(problems({ OPENNRM_TRUST_PROXY: 'maybe' }, 'demo')[0]).toMatch(/^OPENNRM_TRUST_PROXY:/);
  });
});

describe('README', () => {
  it('lists every configuration variable with its default', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const table = readme
      .slice(readme.indexOf('-->', readme.indexOf('<!-- config:start')) + 3, readme.indexOf('<!-- config:end -->'))
      .trim();
    expect(table).toBe(describeConfig());
  });
});
