import { X509Certificate } from 'node:crypto';
import { decryptResource, SIGNTEST_PREFIX, verifyWechatpaySignature } from '../src';
import { jsapiOrder, merchantWorld, type MerchantWorld, type ReceivedNotification } from './support/merchant';

type Notice = { id: string; event_type: string; resource: { ciphertext: string; associated_data: string; nonce: string } };
const parse = (n: ReceivedNotification) => JSON.parse(n.body) as Notice;

describe('payment notifications', () => {
  let w: MerchantWorld;
  let platformKey: string;
  let seq = 0;
  const paidOrder = async (o: Parameters<MerchantWorld['sim']['control']['pay']>[1] = {}, total = 100) => {
    const no = `NOTIFY${String(++seq).padStart(4, '0')}`;
    await w.pay.transactions_jsapi(jsapiOrder(w, no, total));
    await w.sim.control.pay(no, o);
    return no;
  };
  const decrypt = (n: ReceivedNotification) => JSON.parse(decryptResource(parse(n).resource, w.apiV3Key)) as Record<string, unknown>;
  const verifies = (n: ReceivedNotification) => verifyWechatpaySignature({ headers: n.headers, body: n.body, publicKey: platformKey, maxAgeSeconds: 300 });

  beforeEach(async () => {
    w = await merchantWorld();
    platformKey = new X509Certificate(w.sim.control.merchant().platformCertificates[0].certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });
  afterEach(() => w.close());

  it('retries on the (compressed) schedule until the merchant answers 200', async () => {
    w.receiver.statuses.push(500, 503);
    const no = await paidOrder();
    await w.receiver.waitFor(3);
    await w.sim.control.settled();
    const [rec] = w.sim.control.notifications({ ref: no });
    expect(rec.state).toBe('delivered');
    expect(rec.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    // The same notification each time (same id), freshly signed.
    expect(new Set(w.receiver.received.map((n) => parse(n).id)).size).toBe(1);
    expect(w.receiver.received.every(verifies)).toBe(true);
    expect(w.receiver.received[2].at - w.receiver.received[0].at).toBeGreaterThanOrEqual(90);
  });

  it('gives up after the last retry', async () => {
    w.receiver.statuses.push(...Array<number>(10).fill(500));
    const no = await paidOrder();
    await w.receiver.waitFor(6);
    await w.sim.control.settled();
    const [rec] = w.sim.control.notifications({ ref: no });
    expect(rec.state).toBe('failed');
    expect(rec.attempts).toHaveLength(6);
  });

  it('fails the next N deliveries without reaching the merchant when told', async () => {
    w.sim.control.failNextDeliveries(2);
    const no = await paidOrder();
    await w.receiver.waitFor(1);
    await w.sim.control.settled();
    const [rec] = w.sim.control.notifications({ ref: no });
    expect(rec.attempts.map((a) => a.simulated)).toEqual([true, true, false]);
    expect(w.receiver.received).toHaveLength(1);
  });

  it('sends the same notification twice when told', async () => {
    const no = await paidOrder({ notify: 'twice', awaitDelivery: true });
    expect(w.receiver.received).toHaveLength(2);
    expect(parse(w.receiver.received[0]).id).toBe(parse(w.receiver.received[1]).id);
    expect(decrypt(w.receiver.received[1])).toMatchObject({ out_trade_no: no, trade_state: 'SUCCESS' });
  });

  it('sends a notification late', async () => {
    const started = Date.now();
    await paidOrder({ delayMs: 300 });
    expect(w.receiver.received).toHaveLength(0);
    await w.receiver.waitFor(1);
    expect(w.receiver.received[0].at - started).toBeGreaterThanOrEqual(280);
  });

  it('holds notifications and releases them out of order', async () => {
    w.sim.control.holdNotifications();
    const first = await paidOrder();
    const second = await paidOrder();
    await new Promise((r) => setTimeout(r, 50));
    expect(w.receiver.received).toHaveLength(0);
    await w.sim.control.releaseNotifications({ order: 'newest_first' });
    expect(w.receiver.received.map((n) => decrypt(n).out_trade_no)).toEqual([second, first]);
  });

  it('sends forged, probe, tampered, stale and unknown-serial variants that a careful merchant rejects', async () => {
    const no = await paidOrder({ awaitDelivery: true });
    expect(verifies(w.receiver.received[0])).toBe(true);
    for (const variant of ['forged', 'signtest', 'stale', 'wrong_serial', 'tampered'] as const) await w.sim.control.notifyOrder(no, { variant, awaitDelivery: true });
    const [, forged, signtest, stale, wrongSerial, tampered] = w.receiver.received;
    expect(verifies(forged)).toBe(false);
    expect((signtest.headers['wechatpay-signature'] as string).startsWith(SIGNTEST_PREFIX)).toBe(true);
    expect(verifies(signtest)).toBe(false);
    expect(verifies(stale)).toBe(false);
    expect(verifyWechatpaySignature({ headers: stale.headers, body: stale.body, publicKey: platformKey })).toBe(true);
    expect(wrongSerial.headers['wechatpay-serial']).not.toBe(w.receiver.received[0].headers['wechatpay-serial']);
    expect(verifies(tampered)).toBe(true);
    expect(() => decrypt(tampered)).toThrow();
  });

  it('replays a delivered notification with its original headers', async () => {
    const no = await paidOrder({ awaitDelivery: true });
    const [rec] = w.sim.control.notifications({ ref: no });
    await w.sim.control.redeliver(rec.id, { replay: true });
    const [a, b] = w.receiver.received;
    expect(b.headers['wechatpay-nonce']).toBe(a.headers['wechatpay-nonce']);
    expect(b.headers['wechatpay-signature']).toBe(a.headers['wechatpay-signature']);
    expect(b.body).toBe(a.body);
  });

  it('sends a correctly signed notification with a changed amount or for an unknown order', async () => {
    const no = await paidOrder({ awaitDelivery: true }, 1000);
    await w.sim.control.notifyOrder(no, { resourcePatch: { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }, awaitDelivery: true });
    expect(verifies(w.receiver.received[1])).toBe(true);
    expect(decrypt(w.receiver.received[1])).toMatchObject({ out_trade_no: no, amount: { total: 1 } });
    await w.sim.control.sendNotification({ url: w.receiver.url, resource: { mchid: w.mchid, appid: w.appid, out_trade_no: 'NEVERPLACED', trade_state: 'SUCCESS', amount: { total: 100 } }, awaitDelivery: true });
    expect(verifies(w.receiver.received[2])).toBe(true);
    expect(decrypt(w.receiver.received[2])).toMatchObject({ out_trade_no: 'NEVERPLACED' });
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const slow = await merchantWorld({ notify: { retryScheduleMs: [], timeoutMs: 100 } });
    try {
      // A port nobody listens on: connection refused counts as a failed attempt.
      await slow.pay.transactions_jsapi({ ...jsapiOrder(slow, 'NOBODY0001', 100), notify_url: 'http://127.0.0.1:9/notify' });
      await slow.sim.control.pay('NOBODY0001', { awaitDelivery: true });
      const [rec] = slow.sim.control.notifications({ ref: 'NOBODY0001' });
      expect(rec.state).toBe('failed');
      expect(rec.attempts[0].ok).toBe(false);
    } finally {
      await slow.close();
    }
  });
});
