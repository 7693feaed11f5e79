import { randomUUID } from 'node:crypto';
import { makeMember, makeStore, openShift, signedIn, type Session } from '../../factories';
import { APPID, eventually, wechatWorld, type WechatWorld } from '../../support/wechat-world';

/** WeChat documents both USERPAYING and USER_PAYING for a payment code waiting for the password. */
describe('payment code waiting for the password, spelled USER_PAYING', () => {
  let w: WechatWorld;
  let cashier: Session;
  let storeId: string;

  beforeAll(async () => {
    w = await wechatWorld({ sim: { userPayingCode: 'USER_PAYING' } });
    storeId = (await makeStore(w.t.ds)).id;
    cashier = await signedIn(w.t.ds, w.t.http, 'cashier', [storeId]);
    await openShift(w.t.http, cashier, storeId);
  });
  afterAll(() => w.close());

  it('polls and credits as for USERPAYING', async () => {
    const member = await makeMember(w.t.ds, { homeStoreId: storeId });
    const payer = w.sim.control.createUser({ appid: APPID }).openid;
    const { authCode } = w.sim.control.paymentCode(payer, { behaviour: 'password', passwordDelayMs: 300 });
    const res = await w.t.http.post(`/api/members/${member.id}/wallet/wechat-top-ups`).set(cashier.auth).set('Idempotency-Key', randomUUID()).send({ storeId, amountFen: 1500, authCode }).expect(201);
    expect(res.body.status).toBe('user_paying');
    await eventually(async () => (await w.t.http.get(`/api/wechat/pay-orders/${res.body.id}`).set(cashier.auth).expect(200)).body.status === 'paid');
    expect((await w.t.http.get(`/api/members/${member.id}/wallet`).set(cashier.auth).expect(200)).body.totalFen).toBe(1500);
  });
});
