import { createRequire } from 'node:module';
import {
  isSuppressed,
  type TCellValue,
  type TLocale,
  type TProtectedTable,
  type TStatIndicator,
  translate,
} from '@opennrm/domain';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { appendAudit } from '../../audit/audit.service.ts';
import type { Ctx } from '../../http/context.ts';
import { type AppDeps, actorOf } from '../../http/deps.ts';
import { publicationStatistics } from './statistics.service.ts';

const require = createRequire(import.meta.url);
/** DejaVu Sans (dejavu-fonts-ttf): embeddable, with the Kazakh and Russian Cyrillic letters. */
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** The label of a category in the report language. */
export function categoryLabel(locale: TLocale, dim: string, key: string): string {
  const t = (k: string) => translate(locale, k);
  if (key === 'all') return t('statistics.total');
  if (key === 'unknown') return t('statistics.value.unknown');
  switch (dim) {
    case 'sex':
      return t(`enums.sex.${key}`);
    case 'childAdult':
    case 'crossBorder':
      return t(`statistics.value.${key}`);
    case 'exploitation':
      return t(`statistics.glotip.${key}`);
    case 'agencyType':
      return t(`agencyTypes.${key}`);
    case 'region':
      return t(`regions.${key}`);
    case 'serviceType':
      return t(`assistance.category.${key}`);
    case 'citizenship':
      return new Intl.DisplayNames([locale], { type: 'region' }).of(key) ?? key;
    default:
      return key;
  }
}

export interface TReportRow {
  readonly label: string;
  readonly values: string[];
  readonly total?: boolean;
}
export interface TReportSection {
  readonly id: string;
  readonly title: string;
  readonly definition: string;
  readonly header: string[];
  readonly rows: TReportRow[];
}
export interface TReportModel {
  readonly title: string;
  readonly statement: string;
  readonly generated: string;
  readonly k: number;
  readonly sections: TReportSection[];
  readonly indicators: { label: string; value: string; definition: string }[];
}

function cellText(locale: TLocale, v: TCellValue): string {
  return isSuppressed(v) ? translate(locale, 'statistics.suppressed') : String(v);
}

function section(locale: TLocale, id: string, t: TProtectedTable): TReportSection {
  const tr = (k: string) => translate(locale, k);
  const twoD = t.colDim !== null;
  const header = [
    '',
    ...(twoD ? t.colKeys.map((c) => categoryLabel(locale, t.colDim!, c)) : []),
    tr('statistics.total'),
  ];
  const rows: TReportRow[] = t.rowKeys.map((r, i) => ({
    label: categoryLabel(locale, t.rowDim, r),
    values: [...(twoD ? t.cells[i]!.map((c) => cellText(locale, c)) : []), cellText(locale, t.rowTotals[i]!)],
  }));
  rows.push({
    label: tr('statistics.total'),
    values: [...(twoD ? t.colTotals.map((c) => cellText(locale, c)) : []), cellText(locale, t.grandTotal)],
    total: true,
  });
  return { id, title: tr(`statistics.label.${id}`), definition: tr(`statistics.def.${id}`), header, rows };
}

function indicatorText(locale: TLocale, i: TStatIndicator): string {
  if (i.value === null) return translate(locale, 'statistics.suppressed');
  return i.unit === 'count' ? String(i.value) : `${i.value} ${translate(locale, `statistics.unit.${i.unit}`)}`;
}

/** The report's content in one language: the standard tables (k = 11) with their definitions. */
export async function reportModel(deps: AppDeps, ctx: Ctx, period: string, locale: TLocale): Promise<TReportModel> {
  const s = await publicationStatistics(deps, ctx, period);
  const tr = (k: string, p: Record<string, string | number> = {}) => translate(locale, k, p);
  return {
    title: tr('statistics.reportTitle', { period }),
    statement: tr('statistics.reportK', { k: s.k }),
    generated: tr('statistics.reportGenerated', { date: new Date().toISOString().slice(0, 10) }),
    k: s.k,
    sections: s.tables.map((t) => section(locale, t.id, t.table)),
    indicators: s.indicators.map((i) => ({
      label: tr(`statistics.label.${i.id}`),
      value: indicatorText(locale, i),
      definition: tr(`statistics.def.${i.id}`),
    })),
  };
}

export async function renderXlsx(m: TReportModel, locale: TLocale): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OpenNRM';
  const tables = wb.addWorksheet(translate(locale, 'statistics.reportTables'));
  tables.getColumn(1).width = 44;
  for (let c = 2; c <= 10; c++) tables.getColumn(c).width = 16;
  tables.addRow([m.title]).font = { bold: true, size: 14 };
  tables.addRow([m.generated]);
  tables.addRow([m.statement]).alignment = { wrapText: true };
  tables.mergeCells(3, 1, 3, 8);
  tables.getRow(3).height = 48;
  for (const s of m.sections) {
    tables.addRow([]);
    tables.addRow([s.title]).font = { bold: true };
    tables.addRow(s.header).font = { bold: true };
    for (const r of s.rows) {
      const row = tables.addRow([r.label, ...r.values.map((v) => (/^\d+$/.test(v) ? Number(v) : v))]);
      if (r.total) row.font = { bold: true };
    }
    tables.addRow([s.definition]).font = { italic: true, size: 9 };
  }
  const ind = wb.addWorksheet(translate(locale, 'statistics.reportIndicators'));
  ind.getColumn(1).width = 54;
  ind.getColumn(2).width = 16;
  ind.getColumn(3).width = 90;
  ind.addRow([translate(locale, 'statistics.indicator'), '', translate(locale, 'statistics.definition')]).font = {
    bold: true,
  };
  for (const i of m.indicators) ind.addRow([i.label, /^\d+$/.test(i.value) ? Number(i.value) : i.value, i.definition]);
  const defs = wb.addWorksheet(translate(locale, 'statistics.definitions'));
  defs.getColumn(1).width = 54;
  defs.getColumn(2).width = 110;
  defs.addRow([m.statement]);
  for (const s of m.sections) defs.addRow([s.title, s.definition]);
  for (const i of m.indicators) defs.addRow([i.label, i.definition]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function renderPdf(m: TReportModel, locale: TLocale): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: m.title, Creator: 'OpenNRM' }, lang: locale });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = doc.page.width - 96;
  doc.font('bold').fontSize(16).text(m.title);
  doc.font('body').fontSize(9).fillColor('#555').text(m.generated).moveDown(0.5);
  doc.fillColor('#000').fontSize(9).text(m.statement, { width }).moveDown();
  for (const s of m.sections) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.font('bold').fontSize(11).text(s.title).moveDown(0.2);
    const cols = s.header.length;
    const first = Math.min(200, width / 2);
    const w = (width - first) / Math.max(1, cols - 1);
    const line = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'bold' : 'body').fontSize(cols > 4 ? 7.5 : 8.5);
      const widthOf = (i: number) => (i === 0 ? first - 6 : w - 6);
      // Long labels wrap: the row is as tall as its tallest cell.
      const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widthOf(i) })));
      if (doc.y + height > doc.page.height - 60) doc.addPage();
      const y = doc.y;
      cells.forEach((c, i) => {
        doc.text(c, 48 + (i === 0 ? 0 : first + (i - 1) * w), y, { width: widthOf(i) });
      });
      doc.x = 48;
      doc.y = y + height + 3;
    };
    line(s.header, true);
    for (const r of s.rows) line([r.label, ...r.values], !!r.total);
    doc
      .font('body')
      .fontSize(7.5)
      .fillColor('#444')
      .text(s.definition, 48, doc.y + 2, { width })
      .fillColor('#000');
    doc.moveDown();
  }
  if (doc.y > doc.page.height - 200) doc.addPage();
  doc.font('bold').fontSize(11).text(translate(locale, 'statistics.reportIndicators'), 48).moveDown(0.2);
  for (const i of m.indicators) {
    if (doc.y > doc.page.height - 80) doc.addPage();
    doc.font('bold').fontSize(8.5).text(`${i.label}: ${i.value}`, 48, doc.y, { width });
    doc.font('body').fontSize(7.5).fillColor('#444').text(i.definition, { width }).fillColor('#000').moveDown(0.4);
  }
  doc.end();
  return done;
}

/** Builds the report file and records who downloaded which report (no figures in the audit detail). */
export async function nationalReport(
  deps: AppDeps,
  ctx: Ctx,
  q: { period: string; lang: TLocale; format: 'xlsx' | 'pdf' },
): Promise<Buffer> {
  const model = await reportModel(deps, ctx, q.period, q.lang);
  const file = q.format === 'xlsx' ? await renderXlsx(model, q.lang) : await renderPdf(model, q.lang);
  await appendAudit(ctx.q, {
    actor: actorOf(ctx),
    action: 'statistics.report',
    targetType: 'report',
    ip: ctx.ip,
    details: { period: q.period, format: q.format, lang: q.lang, k: model.k },
  });
  return file;
}
