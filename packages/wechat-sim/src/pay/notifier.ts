// Payment and refund notifications (支付通知 / 退款结果通知): the resource is encrypted with
// AEAD_AES_256_GCM under the merchant's APIv3 key, the body is signed like a response, and a
// delivery that is not answered 200/204 within the timeout is retried on WeChat's schedule.
//   https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/payment-notice.html
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { encryptResource, rsaSign, responseSignMessage, AUTH_SCHEME, SIGNTEST_PREFIX } from '../crypto/wechatpay-crypto';
import type { Sim } from '../sim';
import type { DeliveryAttempt, Merchant, NotificationRecord, NotificationVariant, Order, Refund } from '../state';
import { wechatTime } from '../time';
import { transactionView } from './transactions';

export interface NotifyOptions {
  /** `none`: no notification; `twice`: the notification is delivered, then delivered again. */
  notify?: 'normal' | 'none' | 'twice';
  /** Delay before the first attempt (a late notification); default the notify.firstDelayMs option. */
  delayMs?: number;
  /** `forged` signed by another key, `signtest` WeChat's probe signature, `tampered` ciphertext altered after encryption, `stale` a timestamp 10 minutes old, `wrong_serial` an unknown Wechatpay-Serial. */
  variant?: NotificationVariant;
  /** Merged into the decrypted resource before encryption, e.g. `{ amount: { total: 1 } }`. */
  resourcePatch?: Record<string, unknown>;
  /** Resolve once the first attempt (after delayMs) and the duplicate of `twice` are answered, instead of at once. */
  awaitDelivery?: boolean;
}

const attackerKeys = new WeakMap<Sim, KeyObject>();

function attackerKey(sim: Sim): KeyObject {
  let key = attackerKeys.get(sim);
  if (!key) {
    key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    attackerKeys.set(sim, key);
  }
  return key;
}

export function notifyTransaction(sim: Sim, order: Order, o: NotifyOptions = {}): Promise<NotificationRecord | null> {
  const merchant = sim.merchant(order.mchid);
  if (!merchant || !order.notifyUrl || o.notify === 'none') return Promise.resolve(null);
  const resource = { ...transactionView(order), ...(o.resourcePatch ?? {}) };
  return send(sim, merchant, {
    kind: 'transaction',
    ref: order.outTradeNo,
    url: order.notifyUrl,
    eventType: 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    originalType: 'transaction',
    resource,
    o,
  });
}

const REFUND_SUMMARY: Record<string, string> = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' };

export function refundNoticeResource(r: Refund): Record<string, unknown> {
  const resource: Record<string, unknown> = {
    mchid: r.mchid,
    transaction_id: r.transactionId,
    out_trade_no: r.outTradeNo,
    refund_id: r.refundId,
    out_refund_no: r.outRefundNo,
    refund_status: r.status,
  };
  if (r.successAt !== null) resource.success_time = wechatTime(r.successAt);
  resource.user_received_account = '支付用户零钱';
  resource.amount = { total: r.totalFen, refund: r.refundFen, payer_total: r.totalFen, payer_refund: r.refundFen };
  return resource;
}

export function notifyRefund(sim: Sim, r: Refund, o: NotifyOptions = {}): Promise<NotificationRecord | null> {
  const merchant = sim.merchant(r.mchid);
  if (!merchant || !r.notifyUrl || r.status === 'PROCESSING' || o.notify === 'none') return Promise.resolve(null);
  return send(sim, merchant, {
    kind: 'refund',
    ref: r.outRefundNo,
    url: r.notifyUrl,
    eventType: `REFUND.${r.status}`,
    summary: REFUND_SUMMARY[r.status],
    originalType: 'refund',
    resource: { ...refundNoticeResource(r), ...(o.resourcePatch ?? {}) },
    o,
  });
}

/** A notification with any resource, e.g. one for an order the merchant never placed. */
export function notifyCustom(
  sim: Sim,
  merchant: Merchant,
  input: { url: string; eventType: string; summary?: string; originalType: string; resource: unknown; ref?: string },
  o: NotifyOptions = {},
): Promise<NotificationRecord | null> {
  return send(sim, merchant, {
    kind: 'custom',
    ref: input.ref ?? '',
    url: input.url,
    eventType: input.eventType,
    summary: input.summary ?? input.eventType,
    originalType: input.originalType,
    resource: input.resource,
    o,
  });
}

async function send(
  sim: Sim,
  merchant: Merchant,
  n: { kind: NotificationRecord['kind']; ref: string; url: string; eventType: string; summary: string; originalType: string; resource: unknown; o: NotifyOptions },
): Promise<NotificationRecord> {
  const now = sim.now();
  const nonce = sim.ids.gcmNonce();
  const encrypted = encryptResource(JSON.stringify(n.resource), merchant.apiV3Key, n.originalType, nonce);
  const variant = n.o.variant ?? 'normal';
  if (variant === 'tampered') {
    const bytes = Buffer.from(encrypted.ciphertext, 'base64');
    bytes[0] ^= 0x01;
    encrypted.ciphertext = bytes.toString('base64');
  }
  const id = sim.ids.uuid();
  const body = JSON.stringify({
    id,
    create_time: wechatTime(now),
    resource_type: 'encrypt-resource',
    event_type: n.eventType,
    summary: n.summary,
    resource: { original_type: n.originalType, ...encrypted },
  });
  const rec: NotificationRecord = {
    id,
    mchid: merchant.mchid,
    kind: n.kind,
    ref: n.ref,
    url: n.url,
    eventType: n.eventType,
    variant,
    resource: n.resource,
    body,
    headers: {},
    state: sim.state.holdNotifications ? 'held' : 'pending',
    attempts: [],
    nextAttemptAt: null,
    retryIndex: 0,
    createdAt: now,
  };
  sim.state.notifications.push(rec);
  sim.changed();
  if (rec.state === 'held') return rec;
  const delay = n.o.delayMs ?? sim.opts.firstDelayMs;
  const twice = n.o.notify === 'twice';
  if (n.o.awaitDelivery) {
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    await attempt(sim, rec);
    if (twice) await attempt(sim, rec, { duplicate: true });
    return rec;
  }
  rec.nextAttemptAt = now + delay;
  sim.later(delay, async () => {
    await attempt(sim, rec);
    if (twice) await attempt(sim, rec, { duplicate: true });
  });
  return rec;
}

function signedHeaders(sim: Sim, merchant: Merchant, rec: NotificationRecord): Record<string, string> {
  const { serial, privateKeyPem } = sim.signingKey(merchant);
  const stale = rec.variant === 'stale';
  const timestamp = String(Math.floor(sim.now() / 1000) - (stale ? 600 : 0));
  const nonce = sim.ids.nonce();
  const message = responseSignMessage(timestamp, nonce, rec.body);
  let signature: string;
  switch (rec.variant) {
    case 'forged':
      signature = rsaSign(message, attackerKey(sim));
      break;
    case 'signtest':
      signature = SIGNTEST_PREFIX + sim.ids.bytes(96).toString('base64');
      break;
    default:
      signature = rsaSign(message, privateKeyPem);
  }
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'Mozilla/4.0',
    'Request-ID': sim.ids.requestId(),
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': rec.variant === 'wrong_serial' ? sim.ids.hex(40) : serial,
    'Wechatpay-Signature': signature,
    'Wechatpay-Signature-Type': AUTH_SCHEME,
    'Wechatpay-Timestamp': timestamp,
  };
}

/**
 * One delivery attempt. The merchant acknowledges with 200 or 204 (any body); anything else, a
 * timeout or a refused connection is a failure and the next retry is scheduled.
 */
export async function attempt(sim: Sim, rec: NotificationRecord, how: { duplicate?: boolean; replayHeaders?: boolean } = {}): Promise<DeliveryAttempt> {
  const merchant = sim.merchant(rec.mchid);
  const at = sim.now();
  let result: DeliveryAttempt;
  if (!merchant) {
    result = { at, ok: false, status: null, error: 'merchant removed', simulated: true };
  } else if (sim.state.failNextDeliveries > 0) {
    sim.state.failNextDeliveries -= 1;
    result = { at, ok: false, status: null, error: 'simulated failure of the notify endpoint', simulated: true };
  } else {
    const headers = how.replayHeaders && Object.keys(rec.headers).length > 0 ? rec.headers : signedHeaders(sim, merchant, rec);
    rec.headers = headers;
    try {
      const res = await fetch(rec.url, { method: 'POST', headers, body: rec.body, signal: AbortSignal.timeout(sim.opts.notifyTimeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      const ok = res.status === 200 || res.status === 204;
      result = { at, ok, status: res.status, error: ok ? null : `HTTP ${res.status}`, simulated: false };
    } catch (e) {
      result = { at, ok: false, status: null, error: e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e), simulated: false };
    }
  }
  rec.attempts.push(result);
  sim.opts.log(`notify ${rec.eventType} ${rec.ref} → ${rec.url}: ${result.ok ? 'ok' : result.error}`);
  if (result.ok) {
    rec.state = 'delivered';
    rec.nextAttemptAt = null;
  } else if (!how.duplicate && rec.state !== 'delivered') {
    scheduleRetry(sim, rec);
  }
  sim.changed();
  return result;
}

function scheduleRetry(sim: Sim, rec: NotificationRecord): void {
  const schedule = sim.opts.retryScheduleMs;
  if (rec.retryIndex >= schedule.length) {
    rec.state = 'failed';
    rec.nextAttemptAt = null;
    return;
  }
  const delay = schedule[rec.retryIndex++];
  rec.state = 'pending';
  rec.nextAttemptAt = sim.now() + delay;
  sim.later(delay, () => attempt(sim, rec).then(() => undefined));
}

/** Held notifications go out one after another, oldest first or newest first (out of order). */
export async function releaseHeld(sim: Sim, order: 'oldest_first' | 'newest_first'): Promise<NotificationRecord[]> {
  sim.state.holdNotifications = false;
  const held = sim.state.notifications.filter((n) => n.state === 'held');
  if (order === 'newest_first') held.reverse();
  for (const rec of held) {
    rec.state = 'pending';
    await attempt(sim, rec);
  }
  sim.changed();
  return held;
}

/** After a restart from a state file, pending deliveries resume at their scheduled time. */
export function resumePending(sim: Sim): void {
  for (const rec of sim.state.notifications) {
    if (rec.state === 'pending' && rec.nextAttemptAt !== null) {
      sim.later(rec.nextAttemptAt - sim.now(), () => attempt(sim, rec).then(() => undefined));
    }
  }
}
