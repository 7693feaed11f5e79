import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { WechatPayConfig } from '../../config/config';
import { canonicalPayCode, canonicalTradeState } from './domain/pay-errors';
import {
  checkWechatpaySignature,
  decryptResource,
  DecryptionError,
  payParamsSignMessage,
  PUBLIC_KEY_ID_PREFIX,
  publicKeyOf,
  randomNonce,
  signedHeaders,
  type EncryptedResource,
} from './domain/wechatpay-crypto';
import {
  NotificationRejected,
  WechatPayError,
  WechatPaySignatureError,
  type CodepayOutcome,
  type PayNotification,
  type PayRefund,
  type PayTransaction,
  type RefundStatus,
  type RequestPaymentParams,
  type WechatPayGateway,
} from './wechat-pay.gateway';

/** The host wechatpay-node-v3 hard-codes; the injected HTTP client sends its requests to the configured base URL instead. */
export const WECHAT_PAY_ORIGIN = 'https://api.mch.weixin.qq.com';
const USER_AGENT = 'ChainCard/1.0 (wechatpay-node-v3)';
const TIMEOUT_MS = 15_000;
/**
 * An unknown platform serial triggers a certificate download (WeChat rotated its certificate), but
 * forged serials must not make us hammer WeChat: a serial that was not found is not looked for
 * again for a minute, and downloads are at least a second apart.
 */
const UNKNOWN_SERIAL_BACKOFF_MS = 60_000;
const MIN_DOWNLOAD_INTERVAL_MS = 1_000;

type Json = Record<string, unknown>;

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** What the injected client hands back to the library: Output plus whether the answer's signature was checked. */
type VerifiedOutput = Output & { verified: boolean; raw: string };

/**
 * WeChat Pay API v3 for a directly connected merchant, through wechatpay-node-v3 (request
 * signing, its calls) with an injected HTTP client that (1) sends to the configured base URL and
 * (2) verifies every answer's platform signature before the library sees it. What the library
 * lacks is done here with its own signing: payment code, reverse, abnormal-refund retry,
 * certificate download with the GCM tag checked, notification verification and decryption.
 */
export class WechatPayV3Client implements WechatPayGateway {
  readonly mchid: string;
  readonly appId: string;
  private readonly pay: WxPay;
  private readonly http: VerifyingPayHttp;
  /** Platform certificates by serial: configured ones, then downloaded ones (public key + expiry). */
  private readonly certificates = new Map<string, { key: KeyObject; notAfter: number }>();
  private readonly publicKey: { id: string; key: KeyObject } | null;
  private lastDownload = 0;
  private readonly missingSerials = new Map<string, number>();
  private downloading: Promise<void> | null = null;

  constructor(
    private readonly cfg: WechatPayConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.mchid = cfg.mchid;
    this.appId = cfg.appId;
    this.pay = new WxPay({
      appid: cfg.appId,
      mchid: cfg.mchid,
      serial_no: cfg.certificateSerial,
      publicKey: Buffer.from(cfg.certificatePem),
      privateKey: Buffer.from(cfg.privateKeyPem),
      key: cfg.apiV3Key,
      userAgent: USER_AGENT,
    });
    this.http = new VerifyingPayHttp(cfg.baseUrl, (answer, path) => this.verifyAnswer(answer, path));
    this.pay.createHttp(this.http);
    for (const pem of cfg.platformCertificatePems) this.trustCertificate(pem);
    this.publicKey = cfg.publicKey ? { id: cfg.publicKey.id, key: publicKeyOf(cfg.publicKey.pem) } : null;
  }

  // ── orders ──────────────────────────────────────────────────────────────────

  async jsapiPrepay(input: { outTradeNo: string; description: string; amountFen: number; openid: string; expiresAt: Date; attach?: string }): Promise<{ prepayId: string }> {
    const out = (await this.pay.transactions_jsapi({
      description: input.description,
      out_trade_no: input.outTradeNo,
      notify_url: this.cfg.notifyUrl,
      time_expire: rfc3339Beijing(input.expiresAt),
      ...(input.attach ? { attach: input.attach } : {}),
      amount: { total: input.amountFen, currency: 'CNY' },
      payer: { openid: input.openid },
    } as Parameters<WxPay['transactions_jsapi']>[0])) as VerifiedOutput;
    // On success the library replaces the answer with its own requestPayment parameters; the
    // prepay_id is inside their package field.
    const pkg = (out.data as { package?: string } | undefined)?.package;
    if (out.status === 200 && pkg?.startsWith('prepay_id=')) return { prepayId: pkg.slice('prepay_id='.length) };
    throw payError(out);
  }

  requestPaymentParams(prepayId: string): RequestPaymentParams {
    const timeStamp = String(Math.floor(this.now() / 1000));
    const nonceStr = randomNonce(32);
    const pkg = `prepay_id=${prepayId}`;
    return { appId: this.appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign: this.pay.sha256WithRsa(payParamsSignMessage(this.appId, timeStamp, nonceStr, pkg)) };
  }

  async codepay(input: { outTradeNo: string; description: string; amountFen: number; authCode: string; storeId: string; deviceId?: string }): Promise<CodepayOutcome> {
    const out = await this.signedCall('POST', '/v3/pay/transactions/codepay', {
      appid: this.appId,
      mchid: this.mchid,
      description: input.description,
      out_trade_no: input.outTradeNo,
      payer: { auth_code: input.authCode },
      amount: { total: input.amountFen, currency: 'CNY' },
      scene_info: { store_info: { out_id: input.storeId.replace(/-/g, '') }, ...(input.deviceId ? { device_id: input.deviceId } : {}) },
    });
    if (out.status === 200) return { status: 'paid', transaction: toTransaction(out.data as Json) };
    const err = payError(out);
    if (out.status === 202 || err.code === 'USER_PAYING') return { status: 'user_paying' };
    throw err;
  }

  async query(outTradeNo: string): Promise<PayTransaction | null> {
    const out = (await this.pay.query({ out_trade_no: outTradeNo })) as VerifiedOutput;
    if (out.status === 200) return toTransaction(out.data as Json);
    const err = payError(out);
    if (err.verified && err.code === 'ORDER_NOT_EXIST') return null;
    throw err;
  }

  async close(outTradeNo: string): Promise<'closed' | 'paid' | 'user_paying'> {
    const out = (await this.pay.close(outTradeNo)) as VerifiedOutput;
    if (out.status === 204 || out.status === 200) return 'closed';
    const err = payError(out);
    if (err.verified && err.code === 'ORDER_PAID') return 'paid';
    if (err.verified && err.code === 'ORDER_CLOSED') return 'closed';
    if (out.status === 202 || err.code === 'USER_PAYING') return 'user_paying';
    throw err;
  }

  async reverse(outTradeNo: string): Promise<void> {
    const out = await this.signedCall('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/reverse`, { appid: this.appId, mchid: this.mchid });
    if (out.status === 200) return;
    const err = payError(out);
    // Already reversed or closed: the money is not with us, which is what reversing wants.
    if (err.verified && (err.code === 'ORDER_REVERSED' || err.code === 'ORDER_CLOSED')) return;
    throw err;
  }

  // ── refunds ─────────────────────────────────────────────────────────────────

  async refund(input: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason: string }): Promise<PayRefund> {
    const out = (await this.pay.refunds({
      out_trade_no: input.outTradeNo,
      out_refund_no: input.outRefundNo,
      reason: input.reason.slice(0, 80),
      notify_url: this.cfg.notifyUrl,
      amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
    } as Parameters<WxPay['refunds']>[0])) as unknown as VerifiedOutput;
    if (out.status === 200) return toRefund(out.data as Json);
    throw payError(out);
  }

  async queryRefund(outRefundNo: string): Promise<PayRefund | null> {
    const out = (await this.pay.find_refunds(outRefundNo)) as unknown as VerifiedOutput;
    if (out.status === 200) return toRefund(out.data as Json);
    const err = payError(out);
    if (err.verified && err.code === 'RESOURCE_NOT_EXISTS') return null;
    throw err;
  }

  async applyAbnormalRefund(refundId: string, outRefundNo: string): Promise<PayRefund> {
    // Back to the merchant's account when the payer's card is gone (退款至商户账户 is the option
    // that needs no bank details from the payer).
    const out = await this.signedCall('POST', `/v3/refund/domestic/refunds/${encodeURIComponent(refundId)}/apply-abnormal-refund`, { out_refund_no: outRefundNo, type: 'MERCHANT_BANK_CARD' });
    if (out.status === 200) return toRefund(out.data as Json);
    throw payError(out);
  }

  // ── bills ───────────────────────────────────────────────────────────────────

  async tradeBill(billDate: string): Promise<string | null> {
    // wechatpay-node-v3's tradebill leaves bill_type out unless given.
    const out = (await this.pay.tradebill({ bill_date: billDate, bill_type: 'ALL' } as Parameters<WxPay['tradebill']>[0])) as VerifiedOutput;
    if (out.status !== 200) {
      const err = payError(out);
      if (err.verified && err.code === 'NO_STATEMENT_EXIST') return null;
      throw err;
    }
    const { download_url: url, hash_value: hash, hash_type: hashType } = out.data as { download_url?: string; hash_value?: string; hash_type?: string };
    if (!url || !hash) throw new WechatPayError(out.status, 'MALFORMED', 'tradebill answer without download_url', true);
    const file = (await this.pay.downloadBill(url)) as VerifiedOutput;
    if (file.status !== 200) throw payError(file);
    // The file itself is not signed: its SHA1, given in the signed answer above, vouches for it.
    const digest = createHash((hashType ?? 'SHA1').toLowerCase() === 'sha1' ? 'sha1' : 'sha256').update(file.raw, 'utf8').digest('hex');
    if (digest.toLowerCase() !== hash.toLowerCase()) throw new WechatPaySignatureError('the downloaded bill does not match its hash_value');
    return file.raw;
  }

  // ── notifications ───────────────────────────────────────────────────────────

  async parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<PayNotification> {
    const signed = signedHeaders(headers);
    if (signed) await this.ensureKey(signed.serial);
    const check = checkWechatpaySignature({ headers: signed, body: rawBody, keyFor: (s) => this.keyFor(s), nowSeconds: Math.floor(this.now() / 1000), maxAgeSeconds: this.cfg.maxSignatureAgeSeconds });
    if (!check.ok) throw new NotificationRejected(check.problem);
    let envelope: { id?: string; event_type?: string; create_time?: string; resource?: EncryptedResource & { original_type?: string } };
    try {
      envelope = JSON.parse(rawBody) as typeof envelope;
    } catch {
      throw new NotificationRejected('malformed');
    }
    if (!envelope?.id || !envelope.event_type || !envelope.resource) throw new NotificationRejected('malformed');
    let plain: Json;
    try {
      plain = JSON.parse(decryptResource(envelope.resource, this.cfg.apiV3Key)) as Json;
    } catch (e) {
      throw new NotificationRejected(e instanceof DecryptionError ? 'decryption_failed' : 'malformed');
    }
    const base = { id: envelope.id, eventType: envelope.event_type, createTime: envelope.create_time ?? null };
    if (envelope.event_type.startsWith('TRANSACTION.')) return { ...base, kind: 'transaction', transaction: toTransaction(plain) };
    if (envelope.event_type.startsWith('REFUND.')) return { ...base, kind: 'refund', refund: { ...toRefund(plain), mchid: String(plain.mchid ?? '') } };
    return { ...base, kind: 'other' };
  }

  // ── signatures ──────────────────────────────────────────────────────────────

  private keyFor(serial: string): KeyObject | null {
    if (serial.startsWith(PUBLIC_KEY_ID_PREFIX)) return this.publicKey && this.publicKey.id === serial ? this.publicKey.key : null;
    const cert = this.certificates.get(serial.toUpperCase());
    return cert && cert.notAfter > this.now() ? cert.key : null;
  }

  /** A platform serial we do not know yet: the certificate was rotated, download the current ones (rate-limited). */
  private async ensureKey(serial: string): Promise<void> {
    if (serial.startsWith(PUBLIC_KEY_ID_PREFIX) || this.keyFor(serial)) return;
    const now = this.now();
    if (now - (this.missingSerials.get(serial) ?? -Infinity) < UNKNOWN_SERIAL_BACKOFF_MS) return;
    // Downloads are at least a second apart: wait out the rest of it (callers asking meanwhile share the one download).
    const wait = this.lastDownload + MIN_DOWNLOAD_INTERVAL_MS - now;
    this.downloading ??= (wait > 0 ? new Promise<void>((r) => setTimeout(r, wait)) : Promise.resolve())
      .then(() => this.downloadCertificates())
      .finally(() => {
        this.downloading = null;
      });
    await this.downloading.catch(() => undefined);
    if (!this.keyFor(serial)) {
      if (this.missingSerials.size > 1000) this.missingSerials.clear();
      this.missingSerials.set(serial, this.now());
    }
  }

  /**
   * GET /v3/certificates: each certificate is encrypted under the APIv3 key (only WeChat and we
   * know it, and the GCM tag proves it was not altered); the answer is then verified with the
   * certificate it names, like every other answer.
   */
  private async downloadCertificates(): Promise<void> {
    this.lastDownload = this.now();
    const path = '/v3/certificates';
    const answer = await this.http.sendSigned('GET', WECHAT_PAY_ORIGIN + path, this.authorization('GET', path, ''), undefined);
    if (answer.status !== 200) throw new WechatPaySignatureError(`platform certificates: HTTP ${answer.status}`);
    const list = (JSON.parse(answer.text) as { data?: { serial_no: string; expire_time: string; encrypt_certificate: EncryptedResource }[] }).data ?? [];
    const found = new Map<string, { key: KeyObject; notAfter: number }>();
    for (const item of list) {
      const pem = decryptResource(item.encrypt_certificate, this.cfg.apiV3Key);
      const cert = new X509Certificate(pem);
      found.set(normalSerial(cert.serialNumber), { key: cert.publicKey, notAfter: Date.parse(cert.validTo) });
    }
    const check = checkWechatpaySignature({
      headers: signedHeaders(answer.headers),
      body: answer.text,
      keyFor: (s) => found.get(s.toUpperCase())?.key ?? this.keyFor(s),
      nowSeconds: Math.floor(this.now() / 1000),
      maxAgeSeconds: this.cfg.maxSignatureAgeSeconds,
    });
    if (!check.ok) throw new WechatPaySignatureError(`platform certificates answer: ${check.problem}`);
    for (const [serial, c] of found) this.certificates.set(serial, c);
  }

  private trustCertificate(pem: string): void {
    const cert = new X509Certificate(pem);
    this.certificates.set(normalSerial(cert.serialNumber), { key: cert.publicKey, notAfter: Date.parse(cert.validTo) });
  }

  /** Called by the HTTP client for every answer except the bill file: throws when the signature does not hold. */
  private async verifyAnswer(answer: RawAnswer, path: string): Promise<boolean> {
    const signed = signedHeaders(answer.headers);
    if (!signed) {
      // An error WeChat refused before authenticating us (401 SIGN_ERROR, a gateway 5xx) comes
      // unsigned: it may only ever make us try again, never change a state.
      if (answer.status >= 400) return false;
      throw new WechatPaySignatureError(`unsigned ${answer.status} answer to ${path}`);
    }
    await this.ensureKey(signed.serial);
    const check = checkWechatpaySignature({ headers: signed, body: answer.text, keyFor: (s) => this.keyFor(s), nowSeconds: Math.floor(this.now() / 1000), maxAgeSeconds: this.cfg.maxSignatureAgeSeconds });
    if (!check.ok) throw new WechatPaySignatureError(`answer to ${path}: ${check.problem}`);
    return true;
  }

  /** A request signed like the library signs its own (its getSignature / getAuthorization), for the calls it lacks. */
  private authorization(method: 'GET' | 'POST', path: string, body: string): string {
    const nonce = randomNonce(32);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return this.pay.getAuthorization(nonce, timestamp, this.pay.getSignature(method, nonce, timestamp, path, body || undefined));
  }

  private async signedCall(method: 'GET' | 'POST', path: string, body?: Json): Promise<VerifiedOutput> {
    const text = body === undefined ? '' : JSON.stringify(body);
    return this.http.request(method, WECHAT_PAY_ORIGIN + path, { Authorization: this.authorization(method, path, text), 'Content-Type': 'application/json' }, body === undefined ? undefined : text);
  }
}

/**
 * The IPayRequest given to wechatpay-node-v3: WeChat's origin becomes the configured base URL, the
 * body goes out exactly as the string the library signed, and each answer's signature is checked
 * before the library sees it.
 */
class VerifyingPayHttp implements IPayRequest {
  constructor(
    private readonly baseUrl: string,
    private readonly verify: (answer: RawAnswer, path: string) => Promise<boolean>,
  ) {}

  post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Output> {
    return this.request('POST', url, headers, JSON.stringify(params));
  }

  get(url: string, headers: Record<string, string>): Promise<Output> {
    return this.request('GET', url, headers);
  }

  upload(): Promise<Output> {
    return Promise.reject(new Error('uploads are not used'));
  }

  async request(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string): Promise<VerifiedOutput> {
    const answer = await this.sendSigned(method, url, headers.Authorization ?? headers.authorization, body, headers);
    const path = new URL(url).pathname;
    // The bill file is the one unsigned answer: its hash (from a signed answer) is checked instead.
    const verified = path === '/v3/billdownload/file' ? answer.status === 200 : await this.verify(answer, path);
    const json = parseJson(answer.text);
    const ok = answer.status >= 200 && answer.status < 300;
    return { status: answer.status, data: json ?? answer.text, ...(ok ? {} : { error: answer.text }), verified, raw: answer.text } as VerifiedOutput;
  }

  async sendSigned(method: 'GET' | 'POST', url: string, authorization: string, body?: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
    const target = url.startsWith(WECHAT_PAY_ORIGIN) ? this.baseUrl + url.slice(WECHAT_PAY_ORIGIN.length) : url;
    if (!target.startsWith(this.baseUrl)) throw new Error(`refusing to send a signed request to ${new URL(url).origin}`);
    const res = await fetch(target, {
      method,
      headers: { ...headers, Authorization: authorization, Accept: 'application/json', 'User-Agent': USER_AGENT, 'Accept-Encoding': 'identity', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function payError(out: Output): WechatPayError {
  const data = (typeof out.data === 'object' && out.data ? out.data : parseJson(String(out.error ?? ''))) as { code?: string; message?: string; detail?: unknown } | null;
  return new WechatPayError(out.status, canonicalPayCode(data?.code), data?.message ?? `HTTP ${out.status}`, (out as VerifiedOutput).verified === true, data?.detail ?? null);
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function toTransaction(d: Json): PayTransaction {
  const amount = (d.amount ?? {}) as Json;
  const payer = (d.payer ?? {}) as Json;
  return {
    appid: String(d.appid ?? ''),
    mchid: String(d.mchid ?? ''),
    outTradeNo: String(d.out_trade_no ?? ''),
    transactionId: strOrNull(d.transaction_id),
    tradeType: strOrNull(d.trade_type),
    tradeState: canonicalTradeState(d.trade_state as string),
    tradeStateDesc: strOrNull(d.trade_state_desc),
    successTime: strOrNull(d.success_time),
    payerOpenid: strOrNull(payer.openid),
    totalFen: num(amount.total),
    payerTotalFen: num(amount.payer_total),
    currency: strOrNull(amount.currency),
  };
}

function toRefund(d: Json): PayRefund {
  const amount = (d.amount ?? {}) as Json;
  const status = String(d.status ?? d.refund_status ?? '').toUpperCase();
  return {
    refundId: strOrNull(d.refund_id),
    outRefundNo: String(d.out_refund_no ?? ''),
    outTradeNo: strOrNull(d.out_trade_no),
    transactionId: strOrNull(d.transaction_id),
    status: (['PROCESSING', 'SUCCESS', 'ABNORMAL', 'CLOSED'].includes(status) ? status : 'UNKNOWN') as RefundStatus | 'UNKNOWN',
    refundFen: num(amount.refund),
    successTime: strOrNull(d.success_time),
    userReceivedAccount: strOrNull(d.user_received_account),
  };
}

function normalSerial(serial: string): string {
  return serial.toUpperCase().replace(/^0+(?=.)/, '');
}

/** time_expire is RFC 3339 with the offset; WeChat's examples use Beijing time. */
export function rfc3339Beijing(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}
