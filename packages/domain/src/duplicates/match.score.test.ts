import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TBirthDate } from '../case/person.schemas.ts';
import { batchKeysOf, blockingKeys } from './match.blocking.ts';
import { DEFAULT_MATCH_CONFIG, ZMatchConfig } from './match.config.ts';
import { MatchFeatures } from './match.features.ts';
import { compareNames, nameSimilarity } from './match.names.ts';
import { prepareForMatching, type TMatchPerson } from './match.prepare.ts';
import { matchScore, otherFieldsWeight, scorePair, scorePrepared } from './match.score.ts';
import { damerauLevenshtein, isOneEditApart, jaroWinkler } from './match.similarity.ts';

const C = DEFAULT_MATCH_CONFIG;
const exact = (date: string): TBirthDate => ({ kind: 'exact', date });
const person = (family: string | null, given: string | null, rest: Partial<TMatchPerson> = {}): TMatchPerson => ({
  names: [{ family, given }],
  sex: 'Feminine',
  ...rest,
});
const field = (a: TMatchPerson, b: TMatchPerson, name: string) =>
  scorePair(a, b, C).fields.find((f) => f.field === name)!;

describe('string similarity', () => {
  it('computes Jaro–Winkler and Damerau–Levenshtein', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(damerauLevenshtein('aigerim', 'aigreim')).toBe(1);
    expect(damerauLevenshtein('aigerim', 'aigerm')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  });

  it('isOneEditApart is "Damerau–Levenshtein distance = 1", in linear time', () => {
    expect(isOneEditApart('N1234567', 'N1234576')).toBe(true);
    expect(isOneEditApart('N1234567', 'N123456')).toBe(true);
    expect(isOneEditApart('N1234567', 'N1234567')).toBe(false);
    expect(isOneEditApart('N1234567', 'N1234765')).toBe(false);
    const s = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });
    fc.assert(
      fc.property(s, s, (a, b) => {
        expect(isOneEditApart(a, b)).toBe(damerauLevenshtein(a, b) === 1);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('scorePair: names across scripts', () => {
  const full = person('Ахметова', 'Айгерім', {
    names: [{ family: 'Ахметова', given: 'Айгерім', patronymic: 'Серікқызы' }],
    birthDate: exact('1998-04-11'),
    citizenships: ['KZ'],
  });

  it('"Ахметова Айгерім Серікқызы", born 1998 ↔ "Akhmetova Aigerim", born 1998 is at least possible', () => {
    const r = scorePair(full, person('Akhmetova', 'Aigerim', { birthDate: { kind: 'year', year: 1998 } }), C);
    expect(['likely', 'possible']).toContain(r.band);
    expect(r.fields.find((f) => f.field === 'names')!.agreement).toBe('match');
    expect(r.fields.find((f) => f.field === 'birthDate')!.detail).toContain('year only');
  });

  it.each([
    ['Akhmetova', 'Aigerim'],
    ['AHMETOVA', 'AYGERIM'],
    ['Axmetova', 'Ajgerim'],
    ['Aigerim', 'Akhmetova'],
    ['Ахметова', 'Айгерим'],
  ])('%s %s with the same birth date is likely', (family, given) => {
    expect(scorePair(full, person(family, given, { birthDate: exact('1998-04-11') }), C).band).toBe('likely');
  });

  it('matches Uzbek, Kyrgyz and Tajik names in Latin and Cyrillic', () => {
    const pairs: [TMatchPerson, TMatchPerson][] = [
      [
        person('Ғуломов', 'Ўткир', { names: [{ family: 'Ғуломов', given: 'Ўткир', patronymic: 'Акмал ўғли' }] }),
        person("G'ulomov", "O'tkir", { names: [{ family: 'Gʻulomov', given: 'Oʻtkir Akmal oʻgʻli' }] }),
      ],
      [person('Үсөнов', 'Дөөлөт'), person('Usonov', 'Doolot')],
      [person('Раҷабов', 'Ҷамшед'), person('Radzhabov', 'Jamshed')],
      [person('Абдулазиз', 'Рустамов'), person('Rustamov', 'Abdul-Aziz')],
      [person('Цой', 'Фёдор'), person('Tsoi', 'Fedor')],
    ];
    for (const [a, b] of pairs) {
      const withDate = (p: TMatchPerson) => ({ ...p, sex: 'Masculine', birthDate: exact('1990-02-03') });
      expect(scorePair(withDate(a), withDate(b), C).band).toBe('likely');
    }
  });

  it('does not take Ахметов for Ахметова: same birth date is not likely', () => {
    const a = person('Ахметов', 'Женя', { sex: 'NonSpecifiedUnknown', birthDate: exact('1998-04-11') });
    const b = person('Ахметова', 'Женя', { birthDate: exact('1998-04-11') });
    const r = scorePair(a, b, C);
    expect(r.band).not.toBe('likely');
    expect(r.fields[0]!.detail).toContain('male and female form');
  });

  it('keeps siblings apart: same surname and patronymic, different given name and date', () => {
    const a = person('Омаров', 'Ерлан', { names: [{ family: 'Омаров', given: 'Ерлан', patronymic: 'Серікұлы' }] });
    const b = person('Омаров', 'Данияр', { names: [{ family: 'Омаров', given: 'Данияр', patronymic: 'Серікұлы' }] });
    const r = scorePair({ ...a, birthDate: exact('1995-03-01') }, { ...b, birthDate: exact('1998-07-12') }, C);
    expect(r.band).toBe('none');
    expect(r.fields[0]!.detail).toContain('patronymic agrees');
  });

  it('a typo of one letter still matches', () => {
    const a = person('Сүлейменова', 'Динара', { birthDate: exact('2001-09-30') });
    const b = person('Сүлейменова', 'Днара', { birthDate: exact('2001-09-30') });
    expect(scorePair(a, b, C).band).toBe('likely');
  });

  it('a different patronymic is counter-evidence', () => {
    const a = person('Иванова', 'Анна', { names: [{ family: 'Иванова', given: 'Анна', patronymic: 'Сергеевна' }] });
    const b = person('Иванова', 'Анна', { names: [{ family: 'Иванова', given: 'Анна', patronymic: 'Петровна' }] });
    expect(field(a, b, 'names').detail).toContain('patronymic differs');
    expect(field(a, b, 'names').weight).toBeLessThan(C.names.weights.match);
  });
});

describe('scorePair: birth date rules', () => {
  const cases: [TBirthDate, TBirthDate, string, string][] = [
    [exact('1998-04-11'), exact('1998-04-11'), 'match', 'same date'],
    [exact('1998-04-11'), exact('1998-11-04'), 'partial', 'day/month swapped'],
    [exact('1998-04-11'), { kind: 'year', year: 1998 }, 'partial', 'same year (year only)'],
    [exact('1998-04-11'), exact('1999-04-11'), 'partial', 'one year off'],
    [exact('1998-04-11'), { kind: 'year', year: 1997 }, 'partial', 'one year off (year only)'],
    [exact('1998-04-11'), { kind: 'range', minAge: 25, maxAge: 30, asOf: '2026-01-01' }, 'partial', 'range overlaps'],
    [exact('1998-04-11'), { kind: 'range', minAge: 40, maxAge: 45, asOf: '2026-01-01' }, 'mismatch', 'outside'],
    [exact('1998-04-11'), exact('1998-06-20'), 'mismatch', 'same year, different day'],
    [exact('1998-04-11'), exact('2003-04-11'), 'mismatch', 'different date'],
    [exact('1998-04-11'), { kind: 'unknown' }, 'missing', 'unknown'],
  ];
  it.each(cases)('%j ↔ %j: %s (%s)', (a, b, agreement, detail) => {
    const f = field(person('X', 'Y', { birthDate: a }), person('X', 'Y', { birthDate: b }), 'birthDate');
    expect(f.agreement).toBe(agreement);
    expect(f.detail).toContain(detail);
  });
});

describe('scorePair: documents, phones, sex and citizenship', () => {
  const base = person('Ахметова', 'Айгерім', { birthDate: exact('1998-04-11'), citizenships: ['KZ'] });
  const passport = (number: string, issuingCountry: string | null = 'KZ') => ({
    documents: [{ type: 'passport', number, issuingCountry }],
  });

  it('an identical document number is strong evidence, even across formats', () => {
    const a = person('Ахметова', null, passport('N 1234-5678'));
    const b = person('Akhmetova', null, passport('n12345678'));
    expect(field(a, b, 'document')).toMatchObject({ agreement: 'match', weight: C.document.match });
  });

  it('a different number of the same type and country is strong counter-evidence', () => {
    const r = scorePair({ ...base, ...passport('N12345678') }, { ...base, ...passport('N87654321') }, C);
    expect(r.fields.find((f) => f.field === 'document')).toMatchObject({
      agreement: 'mismatch',
      weight: C.document.mismatch,
    });
    expect(r.band).not.toBe('likely');
  });

  it('numbers one character apart partly agree; other types do not count', () => {
    expect(field({ ...passport('N12345678') }, { ...passport('N12345679') }, 'document').agreement).toBe('partial');
    const id = { documents: [{ type: 'national_id', number: '987654321', issuingCountry: 'KZ' }] };
    expect(field({ ...passport('N12345678') }, id, 'document').agreement).toBe('missing');
  });

  it('the same phone in different formats matches and makes a weak name match likely', () => {
    const a = person('Ахметова', null, { contacts: [{ type: 'phone', value: '+7 (701) 234-56-78' }] });
    const b = person('Akhmetova', null, { contacts: [{ type: 'phone', value: '87012345678' }] });
    expect(field(a, b, 'phone').agreement).toBe('match');
  });

  it('a different sex is strong counter-evidence; an unknown sex is missing', () => {
    const r = scorePair(base, { ...base, sex: 'Masculine' }, C);
    expect(r.fields.find((f) => f.field === 'sex')).toMatchObject({ agreement: 'mismatch', weight: C.sex.mismatch });
    expect(r.band).toBe('none');
    expect(field(base, { ...base, sex: 'NonSpecifiedUnknown' }, 'sex').agreement).toBe('missing');
  });

  it('citizenship: any in common matches, disjoint mismatches', () => {
    expect(field(base, { ...base, citizenships: ['UZ', 'KZ'] }, 'citizenship').agreement).toBe('match');
    expect(field(base, { ...base, citizenships: ['UZ'] }, 'citizenship').agreement).toBe('mismatch');
  });

  it('explains every field, with weights summing to the score', () => {
    const r = scorePair(base, base, C);
    expect(r.fields.map((f) => f.field)).toEqual(['names', 'birthDate', 'sex', 'citizenship', 'document', 'phone']);
    const bits = C.priorBits + r.fields.reduce((s, f) => s + f.weight, 0);
    expect(r.score).toBeCloseTo(1 / (1 + 2 ** -bits), 3);
    expect(r.fields[0]!.detail).toMatch(/token-set 1\.00, phonetic 1\.00, edit 1\.00/);
    expect(r.configVersion).toBe(C.version);
    // explanations carry no personal data
    expect(JSON.stringify(r.fields)).not.toMatch(/ахмет|ahmet|1998/i);
  });
});

describe('ZMatchConfig', () => {
  it('accepts the default and rejects inconsistent thresholds', () => {
    expect(ZMatchConfig.safeParse(DEFAULT_MATCH_CONFIG).success).toBe(true);
    const bad = { ...DEFAULT_MATCH_CONFIG, thresholds: { likely: 0.4, possible: 0.6 } };
    expect(ZMatchConfig.safeParse(bad).success).toBe(false);
    expect(ZMatchConfig.safeParse({ ...DEFAULT_MATCH_CONFIG, priorBits: 'x' }).success).toBe(false);
  });

  it('thresholds are data: a stricter config changes the band, not the score', () => {
    const a = person('Akhmetova', 'Aigerim', { birthDate: { kind: 'year', year: 1998 } });
    const b = person('Ахметова', 'Айгерім', { birthDate: exact('1998-04-11') });
    const strict = ZMatchConfig.parse({ ...C, thresholds: { likely: 0.999, possible: 0.99 } });
    expect(scorePair(a, b, strict).score).toBe(scorePair(a, b, C).score);
    expect(scorePair(a, b, strict).band).toBe('none');
  });
});

describe('blockingKeys', () => {
  it('true duplicates share a key across script, order, patronymic and date variants', () => {
    const a = person('Ахметова', 'Айгерім Серікқызы', { birthDate: exact('1998-04-11') });
    const variants = [
      person('Akhmetova', 'Aigerim', { birthDate: { kind: 'unknown' } }),
      person('Aigerim', 'Akhmetova', { birthDate: exact('1999-04-11') }),
      person('Ахметова', 'Айгрім', { birthDate: { kind: 'year', year: 1997 } }),
      person('Ахметова', null, { birthDate: exact('1998-11-04') }),
    ];
    const ka = new Set(blockingKeys(a));
    for (const v of variants) expect(blockingKeys(v).some((k) => ka.has(k))).toBe(true);
  });

  it('contains no raw name, only phonetic keys, years, documents and phones', () => {
    const keys = blockingKeys(
      person('Ахметова', 'Айгерім', {
        birthDate: exact('1998-04-11'),
        documents: [{ type: 'passport', number: 'N 1234 5678' }],
        contacts: [{ type: 'phone', value: '+7 701 234 56 78' }],
      }),
    );
    expect(keys).toEqual(
      expect.arrayContaining(['n:agrm:ahmtva', 'y:ahmtva:1998', 'y:ahmtva:1999', 'd:N12345678', 'c:7012345678']),
    );
    expect(keys.join(' ')).not.toMatch(/ахмет|ahmetova|aigerim/i);
  });

  it("the batch's keys meet a typo in one name part through the exact birth date, and hold no raw name", () => {
    const a = person('Ахметова', 'Айгерім', {
      birthDate: exact('1998-04-11'),
      documents: [{ type: 'passport', number: 'N 1234 5678' }],
    });
    const typo = person('Ахмедова', 'Айгерім', { birthDate: exact('1998-04-11') });
    const ka = batchKeysOf(prepareForMatching(a));
    const kt = batchKeysOf(prepareForMatching(typo));
    expect(ka).toEqual(
      expect.arrayContaining(['n:agrm:ahmtva', 'e:agrm:1998-04-11', 'e:ahmtva:1998-04-11', 'd:N12345678']),
    );
    expect(kt.filter((k) => ka.includes(k))).toEqual(['e:agrm:1998-04-11']);
    // no name + year keys: they grow with the population
    expect(ka.filter((k) => k.startsWith('y:'))).toEqual([]);
    expect(ka.join(' ')).not.toMatch(/ахмет|ahmetova|aigerim/i);
    // the same name in another script or order still meets on the name pair key
    expect(batchKeysOf(prepareForMatching(person('Aigerim', 'Akhmetova')))).toContain('n:agrm:ahmtva');
  });

  it('gives no year keys for a wide age range', () => {
    const keys = blockingKeys(
      person('Ахметова', 'Айгерім', { birthDate: { kind: 'range', minAge: 10, maxAge: 60, asOf: '2026-01-01' } }),
    );
    expect(keys.filter((k) => k.startsWith('y:'))).toEqual([]);
  });
});

describe('symmetry', () => {
  const NAMES = [
    'Ахметова',
    'Akhmetova',
    'Ахметов',
    'Айгерім',
    'Aigerim',
    'Серікқызы',
    'Абдул-Азиз',
    'Abdulaziz',
    'Ким',
    'Jamshed',
  ];
  const name = fc.record({
    family: fc.option(fc.constantFrom(...NAMES), { nil: null }),
    given: fc.option(fc.constantFrom(...NAMES), { nil: null }),
    patronymic: fc.option(fc.constantFrom('Серікқызы', 'Сергеевна', 'Akmal oʻgʻli'), { nil: null }),
  });
  const birth: fc.Arbitrary<TBirthDate> = fc.oneof(
    fc
      .constantFrom('1998-04-11', '1998-11-04', '1999-04-11', '2001-01-01')
      .map((date) => ({ kind: 'exact' as const, date })),
    fc.integer({ min: 1996, max: 2000 }).map((year) => ({ kind: 'year' as const, year })),
    fc.constant({ kind: 'unknown' as const }),
    fc.constant({ kind: 'range' as const, minAge: 24, maxAge: 30, asOf: '2026-01-01' }),
  );
  const matchPerson: fc.Arbitrary<TMatchPerson> = fc.record({
    names: fc.array(name, { minLength: 0, maxLength: 2 }),
    sex: fc.constantFrom('Feminine', 'Masculine', 'NonSpecifiedUnknown', 'TransgenderFeminine'),
    birthDate: birth,
    citizenships: fc.subarray(['KZ', 'UZ', 'KG']),
    documents: fc.array(
      fc.record({
        type: fc.constantFrom('passport', 'national_id'),
        number: fc.constantFrom('N12345678', 'N12345679', '987654321'),
        issuingCountry: fc.constantFrom('KZ', null),
      }),
      { maxLength: 2 },
    ),
    contacts: fc.array(
      fc.record({ type: fc.constant('phone'), value: fc.constantFrom('+77012345678', '87012345678', '+998901234567') }),
      { maxLength: 2 },
    ),
  });

  it("matchScore is scorePrepared's score; with a floor it leaves out only pairs below it", () => {
    const floor = C.thresholds.possible;
    fc.assert(
      fc.property(matchPerson, matchPerson, (a, b) => {
        const [x, y] = [prepareForMatching(a), prepareForMatching(b)];
        const full = scorePrepared(x, y, C).score;
        expect(matchScore(x, y, C)).toBe(full);
        const fast = matchScore(x, y, C, floor);
        if (fast >= floor) expect(fast).toBe(full);
        else expect(full).toBeLessThan(floor);
      }),
      { numRuns: 2000 },
    );
  });

  it("the compact features bound the other fields' weights from above, exactly for date, sex and citizenship", () => {
    fc.assert(
      fc.property(fc.array(matchPerson, { minLength: 2, maxLength: 6 }), (persons) => {
        const prepared = persons.map(prepareForMatching);
        const features = new MatchFeatures(prepared.length, C);
        for (const [i, p] of prepared.entries()) features.set(i, p);
        for (let i = 0; i < prepared.length; i++)
          for (let j = 0; j < prepared.length; j++) {
            const exact = otherFieldsWeight(prepared[i]!, prepared[j]!, C);
            expect(features.otherFieldsBound(i, j)).toBeGreaterThanOrEqual(exact - 1e-9);
            const [a, b] = [prepared[i]!, prepared[j]!];
            if (!a.documents.length && !b.documents.length && !a.phones.length && !b.phones.length)
              expect(features.otherFieldsBound(i, j)).toBeCloseTo(exact, 9);
          }
      }),
      { numRuns: 500 },
    );
  });

  it('nameSimilarity (remembered for shared token arrays) is the similarity of compareNames', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        const [x, y] = [prepareForMatching({ names: [a] }).names[0], prepareForMatching({ names: [b] }).names[0]];
        if (!x || !y) return;
        const full = compareNames(x, y, C.names);
        for (let i = 0; i < 2; i++)
          expect(nameSimilarity(x, y, C.names)).toEqual({ similarity: full.similarity, subset: full.subset });
      }),
      { numRuns: 500 },
    );
  });

  it('scorePair(a, b) = scorePair(b, a)', () => {
    fc.assert(
      fc.property(matchPerson, matchPerson, (a, b) => {
        expect(scorePair(a, b, C)).toEqual(scorePair(b, a, C));
      }),
      { numRuns: 500 },
    );
  });
});
