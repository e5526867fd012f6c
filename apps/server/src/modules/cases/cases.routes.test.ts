import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let shelterWorker: Awaited<ReturnType<TestApp['as']>>;
let outreach: Awaited<ReturnType<TestApp['as']>>;
let police: Awaited<ReturnType<TestApp['as']>>;
let shelterSupervisor: Awaited<ReturnType<TestApp['as']>>;

beforeAll(async () => {
  t = await createTestApp();
  shelterWorker = await t.as('shelter.worker');
  outreach = await t.as('shelter.outreach');
  police = await t.as('police.officer');
  shelterSupervisor = await t.as('shelter.supervisor');
});
afterAll(async () => t.close());

const search = (c: typeof police, body: Record<string, unknown>) => c.post('/api/cases/search', body);

describe('registering a case', () => {
  it('creates person and case with a country case number and reads it back decrypted', async () => {
    const res = await outreach.post('/api/cases', intake());
    expect(res.statusCode).toBe(201);
    const { id, number } = res.json();
    expect(number).toMatch(/^KZ-\d{4}-\d{6}$/);
    const read = await outreach.get(`/api/cases/${id}`);
    expect(read.statusCode).toBe(200);
    const c = read.json();
    expect(c.person.names[0].given).toBe('Айгерім');
    expect(c.case.narrative).toContain('14 hours');
    expect(c.crossBorder).toBe(false);
    expect(c.exploitationDays).toBe(259);
    expect(c.agency.name).toMatch(/Safe Home/);
    expect(c.abilities).toEqual({ update: true, screen: true, viewAccessLog: false });
  });

  it('numbers cases consecutively', async () => {
    const a = (await outreach.post('/api/cases', intake())).json().number as string;
    const b = (await outreach.post('/api/cases', intake())).json().number as string;
    expect(Number(b.slice(-6)) - Number(a.slice(-6))).toBe(1);
  });

  it('gives registrations made at once distinct numbers, and a refused one writes nothing', async () => {
    const before = await t.db.query<{ n: number }>('select count(*)::int as n from cases');
    const made = await Promise.all(Array.from({ length: 8 }, () => outreach.post('/api/cases', intake())));
    expect(made.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const numbers = made.map((r) => r.json().number as string);
    expect(new Set(numbers).size).toBe(8);
    for (const n of numbers) expect(n).toMatch(/^KZ-\d{4}-\d{6}$/);
    // a registration that fails inside its transaction leaves no person, case or index entry
    await t.db.query("alter table cases add constraint test_refuse check (encounter_region <> 'turkistan') not valid");
    try {
      const refused = await outreach.post('/api/cases', intake({ case: { encounterRegion: 'turkistan' } }));
      expect(refused.statusCode).toBe(500);
    } finally {
      await t.db.query('alter table cases drop constraint test_refuse');
    }
    const after = await t.db.query<{ n: number; orphans: number }>(
      `select count(*)::int as n, (select count(*)::int from persons p where not exists
         (select 1 from cases c where c.person_id = p.id)) as orphans from cases`,
    );
    expect(after[0]!.n - before[0]!.n).toBe(8);
    expect(after[0]!.orphans).toBe(0);
    // numbering goes on after the refused registration (its number is a gap)
    const next = (await outreach.post('/api/cases', intake())).json().number as string;
    expect(Number(next.slice(-6))).toBeGreaterThan(Math.max(...numbers.map((n) => Number(n.slice(-6)))));
  });

  it('treats an uncertain-age person as a child and derives cross-border', async () => {
    const res = await outreach.post(
      '/api/cases',
      intake({
        person: {
          birthDate: { kind: 'range', minAge: 15, maxAge: 17, asOf: '2026-11-20' },
          ageUncertainPossiblyMinor: true,
          citizenships: ['UZ'],
        },
        case: { countriesOfOrigin: ['UZ'] },
      }),
    );
    const c = (await outreach.get(`/api/cases/${res.json().id}`)).json();
    expect(c.isChild).toBe(true);
    expect(c.crossBorder).toBe(true);
    expect(c.ageBand).toBe('9-17');
  });

  it('rejects bad input naming the fields, in the caller language, and writes nothing', async () => {
    const [before] = await t.db.query<{ n: number }>('select count(*)::int as n from cases');
    const bad = intake({
      case: { encounterDate: 'yesterday', exploitationStart: '2026-05-01', exploitationEnd: '2026-01-01' },
    });
    const res = await outreach.post('/api/cases', bad, { 'x-locale': 'ru' });
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('validation');
    expect(err.message).toBe('Некоторые поля заполнены неверно.');
    const paths = err.fields.map((f: { path: string }) => f.path);
    expect(paths).toContain('case.encounterDate');
    const [after] = await t.db.query<{ n: number }>('select count(*)::int as n from cases');
    expect(after!.n).toBe(before!.n);
  });

  it('refuses a name with neither family nor given name', async () => {
    const res = await outreach.post(
      '/api/cases',
      intake({ person: { names: [{ script: 'latin', kind: 'primary' }] } }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({ path: 'person.names.0.given', code: 'name' });
  });
});

describe('visibility', () => {
  let id: string;
  let number: string;
  beforeAll(async () => {
    const res = await shelterWorker.post(
      '/api/cases',
      intake({
        person: {
          names: [{ family: 'Karimova', given: 'Dilnoza', script: 'latin', kind: 'primary' }],
          citizenships: ['UZ'],
        },
      }),
    );
    ({ id, number } = res.json());
  });

  it('answers 404 to another agency and audits the denied read', async () => {
    const res = await police.get(`/api/cases/${id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const rows = await t.db.query(
      "select 1 from audit_events where action = 'case.read' and outcome = 'denied' and target_id = $1",
      [id],
    );
    expect(rows.length).toBe(1);
  });

  it('never lists or finds it for another agency', async () => {
    for (const q of [undefined, 'Karimova', 'Каримова', number]) {
      const res = await search(police, q ? { q } : {});
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((i: { id: string }) => i.id)).not.toContain(id);
    }
    expect((await police.patch(`/api/cases/${id}`, { version: 1, case: intake().case })).statusCode).toBe(404);
  });

  it('hides it from a first responder of the same agency who did not create it', async () => {
    expect((await outreach.get(`/api/cases/${id}`)).statusCode).toBe(404);
    expect((await search(outreach, { q: 'Karimova' })).json().total).toBe(0);
  });

  it('shows it to the supervisor of the holding agency', async () => {
    expect((await shelterSupervisor.get(`/api/cases/${id}`)).statusCode).toBe(200);
  });

  it('finds it by name in either script, by case number and by its sequence', async () => {
    for (const q of [
      'Karimova',
      'Каримова',
      'каримова дилноза',
      'Dilnoza',
      number,
      number.toLowerCase(),
      String(Number(number.slice(-6))),
    ]) {
      const res = await search(shelterWorker, { q });
      expect(
        res.json().items.map((i: { id: string }) => i.id),
        q,
      ).toContain(id);
    }
    expect((await search(shelterWorker, { q: 'Karimov' })).json().items.map((i: { id: string }) => i.id)).not.toContain(
      id,
    );
  });

  it('filters by child/adult, citizenship, form of exploitation, region and date', async () => {
    const ids = async (body: Record<string, unknown>) =>
      (await search(shelterWorker, body)).json().items.map((i: { id: string }) => i.id);
    expect(await ids({ citizenship: 'UZ' })).toContain(id);
    expect(await ids({ citizenship: 'KG' })).not.toContain(id);
    expect(await ids({ ageGroup: 'adult' })).toContain(id);
    expect(await ids({ ageGroup: 'child' })).not.toContain(id);
    expect(await ids({ exploitationForm: 'ForcedLabour' })).toContain(id);
    expect(await ids({ exploitationForm: 'SexualExploitation' })).not.toContain(id);
    expect(await ids({ region: 'astana' })).not.toContain(id);
    expect(await ids({ from: '2026-11-21' })).not.toContain(id);
    expect(await ids({ stage: ['encounter'] })).toContain(id);
  });

  it('pages and sorts', async () => {
    const page = (await search(shelterWorker, { pageSize: 1, page: 1, sort: 'number', order: 'asc' })).json();
    expect(page.items.length).toBe(1);
    expect(page.total).toBeGreaterThan(1);
    const next = (await search(shelterWorker, { pageSize: 1, page: 2, sort: 'number', order: 'asc' })).json();
    expect(next.items[0].number > page.items[0].number).toBe(true);
  });
});

describe('editing', () => {
  it('gives 409 to a stale write and never overwrites the newer one', async () => {
    const { id } = (await shelterWorker.post('/api/cases', intake())).json();
    const first = (await shelterWorker.get(`/api/cases/${id}`)).json();
    const a = await shelterWorker.patch(`/api/cases/${id}`, {
      version: first.version,
      case: { ...first.case, narrative: 'first edit' },
    });
    expect(a.statusCode).toBe(200);
    expect(a.json().version).toBe(first.version + 1);
    const b = await shelterSupervisor.patch(`/api/cases/${id}`, {
      version: first.version,
      case: { ...first.case, narrative: 'second, stale edit' },
    });
    expect(b.statusCode).toBe(409);
    expect(b.json().error.code).toBe('conflict.stale');
    expect((await shelterWorker.get(`/api/cases/${id}`)).json().case.narrative).toBe('first edit');
  });

  it('re-indexes names on edit', async () => {
    const { id } = (await shelterWorker.post('/api/cases', intake())).json();
    const c = (await shelterWorker.get(`/api/cases/${id}`)).json();
    const person = {
      ...c.person,
      names: [{ family: 'Tokhtarova', given: 'Zhanna', script: 'latin', kind: 'primary' }],
    };
    expect((await shelterWorker.patch(`/api/cases/${id}`, { version: c.version, person })).statusCode).toBe(200);
    expect((await search(shelterWorker, { q: 'Тохтарова' })).json().items.map((i: { id: string }) => i.id)).toContain(
      id,
    );
  });

  it('shows created, edited and viewed events on the timeline; views only to supervisors', async () => {
    const { id } = (await shelterWorker.post('/api/cases', intake())).json();
    const c = (await shelterWorker.get(`/api/cases/${id}`)).json();
    await shelterWorker.patch(`/api/cases/${id}`, { version: c.version, case: c.case });
    const worker = (await shelterWorker.get(`/api/cases/${id}/timeline`))
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(worker).toEqual(['case.create', 'case.update']);
    const sup = (await shelterSupervisor.get(`/api/cases/${id}/timeline`)).json().items;
    expect(sup.map((e: { action: string }) => e.action)).toContain('case.read');
    expect(sup.find((e: { action: string }) => e.action === 'case.read').actorName).toBe('Madina Case Worker');
  });
});

describe('encryption at rest', () => {
  const secrets = ['Ахметова', 'Айгерім', 'Karimova', '1998-04-17', '980417501', '555 10', 'Barakholka', '14 hours'];

  it('stores no name, birth date, document number, phone or narrative in plaintext', async () => {
    await outreach.post('/api/cases', intake());
    const tables = await t.db.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
    );
    let dump = '';
    for (const { table_name } of tables) {
      const rows = await t.db.query<{ r: string }>(`select t::text as r from ${table_name} t`);
      dump += rows.map((r) => r.r).join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    for (const s of secrets) expect(dump.includes(s), s).toBe(false);
    if (t.db.dumpDataDir) {
      // The raw database files, as a copied data folder or backup would hold them.
      await t.db.query('checkpoint');
      const raw = (await t.db.dumpDataDir()).toString('latin1');
      for (const s of secrets) expect(raw.includes(Buffer.from(s, 'utf8').toString('latin1')), s).toBe(false);
    } else if (process.env.TEST_DATABASE_URL) {
      const [{ schema }] = (await t.db.query<{ schema: string }>('select current_schema() as schema')) as [
        { schema: string },
      ];
      const out = execFileSync('pg_dump', ['--data-only', '-n', schema, process.env.TEST_DATABASE_URL], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(out).toContain('COPY');
      for (const s of secrets) expect(out.includes(s), s).toBe(false);
    }
  });
});
