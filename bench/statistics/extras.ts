import { randomUUID } from 'node:crypto';
import { PersonCipher } from '../../apps/server/src/crypto/person-crypto.ts';
import { type Db, openDb } from '../../apps/server/src/db/client.ts';
import { rng } from '../duplicates/generate.ts';
import { BENCH_KEYS, type Target } from '../population.ts';

/**
 * Bumped when what ensureStatisticsData adds changes. A population carrying another version keeps
 * its rows (they are never deleted: other benchmarks share the database); the new version is refused
 * with a message rather than written on top.
 */
export const STATISTICS_EXTRAS_VERSION = 1;
/** The day the synthetic history ends: nothing is decided or linked after it. */
const TODAY = '2026-11-30';
const DAY = 86_400_000;

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A per-case seed from its number, so every case gets the same history whatever the batch order. */
function seedOf(number: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < number.length; i++) h = Math.imul(h ^ number.charCodeAt(i), 0x01000193);
  return (h ^ 20261201) >>> 0;
}

interface CaseRow {
  id: string;
  number: string;
  person_id: string;
  data_key: string;
  encounter_date: string;
  created_by: string;
  ref_id: string | null;
  ref_to: string | null;
  ref_state: string | null;
  ref_sent: string | null;
}

/**
 * What the statistics read beyond the shared population (bench/population.ts), added to the stored
 * population once: the answer time of every answered referral, a status track per
 * formal-identification referral, preliminary and final decisions, reflection periods and linked
 * criminal proceedings. Proportions (synthetic, per NRM practice): of the referrals a competent
 * authority accepted, 80 % get a preliminary decision within 2–25 days, 85 % of them positive; half
 * of the positive ones get a final decision 40–150 days later (90 % positive); every positive
 * preliminary decision opens a 30-day (10 %: 60-day) reflection period, 7 % ended early for public
 * order; a criminal proceeding is linked to 25 % of the persons with a positive decision and to 3 %
 * of the others. Reasons, justifications and register numbers are encrypted under the person's key
 * like the server does. Deterministic per case; restartable (progress in bench_statistics_extras).
 */
export async function ensureStatisticsData(target: Target): Promise<{ added: boolean; seconds: number }> {
  const db = await openDb(target.dbOpts);
  const t0 = performance.now();
  try {
    await db.query('select pg_advisory_lock(4242701)');
    await db.query(
      `create table if not exists bench_statistics_extras (version int not null, last_number text not null default '', done boolean not null default false)`,
    );
    let [state] = await db.query<{ version: number; last_number: string; done: boolean }>(
      'select version, last_number, done from bench_statistics_extras',
    );
    if (state && state.version !== STATISTICS_EXTRAS_VERSION)
      throw new Error(
        `bench_statistics_extras holds version ${state.version}, want ${STATISTICS_EXTRAS_VERSION}: regenerate the population (BENCH_FRESH=1)`,
      );
    if (state?.done) return { added: false, seconds: 0 };
    if (!state) {
      await db.query('insert into bench_statistics_extras (version) values ($1)', [STATISTICS_EXTRAS_VERSION]);
      state = { version: STATISTICS_EXTRAS_VERSION, last_number: '', done: false };
    }
    const makers = await db.query<{ id: string; agency_id: string }>(
      `select id, agency_id from users where 'decision_maker' = any(roles) order by username`,
    );
    if (!makers.length) throw new Error('no decision maker in the population');
    const makerOf = (agency: string) => (makers.find((m) => m.agency_id === agency) ?? makers[0]!).id;
    let last = state.last_number;
    let done = 0;
    for (;;) {
      const rows = await db.query<CaseRow>(
        `select c.id, c.number, c.person_id, p.data_key, c.encounter_date::text as encounter_date, c.created_by,
                r.id as ref_id, r.to_agency_id as ref_to, r.state as ref_state, r.sent_at as ref_sent
           from cases c join persons p on p.id = c.person_id
           left join lateral (select * from referrals r where r.case_id = c.id and r.purpose = 'formal_identification'
                               order by r.sent_at limit 1) r on true
          where c.number > $1 order by c.number limit 2000`,
        [last],
      );
      if (!rows.length) break;
      await addBatch(db, rows, makerOf);
      last = rows[rows.length - 1]!.number;
      done += rows.length;
      if (done % 100_000 < rows.length) console.error(`  statistics extras: ${done} cases`);
    }
    await db.query('update bench_statistics_extras set done = true');
    await db.query('analyze');
    return { added: true, seconds: Math.round((performance.now() - t0) / 1000) };
  } finally {
    await db.query('select pg_advisory_unlock(4242701)').catch(() => undefined);
    await db.close();
  }
}

async function addBatch(db: Db, rows: CaseRow[], makerOf: (agency: string) => string) {
  const last = rows[rows.length - 1]!.number;
  const today = Date.parse(`${TODAY}T00:00:00Z`);
  const answered: unknown[][] = [[], []];
  const tracks: unknown[][] = [[], [], [], [], []];
  const decisions: unknown[][] = Array.from({ length: 9 }, () => []);
  const periods: unknown[][] = Array.from({ length: 10 }, () => []);
  const proceedings: unknown[][] = Array.from({ length: 6 }, () => []);
  for (const c of rows) {
    const r = rng(seedOf(c.number));
    let cipher: PersonCipher | null = null;
    const cipherOf = () => {
      cipher ??= PersonCipher.unwrap(BENCH_KEYS, c.person_id, c.data_key);
      return cipher;
    };
    let positive = false;
    if (c.ref_id && c.ref_to && c.ref_sent) {
      const sent = Date.parse(c.ref_sent);
      tracks[0]!.push(randomUUID());
      tracks[1]!.push(c.id);
      tracks[2]!.push(c.ref_id);
      tracks[3]!.push(c.ref_to);
      tracks[4]!.push(c.ref_sent);
      if (c.ref_state !== 'sent') {
        // answered within 2 hours to 4 days (the deadline is 3 days: some are late)
        answered[0]!.push(c.ref_id);
        answered[1]!.push(new Date(sent + (2 + r.int(94)) * 3_600_000).toISOString());
      }
      const decide = (c.ref_state === 'accepted' || c.ref_state === 'completed') && r.chance(0.8);
      const prelimOn = sent + (2 + r.int(24)) * DAY;
      if (decide && prelimOn <= today) {
        const id = randomUUID();
        positive = r.chance(0.85);
        const maker = makerOf(c.ref_to);
        const add = (did: string, kind: string, outcome: string, on: number) => {
          [
            did,
            c.id,
            kind,
            outcome,
            cipherOf().encrypt(`decision.reasons:${did}`, 'Synthetic reasons for the benchmark.'),
            'Law 110-VIII art. 12',
            iso(on),
            maker,
            c.ref_to,
          ].forEach((v, k) => {
            decisions[k]!.push(v);
          });
        };
        add(id, 'preliminary', positive ? 'presumed_victim' : 'not_presumed_victim', prelimOn);
        if (positive) {
          const finalOn = prelimOn + (40 + r.int(111)) * DAY;
          if (r.chance(0.5) && finalOn <= today)
            add(randomUUID(), 'final', r.chance(0.9) ? 'victim' : 'not_victim', finalOn);
          const pid = randomUUID();
          const plannedEnd = prelimOn + (r.chance(0.9) ? 30 : 60) * DAY;
          const early = r.chance(0.07) && prelimOn + 25 * DAY <= today;
          const endedOn = early ? prelimOn + (10 + r.int(15)) * DAY : plannedEnd <= today ? plannedEnd : null;
          [
            pid,
            c.id,
            id,
            c.ref_to,
            iso(prelimOn),
            iso(plannedEnd),
            endedOn === null ? null : iso(endedOn),
            early ? 'public_order' : null,
            early ? cipherOf().encrypt(`reflection.justification:${pid}`, 'Synthetic justification.') : null,
            early ? maker : null,
          ].forEach((v, k) => {
            periods[k]!.push(v);
          });
        }
      }
    }
    if (r.chance(positive ? 0.25 : 0.03)) {
      const at = Date.parse(`${c.encounter_date}T09:00:00Z`) + (10 + r.int(190)) * DAY;
      if (at <= today) {
        const id = randomUUID();
        [
          id,
          c.id,
          cipherOf().encrypt(`proceedings.register:${id}`, `2026${String(r.int(1e10)).padStart(10, '0')}`),
          r.pick(['pre_trial_investigation', 'pre_trial_investigation', 'indictment', 'trial', 'judgment', 'closed']),
          c.created_by,
          new Date(at).toISOString(),
        ].forEach((v, k) => {
          proceedings[k]!.push(v);
        });
      }
    }
  }
  await db.tx(async (q) => {
    if (answered[0]!.length)
      await q.query(
        `update referrals r set responded_at = x.t::timestamptz from unnest($1::uuid[], $2::text[]) as x(id, t) where r.id = x.id`,
        answered,
      );
    if (tracks[0]!.length)
      await q.query(
        `insert into status_tracks (id, case_id, referral_id, agency_id, referred_at, preliminary_due_at)
         select id, c, r, a, s::timestamptz, s::timestamptz + interval '7 days'
           from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) as x(id, c, r, a, s)`,
        tracks,
      );
    if (decisions[0]!.length)
      await q.query(
        `insert into status_decisions (id, case_id, kind, outcome, reasons_enc, legal_basis, decided_on, decided_by, agency_id)
         select id, c, k, o, e, l, d::date, u, a
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[])
             as x(id, c, k, o, e, l, d, u, a)`,
        decisions,
      );
    if (periods[0]!.length)
      await q.query(
        `insert into reflection_periods (id, case_id, decision_id, agency_id, start_date, planned_end, ended_on, end_reason,
                                         end_justification_enc, ended_by)
         select id, c, d, a, s::date, p::date, e::date, er, ej, eb
           from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[])
             as x(id, c, d, a, s, p, e, er, ej, eb)`,
        periods,
      );
    if (proceedings[0]!.length)
      await q.query(
        `insert into criminal_proceedings (id, case_id, register_number_enc, article, stage, procedural_role, created_by, created_at)
         select id, c, e, '128', s, 'victim', u, t::timestamptz
           from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::text[]) as x(id, c, e, s, u, t)`,
        proceedings,
      );
    await q.query('update bench_statistics_extras set last_number = $1', [last]);
  });
}
