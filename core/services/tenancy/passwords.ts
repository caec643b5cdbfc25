/** Password hashing with argon2id (@node-rs/argon2, OWASP-recommended parameters). */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../errors.ts';

const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 /* Argon2id */ } as const;

export class WeakPasswordError extends AppError {
  constructor(message: string) {
    super('weak_password', message);
  }
}

/** @throws WeakPasswordError when shorter than 8 characters. */
export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8) throw new WeakPasswordError('password must be at least 8 characters');
  return hash(password, OPTIONS);
}

/** False (never throws) on mismatch or a malformed hash. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}
