// wechatpay-node-v3 has no payment-code call: these requests are signed by hand the same way.
import { merchantWorld, type MerchantWorld } from './support/merchant';

describe('payment-code (付款码) payments', () => {
  let w: MerchantWorld;
  let seq = 0;
  const codepay = (authCode: string, total = 2500, outTradeNo = `CODEPAY${++seq}`) =>
    w.call('POST', '/v3/pay/transactions/codepay', {
      appid: w.appid,
      mchid: w.mchid,
      description: '门店收银',
      out_trade_no: outTradeNo,
      payer: { auth_code: authCode },
      amount: { total, currency: 'CNY' },
      scene_info: { store_info: { out_id: 'SH001' }, device_id: 'POS-01' },
    });
  const query = (no: string) => w.call('GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${w.mchid}`);

  beforeAll(async () => {
    w = await merchantWorld();
  });
  afterAll(() => w.close());

  it('pays at once with a code that needs no password', async () => {
    const { authCode } = w.sim.control.paymentCode(w.openid);
    expect(authCode).toMatch(/^1[0-5]\d{16}$/);
    const res = await codepay(authCode, 2500, 'CODEPAYOK1');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ out_trade_no: 'CODEPAYOK1', trade_type: 'MICROPAY', trade_state: 'SUCCESS', payer: { openid: w.openid }, amount: { total: 2500 } });
    expect((await query('CODEPAYOK1')).json).toMatchObject({ trade_state: 'SUCCESS', scene_info: { device_id: 'POS-01' } });
    // A code works once.
    const reused = await codepay(authCode);
    expect(reused.status).toBe(403);
    expect(reused.json).toMatchObject({ code: 'TRADE_ERROR' });
  });

  it('answers 202 USERPAYING while the user enters the password; the merchant polls until SUCCESS', async () => {
    const { authCode } = w.sim.control.paymentCode(w.openid, { behaviour: 'password' });
    const res = await codepay(authCode, 120000, 'CODEPAYPW1');
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ code: 'USERPAYING' });
    expect((await query('CODEPAYPW1')).json).toMatchObject({ trade_state: 'USERPAYING' });
    // Submitting the same payment again answers the same way.
    expect((await codepay(authCode, 120000, 'CODEPAYPW1')).status).toBe(202);
    await w.sim.control.pay('CODEPAYPW1');
    expect((await query('CODEPAYPW1')).json).toMatchObject({ trade_state: 'SUCCESS' });
  });

  it('pays by itself after the password delay', async () => {
    const { authCode } = w.sim.control.paymentCode(w.openid, { behaviour: 'password', passwordDelayMs: 100 });
    expect((await codepay(authCode, 300, 'CODEPAYPW2')).status).toBe(202);
    await new Promise((r) => setTimeout(r, 200));
    expect((await query('CODEPAYPW2')).json).toMatchObject({ trade_state: 'SUCCESS' });
  });

  it('reverses a payment whose password never came (REVOKED), and a paid one (money back)', async () => {
    const { authCode } = w.sim.control.paymentCode(w.openid, { behaviour: 'password' });
    await codepay(authCode, 999, 'CODEPAYRV1');
    const reversed = await w.call('POST', '/v3/pay/transactions/out-trade-no/CODEPAYRV1/reverse', { appid: w.appid, mchid: w.mchid });
    expect(reversed.status).toBe(200);
    expect(reversed.json).toEqual({ appid: w.appid, mchid: w.mchid, out_trade_no: 'CODEPAYRV1' });
    expect((await query('CODEPAYRV1')).json).toMatchObject({ trade_state: 'REVOKED' });
    // Too late for the password now.
    await expect(w.sim.control.pay('CODEPAYRV1')).rejects.toThrow(/REVOKED/);

    const paid = w.sim.control.paymentCode(w.openid);
    await codepay(paid.authCode, 500, 'CODEPAYRV2');
    expect((await w.call('POST', '/v3/pay/transactions/out-trade-no/CODEPAYRV2/reverse', { appid: w.appid, mchid: w.mchid })).status).toBe(200);
    expect(w.sim.control.order('CODEPAYRV2')).toMatchObject({ state: 'REVOKED', refundedFen: 500 });
  });

  it('fails the payment when the user cancels or the password times out', async () => {
    const a = w.sim.control.paymentCode(w.openid, { behaviour: 'password' });
    await codepay(a.authCode, 100, 'CODEPAYCX1');
    w.sim.control.cancel('CODEPAYCX1');
    expect((await query('CODEPAYCX1')).json).toMatchObject({ trade_state: 'PAYERROR', trade_state_desc: '用户取消支付' });
    const b = w.sim.control.paymentCode(w.openid, { behaviour: 'password' });
    await codepay(b.authCode, 100, 'CODEPAYTO1');
    w.sim.control.fail('CODEPAYTO1');
    expect((await query('CODEPAYTO1')).json).toMatchObject({ trade_state: 'PAYERROR' });
  });

  it('refuses with 403 NOT_ENOUGH when the user cannot pay, and 400 for a malformed code', async () => {
    const { authCode } = w.sim.control.paymentCode(w.openid, { behaviour: 'insufficient' });
    const res = await codepay(authCode);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'NOT_ENOUGH' });
    w.sim.control.updateUser(w.openid, { balanceFen: 100 });
    const poor = await codepay(w.sim.control.paymentCode(w.openid).authCode, 101);
    expect(poor.json).toMatchObject({ code: 'NOT_ENOUGH' });
    w.sim.control.updateUser(w.openid, { balanceFen: null });
    const bad = await codepay('99');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/payer/auth_code' } });
  });

  it('closing a payment that waits for the password answers USERPAYING; a JSAPI order cannot be reversed', async () => {
    const { authCode } = w.sim.control.paymentCode(w.openid, { behaviour: 'password' });
    await codepay(authCode, 100, 'CODEPAYCL1');
    const close = await w.call('POST', '/v3/pay/transactions/out-trade-no/CODEPAYCL1/close', { mchid: w.mchid });
    expect(close.status).toBe(202);
    const jsapi = await w.pay.transactions_jsapi({ description: 'x', out_trade_no: 'JSAPINOTRV', notify_url: w.receiver.url, amount: { total: 1 }, payer: { openid: w.openid } });
    expect(jsapi.status).toBe(200);
    expect((await w.call('POST', '/v3/pay/transactions/out-trade-no/JSAPINOTRV/reverse', { appid: w.appid, mchid: w.mchid })).status).toBe(400);
  });

  it('spells USERPAYING the newer way when configured', async () => {
    const other = await merchantWorld({ userPayingCode: 'USER_PAYING' });
    try {
      const { authCode } = other.sim.control.paymentCode(other.openid, { behaviour: 'password' });
      const res = await other.call('POST', '/v3/pay/transactions/codepay', {
        appid: other.appid,
        mchid: other.mchid,
        description: 'x',
        out_trade_no: 'SPELLING01',
        payer: { auth_code: authCode },
        amount: { total: 1 },
        scene_info: { store_info: { out_id: 'SH001' } },
      });
      expect(res.json).toMatchObject({ code: 'USER_PAYING' });
    } finally {
      await other.close();
    }
  });
});
