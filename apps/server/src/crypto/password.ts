import { hash, verify } from '@node-rs/argon2';

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
}

/** Hashes a password with argon2id. */
export async function hashPassword(password: string, params: Argon2Params): Promise<string> {
  // algorithm 2 = Argon2id
  return hash(password, { algorithm: 2, memoryCost: params.memoryCost, timeCost: params.timeCost, parallelism: 1 });
}

export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
