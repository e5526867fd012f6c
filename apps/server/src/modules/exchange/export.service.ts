import {
  DEFAULT_DISCLOSURE_CONFIG,
  EXPORT_COLUMNS,
  exportGroups,
  htcdsStatus,
  type TDecisionKind,
  type TDecisionOutcome,
  type TExportReport,
  type TExportRecord,
  type TExportSource,
} from '@opennrm/domain';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { analyticalSettings, firstCases, MERGED_CTE } from '../statistics/statistics.repository.ts';
import { writeXlsx } from './xlsx.writer.ts';

/**
 * The export's sources, counted in SQL: one per identified person (after merges) from the person's
 * first case (earliest encounter, then creation), with the latest decision of that case; persons with
 * the same values are one row with their count. No name, id, date finer than a year or free text
 * leaves the database.
 */
async function exportSources(q: Queryable): Promise<{ source: TExportSource; n: number }[]> {
  await analyticalSettings(q);
  type Row = {
    sex: string;
    age_band: string;
    citizenship: string | null;
    country: string | null;
    year: string;
    forms: string[];
    cross_border: boolean;
    kind: TDecisionKind | null;
    outcome: TDecisionOutcome | null;
    n: number;
  };
  const sql = (kind: 'plain' | 'merged') => `with ${MERGED_CTE},
     latest as (select distinct on (case_id) case_id, kind, outcome from status_decisions
                 order by case_id, decided_on desc, created_at desc),
     f as (
       select c.id, c.encounter_date, c.exploitation_forms, c.cross_border, c.countries_of_exploitation[1] as country,
              p.sex, p.age_band, p.citizenships[1] as citizenship
         ${firstCases(kind, false)}
     )
     select f.sex, f.age_band, f.citizenship, f.country, extract(year from f.encounter_date)::int::text as year,
            f.exploitation_forms as forms, f.cross_border, l.kind, l.outcome, count(*)::int as n
       from f left join latest l on l.case_id = f.id
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9`;
  // the two kinds of person are disjoint; groups with equal values add up in exportGroups
  const rows = [...(await q.query<Row>(sql('plain'))), ...(await q.query<Row>(sql('merged')))];
  return rows.map((r) => ({
    source: {
      sex: r.sex,
      ageBand: r.age_band,
      citizenship: r.citizenship ?? 'unknown',
      countryOfExploitation: r.country ?? 'unknown',
      year: r.year,
      forms: r.forms,
      crossBorder: r.cross_border,
      traffickingStatus: htcdsStatus(r.kind && r.outcome ? [{ kind: r.kind, outcome: r.outcome }] : []),
    },
    n: r.n,
  }));
}

function build(sources: { source: TExportSource; n: number }[]) {
  const c = DEFAULT_DISCLOSURE_CONFIG;
  const out = exportGroups(sources, c.kPublication, c.maxSuppression);
  // One order for every export (by the values): the file says nothing about when or where a record was made.
  const line = (r: TExportRecord) => EXPORT_COLUMNS.map((col) => r[col.key] ?? '');
  const sorted = out.groups
    .map((g) => ({ ...g, cells: line(g.record) }))
    .sort((a, b) => (a.cells.join('\u0001') < b.cells.join('\u0001') ? -1 : 1));
  return { groups: sorted, report: out.report };
}

/** What an export would generalise and suppress (nothing is released); audited like the export. */
export async function exportReport(_deps: AppDeps, ctx: Ctx): Promise<TExportReport> {
  const actor = actorOf(ctx);
  const report = build(await exportSources(ctx.q)).report as TExportReport;
  await appendAudit(ctx.q, {
    actor,
    action: 'exchange.export_report',
    targetType: 'export',
    ip: ctx.ip,
    details: { k: report.k },
  });
  return report;
}

const csvCell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The k-anonymous export file (CSV or XLSX with a report sheet), audited with its report. */
export async function exportFile(
  _deps: AppDeps,
  ctx: Ctx,
  format: 'csv' | 'xlsx',
): Promise<{ file: Buffer; report: TExportReport }> {
  const actor = actorOf(ctx);
  const { groups, report } = build(await exportSources(ctx.q));
  const recordsOut = groups.reduce((s, g) => s + g.n, 0);
  let file: Buffer;
  if (format === 'csv') {
    const chunks = [Buffer.from(`${EXPORT_COLUMNS.map((c) => c.header).join(',')}\r\n`, 'utf8')];
    for (const g of groups) chunks.push(Buffer.from(`${g.cells.map(csvCell).join(',')}\r\n`.repeat(g.n), 'utf8'));
    file = Buffer.concat(chunks);
  } else {
    file = await writeXlsx([
      {
        name: 'records',
        header: EXPORT_COLUMNS.map((c) => c.header),
        rows: groups.map((g) => ({ cells: g.cells, repeat: g.n })),
      },
      {
        name: 'disclosure',
        widths: [32, 20],
        rows: [
          ['k', report.k],
          ['records in', report.recordsIn],
          ['records suppressed', report.recordsSuppressed],
          ['suppression rate', report.suppressionRate],
          ['equivalence classes', report.equivalenceClasses],
          ['smallest class', report.minClassSize],
          ['information loss', report.informationLoss],
          ...Object.entries(report.levels).map(([q, l]) => [`generalisation: ${q}`, `${l.level} / ${l.height}`]),
        ].map((cells) => ({ cells: cells as (string | number)[] })),
      },
    ]);
  }
  await appendAudit(ctx.q, {
    actor,
    action: 'exchange.export',
    targetType: 'export',
    ip: ctx.ip,
    details: {
      format,
      k: report.k,
      recordsIn: report.recordsIn,
      recordsOut,
      recordsSuppressed: report.recordsSuppressed,
      minClassSize: report.minClassSize,
    },
  });
  return { file, report: report as TExportReport };
}
