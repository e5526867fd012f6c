import { DEFAULT_CATALOGUE, type TCatalogue } from '@opennrm/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intake } from '../../test/factories.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';

let t: TestApp;
let outreach: Awaited<ReturnType<TestApp['as']>>;
let police: Awaited<ReturnType<TestApp['as']>>;
let admin: Awaited<ReturnType<TestApp['as']>>;

beforeAll(async () => {
  t = await createTestApp();
  outreach = await t.as('shelter.outreach');
  police = await t.as('police.officer');
  admin = await t.as('admin');
});
afterAll(async () => t.close());

/** Indicator ids of a dimension with the given strength for a profile. */
function ids(dimension: string, strength: string, profile = 'child_labour', n = 1): string[] {
  const d = DEFAULT_CATALOGUE.dimensions.find((x) => x.id === dimension)!;
  return d.indicators
    .filter((i) => (i.strength as Record<string, string | undefined>)[profile] === strength)
    .slice(0, n)
    .map((i) => i.id);
}

describe('screening', () => {
  it('serves the current catalogue with texts in three languages', async () => {
    const res = await outreach.get('/api/screening/catalogue');
    expect(res.statusCode).toBe(200);
    const cat = res.json() as TCatalogue;
    expect(cat.version).toBe(DEFAULT_CATALOGUE.version);
    expect(cat.dimensions[0]!.indicators[0]!.text.kk.length).toBeGreaterThan(3);
  });

  it('forces the child profile for a girl of uncertain age and finds indicators present from act + exploitation only', async () => {
    const { id } = (
      await outreach.post(
        '/api/cases',
        intake({
          person: {
            birthDate: { kind: 'range', minAge: 15, maxAge: 17, asOf: '2026-11-20' },
            ageUncertainPossiblyMinor: true,
            citizenships: ['UZ'],
          },
        }),
      )
    ).json();
    const res = await outreach.post(`/api/cases/${id}/screenings`, {
      profile: 'adult_labour',
      acts: ['recruitment', 'transportation'],
      // one strong + one medium indicator makes the dimension positive
      indicatorIds: [...ids('exploitative_conditions', 'strong'), ...ids('exploitative_conditions', 'medium')],
      judgement: 'refer_for_identification',
      reasons: 'Works nights at a café, no pay, lives on site.',
    });
    expect(res.statusCode).toBe(201);
    const s = res.json();
    expect(s.profile).toBe('child_labour');
    expect(s.outcome).toBe('indicators_present');
    expect(s.recommendation).toBe('refer_for_identification');
    expect(s.catalogueVersion).toBe(DEFAULT_CATALOGUE.version);
    expect(s.reasons).toContain('café');
    const c = (await outreach.get(`/api/cases/${id}`)).json();
    expect(c.stage).toBe('screened');
    expect(c.latestOutcome).toBe('indicators_present');
    const [raw] = await t.db.query<{ reasons_enc: string }>('select reasons_enc from screenings where case_id = $1', [
      id,
    ]);
    expect(raw!.reasons_enc).not.toContain('café');
  });

  it('keeps the history on re-screening; the case shows the latest', async () => {
    const { id } = (await outreach.post('/api/cases', intake())).json();
    await outreach.post(`/api/cases/${id}/screenings`, {
      profile: 'adult_labour',
      acts: [],
      indicatorIds: [],
      judgement: 'no_action',
      reasons: '',
    });
    await outreach.post(`/api/cases/${id}/screenings`, {
      profile: 'adult_labour',
      acts: ['recruitment'],
      indicatorIds: [
        ...ids('exploitative_conditions', 'strong', 'adult_labour'),
        ...ids('exploitative_conditions', 'medium', 'adult_labour'),
      ],
      judgement: 'assess_further',
      reasons: '',
    });
    const history = (await outreach.get(`/api/cases/${id}/screenings`)).json().items;
    expect(history).toHaveLength(2);
    expect(history[0].outcome).toBe('some_indicators');
    expect(history[1].outcome).toBe('no_indicators');
    expect((await outreach.get(`/api/cases/${id}`)).json().latestOutcome).toBe('some_indicators');
    const timeline = (await outreach.get(`/api/cases/${id}/timeline`))
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(timeline.filter((a: string) => a === 'screening.create')).toHaveLength(2);
  });

  it('refuses a profile with no list yet, and a form built on another catalogue version', async () => {
    const { id } = (await outreach.post('/api/cases', intake())).json();
    const noList = await outreach.post(`/api/cases/${id}/screenings`, {
      profile: 'adult_sexual',
      acts: [],
      indicatorIds: [],
      judgement: 'no_action',
      reasons: '',
    });
    expect(noList.statusCode).toBe(400);
    expect(noList.json().error.fields[0]).toMatchObject({ path: 'profile', code: 'profile_unavailable' });
    const old = await outreach.post(`/api/cases/${id}/screenings`, {
      profile: 'adult_labour',
      catalogueVersion: 'old',
      acts: [],
      indicatorIds: [],
      judgement: 'no_action',
      reasons: '',
    });
    expect(old.statusCode).toBe(409);
    expect(old.json().error.code).toBe('conflict.catalogue_changed');
  });

  it('answers 404 to another agency', async () => {
    const { id } = (await outreach.post('/api/cases', intake())).json();
    expect(
      (
        await police.post(`/api/cases/${id}/screenings`, {
          profile: 'adult_labour',
          acts: [],
          indicatorIds: [],
          judgement: 'no_action',
          reasons: '',
        })
      ).statusCode,
    ).toBe(404);
    expect((await police.get(`/api/cases/${id}/screenings`)).statusCode).toBe(404);
  });

  it('lets a system administrator publish a new version; earlier results keep theirs', async () => {
    const { id } = (await outreach.post('/api/cases', intake())).json();
    await outreach.post(`/api/cases/${id}/screenings`, {
      profile: 'adult_labour',
      acts: [],
      indicatorIds: [],
      judgement: 'no_action',
      reasons: '',
    });
    const next = structuredClone(DEFAULT_CATALOGUE) as TCatalogue;
    next.version = '2009-labour-v2';
    const ex = next.dimensions.find((d) => d.id === 'exploitative_conditions')!;
    ex.indicators[0]!.text.en = 'Corrected text';
    expect((await outreach.post('/api/screening/catalogues', next)).statusCode).toBe(403);
    expect((await admin.post('/api/screening/catalogues', next)).statusCode).toBe(201);
    expect((await admin.post('/api/screening/catalogues', next)).statusCode).toBe(400);
    expect((await outreach.get('/api/screening/catalogue')).json().version).toBe('2009-labour-v2');
    const history = (await outreach.get(`/api/cases/${id}/screenings`)).json().items;
    expect(history[0].catalogueVersion).toBe(DEFAULT_CATALOGUE.version);
    const versions = (await admin.get('/api/screening/catalogues'))
      .json()
      .items.map((v: { version: string }) => v.version);
    expect(versions).toEqual(expect.arrayContaining([DEFAULT_CATALOGUE.version, '2009-labour-v2']));
  });
});
