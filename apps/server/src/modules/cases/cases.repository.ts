import {
  nameSearchKeys,
  scopeOfField,
  type TCaseFields,
  type TCaseListQuery,
  type TCaseStage,
  type TShareScope,
} from '@opennrm/domain';
import type { Keys } from '../../crypto/keys.ts';
import { indexKey, normaliseDocumentNumber, normalisePhone, type PersonCipher } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import type { Actor } from '../../http/context.ts';
import { type CaseBranch, caseVisibilityBranches, casesVisibleTo } from '../../policies/case.policy.ts';
import type { PersonRow } from './persons.repository.ts';

export interface CaseRow extends PersonRow {
  person_id: string;
  number: string;
  stage: TCaseStage;
  agency_id: string;
  agency_name: string;
  created_by: string;
  created_by_name: string;
  is_child: boolean;
  cross_border: boolean;
  encounter_date: string;
  encounter_region: string;
  encounter_place_enc: string | null;
  identification_method: string;
  exploitation_forms: string[];
  labour_industry: string | null;
  sex_exploitation_types: string[];
  means_of_control: string[];
  recruitment_methods: string[];
  recruitment_apps: string[];
  relationship_to_recruiter: string | null;
  countries_of_origin: string[];
  countries_of_transit: string[];
  countries_of_exploitation: string[];
  exploitation_start: string | null;
  exploitation_end: string | null;
  narrative_enc: string | null;
  latest_outcome: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  has_links: boolean;
}

/** True when the person was merged with another (duplicate review): only then are linked cases looked up. */
const HAS_LINKS = '(p.merged_into is not null or exists (select 1 from persons o where o.merged_into = p.id))';

export async function loadCaseRow(q: Queryable, id: string): Promise<CaseRow | undefined> {
  const [row] = await q.query<CaseRow>(
    `select c.*, c.encounter_date::text as encounter_date, c.exploitation_start::text as exploitation_start,
            c.exploitation_end::text as exploitation_end, a.name as agency_name, u.display_name as created_by_name,
            p.data_key, p.pii, p.sex, p.age_band, p.age_uncertain, p.citizenships, p.languages, p.attributes,
            ${HAS_LINKS} as has_links
       from cases c join persons p on p.id = c.person_id join agencies a on a.id = c.agency_id join users u on u.id = c.created_by
      where c.id = $1`,
    [id],
  );
  return row;
}

/** Case columns from encounter_date to narrative_enc, in table order; free text encrypted under the person's key. */
export function caseFieldParams(cipher: PersonCipher, caseId: string, c: TCaseFields): unknown[] {
  return [
    c.encounterDate,
    c.encounterRegion,
    cipher.encryptNullable(`cases.encounter_place:${caseId}`, c.encounterPlace),
    c.identificationMethod,
    c.exploitationForms,
    c.labourIndustry ?? null,
    c.sexExploitationTypes,
    c.meansOfControl,
    c.recruitmentMethods,
    c.recruitmentApps,
    c.relationshipToRecruiter ?? null,
    c.countriesOfOrigin,
    c.countriesOfTransit,
    c.countriesOfExploitation,
    c.exploitationStart ?? null,
    c.exploitationEnd ?? null,
    cipher.encryptNullable(`cases.narrative:${caseId}`, c.narrative),
  ];
}

export function caseFieldsFromRow(r: CaseRow, cipher: PersonCipher): TCaseFields {
  return {
    encounterDate: r.encounter_date,
    encounterRegion: r.encounter_region as TCaseFields['encounterRegion'],
    encounterPlace: cipher.decryptNullable<string>(`cases.encounter_place:${r.id}`, r.encounter_place_enc),
    identificationMethod: r.identification_method as TCaseFields['identificationMethod'],
    exploitationForms: r.exploitation_forms as TCaseFields['exploitationForms'],
    labourIndustry: r.labour_industry as TCaseFields['labourIndustry'],
    sexExploitationTypes: r.sex_exploitation_types as TCaseFields['sexExploitationTypes'],
    meansOfControl: r.means_of_control as TCaseFields['meansOfControl'],
    recruitmentMethods: r.recruitment_methods as TCaseFields['recruitmentMethods'],
    recruitmentApps: r.recruitment_apps as TCaseFields['recruitmentApps'],
    relationshipToRecruiter: r.relationship_to_recruiter as TCaseFields['relationshipToRecruiter'],
    countriesOfOrigin: r.countries_of_origin as TCaseFields['countriesOfOrigin'],
    countriesOfTransit: r.countries_of_transit as TCaseFields['countriesOfTransit'],
    countriesOfExploitation: r.countries_of_exploitation as TCaseFields['countriesOfExploitation'],
    exploitationStart: r.exploitation_start,
    exploitationEnd: r.exploitation_end,
    narrative: cipher.decryptNullable<string>(`cases.narrative:${r.id}`, r.narrative_enc),
  };
}

const CASE_NUMBER = /^[A-Za-z]{2}-\d{4}-\d{1,6}$/;

/** A set of persons a search matches, selected on one kind of blind index, and the share scope of that kind. */
export interface SearchPersons {
  sql: string;
  scope: TShareScope;
}

/**
 * A free-text search, pushing its parameters: a case number (full or its sequence digits), or a
 * name — every query token must match a blind-index key of the person — or a document number or
 * phone. Only HMACs of the query reach the database. `persons` selects the persons matching the
 * name, document or phone, one set per kind with the scope that shows the matched value (identity,
 * documents, contact): the name tokens intersect on the index before any case is read. `numbers`
 * are conditions on the case number.
 */
export function searchParts(keys: Keys, q: string, params: unknown[]): { numbers: string[]; persons: SearchPersons[] } {
  const text = q.trim();
  if (CASE_NUMBER.test(text)) {
    const [country, year, seq] = text.toUpperCase().split('-') as [string, string, string];
    return { numbers: [`c.number = $${params.push(`${country}-${year}-${seq.padStart(6, '0')}`)}`], persons: [] };
  }
  const numbers: string[] = [];
  if (/^\d{1,6}$/.test(text)) numbers.push(`right(c.number, 6) = $${params.push(text.padStart(6, '0'))}`);
  const persons: SearchPersons[] = [];
  const byKey = (kind: string, keySql: string) =>
    `select x.person_id from person_index x where x.kind = '${kind}' and x.key ${keySql}`;
  // the keys of the query words, computed as the index computes them: the pair keys of the first
  // two words read only the persons holding both (nameSearchKeys)
  const name = nameSearchKeys(text);
  if (name)
    persons.push({
      sql: `(${[name.first, ...name.rest]
        .map((g) => byKey('name', `= any($${params.push(g.map((key) => indexKey(keys, 'name', key)))}::text[])`))
        .join(' intersect ')})`,
      scope: scopeOfField('names'),
    });
  const doc = normaliseDocumentNumber(text);
  if (doc.length >= 4)
    persons.push({
      sql: byKey('document', `= $${params.push(indexKey(keys, 'document', doc))}`),
      scope: scopeOfField('documents'),
    });
  const phone = normalisePhone(text);
  if (phone.length >= 7)
    persons.push({
      sql: byKey('phone', `= $${params.push(indexKey(keys, 'phone', phone))}`),
      scope: scopeOfField('contacts'),
    });
  return { numbers, persons };
}

/** A list counts matching cases up to this many and then says "more than"; pages go as far. */
export const LIST_COUNT_CAP = 1000;

/**
 * The lists (an actor's visibility and filters, no search text) seen a moment ago to hold more
 * cases than the cap. Counting to the cap reads cap + 1 rows of every branch; once a list is known
 * to exceed it, its next pages read only as far as the page (`knownAboveCap`) and say "more than
 * the cap" without counting again. Each entry lasts `ttlMs`, so a list that falls below the cap
 * (cases transferred, referrals ended) shows its exact count again within a minute; the entries
 * hold ids and filter values only, never search text.
 */
export class CappedLists {
  private readonly until = new Map<string, number>();
  constructor(
    private readonly ttlMs = 60_000,
    private readonly max = 10_000,
  ) {}

  /** The list's key, or null for a search (its count is small and its text is not kept). */
  static keyOf(actor: Actor, f: TCaseListQuery): string | null {
    if (f.q) return null;
    const { page: _p, pageSize: _s, sort: _o, order: _d, ...filters } = f;
    return JSON.stringify([actor.agencyId, actor.userId, [...actor.roles].sort(), filters]);
  }

  has(key: string | null, now = Date.now()): boolean {
    if (key === null) return false;
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(key);
    return false;
  }

  add(key: string | null, now = Date.now()): void {
    if (key === null) return;
    this.until.delete(key);
    // A Map iterates in insertion order: past the bound, the oldest entry goes.
    if (this.until.size >= this.max) this.until.delete(this.until.keys().next().value!);
    this.until.set(key, now + this.ttlMs);
  }
}

/**
 * The list's sort columns and the share scope that shows each to a referral receiver (null: the
 * basics every reader sees), with the column's SQL type. No column is null in a case.
 */
const SORT_COLUMNS: Record<TCaseListQuery['sort'], { sql: string; scope: TShareScope | null; type: string }> = {
  encounterDate: { sql: 'c.encounter_date', scope: scopeOfField('encounterDate'), type: 'date' },
  createdAt: { sql: 'c.created_at', scope: null, type: 'timestamptz' },
  updatedAt: { sql: 'c.updated_at', scope: null, type: 'timestamptz' },
  number: { sql: 'c.number', scope: null, type: 'text' },
};

/** A list filter: its condition on `c` (or `p`), and the scope that shows its column to a referral receiver. */
interface Filter {
  sql: string;
  scope: TShareScope | null;
}

export interface CaseListRow {
  /** The capped count of the whole list (in every row). */
  total: number;
  id: string;
  number: string;
  stage: TCaseStage;
  agency_id: string;
  agency_name: string;
  person_id: string;
  data_key: string;
  pii: string;
  sex: string;
  is_child: boolean;
  show_identity: boolean;
  /** Null where the actor sees the whole case; else the scopes shared with the actor's agency. */
  shared_scope: string[] | null;
  citizenships: string[];
  encounter_date: string;
  encounter_region: string;
  exploitation_forms: string[];
  latest_outcome: string | null;
  created_at: string;
  updated_at: string;
  has_links: boolean;
}

/**
 * The SQL of one case-list page with its capped count in every row (`total`; a page past the end
 * gives one row with a null id), or null when the actor sees no case: one statement, one round
 * trip. Each visibility branch (holder, emergency access, referral) is filtered, ordered and cut on
 * its own index (migration 0015), and the branches are merged; the persons a search matches are
 * computed once (`with m`) for the count and the page. The count is exact up to `cap` and more
 * than `cap` past it; with `knownAboveCap` it only covers the rows read for the page, and the caller
 * reports "more than `cap`". The benchmark's SQL ceiling runs exactly this statement.
 *
 * The referral branch shows a receiver only the parts its referrals share (`CaseBranch.referred`),
 * and a column of a hidden part is neither a filter nor a sort key: a filter on it keeps only the
 * referred cases sharing its part (the filter's value is hidden elsewhere, as if missing), and a
 * sort on it splits the branch in two — cases sharing the part, ordered on the column as before
 * (the same index walk), and the others with a null key, ordered by id only — merged nulls last
 * in both directions; so neither the rows nor their order answer what a row does not show. A
 * search finds a referred case by a document or phone only where documents or contacts are shared.
 * The held cases' branches are unchanged.
 */
export function caseListQueries(
  actor: Actor,
  keys: Keys,
  f: TCaseListQuery,
  cap = LIST_COUNT_CAP,
  knownAboveCap = false,
): { sql: string; params: unknown[] } | null {
  const params: unknown[] = [];
  const push = (v: unknown) => `$${params.push(v)}`;
  const filters: Filter[] = [];
  const add = (sql: string, scope: TShareScope | null = null) => filters.push({ sql, scope });
  if (f.stage?.length) add(`c.stage = any(${push(f.stage)}::text[])`);
  if (f.agencyId) add(`c.agency_id = ${push(f.agencyId)}`);
  if (f.region) add(`c.encounter_region = ${push(f.region)}`);
  if (f.from) add(`c.encounter_date >= ${push(f.from)}`, scopeOfField('encounterDate'));
  if (f.to) add(`c.encounter_date <= ${push(f.to)}`, scopeOfField('encounterDate'));
  if (f.exploitationForm)
    add(`${push(f.exploitationForm)} = any(c.exploitation_forms)`, scopeOfField('exploitationForms'));
  if (f.ageGroup) add(`c.is_child = ${push(f.ageGroup === 'child')}`);
  const join = f.citizenship ? 'join persons p on p.id = c.person_id' : '';
  if (f.citizenship) add(`${push(f.citizenship)} = any(p.citizenships)`, scopeOfField('citizenships'));
  // A free-text search may match names, documents or phones: only among cases whose identity the actor sees.
  let withPersons = '';
  let search: ((b: CaseBranch) => string) | null = null;
  if (f.q) {
    const parts = searchParts(keys, f.q, params);
    if (parts.persons.length)
      withPersons = `m as materialized (${parts.persons
        .map((x) => `select x.person_id, '${x.scope}' as scope from (${x.sql}) x`)
        .join(' union all ')}), `;
    const scopes = [...new Set(parts.persons.map((x) => x.scope))];
    search = (b) => {
      const alternatives = [...parts.numbers];
      const referred = b.referred;
      if (referred) {
        // A receiver: a match counts only on a kind of identifier its referrals share. A search
        // reads the referral branch with identity shared (`identityOnly`): a name needs no more.
        // The persons matched come first (the few rows to check), the kind of the match after.
        const kinds = scopes.map((scope) =>
          scope === 'identity'
            ? `c.person_id in (select m.person_id from m where m.scope = 'identity')`
            : `(c.person_id in (select m.person_id from m where m.scope = '${scope}') and ${referred.shares(scope)})`,
        );
        if (scopes.length)
          alternatives.push(
            scopes.length === 1 && scopes[0] === 'identity'
              ? 'c.person_id in (select m.person_id from m)'
              : `(c.person_id in (select m.person_id from m) and (${kinds.join(' or ')}))`,
          );
      } else if (scopes.length) alternatives.push('c.person_id in (select m.person_id from m)');
      return alternatives.length ? `(${alternatives.join(' or ')})` : 'false';
    };
  }
  const branches = caseVisibilityBranches(actor, push, Boolean(f.q));
  if (!branches.length) return null;
  // The scopes a referred case must share for the filters to see their columns.
  const filterScopes = [...new Set(filters.flatMap((x) => (x.scope ? [x.scope] : [])))];
  /** A branch's conditions; on the referral branch, also sharing the filters' scopes and `more`. */
  const where = (b: CaseBranch, more: TShareScope[] = []) =>
    [
      b.sql,
      ...(b.referred ? [...new Set([...filterScopes, ...more])].map(b.referred.shares) : []),
      ...filters.map((x) => x.sql),
      ...(search ? [search(b)] : []),
    ].join(' and ');
  const column = SORT_COLUMNS[f.sort];
  const sort = column.sql;
  const dir = f.order === 'asc' ? 'asc' : 'desc';
  // Null keys (referred cases whose scope hides the column) last in both directions; only the
  // referral branch has them, so every other branch reads the same rows from its index.
  const nulls = column.scope ? ' nulls last' : '';
  // Each branch reads its first rows in the list's order, enough for the count (cap + 1) and the
  // page (a multiple of 500, so deep pages share a few statement texts). The limit is written in the
  // statement, not passed: with every limit known, the plan PostgreSQL caches for a prepared
  // statement after five runs is as good as a fresh one, and the list is no longer planned on every
  // request (planning cost more than running it). Page size and offset stay parameters. A list
  // known to exceed the cap (`CappedLists`) is not counted again: its branches read as far as the
  // page, in multiples of 100.
  const branchLimit = knownAboveCap
    ? Math.ceil((f.page * f.pageSize) / 100) * 100
    : Math.max(cap + 1, Math.ceil((f.page * f.pageSize) / 500) * 500);
  const pageSize = `${push(f.pageSize)}::int`;
  const offset = `${push((f.page - 1) * f.pageSize)}::int`;
  const topOf = (cond: string, key = sort, order = `${sort} ${dir}, c.id ${dir}`) =>
    `(select c.id, ${key} as s from cases c ${join} where ${cond} order by ${order} limit ${branchLimit})`;
  const top = branches.flatMap((b) => {
    if (!b.referred || !column.scope) return [topOf(where(b))];
    // Referred cases sharing the sort column's part, on the column; unless a filter already keeps
    // only those, the others (seen in full nowhere else) with a null key, by id.
    const shown = topOf(where(b, [column.scope]));
    if (filterScopes.includes(column.scope)) return [shown];
    const hidden = topOf(
      `${where(b)} and not ${b.referred.shares(column.scope)} and ${b.referred.only}`,
      `null::${column.type}`,
      `c.id ${dir}`,
    );
    return [shown, hidden];
  });
  const identity = casesVisibleTo(actor, params.length + 1);
  params.push(...identity.params);
  // The count is of the branches' rows: exact while no branch reached its limit, else above the cap.
  const sql = `with ${withPersons}b as materialized (${top.join(' union ')}),
  t as (select count(distinct b.id)::int as n from b)
  select t.n as total, r.* from t left join (
    select c.id, c.number, c.stage, c.agency_id, a.name as agency_name, c.person_id, p.data_key, p.pii, p.sex, c.is_child,
           ${identity.identitySql} as show_identity, ${identity.sharedScopeSql} as shared_scope, p.citizenships,
           c.encounter_date::text, c.encounter_region, c.exploitation_forms, c.latest_outcome, c.created_at, c.updated_at,
           ${HAS_LINKS} as has_links, v.s as sort_value
      from (select b.id, b.s from b order by b.s ${dir}${nulls}, b.id ${dir} limit ${pageSize} offset ${offset}) v
      join cases c on c.id = v.id join persons p on p.id = c.person_id join agencies a on a.id = c.agency_id) r on true
  order by r.sort_value ${dir}${nulls}, r.id ${dir}`;
  return { sql, params };
}

/**
 * Runs one case-list page (`caseListQueries`) for the actor: the page's rows and the total, exact
 * up to LIST_COUNT_CAP, else "more than" it (`totalCapped`). A list seen above the cap in `capped`
 * is not counted again; a list counted above it is remembered there.
 */
export async function queryCaseList(
  q: Queryable,
  actor: Actor,
  keys: Keys,
  f: TCaseListQuery,
  capped: CappedLists,
): Promise<{ rows: CaseListRow[]; total: number; totalCapped: boolean }> {
  const key = CappedLists.keyOf(actor, f);
  const known = capped.has(key);
  const sql = caseListQueries(actor, keys, f, LIST_COUNT_CAP, known);
  const result = sql ? await q.query<CaseListRow>(sql.sql, sql.params) : [];
  const n = known ? LIST_COUNT_CAP + 1 : (result[0]?.total ?? 0);
  if (n > LIST_COUNT_CAP && !known) capped.add(key);
  return {
    rows: result.filter((r) => r.id !== null),
    total: Math.min(n, LIST_COUNT_CAP),
    totalCapped: n > LIST_COUNT_CAP,
  };
}
