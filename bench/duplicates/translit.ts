/**
 * Cyrillic → Latin transliteration systems as they occur in real records, for the synthetic
 * benchmark only (the matcher never uses these tables; it has its own skeleton in names/).
 */
export const SYSTEMS = ['icao', 'gost_bgn', 'kz_latin_2021', 'uz_latin', 'informal'] as const;
export type TSystem = (typeof SYSTEMS)[number];

type Table = Record<string, string>;

const BASE: Table = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  з: 'z',
  и: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  ч: 'ch',
  ш: 'sh',
  э: 'e',
};

/** ICAO 9303 (Kazakh, Kyrgyz, Russian, Tajik passports). */
const ICAO: Table = {
  ...BASE,
  ё: 'e',
  ж: 'zh',
  й: 'i',
  х: 'kh',
  ц: 'ts',
  щ: 'shch',
  ъ: 'ie',
  ы: 'y',
  ь: '',
  ю: 'iu',
  я: 'ia',
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  ў: 'u',
  ҳ: 'kh',
  ҷ: 'dzh',
  ӣ: 'i',
  ӯ: 'u',
};

/** BGN/PCGN (≈ GOST 7.79 B for these names): ye/yo initially and after vowels, diacritics for Kazakh and Uzbek letters. */
const BGN: Table = {
  ...BASE,
  ё: 'ë',
  ж: 'zh',
  й: 'y',
  х: 'kh',
  ц: 'ts',
  щ: 'shch',
  ъ: '"',
  ы: 'y',
  ь: "'",
  ю: 'yu',
  я: 'ya',
  ә: 'ä',
  ғ: 'gh',
  қ: 'q',
  ң: 'ng',
  ө: 'ö',
  ұ: 'ū',
  ү: 'ü',
  һ: 'h',
  і: 'i',
  ў: 'ŭ',
  ҳ: 'kh',
  ҷ: 'j',
  ӣ: 'ī',
  ӯ: 'ū',
};

/** Kazakh Latin alphabet of 2021. */
const KZ2021: Table = {
  ...BASE,
  ё: 'io',
  ж: 'j',
  й: 'i',
  х: 'h',
  ц: 's',
  ч: 'ch',
  ш: 'ş',
  щ: 'şş',
  ъ: '',
  ы: 'y',
  ь: '',
  ю: 'iu',
  я: 'ia',
  ә: 'ä',
  ғ: 'ğ',
  қ: 'q',
  ң: 'ñ',
  ө: 'ö',
  ұ: 'ū',
  ү: 'ü',
  һ: 'h',
  і: 'ı',
};

/** Uzbek Latin (1995 alphabet, with the modifier-letter apostrophe ʻ). */
const UZ: Table = {
  ...BASE,
  ё: 'yo',
  ж: 'j',
  й: 'y',
  х: 'x',
  ц: 's',
  ъ: 'ʼ',
  ь: '',
  ю: 'yu',
  я: 'ya',
  ў: 'oʻ',
  қ: 'q',
  ғ: 'gʻ',
  ҳ: 'h',
  ы: 'i',
  ә: 'a',
  ң: 'ng',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  і: 'i',
  ҷ: 'j',
  ӣ: 'i',
  ӯ: 'u',
};

/** Informal spellings: each letter with several common choices (chosen per letter by `pick`). */
const INFORMAL: Record<string, string[]> = {
  ...Object.fromEntries(Object.entries(BASE).map(([k, v]) => [k, [v]])),
  ё: ['yo', 'e'],
  ж: ['zh', 'j'],
  й: ['y', 'i'],
  х: ['h', 'kh'],
  ц: ['ts', 'c'],
  щ: ['sh', 'sch'],
  ъ: [''],
  ы: ['y', 'i'],
  ь: [''],
  ю: ['yu', 'iu'],
  я: ['ya', 'ia'],
  ә: ['a', 'ae'],
  ғ: ['g', 'gh'],
  қ: ['k', 'q'],
  ң: ['n', 'ng'],
  ө: ['o', 'oe'],
  ұ: ['u'],
  ү: ['u', 'ue'],
  һ: ['h'],
  і: ['i'],
  ў: ['o', 'u'],
  ҳ: ['h', 'kh'],
  ҷ: ['j', 'dzh'],
  ӣ: ['i'],
  ӯ: ['u'],
};

const VOWELS = new Set('аеёиоуыэюяәөұүіўӣӯ');

/** Transliterates a Cyrillic name into Latin with the given system; `pick` chooses among informal variants. */
export function transliterate(text: string, system: TSystem, pick: (n: number) => number): string {
  const table = { icao: ICAO, gost_bgn: BGN, kz_latin_2021: KZ2021, uz_latin: UZ, informal: null }[system];
  return text.replace(/\p{L}+/gu, (word) => {
    const lower = word.toLowerCase();
    let out = '';
    for (let i = 0; i < lower.length; i++) {
      const ch = lower[i]!;
      const prev = i === 0 ? null : lower[i - 1]!;
      const afterVowelOrStart = prev === null || VOWELS.has(prev) || prev === 'ь' || prev === 'ъ';
      if (ch === 'е' && afterVowelOrStart && (system === 'gost_bgn' || system === 'uz_latin')) {
        out += 'ye';
        continue;
      }
      if (ch === 'е' && afterVowelOrStart && system === 'informal' && i === 0) {
        out += pick(2) ? 'ye' : 'e';
        continue;
      }
      if (table) out += table[ch] ?? ch;
      else {
        const options = INFORMAL[ch] ?? [ch];
        out += options[options.length > 1 ? pick(options.length) : 0];
      }
    }
    const upperFirst = word[0] !== lower[0];
    return upperFirst ? out.charAt(0).toUpperCase() + out.slice(1) : out;
  });
}
