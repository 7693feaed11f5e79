import { createHash, createHmac } from 'node:crypto';

/**
 * Request signing of the SMS providers, as their public documents describe it. Pure functions:
 * the adapters call them, and the tests' fake providers check requests with an implementation of
 * their own.
 */

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 percent-encoding (Aliyun's rule: space → %20, * → %2A, ~ kept). */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parameters sorted by name, each name and value percent-encoded, joined by & (both providers' canonical query). */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
    .join('&');
}

export interface AliyunSignInput {
  method: string;
  /** Path of the URL ('/' for RPC-style APIs such as SMS). */
  path: string;
  query: Readonly<Record<string, string>>;
  /** host, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256 (and content-type when sent). */
  headers: Readonly<Record<string, string>>;
  body: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/**
 * Aliyun OpenAPI signature V3 (ACS3-HMAC-SHA256):
 *   CanonicalRequest = method \n path \n canonical query \n canonical headers \n signed headers \n hex(sha256(body))
 *   where canonical headers are `name:value\n` for host, content-type and every x-acs-* header,
 *   lower-cased names, trimmed values, sorted by name;
 *   StringToSign = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest));
 *   Signature = hex(HMAC-SHA256(AccessKeySecret, StringToSign));
 *   Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<names;…>,Signature=<hex>.
 * https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature
 */
export function signAliyunV3(input: AliyunSignInput): { authorization: string; canonicalRequest: string; stringToSign: string } {
  const headers = Object.entries(input.headers)
    .map(([k, v]) => [k.toLowerCase(), String(v).trim()] as const)
    .filter(([k]) => k === 'host' || k === 'content-type' || k.startsWith('x-acs-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(';');
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v}\n`).join('');
  const canonicalRequest = [input.method.toUpperCase(), input.path, canonicalQuery(input.query), canonicalHeaders, signedHeaders, sha256Hex(input.body)].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`;
  const signature = hmac(input.accessKeySecret, stringToSign).toString('hex');
  return {
    authorization: `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    canonicalRequest,
    stringToSign,
  };
}

export function aliyunContentSha256(body: string): string {
  return sha256Hex(body);
}

export interface TencentSignInput {
  /** host[:port] as sent in the Host header. */
  host: string;
  service: string;
  action: string;
  payload: string;
  /** Unix seconds (X-TC-Timestamp). */
  timestamp: number;
  contentType: string;
  secretId: string;
  secretKey: string;
}

/**
 * Tencent Cloud API 3.0 signature v3 (TC3-HMAC-SHA256), POST with a JSON body:
 *   CanonicalRequest = "POST\n/\n\n" + "content-type:<ct>\nhost:<host>\nx-tc-action:<action lower-cased>\n" + "\n"
 *                      + "content-type;host;x-tc-action\n" + hex(sha256(payload));
 *   CredentialScope = <UTC date yyyy-MM-dd of the timestamp>/<service>/tc3_request;
 *   StringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + CredentialScope + "\n" + hex(sha256(CanonicalRequest));
 *   key = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request");
 *   Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=content-type;host;x-tc-action, Signature=<hex>.
 * 签名方法 v3 of Tencent Cloud API 3.0, the same for every product (SMS: https://cloud.tencent.com/document/api/382)
 */
export function signTencentTc3(input: TencentSignInput): { authorization: string; canonicalRequest: string; stringToSign: string } {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host;x-tc-action';
  const canonicalHeaders = `content-type:${input.contentType}\nhost:${input.host}\nx-tc-action:${input.action.toLowerCase()}\n`;
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(input.payload)].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(input.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return {
    authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    canonicalRequest,
    stringToSign,
  };
}
