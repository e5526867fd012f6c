import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, totpAt, verifyTotp } from './totp.ts';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890". Our codes have 6 digits: the last 6 of the 8-digit vectors.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const SECRET = base32Encode(SEED);
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp (RFC 6238)', () => {
  it('base32 round-trips and matches the RFC 4648 encoding of the seed', () => {
    expect(SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(SECRET).equals(SEED)).toBe(true);
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871'];
    expected.forEach((code, counter) => {
      expect(hotp(SEED, counter)).toBe(code);
    });
  });

  it.each(VECTORS)('at T=%i gives the RFC code %s', (seconds, code8) => {
    const step = Math.floor(seconds / 30);
    expect(totpAt(SECRET, step)).toBe(code8.slice(2));
    expect(verifyTotp(SECRET, code8.slice(2), seconds * 1000)).toBe(step);
  });

  it('accepts one step of clock drift either way and nothing further', () => {
    const now = 1111111111 * 1000;
    const step = Math.floor(now / 30_000);
    expect(verifyTotp(SECRET, totpAt(SECRET, step - 1), now)).toBe(step - 1);
    expect(verifyTotp(SECRET, totpAt(SECRET, step + 1), now)).toBe(step + 1);
    expect(verifyTotp(SECRET, totpAt(SECRET, step - 2), now)).toBeNull();
    expect(verifyTotp(SECRET, totpAt(SECRET, step + 2), now)).toBeNull();
  });

  it('refuses a code whose step was already used (replay) and malformed codes', () => {
    const now = 1234567890 * 1000;
    const step = Math.floor(now / 30_000);
    const code = totpAt(SECRET, step);
    expect(verifyTotp(SECRET, code, now, step)).toBeNull();
    expect(verifyTotp(SECRET, code, now, step - 1)).toBe(step);
    expect(verifyTotp(SECRET, '', now)).toBeNull();
    expect(verifyTotp(SECRET, `${code}0`, now)).toBeNull();
  });
});
