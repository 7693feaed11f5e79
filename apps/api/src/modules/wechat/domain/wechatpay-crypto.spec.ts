import { createCipheriv, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { checkWechatpaySignature, decryptResource, DecryptionError, responseSignMessage, SIGNTEST_PREFIX, signedHeaders } from './wechatpay-crypto';

// Real keys made here: the platform's signing key, a stranger's, and an APIv3 key.
const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiV3Key = randomBytes(16).toString('hex');

function sign(body: string, timestamp: number, signer?: KeyObject) {
  const key = signer ?? platform.privateKey;
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256').update(responseSignMessage(String(timestamp), nonce, body)).sign(key, 'base64');
  return { timestamp: String(timestamp), nonce, signature, serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' };
}

function encrypt(plaintext: string, key = apiV3Key, aad = 'transaction') {
  const nonce = randomBytes(6).toString('hex');
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), associated_data: aad, nonce };
}

const keyFor = (serial: string) => (serial === '5157F09EFDC096DE15EBE81A47057A7232F1B8E1' ? platform.publicKey : null);
const now = 1_795_000_000;

describe('WeChat Pay signatures', () => {
  it('verifies what the platform key signed, over any body', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: -300, max: 300 }), (body, skew) => {
        const headers = sign(body, now + skew);
        return checkWechatpaySignature({ headers, body, keyFor, nowSeconds: now, maxAgeSeconds: 300 }).ok;
      }),
      { numRuns: 25 },
    );
  });

  it('refuses another key, another body, an unknown serial, a stale timestamp and the SIGNTEST probe', () => {
    const body = '{"id":"x"}';
    const check = (headers: ReturnType<typeof sign>, b = body) => checkWechatpaySignature({ headers, body: b, keyFor, nowSeconds: now, maxAgeSeconds: 300 });
    expect(check(sign(body, now, stranger.privateKey))).toEqual({ ok: false, problem: 'bad_signature' });
    expect(check(sign(body, now), '{"id":"y"}')).toEqual({ ok: false, problem: 'bad_signature' });
    expect(check({ ...sign(body, now), serial: 'FFFF' })).toEqual({ ok: false, problem: 'unknown_serial' });
    expect(check(sign(body, now - 301))).toEqual({ ok: false, problem: 'stale' });
    expect(check(sign(body, now + 301))).toEqual({ ok: false, problem: 'stale' });
    expect(check({ ...sign(body, now), signature: `${SIGNTEST_PREFIX}abc` })).toEqual({ ok: false, problem: 'signtest' });
    expect(checkWechatpaySignature({ headers: null, body, keyFor, nowSeconds: now, maxAgeSeconds: 300 })).toEqual({ ok: false, problem: 'missing_headers' });
  });

  it('reads the Wechatpay-* headers in any case', () => {
    expect(signedHeaders({ 'Wechatpay-Timestamp': '1', 'wechatpay-nonce': 'n', 'WECHATPAY-SIGNATURE': 's', 'wechatpay-serial': 'S' })).toEqual({ timestamp: '1', nonce: 'n', signature: 's', serial: 'S' });
    expect(signedHeaders({ 'wechatpay-timestamp': '1' })).toBeNull();
  });
});

describe('notification resources (AEAD_AES_256_GCM)', () => {
  it('decrypts what was encrypted under the APIv3 key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => decryptResource(encrypt(text), apiV3Key) === text),
      { numRuns: 50 },
    );
  });

  it('refuses a changed ciphertext, tag, associated data or key: the GCM tag is checked', () => {
    const r = encrypt('{"out_trade_no":"T1","amount":{"total":100}}');
    const bytes = Buffer.from(r.ciphertext, 'base64');
    const flip = (i: number) => {
      const b = Buffer.from(bytes);
      b[i] ^= 1;
      return b.toString('base64');
    };
    expect(() => decryptResource({ ...r, ciphertext: flip(3) }, apiV3Key)).toThrow(DecryptionError);
    expect(() => decryptResource({ ...r, ciphertext: flip(bytes.length - 1) }, apiV3Key)).toThrow(DecryptionError);
    expect(() => decryptResource({ ...r, associated_data: 'refund' }, apiV3Key)).toThrow(DecryptionError);
    expect(() => decryptResource(r, randomBytes(16).toString('hex'))).toThrow(DecryptionError);
    expect(() => decryptResource({ ...r, algorithm: 'AES_128_CBC' }, apiV3Key)).toThrow(DecryptionError);
  });
});
