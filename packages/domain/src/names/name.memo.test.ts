import { describe, expect, it } from 'vitest';
import { memoise } from './name.memo.ts';
import { canonicalToken, phoneticKey } from './name.translit.ts';

describe('memoise', () => {
  it('computes each input once, and starts afresh when full', () => {
    let calls = 0;
    const f = memoise((s: string) => {
      calls++;
      return s.toUpperCase();
    }, 2);
    expect([f('a'), f('a'), f('b')]).toEqual(['A', 'A', 'B']);
    expect(calls).toBe(2);
    expect(f('c')).toBe('C'); // full: cleared, then stored
    expect(f('a')).toBe('A');
    expect(calls).toBe(4);
  });

  it('leaves the token functions as they were', () => {
    for (let i = 0; i < 2; i++) {
      expect(canonicalToken('Айгерім')).toBe('aigerim');
      expect(phoneticKey('ahmetova')).toBe('ahmtva');
    }
  });
});
