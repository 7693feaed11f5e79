import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Personal data at rest (ID-card numbers): AES-256-GCM with a random 96-bit IV per value, stored
 * as `v1.<iv>.<tag>.<ciphertext>` (base64url). Exact lookup goes through a keyed HMAC whose key is
 * derived from the same secret with HKDF, so the hash cannot be brute-forced without the key.
 */
export class PiiCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('PII key must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'chaincard pii encryption v1', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'chaincard pii lookup v1', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, data] = stored.split('.');
    if (version !== 'v1') throw new Error('unknown PII cipher version');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  lookupHash(plain: string): string {
    return createHmac('sha256', this.macKey).update(plain.toUpperCase()).digest('base64url');
  }
}

/** 110101199003071234 → 1101**********1234: the first four and last four only. */
export function maskIdCard(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return value.slice(0, 4) + '*'.repeat(value.length - 8) + value.slice(-4);
}

/** Mainland resident ID (18 characters, ISO 7064 MOD 11-2 check digit). */
export function isValidIdCard(value: string): boolean {
  if (!/^\d{17}[\dX]$/i.test(value)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  return '10X98765432'[sum % 11] === value[17].toUpperCase();
}
