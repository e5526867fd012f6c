import type { TFieldComparison } from '@opennrm/domain';

type T = (key: string, params?: Record<string, unknown>) => string;

const FIXED: Record<string, string> = {
  'no name on one side': 'noName',
  'male and female form of a surname': 'genderedForm',
  'compound name joined on one side': 'joined',
  'a name part missing on one side': 'namePartMissing',
  'patronymic agrees': 'patronymicAgrees',
  'patronymic similar': 'patronymicSimilar',
  'patronymic differs': 'patronymicDiffers',
  'patronymic on one side only': 'patronymicOneSide',
  'birth date unknown on one side': 'birthUnknown',
  'estimated age range overlaps': 'rangeOverlaps',
  'outside the estimated age range': 'outsideRange',
  'same date': 'sameDate',
  'day/month swapped': 'dayMonthSwapped',
  'one year off': 'oneYearOff',
  'same year, different day': 'sameYearDifferentDay',
  'different date': 'differentDate',
  'same year (year only)': 'sameYearOnly',
  'one year off (year only)': 'oneYearOffYearOnly',
  'different year': 'differentYear',
  'sex unknown on one side': 'sexUnknown',
  same: 'sexSame',
  different: 'sexDifferent',
  'recorded differently (gender identity)': 'sexRecordedDifferently',
  'citizenship unknown on one side': 'citizenshipUnknown',
  'a citizenship in common': 'citizenshipCommon',
  'no citizenship in common': 'citizenshipNone',
  'no document on one side': 'noDocument',
  'no document of the same type': 'noDocumentSameType',
  'no phone on one side': 'noPhone',
  'same phone number': 'samePhone',
  'different phone numbers': 'differentPhones',
};

const PATTERNS: [RegExp, string][] = [
  [/^same (\w+) number$/, 'sameDocument'],
  [/^(\w+) numbers one character apart$/, 'documentOneApart'],
  [/^different (\w+) number, same country$/, 'differentDocumentSameCountry'],
  [/^different (\w+) number$/, 'differentDocument'],
];

const SIMILARITY = /^similarity ([\d.]+) \(token-set ([\d.]+), phonetic ([\d.]+), edit ([\d.]+)\)$/;

/**
 * The reason of one field comparison in the interface language. The matcher writes its reasons in
 * English (`detail`, no personal data); each known phrase maps to a catalogue key, an unknown one
 * is shown as is.
 */
export function explainDetail(t: T, detail: string): string {
  return detail
    .split('; ')
    .map((part) => {
      const fixed = FIXED[part];
      if (fixed) return t(`duplicates.detail.${fixed}`);
      const sim = SIMILARITY.exec(part);
      if (sim)
        return t('duplicates.detail.similarity', {
          similarity: sim[1],
          tokenSet: sim[2],
          phonetic: sim[3],
          edit: sim[4],
        });
      for (const [re, key] of PATTERNS) {
        const m = re.exec(part);
        if (m) return t(`duplicates.detail.${key}`, { type: t(`enums.documentType.${m[1]}`) });
      }
      return part;
    })
    .join('; ');
}

/** A field comparison as table cells in the interface language. */
export function explainField(t: T, f: TFieldComparison) {
  return {
    field: t(`duplicates.field.${f.field}`),
    agreement: t(`duplicates.agreement.${f.agreement}`),
    weight: t('duplicates.weight', { weight: f.weight > 0 ? `+${f.weight}` : String(f.weight) }),
    reason: explainDetail(t, f.detail),
  };
}
