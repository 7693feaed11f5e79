// What WeChat Pay API v3 asks of a merchant's own code beyond what wechatpay-node-v3 does: checking
// the platform's signature on every answer and notification, and decrypting notification
// resources with the AES-GCM tag checked. Pure functions over node:crypto; no Nest, no I/O.
// https://pay.weixin.qq.com/doc/v3/merchant/4012365342 (签名验证), 4012071382 (回调报文解密)
import { createDecipheriv, createPublicKey, createVerify, randomBytes, type KeyObject } from 'node:crypto';

/** WeChat sends probe notifications and answers signed with this prefix to test that merchants verify (签名探测). */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';
/** The serial of a signature made with the WeChat Pay public key (public-key mode) starts with this. */
export const PUBLIC_KEY_ID_PREFIX = 'PUB_KEY_ID_';

export interface SignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

export type SignatureProblem = 'missing_headers' | 'signtest' | 'stale' | 'unknown_serial' | 'bad_signature';

/** Reads the four Wechatpay-* headers (any case); null when one is missing. */
export function signedHeaders(headers: Record<string, string | string[] | undefined> | Headers): SignedHeaders | null {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const v = key ? headers[key] : undefined;
    return Array.isArray(v) ? v[0] : v;
  };
  const timestamp = get('wechatpay-timestamp');
  const nonce = get('wechatpay-nonce');
  const signature = get('wechatpay-signature');
  const serial = get('wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) return null;
  return { timestamp, nonce, signature, serial };
}

/** The message WeChat signs for an answer or a notification: timestamp, nonce and the body exactly as sent. */
export function responseSignMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/**
 * Checks a WeChat Pay signature. Refuses WeChat's probe signatures, timestamps further than
 * maxAgeSeconds from now either way (a replay of an old, validly signed message), serials no
 * trusted key answers to, and signatures that do not verify with RSA-SHA256 over the raw body.
 */
export function checkWechatpaySignature(input: {
  headers: SignedHeaders | null;
  body: string;
  keyFor: (serial: string) => KeyObject | null;
  nowSeconds: number;
  maxAgeSeconds: number;
}): { ok: true; serial: string } | { ok: false; problem: SignatureProblem } {
  const h = input.headers;
  if (!h) return { ok: false, problem: 'missing_headers' };
  if (h.signature.startsWith(SIGNTEST_PREFIX)) return { ok: false, problem: 'signtest' };
  if (!/^\d{1,12}$/.test(h.timestamp) || Math.abs(input.nowSeconds - Number(h.timestamp)) > input.maxAgeSeconds) return { ok: false, problem: 'stale' };
  const key = input.keyFor(h.serial);
  if (!key) return { ok: false, problem: 'unknown_serial' };
  let valid = false;
  try {
    valid = createVerify('RSA-SHA256').update(responseSignMessage(h.timestamp, h.nonce, input.body)).verify(key, h.signature, 'base64');
  } catch {
    valid = false;
  }
  return valid ? { ok: true, serial: h.serial } : { ok: false, problem: 'bad_signature' };
}

export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

export class DecryptionError extends Error {}

/**
 * AEAD_AES_256_GCM with the APIv3 key: ciphertext is base64 of the encrypted bytes followed by the
 * 16-byte tag. `final()` throws when the tag does not match, so a tampered resource never decrypts
 * (wechatpay-node-v3's decipher_gcm skips this check).
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM') throw new DecryptionError(`unsupported algorithm ${resource.algorithm}`);
  const key = Buffer.from(apiV3Key, 'utf8');
  const nonce = Buffer.from(resource.nonce ?? '', 'utf8');
  const data = Buffer.from(resource.ciphertext ?? '', 'base64');
  if (key.length !== 32 || nonce.length !== 12 || data.length < 16) throw new DecryptionError('malformed resource');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('the resource does not decrypt under the APIv3 key (GCM tag mismatch)');
  }
}

export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** The message of paySign for wx.requestPayment (小程序调起支付签名): appId, timeStamp, nonceStr, package. */
export function payParamsSignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomNonce(length = 32): string {
  return [...randomBytes(length)].map((b) => NONCE_ALPHABET[b % NONCE_ALPHABET.length]).join('');
}
