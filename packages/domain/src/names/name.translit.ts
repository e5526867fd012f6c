import { memoise } from './name.memo.ts';

/**
 * Canonical Latin "skeleton" of one name token, for search and duplicate detection across scripts
 * and transliterations (NRM.md section 8). The skeleton is a matching key, not a spelling to show.
 *
 * Pipeline for one token:
 * 1. If the token mixes Cyrillic and Latin letters, look-alike letters of the minority script are
 *    folded into the majority script (Latin `C` in `Cергей` → Cyrillic `С`).
 * 2. Lower-case; Cyrillic → Latin with {@link CYRILLIC_TO_LATIN}; special Latin letters with
 *    {@link LATIN_SPECIAL} (š → sh, ä → a, ı → i …); remaining diacritics stripped (NFD); everything
 *    that is not a–z dropped (apostrophes, ʻ ʼ ’, ъ, ь).
 * 3. Latin rewrite rules, in this order (all inputs, whatever their source script, pass through them):
 *
 * | rule | source variants | skeleton |
 * | --- | --- | --- |
 * | shch, sch | щ: Shcherbakov, Ščerbakov, Sherbakov | sh |
 * | tch | ч (French/German) | ch |
 * | ye | е after a vowel / initial (BGN: Yerlan, Aliyev) | e |
 * | vowel + j + consonant/end | й in GOST/ISO (Ajgerim, Sergej) | vowel + i |
 * | dzh, dj, zh, j | ж, дж, Tajik ҷ, Kazakh Latin j (Zhanna, Janna, Djamshid) | j |
 * | kh, x, h | х, Kazakh һ, Uzbek/Tajik ҳ (Akhmetova, Axmetova, Ahmetova) | h |
 * | gh | ғ (Ghalym; Uzbek g' loses its apostrophe) | g |
 * | q | қ (Qasym) | k |
 * | w | в (German/Polish) | v |
 * | ts | ц (Tsoy, Coj) | c |
 * | initial i + a/o/u | ICAO 9303 я, ё, ю (Iuliia, Iorkin, Iakov) | y + vowel |
 * | initial y | й/я/ю/ё at the start (Yuliya, Yorkin) — merged with ж, so Julia = Юлия, Jorkin = Ёркин | j |
 * | i + y + vowel | ия, iya (Mariya, Yuliya) | i + vowel |
 * | consonant + y + vowel | ля, дья, lya (Lyudmila, Darya) | consonant + i + vowel |
 * | y before a consonant or at the end | й, ы (Aygerim, Sergey, Kasym) | i |
 * | ii | Dmitrii, Iuliia | i |
 *
 * Cyrillic letters: Russian а–я; Kazakh ә→a ғ→g қ→k ң→n ө→o ұ→u ү→u һ→h і→i; Uzbek ў→o қ→k ғ→g ҳ→h;
 * Kyrgyz ң ө ү as Kazakh; Tajik ғ ӣ→i қ ӯ→u ҳ ҷ→j; Tatar җ→zh; Ukrainian є ї ґ. ы→i (merged with и, і).
 * Vowels a, e, i, o, u are kept as they are, so female and male forms stay distinct (ahmetov ≠ ahmetova),
 * and an intervocalic glide stays `y` (Майя, Maya → maya; Аян → ayan, not Айжан → aijan).
 *
 * Known limits: Latin x is read as х (Uzbek), so Maxim → mahim (see `alternates` for the ks reading);
 * the 2017 Kazakh Latin apostrophe spellings (s' for ш, c' for ч) are not recognised; ICAO ё → e
 * (Fedor) does not meet Fyodor/Фёдор (fiodor) in the skeleton, only partially in the phonetic key.
 */
export const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
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
  х: 'h',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'i',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Kazakh
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  // Uzbek
  ў: 'o',
  ҳ: 'h',
  // Tajik
  ӣ: 'i',
  ӯ: 'u',
  ҷ: 'j',
  // Tatar, Bashkir, Ukrainian, Belarusian
  җ: 'zh',
  ґ: 'g',
  є: 'ye',
  ї: 'yi',
  ҙ: 'z',
  ҫ: 's',
};

/** Latin letters whose diacritic carries a sound (ISO 9, Kazakh Latin 2021, Uzbek/Turkic Latin). */
export const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  š: 'sh',
  ş: 'sh',
  ŝ: 'shch',
  č: 'ch',
  ç: 'ch',
  ž: 'zh',
  ǵ: 'g',
  ğ: 'g',
  ı: 'i',
  ë: 'yo',
  û: 'yu',
  â: 'ya',
  ñ: 'n',
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  đ: 'd',
  ł: 'l',
};

const LATIN_TO_CYRILLIC_LOOKALIKE: Readonly<Record<string, string>> = {
  A: 'А',
  a: 'а',
  B: 'В',
  C: 'С',
  c: 'с',
  E: 'Е',
  e: 'е',
  H: 'Н',
  I: 'І',
  i: 'і',
  K: 'К',
  k: 'к',
  M: 'М',
  O: 'О',
  o: 'о',
  P: 'Р',
  p: 'р',
  T: 'Т',
  X: 'Х',
  x: 'х',
  Y: 'У',
  y: 'у',
};
const CYRILLIC_TO_LATIN_LOOKALIKE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(LATIN_TO_CYRILLIC_LOOKALIKE).map(([l, c]) => [c, l]),
);

const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** Folds look-alike letters of the minority script into the majority script of a mixed token. */
export function foldLookalikes(token: string): string {
  const chars = [...token];
  const cyr = chars.filter((c) => CYRILLIC.test(c)).length;
  const lat = chars.filter((c) => LATIN.test(c)).length;
  if (cyr === 0 || lat === 0) return token;
  const table = cyr >= lat ? LATIN_TO_CYRILLIC_LOOKALIKE : CYRILLIC_TO_LATIN_LOOKALIKE;
  return chars.map((c) => table[c] ?? c).join('');
}

/** Step 2: lower-case letters to plain a–z (other scripts' letters are kept, lower-cased). */
function toBasicLatin(token: string): string {
  let out = '';
  for (const ch of foldLookalikes(token.normalize('NFC')).toLowerCase()) {
    const mapped = CYRILLIC_TO_LATIN[ch] ?? LATIN_SPECIAL[ch];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += LATIN_SPECIAL[base] ?? base;
  }
  // modifier letters are apostrophes in names (Uzbek ʻ U+02BB, ʼ U+02BC), not sounds
  return out.replace(/[^\p{L}]|\p{Lm}/gu, '');
}

const V = 'aeiou';

/** Step 3: the Latin rewrite rules of the table above. */
function rewrite(s: string, xAsKs: boolean): string {
  return (
    s
      .replace(/shch|sch/g, 'sh')
      .replace(/tch/g, 'ch')
      .replace(/ye/g, 'e')
      .replace(new RegExp(`([${V}])j(?![${V}y])`, 'g'), '$1i')
      .replace(/dzh|dj|zh/g, 'j')
      .replace(/kh/g, 'h')
      .replace(/x/g, xAsKs ? 'ks' : 'h')
      .replace(/gh/g, 'g')
      .replace(/q/g, 'k')
      .replace(/w/g, 'v')
      .replace(/ts/g, 'c')
      .replace(/^i(?=[aou])/, 'y')
      .replace(/yy/g, 'y')
      .replace(/^y/, 'j')
      .replace(new RegExp(`([${V}])iy(?=[${V}])`, 'g'), '$1y')
      .replace(new RegExp(`iy(?=[${V}])`, 'g'), 'i')
      .replace(new RegExp(`([^${V}])y(?=[aeou])`, 'g'), '$1i')
      .replace(/y(?![aeou])/g, 'i')
      // a glide between two vowels stays y; anything else has become i above
      .replace(/i{2,}/g, 'i')
  );
}

/**
 * Canonical skeleton of one name token (see the table in this module's documentation).
 * `Айгерім`, `Aigerim`, `Aygerim`, `Ajgerim` → `aigerim`; `Ахметова`, `Akhmetova`, `Axmetova` → `ahmetova`.
 * Returns '' for a token without letters.
 */
export const canonicalToken: (token: string) => string = memoise((token) => rewrite(toBasicLatin(token), false));

/**
 * Other plausible skeletons of the same token, for extra search keys: Latin x read as ks
 * (Maxim → maksim, Alexander → aleksander) besides the Uzbek х reading.
 */
export function alternateTokens(token: string): string[] {
  return [...alternateOf(token)];
}

const NONE: readonly string[] = Object.freeze([]);
const alternateOf = memoise((token): readonly string[] => {
  const basic = toBasicLatin(token);
  return basic.includes('x') ? Object.freeze([rewrite(basic, true)]) : NONE;
});

/**
 * Phonetic key of a canonical token, tolerant of vowel variants that the skeleton keeps apart:
 * doubled letters collapse (Abdullaev = Abdulaev), ng → n (Shynggys = Шыңғыс), o and u merge
 * (Sultan = Soltan); then only the first letter, the first vowel, the consonants and a final vowel
 * are kept (Jamshid = Jamshed, Rahmon = Rahman). The final vowel keeps gender endings apart
 * (ahmtv ≠ ahmtva) and the first vowel keeps Marat ≠ Murat.
 */
export const phoneticKey: (canonical: string) => string = memoise(phoneticKeyOf);

function phoneticKeyOf(canonical: string): string {
  const s = canonical
    .replace(/(.)\1+/g, '$1')
    .replace(/ng/g, 'n')
    .replace(/o/g, 'u');
  let out = s.slice(0, 1);
  let vowelSeen = V.includes(out);
  for (let i = 1; i < s.length; i++) {
    const ch = s[i]!;
    if (!V.includes(ch)) out += ch;
    else if (!vowelSeen || i === s.length - 1) {
      out += ch;
      vowelSeen = true;
    }
  }
  return out.replace(/(.)\1+/g, '$1');
}
