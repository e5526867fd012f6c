import { randomUUID } from 'node:crypto';
import { permissionsOf, ROLES, type TRole } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../app.ts';
import type { Actor } from '../http/context.ts';
import { type CaseRef, canSeeCase } from '../policies/case.policy.ts';
import { canManageUsersOf, canSeeUser } from '../policies/user.policy.ts';
import { intake } from '../test/factories.ts';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../test/harness.ts';

/**
 * The authorization matrix, generated from the route table: every route × one demo user per role ×
 * every relation of the record the route names. The expectation is computed from ROLE_PERMISSIONS
 * (via the route's declared permission) and the record policies, never written by hand, so a new
 * route is covered the moment it is registered.
 */

/** One demo user per role (seed/demo.ts). */
const MATRIX_USERS: Record<TRole, string> = {
  first_responder: 'police.officer',
  case_worker: 'police.investigator',
  supervisor: 'police.supervisor',
  decision_maker: 'police.decision',
  coordinator: 'coordinator',
  agency_admin: 'police.admin',
  analyst: 'analyst',
  auditor: 'auditor',
  system_admin: 'admin',
};

/**
 * How a record relates to the caller. Adding a relation (e.g. "referred with a scope" once
 * referrals exist) is one more entry here plus its fixture in `caseFixture`; the expectation keeps
 * coming from the policy.
 */
const RELATIONS = ['own-created', 'own-agency', 'other-agency', 'none'] as const;
type Relation = (typeof RELATIONS)[number];

type Expect = 'allow' | 401 | 403 | 404;

interface Matrix {
  username: string;
  role: TRole;
  actor: Actor;
  client: Awaited<ReturnType<TestApp['as']>>;
}

interface CaseFixture {
  id: string;
  ref: CaseRef;
  secrets: string[];
}

let t: TestApp;
const users: Matrix[] = [];
/** Case fixtures by key: `created:<username>`, `agency:<agencyId>`, `other`. */
const cases = new Map<string, CaseFixture>();
/** A plain user (not a matrix user) in each agency, by agency id, and one in the other agency. */
const fixtureUsers = new Map<string, string>();
let otherAgencyId = '';
let catalogueVersion = '';

const letters = (n: number) =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const token = (prefix: string) => `${prefix}${letters(1).toUpperCase()}${letters(9)}`;

async function insertUser(agencyId: string): Promise<string> {
  const [u] = await t.db.query<{ id: string }>(
    "insert into users (agency_id, username, display_name, password_hash, roles, locale) values ($1, $2, 'Fixture User', 'x', '{first_responder}', 'en') returning id",
    [agencyId, `fixture.${letters(10)}`],
  );
  return u!.id;
}

/** Creates a case with unique personal values and moves it to the given holder. */
async function makeCase(creator: Matrix['client'], holder: CaseRef): Promise<CaseFixture> {
  const family = token('Fam');
  const given = token('Giv');
  const doc = `D${Math.floor(Math.random() * 1e12)}`;
  const phone = `+7 777 ${Math.floor(1e6 + Math.random() * 8e6)}`;
  const narrative = `Narrative ${token('Nar')} kept secret`;
  const body = intake({
    person: {
      names: [{ family, given, script: 'latin', kind: 'primary' }],
      documents: [{ type: 'passport', number: doc, issuingCountry: 'KZ' }],
      contacts: [{ type: 'phone', value: phone }],
    },
    case: { narrative },
  });
  const res = await creator.post('/api/cases', body);
  if (res.statusCode !== 201) throw new Error(`fixture case: ${res.body}`);
  const id = res.json().id as string;
  await t.db.query('update cases set agency_id = $2, created_by = $3 where id = $1', [
    id,
    holder.agency_id,
    holder.created_by,
  ]);
  return { id, ref: holder, secrets: [family, given, doc, phone, narrative.split(' ')[1]!] };
}

function caseFor(u: Matrix, rel: Relation): CaseFixture | null {
  if (rel === 'own-created') return cases.get(`created:${u.username}`)!;
  if (rel === 'own-agency') return cases.get(`agency:${u.actor.agencyId}`)!;
  if (rel === 'other-agency') return cases.get('other')!;
  return null;
}

function userFor(u: Matrix, rel: Relation): { id: string; agency_id: string } | null {
  if (rel === 'own-created') return { id: u.actor.userId, agency_id: u.actor.agencyId };
  if (rel === 'own-agency') return { id: fixtureUsers.get(u.actor.agencyId)!, agency_id: u.actor.agencyId };
  if (rel === 'other-agency') return { id: fixtureUsers.get(otherAgencyId)!, agency_id: otherAgencyId };
  return null;
}

function agencyFor(u: Matrix, rel: Relation): string | null {
  if (rel === 'own-created' || rel === 'own-agency') return u.actor.agencyId;
  if (rel === 'other-agency') return otherAgencyId;
  return null;
}

/** Record routes whose expectation comes from a policy; any other `:param` route is exercised with filler values. */
const RESOURCES: {
  prefix: string;
  /** The id to put in the URL for the relation (null: a record that does not exist). */
  id: (u: Matrix, rel: Relation) => string | null;
  visible: (u: Matrix, rel: Relation, method: string) => boolean;
}[] = [
  {
    prefix: '/api/cases/:id',
    id: (u, rel) => caseFor(u, rel)?.id ?? null,
    visible: (u, rel) => {
      const c = caseFor(u, rel);
      return c !== null && canSeeCase(u.actor, c.ref);
    },
  },
  {
    prefix: '/api/users/:id',
    id: (u, rel) => userFor(u, rel)?.id ?? null,
    visible: (u, rel, method) => {
      const target = userFor(u, rel);
      if (!target) return false;
      const read = method === 'GET' || method === 'HEAD';
      return canSeeUser(u.actor, target) && (read || canManageUsersOf(u.actor, target.agency_id));
    },
  },
  {
    prefix: '/api/agencies/:id',
    id: (u, rel) => agencyFor(u, rel),
    visible: (u, rel) => agencyFor(u, rel) !== null,
  },
];

const resourceOf = (url: string) => RESOURCES.find((r) => url === r.prefix || url.startsWith(`${r.prefix}/`));

/** Filler values of other route parameters; an unknown one gets a random uuid. */
const fillParam = (name: string) => {
  if (name === 'version') return catalogueVersion;
  if (name === 'kind') return 'intake';
  return randomUUID();
};

/** A minimal valid body where one is known (it lets the record check run); `{}` elsewhere. */
function bodyFor(r: RouteEntry): unknown {
  if (r.method === 'GET' || r.method === 'HEAD' || r.method === 'DELETE') return undefined;
  const key = `${r.method} ${r.url}`;
  switch (key) {
    case 'POST /api/cases':
      return intake();
    case 'PATCH /api/cases/:id':
    case 'PATCH /api/users/:id':
    case 'PATCH /api/agencies/:id':
      return { version: 99_999 }; // valid; a visible record answers 409, an invisible one 404
    case 'POST /api/cases/:id/screenings':
      return { profile: 'adult_labour', acts: [], indicatorIds: [], judgement: 'no_action', reasons: '' };
    case 'POST /api/users/:id/password':
      return { password: TEST_PASSWORD }; // the own-user relation resets the caller's own password
    case 'PUT /api/drafts/:kind':
      return { data: { step: 1 } };
    default:
      return {};
  }
}

const isProbe = (r: RouteEntry) => !r.url.startsWith('/api/') && r.url !== '/metrics';
const sessionEnding = (r: RouteEntry) => /\/logout/.test(r.url);

function expected(r: RouteEntry, u: Matrix | null, rel: Relation): Expect {
  if ('public' in r.access) return 'allow';
  if (!u) return 401;
  if (!u.actor.permissions.has(r.access.permission)) return 403;
  const res = resourceOf(r.url);
  if (res) return res.visible(u, rel, r.method) ? 'allow' : 404;
  return 'allow';
}

function concreteUrl(r: RouteEntry, u: Matrix, rel: Relation): string {
  const res = resourceOf(r.url);
  return r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    if (res && name === 'id') return res.id(u, rel) ?? randomUUID();
    return fillParam(name);
  });
}

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ROLES) {
    const username = MATRIX_USERS[role];
    const [row] = await t.db.query<{ id: string; agency_id: string; type: string; region: string; roles: TRole[] }>(
      'select u.id, u.agency_id, a.type, a.region, u.roles from users u join agencies a on a.id = u.agency_id where u.username = $1',
      [username],
    );
    if (!row) throw new Error(`no demo user ${username}`);
    expect(row.roles).toEqual([role]);
    const actor: Actor = {
      userId: row.id,
      username,
      agencyId: row.agency_id,
      agencyType: row.type as Actor['agencyType'],
      agencyRegion: row.region,
      roles: row.roles,
      permissions: permissionsOf(row.roles),
      sessionId: '',
    };
    users.push({ username, role, actor, client: await t.as(username) });
  }
  otherAgencyId = await t.agencyId('Safe Home Crisis Centre (NGO shelter)');
  expect(users.some((u) => u.actor.agencyId === otherAgencyId)).toBe(false);
  const creator = users.find((u) => u.role === 'case_worker')!.client;
  for (const agencyId of new Set([...users.map((u) => u.actor.agencyId), otherAgencyId])) {
    fixtureUsers.set(agencyId, await insertUser(agencyId));
  }
  for (const u of users) {
    cases.set(
      `created:${u.username}`,
      await makeCase(creator, { agency_id: u.actor.agencyId, created_by: u.actor.userId }),
    );
  }
  for (const agencyId of new Set(users.map((u) => u.actor.agencyId))) {
    cases.set(
      `agency:${agencyId}`,
      await makeCase(creator, { agency_id: agencyId, created_by: fixtureUsers.get(agencyId)! }),
    );
  }
  cases.set(
    'other',
    await makeCase(creator, { agency_id: otherAgencyId, created_by: fixtureUsers.get(otherAgencyId)! }),
  );
  const [cat] = await t.db.query<{ version: string }>('select version from screening_catalogues where is_current');
  catalogueVersion = cat!.version;
});
afterAll(async () => t?.close());

/** Every personal value of every fixture case the user may not see. */
function hiddenSecrets(u: Matrix | null): string[] {
  return [...cases.values()].filter((c) => !u || !canSeeCase(u.actor, c.ref)).flatMap((c) => c.secrets);
}

describe('authorization matrix (generated from the route table)', () => {
  it('covers the routes, roles and relations', () => {
    const api = t.app.routeTable.filter((r) => !('public' in r.access));
    expect(api.length).toBeGreaterThan(30);
    expect(users.map((u) => u.role).sort()).toEqual([...ROLES].sort());
  });

  it('answers every route as ROLE_PERMISSIONS and the record policies say, and never leaks a hidden record', async () => {
    const routes = [...t.app.routeTable]
      .filter((r) => !isProbe(r) && !('public' in r.access))
      .sort((a, b) => Number(sessionEnding(a)) - Number(sessionEnding(b)));
    const failures: string[] = [];
    let requests = 0;
    const tally = { allow: 0, 401: 0, 403: 0, 404: 0 } as Record<string, number>;

    const check = (
      where: string,
      want: Expect,
      res: { statusCode: number; body: string },
      hidden: string[],
      exists: boolean,
    ) => {
      requests += 1;
      tally[String(want)] = (tally[String(want)] ?? 0) + 1;
      const s = res.statusCode;
      if (s >= 500) failures.push(`${where}: ${s} (server error)`);
      if (want === 'allow') {
        if (s === 401 || s === 403) failures.push(`${where}: expected allowed, got ${s} ${res.body.slice(0, 200)}`);
        // An existing record the policy shows must be found; a body we could not build may answer 400.
        if (s === 404 && exists) failures.push(`${where}: expected allowed, got 404`);
      } else if (want === 404) {
        // The record check runs after body validation: a body we could not make valid answers 400.
        if (s !== 404 && s !== 400) failures.push(`${where}: expected 404, got ${s}`);
      } else if (s !== want) {
        failures.push(`${where}: expected ${want}, got ${s} ${res.body.slice(0, 200)}`);
      }
      if (want !== 'allow' && s >= 200 && s < 300) failures.push(`${where}: denied but answered ${s}`);
      if (want !== 'allow' && res.body && s !== 400) {
        const code = JSON.parse(res.body)?.error?.code;
        const wantCode = { 401: 'auth.required', 403: 'forbidden', 404: 'not_found' }[want];
        if (code !== wantCode) failures.push(`${where}: expected error ${wantCode}, got ${code}`);
      }
      const leaked = hidden.filter((secret) => res.body.includes(secret));
      if (leaked.length) failures.push(`${where}: leaks ${leaked.join(', ')} (status ${s})`);
    };

    // Anonymous callers (with a valid anonymous CSRF token): 401 everywhere, nothing leaks.
    const anon = t.client();
    await anon.refresh();
    const everything = [...cases.values()].flatMap((c) => c.secrets);
    for (const r of routes) {
      const url = r.url.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
        name === 'id' ? (cases.get('other')?.id ?? randomUUID()) : fillParam(name),
      );
      const res = await anon.request(
        r.method,
        url,
        bodyFor(r) ?? (r.method === 'GET' || r.method === 'HEAD' ? undefined : {}),
      );
      check(`anonymous ${r.method} ${r.url}`, 401, res, everything, false);
    }

    for (const u of users) {
      for (const r of routes) {
        const rels: Relation[] = /:[A-Za-z]/.test(r.url) ? [...RELATIONS] : ['none'];
        for (const rel of rels) {
          const want = expected(r, u, rel);
          // Signing out ends the session: each such route gets a fresh one.
          if (sessionEnding(r)) u.client = await t.as(u.username);
          const url = concreteUrl(r, u, rel);
          const res = await u.client.request(r.method, url, bodyFor(r));
          const res_ = resourceOf(r.url);
          const exists = !!res_ && res_.id(u, rel) !== null;
          // A denied answer names nothing of any fixture; an allowed one nothing of what the user may not see.
          const hidden = want === 'allow' ? hiddenSecrets(u) : everything;
          check(`${u.username} (${u.role}) ${r.method} ${r.url} [${rel}] → ${url}`, want, res, hidden, exists);
          // A write may end the caller's own session (e.g. resetting their own password): sign in again.
          if (res.statusCode < 300 && r.method !== 'GET' && r.method !== 'HEAD') {
            if ((await u.client.get('/api/auth/session')).json().user == null) u.client = await t.as(u.username);
          }
        }
      }
    }
    console.log(`authorization matrix: ${requests} requests`, tally);
    expect(failures).toEqual([]);
  });
});
