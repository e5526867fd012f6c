import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramMedian } from './statistics.service.ts';

describe('medians from counted values', () => {
  it('property: the median of a histogram is the median of the values it counts', () => {
    const naive = (xs: number[]) => {
      if (!xs.length) return null;
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }),
        (rows) => {
          const histogram = rows.map(([value, n]) => ({ value, n }));
          const values = rows.flatMap(([value, n]) => Array.from({ length: n }, () => value));
          expect(histogramMedian(histogram)).toBe(naive(values));
        },
      ),
      { numRuns: 500 },
    );
  });
});
