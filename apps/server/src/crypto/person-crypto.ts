import { randomBytes } from 'node:crypto';
import { blindIndex, type Keys, open, seal } from './keys.ts';

/**
 * Field encryption of personal data (ARCHITECTURE.md principle 6): every person has a random
 * data key, stored wrapped by the master key; identifiers are AES-256-GCM ciphertexts under it,
 * each bound to its row and field by associated data.
 */
export class PersonCipher {
  private constructor(
    readonly personId: string,
    private readonly dataKey: Buffer,
    readonly wrappedKey: string,
  ) {}

  static create(keys: Keys, personId: string): PersonCipher {
    const dek = randomBytes(32);
    return new PersonCipher(personId, dek, seal(keys.master, dek, `person-key:${personId}`));
  }

  static unwrap(keys: Keys, personId: string, wrapped: string): PersonCipher {
    return new PersonCipher(personId, open(keys.master, wrapped, `person-key:${personId}`), wrapped);
  }

  encrypt(field: string, value: unknown): string {
    return seal(this.dataKey, JSON.stringify(value), `${field}:${this.personId}`);
  }

  decrypt<T>(field: string, sealed: string): T {
    return JSON.parse(open(this.dataKey, sealed, `${field}:${this.personId}`).toString('utf8')) as T;
  }

  encryptNullable(field: string, value: unknown): string | null {
    return value === null || value === undefined || value === '' ? null : this.encrypt(field, value);
  }

  decryptNullable<T>(field: string, sealed: string | null): T | null {
    return sealed === null ? null : this.decrypt<T>(field, sealed);
  }
}

/** Normalises a document number for exact matching: letters and digits only, upper case. */
export function normaliseDocumentNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '');
}

/** Normalises a phone number for matching: its last ten digits (ignores country prefixes like +7 / 8). */
export function normalisePhone(raw: string): string {
  return raw.replace(/\D/g, '').slice(-10);
}

export function indexKey(keys: Keys, kind: string, token: string): string {
  return blindIndex(keys.index, kind, token);
}
