import { randomUUID } from 'node:crypto';
import { makeStore, signedIn } from '../../factories';
import { WechatPayService } from '../../../src/modules/wechat/wechat-pay.service';
import { APPID, MCHID, eventually, wechatWorld, type WechatWorld } from '../../support/wechat-world';

const key = () => ({ 'Idempotency-Key': `k-${randomUUID()}` });

async function member(w: WechatWorld, storeId: string, phone: string) {
  const owner = await signedIn(w.t.ds, w.t.http, 'owner');
  const { scene } = (await w.t.http.get(`/api/stores/${storeId}/wechat/join-scene`).set(owner.auth).expect(200)).body;
  const { code, openid } = w.sim.control.wxLogin({ appid: APPID });
  const login = await w.t.http.post('/api/auth/wechat/login').send({ code, scene }).expect(200);
  const auth = { Authorization: `Bearer ${login.body.accessToken}` };
  await w.t.http.post('/api/me/wechat/phone').set(auth).send({ code: w.sim.control.phoneCode(openid, { phone }).code }).expect(200);
  return { id: login.body.member.id as string, openid, auth };
}

async function credited(w: WechatWorld, memberId: string): Promise<number> {
  const [row] = await w.t.ds.query(`SELECT count(*)::int AS n FROM wallet_top_up WHERE member_id = $1`, [memberId]);
  return row.n;
}

describe.each(['certificate', 'public_key'] as const)('WeChat Pay notifications and answers (%s mode)', (mode) => {
  let w: WechatWorld;
  let storeId: string;
  let n = 0;
  const phone = () => `1390000${mode === 'certificate' ? '1' : '2'}${String(++n).padStart(3, '0')}`;

  beforeAll(async () => {
    w = await wechatWorld({ platformMode: mode });
    storeId = (await makeStore(w.t.ds)).id;
  });
  afterAll(() => w.close());

  async function paidWithoutNotification() {
    const m = await member(w, storeId, phone());
    const order = (await w.t.http.post('/api/me/wallet/top-ups').set(m.auth).set(key()).send({ amountFen: 2000 }).expect(201)).body;
    await w.sim.control.pay(order.outTradeNo, { notify: 'none' });
    return { m, order };
  }

  it('refuses forged, probe, tampered, stale and unknown-serial notifications, then credits the genuine one once', async () => {
    const { m, order } = await paidWithoutNotification();
    for (const variant of ['forged', 'signtest', 'tampered', 'stale', 'wrong_serial'] as const) {
      w.sim.control.failNextDeliveries(0);
      const rec = await w.sim.control.notifyOrder(order.outTradeNo, { variant, awaitDelivery: true });
      const first = w.sim.control.notifications().find((x) => x.id === rec.id)!.attempts[0];
      expect({ variant, status: first.status }).toEqual({ variant, status: 401 });
    }
    expect(await credited(w, m.id)).toBe(0);
    await w.sim.control.notifyOrder(order.outTradeNo, { awaitDelivery: true });
    expect(await credited(w, m.id)).toBe(1);
  });

  it('does not credit a notification of another amount, and credits the right one', async () => {
    const { m, order } = await paidWithoutNotification();
    const rec = await w.sim.control.notifyOrder(order.outTradeNo, { resourcePatch: { amount: { total: 1, payer_total: 1, currency: 'CNY', payer_currency: 'CNY' } }, awaitDelivery: true });
    expect(w.sim.control.notifications().find((x) => x.id === rec.id)!.attempts[0].status).toBe(204);
    expect(await credited(w, m.id)).toBe(0);
    const [row] = await w.t.ds.query(`SELECT outcome FROM wechat_notification WHERE notification_id = $1`, [rec.id]);
    expect(row.outcome).toBe('amount_mismatch');
    await w.sim.control.notifyOrder(order.outTradeNo, { awaitDelivery: true });
    expect(await credited(w, m.id)).toBe(1);
  });

  it('acknowledges a genuine notification of an order we never placed, without any effect', async () => {
    const before = await w.t.ds.query(`SELECT count(*)::int AS n FROM wallet_top_up`);
    const rec = await w.sim.control.sendNotification({
      url: w.notifyUrl,
      resource: { appid: APPID, mchid: MCHID, out_trade_no: 'T20261123000000NOTOURS', transaction_id: '4200000000202611230000000001', trade_type: 'JSAPI', trade_state: 'SUCCESS', success_time: new Date().toISOString(), amount: { total: 100, payer_total: 100, currency: 'CNY' }, payer: { openid: 'o-nobody' } },
      awaitDelivery: true,
    });
    expect(w.sim.control.notifications().find((x) => x.id === rec.id)!.attempts[0].status).toBe(204);
    expect(await w.t.ds.query(`SELECT count(*)::int AS n FROM wallet_top_up`)).toEqual(before);
    const [row] = await w.t.ds.query(`SELECT outcome FROM wechat_notification WHERE notification_id = $1`, [rec.id]);
    expect(row.outcome).toBe('unknown_order');
  });

  it('closes an order never paid and never credits a success notification arriving after the close', async () => {
    const m = await member(w, storeId, phone());
    const order = (await w.t.http.post('/api/me/wallet/top-ups').set(m.auth).set(key()).send({ amountFen: 2000 }).expect(201)).body;
    const pay = w.t.app.get(WechatPayService);
    await pay.settleOpenOrders(new Date(Date.now() + 31 * 60_000));
    expect(w.sim.control.order(order.outTradeNo).state).toBe('CLOSED');
    const closed = await w.t.http.get(`/api/me/wallet/top-ups/${order.id}`).set(m.auth).expect(200);
    expect(closed.body.status).toBe('closed');
    const rec = await w.sim.control.sendNotification({
      url: w.notifyUrl,
      resource: { appid: APPID, mchid: MCHID, out_trade_no: order.outTradeNo, transaction_id: '4200000000202611230000000002', trade_type: 'JSAPI', trade_state: 'SUCCESS', success_time: new Date().toISOString(), amount: { total: 2000, payer_total: 2000, currency: 'CNY' }, payer: { openid: m.openid } },
      awaitDelivery: true,
    });
    expect(w.sim.control.notifications().find((x) => x.id === rec.id)!.attempts[0].status).toBe(204);
    expect(await credited(w, m.id)).toBe(0);
    const [row] = await w.t.ds.query(`SELECT outcome FROM wechat_notification WHERE notification_id = $1`, [rec.id]);
    expect(row.outcome).toBe('late_after_close');
    // The user can no longer pay the closed order.
    await expect(w.sim.control.requestPayment(order.requestPayment, 'pay')).rejects.toThrow();
  });

  it('refuses WeChat Pay answers that are not signed by WeChat, and places nothing', async () => {
    const m = await member(w, storeId, phone());
    // Retries of the refused notifications above (an unknown serial makes us download certificates)
    // must not take the tampered answers meant for this test.
    await w.sim.control.settled();
    for (const tamper of ['forged', 'signtest', 'stale'] as const) {
      w.sim.control.tamperNextResponses({ mchid: MCHID, tampers: [tamper] });
      const res = await w.t.http.post('/api/me/wallet/top-ups').set(m.auth).set(key()).send({ amountFen: 2000 }).expect(502);
      expect({ tamper, code: res.body.error.code }).toEqual({ tamper, code: 'WECHAT_UNAVAILABLE' });
    }
    expect(await w.t.ds.query(`SELECT count(*)::int AS n FROM wechat_pay_order WHERE member_id = $1`, [m.id])).toEqual([{ n: 0 }]);
    await w.t.http.post('/api/me/wallet/top-ups').set(m.auth).set(key()).send({ amountFen: 2000 }).expect(201);
  });

  if (mode === 'certificate') {
    it('follows a platform certificate rotation by downloading the new certificate', async () => {
      w.sim.control.setPlatform({ mchid: MCHID, rotateCertificate: true });
      const { m, order } = await paidWithoutNotification();
      await w.sim.control.notifyOrder(order.outTradeNo, { awaitDelivery: true });
      await eventually(async () => (await credited(w, m.id)) === 1);
    });
  }
});
