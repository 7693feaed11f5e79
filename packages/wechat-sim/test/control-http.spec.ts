import { signPayParams } from '../src';
import { jsapiOrder, merchantWorld, type MerchantWorld } from './support/merchant';

describe('the control API over HTTP and the pay sheet', () => {
  let w: MerchantWorld;
  const control = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${w.sim.baseUrl}/__control${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> & Record<string, unknown>[] };
  };
  const prepay = async (no: string, total = 100) => {
    await w.pay.transactions_jsapi(jsapiOrder(w, no, total));
    return (JSON.parse(w.http.last.text) as { prepay_id: string }).prepay_id;
  };

  beforeAll(async () => {
    w = await merchantWorld();
  });
  afterAll(() => w.close());

  it('shows the pay sheet with merchant, description and amount; 支付 pays the order', async () => {
    const prepayId = await prepay('SHEET00001', 12345);
    const page = await fetch(`${w.sim.baseUrl}/pay-sheet?prepay_id=${prepayId}&redirect=${encodeURIComponent('http://localhost:10086/#/pages/topup/result')}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('测试连锁');
    expect(html).toContain('ChainCard 储值充值');
    expect(html).toContain('123.45');
    expect(html).toContain('>支付</button>');
    expect(html).toContain('>取消</button>');
    // What the page's 支付 button does.
    const paid = await control('POST', `/prepay/${prepayId}/pay`, {});
    expect(paid.status).toBe(200);
    expect(paid.json).toMatchObject({ state: 'SUCCESS', outTradeNo: 'SHEET00001' });
    expect(await (await fetch(`${w.sim.baseUrl}/pay-sheet?prepay_id=${prepayId}`)).text()).toContain('该订单已支付');
    await w.receiver.waitFor(1);
  });

  it('checks requestPayment parameters on the pay sheet like WeChat', async () => {
    const prepayId = await prepay('SHEET00002');
    const params = signPayParams({ appId: w.appid, prepayId, privateKey: w.creds.privateKeyPem });
    const good = await (await fetch(`${w.sim.baseUrl}/pay-sheet?${new URLSearchParams(params).toString()}`)).text();
    expect(good).toContain('>支付</button>');
    const bad = await (await fetch(`${w.sim.baseUrl}/pay-sheet?${new URLSearchParams({ ...params, paySign: params.paySign.slice(4) }).toString()}`)).text();
    expect(bad).toContain('支付验证签名失败');
    const cancelled = await control('POST', '/request-payment', { ...params, action: 'cancel' });
    expect(cancelled.json).toMatchObject({ errMsg: 'requestPayment:fail cancel', order: { state: 'NOTPAY' } });
    const paid = await control('POST', '/request-payment', params);
    expect(paid.json).toMatchObject({ errMsg: 'requestPayment:ok', order: { state: 'SUCCESS' } });
    expect((await control('POST', '/request-payment', params)).status).toBe(409);
  });

  it('answers CORS preflights so the H5 app can call it', async () => {
    const res = await fetch(`${w.sim.baseUrl}/__control/wx-login`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:10086', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('drives users, consents, payment codes, orders and notifications', async () => {
    const login = await control('POST', '/wx-login', { appid: w.appid, phone: '13600000000' });
    expect(login.json).toMatchObject({ code: expect.any(String), openid: expect.stringMatching(/^o/), appid: w.appid });
    const openid = login.json.openid as string;
    const sub = await control('POST', `/users/${openid}/subscriptions`, { templateIds: ['TPL_BALANCE_CHANGE_000000000000000000000001'], result: 'accept' });
    expect(sub.json).toEqual({ errMsg: 'requestSubscribeMessage:ok', TPL_BALANCE_CHANGE_000000000000000000000001: 'accept' });
    expect((await control('POST', `/users/${openid}/phone-code`, {})).json).toMatchObject({ phone: '13600000000' });
    const code = await control('POST', `/users/${openid}/payment-code`, { behaviour: 'password' });
    expect(code.json.authCode).toMatch(/^13\d{16}$/);
    const orders = await control('GET', '/orders?state=SUCCESS');
    expect((orders.json as unknown as { outTradeNo: string }[]).map((o) => o.outTradeNo)).toEqual(expect.arrayContaining(['SHEET00001', 'SHEET00002']));
    const notes = await control('GET', '/notifications?ref=SHEET00001');
    expect(notes.json[0]).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', state: 'delivered' });
    expect((await control('POST', '/orders/NOPE/pay', {})).status).toBe(404);
    expect((await control('POST', '/users/nobody/phone-code', {})).status).toBe(404);
    expect((await control('POST', '/merchants', { mchid: '1' })).status).toBe(400);
    expect((await control('POST', '/merchants', { mchid: '1', appids: [], apiV3Key: 'short', certificatePem: w.creds.certificatePem })).json).toEqual({ error: 'apiV3Key must be 32 bytes' });
    const fresh = await prepay('SHEET00003');
    expect((await control('GET', `/prepay/${fresh}`)).json).toMatchObject({ merchantName: '测试连锁', totalFen: 100, state: 'NOTPAY' });
    expect((await control('POST', '/orders/SHEET00003/pay', { at: '2026-11-20T10:00:00+08:00' })).json).toMatchObject({ state: 'SUCCESS', successAt: Date.parse('2026-11-20T10:00:00+08:00') });
  });
});
