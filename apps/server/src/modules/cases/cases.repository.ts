import { nameSearchKeys, type TCaseFields, type TCaseListQuery, type TCaseStage } from '@opennrm/domain';
import type { Keys } from '../../crypto/keys.ts';
import { indexKey, normaliseDocumentNumber, normalisePhone, type PersonCipher } from '../../crypto/person-crypto.ts';
import type { Queryable } from '../../db/client.ts';
import type { Actor } from '../../http/context.ts';
import { caseVisibilityBranches, casesVisibleTo } from '../../policies/case.policy.ts';
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

/**
 * A free-text search, pushing its parameters: a case number (full or its sequence digits), or a
 * name — every query token must match a blind-index key of the person — or a document number or
 * phone. Only HMACs of the query reach the database. `persons` selects the persons matching the
 * name, document or phone as one set: the name tokens intersect on the index before any case is
 * read. `numbers` are conditions on the case number.
 */
export function searchParts(keys: Keys, q: string, params: unknown[]): { numbers: string[]; persons: string | null } {
  const text = q.trim();
  if (CASE_NUMBER.test(text)) {
    const [country, year, seq] = text.toUpperCase().split('-') as [string, string, string];
    return { numbers: [`c.number = $${params.push(`${country}-${year}-${seq.padStart(6, '0')}`)}`], persons: null };
  }
  const numbers: string[] = [];
  if (/^\d{1,6}$/.test(text)) numbers.push(`right(c.number, 6) = $${params.push(text.padStart(6, '0'))}`);
  const persons: string[] = [];
  const byKey = (kind: string, keySql: string) =>
    `select x.person_id from person_index x where x.kind = '${kind}' and x.key ${keySql}`;
  // the keys of the query words, computed as the index computes them: the pair keys of the first
  // two words read only the persons holding both (nameSearchKeys)
  const name = nameSearchKeys(text);
  if (name)
    persons.push(
      `(${[name.first, ...name.rest]
        .map((g) => byKey('name', `= any($${params.push(g.map((key) => indexKey(keys, 'name', key)))}::text[])`))
        .join(' intersect ')})`,
    );
  const doc = normaliseDocumentNumber(text);
  if (doc.length >= 4) persons.push(byKey('document', `= $${params.push(indexKey(keys, 'document', doc))}`));
  const phone = normalisePhone(text);
  if (phone.length >= 7) persons.push(byKey('phone', `= $${params.push(indexKey(keys, 'phone', phone))}`));
  return { numbers, persons: persons.length ? persons.join(' union ') : null };
}

/** A list counts matching cases up to this many and then says "more than"; pages go as far. */
export const LIST_COUNT_CAP = 1000;

const SORT_COLUMNS: Record<TCaseListQuery['sort'], string> = {
  encounterDate: 'c.encounter_date',
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
  number: 'c.number',
};

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
 * than `cap` past it. The benchmark's SQL ceiling runs exactly this statement.
 */
export function caseListQueries(
  actor: Actor,
  keys: Keys,
  f: TCaseListQuery,
  cap = LIST_COUNT_CAP,
): { sql: string; params: unknown[] } | null {
  const params: unknown[] = [];
  const push = (v: unknown) => `$${params.push(v)}`;
  const filters: string[] = [];
  if (f.stage?.length) filters.push(`c.stage = any(${push(f.stage)}::text[])`);
  if (f.agencyId) filters.push(`c.agency_id = ${push(f.agencyId)}`);
  if (f.region) filters.push(`c.encounter_region = ${push(f.region)}`);
  if (f.from) filters.push(`c.encounter_date >= ${push(f.from)}`);
  if (f.to) filters.push(`c.encounter_date <= ${push(f.to)}`);
  if (f.exploitationForm) filters.push(`${push(f.exploitationForm)} = any(c.exploitation_forms)`);
  if (f.ageGroup) filters.push(`c.is_child = ${push(f.ageGroup === 'child')}`);
  const join = f.citizenship ? 'join persons p on p.id = c.person_id' : '';
  if (f.citizenship) filters.push(`${push(f.citizenship)} = any(p.citizenships)`);
  // A free-text search may match names, documents or phones: only among cases whose identity the actor sees.
  let withPersons = '';
  if (f.q) {
    const search = searchParts(keys, f.q, params);
    const alternatives = [...search.numbers];
    if (search.persons) {
      withPersons = `m as materialized (${search.persons}), `;
      alternatives.push('c.person_id in (select person_id from m)');
    }
    filters.push(alternatives.length ? `(${alternatives.join(' or ')})` : 'false');
  }
  const branches = caseVisibilityBranches(actor, push, Boolean(f.q));
  if (!branches.length) return null;
  const where = (branch: string) => [branch, ...filters].join(' and ');
  const sort = SORT_COLUMNS[f.sort];
  const dir = f.order === 'asc' ? 'asc' : 'desc';
  // Limits are parameters: one statement text per filter shape, prepared once and reused for every page.
  const countLimit = `${push(cap + 1)}::int`;
  const reach = `${push(f.page * f.pageSize)}::int`;
  const pageSize = `${push(f.pageSize)}::int`;
  const offset = `${push((f.page - 1) * f.pageSize)}::int`;
  const counted = branches.map((b) => `(select c.id from cases c ${join} where ${where(b)} limit ${countLimit})`);
  const top = branches.map(
    (b) =>
      `(select c.id, ${sort} as s from cases c ${join} where ${where(b)} order by ${sort} ${dir}, c.id ${dir} limit ${reach})`,
  );
  const identity = casesVisibleTo(actor, params.length + 1);
  params.push(...identity.params);
  const sql = `with ${withPersons}t as (select count(*)::int as n from (${counted.join(' union ')}) v)
  select t.n as total, r.* from t left join (
    select c.id, c.number, c.stage, c.agency_id, a.name as agency_name, c.person_id, p.data_key, p.pii, p.sex, c.is_child,
           ${identity.identitySql} as show_identity, ${identity.sharedScopeSql} as shared_scope, p.citizenships,
           c.encounter_date::text, c.encounter_region, c.exploitation_forms, c.latest_outcome, c.created_at, c.updated_at,
           ${HAS_LINKS} as has_links, v.s as sort_value
      from (select u.id, u.s from (${top.join(' union ')}) u order by u.s ${dir}, u.id ${dir} limit ${pageSize} offset ${offset}) v
      join cases c on c.id = v.id join persons p on p.id = c.person_id join agencies a on a.id = c.agency_id) r on true
  order by r.sort_value ${dir}, r.id ${dir}`;
  return { sql, params };
}
