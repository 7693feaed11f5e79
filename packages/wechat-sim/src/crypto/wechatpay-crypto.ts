// The cryptography of WeChat Pay API v3, shared by the simulator and the helpers it exports for
// merchant-side tests. Everything here follows the published rules:
//   request signature  https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-generation.html
//   response signature https://pay.weixin.qq.com/docs/merchant/development/interface-rules/signature-verification.html
//   AEAD_AES_256_GCM   https://pay.weixin.qq.com/docs/merchant/development/interface-rules/certificate-callback-decryption.html
import { createCipheriv, createDecipheriv, createSign, createVerify, KeyObject, randomBytes } from 'node:crypto';

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat's probe traffic: a response or notification whose signature starts with this must be rejected. */
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';

export type KeyLike = string | Buffer | KeyObject;

/** The string a merchant signs: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n` (URL = path + query, BODY empty for GET). */
export function requestSignMessage(method: string, url: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${url}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** The string WeChat signs for a response or a notification: `TIMESTAMP\nNONCE\nBODY\n`. */
export function responseSignMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

export function rsaSign(message: string, privateKey: KeyLike): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function rsaVerify(message: string, signature: string, publicKey: KeyLike): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

export interface AuthorizationFields {
  mchid: string;
  nonce_str: string;
  timestamp: string;
  serial_no: string;
  signature: string;
}

/** Builds the `Authorization` header value of a merchant request. */
export function buildAuthorization(input: {
  mchid: string;
  serialNo: string;
  privateKey: KeyLike;
  method: string;
  url: string;
  body?: string;
  timestamp?: number;
  nonce?: string;
}): string {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? randomNonce();
  const signature = rsaSign(requestSignMessage(input.method, input.url, timestamp, nonce, input.body ?? ''), input.privateKey);
  return `${AUTH_SCHEME} mchid="${input.mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${input.serialNo}",signature="${signature}"`;
}

/**
 * Parses an `Authorization` header; null when the scheme or a field is missing. WeChat accepts the
 * fields in any order, separated by commas with optional spaces.
 */
export function parseAuthorization(header: string | undefined): AuthorizationFields | null {
  if (!header) return null;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space) !== AUTH_SCHEME) return null;
  const fields: Record<string, string> = {};
  const re = /\s*([a-z_]+)="([^"]*)"\s*(,|$)/gy;
  const rest = header.slice(space + 1);
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(rest)) !== null) {
    fields[m[1]] = m[2];
    consumed = re.lastIndex;
    if (m[3] === '') break;
  }
  if (consumed !== rest.length) return null;
  const { mchid, nonce_str, timestamp, serial_no, signature } = fields;
  if (!mchid || !nonce_str || !timestamp || !serial_no || !signature) return null;
  return { mchid, nonce_str, timestamp, serial_no, signature };
}

export interface WechatpaySignatureHeaders {
  'wechatpay-timestamp'?: string;
  'wechatpay-nonce'?: string;
  'wechatpay-signature'?: string;
  'wechatpay-serial'?: string;
}

/** Lower-cases header names so fetch Headers, Node's IncomingHttpHeaders and plain objects all work. */
export function lowerHeaders(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof (headers as Headers).forEach === 'function' && typeof (headers as Headers).get === 'function') {
    (headers as Headers).forEach((v, k) => (out[k.toLowerCase()] = v));
    return out;
  }
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/**
 * Verifies a WeChat response or notification signature with the platform certificate's or the
 * platform public key's key (chosen by the caller from Wechatpay-Serial). Rejects WeChat's
 * `WECHATPAY/SIGNTEST/` probe signatures and, when maxAgeSeconds is given, stale timestamps.
 */
export function verifyWechatpaySignature(input: {
  headers: Headers | Record<string, string | string[] | undefined>;
  body: string;
  publicKey: KeyLike;
  maxAgeSeconds?: number;
  now?: number;
}): boolean {
  const h = lowerHeaders(input.headers);
  const timestamp = h['wechatpay-timestamp'];
  const nonce = h['wechatpay-nonce'];
  const signature = h['wechatpay-signature'];
  if (!timestamp || !nonce || !signature) return false;
  if (signature.startsWith(SIGNTEST_PREFIX)) return false;
  if (input.maxAgeSeconds !== undefined) {
    const now = Math.floor((input.now ?? Date.now()) / 1000);
    if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > input.maxAgeSeconds) return false;
  }
  return rsaVerify(responseSignMessage(timestamp, nonce, input.body), signature, input.publicKey);
}

export interface EncryptedResource {
  algorithm: 'AEAD_AES_256_GCM';
  ciphertext: string;
  associated_data: string;
  nonce: string;
}

/**
 * AEAD_AES_256_GCM as WeChat uses it: the key is the 32-byte APIv3 key taken as UTF-8 bytes, the IV
 * the 12-character nonce string, and `ciphertext` is base64 of the encrypted bytes followed by the
 * 16-byte tag.
 */
export function encryptResource(plaintext: string, apiV3Key: string, associatedData: string, nonce: string): EncryptedResource {
  const key = apiV3KeyBytes(apiV3Key);
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: encrypted.toString('base64'), associated_data: associatedData, nonce };
}

/** Decrypts a notification resource or an encrypted certificate; throws when the GCM tag does not match. */
export function decryptResource(resource: { ciphertext: string; associated_data?: string; nonce: string }, apiV3Key: string): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < 16) throw new Error('ciphertext shorter than the GCM tag');
  const decipher = createDecipheriv('aes-256-gcm', apiV3KeyBytes(apiV3Key), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

function apiV3KeyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/**
 * The paySign of `wx.requestPayment` for a JSAPI / mini-program order: RSA-SHA256 over
 * `appId\ntimeStamp\nnonceStr\npackage\n` with the merchant's private key.
 */
export function payParamsSignMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomNonce(length = 32, bytes: (n: number) => Buffer = randomBytes): string {
  const b = bytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += ALNUM[b[i] % ALNUM.length];
  return s;
}

/**
 * The parameters a merchant's server hands to `wx.requestPayment` for a prepay_id (what
 * wechatpay-node-v3's transactions_jsapi returns): signType RSA, paySign over appId, timeStamp,
 * nonceStr and package.
 */
export function signPayParams(input: { appId: string; prepayId: string; privateKey: KeyLike; timeStamp?: string; nonceStr?: string }): {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
} {
  const timeStamp = input.timeStamp ?? String(Math.floor(Date.now() / 1000));
  const nonceStr = input.nonceStr ?? randomNonce(32);
  const pkg = `prepay_id=${input.prepayId}`;
  return { appId: input.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: rsaSign(payParamsSignMessage(input.appId, timeStamp, nonceStr, pkg), input.privateKey) };
}
