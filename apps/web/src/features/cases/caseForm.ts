import {
  detectScript,
  isChildForRules,
  type TBirthDate,
  type TCaseCreate,
  type TCaseDetail,
  ZCaseCreate,
} from '@opennrm/domain';

/**
 * The intake/edit form as the inputs hold it: strings for typed values, null for an unset choice.
 * It is what the autosaved draft stores, so it must stay plain JSON; `toCaseInput` turns it into the
 * API's shape and `validateCase` checks it with the shared zod schema.
 */
export interface TNameRow {
  family: string;
  given: string;
  patronymic: string;
  script: 'cyrillic' | 'latin' | 'other';
  /** True once the user chose the script by hand: typing no longer re-detects it. */
  scriptChosen: boolean;
  kind: 'primary' | 'alias' | 'document' | 'other';
}

export interface TDocumentRow {
  type: string | null;
  number: string;
  issuingCountry: string | null;
  expiryDate: string;
}

export interface TContactRow {
  type: string | null;
  value: string;
}

export type TBirthKind = TBirthDate['kind'];

export interface TCaseForm {
  person: {
    names: TNameRow[];
    sex: string | null;
    birthKind: TBirthKind;
    birthDate: string;
    birthYear: string;
    minAge: string;
    maxAge: string;
    /** The day the age range was estimated (defaults to the encounter date, else today). */
    ageAsOf: string;
    ageUncertainPossiblyMinor: boolean;
    citizenships: string[];
    stateless: boolean;
    languages: string[];
    interpreterNeeded: boolean;
    documents: TDocumentRow[];
    contacts: TContactRow[];
    maritalStatus: string | null;
    numberOfChildren: string;
    education: string | null;
    vulnerabilities: string[];
  };
  case: {
    encounterDate: string;
    encounterRegion: string | null;
    encounterPlace: string;
    identificationMethod: string | null;
    exploitationForms: string[];
    labourIndustry: string | null;
    sexExploitationTypes: string[];
    meansOfControl: string[];
    recruitmentMethods: string[];
    recruitmentApps: string[];
    relationshipToRecruiter: string | null;
    countriesOfOrigin: string[];
    countriesOfTransit: string[];
    countriesOfExploitation: string[];
    exploitationStart: string;
    exploitationEnd: string;
    narrative: string;
  };
}

/** Today as an ISO date in the browser's time zone. */
export function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function emptyName(): TNameRow {
  return { family: '', given: '', patronymic: '', script: 'cyrillic', scriptChosen: false, kind: 'primary' };
}

/** A new, empty intake form: encounter today; everything else unknown. */
export function emptyCaseForm(): TCaseForm {
  return {
    person: {
      names: [emptyName()],
      sex: null,
      birthKind: 'unknown',
      birthDate: '',
      birthYear: '',
      minAge: '',
      maxAge: '',
      ageAsOf: '',
      ageUncertainPossiblyMinor: false,
      citizenships: [],
      stateless: false,
      languages: [],
      interpreterNeeded: false,
      documents: [],
      contacts: [],
      maritalStatus: null,
      numberOfChildren: '',
      education: null,
      vulnerabilities: [],
    },
    case: {
      encounterDate: today(),
      encounterRegion: null,
      encounterPlace: '',
      identificationMethod: null,
      exploitationForms: [],
      labourIndustry: null,
      sexExploitationTypes: [],
      meansOfControl: [],
      recruitmentMethods: [],
      recruitmentApps: [],
      relationshipToRecruiter: null,
      countriesOfOrigin: [],
      countriesOfTransit: [],
      countriesOfExploitation: [],
      exploitationStart: '',
      exploitationEnd: '',
      narrative: '',
    },
  };
}

/**
 * A stored draft merged over an empty form, so a draft saved by an older version of the form (or
 * tampered with) still gives every field a value of the right kind.
 */
export function formFromDraft(data: unknown): TCaseForm {
  const base = emptyCaseForm();
  if (!data || typeof data !== 'object') return base;
  const d = data as Partial<TCaseForm>;
  const pick = <T extends object>(empty: T, given: unknown): T => {
    if (!given || typeof given !== 'object') return empty;
    const out = { ...empty } as Record<string, unknown>;
    for (const [k, v] of Object.entries(empty)) {
      const g = (given as Record<string, unknown>)[k];
      if (g === undefined) continue;
      if (Array.isArray(v)) out[k] = Array.isArray(g) ? g : v;
      else if (typeof v === 'boolean') out[k] = typeof g === 'boolean' ? g : v;
      else if (v === null || typeof v === 'string') out[k] = typeof g === 'string' || g === null ? g : v;
    }
    return out as T;
  };
  const person = pick(base.person, d.person);
  if (!person.names.length) person.names = [emptyName()];
  person.names = person.names.map((n) => ({ ...emptyName(), ...n }));
  return { person, case: pick(base.case, d.case) };
}

/** The script a name row is written in, detected from its letters (mixed or none counts as other). */
export function scriptOf(row: Pick<TNameRow, 'family' | 'given' | 'patronymic'>): TNameRow['script'] {
  const s = detectScript(`${row.family} ${row.given} ${row.patronymic}`);
  return s === 'cyrillic' || s === 'latin' ? s : 'other';
}

const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
const int = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** The birth date the form describes. */
export function birthDateOf(p: TCaseForm['person'], encounterDate: string): TBirthDate {
  switch (p.birthKind) {
    case 'exact':
      return { kind: 'exact', date: p.birthDate };
    case 'year':
      return { kind: 'year', year: int(p.birthYear) };
    case 'range':
      return {
        kind: 'range',
        minAge: int(p.minAge),
        maxAge: int(p.maxAge),
        asOf: p.ageAsOf || encounterDate || today(),
      };
    default:
      return { kind: 'unknown' };
  }
}

/** The form in the API's shape (before validation): empty strings left out, numbers parsed. */
export function toCaseInput(f: TCaseForm): unknown {
  const p = f.person;
  const c = f.case;
  const names = p.names
    .filter((n) => n.family.trim() || n.given.trim() || n.patronymic.trim())
    .map((n) => ({
      family: opt(n.family),
      given: opt(n.given),
      patronymic: opt(n.patronymic),
      script: n.script,
      kind: n.kind,
    }));
  return {
    person: {
      names,
      sex: p.sex ?? undefined,
      birthDate: birthDateOf(p, c.encounterDate),
      ageUncertainPossiblyMinor: p.ageUncertainPossiblyMinor,
      citizenships: p.citizenships,
      stateless: p.stateless,
      languages: p.languages,
      interpreterNeeded: p.interpreterNeeded,
      documents: p.documents.map((d) => ({
        type: d.type ?? undefined,
        number: d.number,
        issuingCountry: d.issuingCountry,
        expiryDate: opt(d.expiryDate) ?? null,
      })),
      contacts: p.contacts.map((x) => ({ type: x.type ?? undefined, value: x.value })),
      maritalStatus: p.maritalStatus,
      numberOfChildren: p.numberOfChildren.trim() === '' ? null : int(p.numberOfChildren),
      education: p.education,
      vulnerabilities: p.vulnerabilities,
    },
    case: {
      encounterDate: c.encounterDate || undefined,
      encounterRegion: c.encounterRegion ?? undefined,
      encounterPlace: opt(c.encounterPlace) ?? null,
      identificationMethod: c.identificationMethod ?? undefined,
      exploitationForms: c.exploitationForms,
      labourIndustry: c.labourIndustry,
      sexExploitationTypes: c.sexExploitationTypes,
      meansOfControl: c.meansOfControl,
      recruitmentMethods: c.recruitmentMethods,
      recruitmentApps: c.recruitmentApps,
      relationshipToRecruiter: c.relationshipToRecruiter,
      countriesOfOrigin: c.countriesOfOrigin,
      countriesOfTransit: c.countriesOfTransit,
      countriesOfExploitation: c.countriesOfExploitation,
      exploitationStart: opt(c.exploitationStart) ?? null,
      exploitationEnd: opt(c.exploitationEnd) ?? null,
      narrative: opt(c.narrative) ?? null,
    },
  };
}

/**
 * Names in the API are a filtered list: map an API path `person.names.<i>` back to the form row it
 * came from, so an error lands under the right input.
 */
function nameRowIndexes(f: TCaseForm): number[] {
  return f.person.names.flatMap((n, i) => (n.family.trim() || n.given.trim() || n.patronymic.trim() ? [i] : []));
}

/** Rewrites an API path to the form's path (names, birth date parts). */
export function formPath(f: TCaseForm, apiPath: string): string {
  const rows = nameRowIndexes(f);
  let path = apiPath.replace(/^person\.names\.(\d+)/, (_, i: string) => `person.names.${rows[Number(i)] ?? i}`);
  path = path
    .replace(/^person\.birthDate\.date$/, 'person.birthDate')
    .replace(/^person\.birthDate\.year$/, 'person.birthYear')
    .replace(/^person\.birthDate\.minAge$/, 'person.minAge')
    .replace(/^person\.birthDate\.maxAge$/, 'person.maxAge');
  return path;
}

/** A field error: the path of the form field and the translation key of the message. */
export type TFormErrors = Record<string, string>;

/** Validates with the shared schema; returns the API body, or field errors as i18n keys by form path. */
export function validateCase(f: TCaseForm): { ok: true; value: TCaseCreate } | { ok: false; errors: TFormErrors } {
  const input = toCaseInput(f);
  const parsed = ZCaseCreate.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: TFormErrors = {};
  for (const issue of parsed.error.issues) {
    const given = issue.path.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined),
      input,
    );
    const key =
      issue.code === 'custom'
        ? `validation.${issue.message}`
        : given === undefined || given === null || given === '' || (typeof given === 'number' && Number.isNaN(given))
          ? 'validation.required'
          : `validation.${issue.code}`;
    errors[formPath(f, issue.path.join('.'))] ??= key;
  }
  return { ok: false, errors };
}

/** The form filled with a case as the API returns it (edit mode). */
export function formFromDetail(d: Pick<TCaseDetail, 'person' | 'case'>): TCaseForm {
  const p = d.person;
  const c = d.case;
  const b = p.birthDate;
  const s = (v: string | null | undefined) => v ?? '';
  return {
    person: {
      names: p.names.length
        ? p.names.map((n) => ({
            family: s(n.family),
            given: s(n.given),
            patronymic: s(n.patronymic),
            script: n.script,
            scriptChosen: true,
            kind: n.kind,
          }))
        : [emptyName()],
      sex: p.sex,
      birthKind: b.kind,
      birthDate: b.kind === 'exact' ? b.date : '',
      birthYear: b.kind === 'year' ? String(b.year) : '',
      minAge: b.kind === 'range' ? String(b.minAge) : '',
      maxAge: b.kind === 'range' ? String(b.maxAge) : '',
      ageAsOf: b.kind === 'range' ? b.asOf : '',
      ageUncertainPossiblyMinor: p.ageUncertainPossiblyMinor,
      citizenships: [...p.citizenships],
      stateless: p.stateless,
      languages: [...p.languages],
      interpreterNeeded: p.interpreterNeeded,
      documents: p.documents.map((x) => ({
        type: x.type,
        number: x.number,
        issuingCountry: x.issuingCountry ?? null,
        expiryDate: s(x.expiryDate),
      })),
      contacts: p.contacts.map((x) => ({ type: x.type, value: x.value })),
      maritalStatus: p.maritalStatus ?? null,
      numberOfChildren: p.numberOfChildren == null ? '' : String(p.numberOfChildren),
      education: p.education ?? null,
      vulnerabilities: [...p.vulnerabilities],
    },
    case: {
      encounterDate: c.encounterDate,
      encounterRegion: c.encounterRegion,
      encounterPlace: s(c.encounterPlace),
      identificationMethod: c.identificationMethod,
      exploitationForms: [...c.exploitationForms],
      labourIndustry: c.labourIndustry ?? null,
      sexExploitationTypes: [...c.sexExploitationTypes],
      meansOfControl: [...c.meansOfControl],
      recruitmentMethods: [...c.recruitmentMethods],
      recruitmentApps: [...c.recruitmentApps],
      relationshipToRecruiter: c.relationshipToRecruiter ?? null,
      countriesOfOrigin: [...c.countriesOfOrigin],
      countriesOfTransit: [...c.countriesOfTransit],
      countriesOfExploitation: [...c.countriesOfExploitation],
      exploitationStart: s(c.exploitationStart),
      exploitationEnd: s(c.exploitationEnd),
      narrative: s(c.narrative),
    },
  };
}

/** Whether the rules treat the person in the form as a child today (shown before saving). */
export function formIsChild(f: TCaseForm): boolean {
  const birth = birthDateOf(f.person, f.case.encounterDate);
  const valid =
    birth.kind === 'unknown' ||
    (birth.kind === 'exact' && /^\d{4}-\d{2}-\d{2}$/.test(birth.date)) ||
    (birth.kind === 'year' && Number.isFinite(birth.year)) ||
    (birth.kind === 'range' && Number.isFinite(birth.minAge) && Number.isFinite(birth.maxAge));
  return isChildForRules(
    { birthDate: valid ? birth : { kind: 'unknown' }, ageUncertainPossiblyMinor: f.person.ageUncertainPossiblyMinor },
    today(),
  );
}

/** True when the user typed nothing beyond the defaults (an untouched form is not worth a draft). */
export function isBlank(f: TCaseForm): boolean {
  const e = emptyCaseForm();
  return (
    JSON.stringify({ ...f, case: { ...f.case, encounterDate: '' } }) ===
    JSON.stringify({ ...e, case: { ...e.case, encounterDate: '' } })
  );
}
