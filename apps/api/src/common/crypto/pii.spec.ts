import { randomBytes } from 'node:crypto';
import { isValidIdCard, maskIdCard, PiiCipher } from './pii';

describe('PII at rest', () => {
  const cipher = new PiiCipher(randomBytes(32));

  it('round-trips, never stores the plain text, and uses a fresh IV each time', () => {
    const a = cipher.encrypt('11010519491231002X');
    const b = cipher.encrypt('11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('19491231');
    expect(cipher.decrypt(a)).toBe('11010519491231002X');
  });

  it('refuses a tampered ciphertext and another key', () => {
    const stored = cipher.encrypt('11010519491231002X');
    const parts = stored.split('.');
    parts[3] = Buffer.from('tampered!!').toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    expect(() => new PiiCipher(randomBytes(32)).decrypt(stored)).toThrow();
  });

  it('gives a stable keyed lookup hash that differs between keys', () => {
    expect(cipher.lookupHash('11010519491231002x')).toBe(cipher.lookupHash('11010519491231002X'));
    expect(new PiiCipher(randomBytes(32)).lookupHash('11010519491231002X')).not.toBe(cipher.lookupHash('11010519491231002X'));
  });

  it('masks all but the first and last four characters and checks the check digit', () => {
    expect(maskIdCard('110101199003071234')).toBe('1101**********1234');
    expect(isValidIdCard('11010519491231002X')).toBe(true);
    expect(isValidIdCard('110105194912310021')).toBe(false);
    expect(isValidIdCard('abc')).toBe(false);
  });
});
