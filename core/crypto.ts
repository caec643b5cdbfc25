/**
 * Secrets at rest: AES-256-GCM with a key derived from SECRET_KEY by HKDF-SHA256 (per purpose),
 * and SHA-256 digests for bearer tokens we must recognise but never store (webhook tokens).
 *
 * Ciphertext format: `v1.<iv b64url>.<tag b64url>.<data b64url>`.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;
  /** @param secretKey SECRET_KEY; @param purpose domain separation label, e.g. 'channel-credentials'. */
  constructor(secretKey: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'aizalo', purpose, 32));
  }
  encrypt(plain: string | Buffer): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([c.update(plain), c.final()]);
    return ['v1', iv, c.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }
  /** @throws Error when the text was not produced by this key (tampered or wrong SECRET_KEY). */
  decryptBuffer(text: string): Buffer {
    const [v, iv, tag, data] = text.split('.');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('unrecognised ciphertext');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]);
  }
  decrypt(text: string): string {
    return this.decryptBuffer(text).toString('utf8');
  }
  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }
  decryptJson<T>(text: string): T {
    return JSON.parse(this.decrypt(text)) as T;
  }
}

/** Hex SHA-256 of a token (what we store for webhook secrets). */
export function sha256Hex(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time string comparison (false on length mismatch). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** A URL-safe random token, 32 bytes of entropy. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
