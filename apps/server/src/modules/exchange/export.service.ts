import {
  DEFAULT_DISCLOSURE_CONFIG,
  EXPORT_COLUMNS,
  exportRecords,
  htcdsStatus,
  type TDecisionKind,
  type TDecisionOutcome,
  type TExportReport,
  type TExportSource,
} from '@opennrm/domain';
import ExcelJS from 'exceljs';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Queryable } from '../../db/client.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';

/**
 * The export's source rows, built in SQL: one per identified person (after merges), the person's first
 * case, and the decisions of that case in order. No name, id, date finer than a year or free text.
 */
async function exportSources(q: Queryable): Promise<TExportSource[]> {
  const rows = await q.query<{
    sex: string;
    age_band: string;
    citizenship: string | null;
    country: string | null;
    year: string;
    forms: string[];
    cross_border: boolean;
    decisions: { kind: TDecisionKind; outcome: TDecisionOutcome }[] | null;
  }>(
    `select p.sex, p.age_band, p.citizenships[1] as citizenship, f.countries_of_exploitation[1] as country,
            extract(year from f.encounter_date)::int::text as year, f.exploitation_forms as forms, f.cross_border,
            (select json_agg(json_build_object('kind', d.kind, 'outcome', d.outcome) order by d.decided_on, d.created_at)
               from status_decisions d where d.case_id = f.id) as decisions
       from (select distinct on (coalesce(pp.merged_into, pp.id)) c.*, coalesce(pp.merged_into, pp.id) as resolved
               from cases c join persons pp on pp.id = c.person_id
              order by coalesce(pp.merged_into, pp.id), c.encounter_date, c.created_at) f
       join persons p on p.id = f.resolved`,
  );
  return rows.map((r) => ({
    sex: r.sex,
    ageBand: r.age_band,
    citizenship: r.citizenship ?? 'unknown',
    countryOfExploitation: r.country ?? 'unknown',
    year: r.year,
    forms: r.forms,
    crossBorder: r.cross_border,
    traffickingStatus: htcdsStatus(r.decisions ?? []),
  }));
}

function build(sources: TExportSource[]) {
  const c = DEFAULT_DISCLOSURE_CONFIG;
  return exportRecords(sources, c.kPublication, c.maxSuppression);
}

/** What an export would generalise and suppress (nothing is released). */
export async function exportReport(_deps: AppDeps, ctx: Ctx): Promise<TExportReport> {
  actorOf(ctx);
  return build(await exportSources(ctx.q)).report as TExportReport;
}

const csvCell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The k-anonymous export file (CSV or XLSX with a report sheet), audited with its report. */
export async function exportFile(
  _deps: AppDeps,
  ctx: Ctx,
  format: 'csv' | 'xlsx',
): Promise<{ file: Buffer; report: TExportReport }> {
  const actor = actorOf(ctx);
  const { records, report } = build(await exportSources(ctx.q));
  let file: Buffer;
  if (format === 'csv') {
    const lines = [EXPORT_COLUMNS.map((c) => c.header).join(',')];
    for (const r of records) lines.push(EXPORT_COLUMNS.map((c) => csvCell(r[c.key] ?? '')).join(','));
    file = Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
  } else {
    const wb = new ExcelJS.Workbook();
    wb.creator = 'OpenNRM';
    const data = wb.addWorksheet('records');
    data.addRow(EXPORT_COLUMNS.map((c) => c.header)).font = { bold: true };
    for (const r of records) data.addRow(EXPORT_COLUMNS.map((c) => r[c.key] ?? ''));
    const rep = wb.addWorksheet('disclosure');
    rep.getColumn(1).width = 32;
    rep.getColumn(2).width = 20;
    rep.addRow(['k', report.k]);
    rep.addRow(['records in', report.recordsIn]);
    rep.addRow(['records suppressed', report.recordsSuppressed]);
    rep.addRow(['suppression rate', report.suppressionRate]);
    rep.addRow(['equivalence classes', report.equivalenceClasses]);
    rep.addRow(['smallest class', report.minClassSize]);
    rep.addRow(['information loss', report.informationLoss]);
    for (const [q, l] of Object.entries(report.levels))
      rep.addRow([`generalisation: ${q}`, `${l.level} / ${l.height}`]);
    file = Buffer.from(await wb.xlsx.writeBuffer());
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
      recordsOut: records.length,
      recordsSuppressed: report.recordsSuppressed,
      minClassSize: report.minClassSize,
    },
  });
  return { file, report: report as TExportReport };
}
