import { randomUUID } from 'node:crypto';
import { RECONCILE_CHECKS } from '../../../src/modules/ledger/reconcile.service';
import { WechatPayService } from '../../../src/modules/wechat/wechat-pay.service';
import { makeStore, openShift, signedIn, type Session } from '../../factories';
import { APPID, eventually, wechatWorld, type WechatWorld } from '../../support/wechat-world';

const key = () => ({ 'Idempotency-Key': `k-${randomUUID()}` });

/** A cashier's order with a WeChat Pay part: paid in the member's mini-program or by payment code, refunded through WeChat. */
describe('checkout with WeChat Pay', () => {
  let w: WechatWorld;
  let store: { id: string };
  let cashier: Session;
  let n = 0;

  beforeAll(async () => {
    w = await wechatWorld();
    store = await makeStore(w.t.ds);
    cashier = await signedIn(w.t.ds, w.t.http, 'cashier', [store.id]);
    await openShift(w.t.http, cashier, store.id);
  });
  afterAll(() => w.close());

  async function wechatMember() {
    const { code, openid } = w.sim.control.wxLogin({ appid: APPID });
    const login = (await w.t.http.post('/api/auth/wechat/login').send({ code }).expect(200)).body;
    const auth = { Authorization: `Bearer ${login.accessToken}` };
    await w.t.http.post('/api/me/wechat/phone').set(auth).send({ code: w.sim.control.phoneCode(openid, { phone: `1350000${String(++n).padStart(4, '0')}` }).code }).expect(200);
    return { id: login.member.id as string, openid, auth };
  }

  const quickSale = async (amountFen: number, memberId?: string) =>
    (await w.t.http.post('/api/orders/quick').set(cashier.auth).set(key()).send({ storeId: store.id, ...(memberId ? { memberId } : {}), amountFen, payments: [{ method: 'wechat', amountFen }] }).expect(201)).body;
  const orderStatus = async (orderId: string) => (await w.t.http.get(`/api/orders/${orderId}`).set(cashier.auth).expect(200)).body.status as string;

  it('lets the member pay the cashier’s order in the mini-program, and refunds it back through WeChat', async () => {
    const m = await wechatMember();
    const order = await quickSale(3000, m.id);
    expect(order.status).toBe('pending_payment');
    const pay = await w.t.http.post(`/api/me/orders/${order.id}/wechat-pay`).set(m.auth).set(key()).expect(201);
    expect(pay.body).toMatchObject({ purpose: 'order', tradeType: 'JSAPI', amountFen: 3000, status: 'pending' });
    // Asking again (the sheet was closed) answers the same WeChat order.
    const again = await w.t.http.post(`/api/me/orders/${order.id}/wechat-pay`).set(m.auth).set(key()).expect(201);
    expect(again.body.id).toBe(pay.body.id);
    // Someone else's order is not his to pay.
    const other = await wechatMember();
    await w.t.http.post(`/api/me/orders/${order.id}/wechat-pay`).set(other.auth).set(key()).expect(404);

    await w.sim.control.requestPayment(again.body.requestPayment, 'pay');
    await eventually(async () => (await orderStatus(order.id)) === 'completed');
    const done = (await w.t.http.get(`/api/me/orders/${order.id}`).set(m.auth).expect(200)).body;
    expect(done.payments[0]).toMatchObject({ method: 'wechat', status: 'completed', reference: w.sim.control.order(pay.body.outTradeNo).transactionId });

    const refund = await w.t.http.post(`/api/orders/${order.id}/refunds`).set(cashier.auth).set(key()).send({ reason: '顾客退货' }).expect(201);
    expect(refund.body).toBeTruthy();
    await eventually(async () => {
      const po = (await w.t.http.get(`/api/wechat/pay-orders/${pay.body.id}`).set(cashier.auth).expect(200)).body;
      return po.refunds.length === 1 && po.refunds[0].status === 'succeeded' && po.refundedFen === 3000;
    });
    expect(w.sim.control.refunds({ outTradeNo: pay.body.outTradeNo })[0]).toMatchObject({ status: 'SUCCESS', refundFen: 3000 });
    expect(await orderStatus(order.id)).toBe('refunded');
  });

  it('takes the member’s payment code at the counter and completes the order', async () => {
    const order = await quickSale(4500);
    const payer = w.sim.control.createUser({ appid: APPID }).openid;
    const res = await w.t.http.post(`/api/orders/${order.id}/wechat/codepay`).set(cashier.auth).set(key()).send({ authCode: w.sim.control.paymentCode(payer, { behaviour: 'pay' }).authCode }).expect(201);
    expect(res.body).toMatchObject({ status: 'paid', tradeType: 'MICROPAY', amountFen: 4500 });
    expect(await orderStatus(order.id)).toBe('completed');
    // A partial refund goes back through WeChat too.
    const detail = (await w.t.http.get(`/api/orders/${order.id}`).set(cashier.auth).expect(200)).body;
    await w.t.http.post(`/api/orders/${order.id}/refunds`).set(cashier.auth).set(key()).send({ reason: '部分退款', lines: [{ lineId: detail.lines[0].id, amountFen: 1500 }] }).expect(201);
    await eventually(async () => (await w.t.http.get(`/api/wechat/pay-orders/${res.body.id}`).set(cashier.auth).expect(200)).body.refunds[0]?.status === 'succeeded');
    expect(w.sim.control.refunds({ outTradeNo: res.body.outTradeNo })[0]).toMatchObject({ refundFen: 1500 });
  });

  it('cancels the order when the payment code is refused or the password never comes', async () => {
    const payer = w.sim.control.createUser({ appid: APPID }).openid;
    const refused = await quickSale(1000);
    const r1 = await w.t.http.post(`/api/orders/${refused.id}/wechat/codepay`).set(cashier.auth).set(key()).send({ authCode: w.sim.control.paymentCode(payer, { behaviour: 'insufficient' }).authCode }).expect(201);
    expect(r1.body.status).toBe('failed');
    expect(await orderStatus(refused.id)).toBe('cancelled');

    const waiting = await quickSale(1200);
    const r2 = await w.t.http.post(`/api/orders/${waiting.id}/wechat/codepay`).set(cashier.auth).set(key()).send({ authCode: w.sim.control.paymentCode(payer, { behaviour: 'password' }).authCode }).expect(201);
    expect(r2.body.status).toBe('user_paying');
    await eventually(async () => (await orderStatus(waiting.id)) === 'cancelled', 8000);
    expect(w.sim.control.order(r2.body.outTradeNo).state).toBe('REVOKED');
  });

  it('times out an order paid in the app that was never paid, and one nobody started paying', async () => {
    const m = await wechatMember();
    const started = await quickSale(800, m.id);
    const pay = (await w.t.http.post(`/api/me/orders/${started.id}/wechat-pay`).set(m.auth).set(key()).expect(201)).body;
    const untouched = await quickSale(900, m.id);
    await w.t.app.get(WechatPayService).settleOpenOrders(new Date(Date.now() + 31 * 60_000));
    expect(await orderStatus(started.id)).toBe('cancelled');
    expect(await orderStatus(untouched.id)).toBe('cancelled');
    expect(w.sim.control.order(pay.outTradeNo).state).toBe('CLOSED');
  });

  it('leaves the ledger, the orders and the shifts consistent', async () => {
    for (const check of RECONCILE_CHECKS) expect({ check: check.name, rows: await w.t.ds.query(check.sql) }).toEqual({ check: check.name, rows: [] });
  });
});
