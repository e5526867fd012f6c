import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeXlsx } from './xlsx.writer.ts';

async function read(file: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return { name: ws.name, rows };
  });
}

describe('the XLSX writer of large exports', () => {
  it('writes strings (escaped, any script), numbers and repeated rows that Excel readers open', async () => {
    const file = await writeXlsx([
      {
        name: 'records',
        header: ['a', 'b'],
        rows: [{ cells: ['Ақмола & <Астана>', 3], repeat: 3 }, { cells: ['"quoted"', 0.25] }],
      },
      { name: 'disclosure', widths: [20, 10], rows: [{ cells: ['k', 11] }] },
    ]);
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK');
    const sheets = await read(file);
    expect(sheets.map((s) => s.name)).toEqual(['records', 'disclosure']);
    expect(sheets[0]!.rows).toEqual([
      ['a', 'b'],
      ['Ақмола & <Астана>', 3],
      ['Ақмола & <Астана>', 3],
      ['Ақмола & <Астана>', 3],
      ['"quoted"', 0.25],
    ]);
    expect(sheets[1]!.rows).toEqual([['k', 11]]);
  });

  it('continues on a new sheet with the header repeated when a sheet is full', async () => {
    const file = await writeXlsx([{ name: 'records', header: ['h'], rows: [{ cells: ['x'], repeat: 5 }] }], {
      sheetRows: 3,
    });
    const sheets = await read(file);
    expect(sheets.map((s) => [s.name, s.rows.length])).toEqual([
      ['records', 3],
      ['records 2', 3],
      ['records 3', 2],
    ]);
    expect(sheets[2]!.rows).toEqual([['h'], ['x']]);
  });
});
