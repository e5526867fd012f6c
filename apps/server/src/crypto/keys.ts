import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The server's secret keys: the master key wraps data keys and secrets; the index key keys blind indexes. */
export interface Keys {
  master: Buffer;
  index: Buffer;
}

const VERSION = 'v1';

/**
 * Encrypts with AES-256-GCM. Output: `v1.<iv>.<tag>.<ciphertext>` in base64url. The optional
 * associated data binds a ciphertext to its row and field, so it cannot be moved to another.
 */
export function seal(key: Buffer, plaintext: Buffer | string, aad?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([
    cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
    cipher.final(),
  ]);
  return [
    VERSION,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    data.toString('base64url'),
  ].join('.');
}

/** Decrypts what `seal` produced; throws when the key, the associated data or the ciphertext is wrong. */
export function open(key: Buffer, sealed: string, aad?: string): Buffer {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unsupported ciphertext format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
}

/** A keyed blind index of a normalised token: equal inputs give equal outputs, nothing else is revealed. */
export function blindIndex(key: Buffer, domain: string, token: string): string {
  return createHmac('sha256', key).update(domain).update('\u0000').update(token).digest('base64url').slice(0, 22);
}

export function sha256Hex(input: string | Buffer): string {
  return createHash('sha256').update(input).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Resolves the keys. Production passes them in configuration. Demo mode keeps generated keys in
 * `<dataDir>/secrets.json` (mode 0600) so restarts can still read the data they encrypted.
 */
export function resolveKeys(opts: {
  master?: string | undefined;
  index?: string | undefined;
  dataDir?: string;
  persist: boolean;
}): Keys {
  if (opts.master && opts.index)
    return { master: Buffer.from(opts.master, 'base64'), index: Buffer.from(opts.index, 'base64') };
  if (!opts.persist || !opts.dataDir) {
    return {
      master: opts.master ? Buffer.from(opts.master, 'base64') : randomBytes(32),
      index: opts.index ? Buffer.from(opts.index, 'base64') : randomBytes(32),
    };
  }
  const file = join(opts.dataDir, 'secrets.json');
  if (!existsSync(file)) {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileSync(
      file,
      JSON.stringify({ master: randomBytes(32).toString('base64'), index: randomBytes(32).toString('base64') }),
      { mode: 0o600 },
    );
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { master: string; index: string };
  return {
    master: Buffer.from(opts.master ?? stored.master, 'base64'),
    index: Buffer.from(opts.index ?? stored.index, 'base64'),
  };
}
