import { parseCsv, type THtcdsCell } from '@opennrm/domain';
import ExcelJS from 'exceljs';

/** Reads an uploaded HTCDS file (XLSX or CSV) into a grid of cells, row 1 first. */
export async function readGrid(
  fileName: string,
  bytes: Buffer,
): Promise<{ format: 'xlsx' | 'csv'; grid: THtcdsCell[][] } | null> {
  const isZip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (isZip || /\.xlsx$/i.test(fileName)) {
    if (!isZip) return null;
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    } catch {
      return null;
    }
    // The case sheet: the first sheet naming an HTCDS field in its first rows.
    const sheet =
      wb.worksheets.find((ws) => {
        for (let r = 1; r <= Math.min(ws.rowCount, 5); r++) {
          const vals = ws.getRow(r).values as unknown[];
          if (vals.some((v) => typeof v === 'string' && /^(prs|vic|cas)_/.test(v))) return true;
        }
        return false;
      }) ?? wb.worksheets[0];
    if (!sheet) return null;
    const grid: THtcdsCell[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, r) => {
      const out: THtcdsCell[] = [];
      row.eachCell({ includeEmpty: true }, (c, i) => {
        out[i - 1] = cellValue(c.value);
      });
      grid[r - 1] = out;
    });
    for (let i = 0; i < grid.length; i++) grid[i] ??= [];
    return { format: 'xlsx', grid };
  }
  const text = bytes.toString('utf8');
  if (text.includes('\u0000')) return null;
  return { format: 'csv', grid: parseCsv(text) };
}

/** A plain value from an exceljs cell (rich text, formulas, hyperlinks flattened). */
function cellValue(v: ExcelJS.CellValue): THtcdsCell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  }
  return String(v);
}
