import { z } from 'zod';
import { glotipForm, type TExploitationForm } from '../statistics/config.ts';
import { anonymiseGroups, DEFAULT_HIERARCHIES, type TAnonymiseReport } from '../statistics/anonymise.ts';

/**
 * HTCDS export of de-identified individual records (issue 7), k-anonymous like CTDC's data: one
 * record per identified person with only quasi-identifiers and coarse attributes; global
 * generalisation (anonymiseRecords) and suppression of what is left in classes smaller than k.
 */
export const EXPORT_QUASI_IDENTIFIERS = [
  'sex',
  'ageBand',
  'citizenship',
  'countryOfExploitation',
  'year',
  'exploitation',
] as const;

/** The file's columns: HTCDS names where the standard has one, CTDC-style names otherwise. */
export const EXPORT_COLUMNS: readonly { readonly key: string; readonly header: string }[] = [
  { key: 'year', header: 'yearOfRegistration' },
  { key: 'sex', header: 'prs_Gender' },
  { key: 'ageBand', header: 'ageBroad' },
  { key: 'citizenship', header: 'prs_Citizenship' },
  { key: 'countryOfExploitation', header: 'vic_LocationOfExploitation' },
  { key: 'exploitation', header: 'vic_TypeOfExploitation' },
  { key: 'crossBorder', header: 'isCrossBorder' },
  { key: 'traffickingStatus', header: 'vic_TraffickingStatus' },
];

/** A person as the export reads them: already without names, ids or dates finer than a year. */
export interface TExportSource {
  readonly sex: string;
  readonly ageBand: string;
  readonly citizenship: string;
  readonly countryOfExploitation: string;
  readonly year: string;
  readonly forms: readonly string[];
  readonly crossBorder: boolean;
  readonly traffickingStatus: string;
}

export type TExportRecord = Readonly<Record<string, string>>;

/** The single HTCDS form, or the GLOTIP 'mixed' when several fall in different categories. */
function exploitationOf(forms: readonly string[]): string {
  const unique = [...new Set(forms)];
  if (unique.length === 1) return unique[0]!;
  if (unique.length === 0) return 'unknown';
  return glotipForm(unique as TExploitationForm[]);
}

/** De-identified, k-anonymous export records with the report of what was generalised and suppressed. */
export function exportRecords(
  sources: readonly TExportSource[],
  k: number,
  maxSuppression: number,
): { records: TExportRecord[]; report: TAnonymiseReport } {
  const out = exportGroups(
    sources.map((source) => ({ source, n: 1 })),
    k,
    maxSuppression,
  );
  return { records: out.groups.map((g) => g.record), report: out.report };
}

/**
 * exportRecords on sources already counted (`n` persons with the same values, counted in the
 * database): the same generalisation and suppression; each kept group stands for n identical
 * records of the file.
 */
export function exportGroups(
  sources: readonly { readonly source: TExportSource; readonly n: number }[],
  k: number,
  maxSuppression: number,
): { groups: { record: TExportRecord; n: number }[]; report: TAnonymiseReport } {
  const groups = sources.map(({ source: s, n }) => ({
    record: {
      sex: s.sex,
      ageBand: s.ageBand,
      citizenship: s.citizenship,
      countryOfExploitation: s.countryOfExploitation,
      year: s.year,
      exploitation: exploitationOf(s.forms),
      crossBorder: s.crossBorder ? 'true' : 'false',
      traffickingStatus: s.traffickingStatus,
    } as TExportRecord,
    n,
  }));
  const out = anonymiseGroups(groups, EXPORT_QUASI_IDENTIFIERS, k, DEFAULT_HIERARCHIES, { maxSuppression });
  return { groups: out.groups, report: out.report };
}

export const ZExportReport = z.object({
  k: z.number().int(),
  levels: z.record(z.string(), z.object({ level: z.number().int(), height: z.number().int() })),
  informationLoss: z.number(),
  recordsIn: z.number().int(),
  recordsSuppressed: z.number().int(),
  suppressionRate: z.number(),
  maxSuppression: z.number(),
  withinMaxSuppression: z.boolean(),
  equivalenceClasses: z.number().int(),
  minClassSize: z.number().int(),
  latticeNodesEvaluated: z.number().int(),
});
export type TExportReport = z.infer<typeof ZExportReport>;
