import { randomUUID } from 'node:crypto';
import { RECONCILE_CHECKS } from '../../../src/modules/ledger/reconcile.service';
import { WechatPayService } from '../../../src/modules/wechat/wechat-pay.service';
import { makeMember, makeStore, openShift, signedIn, type Session } from '../../factories';
import { APPID, MCHID, eventually, wechatWorld, type WechatWorld } from '../../support/wechat-world';

const key = () => ({ 'Idempotency-Key': `k-${randomUUID()}` });

describe('WeChat Pay at the counter, refunds through WeChat, daily reconciliation', () => {
  let w: WechatWorld;
  let store: { id: string };
  let cashier: Session & { id: string };
  let owner: Session;
  let payer: string;

  beforeAll(async () => {
    w = await wechatWorld();
    store = await makeStore(w.t.ds);
    cashier = await signedIn(w.t.ds, w.t.http, 'cashier', [store.id]);
    owner = await signedIn(w.t.ds, w.t.http, 'owner');
    await openShift(w.t.http, cashier, store.id);
    payer = w.sim.control.createUser({ appid: APPID, phone: '13700000000' }).openid;
  });
  afterAll(() => w.close());

  const balance = async (memberId: string) => (await w.t.http.get(`/api/members/${memberId}/wallet`).set(cashier.auth).expect(200)).body.totalFen as number;
  const codeTopUp = (memberId: string, authCode: string, amountFen = 5000) =>
    w.t.http.post(`/api/members/${memberId}/wallet/wechat-top-ups`).set(cashier.auth).set(key()).send({ storeId: store.id, amountFen, authCode });

  describe('payment code (付款码)', () => {
    it('tops up at once when the code pays, and records the money in the cashier’s shift', async () => {
      const member = await makeMember(w.t.ds, { homeStoreId: store.id });
      const { authCode } = w.sim.control.paymentCode(payer, { behaviour: 'pay' });
      const res = await codeTopUp(member.id, authCode).expect(201);
      expect(res.body).toMatchObject({ status: 'paid', tradeType: 'MICROPAY', amountFen: 5000 });
      expect(await balance(member.id)).toBe(5000);
      const takings = await w.t.ds.query(`SELECT method, amount_fen FROM shift_taking WHERE ref_id = $1`, [res.body.topUpId]);
      expect(takings).toEqual([{ method: 'wechat', amount_fen: '5000' }]);
    });

    it('waits for the password (USERPAYING), polls, and credits when the payer confirms', async () => {
      const member = await makeMember(w.t.ds, { homeStoreId: store.id });
      const { authCode } = w.sim.control.paymentCode(payer, { behaviour: 'password', passwordDelayMs: 400 });
      const res = await codeTopUp(member.id, authCode).expect(201);
      expect(res.body.status).toBe('user_paying');
      const done = await eventually(async () => {
        const o = (await w.t.http.get(`/api/wechat/pay-orders/${res.body.id}`).set(cashier.auth).expect(200)).body;
        return o.status === 'paid' ? o : null;
      });
      expect(done.topUpId).toBeTruthy();
      expect(await balance(member.id)).toBe(5000);
    });

    it('reverses a payment whose password never comes, and credits nothing', async () => {
      const member = await makeMember(w.t.ds, { homeStoreId: store.id });
      const { authCode } = w.sim.control.paymentCode(payer, { behaviour: 'password' });
      const res = await codeTopUp(member.id, authCode).expect(201);
      expect(res.body.status).toBe('user_paying');
      const done = await eventually(async () => {
        const o = (await w.t.http.get(`/api/wechat/pay-orders/${res.body.id}`).set(cashier.auth).expect(200)).body;
        return o.status === 'reversed' ? o : null;
      }, 8000);
      expect(done.topUpId).toBeNull();
      expect(w.sim.control.order(res.body.outTradeNo).state).toBe('REVOKED');
      expect(await balance(member.id)).toBe(0);
    });

    it('ends at once when WeChat refuses the code (no money), and refuses a code that is not WeChat’s', async () => {
      const member = await makeMember(w.t.ds, { homeStoreId: store.id });
      const { authCode } = w.sim.control.paymentCode(payer, { behaviour: 'insufficient' });
      const res = await codeTopUp(member.id, authCode).expect(201);
      expect(res.body).toMatchObject({ status: 'failed' });
      expect(res.body.failure).toMatch(/NOT_ENOUGH/);
      const bad = await codeTopUp(member.id, '990000000000000000').expect(400);
      expect(bad.body.error.code).toBe('WECHAT_AUTH_CODE_INVALID');
      expect(await balance(member.id)).toBe(0);
    });
  });

  describe('refunds through WeChat (原路退回)', () => {
    async function paidTopUp(amountFen = 5000) {
      const member = await makeMember(w.t.ds, { homeStoreId: store.id });
      const res = await codeTopUp(member.id, w.sim.control.paymentCode(payer, { behaviour: 'pay' }).authCode, amountFen).expect(201);
      return { memberId: member.id, topUpId: res.body.topUpId as string, payOrderId: res.body.id as string, outTradeNo: res.body.outTradeNo as string };
    }

    it('takes the top-up back at once and completes the refund on WeChat’s notification', async () => {
      const t = await paidTopUp();
      const res = await w.t.http.post(`/api/wechat/top-ups/${t.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '顾客要求退款' }).expect(201);
      expect(res.body).toMatchObject({ status: 'processing', amountFen: 5000 });
      expect(await balance(t.memberId)).toBe(0);
      await eventually(async () => (await w.t.http.get(`/api/wechat/pay-orders/${t.payOrderId}`).set(cashier.auth).expect(200)).body.refunds[0].status === 'succeeded');
      expect(w.sim.control.refunds({ outTradeNo: t.outTradeNo })[0]).toMatchObject({ status: 'SUCCESS', refundFen: 5000 });
      // Once only: the counter refund is refused for WeChat top-ups, this one for a second time.
      await w.t.http.post(`/api/wechat/top-ups/${t.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '再退一次' }).expect(409);
      await w.t.http.post(`/api/wallet/top-ups/${t.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '柜台退' }).expect(409);
    });

    it('shows a refund that ended ABNORMAL or CLOSED, and retries it to success', async () => {
      w.sim.control.queueRefundOutcomes({ mchid: MCHID, outcomes: ['ABNORMAL', 'CLOSED'] });
      const a = await paidTopUp();
      const ra = (await w.t.http.post(`/api/wechat/top-ups/${a.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '退款' }).expect(201)).body;
      const b = await paidTopUp();
      const rb = (await w.t.http.post(`/api/wechat/top-ups/${b.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '退款' }).expect(201)).body;
      const statusOf = async (id: string) => (await w.t.http.get('/api/wechat/refunds').set(cashier.auth).expect(200)).body.items.find((r: { id: string }) => r.id === id)?.status;
      await eventually(async () => (await statusOf(ra.id)) === 'abnormal' && (await statusOf(rb.id)) === 'closed');

      const retriedA = await w.t.http.post(`/api/wechat/refunds/${ra.id}/retry`).set(cashier.auth).set(key()).expect(200);
      expect(['processing', 'succeeded']).toContain(retriedA.body.status);
      const retriedB = await w.t.http.post(`/api/wechat/refunds/${rb.id}/retry`).set(cashier.auth).set(key()).expect(200);
      expect(retriedB.body.outRefundNo).not.toBe(rb.outRefundNo);
      await eventually(async () => (await statusOf(ra.id)) === 'succeeded' && (await statusOf(retriedB.body.id)) === 'succeeded');
      await w.t.http.post(`/api/wechat/refunds/${ra.id}/retry`).set(cashier.auth).set(key()).expect(409);
    });

    it('refunds a top-up once when the refund is asked for many times at once', async () => {
      const t = await paidTopUp(4000);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => w.t.http.post(`/api/wechat/top-ups/${t.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '并发退款' })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      await w.sim.control.settled();
      expect(w.sim.control.refunds({ outTradeNo: t.outTradeNo })).toHaveLength(1);
      expect(await balance(t.memberId)).toBe(0);
    });

    it('keeps a refund WeChat did not answer pending, and the job sends it again under the same number', async () => {
      const t = await paidTopUp();
      w.sim.control.tamperNextResponses({ mchid: MCHID, tampers: ['forged'] });
      const res = await w.t.http.post(`/api/wechat/top-ups/${t.topUpId}/refund`).set(cashier.auth).set(key()).send({ reason: '退款' }).expect(201);
      expect(res.body).toMatchObject({ status: 'pending', attempts: 1 });
      await w.t.app.get(WechatPayService).settleOpenRefunds(new Date());
      await eventually(async () => (await w.t.ds.query(`SELECT status FROM wechat_refund WHERE id = $1`, [res.body.id]))[0].status === 'succeeded');
      expect(w.sim.control.refunds({ outTradeNo: t.outTradeNo })).toHaveLength(1);
    });
  });

  describe('reconciliation (对账)', () => {
    it('matches yesterday’s bill and finds the planted differences', async () => {
      const yesterdayNoon = new Date(Date.parse(`${new Date(Date.now() + 8 * 3600_000 - 86400_000).toISOString().slice(0, 10)}T12:00:00+08:00`));
      const billDate = new Date(yesterdayNoon.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      // Three JSAPI top-ups paid yesterday (the simulator back-dates them onto yesterday's bill).
      const orders: { id: string; outTradeNo: string }[] = [];
      for (const phone of ['13600000001', '13600000002', '13600000003']) {
        const { code, openid } = w.sim.control.wxLogin({ appid: APPID });
        const login = (await w.t.http.post('/api/auth/wechat/login').send({ code }).expect(200)).body;
        const auth = { Authorization: `Bearer ${login.accessToken}` };
        await w.t.http.post('/api/me/wechat/phone').set(auth).send({ code: w.sim.control.phoneCode(openid, { phone }).code }).expect(200);
        const order = (await w.t.http.post('/api/me/wallet/top-ups').set(auth).set(key()).send({ amountFen: 1000 }).expect(201)).body;
        await w.sim.control.pay(order.outTradeNo, { at: yesterdayNoon.getTime(), awaitDelivery: true });
        orders.push(order);
      }
      await eventually(async () => (await w.t.ds.query(`SELECT count(*)::int AS n FROM wechat_pay_order WHERE id = ANY($1) AND status = 'paid'`, [orders.map((o) => o.id)]))[0].n === 3);
      // Planted: our amount differs for one, WeChat's payment of another is unknown to us, and we hold one WeChat never settled.
      const [removed] = await w.t.ds.query(`SELECT row_to_json(o) AS row FROM wechat_pay_order o WHERE id = $1`, [orders[1].id]);
      await w.t.ds.query(`UPDATE wechat_pay_order SET amount_fen = 1001 WHERE id = $1`, [orders[0].id]);
      await w.t.ds.query(`DELETE FROM wechat_pay_order WHERE id = $1`, [orders[1].id]);
      await w.t.ds.query(
        `INSERT INTO wechat_pay_order (out_trade_no, purpose, trade_type, status, store_id, amount_fen, description, appid, mchid, transaction_id, expires_at, paid_at)
         VALUES ('T20260101000000PLANTED', 'top_up', 'JSAPI', 'paid', $1, 700, 'planted', $2, $3, '4200000000000000000000PLANTED', now(), $4)`,
        [store.id, APPID, MCHID, yesterdayNoon],
      );

      await w.t.http.post('/api/wechat/reconciliations').set(cashier.auth).send({ billDate }).expect(403);
      const res = await w.t.http.post('/api/wechat/reconciliations').set(owner.auth).send({ billDate }).expect(200);
      const by = (result: string) => res.body.items.filter((i: { result: string }) => i.result === result).map((i: { key: string }) => i.key);
      expect(res.body.status).toBe('done');
      expect(by('amount_mismatch')).toEqual([orders[0].outTradeNo]);
      expect(by('missing_ours')).toEqual([orders[1].outTradeNo]);
      expect(by('missing_wechat')).toEqual(['T20260101000000PLANTED']);
      expect(by('matched')).toContain(orders[2].outTradeNo);
      const listed = await w.t.http.get('/api/wechat/reconciliations').set(owner.auth).expect(200);
      expect(listed.body.items[0]).toMatchObject({ billDate, amountMismatch: 1, missingOurs: 1, missingWechat: 1 });
      const detail = await w.t.http.get(`/api/wechat/reconciliations/${res.body.id}`).set(owner.auth).expect(200);
      expect(detail.body.items).toHaveLength(res.body.items.length);
      // Today's bill does not exist yet.
      const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
      await w.t.http.post('/api/wechat/reconciliations').set(owner.auth).send({ billDate: today }).expect(409);
      // Undo the planted differences for the ledger checks below.
      await w.t.ds.query(`DELETE FROM wechat_pay_order WHERE out_trade_no = 'T20260101000000PLANTED'`);
      await w.t.ds.query(`UPDATE wechat_pay_order SET amount_fen = 1000 WHERE id = $1`, [orders[0].id]);
      await w.t.ds.query(`INSERT INTO wechat_pay_order SELECT * FROM json_populate_record(NULL::wechat_pay_order, $1)`, [removed.row]);
    });
  });

  describe('afterwards', () => {
    it('leaves the ledger and the shifts consistent', async () => {
      for (const check of RECONCILE_CHECKS) expect({ check: check.name, rows: await w.t.ds.query(check.sql) }).toEqual({ check: check.name, rows: [] });
    });
  });
});
