import { dateInZone } from '@opennrm/domain';
import type { Db } from '../../db/client.ts';
import type { AppDeps } from '../../http/deps.ts';

/**
 * Case numbers (`KZ-2026-000123`): one PostgreSQL sequence per country and year (migration 0017).
 * Taking a number holds no lock, so registrations do not wait on each other; numbers are unique and
 * increase, and a registration that fails after taking its number leaves a gap.
 */
export function caseNumberSequence(country: string, year: number): string {
  if (!/^[A-Za-z]{2}$/.test(country) || !Number.isInteger(year) || year < 1900 || year > 9999)
    throw new Error('invalid case number series');
  return `case_number_${country.toLowerCase()}_${year}`;
}

const ensured = new WeakMap<Db, Set<string>>();

/**
 * Makes sure the year's sequence exists and returns its name. Runs outside the registering
 * transaction (before it), once per year and database per process; two servers creating it at
 * once is harmless: the loser's error is ignored once the sequence exists.
 */
export async function ensureCaseNumberSequence(db: Db, country: string, year: number): Promise<string> {
  const name = caseNumberSequence(country, year);
  let known = ensured.get(db);
  if (!known) {
    known = new Set();
    ensured.set(db, known);
  }
  if (known.has(name)) return name;
  try {
    await db.query(`create sequence if not exists ${name}`);
  } catch (err) {
    const [row] = await db.query<{ t: string | null }>('select to_regclass($1)::text as t', [name]);
    if (!row?.t) throw err;
  }
  known.add(name);
  return name;
}

/** The case-number series of a registration: its year and the year's sequence. */
export interface TCaseNumbers {
  year: number;
  sequence: string;
}

/** The series of a registration made now (the year in the configured time zone), ensured outside any transaction. */
export async function currentCaseNumbers(deps: Pick<AppDeps, 'db' | 'config'>): Promise<TCaseNumbers> {
  const year = Number(dateInZone(new Date(), deps.config.timeZone).slice(0, 4));
  return { year, sequence: await ensureCaseNumberSequence(deps.db, deps.config.country, year) };
}

/**
 * The SQL expression of a case number, `KZ-2026-000123` (at least six digits), from SQL expressions
 * of its country, year and number in the year's sequence. `n` appears twice: pass a column or
 * parameter, never `nextval(…)` itself.
 */
export function caseNumberSql(country: string, year: string, n: string): string {
  return `${country} || '-' || ${year}::int || '-' || lpad(${n}::text, greatest(6, length(${n}::text)), '0')`;
}
