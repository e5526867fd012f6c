import { ageBandOn, blockingKeys, isChildForRules, nameKeys, namePairKeys, type TPersonInput } from '@opennrm/domain';
import { indexKey, normaliseDocumentNumber, normalisePhone, PersonCipher } from '../../crypto/person-crypto.ts';
import type { Keys } from '../../crypto/keys.ts';
import type { Queryable } from '../../db/client.ts';

/** The identifiers kept only encrypted. */
export type TPersonPii = Pick<TPersonInput, 'names' | 'birthDate' | 'documents' | 'contacts'>;

export interface PersonRow {
  id: string;
  data_key: string;
  pii: string;
  sex: string;
  age_band: string;
  age_uncertain: boolean;
  citizenships: string[];
  languages: string[];
  attributes: Record<string, unknown>;
}

/**
 * Version of a person's blind-index entries (all kinds; column `persons.block_keys_version`);
 * persons indexed with an older version are re-indexed at start (`backfillIndex`). Bump when
 * `personIndexKeys` changes. 1: blocking keys; 2: name pair keys for search.
 */
export const INDEX_VERSION = 2;

/** The blocking keys of a person for duplicate detection, HMAC'd under the index key (kind `block`). */
export function personBlockKeys(keys: Keys, p: TPersonPii): string[] {
  return blockingKeys(p).map((k) => indexKey(keys, 'block', k));
}

/**
 * The blind-index keys of a person: name tokens and their phonetic keys, documents, phones, and the
 * duplicate-detection blocking keys (kind `block`).
 */
export function personIndexKeys(keys: Keys, p: TPersonPii): { kind: string; key: string }[] {
  const out = new Map<string, { kind: string; key: string }>();
  const add = (kind: string, token: string) => {
    if (!token) return;
    const key = indexKey(keys, kind, token);
    out.set(`${kind}:${key}`, { kind, key });
  };
  for (const n of p.names) {
    for (const part of [n.family, n.given]) if (part) for (const k of nameKeys(part)) add('name', k);
    for (const k of namePairKeys([n.family, n.given])) add('name', k);
  }
  for (const d of p.documents) add('document', normaliseDocumentNumber(d.number));
  for (const c of p.contacts) if (c.type === 'phone') add('phone', normalisePhone(c.value));
  for (const key of personBlockKeys(keys, p)) out.set(`block:${key}`, { kind: 'block', key });
  return [...out.values()];
}

export function splitPerson(p: TPersonInput) {
  const pii: TPersonPii = { names: p.names, birthDate: p.birthDate, documents: p.documents, contacts: p.contacts };
  const attributes = {
    stateless: p.stateless,
    interpreterNeeded: p.interpreterNeeded,
    maritalStatus: p.maritalStatus ?? null,
    numberOfChildren: p.numberOfChildren ?? null,
    education: p.education ?? null,
    vulnerabilities: p.vulnerabilities,
  };
  return { pii, attributes };
}

/** Rewrites a person's blind-index entries (the persons row records INDEX_VERSION in the same write). */
async function writeIndex(q: Queryable, keys: Keys, personId: string, pii: TPersonPii) {
  await q.query('delete from person_index where person_id = $1', [personId]);
  const entries = personIndexKeys(keys, pii);
  if (!entries.length) return;
  await q.query(
    'insert into person_index (person_id, kind, key) select $1, k.kind, k.key from unnest($2::text[], $3::text[]) as k(kind, key)',
    [personId, entries.map((e) => e.kind), entries.map((e) => e.key)],
  );
}

/** Inserts a person: identifiers encrypted under a new data key, blind indexes written (one statement). */
export async function insertPerson(
  q: Queryable,
  keys: Keys,
  id: string,
  p: TPersonInput,
  encounterDate: string,
): Promise<PersonCipher> {
  const cipher = PersonCipher.create(keys, id);
  const { pii, attributes } = splitPerson(p);
  const entries = personIndexKeys(keys, pii);
  await q.query(
    `with p as (
       insert into persons (id, data_key, pii, sex, age_band, age_uncertain, citizenships, languages, attributes, block_keys_version)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${INDEX_VERSION}) returning id)
     insert into person_index (person_id, kind, key) select p.id, k.kind, k.key from p, unnest($10::text[], $11::text[]) as k(kind, key)`,
    [
      id,
      cipher.wrappedKey,
      cipher.encrypt('persons.pii', pii),
      p.sex,
      ageBandOn(p.birthDate, encounterDate),
      p.ageUncertainPossiblyMinor,
      p.citizenships,
      p.languages,
      JSON.stringify(attributes),
      entries.map((e) => e.kind),
      entries.map((e) => e.key),
    ],
  );
  return cipher;
}

export async function updatePerson(
  q: Queryable,
  keys: Keys,
  cipher: PersonCipher,
  p: TPersonInput,
  encounterDate: string,
): Promise<void> {
  const { pii, attributes } = splitPerson(p);
  await q.query(
    `update persons set pii = $2, sex = $3, age_band = $4, age_uncertain = $5, citizenships = $6, languages = $7, attributes = $8,
            block_keys_version = ${INDEX_VERSION}, updated_at = now()
      where id = $1`,
    [
      cipher.personId,
      cipher.encrypt('persons.pii', pii),
      p.sex,
      ageBandOn(p.birthDate, encounterDate),
      p.ageUncertainPossiblyMinor,
      p.citizenships,
      p.languages,
      JSON.stringify(attributes),
    ],
  );
  await writeIndex(q, keys, cipher.personId, pii);
}

/** Rebuilds the full person input from its row (decrypting the identifiers). */
export function readPerson(row: PersonRow, cipher: PersonCipher): TPersonInput {
  const pii = cipher.decrypt<TPersonPii>('persons.pii', row.pii);
  const a = row.attributes as Record<string, never>;
  return {
    ...pii,
    sex: row.sex as TPersonInput['sex'],
    ageUncertainPossiblyMinor: row.age_uncertain,
    citizenships: row.citizenships as TPersonInput['citizenships'],
    languages: row.languages,
    stateless: Boolean(a.stateless),
    interpreterNeeded: Boolean(a.interpreterNeeded),
    maritalStatus: a.maritalStatus ?? null,
    numberOfChildren: a.numberOfChildren ?? null,
    education: a.education ?? null,
    vulnerabilities: a.vulnerabilities ?? [],
  };
}

/** Child for every rule on the given date (CoE art. 10(3)). */
export function personIsChild(p: TPersonInput, onDate: string): boolean {
  return isChildForRules(p, onDate);
}

/** A short display name: the first recorded name, family name first. */
export function displayName(p: Pick<TPersonInput, 'names'>): string | null {
  const n = p.names.find((x) => x.kind === 'primary') ?? p.names[0];
  if (!n) return null;
  return [n.family, n.given].filter(Boolean).join(' ') || null;
}
