import { DEFAULT_MATCH_CONFIG, scorePair, translate } from '@opennrm/domain';
import { describe, expect, it } from 'vitest';
import { explainDetail, explainField } from './explain.ts';

const tr = (locale: 'en' | 'ru' | 'kk') => (key: string, params?: Record<string, unknown>) =>
  translate(locale, key, params as Record<string, string>);

describe('explaining a score in the interface language', () => {
  it('maps every reason of a real comparison to a catalogue text', () => {
    const a = {
      names: [{ family: 'Ахметова', given: 'Айгерім', patronymic: 'Серікқызы' }],
      sex: 'Feminine',
      birthDate: { kind: 'exact' as const, date: '1998-04-17' },
      citizenships: ['KZ'],
      documents: [{ type: 'passport', number: 'N1234567', issuingCountry: 'KZ' }],
      contacts: [{ type: 'phone', value: '+77015550000' }],
    };
    const b = {
      names: [{ family: 'Akhmetova', given: 'Aigerim' }],
      sex: 'Feminine',
      birthDate: { kind: 'year' as const, year: 1998 },
      citizenships: ['UZ'],
      documents: [{ type: 'passport', number: 'N1234568', issuingCountry: 'KZ' }],
      contacts: [],
    };
    const { fields } = scorePair(a, b, DEFAULT_MATCH_CONFIG);
    for (const locale of ['en', 'ru', 'kk'] as const)
      for (const f of fields) {
        const row = explainField(tr(locale), f);
        expect(row.reason, `${locale} ${f.detail}`).not.toMatch(/duplicates\.detail|enums\./);
        if (locale !== 'en') expect(row.reason).not.toBe(f.detail);
      }
    expect(explainDetail(tr('ru'), 'same passport number')).toContain('тот же номер');
    expect(
      explainDetail(tr('en'), 'similarity 0.93 (token-set 0.90, phonetic 1.00, edit 0.85); patronymic agrees'),
    ).toBe('similarity 0.93 (token set 0.90, sound 1.00, spelling 0.85); patronymic agrees');
  });

  it('shows an unknown reason as is', () => {
    expect(explainDetail(tr('kk'), 'something new')).toBe('something new');
  });
});
