import {
  bandOf,
  blockingKeys,
  type TDuplicateCheck,
  type TDuplicateCheckResult,
  type TDuplicatePair,
  type TDuplicatePairQuery,
  type TElsewhereCandidate,
  type TFieldComparison,
  type TMatchConfig,
  type TVisibleCandidate,
  matchScore,
  prepareForMatching,
  scorePrepared,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { open, seal } from '../../crypto/keys.ts';
import { indexKey } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import type { Actor, Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, notFound, stale } from '../../http/errors.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { caseAccess, casesVisibleTo } from '../../policies/case.policy.ts';
import { loadCaseRow } from '../cases/cases.repository.ts';
import { displayName } from '../cases/persons.repository.ts';
import { agencyUsersWithRoles, notify, rolesWith } from '../notifications/notifications.service.ts';
import * as repo from './duplicates.repository.ts';

/** How long an inquiry token from an intake check stays valid. */
const INQUIRY_TOKEN_MS = 2 * 60 * 60_000;

interface InquiryToken {
  /** the asked agency */
  a: string;
  /** the candidate persons held there (never shown to the asker: the token is encrypted) */
  p: string[];
  /** the asking user */
  u: string;
  /** expiry, ms since the epoch */
  e: number;
}

const tokenAad = (userId: string) => `duplicate-inquiry:${userId}`;

/**
 * Checks a person being registered against every stored person (issue 8): candidates by blind-index
 * blocking, each decrypted in memory only and scored with the shared matcher. A candidate whose
 * identity the caller may see comes with its case and the explained score; any other only as
 * "a possible match exists at agency X" with an encrypted token to ask that agency — no case id,
 * number, score or field agreement of a record the caller may not see ever leaves the server.
 */
export async function checkDuplicates(deps: AppDeps, ctx: Ctx, input: TDuplicateCheck): Promise<TDuplicateCheckResult> {
  const actor = actorOf(ctx);
  const { config } = await repo.getMatchConfig(ctx.q);
  let excludePersonId: string | null = null;
  if (input.excludeCaseId) {
    const row = await loadCaseRow(ctx.q, input.excludeCaseId);
    if (row && (await caseAccess(ctx.q, actor, row))) excludePersonId = row.person_id;
  }
  const keys = blockingKeys(input.person).map((k) => indexKey(deps.keys, 'block', k));
  const scope = casesVisibleTo(actor);
  const rows = await repo.findCandidates(ctx.q, keys, scope, { excludePersonId });
  const me = prepareForMatching(input.person);
  const visible: TVisibleCandidate[] = [];
  const elsewhere = new Map<string, { name: string; band: 'likely' | 'possible'; persons: string[] }>();
  for (const r of rows) {
    const other = repo.matchPersonOf(deps.keys, r);
    const them = prepareForMatching(other);
    // the score alone first; only a candidate in a band is explained
    if (matchScore(me, them, config, config.thresholds.possible) < config.thresholds.possible) continue;
    const result = scorePrepared(me, them, config);
    if (result.band === 'none') continue;
    if (r.show_identity) {
      visible.push({
        caseId: r.case_id,
        number: r.number,
        displayName: displayName({ names: (other.names ?? []) as never }),
        agencyName: r.agency_name,
        score: result.score,
        band: result.band,
        fields: result.fields,
      });
      continue;
    }
    const e = elsewhere.get(r.agency_id) ?? { name: r.agency_name, band: result.band, persons: [] };
    if (result.band === 'likely') e.band = 'likely';
    e.persons.push(r.person_id);
    elsewhere.set(r.agency_id, e);
  }
  visible.sort((a, b) => b.score - a.score || a.number.localeCompare(b.number));
  const expires = Date.now() + INQUIRY_TOKEN_MS;
  const others: TElsewhereCandidate[] = [...elsewhere.entries()]
    .map(([agencyId, e]) => ({
      agencyId,
      agencyName: e.name,
      band: e.band,
      inquiryToken: seal(
        deps.keys.master,
        JSON.stringify({ a: agencyId, p: e.persons, u: actor.userId, e: expires } satisfies InquiryToken),
        tokenAad(actor.userId),
      ),
    }))
    .sort((a, b) => (a.band === b.band ? a.agencyName.localeCompare(b.agencyName) : a.band === 'likely' ? -1 : 1));
  await appendAudit(ctx.q, {
    actor,
    action: 'duplicates.check',
    ip: ctx.ip,
    details: {
      visible: visible.length,
      elsewhere: others.length,
      shown: visible.map((v) => v.number).join(','),
      configVersion: config.version,
    },
  });
  return { visible, elsewhere: others, configVersion: config.version };
}

function openInquiryToken(deps: AppDeps, actor: Actor, token: string): InquiryToken {
  try {
    const t = JSON.parse(open(deps.keys.master, token, tokenAad(actor.userId)).toString('utf8')) as InquiryToken;
    if (t.u !== actor.userId || t.e < Date.now() || !Array.isArray(t.p)) throw new Error('expired');
    return t;
  } catch {
    throw new AppError('duplicates.inquiry_invalid');
  }
}

/**
 * Asks the agency holding a possible match to refer the case (decision 0006): its supervisors get a
 * notification naming their own case number and the asking agency — nothing about the person being
 * registered. They answer, with the person's consent, by referring the case through the referrals
 * module. The asker learns nothing more than that the request was sent.
 */
export async function sendInquiry(deps: AppDeps, ctx: Ctx, token: string): Promise<{ sent: true }> {
  const actor = actorOf(ctx);
  const t = openInquiryToken(deps, actor, token);
  const cases = await ctx.q.query<{ id: string; number: string }>(
    'select id, number from cases where person_id = any($1::uuid[]) and agency_id = $2 order by number',
    [t.p, t.a],
  );
  const supervisors = await agencyUsersWithRoles(ctx.q, t.a, rolesWith('cases.supervise'));
  for (const c of cases) {
    await ctx.q.query(
      'insert into duplicate_inquiries (from_agency_id, from_user_id, to_agency_id, case_id) values ($1, $2, $3, $4)',
      [actor.agencyId, actor.userId, t.a, c.id],
    );
    await notify(ctx.q, deps.config, {
      userIds: supervisors,
      kind: 'duplicate_inquiry',
      caseNumber: c.number,
      fromAgencyId: actor.agencyId,
    });
    await appendAudit(ctx.q, {
      actor,
      action: 'duplicates.inquiry',
      targetType: 'case',
      targetId: c.id,
      ip: ctx.ip,
      details: { toAgency: t.a, notified: supervisors.length },
    });
  }
  return { sent: true };
}

interface PairRow {
  id: string;
  status: TDuplicatePair['status'];
  band: 'likely' | 'possible';
  score: number;
  fields: TFieldComparison[];
  config_version: string;
  updated_at: string;
  person_a: string;
  person_b: string;
  a_case: string;
  a_number: string;
  a_agency: string;
  a_agency_name: string;
  a_visible: boolean;
  a_data_key: string;
  a_pii: string;
  b_case: string;
  b_number: string;
  b_agency: string;
  b_agency_name: string;
  b_visible: boolean;
  b_data_key: string;
  b_pii: string;
}

/** National view (coordinator): every pair, agencies, score and explanation — never a case or a name. */
const isNational = (actor: Actor) => actor.permissions.has('coordination.read') && !actor.permissions.has('cases.read');

/**
 * The review queue. A reviewer with case access (supervisor) sees the pairs with at least one side
 * whose identity they may see: that side with its case and name; a side held elsewhere as its agency
 * only, and then no score or explanation either. The coordinator sees every pair with agencies,
 * score and field explanation, and no case id, number or name.
 */
export async function listPairs(deps: AppDeps, ctx: Ctx, f: TDuplicatePairQuery) {
  const actor = actorOf(ctx);
  const national = isNational(actor);
  const scope = casesVisibleTo(actor);
  const params: unknown[] = [...scope.params];
  const vis = (alias: string) => `exists (select 1 from cases c where c.id = ${alias}.id and ${scope.identitySql})`;
  const where = [`dp.status = $${params.push(f.status)}`];
  if (f.band) where.push(`dp.band = $${params.push(f.band)}`);
  if (!national) where.push(`(${vis('ca')} or ${vis('cb')})`);
  const from = `from duplicate_pairs dp
      join persons pa on pa.id = dp.person_a join cases ca on ca.person_id = pa.id join agencies aa on aa.id = ca.agency_id
      join persons pb on pb.id = dp.person_b join cases cb on cb.person_id = pb.id join agencies ab on ab.id = cb.agency_id
     where ${where.join(' and ')}`;
  const [count] = await ctx.q.query<{ n: number }>(`select count(*)::int as n ${from}`, params);
  const rows = await ctx.q.query<PairRow>(
    `select dp.id, dp.status, dp.band, dp.score, dp.fields, dp.config_version, dp.updated_at, dp.person_a, dp.person_b,
            ca.id as a_case, ca.number as a_number, ca.agency_id as a_agency, aa.name as a_agency_name, ${national ? 'false' : vis('ca')} as a_visible,
            pa.data_key as a_data_key, pa.pii as a_pii,
            cb.id as b_case, cb.number as b_number, cb.agency_id as b_agency, ab.name as b_agency_name, ${national ? 'false' : vis('cb')} as b_visible,
            pb.data_key as b_data_key, pb.pii as b_pii
       ${from} order by dp.score desc, dp.id limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
    params,
  );
  const items = rows.map((r) => presentPair(deps, actor, r, national));
  await appendAudit(ctx.q, {
    actor,
    action: 'duplicates.pairs_read',
    ip: ctx.ip,
    details: { status: f.status, results: count?.n ?? 0, page: f.page, national },
  });
  return { items, total: count?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

function presentPair(deps: AppDeps, actor: Actor, r: PairRow, national: boolean): TDuplicatePair {
  const side = (p: 'a' | 'b') => {
    const visible = r[`${p}_visible`];
    const name = visible
      ? displayName(
          repo.matchPersonOf(deps.keys, {
            person_id: p === 'a' ? r.person_a : r.person_b,
            data_key: r[`${p}_data_key`],
            pii: r[`${p}_pii`],
            sex: '',
            citizenships: [],
          }) as never,
        )
      : null;
    return {
      agencyId: r[`${p}_agency`],
      agencyName: r[`${p}_agency_name`],
      caseId: visible ? r[`${p}_case`] : null,
      number: visible ? r[`${p}_number`] : null,
      displayName: name,
    };
  };
  const both = r.a_visible && r.b_visible;
  const explained = national || both;
  const reviewer = actor.permissions.has('duplicates.review');
  return {
    id: r.id,
    status: r.status,
    band: r.band,
    score: explained ? r.score : null,
    fields: explained ? r.fields : null,
    configVersion: r.config_version,
    a: side('a'),
    b: side('b'),
    abilities: {
      merge: reviewer && both && r.status === 'open',
      dismiss: reviewer && both && r.status === 'open',
      unmerge: reviewer && both && r.status === 'merged',
    },
    updatedAt: r.updated_at,
  };
}

/** Loads a pair whose two cases the actor may both see; anything else is "not found". */
async function reviewablePair(
  ctx: Ctx,
  id: string,
  action: 'duplicates.merge' | 'duplicates.unmerge' | 'duplicates.dismiss',
) {
  const actor = actorOf(ctx);
  const [pair] = await ctx.q.query<{ id: string; status: string; person_a: string; person_b: string }>(
    'select id, status, person_a, person_b from duplicate_pairs where id = $1 for update',
    [id],
  );
  const cases = pair
    ? await ctx.q.query<{ id: string; person_id: string }>(
        'select id, person_id from cases where person_id = any($1::uuid[]) order by person_id',
        [[pair.person_a, pair.person_b]],
      )
    : [];
  const rows = await Promise.all(cases.map((c) => loadCaseRow(ctx.q, c.id)));
  let ok = !!pair && rows.length === 2;
  for (const row of rows) if (!row || !(await caseAccess(ctx.q, actor, row))) ok = false;
  if (!pair || !ok) {
    ctx.auditDenied({ action, targetType: 'duplicate_pair', targetId: id });
    throw notFound();
  }
  const caseOf = (person: string) => cases.find((c) => c.person_id === person)!.id;
  return { pair, caseA: caseOf(pair.person_a), caseB: caseOf(pair.person_b), actor };
}

async function auditBoth(
  ctx: Ctx,
  actor: Actor,
  action: 'duplicates.merge' | 'duplicates.unmerge' | 'duplicates.dismiss',
  pairId: string,
  caseA: string,
  caseB: string,
) {
  // One event per case, so each case's own timeline shows it; the pair id ties them together.
  await appendAudit(ctx.q, {
    actor,
    action,
    targetType: 'case',
    targetId: caseA,
    ip: ctx.ip,
    details: { pair: pairId, other: caseB },
  });
  await appendAudit(ctx.q, {
    actor,
    action,
    targetType: 'case',
    targetId: caseB,
    ip: ctx.ip,
    details: { pair: pairId, other: caseA },
  });
}

/**
 * Merges the two persons of a pair: the later-registered person points at the earlier one
 * (`merged_into`) and a merge record is kept. Nothing is deleted: both cases keep their person,
 * their history and their audit trail, and each shows the other as linked.
 */
export async function mergePair(ctx: Ctx, id: string) {
  const { pair, caseA, caseB, actor } = await reviewablePair(ctx, id, 'duplicates.merge');
  if (pair.status !== 'open') throw new AppError('conflict.state');
  const [older] = await ctx.q.query<{ id: string }>(
    'select id from persons where id = any($1::uuid[]) order by created_at, id limit 1',
    [[pair.person_a, pair.person_b]],
  );
  const into = older!.id;
  const merged = into === pair.person_a ? pair.person_b : pair.person_a;
  await ctx.q.query('update persons set merged_into = $2 where id = $1', [merged, into]);
  await ctx.q.query(
    'insert into person_merges (pair_id, person_id, into_person_id, merged_by) values ($1, $2, $3, $4)',
    [id, merged, into, actor.userId],
  );
  await ctx.q.query(
    "update duplicate_pairs set status = 'merged', decided_by = $2, decided_at = now(), updated_at = now() where id = $1",
    [id, actor.userId],
  );
  await auditBoth(ctx, actor, 'duplicates.merge', id, caseA, caseB);
  return { status: 'merged' as const };
}

/** Undoes a merge: the link is removed, the merge record keeps who undid it and when; the pair is open again. */
export async function unmergePair(ctx: Ctx, id: string) {
  const { pair, caseA, caseB, actor } = await reviewablePair(ctx, id, 'duplicates.unmerge');
  if (pair.status !== 'merged') throw new AppError('conflict.state');
  const [m] = await ctx.q.query<{ id: string; person_id: string }>(
    'select id, person_id from person_merges where pair_id = $1 and unmerged_at is null order by merged_at desc limit 1',
    [id],
  );
  if (m) {
    await ctx.q.query('update persons set merged_into = null where id = $1', [m.person_id]);
    await ctx.q.query('update person_merges set unmerged_by = $2, unmerged_at = now() where id = $1', [
      m.id,
      actor.userId,
    ]);
  }
  await ctx.q.query(
    "update duplicate_pairs set status = 'open', decided_by = $2, decided_at = now(), updated_at = now() where id = $1",
    [id, actor.userId],
  );
  await auditBoth(ctx, actor, 'duplicates.unmerge', id, caseA, caseB);
  return { status: 'open' as const };
}

/** Marks a pair as two different people. */
export async function dismissPair(ctx: Ctx, id: string) {
  const { pair, caseA, caseB, actor } = await reviewablePair(ctx, id, 'duplicates.dismiss');
  if (pair.status !== 'open') throw new AppError('conflict.state');
  await ctx.q.query(
    "update duplicate_pairs set status = 'dismissed', decided_by = $2, decided_at = now(), updated_at = now() where id = $1",
    [id, actor.userId],
  );
  await auditBoth(ctx, actor, 'duplicates.dismiss', id, caseA, caseB);
  return { status: 'dismissed' as const };
}

/**
 * Cases linked to the given persons by a merge (either direction), keyed by person id. Only cases
 * the caller may see are listed (a merge needs both visible, but access can end later).
 */
export async function linkedCasesOf(
  q: Queryable,
  actor: Actor,
  personIds: string[],
): Promise<Map<string, { caseId: string; number: string }[]>> {
  const out = new Map<string, { caseId: string; number: string }[]>();
  if (!personIds.length) return out;
  const scope = casesVisibleTo(actor);
  const params: unknown[] = [...scope.params];
  const ids = `$${params.push(personIds)}::uuid[]`;
  const rows = await q.query<{ person_id: string; case_id: string; number: string }>(
    `select l.person_id, c.id as case_id, c.number
       from (select p.id as person_id, o.id as other from persons p join persons o on o.merged_into = p.id where p.id = any(${ids})
             union
             select p.id, p.merged_into from persons p where p.id = any(${ids}) and p.merged_into is not null) l
       join cases c on c.person_id = l.other
      where ${scope.sql}
      order by c.number`,
    params,
  );
  for (const r of rows)
    out.set(r.person_id, [...(out.get(r.person_id) ?? []), { caseId: r.case_id, number: r.number }]);
  return out;
}

/** Pairs one person against its blocking candidates and records the flagged pairs (job `duplicates.person`). */
export async function pairPerson(deps: AppDeps, q: Queryable, personId: string): Promise<number> {
  const { config } = await repo.getMatchConfig(q);
  const [row] = await q.query<{
    person_id: string;
    data_key: string;
    pii: string;
    sex: string;
    citizenships: string[];
  }>('select id as person_id, data_key, pii, sex, citizenships from persons where id = $1', [personId]);
  if (!row) return 0;
  const keys = (
    await q.query<{ key: string }>("select key from person_index where kind = 'block' and person_id = $1", [personId])
  ).map((k) => k.key);
  const me = prepareForMatching(repo.matchPersonOf(deps.keys, row));
  const rows = await repo.findCandidates(q, keys, { identitySql: 'false', params: [] }, { excludePersonId: personId });
  const flagged = scoreAgainst(deps, me, rows, config).map((r) => ({ ...r, a: personId }));
  const kept = flagged.map((f) => f.b);
  // open pairs of this person that no longer score (after an edit) leave the queue
  await q.query(
    `delete from duplicate_pairs where status = 'open' and (person_a = $1 or person_b = $1)
        and not (case when person_a = $1 then person_b else person_a end = any($2::uuid[]))
        and not exists (select 1 from person_merges m where m.pair_id = duplicate_pairs.id)`,
    [personId, kept],
  );
  return repo.upsertPairs(q, flagged, config.version);
}

function scoreAgainst(
  deps: AppDeps,
  me: ReturnType<typeof prepareForMatching>,
  rows: repo.CandidateRow[],
  config: TMatchConfig,
) {
  const out: { b: string; score: number; band: 'likely' | 'possible'; fields: TFieldComparison[] }[] = [];
  for (const r of rows) {
    const them = prepareForMatching(repo.matchPersonOf(deps.keys, r));
    if (matchScore(me, them, config, config.thresholds.possible) < config.thresholds.possible) continue;
    const result = scorePrepared(me, them, config);
    const band = bandOf(result.score, config);
    if (band !== 'none') out.push({ b: r.person_id, score: result.score, band, fields: result.fields });
  }
  return out;
}

/**
 * When a full batch is queued and not yet started, it will pair every person as they are when it
 * starts (and drop open pairs that no longer score), so the one-person jobs waiting before it have
 * nothing left to do: they are marked done in one statement (`done_by` says so) instead of each
 * pairing its person first — after a 100,000-row import that is 100,000 jobs at the runner's pace
 * (100 every 5 s, some 80 minutes) before the batch even starts. A batch already running holds its
 * job row locked and does not count: a person added meanwhile may be missing from its snapshot.
 * Should the batch fail for good, its pairs come from the next batch (the review page queues one).
 * Returns whether the jobs were superseded (the caller's own job among them).
 */
export async function supersedeByQueuedScan(q: Queryable): Promise<boolean> {
  const [scan] = await q.query(
    "select id from jobs where kind = 'duplicates.scan' and status = 'pending' and run_at <= now() limit 1 for update skip locked",
  );
  if (!scan) return false;
  await q.query(
    `update jobs set status = 'done', done_at = now(), done_by = 'superseded by duplicates.scan'
      where id in (select id from jobs where kind = 'duplicates.person' and status = 'pending' for update skip locked)`,
  );
  return true;
}

/** Queues a full batch over all persons unless one is already waiting. */
export async function queueScan(q: Queryable): Promise<boolean> {
  const [pending] = await q.query("select 1 from jobs where kind = 'duplicates.scan' and status = 'pending' limit 1");
  if (pending) return false;
  await enqueueJob(q, 'duplicates.scan', {});
  return true;
}

/** Queues the full batch on request of a reviewer (audited). */
export async function requestScan(ctx: Ctx): Promise<{ queued: boolean }> {
  const actor = actorOf(ctx);
  const queued = await queueScan(ctx.q);
  await appendAudit(ctx.q, { actor, action: 'duplicates.scan', ip: ctx.ip, details: { queued } });
  return { queued };
}

export async function readConfig(ctx: Ctx) {
  const c = await repo.getMatchConfig(ctx.q);
  return { ...c, isDefault: c.version === 0 };
}

/** Replaces the matcher weights and thresholds (system administrator; validated by ZMatchConfig), then re-scores everything. */
export async function updateConfig(ctx: Ctx, config: TMatchConfig, version: number) {
  const actor = actorOf(ctx);
  if (!(await repo.saveMatchConfig(ctx.q, config, version, actor.userId))) throw stale();
  await queueScan(ctx.q);
  await appendAudit(ctx.q, {
    actor,
    action: 'duplicates.config_update',
    targetType: 'settings',
    targetId: 'match_config',
    ip: ctx.ip,
    details: { configVersion: config.version, likely: config.thresholds.likely, possible: config.thresholds.possible },
  });
  return readConfig(ctx);
}
