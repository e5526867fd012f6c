import { CTDC_AGE_BANDS, type TAgeBand } from './case.enums.ts';
import type { TBirthDate } from './person.schemas.ts';

/** Age of majority for every rule (CoE Convention art. 4(d): a child is under 18). */
export const AGE_OF_MAJORITY = 18;

function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/**
 * The youngest and oldest the person can be on `onDate` (ISO date), from what is known of the
 * birth date; null when nothing is known.
 */
export function ageRangeOn(birth: TBirthDate, onDate: string): { min: number; max: number } | null {
  switch (birth.kind) {
    case 'exact': {
      const age = yearsBetween(birth.date, onDate);
      return { min: age, max: age };
    }
    case 'year': {
      const upper = Number(onDate.slice(0, 4)) - birth.year;
      return { min: Math.max(0, upper - 1), max: Math.max(0, upper) };
    }
    case 'range': {
      const elapsed = Math.max(0, yearsBetween(birth.asOf, onDate));
      return { min: birth.minAge + elapsed, max: birth.maxAge + elapsed };
    }
    default:
      return null;
  }
}

/**
 * Whether every rule must treat the person as a child on `onDate`: a known minor, anyone who may
 * be under 18 given what is known, or anyone flagged "age uncertain — possibly a minor"
 * (CoE Convention art. 10(3): treat as a child until the age is verified).
 */
export function isChildForRules(
  p: { birthDate: TBirthDate; ageUncertainPossiblyMinor: boolean },
  onDate: string,
): boolean {
  if (p.ageUncertainPossiblyMinor) return true;
  const range = ageRangeOn(p.birthDate, onDate);
  return range !== null && range.min < AGE_OF_MAJORITY;
}

/** The CTDC age band of the best age estimate on `onDate`, or 'unknown'. */
export function ageBandOn(birth: TBirthDate, onDate: string): TAgeBand {
  const range = ageRangeOn(birth, onDate);
  if (!range) return 'unknown';
  const age = Math.floor((range.min + range.max) / 2);
  const bounds: [number, TAgeBand][] = [
    [8, '0-8'],
    [17, '9-17'],
    [20, '18-20'],
    [23, '21-23'],
    [26, '24-26'],
    [29, '27-29'],
    [38, '30-38'],
    [47, '39-47'],
  ];
  for (const [upper, band] of bounds) if (age <= upper) return band;
  return CTDC_AGE_BANDS[CTDC_AGE_BANDS.length - 1]!;
}
