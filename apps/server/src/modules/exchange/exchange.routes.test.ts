import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let iom: Client;

/** The unchanged IOM templates (CC BY 4.0), kept beside the module for the tests. */
const TEMPLATES = [
  'HTCDS-Excel-Spreadsheet-v2.0.xlsx',
  'HTCDS-Excel-Spreadsheet-single-select-with-validation-v2.0.xlsx',
].map((f) => fileURLToPath(new URL(`./fixtures/htcds/${f}`, import.meta.url)));

/** The real IOM template with rows filled in from row 3 on (column → value by field name of row 1). */
async function filledTemplate(path: string, rows: Record<string, string | Date>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.worksheets[0]!;
  const col = new Map<string, number>();
  ws.getRow(1).eachCell((c, i) => col.set(String(c.value), i));
  rows.forEach((r, n) => {
    for (const [field, value] of Object.entries(r)) ws.getRow(3 + n).getCell(col.get(field)!).value = value;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const GOOD = {
  prs_FirstName: 'Aigerim',
  prs_SecondName: 'Importova',
  prs_Birthdate: new Date(Date.UTC(1999, 1, 3)),
  prs_Gender: 'Feminine',
  prs_Citizenship: 'UZ',
  vic_TraffickinStatusDecisionMakingOrg: 'NGO',
  vic_MethodsOfControl: 'Debt bondage ',
  vic_TypeOfExploitation: 'Forced labour',
  vic_ForcedLabourIndustry: 'Construction',
};

const upload = (content: Buffer, fileName = 'htcds.xlsx') => ({
  fileName,
  content: content.toString('base64'),
  region: 'almaty',
});

beforeAll(async () => {
  t = await createTestApp();
  iom = await t.as('iom.officer');
}, 60_000);
afterAll(() => t.close());

describe('HTCDS import', () => {
  it('a deliberately broken template: errors per row and column, in the user language, nothing imported', async () => {
    const file = await filledTemplate(TEMPLATES[1]!, [
      GOOD,
      { ...GOOD, prs_FirstName: '', prs_SecondName: '', prs_Gender: 'Female-ish' },
      { ...GOOD, prs_Birthdate: '31.02.1990', vic_MethodsOfControl: 'Mind control', prs_Citizenship: 'Atlantis' },
    ]);
    const before = await t.db.query<{ n: number }>('select count(*)::int as n from persons');
    const res = await iom.post('/api/exchange/htcds/preview', upload(file), { 'x-locale': 'ru' });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p).toMatchObject({ format: 'xlsx', total: 3, valid: 1, invalid: 2 });
    expect(p.rows[0]).toEqual({ row: 3, ok: true, errors: [] });
    expect(p.rows[1].row).toBe(4);
    expect(p.rows[1].errors.map((e: { column: string }) => e.column)).toEqual(['prs_FirstName', 'prs_Gender']);
    expect(p.rows[1].errors[1].message).toBe('prs_Gender: «Female-ish» нет в списке значений HTCDS.');
    expect(p.rows[2].errors.map((e: { code: string }) => e.code)).toEqual([
      'invalid_date',
      'invalid_country',
      'invalid_value',
    ]);
    // Neither the header typo nor the nameless column stops the import; they are reported as not imported.
    expect(p.ignoredColumns).toContain('cas_ReasonForOutgoingReferral');
    expect(p.missingColumns).not.toContain('vic_TraffickingStatusDecisionMakingOrg');
    // The report names no one.
    expect(res.body).not.toContain('Importova');
    const after = await t.db.query<{ n: number }>('select count(*)::int as n from persons');
    expect(after[0]!.n).toBe(before[0]!.n);

    // Confirming without choosing to skip the broken rows is refused, translated.
    const refused = await iom.post('/api/exchange/htcds/import', { ...upload(file), fileHash: p.fileHash });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('exchange.rows_invalid');
  });

  it('imports the previewed file in one transaction: encrypted persons, duplicate check queued, audited', async () => {
    for (const path of TEMPLATES) {
      const file = await filledTemplate(path, [GOOD, { ...GOOD, prs_FirstName: 'Dana', prs_Gender: 'Masculine' }]);
      const p = (await iom.post('/api/exchange/htcds/preview', upload(file))).json();
      expect(p).toMatchObject({ total: 2, valid: 2, invalid: 0 });
      const other = await filledTemplate(path, [GOOD]);
      const changed = await iom.post('/api/exchange/htcds/import', { ...upload(other), fileHash: p.fileHash });
      expect(changed.statusCode).toBe(409);
      const before = await t.db.query<{ n: number }>('select count(*)::int as n from persons');
      const res = await iom.post('/api/exchange/htcds/import', { ...upload(file), fileHash: p.fileHash });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ imported: 2, skipped: 0 });
      const after = await t.db.query<{ n: number }>('select count(*)::int as n from persons');
      expect(after[0]!.n - before[0]!.n).toBe(2);
    }
    const persons = await t.db.query<{ pii: string; sex: string; citizenships: string[] }>(
      'select p.pii, p.sex, p.citizenships from persons p join cases c on c.person_id = p.id join users u on u.id = c.created_by where u.username = $1',
      ['iom.officer'],
    );
    expect(persons.length).toBe(4);
    for (const p of persons) expect(p.pii).not.toContain('Importova');
    const jobs = await t.db.query<{ kind: string }>("select kind from jobs where kind like 'duplicates.%'");
    expect(jobs.some((j) => j.kind === 'duplicates.scan')).toBe(true);
    expect(jobs.filter((j) => j.kind === 'duplicates.person').length).toBeGreaterThanOrEqual(4);
    const audit = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_events where action = 'exchange.import'",
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ imported: 2, skipped: 0, format: 'xlsx' });
    expect(JSON.stringify(audit)).not.toContain('Importova');
  });

  it('CSV with the template headers; skipping the invalid rows on request', async () => {
    const csv = [
      'prs_FirstName,prs_SecondName,prs_Gender,prs_Citizenship,vic_MethodsOfControl,vic_TypeOfExploitation',
      'Marat,Csvov,Masculine,KZ,"Withholds documents;ThreatsOfLawEnforcement",Forced begging',
      ',,Unknown,KZ,,',
    ].join('\n');
    const file = Buffer.from(csv, 'utf8');
    const p = (await iom.post('/api/exchange/htcds/preview', upload(file, 'htcds.csv'))).json();
    expect(p).toMatchObject({ format: 'csv', total: 2, valid: 1, invalid: 1 });
    expect(p.rows[1]).toMatchObject({ row: 3, ok: false });
    const res = await iom.post('/api/exchange/htcds/import', {
      ...upload(file, 'htcds.csv'),
      fileHash: p.fileHash,
      skipInvalid: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ imported: 1, skipped: 1 });
  });

  it('an unreadable file is refused; the analyst and the coordinator cannot import', async () => {
    const bad = await iom.post('/api/exchange/htcds/preview', upload(Buffer.from('PK\u0003\u0004garbage'), 'x.xlsx'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('exchange.file_unreadable');
    for (const who of ['analyst', 'coordinator']) {
      const c = await t.as(who);
      expect((await c.post('/api/exchange/htcds/preview', upload(Buffer.from('a')))).statusCode).toBe(403);
    }
  });

  it('export: de-identified records, every equivalence class of the quasi-identifiers has at least k = 11, audited', async () => {
    const officer = await t.as('police.officer');
    for (let i = 0; i < 40; i++) {
      const res = await officer.post(
        '/api/cases',
        intake({
          person: {
            sex: i % 2 ? 'Feminine' : 'Masculine',
            citizenships: [(['KZ', 'UZ', 'KG'] as const)[i % 3]!],
            documents: [],
          },
          case: { exploitationForms: [i % 4 ? 'ForcedLabour' : 'SexualExploitation'], encounterDate: '2026-06-01' },
        }),
      );
      expect(res.statusCode).toBe(201);
    }
    const coordinator = await t.as('coordinator');
    const report = (await coordinator.get('/api/exchange/htcds/export/report')).json();
    expect(report.k).toBe(11);
    const res = await coordinator.get('/api/exchange/htcds/export?format=csv');
    expect(res.statusCode, res.body).toBe(200);
    const [header, ...lines] = res.body.trim().split('\r\n');
    expect(header).toBe(
      'yearOfRegistration,prs_Gender,ageBroad,prs_Citizenship,vic_LocationOfExploitation,vic_TypeOfExploitation,isCrossBorder,vic_TraffickingStatus',
    );
    expect(lines.length).toBe(report.recordsIn - report.recordsSuppressed);
    const classes = new Map<string, number>();
    for (const l of lines) {
      const key = l.split(',').slice(0, 6).join(',');
      classes.set(key, (classes.get(key) ?? 0) + 1);
    }
    for (const n of classes.values()) expect(n).toBeGreaterThanOrEqual(11);
    // No names, numbers or ids.
    expect(res.body).not.toMatch(/Ахметова|Importova|KZ-\d|[0-9a-f]{8}-[0-9a-f]{4}/);
    const xlsx = await coordinator.get('/api/exchange/htcds/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    const audit = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_events where action = 'exchange.export' order by at",
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ format: 'csv', k: 11 });
    for (const who of ['analyst', 'iom.officer']) {
      const c = await t.as(who);
      expect((await c.get('/api/exchange/htcds/export?format=csv')).statusCode).toBe(403);
    }
  });
});
