import { randomUUID } from 'node:crypto';
import { ERROR_STATUS } from '@opennrm/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../app.ts';
import { sealAudit, verifyAudit } from '../audit/sealer.ts';
import { intake } from '../test/factories.ts';
import { createTestApp, type TestApp } from '../test/harness.ts';
import { auditMark, auditPrefixHash, businessTables, tableChecksums } from './db-checksum.ts';

/**
 * Hostile input against every route of the route table, as a system administrator and as a case
 * worker: values within and far outside each schema, huge and deeply nested bodies, invalid
 * unicode, SQL/script payloads, path traversal, prototype-pollution keys. Never a 5xx; every error
 * is a catalogued code with its status and a message; a refused request changes no business table
 * and only appends to the audit trail.
 */

let t: TestApp;
type Client = Awaited<ReturnType<TestApp['as']>>;
const who: { name: string; username: string; client: Client }[] = [];
let tables: string[] = [];
let baseline: Record<string, string> = {};
let caseId = '';
let userId = '';
let agencyId = '';
let secrets: string[] = [];
let requests = 0;
const statuses = new Map<number, number>();
const failures: string[] = [];

const routes = () =>
  t.app.routeTable.filter((r) => !r.url.startsWith('/api/docs') && !r.url.startsWith('/api/openapi'));

const HOSTILE_STRINGS = [
  '../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  "' OR '1'='1' --",
  "'; drop table cases; --",
  '1; select pg_sleep(5)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '$' + '{7*7}{{7*7}}', // template injection (split so that no linter mistakes it for a template string)
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\u202e\ufeff',
  '__proto__',
  'constructor',
  '😀'.repeat(500),
  'a'.repeat(70_000),
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'version', 'id', 'person', 'case', 'names', 'password', 'q'),
  fc.string({ maxLength: 12 }),
);
const { value: hostileValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 1, Number.MAX_VALUE, 1e308),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
}));

/** Sets a value at a random path of a valid body: just outside the schema. */
function mutate(base: unknown, path: number[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const step of path) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const k = keys[step % keys.length]!;
    const next = node[k];
    if (next && typeof next === 'object' && path.indexOf(step) < path.length - 1) {
      node = next as Record<string, unknown>;
      continue;
    }
    node[k] = value;
    return copy;
  }
  return copy;
}

const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return s.replace(/[\ud800-\udfff]/g, '%ED%A0%80'); // a lone surrogate, as raw invalid UTF-8
  }
};

interface Hostile {
  params: (string | null)[];
  rawParams: boolean;
  query: string;
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string | Buffer; type?: string } | { kind: 'none' };
}

function paramValue(r: RouteEntry, name: string): string {
  if (name === 'id' && r.url.startsWith('/api/cases/')) return caseId;
  if (name === 'id' && r.url.startsWith('/api/users/')) return userId;
  if (name === 'id' && r.url.startsWith('/api/agencies/')) return agencyId;
  if (name === 'kind') return 'intake';
  return randomUUID();
}

function buildUrl(r: RouteEntry, h: Hostile): string {
  let i = 0;
  let url = r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = h.params[i++] ?? null;
    if (v === null) return paramValue(r, name);
    return h.rawParams ? v.replace(/[?#\s\\]/g, '') : enc(v);
  });
  if (url.endsWith('*'))
    url = `${url.slice(0, -1)}${h.rawParams ? (h.params[0] ?? 'x').replace(/[?#\s\\]/g, '') : enc(h.params[0] ?? 'x')}`;
  return h.query ? `${url}?${h.query}` : url;
}

async function send(c: Client, r: RouteEntry, h: Hostile) {
  const url = buildUrl(r, h);
  const headers: Record<string, string> = {};
  let payload: string | Buffer | object | undefined;
  if (h.body.kind === 'json') payload = JSON.stringify(h.body.value) ?? 'null';
  if (h.body.kind === 'raw') payload = h.body.text;
  if (payload !== undefined)
    headers['content-type'] = h.body.kind === 'raw' ? (h.body.type ?? 'application/json') : 'application/json';
  if (r.method === 'GET' || r.method === 'HEAD') payload = undefined;
  return c.request(r.method, url, payload, headers);
}

async function check(c: { name: string; username: string; client: Client }, r: RouteEntry, h: Hostile) {
  let res: Awaited<ReturnType<typeof send>>;
  try {
    res = await send(c.client, r, h);
  } catch (err) {
    // A URL that the HTTP client itself cannot build never reaches the server.
    if ((err as { code?: string }).code === 'ERR_INVALID_URL') return;
    throw err;
  }
  requests += 1;
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  const where = `${c.name} ${r.method} ${r.url} → ${buildUrl(r, h).slice(0, 120)} body=${JSON.stringify(h.body).slice(0, 160)}`;
  if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode}`);
  if (res.statusCode >= 400 && r.method !== 'HEAD') {
    let err: { code?: string; message?: string } | undefined;
    try {
      err = res.json().error;
    } catch {
      err = undefined;
    }
    const code = err?.code as keyof typeof ERROR_STATUS | undefined;
    if (!code || !(code in ERROR_STATUS))
      failures.push(`${where}: ${res.statusCode} without a catalogued error code: ${res.body.slice(0, 200)}`);
    else if (ERROR_STATUS[code] !== res.statusCode)
      failures.push(`${where}: code ${code} has status ${ERROR_STATUS[code]}, answered ${res.statusCode}`);
    if (!(typeof err?.message === 'string' && err.message.length > 0))
      failures.push(`${where}: error without a message`);
  }
  if (res.body.includes('root:x:0:0')) failures.push(`${where}: served /etc/passwd`);
  if (({} as Record<string, unknown>).polluted !== undefined || ({} as Record<string, unknown>).isAdmin !== undefined)
    failures.push(`${where}: Object.prototype polluted`);
  const leaked = secrets.filter((s) => res.body.includes(s));
  if (res.statusCode >= 400 && leaked.length) failures.push(`${where}: error body names ${leaked.join(', ')}`);
  if (res.statusCode >= 400) {
    const now = await tableChecksums(t.db, tables);
    const changed = tables.filter((tb) => now[tb] !== baseline[tb]);
    if (changed.length) failures.push(`${where}: refused with ${res.statusCode} but changed ${changed.join(', ')}`);
    baseline = now;
  } else {
    baseline = await tableChecksums(t.db, tables);
  }
  // Signing out (or anything else that ends the session) must not stop the run.
  if ((await c.client.get('/api/auth/session')).json().user == null) {
    c.client = await t.as(c.username);
    baseline = await tableChecksums(t.db, tables); // signing in again updates the user row
  }
}

const hostileRequest: fc.Arbitrary<Hostile> = fc.record({
  params: fc.array(fc.option(hostileString, { nil: null, freq: 3 }), { minLength: 2, maxLength: 2 }),
  rawParams: fc.boolean(),
  query: fc.oneof(
    fc.constant(''),
    fc.constantFrom('__proto__[polluted]=1', 'constructor[prototype][polluted]=1', 'limit=-1&limit=1e999', 'q=%00%ff'),
    fc.dictionary(hostileKey, hostileString, { maxKeys: 3 }).map((d) =>
      Object.entries(d)
        .map(([k, v]) => `${enc(k)}=${enc(v)}`)
        .join('&'),
    ),
  ),
  body: fc.oneof(
    hostileValue.map((value) => ({ kind: 'json' as const, value })),
    fc
      .tuple(fc.array(fc.nat(50), { minLength: 1, maxLength: 4 }), hostileValue)
      .map(([path, v]) => ({ kind: 'json' as const, value: mutate(intake(), path, v) })),
    fc.constantFrom<Hostile['body']>(
      { kind: 'none' },
      { kind: 'raw', text: '{"__proto__":{"isAdmin":true,"polluted":1},"version":1}' },
      { kind: 'raw', text: '{"constructor":{"prototype":{"polluted":1}},"version":1}' },
      { kind: 'raw', text: '{"a":"\\ud800","b":"\\udfff"}' },
      { kind: 'raw', text: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]) },
      { kind: 'raw', text: '{"a":' },
      { kind: 'raw', text: 'null' },
      { kind: 'raw', text: '<xml/>', type: 'application/xml' },
      { kind: 'raw', text: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
      { kind: 'raw', text: '{"a":1}', type: 'application/json; charset=utf-16' },
    ),
  ),
});

beforeAll(async () => {
  t = await createTestApp();
  who.push({ name: 'system admin', username: 'admin', client: await t.as('admin') });
  who.push({ name: 'case worker', username: 'police.investigator', client: await t.as('police.investigator') });
  const body = intake();
  const res = await who[1]!.client.post('/api/cases', body);
  caseId = res.json().id;
  secrets = [body.person.names[0]!.given!, body.person.documents[0]!.number, body.case.narrative!];
  // Records that hostile writes may target, away from the callers' own user and agency.
  userId = await t.userId('shelter.worker');
  agencyId = await t.agencyId('Safe Home Crisis Centre (NGO shelter)');
  tables = await businessTables(t.db);
  baseline = await tableChecksums(t.db, tables);
});
afterAll(async () => t?.close());

describe('hostile input on every route', () => {
  it('survives the fixed worst cases: huge, deep, invalid unicode, traversal, pollution', async () => {
    const mark = await auditMark(t.db);
    const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const huge = JSON.stringify({ version: 1, q: 'x'.repeat(1_100_000) });
    const manySmall = JSON.stringify(Array.from({ length: 200_000 }, (_, i) => `v${i}`));
    const fixed: Hostile['body'][] = [
      { kind: 'raw', text: deepArray },
      { kind: 'raw', text: deepObject },
      { kind: 'raw', text: huge },
      { kind: 'raw', text: manySmall },
      { kind: 'raw', text: '{"__proto__":{"isAdmin":true,"polluted":1},"version":1}' },
      { kind: 'raw', text: '{"a":"\\ud800"}' },
      { kind: 'json', value: { q: "' OR 1=1; drop table cases; --", version: 1 } },
    ];
    for (const r of routes()) {
      for (const c of who) {
        for (const body of fixed) await check(c, r, { params: [null, null], rawParams: false, query: '', body });
        for (const p of ['../../etc/passwd', '..%2f..%2fetc%2fpasswd', '\ud800', "1' or '1'='1", '<script>'])
          await check(c, r, { params: [p, p], rawParams: true, query: '', body: { kind: 'json', value: {} } });
      }
    }
    // Bodies above the 1 MiB limit answer 413 everywhere a body is read.
    const big = await who[1]!.client.request('POST', '/api/cases', huge, { 'content-type': 'application/json' });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const bigMany = await who[1]!.client.request('POST', '/api/cases/search', manySmall, {
      'content-type': 'application/json',
    });
    expect(bigMany.statusCode).toBe(413);
    const after = await auditMark(t.db);
    expect(BigInt(after.maxId)).toBeGreaterThanOrEqual(BigInt(mark.maxId));
    expect(await auditPrefixHash(t.db, mark.maxId)).toBe(mark.prefixHash);
    expect(failures).toEqual([]);
  });

  it('survives property-based requests within and far outside each schema', async () => {
    const mark = await auditMark(t.db);
    const list = routes();
    await fc.assert(
      fc.asyncProperty(fc.nat(list.length - 1), fc.nat(who.length - 1), hostileRequest, async (ri, wi, h) => {
        const before = failures.length;
        await check(who[wi]!, list[ri]!, h);
        if (failures.length !== before) console.error(failures.slice(before));
        return failures.length === before;
      }),
      {
        numRuns: Number(process.env.HOSTILE_RUNS ?? 1500),
        seed: Number(process.env.HOSTILE_SEED ?? Date.now() % 1e9),
        endOnFailure: true,
      },
    );
    expect(await auditPrefixHash(t.db, mark.maxId)).toBe(mark.prefixHash);
    await sealAudit(t.db);
    expect((await verifyAudit(t.db)).ok).toBe(true);
    console.log(`hostile input: ${requests} requests`, Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])));
    expect(failures).toEqual([]);
  });
});
