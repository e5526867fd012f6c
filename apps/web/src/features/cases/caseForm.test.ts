import { describe, expect, it } from 'vitest';
import {
  emptyCaseForm,
  emptyName,
  formFromDetail,
  formFromDraft,
  formIsChild,
  formPath,
  scriptOf,
  type TCaseForm,
  toCaseInput,
  validateCase,
} from './caseForm.ts';

function minimal(): TCaseForm {
  const f = emptyCaseForm();
  f.person.sex = 'Feminine';
  f.case.encounterDate = '2026-03-01';
  f.case.encounterRegion = 'almaty';
  f.case.identificationMethod = 'ngo_outreach';
  return f;
}

describe('intake form model', () => {
  it('needs only sex and the encounter date, region and method', () => {
    const empty = validateCase(emptyCaseForm());
    expect(empty.ok).toBe(false);
    if (!empty.ok) {
      expect(Object.keys(empty.errors).sort()).toEqual([
        'case.encounterRegion',
        'case.identificationMethod',
        'person.sex',
      ]);
      expect(empty.errors['person.sex']).toBe('validation.required');
    }
    const ok = validateCase(minimal());
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.value.person.names).toEqual([]);
  });

  it('puts name and date errors under the form row that holds them', () => {
    const f = minimal();
    f.person.names = [emptyName(), { ...emptyName(), patronymic: 'Ахметұлы' }];
    const r = validateCase(f);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors['person.names.1.given']).toBe('validation.name');
    // The API numbers only the filled names: its name 0 is the form's row 1.
    expect(formPath(f, 'person.names.0.given')).toBe('person.names.1.given');
    f.case.exploitationStart = '2026-02-01';
    f.case.exploitationEnd = '2026-01-01';
    f.person.names = [{ ...emptyName(), given: 'Айгерим' }];
    const r2 = validateCase(f);
    if (!r2.ok) expect(r2.errors['case.exploitationEnd']).toBe('validation.before_start');
    else throw new Error('expected an error');
  });

  it('turns an age range into the API birth date and treats a possible minor as a child', () => {
    const f = minimal();
    f.person.birthKind = 'range';
    f.person.minAge = '15';
    f.person.maxAge = '17';
    const input = toCaseInput(f) as { person: { birthDate: unknown } };
    expect(input.person.birthDate).toEqual({ kind: 'range', minAge: 15, maxAge: 17, asOf: '2026-03-01' });
    expect(formIsChild(f)).toBe(true);
    const adult = minimal();
    adult.person.birthKind = 'year';
    adult.person.birthYear = '1990';
    expect(formIsChild(adult)).toBe(false);
    adult.person.ageUncertainPossiblyMinor = true;
    expect(formIsChild(adult)).toBe(true);
  });

  it('detects the script of a name', () => {
    expect(scriptOf({ family: 'Юсупова', given: 'Дильноза', patronymic: '' })).toBe('cyrillic');
    expect(scriptOf({ family: 'Yusupova', given: '', patronymic: '' })).toBe('latin');
    expect(scriptOf({ family: 'Yusupova', given: 'Дильноза', patronymic: '' })).toBe('other');
  });

  it('restores a draft defensively and round-trips a case', () => {
    const restored = formFromDraft({ person: { sex: 'Masculine', names: 'nonsense', stateless: 'yes' }, case: 7 });
    expect(restored.person.sex).toBe('Masculine');
    expect(restored.person.names).toHaveLength(1);
    expect(restored.person.stateless).toBe(false);
    expect(restored.case.encounterRegion).toBeNull();

    const f = minimal();
    f.person.names = [{ ...emptyName(), family: 'Yusupova', given: 'Dilnoza', script: 'latin' }];
    f.person.citizenships = ['UZ'];
    const r = validateCase(f);
    if (!r.ok) throw new Error('expected valid');
    const back = formFromDetail(r.value);
    expect(back.person.names[0]?.family).toBe('Yusupova');
    expect(validateCase(back)).toEqual(r);
  });
});
