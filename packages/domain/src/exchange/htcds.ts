import { z } from 'zod';
import { ZRegion } from '../agency/agency.ts';
import {
  EXPLOITATION_FORMS,
  LABOUR_INDUSTRIES,
  MEANS_OF_CONTROL,
  RECRUITMENT_METHODS,
  SEX_EXPLOITATION_TYPES,
  SEX_GENDER,
} from '../case/case.enums.ts';
import { type TCaseCreate, ZCaseCreate } from '../case/case.schemas.ts';
import { COUNTRY_CODES } from '../case/countries.ts';
import { HTCDS_DECISION_ORGS, HTCDS_TRAFFICKING_STATUSES } from '../decision/status.schemas.ts';

/**
 * HTCDS 2.0 import (issue 7): the IOM Excel templates (both variants) and CSV with the same headers.
 *
 * Template quirks handled here, as data:
 * - row 1 holds the field names, row 2 human labels — in a different order for the mailing columns,
 *   so only row 1 is trusted for named columns;
 * - the header typo `vic_TraffickinStatusDecisionMakingOrg` (accepted with the correct spelling too);
 * - one column has no field name in row 1, only the label "Reason for Outgoing Referral" in row 2;
 * - picklist cells hold labels ("Debt bondage ", with a trailing space) while the field standard names
 *   values in CamelCase (DebtBondage); some definitions spell means of control differently
 *   (e.g. "Threats of law enforcement" vs ThreatsLawEnforcement). Both spellings are accepted.
 */

/** Field names (row 1) that mean another field. */
export const HTCDS_HEADER_ALIASES: Readonly<Record<string, string>> = {
  vic_TraffickinStatusDecisionMakingOrg: 'vic_TraffickingStatusDecisionMakingOrg',
  vic_Methods_of_Control: 'vic_MethodsOfControl',
};
/** Label (row 2) of a column whose field name is missing in row 1. */
export const HTCDS_LABEL_FIELDS: Readonly<Record<string, string>> = {
  'Reason for Outgoing Referral': 'cas_ReasonForOutgoingReferral',
};

/** The columns OpenNRM reads; every other column of the template is reported as not imported. */
export const HTCDS_IMPORTED_FIELDS = [
  'prs_FirstName',
  'prs_SecondName',
  'prs_Birthdate',
  'prs_Gender',
  'prs_Citizenship',
  'prs_Email',
  'prs_HomePhone',
  'prs_MobilePhone',
  'prs_MailingStreet',
  'prs_MailingCity',
  'prs_MailingState',
  'prs_MailingPostalCode',
  'prs_MailingCountry',
  'vic_TraffickingStatus',
  'vic_TraffickingStatusDecisionMakingOrg',
  'vic_MethodOfRecruitment',
  'vic_LocationOfRecruitment',
  'vic_MethodsOfControl',
  'vic_TypeOfExploitation',
  'vic_ForcedLabourIndustry',
  'vic_TypeOfSexExploitation',
  'vic_LocationOfExploitation',
  'cas_IncomingReferralDate',
] as const;
export type THtcdsField = (typeof HTCDS_IMPORTED_FIELDS)[number];

/** Picklist labels of the template's validation sheet, by value (same order as the enums). */
const LABELS: Record<string, readonly string[]> = {
  gender: SEX_GENDER,
  exploitation: [
    'Forced labour',
    'Sexual exploitation',
    'Child labour',
    'Forced marriage',
    'Servitude',
    'Forced military (by non-state actors)',
    'Organ removal',
    'Forced begging',
    'Forced adoption',
    'Surrogacy',
    'Forced criminality',
    'Other',
  ],
  industry: [
    'Agriculture, forestry and fishing',
    'Mining and quarrying',
    'Manufacturing',
    'Electricity, gas, steam and air conditioning supply',
    'Water supply; sewerage, waste management and remediation',
    'Construction',
    'Wholesale and retail trade; repair of motor vehicles and motorcycles',
    'Transportation and storage',
    'Accommodation and food service activities',
    'Information and communication',
    'Financial and insurance activities',
    'Real estate activities',
    'Professional, scientific and technical activities',
    'Administrative and support service activities',
    'Public administration and defence; compulsory social security',
    'Education',
    'Human health and social work activities',
    'Arts, entertainment and recreation',
    'Other service activities',
    'Activities of households as employers; undifferentiated goods- and services- producing activities of households for own use',
    'Activities of extraterritorial organizations and bodies',
  ],
  sexExploitation: ['Prostitution', 'Pornography', 'Remote Interactive Services', 'Private Sexual Services'],
  recruitment: [
    'At a place of business',
    'At an educational institution',
    'At work',
    'Through online social networks',
    'Through an online advertisement',
    'Through a television advert',
    'Through a newspaper advert',
    'Through family or family events',
    'Through friends or social events',
    'Other',
  ],
  control: [
    'Physical threats',
    'Threats of law enforcement',
    'Threatens children/family',
    'Debt bondage',
    'False promises',
    'Physical abuse',
    'Sexual abuse',
    'Takes earnings',
    'Restricts financial access',
    'Restricts medical care',
    'Withholds necessities',
    'Psychological abuse',
    'Psychoactive substance',
    'Excessive working hours',
    'Withholds documents',
    'Other',
  ],
};

/** Other spellings of means of control seen in the HTCDS definitions (normalised like every key). */
const CONTROL_ALIASES: Readonly<Record<string, string>> = {
  threatsoflawenforcement: 'ThreatsLawEnforcement',
  threatstochildrenfamily: 'ThreatensChildrenFamily',
  threatenschildrenorfamily: 'ThreatensChildrenFamily',
  psychoactivesubstances: 'PsychoactiveSubstance',
  withholdsidentitydocuments: 'WithholdsDocuments',
};

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function picklist(values: readonly string[], labels: readonly string[], aliases: Record<string, string> = {}) {
  const m = new Map<string, string>();
  values.forEach((v, i) => {
    m.set(norm(v), v);
    // ISIC section codes: 'A_Agriculture…' is also matched without the letter prefix.
    m.set(norm(v.replace(/^[A-U]_/, '')), v);
    if (labels[i]) m.set(norm(labels[i]!), v);
  });
  for (const [k, v] of Object.entries(aliases)) m.set(k, v);
  // A file repeats the same few labels on every row: each raw spelling is normalised once.
  const seen = new Map<string, string | null>();
  return (raw: string): string | null => {
    let v = seen.get(raw);
    if (v === undefined) {
      v = m.get(norm(raw)) ?? null;
      if (seen.size < 10_000) seen.set(raw, v);
    }
    return v;
  };
}

export const HTCDS_PICKLISTS = {
  prs_Gender: picklist(SEX_GENDER, LABELS.gender!),
  vic_TypeOfExploitation: picklist(EXPLOITATION_FORMS, LABELS.exploitation!),
  vic_ForcedLabourIndustry: picklist(LABOUR_INDUSTRIES, LABELS.industry!),
  vic_TypeOfSexExploitation: picklist(SEX_EXPLOITATION_TYPES, LABELS.sexExploitation!),
  vic_MethodOfRecruitment: picklist(RECRUITMENT_METHODS, LABELS.recruitment!),
  vic_MethodsOfControl: picklist(MEANS_OF_CONTROL, LABELS.control!, CONTROL_ALIASES),
  vic_TraffickingStatus: picklist(HTCDS_TRAFFICKING_STATUSES, [
    'Possible victim of trafficking',
    'Actual victim of trafficking',
    'Not a victim of trafficking',
  ]),
  vic_TraffickingStatusDecisionMakingOrg: picklist(HTCDS_DECISION_ORGS, [
    'Police',
    'NGO',
    'Court or prosecution',
    'Non-police governmental organization',
    'Other',
  ]),
} as const;

const COUNTRY_SET = new Set<string>(COUNTRY_CODES);
let countryNames: Map<string, string> | null = null;
/** An ISO alpha-2 code from a code or an English or Russian country name; null when unknown. */
const countrySeen = new Map<string, string | null>();
export function htcdsCountry(raw: string): string | null {
  let c = countrySeen.get(raw);
  if (c === undefined) {
    c = countryOf(raw);
    if (countrySeen.size < 10_000) countrySeen.set(raw, c);
  }
  return c;
}

function countryOf(raw: string): string | null {
  const v = raw.trim();
  if (/^[A-Za-z]{2}$/.test(v) && COUNTRY_SET.has(v.toUpperCase())) return v.toUpperCase();
  if (!countryNames) {
    countryNames = new Map();
    for (const locale of ['en', 'ru']) {
      const dn = new Intl.DisplayNames([locale], { type: 'region' });
      for (const c of COUNTRY_CODES) {
        const name = dn.of(c);
        if (name) countryNames.set(name.toLowerCase(), c);
      }
    }
  }
  return countryNames.get(v.toLowerCase()) ?? null;
}

/** A cell value as read from XLSX or CSV (dates from Excel arrive as Date). */
export type THtcdsCell = string | number | boolean | Date | null | undefined;

/** One data row: its number in the file (1-based, as a spreadsheet shows it) and its values by field. */
export interface THtcdsRow {
  readonly rowNumber: number;
  readonly values: Readonly<Record<string, THtcdsCell>>;
}

export interface THtcdsTable {
  readonly rows: THtcdsRow[];
  /** Column headers found but not imported (informational). */
  readonly ignoredColumns: string[];
  /** Imported fields with no column in the file. */
  readonly missingColumns: string[];
}

const isBlank = (v: THtcdsCell) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Finds the header row (the first row naming an HTCDS field), maps columns to fields (with the
 * aliases and the label fallback of the next row), and returns the non-empty data rows.
 * `firstRowNumber` is the spreadsheet number of `grid[0]`.
 */
export function readHtcdsTable(grid: readonly (readonly THtcdsCell[])[], firstRowNumber = 1): THtcdsTable | null {
  const headerIndex = grid.findIndex((row) =>
    row.some((c) => typeof c === 'string' && /^(prs|vic|cas|con)_[A-Za-z_]+$/.test(c.trim())),
  );
  if (headerIndex < 0) return null;
  const header = grid[headerIndex]!;
  const next = grid[headerIndex + 1] ?? [];
  const labelRow = next.some((c) => typeof c === 'string' && c.trim() === 'First Name');
  const fields = new Map<number, string>();
  const ignored: string[] = [];
  const width = Math.max(header.length, labelRow ? next.length : 0);
  for (let i = 0; i < width; i++) {
    const h = typeof header[i] === 'string' ? (header[i] as string).trim() : '';
    const label = labelRow && typeof next[i] === 'string' ? (next[i] as string).trim() : '';
    const field = h ? (HTCDS_HEADER_ALIASES[h] ?? h) : (HTCDS_LABEL_FIELDS[label] ?? '');
    if (!field) continue;
    if ((HTCDS_IMPORTED_FIELDS as readonly string[]).includes(field)) fields.set(i, field);
    else ignored.push(field);
  }
  const present = new Set(fields.values());
  const rows: THtcdsRow[] = [];
  for (let r = headerIndex + (labelRow ? 2 : 1); r < grid.length; r++) {
    const values: Record<string, THtcdsCell> = {};
    let any = false;
    for (const [i, f] of fields) {
      const v = grid[r]![i];
      if (!isBlank(v)) {
        values[f] = v;
        any = true;
      }
    }
    if (any) rows.push({ rowNumber: firstRowNumber + r, values });
  }
  return {
    rows,
    ignoredColumns: ignored,
    missingColumns: HTCDS_IMPORTED_FIELDS.filter((f) => !present.has(f)),
  };
}

/** A problem with one cell: the HTCDS column, a code under `exchange.error.`, and the offending value. */
export interface THtcdsIssue {
  readonly column: string;
  readonly code: string;
  readonly value?: string;
}

export const ZHtcdsImportOptions = z.object({
  /** The region of encounter for every imported case (HTCDS has no such field). */
  region: ZRegion,
  /** Today in the deployment's zone: the encounter date when the row has no incoming referral date. */
  today: z.iso.date(),
});
export type THtcdsImportOptions = z.infer<typeof ZHtcdsImportOptions>;

const text = (v: THtcdsCell) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v ?? '').trim());

/** A date from an Excel date cell or serial number, ISO text, or dd.mm.yyyy / dd/mm/yyyy; null when unreadable. */
export function htcdsDate(v: THtcdsCell): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  // An Excel serial day number (a date typed into a cell formatted as a number): days since 1899-12-30.
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 1 || v > 2958465) return null;
    return new Date(Date.UTC(1899, 11, 30) + Math.floor(v) * 86_400_000).toISOString().slice(0, 10);
  }
  const s = text(v);
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else {
    match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(s);
    if (!match) return null;
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const splitMulti = (v: THtcdsCell) =>
  text(v)
    .split(/[;|\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Which HTCDS column a path of ZCaseCreate comes from (for schema errors). */
const COLUMN_OF_PATH: Readonly<Record<string, string>> = {
  'person.names': 'prs_FirstName',
  'person.sex': 'prs_Gender',
  'person.birthDate': 'prs_Birthdate',
  'person.citizenships': 'prs_Citizenship',
  'person.contacts': 'prs_Email',
  'case.encounterDate': 'cas_IncomingReferralDate',
  'case.exploitationForms': 'vic_TypeOfExploitation',
  'case.meansOfControl': 'vic_MethodsOfControl',
};

/**
 * Validates one row and builds the intake it stands for. Every problem is reported (not just the
 * first), per column, as a code to translate; `input` is set only when there is none.
 */
export function htcdsRowToCase(
  row: THtcdsRow,
  options: THtcdsImportOptions,
): { input: TCaseCreate | null; issues: THtcdsIssue[] } {
  const v = row.values;
  const issues: THtcdsIssue[] = [];
  const get = (f: THtcdsField) => (isBlank(v[f]) ? null : v[f]);

  const given = get('prs_FirstName');
  const family = get('prs_SecondName');
  if (!given && !family) issues.push({ column: 'prs_FirstName', code: 'name_required' });
  const nameText = `${text(given)} ${text(family)}`;
  const script = /[\u0400-\u04FF]/.test(nameText) ? 'cyrillic' : /[A-Za-z]/.test(nameText) ? 'latin' : 'other';
  for (const [f, val] of [
    ['prs_FirstName', given],
    ['prs_SecondName', family],
  ] as const)
    if (val && text(val).length > 100) issues.push({ column: f, code: 'too_long' });

  let sex: string | null = null;
  const g = get('prs_Gender');
  if (!g) issues.push({ column: 'prs_Gender', code: 'required' });
  else {
    sex = HTCDS_PICKLISTS.prs_Gender(text(g));
    if (!sex) issues.push({ column: 'prs_Gender', code: 'invalid_value', value: text(g) });
  }

  let birthDate: TCaseCreate['person']['birthDate'] = { kind: 'unknown' };
  const b = get('prs_Birthdate');
  if (b) {
    const d = htcdsDate(b);
    if (!d) issues.push({ column: 'prs_Birthdate', code: 'invalid_date', value: text(b) });
    else if (d > options.today) issues.push({ column: 'prs_Birthdate', code: 'future_date', value: d });
    else birthDate = { kind: 'exact', date: d };
  }

  const country = (f: THtcdsField): string[] => {
    const raw = get(f);
    if (!raw) return [];
    const out: string[] = [];
    for (const part of splitMulti(raw)) {
      const c = htcdsCountry(part);
      if (c) out.push(c);
      else issues.push({ column: f, code: 'invalid_country', value: part });
    }
    return out;
  };
  const citizenships = country('prs_Citizenship');
  // Locations may be a place rather than a country: only recognised countries are kept, silently.
  const located = (f: THtcdsField) =>
    splitMulti(get(f))
      .map(htcdsCountry)
      .filter((c): c is string => c !== null);

  const multi = (f: keyof typeof HTCDS_PICKLISTS & THtcdsField): string[] => {
    const out: string[] = [];
    for (const part of splitMulti(get(f))) {
      const value = HTCDS_PICKLISTS[f](part);
      if (value) {
        if (!out.includes(value)) out.push(value);
      } else issues.push({ column: f, code: 'invalid_value', value: part });
    }
    return out;
  };
  const exploitationForms = multi('vic_TypeOfExploitation');
  const meansOfControl = multi('vic_MethodsOfControl');
  const recruitmentMethods = multi('vic_MethodOfRecruitment');
  const sexExploitationTypes = multi('vic_TypeOfSexExploitation');
  multi('vic_TraffickingStatus');
  multi('vic_TraffickingStatusDecisionMakingOrg');
  let labourIndustry: string | null = null;
  const ind = get('vic_ForcedLabourIndustry');
  if (ind) {
    labourIndustry = HTCDS_PICKLISTS.vic_ForcedLabourIndustry(text(ind));
    if (!labourIndustry) issues.push({ column: 'vic_ForcedLabourIndustry', code: 'invalid_value', value: text(ind) });
  }

  let encounterDate = options.today;
  const ref = get('cas_IncomingReferralDate');
  if (ref) {
    const d = htcdsDate(ref);
    if (!d) issues.push({ column: 'cas_IncomingReferralDate', code: 'invalid_date', value: text(ref) });
    else if (d > options.today) issues.push({ column: 'cas_IncomingReferralDate', code: 'future_date', value: d });
    else encounterDate = d;
  }

  const contacts: { type: 'email' | 'phone' | 'address'; value: string }[] = [];
  const email = get('prs_Email');
  if (email) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text(email))) issues.push({ column: 'prs_Email', code: 'invalid_email' });
    else contacts.push({ type: 'email', value: text(email) });
  }
  for (const f of ['prs_MobilePhone', 'prs_HomePhone'] as const) {
    const p = get(f);
    if (p) contacts.push({ type: 'phone', value: text(p) });
  }
  const address = (
    ['prs_MailingStreet', 'prs_MailingCity', 'prs_MailingState', 'prs_MailingPostalCode', 'prs_MailingCountry'] as const
  )
    .map((f) => text(get(f)))
    .filter(Boolean)
    .join(', ');
  if (address) contacts.push({ type: 'address', value: address.slice(0, 300) });

  if (issues.length) return { input: null, issues };
  const parsed = ZCaseCreate.safeParse({
    person: {
      names: [{ given: given ? text(given) : null, family: family ? text(family) : null, script, kind: 'primary' }],
      sex,
      birthDate,
      citizenships,
      contacts,
    },
    case: {
      encounterDate,
      encounterRegion: options.region,
      identificationMethod: 'other',
      exploitationForms,
      labourIndustry,
      sexExploitationTypes,
      meansOfControl,
      recruitmentMethods,
      countriesOfOrigin: located('vic_LocationOfRecruitment'),
      countriesOfExploitation: located('vic_LocationOfExploitation'),
    },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.slice(0, 2).join('.');
      issues.push({ column: COLUMN_OF_PATH[path] ?? path, code: 'invalid_value' });
    }
    return { input: null, issues };
  }
  return { input: parsed.data, issues: [] };
}

/** Parses CSV text (RFC 4180: quotes, doubled quotes, CRLF; ',' or ';' separated, detected from the header). */
export function parseCsv(textIn: string): string[][] {
  const src = textIn.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.indexOf('\n') >= 0 ? src.indexOf('\n') : src.length);
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const SEP = sep.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  const rows: string[][] = [];
  const n = src.length;
  let row: string[] = [];
  let i = 0;
  // Cells are sliced out of the text, not built character by character (10⁵ rows in well under a second).
  for (;;) {
    if (i >= n) {
      // the text ended at a line end (nothing more) or right after a separator (one more, empty, cell)
      if (row.length) {
        row.push('');
        rows.push(row);
      }
      break;
    }
    let cell: string;
    if (src.charCodeAt(i) === QUOTE) {
      // a quoted cell: up to the closing quote, "" standing for one quote; text after it joins the cell
      let out = '';
      let from = i + 1;
      for (;;) {
        const q = src.indexOf('"', from);
        if (q < 0) {
          out += src.slice(from);
          i = n;
          break;
        }
        out += src.slice(from, q);
        if (src.charCodeAt(q + 1) === QUOTE) {
          out += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      cell = out;
      if (i < n) {
        const c = src.charCodeAt(i);
        if (c !== SEP && c !== LF && c !== CR) {
          // text after the closing quote joins the cell (and a further quote opens another quoted part)
          const rest = parseQuotedTail(src, i, SEP);
          cell += rest.text;
          i = rest.end;
        }
      }
    } else {
      let j = i;
      while (j < n) {
        const c = src.charCodeAt(j);
        if (c === SEP || c === LF || c === CR) break;
        if (c === QUOTE) break;
        j++;
      }
      cell = src.slice(i, j);
      i = j;
      if (i < n && src.charCodeAt(i) === QUOTE) {
        // a quote inside an unquoted cell opens a quoted part, as in the character-wise reading
        const rest = parseQuotedTail(src, i, SEP);
        cell += rest.text;
        i = rest.end;
      }
    }
    if (i >= n) {
      if (cell !== '' || row.length) {
        row.push(cell);
        rows.push(row);
      }
      break;
    }
    row.push(cell);
    const c = src.charCodeAt(i);
    if (c === SEP) {
      i++;
      continue;
    }
    // end of line
    if (c === CR && src.charCodeAt(i + 1) === LF) i += 2;
    else i++;
    rows.push(row);
    row = [];
  }
  return rows;
}

/** From a quote inside a cell: quoted and unquoted parts up to the next separator or line end. */
function parseQuotedTail(src: string, start: number, sep: number): { text: string; end: number } {
  let out = '';
  let i = start;
  let quoted = false;
  for (; i < src.length; i++) {
    const ch = src[i]!;
    const c = src.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (src.charCodeAt(i + 1) === 34) {
          out += '"';
          i++;
        } else quoted = false;
      } else out += ch;
    } else if (c === 34) quoted = true;
    else if (c === sep || c === 10 || c === 13) break;
    else out += ch;
  }
  return { text: out, end: i };
}

// ---- API shapes --------------------------------------------------------------------------------

/** The largest HTCDS file accepted: room for about 150,000 CSV rows (issue 7 benchmarks 100,000). */
export const HTCDS_MAX_FILE_BYTES = 32 * 1024 * 1024;

export const ZHtcdsUpload = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    /** The file, base64-encoded (XLSX or CSV). */
    content: z
      .string()
      .min(1)
      .max(Math.ceil((HTCDS_MAX_FILE_BYTES * 4) / 3) + 4),
    region: ZRegion,
  })
  .strict();
export type THtcdsUpload = z.infer<typeof ZHtcdsUpload>;

export const ZHtcdsConfirm = ZHtcdsUpload.extend({
  /** The fingerprint the preview returned: the file must be the one previewed. */
  fileHash: z.string().regex(/^[0-9a-f]{64}$/),
  skipInvalid: z.boolean().default(false),
}).strict();
export type THtcdsConfirm = z.infer<typeof ZHtcdsConfirm>;

export const ZHtcdsRowReport = z.object({
  row: z.number().int(),
  ok: z.boolean(),
  errors: z.array(z.object({ column: z.string(), code: z.string(), message: z.string() })),
});
export const ZHtcdsPreview = z.object({
  fileHash: z.string(),
  format: z.enum(['xlsx', 'csv']),
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  rows: z.array(ZHtcdsRowReport),
  ignoredColumns: z.array(z.string()),
  missingColumns: z.array(z.string()),
});
export type THtcdsPreview = z.infer<typeof ZHtcdsPreview>;

export const ZHtcdsImportResult = z.object({
  imported: z.number().int(),
  skipped: z.number().int(),
  duplicateScanQueued: z.boolean(),
});
export type THtcdsImportResult = z.infer<typeof ZHtcdsImportResult>;
