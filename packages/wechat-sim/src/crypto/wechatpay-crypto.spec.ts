import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { generateApiV3Key } from './certificates';
import {
  buildAuthorization,
  decryptResource,
  encryptResource,
  parseAuthorization,
  requestSignMessage,
  responseSignMessage,
  rsaSign,
  rsaVerify,
  SIGNTEST_PREFIX,
  verifyWechatpaySignature,
} from './wechatpay-crypto';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('AEAD_AES_256_GCM resources', () => {
  it('round-trips any text and refuses any change to ciphertext, nonce or associated data', () => {
    const key = generateApiV3Key();
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9]{12}$/), fc.constantFrom('transaction', 'refund', 'certificate'), fc.nat(), (text, nonce, aad, flip) => {
        const r = encryptResource(text, key, aad, nonce);
        expect(decryptResource(r, key)).toBe(text);
        const bytes = Buffer.from(r.ciphertext, 'base64');
        bytes[flip % bytes.length] ^= 0x01;
        expect(() => decryptResource({ ...r, ciphertext: bytes.toString('base64') }, key)).toThrow();
        expect(() => decryptResource({ ...r, associated_data: aad + 'x' }, key)).toThrow();
      }),
      { numRuns: 50 },
    );
  });

  it('needs a 32-byte APIv3 key', () => {
    expect(() => encryptResource('x', 'short', 'a', '123456789012')).toThrow('32 bytes');
  });
});

describe('request and response signatures', () => {
  it('signs METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n and TIMESTAMP\\nNONCE\\nBODY\\n', () => {
    expect(requestSignMessage('get', '/v3/certificates', '1', 'N', '')).toBe('GET\n/v3/certificates\n1\nN\n\n');
    expect(responseSignMessage('1', 'N', '{}')).toBe('1\nN\n{}\n');
  });

  it('parses what it builds, whatever the field order', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.stringMatching(/^[A-F0-9]{40}$/), fc.stringMatching(/^[A-Z0-9]{32}$/), (mchid, serial, nonce) => {
        const h = buildAuthorization({ mchid, serialNo: serial, privateKey, method: 'POST', url: '/v3/x', body: '{}', nonce, timestamp: 1700000000 });
        const parsed = parseAuthorization(h)!;
        expect(parsed).toMatchObject({ mchid, serial_no: serial, nonce_str: nonce, timestamp: '1700000000' });
        expect(rsaVerify(requestSignMessage('POST', '/v3/x', '1700000000', nonce, '{}'), parsed.signature, publicKey)).toBe(true);
        const fields = h.slice(h.indexOf(' ') + 1).split(',').reverse();
        expect(parseAuthorization(`WECHATPAY2-SHA256-RSA2048 ${fields.join(' , ')}`)).toEqual(parsed);
      }),
      { numRuns: 20 },
    );
    expect(parseAuthorization('WECHATPAY2-SHA256-RSA2048 mchid="1",nonce_str="2"')).toBeNull();
    expect(parseAuthorization('Basic abc')).toBeNull();
    expect(parseAuthorization(undefined)).toBeNull();
  });

  it('verifies response signatures, refusing probes and stale timestamps when asked', () => {
    const now = Date.now();
    const ts = String(Math.floor(now / 1000));
    const sig = rsaSign(responseSignMessage(ts, 'N', 'body'), privateKey);
    const headers = { 'Wechatpay-Timestamp': ts, 'Wechatpay-Nonce': 'N', 'Wechatpay-Signature': sig };
    expect(verifyWechatpaySignature({ headers, body: 'body', publicKey, maxAgeSeconds: 300, now })).toBe(true);
    expect(verifyWechatpaySignature({ headers, body: 'body2', publicKey })).toBe(false);
    expect(verifyWechatpaySignature({ headers, body: 'body', publicKey, maxAgeSeconds: 300, now: now + 301_000 })).toBe(false);
    expect(verifyWechatpaySignature({ headers: { ...headers, 'Wechatpay-Signature': SIGNTEST_PREFIX + sig }, body: 'body', publicKey })).toBe(false);
    expect(verifyWechatpaySignature({ headers: { 'Wechatpay-Nonce': 'N' }, body: 'body', publicKey })).toBe(false);
  });
});
