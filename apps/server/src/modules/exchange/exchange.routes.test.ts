import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htcdsRowToCase, parseCsv, readHtcdsTable } from '@opennrm/domain';
import { sealAudit, verifyAudit } from '../../audit/sealer.ts';
import { PersonCipher } from '../../crypto/person-crypto.ts';
import { intake } from '../../test/factories.ts';
import { IMPORT_BATCH } from './import.repository.ts';
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

  it('the batch import writes exactly what intake writes for the same person and case', async () => {
    const csv = [
      'prs_FirstName,prs_SecondName,prs_Birthdate,prs_Gender,prs_Citizenship,prs_MobilePhone,vic_MethodsOfControl,vic_TypeOfExploitation,vic_LocationOfExploitation,cas_IncomingReferralDate',
      'Гүлнар,Сериковa,1990-05-06,Feminine,"UZ;KZ",+7 701 555 0199,"Debt bondage;Withholds documents","Forced labour;Sexual exploitation",RU,2026-03-04',
      'Ali,"O\'Brien ""Jr""",2010-01-02,Masculine,KG,,Physical threats,Forced begging,KZ,2026-02-01',
    ].join('\n');
    const file = Buffer.from(csv, 'utf8');
    const p = (await iom.post('/api/exchange/htcds/preview', upload(file, 'same.csv'))).json();
    expect(p).toMatchObject({ total: 2, valid: 2 });
    const res = await iom.post('/api/exchange/htcds/import', { ...upload(file, 'same.csv'), fileHash: p.fileHash });
    expect(res.statusCode, res.body).toBe(201);
    // The same rows through intake.
    const today = new Date().toISOString().slice(0, 10);
    const inputs = readHtcdsTable(parseCsv(csv))!.rows.map(
      (r) => htcdsRowToCase(r, { region: 'almaty', today }).input!,
    );
    const intakeIds: string[] = [];
    for (const input of inputs) {
      const r = await iom.post('/api/cases', input);
      expect(r.statusCode, r.body).toBe(201);
      intakeIds.push(r.json().id);
    }
    const rows = await t.db.query<Record<string, unknown>>(
      `select c.*, c.encounter_date::text as encounter_date, p.data_key, p.pii, p.sex, p.age_band, p.age_uncertain, p.citizenships,
              p.languages, p.attributes, p.block_keys_version,
              (select array_agg(i.kind || ':' || i.key order by i.kind, i.key) from person_index i where i.person_id = p.id) as index_keys,
              (select count(*)::int from jobs j where j.kind = 'duplicates.person' and j.payload->>'personId' = p.id::text) as jobs,
              (select count(*)::int from audit_events a where a.action = 'case.create' and a.target_id = c.id::text) as audits
         from cases c join persons p on p.id = c.person_id
        order by c.created_at desc limit 4`,
    );
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    const imported = rows.filter((r) => !intakeIds.includes(r.id as string));
    expect(imported).toHaveLength(2);
    const keys = t.deps.keys;
    const comparable = (r: Record<string, unknown>) => {
      const cipher = PersonCipher.unwrap(keys, r.person_id as string, r.data_key as string);
      const {
        id,
        number,
        person_id,
        data_key,
        pii,
        created_at,
        updated_at,
        encounter_place_enc,
        narrative_enc,
        ...rest
      } = r;
      expect(number).toMatch(/^KZ-\d{4}-\d{6}$/);
      return {
        ...rest,
        pii: cipher.decrypt('persons.pii', pii as string),
        place: cipher.decryptNullable(`cases.encounter_place:${id}`, encounter_place_enc as string | null),
        narrative: cipher.decryptNullable(`cases.narrative:${id}`, narrative_enc as string | null),
      };
    };
    // Index keys are HMACs of the identifiers: equal identifiers give equal keys.
    for (const [i, intakeId] of intakeIds.entries()) {
      const mine = imported.find(
        (r) => (r.index_keys as string[]).join() === (byId.get(intakeId)!.index_keys as string[]).join(),
      );
      expect(mine, `row ${i}`).toBeDefined();
      expect(comparable(mine!)).toEqual(comparable(byId.get(intakeId)!));
      expect(mine!.jobs).toBe(1);
      expect(mine!.audits).toBe(1);
    }
    // Case numbers stay one sequence; the audit events verify.
    const numbers = rows.map((r) => Number(String(r.number).slice(-6))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(4);
    await sealAudit(t.db);
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });

  it('a file larger than one write batch: every row imported once, case numbers one unbroken sequence', async () => {
    const rows = IMPORT_BATCH * 2 + 1;
    const csv = [
      'prs_FirstName,prs_SecondName,prs_Gender,prs_Citizenship,vic_TypeOfExploitation,cas_IncomingReferralDate',
      ...Array.from(
        { length: rows },
        (_, i) => `Batch${i},Importova,Feminine,UZ,Forced labour,2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      ),
    ].join('\n');
    const file = Buffer.from(csv, 'utf8');
    const p = (await iom.post('/api/exchange/htcds/preview', upload(file, 'big.csv'))).json();
    expect(p).toMatchObject({ total: rows, valid: rows });
    const [before] = await t.db.query<{ n: number; last: number }>(
      'select (select count(*)::int from cases) as n, coalesce((select max(right(number, 6)::int) from cases), 0) as last',
    );
    const res = await iom.post('/api/exchange/htcds/import', { ...upload(file, 'big.csv'), fileHash: p.fileHash });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ imported: rows, skipped: 0 });
    const numbers = await t.db.query<{ number: string }>('select number from cases');
    const [after] = await t.db.query<{ n: number; last: number; jobs: number; audits: number }>(
      `select (select count(*)::int from cases) as n, (select max(right(number, 6)::int) from cases) as last,
              (select count(*)::int from jobs where kind = 'duplicates.person') as jobs,
              (select count(*)::int from audit_events where action = 'case.create') as audits`,
    );
    expect(after!.n - before!.n).toBe(rows);
    expect(after!.last - before!.last).toBe(rows);
    expect(new Set(numbers.map((r) => r.number)).size).toBe(numbers.length);
    expect(after!.jobs).toBeGreaterThanOrEqual(rows);
    expect(after!.audits).toBeGreaterThanOrEqual(rows);
  }, 120_000);

  it('an unreadable file is refused; the analyst and the coordinator cannot import', async () => {
    const bad = await iom.post('/api/exchange/htcds/preview', upload(Buffer.from('PK\u0003\u0004garbage'), 'x.xlsx'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('exchange.file_unreadable');
    for (const who of ['analyst', 'coordinator']) {
      const c = await t.as(who);
      expect((await c.post('/api/exchange/htcds/preview', upload(Buffer.from('a')))).statusCode).toBe(403);
    }
  });

  it('only the data exchange officer role imports: frontline case workers, supervisors and the system admin get 403', async () => {
    const file = await filledTemplate(TEMPLATES[1]!, [{ ...GOOD, prs_FirstName: 'Roleva' }]);
    const persons = async () => (await t.db.query<{ n: number }>('select count(*)::int as n from persons'))[0]!.n;
    const before = await persons();
    const preview = (await iom.post('/api/exchange/htcds/preview', upload(file))).json();
    for (const who of ['shelter.worker', 'police.investigator', 'police.supervisor', 'police.officer', 'admin']) {
      const c = await t.as(who);
      const p = await c.post('/api/exchange/htcds/preview', upload(file));
      expect(p.statusCode, `${who} preview`).toBe(403);
      expect(p.json().error.code).toBe('forbidden');
      const i = await c.post('/api/exchange/htcds/import', { ...upload(file), fileHash: preview.fileHash });
      expect(i.statusCode, `${who} import`).toBe(403);
    }
    expect(await persons()).toBe(before);
    // The role alone (no case work) previews and imports; the cases are held by the importer's agency.
    const data = await t.as('iom.data');
    const p = await data.post('/api/exchange/htcds/preview', upload(file));
    expect(p.statusCode, p.body).toBe(200);
    const res = await data.post('/api/exchange/htcds/import', { ...upload(file), fileHash: p.json().fileHash });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().imported).toBe(1);
    expect(await persons()).toBe(before + 1);
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
    // Reading the disclosure report is audited too (the actor and k; no figure about anyone).
    const [seen] = await t.db.query<{ actor_username: string; details: Record<string, unknown> }>(
      "select actor_username, details from audit_events where action = 'exchange.export_report' order by id desc limit 1",
    );
    expect(seen).toEqual({ actor_username: 'coordinator', details: { k: 11 } });
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
    // The workbook holds the same records as the CSV, and the disclosure report.
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheetRows: string[] = [];
    wb.getWorksheet('records')!.eachRow((row) => sheetRows.push((row.values as unknown[]).slice(1).join(',')));
    expect(sheetRows).toEqual([header, ...lines]);
    const disclosure: unknown[][] = [];
    wb.getWorksheet('disclosure')!.eachRow((row) => disclosure.push((row.values as unknown[]).slice(1)));
    expect(disclosure[0]).toEqual(['k', 11]);
    const audit = await t.db.query<{ details: Record<string, unknown> }>(
      "select details from audit_events where action = 'exchange.export' order by at",
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ format: 'csv', k: 11 });
    // One record per person after merges, from the person's earliest case: a merged duplicate and a
    // second case of the survivor add no record.
    const [a, b] = await t.db.query<{ id: string }>(
      'select p.id from persons p where p.merged_into is null and exists (select 1 from cases c where c.person_id = p.id) order by p.id limit 2',
    );
    await t.db.query('update persons set merged_into = $1 where id = $2', [a!.id, b!.id]);
    await t.db.query(
      `insert into cases (id, number, country, agency_id, created_by, person_id, is_child, cross_border, encounter_date,
                          encounter_region, identification_method)
       select gen_random_uuid(), number || '-2', country, agency_id, created_by, person_id, is_child, cross_border,
              encounter_date - 400, encounter_region, identification_method
         from cases where person_id = $1 limit 1`,
      [a!.id],
    );
    const merged = (await coordinator.get('/api/exchange/htcds/export/report')).json();
    expect(merged.recordsIn).toBe(report.recordsIn - 1);
    for (const who of ['analyst', 'iom.officer']) {
      const c = await t.as(who);
      expect((await c.get('/api/exchange/htcds/export?format=csv')).statusCode).toBe(403);
    }
  });
});
