import type { TMatchPerson } from '@opennrm/domain';
import { femaleSurname, NAMES, patronymicOf, SURNAMES, type TLanguage } from './names.data.ts';
import { SYSTEMS, type TSystem, transliterate } from './translit.ts';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type TRng = ReturnType<typeof rng>;

export const DUPLICATE_KINDS = [
  'script: ICAO 9303',
  'script: GOST/BGN',
  'script: Kazakh Latin 2021',
  'script: Uzbek Latin',
  'script: informal Latin',
  'patronymic dropped/added',
  'name order swapped',
  'typo (one edit)',
  'diacritics/apostrophes/hyphens/case',
  'birth date day/month swapped',
  'birth date year only',
  'birth date one year off',
  'missing fields',
] as const;
export const NON_DUPLICATE_KINDS = ['same name, different person', 'sibling', 'opposite-sex surname form'] as const;
export type TDuplicateKind = (typeof DUPLICATE_KINDS)[number];
export type TNonDuplicateKind = (typeof NON_DUPLICATE_KINDS)[number];

const SYSTEM_OF_KIND: Partial<Record<TDuplicateKind, TSystem>> = {
  'script: ICAO 9303': 'icao',
  'script: GOST/BGN': 'gost_bgn',
  'script: Kazakh Latin 2021': 'kz_latin_2021',
  'script: Uzbek Latin': 'uz_latin',
  'script: informal Latin': 'informal',
};

type Sex = 'Feminine' | 'Masculine';

/** The true person behind records (native Cyrillic spellings). */
interface Truth {
  lang: TLanguage;
  sex: Sex;
  given: string;
  /** Male form of the family name; the record shows the form of `sex`. */
  familyMale: string;
  father: string;
  russianStylePatronymic: boolean;
  birth: { y: number; m: number; d: number };
  citizenships: string[];
  documents: { type: 'passport' | 'national_id'; number: string; issuingCountry: string }[];
  phones: string[];
}

/** How one agency wrote the person down. */
interface Rendering {
  system: 'cyrillic' | TSystem;
  patronymic: boolean;
  birth: 'exact' | 'year' | 'range' | 'unknown';
}

export interface TBenchRecord {
  entity: number;
  /** 'base' for the population, else the variant kind that made this record. */
  kind: 'base' | TDuplicateKind | TNonDuplicateKind;
  /** For variants: index of the base record it was derived from. */
  of: number | null;
  person: TMatchPerson;
}

const COUNTRY: Record<TLanguage, [string, number][]> = {
  kk: [
    ['KZ', 0.95],
    ['UZ', 0.05],
  ],
  ru: [
    ['KZ', 0.65],
    ['RU', 0.35],
  ],
  uz: [
    ['UZ', 0.7],
    ['KZ', 0.3],
  ],
  ky: [
    ['KG', 0.85],
    ['KZ', 0.15],
  ],
  tg: [
    ['TJ', 0.9],
    ['RU', 0.1],
  ],
};
const LANG_SHARE: [TLanguage, number][] = [
  ['kk', 0.5],
  ['ru', 0.2],
  ['uz', 0.12],
  ['ky', 0.1],
  ['tg', 0.08],
];
const weighted = <T>(r: TRng, xs: [T, number][]): T => {
  let x = r.next();
  for (const [v, p] of xs) {
    x -= p;
    if (x < 0) return v;
  }
  return xs[xs.length - 1]![0];
};
const digits = (r: TRng, n: number) => Array.from({ length: n }, () => r.int(10)).join('');
const LETTERS = 'ABCDEFGHKLMNPRSTUVXYZ';

function documentsFor(r: TRng, country: string): Truth['documents'] {
  const docs: Truth['documents'] = [];
  const passport = () => {
    switch (country) {
      case 'KZ':
        return `N${digits(r, 8)}`;
      case 'RU':
        return `${digits(r, 2)} ${digits(r, 2)} ${digits(r, 6)}`;
      case 'UZ':
        return `${r.pick(['AA', 'AB', 'AC', 'FA'])}${digits(r, 7)}`;
      case 'KG':
        return `${r.pick(['AC', 'ID', 'AN'])}${digits(r, 7)}`;
      default:
        return `${LETTERS[r.int(LETTERS.length)]}${digits(r, 8)}`;
    }
  };
  if (r.chance(0.55)) docs.push({ type: 'passport', number: passport(), issuingCountry: country });
  if (country === 'KZ' && r.chance(0.45))
    docs.push({ type: 'national_id', number: digits(r, 9), issuingCountry: 'KZ' });
  return docs;
}

function phoneFor(r: TRng, country: string): string {
  switch (country) {
    case 'KZ':
      return `${r.pick(['+7 7', '87', '7'])}${r.pick(['01', '02', '05', '07', '47', '75', '77'])}${digits(r, 7)}`;
    case 'RU':
      return `+7 9${digits(r, 2)} ${digits(r, 3)}-${digits(r, 2)}-${digits(r, 2)}`;
    case 'UZ':
      return `+998 ${r.pick(['90', '91', '93', '94', '97'])} ${digits(r, 7)}`;
    case 'KG':
      return `+996 ${r.pick(['555', '700', '770'])} ${digits(r, 6)}`;
    default:
      return `+992 ${r.pick(['90', '91', '92', '93'])} ${digits(r, 7)}`;
  }
}

function birthDate(r: TRng) {
  return { y: 1962 + r.int(50), m: 1 + r.int(12), d: 1 + r.int(28) };
}

function newTruth(r: TRng, lang = weighted(r, LANG_SHARE), sex: Sex = r.chance(0.6) ? 'Feminine' : 'Masculine'): Truth {
  const lists = NAMES[lang];
  const country = weighted(r, COUNTRY[lang]);
  const citizenships = [country];
  return {
    lang,
    sex,
    given: r.pick(sex === 'Feminine' ? lists.female : lists.male),
    familyMale: r.pick(SURNAMES[lang]),
    father: r.pick(lists.male),
    russianStylePatronymic: lang === 'ru' || lang === 'tg' || r.chance(0.3),
    birth: birthDate(r),
    citizenships,
    documents: r.chance(0.75) ? documentsFor(r, country) : [],
    phones: r.chance(0.6) ? [phoneFor(r, country)] : [],
  };
}

function baseRendering(r: TRng, t: Truth): Rendering {
  const latinShare = { kk: 0.2, ru: 0.15, uz: 0.5, ky: 0.15, tg: 0.15 }[t.lang];
  const system: Rendering['system'] = r.chance(latinShare) ? (t.lang === 'uz' ? 'uz_latin' : 'icao') : 'cyrillic';
  const x = r.next();
  const birth = x < 0.85 ? 'exact' : x < 0.93 ? 'year' : x < 0.96 ? 'range' : 'unknown';
  return { system, patronymic: t.lang !== 'tg' || r.chance(0.5) ? r.chance(0.8) : false, birth };
}

interface NameFields {
  family: string | null;
  given: string | null;
  patronymic: string | null;
}

function nameFields(r: TRng, t: Truth, rend: Rendering): NameFields {
  const family = t.sex === 'Feminine' ? femaleSurname(t.familyMale) : t.familyMale;
  const patronymic = rend.patronymic
    ? patronymicOf(t.lang, t.father, t.sex === 'Feminine', t.russianStylePatronymic)
    : null;
  const out = (s: string | null) => (s && rend.system !== 'cyrillic' ? transliterate(s, rend.system, r.int) : s);
  return { family: out(family), given: out(t.given), patronymic: out(patronymic) };
}

function render(r: TRng, t: Truth, rend: Rendering, names: NameFields, keep = 1): TMatchPerson {
  const iso = (b: Truth['birth']) => `${b.y}-${String(b.m).padStart(2, '0')}-${String(b.d).padStart(2, '0')}`;
  const birthDate: TMatchPerson['birthDate'] =
    rend.birth === 'exact'
      ? { kind: 'exact', date: iso(t.birth) }
      : rend.birth === 'year'
        ? { kind: 'year', year: t.birth.y }
        : rend.birth === 'range'
          ? (() => {
              const age = 2026 - t.birth.y;
              const lo = Math.max(0, age - 1 - r.int(3));
              return { kind: 'range' as const, minAge: lo, maxAge: lo + 3 + r.int(4), asOf: '2026-06-01' };
            })()
          : { kind: 'unknown' };
  return {
    names: [names],
    sex: t.sex,
    birthDate,
    citizenships: keep < 1 && !r.chance(0.8) ? [] : t.citizenships,
    documents: t.documents.filter(() => keep >= 1 || r.chance(keep)),
    contacts: t.phones.filter(() => keep >= 1 || r.chance(keep)).map((value) => ({ type: 'phone', value })),
  };
}

const CYR_LETTERS = 'абвгдеёжзийклмнопрстуфхцчшщыэюя';
const LAT_LETTERS = 'abcdefghijklmnoprstuvyz';

/** One random edit (substitution, deletion, insertion or transposition) in one name part. */
function typo(r: TRng, s: string): string {
  const chars = [...s];
  if (chars.length < 3) return s;
  const alphabet = /\p{Script=Cyrillic}/u.test(s) ? CYR_LETTERS : LAT_LETTERS;
  const i = 1 + r.int(chars.length - 1);
  switch (r.int(4)) {
    case 0:
      chars[i] = alphabet[r.int(alphabet.length)]!;
      break;
    case 1:
      chars.splice(i, 1);
      break;
    case 2:
      chars.splice(i, 0, r.chance(0.5) ? chars[i - 1]! : alphabet[r.int(alphabet.length)]!);
      break;
    default:
      if (i < chars.length - 1) [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      else [chars[i - 1], chars[i]] = [chars[i]!, chars[i - 1]!];
  }
  return chars.join('');
}

const TO_RUSSIAN: Record<string, string> = {
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  і: 'и',
  ў: 'у',
  ҳ: 'х',
  ҷ: 'дж',
  ӣ: 'и',
  ӯ: 'у',
  ё: 'е',
};
const COMPOUND = /^(Абдул|Нұр|Нур|Гүл|Гул|Ақ|Бек|Abdul|Nur|Gul|Ak|Aq|Bek)(?=\p{L}{3})/u;

/** Diacritics, apostrophes, hyphens or letter case changed as people and systems do. */
function spellingVariant(r: TRng, s: string): string {
  const options: ((x: string) => string)[] = [];
  if (/[әғқңөұүһіўҳҷӣӯё]/i.test(s))
    options.push((x) =>
      x.replace(/[әғқңөұүһіўҳҷӣӯёӘҒҚҢӨҰҮҺІЎҲҶӢӮЁ]/g, (c) => {
        const low = TO_RUSSIAN[c.toLowerCase()]!;
        return c === c.toLowerCase() ? low : low.charAt(0).toUpperCase() + low.slice(1);
      }),
    );
  if (/[^\p{ASCII}]/u.test(s) && /\p{Script=Latin}/u.test(s))
    options.push((x) => x.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC'));
  if (/[ʻʼ'’]/.test(s)) options.push((x) => x.replace(/[ʻʼ'’]/g, () => r.pick(["'", '’', '`', ''])));
  if (COMPOUND.test(s))
    options.push((x) =>
      x.replace(COMPOUND, `$1${r.pick(['-', ' '])}`).replace(/([- ])(\p{Ll})/u, (_, sep, c) => sep + c.toUpperCase()),
    );
  options.push((x) => x.toUpperCase());
  return r.pick(options)(s);
}

function applyVariant(r: TRng, kind: TDuplicateKind, t: Truth, base: Rendering): TMatchPerson {
  const rend: Rendering = { ...base };
  let truth = t;
  const system = SYSTEM_OF_KIND[kind];
  if (system) rend.system = system;
  if (kind === 'patronymic dropped/added') rend.patronymic = !base.patronymic;
  if (kind === 'birth date year only') rend.birth = 'year';
  if (kind === 'birth date day/month swapped') truth = { ...t, birth: { y: t.birth.y, m: t.birth.d, d: t.birth.m } };
  if (kind === 'birth date one year off')
    truth = { ...t, birth: { ...t.birth, y: t.birth.y + (r.chance(0.5) ? 1 : -1) } };
  let names = nameFields(r, truth, rend);
  let person = render(r, truth, rend, names, 0.4);
  if (kind === 'name order swapped') {
    names = r.chance(0.7)
      ? { ...names, family: names.given, given: names.family }
      : { family: null, given: `${names.given} ${names.family}`, patronymic: names.patronymic };
  }
  if (kind === 'patronymic dropped/added' && names.patronymic && r.chance(0.3)) {
    names = { ...names, given: `${names.given} ${names.patronymic}`, patronymic: null };
  }
  if (kind === 'typo (one edit)') {
    const which = r.chance(0.5) ? 'family' : 'given';
    names = { ...names, [which]: typo(r, names[which]!) };
  }
  if (kind === 'diacritics/apostrophes/hyphens/case') {
    names = {
      family: spellingVariant(r, names.family!),
      given: spellingVariant(r, names.given!),
      patronymic: names.patronymic && r.chance(0.5) ? spellingVariant(r, names.patronymic) : names.patronymic,
    };
  }
  if (kind === 'missing fields') {
    const x = r.next();
    if (x < 0.4) person = { ...person, birthDate: { kind: 'unknown' } };
    else if (x < 0.7) person = { ...person, documents: [], contacts: [], citizenships: [] };
    else if (x < 0.85) names = { ...names, family: null };
    else names = { ...names, given: null, patronymic: null };
  }
  return { ...person, names: [names] };
}

function nonDuplicate(r: TRng, kind: TNonDuplicateKind, t: Truth, base: Rendering): TMatchPerson {
  const fresh = newTruth(r, t.lang, t.sex);
  let other: Truth;
  if (kind === 'same name, different person') {
    other = { ...fresh, given: t.given, familyMale: t.familyMale, citizenships: t.citizenships };
    if (r.chance(0.5)) other.father = t.father;
  } else if (kind === 'sibling') {
    const sex: Sex = r.chance(0.5) ? t.sex : t.sex === 'Feminine' ? 'Masculine' : 'Feminine';
    const lists = NAMES[t.lang];
    let given = r.pick(sex === 'Feminine' ? lists.female : lists.male);
    while (given === t.given) given = r.pick(sex === 'Feminine' ? lists.female : lists.male);
    const twin = r.chance(0.1);
    const gap = (1 + r.int(8)) * (r.chance(0.5) ? 1 : -1);
    other = {
      ...fresh,
      sex,
      given,
      familyMale: t.familyMale,
      father: t.father,
      russianStylePatronymic: t.russianStylePatronymic,
      citizenships: t.citizenships,
      birth: twin ? t.birth : { ...birthDate(r), y: t.birth.y + gap },
      phones: r.chance(0.25) ? t.phones : fresh.phones,
    };
  } else {
    const sex: Sex = t.sex === 'Feminine' ? 'Masculine' : 'Feminine';
    const lists = NAMES[t.lang];
    const x = r.next();
    other = {
      ...fresh,
      sex,
      given: r.pick(sex === 'Feminine' ? lists.female : lists.male),
      familyMale: t.familyMale,
      father: r.chance(0.5) ? t.father : fresh.father,
      citizenships: t.citizenships,
      birth: x < 0.4 ? t.birth : x < 0.7 ? { ...birthDate(r), y: t.birth.y } : birthDate(r),
    };
  }
  const rend = { ...base, birth: base.birth === 'unknown' ? 'exact' : base.birth } as Rendering;
  const person = render(r, other, rend, nameFields(r, other, rend));
  if (kind === 'opposite-sex surname form' && r.chance(0.15)) person.sex = 'NonSpecifiedUnknown';
  return person;
}

export interface TBenchOptions {
  seed: number;
  population: number;
  duplicatesPerKind: number;
  nonDuplicatesPerKind: number;
}

/**
 * A labelled synthetic population: `population` base records (one per person), then for
 * `duplicatesPerKind` distinct base persons per duplicate kind a second record of the same person
 * with that variant (as another agency would write it: each document and phone kept with
 * probability 0.4), and `nonDuplicatesPerKind` hard non-duplicates per kind (another person).
 */
export function generateBench(o: TBenchOptions): TBenchRecord[] {
  const r = rng(o.seed);
  const truths: Truth[] = [];
  const renderings: Rendering[] = [];
  const records: TBenchRecord[] = [];
  for (let i = 0; i < o.population; i++) {
    const t = newTruth(r);
    const rend = baseRendering(r, t);
    truths.push(t);
    renderings.push(rend);
    records.push({ entity: i, kind: 'base', of: null, person: render(r, t, rend, nameFields(r, t, rend)) });
  }
  const used = new Set<number>();
  const choose = (ok: (t: Truth, rend: Rendering) => boolean) => {
    for (;;) {
      const i = r.int(o.population);
      if (!used.has(i) && ok(truths[i]!, renderings[i]!)) {
        used.add(i);
        return i;
      }
    }
  };
  let entity = o.population;
  for (const kind of DUPLICATE_KINDS) {
    const ok = (t: Truth, rend: Rendering): boolean => {
      if (SYSTEM_OF_KIND[kind]) {
        if (rend.system !== 'cyrillic') return false;
        if (kind === 'script: Kazakh Latin 2021') return t.lang === 'kk';
        if (kind === 'script: Uzbek Latin') return t.lang === 'uz';
        return true;
      }
      if (kind.startsWith('birth date')) {
        if (rend.birth !== 'exact') return false;
        if (kind === 'birth date day/month swapped') return t.birth.d <= 12 && t.birth.d !== t.birth.m;
      }
      return true;
    };
    for (let k = 0; k < o.duplicatesPerKind; k++) {
      const i = choose(ok);
      records.push({ entity: i, kind, of: i, person: applyVariant(r, kind, truths[i]!, renderings[i]!) });
    }
  }
  for (const kind of NON_DUPLICATE_KINDS)
    for (let k = 0; k < o.nonDuplicatesPerKind; k++) {
      const i = choose(() => true);
      records.push({ entity: entity++, kind, of: i, person: nonDuplicate(r, kind, truths[i]!, renderings[i]!) });
    }
  return records;
}

export { SYSTEMS };
