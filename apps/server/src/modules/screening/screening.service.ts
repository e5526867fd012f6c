import {
  DEFAULT_CATALOGUE,
  evaluateScreening,
  isChildForRules,
  profileAvailable,
  profileFor,
  ScreeningError,
  type TScreeningResult,
  type TCatalogue,
  type TScreeningRequest,
  ZCatalogue,
  dateInZone,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Db, Queryable } from '../../db/client.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { AppError, fieldError, notFound } from '../../http/errors.ts';
import { caseAbilities, caseAccess } from '../../policies/case.policy.ts';
import { loadCaseRow } from '../cases/cases.repository.ts';
import { readPerson } from '../cases/persons.repository.ts';

/** Seeds the catalogue shipped with the domain package when the database has none (keeps its ids). */
export async function ensureDefaultCatalogue(db: Db): Promise<void> {
  await db.tx(async (q) => {
    await q.query('select pg_advisory_xact_lock(4242003)');
    const [any] = await q.query('select 1 from screening_catalogues limit 1');
    if (any) return;
    await q.query('insert into screening_catalogues (version, data, is_current) values ($1, $2, true)', [
      DEFAULT_CATALOGUE.version,
      JSON.stringify(DEFAULT_CATALOGUE),
    ]);
  });
}

export async function currentCatalogue(q: Queryable): Promise<TCatalogue> {
  const [row] = await q.query<{ data: unknown }>('select data from screening_catalogues where is_current');
  if (!row) throw new AppError('unavailable');
  return ZCatalogue.parse(row.data);
}

export async function catalogueVersion(q: Queryable, version: string): Promise<TCatalogue> {
  const [row] = await q.query<{ data: unknown }>('select data from screening_catalogues where version = $1', [version]);
  if (!row) throw notFound();
  return ZCatalogue.parse(row.data);
}

export async function listCatalogues(q: Queryable) {
  return q.query<{ version: string; isCurrent: boolean; publishedAt: string }>(
    'select version, is_current as "isCurrent", published_at as "publishedAt" from screening_catalogues order by published_at desc',
  );
}

/** Publishes a new catalogue version and makes it current; earlier results keep their version. */
export async function publishCatalogue(ctx: Ctx, catalogue: TCatalogue): Promise<void> {
  const actor = actorOf(ctx);
  const [exists] = await ctx.q.query('select 1 from screening_catalogues where version = $1', [catalogue.version]);
  if (exists) throw fieldError('version', 'version_exists');
  await ctx.q.query('update screening_catalogues set is_current = false where is_current');
  await ctx.q.query(
    'insert into screening_catalogues (version, data, is_current, published_by) values ($1, $2, true, $3)',
    [catalogue.version, JSON.stringify(catalogue), actor.userId],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'catalogue.publish',
    targetType: 'catalogue',
    targetId: catalogue.version,
    ip: ctx.ip,
  });
}

interface ScreeningRow {
  id: string;
  catalogue_version: string;
  profile: string;
  acts: string[];
  indicator_ids: string[];
  result: unknown;
  outcome: string;
  recommendation: string;
  judgement: string;
  reasons_enc: string | null;
  screened_by_name: string;
  created_at: string;
}

function presentScreening(row: ScreeningRow, cipher: PersonCipher) {
  return {
    id: row.id,
    catalogueVersion: row.catalogue_version,
    profile: row.profile,
    acts: row.acts,
    indicatorIds: row.indicator_ids,
    result: row.result as Record<string, unknown>,
    outcome: row.outcome,
    recommendation: row.recommendation,
    judgement: row.judgement,
    reasons: cipher.decryptNullable<string>(`screenings.reasons:${row.id}`, row.reasons_enc),
    screenedBy: row.screened_by_name,
    createdAt: row.created_at,
  };
}

/**
 * Screens a case with the current catalogue. The child profile is forced when the person is or
 * may be a minor. The result is decision support; the screener's own judgement is stored beside it.
 */
export async function screenCase(deps: AppDeps, ctx: Ctx, caseId: string, input: TScreeningRequest) {
  const actor = actorOf(ctx);
  const row = await loadCaseRow(ctx.q, caseId);
  if (!row || !caseAbilities(actor, row).screen) throw notFound();
  const cipher = PersonCipher.unwrap(deps.keys, row.person_id, row.data_key);
  const person = readPerson(row, cipher);
  const catalogue = await currentCatalogue(ctx.q);
  const profile = profileFor(input.profile, isChildForRules(person, dateInZone(new Date(), deps.config.timeZone)));
  if (!profileAvailable(catalogue, profile)) throw fieldError('profile', 'profile_unavailable');
  let result: TScreeningResult;
  try {
    result = evaluateScreening(catalogue, { ...input, profile });
  } catch (err) {
    if (err instanceof ScreeningError && err.code === 'catalogue_version_mismatch')
      throw new AppError('conflict.catalogue_changed');
    throw err;
  }
  const [saved] = await ctx.q.query<{ id: string }>(
    `insert into screenings (case_id, catalogue_version, profile, acts, indicator_ids, result, outcome, recommendation, judgement, screened_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
    [
      caseId,
      catalogue.version,
      profile,
      input.acts,
      input.indicatorIds,
      JSON.stringify(result),
      result.outcome,
      result.recommendation,
      input.judgement,
      actor.userId,
    ],
  );
  const id = saved!.id;
  if (input.reasons)
    await ctx.q.query('update screenings set reasons_enc = $2 where id = $1', [
      id,
      cipher.encrypt(`screenings.reasons:${id}`, input.reasons),
    ]);
  await ctx.q.query(
    `update cases set latest_outcome = $2, stage = case when stage = 'encounter' then 'screened' else stage end, updated_at = now() where id = $1`,
    [caseId, result.outcome],
  );
  await appendAudit(ctx.q, {
    actor,
    action: 'screening.create',
    targetType: 'case',
    targetId: caseId,
    ip: ctx.ip,
    details: { outcome: result.outcome, catalogue: catalogue.version },
  });
  return (await screeningsOf(ctx, caseId, deps))[0]!;
}

/** Every screening of a case, latest first (re-screening keeps the history). */
export async function screeningsOf(ctx: Ctx, caseId: string, deps: AppDeps) {
  const row = await loadCaseRow(ctx.q, caseId);
  // Holder and emergency access read screenings; a referral receiver only when `screening` is shared.
  const access = row ? await caseAccess(ctx.q, actorOf(ctx), row) : null;
  if (!row || !access?.scope.includes('screening')) throw notFound();
  const cipher = PersonCipher.unwrap(deps.keys, row.person_id, row.data_key);
  const rows = await ctx.q.query<ScreeningRow>(
    `select s.id, s.catalogue_version, s.profile, s.acts, s.indicator_ids, s.result, s.outcome, s.recommendation, s.judgement, s.reasons_enc,
            u.display_name as screened_by_name, s.created_at
       from screenings s join users u on u.id = s.screened_by where s.case_id = $1 order by s.created_at desc, s.id`,
    [caseId],
  );
  return rows.map((r) => presentScreening(r, cipher));
}
