import { writeXlsx } from '../../apps/server/src/modules/exchange/xlsx.writer.ts';
import { rng } from '../duplicates/generate.ts';
import { femaleSurname, NAMES, type TLanguage } from '../duplicates/names.data.ts';
import { transliterate } from '../duplicates/translit.ts';
import { CITIZENSHIP } from '../population.ts';

/**
 * A deterministic HTCDS 2.0 file of `rows` filled rows, as a partner organisation would send it:
 * the template's field names in row 1 (with its header typo `vic_TraffickinStatusDecisionMakingOrg`),
 * picklist labels as the template's validation lists spell them (with the trailing space of
 * "Debt bondage "), both spellings of a means of control, names in Cyrillic or Latin, dates as ISO
 * text or dd.mm.yyyy. Every row is valid (the benchmark measures the import, not the error report).
 */
export const HTCDS_BENCH_HEADER = [
  'prs_FirstName',
  'prs_SecondName',
  'prs_Birthdate',
  'prs_Gender',
  'prs_Citizenship',
  'prs_MobilePhone',
  'vic_TraffickingStatus',
  'vic_TraffickinStatusDecisionMakingOrg',
  'vic_MethodsOfControl',
  'vic_TypeOfExploitation',
  'vic_ForcedLabourIndustry',
  'vic_LocationOfExploitation',
  'cas_IncomingReferralDate',
] as const;

const LANGS: TLanguage[] = ['kk', 'kk', 'ru', 'uz', 'ky', 'tg'];
const CONTROL = [
  'Debt bondage ',
  'Withholds documents',
  'Threats of law enforcement',
  'ThreatsLawEnforcement',
  'Physical threats',
  'Takes earnings',
];
const FORMS: [string, string | null][] = [
  ['Forced labour', 'Construction'],
  ['Forced labour', 'Agriculture, forestry and fishing'],
  ['Forced labour', 'Accommodation and food service activities'],
  ['Sexual exploitation', null],
  ['Forced begging', null],
  ['Forced criminality', null],
];

export function htcdsBenchRows(rows: number, seed = 20261207): string[][] {
  const r = rng(seed);
  const out: string[][] = [];
  for (let i = 0; i < rows; i++) {
    const lang = r.pick(LANGS);
    const female = r.chance(0.55);
    let given = r.pick(female ? NAMES[lang].female : NAMES[lang].male);
    let family = r.pick(NAMES[lang].surnames);
    if (female) family = femaleSurname(family);
    if (r.chance(0.4)) {
      given = transliterate(given, 'icao', r.int);
      family = transliterate(family, 'icao', r.int);
    }
    const year = 1970 + r.int(40);
    const month = 1 + r.int(12);
    const day = 1 + r.int(28);
    const birth = r.chance(0.5)
      ? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
      : `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
    const [form, industry] = r.pick(FORMS);
    const refYear = 2023 + r.int(4);
    out.push([
      given,
      family,
      r.chance(0.9) ? birth : '',
      female ? 'Feminine' : 'Masculine',
      CITIZENSHIP[lang],
      r.chance(0.5) ? `+7 70${r.int(10)} ${String(r.int(1e7)).padStart(7, '0')}` : '',
      r.pick(['Possible victim of trafficking', 'Actual victim of trafficking']),
      r.pick(['NGO', 'Police']),
      r.chance(0.5) ? `${r.pick(CONTROL)};${r.pick(CONTROL)}` : r.pick(CONTROL),
      form,
      industry ?? '',
      r.pick(['KZ', 'RU', 'Russia', 'Kazakhstan', 'TR', 'AE']),
      `${refYear}-${String(1 + r.int(11)).padStart(2, '0')}-${String(1 + r.int(28)).padStart(2, '0')}`,
    ]);
  }
  return out;
}

const csvCell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The file as CSV (UTF-8, CRLF) or XLSX (one sheet, field names in row 1). */
export async function htcdsBenchFile(rows: number, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const data = htcdsBenchRows(rows);
  if (format === 'csv') {
    const lines = [HTCDS_BENCH_HEADER.join(','), ...data.map((row) => row.map(csvCell).join(','))];
    return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  }
  return writeXlsx([{ name: 'HTCDS', header: [...HTCDS_BENCH_HEADER], rows: data.map((cells) => ({ cells })) }]);
}
