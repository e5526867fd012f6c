import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { referredCase } from '../../test/referral-fixtures.ts';

/**
 * Property (CoE art. 13): whatever sequence of API calls — opening via a decision, extensions,
 * early ends with random reasons and dates, attempts to shorten, configuration changes — no
 * reflection period is ever shorter than 30 days, and none ends early without an allowed reason.
 * Runs against the real app on PGlite with a bounded number of runs.
 */
type Client = Awaited<ReturnType<TestApp['as']>>;
let t: TestApp;
let shelter: Client;
let investigator: Client;
let decider: Client;
let admin: Client;
let policeId: string;

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Almaty' }).format(new Date());
const shift = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await createTestApp();
  shelter = await t.as('shelter.worker');
  investigator = await t.as('police.investigator');
  decider = await t.as('police.decision');
  admin = await t.as('admin');
  policeId = await t.agencyId('Almaty City Police Department');
});
afterAll(async () => t.close());

const REASONS = ['public_order', 'improper_claim', 'refused_to_cooperate', 'no_testimony', '', 'other'];

const command = fc.oneof(
  fc.record({ op: fc.constant('extend' as const), offset: fc.integer({ min: -90, max: 120 }) }),
  fc.record({
    op: fc.constant('end' as const),
    reason: fc.constantFrom(...REASONS),
    justification: fc.oneof(
      fc.constant(''),
      fc.string({ maxLength: 30 }),
      fc.constant('Public order threat confirmed by a court order.'),
    ),
    offset: fc.integer({ min: -90, max: 60 }),
  }),
  fc.record({ op: fc.constant('rules' as const), days: fc.integer({ min: -5, max: 90 }) }),
  fc.record({ op: fc.constant('sql' as const), days: fc.integer({ min: -5, max: 29 }) }),
);

async function invariants() {
  const [bad] = await t.db.query<{ short: number; unjustified: number; settings: number }>(
    `select (select count(*)::int from reflection_periods where planned_end - start_date < 30) as short,
            (select count(*)::int from reflection_periods where ended_on is not null and ended_on < planned_end
               and (end_reason is null or end_reason not in ('public_order', 'improper_claim') or end_justification_enc is null
                    or ended_by is null)) as unjustified,
            (select count(*)::int from settings where key = 'status_rules' and (value->>'reflectionDays')::int < 30) as settings`,
  );
  expect(bad).toEqual({ short: 0, unjustified: 0, settings: 0 });
}

describe('the recovery and reflection period (property, real app)', () => {
  it('is never shorter than 30 days and never ends early without an art. 13(3) reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -40, max: 0 }),
        fc.array(command, { minLength: 1, maxLength: 8 }),
        async (startOffset, commands) => {
          const r = await referredCase(t, shelter, {
            toAgencyId: policeId,
            scope: [],
            person: { citizenships: ['UZ'], documents: [] } as never,
          });
          await investigator.post(`/api/referrals/${r.referralId}/accept`);
          const start = shift(today(), startOffset);
          const opened = await decider.post(`/api/cases/${r.caseId}/decisions`, {
            kind: 'preliminary',
            outcome: 'presumed_victim',
            reasons: 'Reasonable grounds to believe the person is a victim.',
            legalBasis: 'Identification rules',
            decidedOn: start,
          });
          expect(opened.statusCode).toBe(201);
          const period = opened.json().reflection as { id: string; plannedEnd: string; startDate: string };
          expect(period.startDate).toBe(start);
          for (const c of commands) {
            const [p] = await t.db.query<{ version: number; planned_end: string }>(
              'select version, planned_end::text as planned_end from reflection_periods where id = $1',
              [period.id],
            );
            let status = 0;
            if (c.op === 'extend') {
              const res = await decider.post(`/api/reflection-periods/${period.id}/extend`, {
                plannedEnd: shift(start, c.offset),
                version: p!.version,
              });
              status = res.statusCode;
              if (status === 200) expect(shift(start, c.offset) > p!.planned_end).toBe(true);
            } else if (c.op === 'end') {
              const res = await decider.post(`/api/reflection-periods/${period.id}/end`, {
                reason: c.reason,
                justification: c.justification,
                endedOn: shift(start, c.offset),
                version: p!.version,
              });
              status = res.statusCode;
              if (status === 200) expect(['public_order', 'improper_claim']).toContain(c.reason);
            } else if (c.op === 'rules') {
              const cur = (await admin.get('/api/status-rules')).json();
              const res = await admin.put('/api/status-rules', {
                rules: { ...cur.rules, reflectionDays: c.days },
                version: cur.version,
              });
              status = res.statusCode;
              expect(status === 200).toBe(c.days >= 30 && c.days <= 365);
            } else {
              // Straight to the database, past the application: the CHECK constraints refuse.
              await expect(
                t.db.query('update reflection_periods set planned_end = start_date + $2::int where id = $1', [
                  period.id,
                  c.days,
                ]),
              ).rejects.toThrow(/reflection_min_30_days/);
              status = 400;
            }
            expect(status).toBeLessThan(500);
            await invariants();
          }
        },
      ),
      { numRuns: 40 },
    );
    await invariants();
  }, 120_000);

  it('the database refuses a direct INSERT of a shorter period or an unjustified early end', async () => {
    // A case without a period of its own to attach the rows to.
    await referredCase(t, shelter, {
      toAgencyId: policeId,
      scope: [],
      person: { citizenships: ['UZ'], documents: [] } as never,
    });
    const [p] = await t.db.query<{ case_id: string; decision_id: string; agency_id: string }>(
      'select case_id, decision_id, agency_id from reflection_periods limit 1',
    );
    const insert = (start: string, end: string, extra = '') =>
      t.db.query(
        `insert into reflection_periods (id, case_id, decision_id, agency_id, start_date, planned_end${extra ? ', ended_on, end_reason' : ''})
         values (gen_random_uuid(), (select id from cases where id not in (select case_id from reflection_periods) limit 1), $1, $2, $3, $4${extra})`,
        [p!.decision_id, p!.agency_id, start, end],
      );
    await expect(insert('2026-01-01', '2026-01-30')).rejects.toThrow(/reflection_min_30_days/);
    await expect(insert('2026-01-01', '2026-01-31', ", '2026-01-10', 'refused_to_testify'")).rejects.toThrow(
      /reflection_end_reason|reflection_early_end_justified/,
    );
    await expect(insert('2026-01-01', '2026-01-31', ", '2026-01-10', 'public_order'")).rejects.toThrow(
      /reflection_early_end_justified/,
    );
  });
});
