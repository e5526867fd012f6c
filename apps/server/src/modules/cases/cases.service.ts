import { randomUUID } from 'node:crypto';
import {
  HEALTH_VULNERABILITIES,
  type TCaseAccess,
  type TCaseCreate,
  type TCaseDetail,
  type TCaseFields,
  type TCaseListQuery,
  type TCaseSummary,
  type TCaseUpdate,
  type TShareScope,
  type TSharedCaseDetail,
  exploitationDays,
  SHARE_SCOPES,
  isCrossBorder,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { notFound, stale } from '../../http/errors.ts';
import { enqueueJob } from '../../jobs/jobs.repository.ts';
import { linkedCasesOf } from '../duplicates/duplicates.service.ts';
import { caseAbilities, caseAccess, canSeeCase } from '../../policies/case.policy.ts';
import {
  type CaseRow,
  CappedLists,
  caseFieldParams,
  caseFieldsFromRow,
  loadCaseRow,
  queryCaseList,
} from './cases.repository.ts';
import { caseNumberSql, type TCaseNumbers } from './case-numbers.ts';
import { displayName, insertPerson, personIsChild, readPerson, updatePerson } from './persons.repository.ts';

/** Loads a case the actor holds, or throws "not found" — never "forbidden" — for any other. */
async function visibleCase(ctx: Ctx, id: string): Promise<CaseRow> {
  const row = await loadCaseRow(ctx.q, id);
  if (!row || !canSeeCase(actorOf(ctx), row)) {
    ctx.auditDenied({ action: 'case.read', targetType: 'case', targetId: id });
    throw notFound();
  }
  return row;
}

/** Loads a case the actor may read on any ground (holder, referral, emergency) with that ground; else 404. */
export async function readableCase(ctx: Ctx, id: string): Promise<{ row: CaseRow; access: TCaseAccess }> {
  const row = await loadCaseRow(ctx.q, id);
  const access = row ? await caseAccess(ctx.q, actorOf(ctx), row) : null;
  if (!row || !access) {
    ctx.auditDenied({ action: 'case.read', targetType: 'case', targetId: id });
    throw notFound();
  }
  return { row, access };
}

/**
 * Registers a potential victim: person (identifiers encrypted) and case, in one transaction. The
 * case number comes from the year's sequence (`numbers`, from `currentCaseNumbers`, ensured
 * before the transaction): no registration waits for another to commit.
 */
export async function createCase(
  deps: AppDeps,
  ctx: Ctx,
  input: TCaseCreate,
  numbers: TCaseNumbers,
): Promise<{ id: string; number: string }> {
  const actor = actorOf(ctx);
  const personId = randomUUID();
  const caseId = randomUUID();
  const cipher = await insertPerson(ctx.q, deps.keys, personId, input.person, input.case.encounterDate);
  const { year } = numbers;
  const c = input.case;
  await appendAudit(ctx.q, { actor, action: 'case.create', targetType: 'case', targetId: caseId, ip: ctx.ip });
  // duplicate detection pairs the new person in the background (review queue)
  await enqueueJob(ctx.q, 'duplicates.person', { personId });
  const [row] = await ctx.q.query<{ number: string }>(
    // the number from the year's sequence: no lock held until commit (case-numbers.ts)
    `insert into cases (id, number, country, agency_id, created_by, person_id, is_child, cross_border,
       encounter_date, encounter_region, encounter_place_enc, identification_method, exploitation_forms, labour_industry,
       sex_exploitation_types, means_of_control, recruitment_methods, recruitment_apps, relationship_to_recruiter,
       countries_of_origin, countries_of_transit, countries_of_exploitation, exploitation_start, exploitation_end, narrative_enc)
     values ($1, (select ${caseNumberSql('$3', '$2', 'n')} from nextval($26::text::regclass) n), $3, $4, $5, $6, $7, $8, $9,
            $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)
     returning number`,
    [
      caseId,
      year,
      deps.config.country,
      actor.agencyId,
      actor.userId,
      personId,
      personIsChild(input.person, c.encounterDate),
      isCrossBorder(c, input.person.citizenships, deps.config.country),
      ...caseFieldParams(cipher, caseId, c),
      numbers.sequence,
    ],
  );
  return { id: caseId, number: row!.number };
}

function present(deps: AppDeps, ctx: Ctx, row: CaseRow, access: TCaseAccess): TCaseDetail {
  const cipher = PersonCipher.unwrap(deps.keys, row.person_id, row.data_key);
  const person = readPerson(row, cipher);
  const fields = caseFieldsFromRow(row, cipher);
  return {
    id: row.id,
    number: row.number,
    stage: row.stage,
    agency: { id: row.agency_id, name: row.agency_name },
    createdBy: { id: row.created_by, displayName: row.created_by_name },
    person,
    isChild: row.is_child,
    ageBand: row.age_band,
    case: fields,
    crossBorder: row.cross_border,
    exploitationDays: exploitationDays(fields),
    latestOutcome: row.latest_outcome,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: caseAbilities(actorOf(ctx), row),
    access,
  };
}

/**
 * The case as a referral receiver sees it: each section is built only when its scope is shared,
 * and identifiers are decrypted only for the sections that are.
 */
function presentShared(deps: AppDeps, row: CaseRow, access: TCaseAccess): TSharedCaseDetail {
  const has = (s: TCaseAccess['scope'][number]) => access.scope.includes(s);
  const cipher = PersonCipher.unwrap(deps.keys, row.person_id, row.data_key);
  const person = has('identity') || has('contact') || has('documents') ? readPerson(row, cipher) : null;
  const a = row.attributes as { interpreterNeeded?: boolean; vulnerabilities?: string[] };
  return {
    id: row.id,
    number: row.number,
    stage: row.stage,
    agency: { id: row.agency_id, name: row.agency_name },
    access,
    basics: {
      sex: row.sex,
      isChild: row.is_child,
      ageBand: row.age_band,
      languages: row.languages,
      interpreterNeeded: Boolean(a.interpreterNeeded),
      region: row.encounter_region as TSharedCaseDetail['basics']['region'],
    },
    identity:
      person && has('identity')
        ? {
            names: person.names,
            birthDate: person.birthDate,
            citizenships: person.citizenships,
            stateless: person.stateless,
            maritalStatus: person.maritalStatus ?? null,
            numberOfChildren: person.numberOfChildren ?? null,
            education: person.education ?? null,
          }
        : null,
    contact: person && has('contact') ? { contacts: person.contacts } : null,
    documents: person && has('documents') ? { documents: person.documents } : null,
    narrative: has('narrative') ? caseFieldsFromRow(row, cipher) : null,
    screening: has('screening') ? { latestOutcome: row.latest_outcome } : null,
    medical: has('medical')
      ? {
          healthVulnerabilities: (a.vulnerabilities ?? []).filter((v) =>
            (HEALTH_VULNERABILITIES as readonly string[]).includes(v),
          ),
        }
      : null,
    abilities: { update: false, screen: false, viewAccessLog: false },
  };
}

/**
 * Reads one case: in full for the holding agency and emergency access, cut to the shared scope for
 * a referral receiver. The read is audited with the ground of access.
 */
export async function readCase(deps: AppDeps, ctx: Ctx, id: string): Promise<TCaseDetail | TSharedCaseDetail> {
  const { row, access } = await readableCase(ctx, id);
  await appendAudit(ctx.q, {
    actor: ctx.actor,
    action: 'case.read',
    targetType: 'case',
    targetId: id,
    ip: ctx.ip,
    details: { access: access.kind, scope: access.scope.join(',') },
  });
  if (access.kind === 'referral') return presentShared(deps, row, access);
  const linkedCases = row.has_links
    ? ((await linkedCasesOf(ctx.q, actorOf(ctx), [row.person_id])).get(row.person_id) ?? [])
    : [];
  return { ...present(deps, ctx, row, access), linkedCases };
}

/** Updates person and/or case fields; a stale version is refused (409), never silently overwritten. */
export async function updateCase(deps: AppDeps, ctx: Ctx, id: string, patch: TCaseUpdate): Promise<TCaseDetail> {
  const actor = actorOf(ctx);
  const row = await visibleCase(ctx, id);
  if (!caseAbilities(actor, row).update) throw notFound();
  const bumped = await ctx.q.query(
    'update cases set version = version + 1, updated_at = now() where id = $1 and version = $2 returning id',
    [id, patch.version],
  );
  if (!bumped.length) throw stale();
  const cipher = PersonCipher.unwrap(deps.keys, row.person_id, row.data_key);
  const person = patch.person ?? readPerson(row, cipher);
  const fields: TCaseFields = patch.case ?? caseFieldsFromRow(row, cipher);
  if (patch.person) {
    await updatePerson(ctx.q, deps.keys, cipher, patch.person, fields.encounterDate);
    await enqueueJob(ctx.q, 'duplicates.person', { personId: row.person_id });
  }
  await ctx.q.query(
    `update cases set is_child = $2, cross_border = $3, encounter_date = $4, encounter_region = $5, encounter_place_enc = $6,
       identification_method = $7, exploitation_forms = $8, labour_industry = $9, sex_exploitation_types = $10, means_of_control = $11,
       recruitment_methods = $12, recruitment_apps = $13, relationship_to_recruiter = $14, countries_of_origin = $15,
       countries_of_transit = $16, countries_of_exploitation = $17, exploitation_start = $18, exploitation_end = $19, narrative_enc = $20
     where id = $1`,
    [
      id,
      personIsChild(person, fields.encounterDate),
      isCrossBorder(fields, person.citizenships, deps.config.country),
      ...caseFieldParams(cipher, id, fields),
    ],
  );
  const sections = [patch.person ? 'person' : null, patch.case ? 'case' : null].filter(Boolean).join(',');
  await appendAudit(ctx.q, {
    actor,
    action: 'case.update',
    targetType: 'case',
    targetId: id,
    ip: ctx.ip,
    details: { sections },
  });
  const updated = await loadCaseRow(ctx.q, id);
  return present(deps, ctx, updated!, { kind: 'holder', scope: [...SHARE_SCOPES], expiresAt: null });
}

/** The lists of this process known to exceed LIST_COUNT_CAP (see `CappedLists`). */
const cappedLists = new CappedLists();

/**
 * Lists and searches the cases the actor may see; the query text never reaches the audit trail or
 * logs. The SQL is `caseListQueries` (one page costs the same with 10,000 or 1,000,000 cases; the
 * total is exact up to LIST_COUNT_CAP, and a list seen above it in the last minute is not counted
 * again).
 */
export async function listCases(deps: AppDeps, ctx: Ctx, f: TCaseListQuery) {
  const actor = actorOf(ctx);
  const { rows, total, totalCapped } = await queryCaseList(ctx.q, actor, deps.keys, f, cappedLists);
  const links = await linkedCasesOf(
    ctx.q,
    actor,
    rows.filter((r) => r.has_links).map((r) => r.person_id),
  );
  const items: TCaseSummary[] = rows.map((r) => {
    // Names are decrypted only where the actor may see identity (holder, emergency, identity shared).
    const name = r.show_identity
      ? displayName(PersonCipher.unwrap(deps.keys, r.person_id, r.data_key).decrypt('persons.pii', r.pii))
      : null;
    // A referral receiver sees the basics and only the sections its referrals share (as on the case page).
    const shared = (scope: TShareScope) => r.shared_scope === null || r.shared_scope.includes(scope);
    return {
      id: r.id,
      number: r.number,
      stage: r.stage,
      agencyId: r.agency_id,
      agencyName: r.agency_name,
      displayName: name,
      sex: r.sex,
      isChild: r.is_child,
      citizenships: shared('identity') ? r.citizenships : null,
      encounterDate: shared('narrative') ? r.encounter_date : null,
      encounterRegion: r.encounter_region,
      exploitationForms: shared('narrative') ? r.exploitation_forms : null,
      latestOutcome: shared('screening') ? r.latest_outcome : null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      linkedCases: links.get(r.person_id) ?? [],
    };
  });
  await appendAudit(ctx.q, {
    actor,
    action: f.q ? 'case.search' : 'case.list',
    targetType: 'case',
    ip: ctx.ip,
    details: { results: total, page: f.page, shown: items.map((i) => i.number).join(',') },
  });
  return {
    items,
    total,
    totalCapped,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** The case's history from the audit trail; who viewed it only for the holding agency's supervisors. */
export async function caseTimeline(ctx: Ctx, id: string) {
  const row = await visibleCase(ctx, id);
  const withViews = caseAbilities(actorOf(ctx), row).viewAccessLog;
  return ctx.q.query<{ id: string; at: string; action: string; actorName: string | null; agencyName: string | null }>(
    `select e.id::text, e.at, e.action, coalesce(u.display_name, e.actor_username) as "actorName", a.name as "agencyName"
       from audit_events e left join users u on u.id = e.actor_id left join agencies a on a.id = e.agency_id
      where e.target_type = 'case' and e.target_id = $1 and e.outcome = 'success'
        and ($2::boolean or e.action <> 'case.read')
      order by e.id`,
    [id, withViews],
  );
}
