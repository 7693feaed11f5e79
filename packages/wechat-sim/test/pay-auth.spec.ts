import { X509Certificate } from 'node:crypto';
import { buildAuthorization, generateMerchantCredentials, SIGNTEST_PREFIX, verifyWechatpaySignature } from '../src';
import { jsapiOrder, merchantWorld, type MerchantWorld } from './support/merchant';

describe('the WECHATPAY2-SHA256-RSA2048 signature of merchant requests', () => {
  let w: MerchantWorld;
  let platformKey: string;
  const path = () => `/v3/pay/transactions/out-trade-no/ANY000001?mchid=${w.mchid}`;
  const get = (authorization: string | null, extra: Record<string, string> = {}) =>
    fetch(w.sim.baseUrl + path(), { headers: { ...(authorization ? { Authorization: authorization } : {}), 'User-Agent': 'test', Accept: 'application/json', ...extra } });

  beforeAll(async () => {
    w = await merchantWorld();
    platformKey = new X509Certificate(w.sim.control.merchant().platformCertificates[0].certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });
  afterAll(() => w.close());

  it('accepts a correctly signed request (the order just does not exist) and signs the answer', async () => {
    const res = await get(buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: path() }));
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(verifyWechatpaySignature({ headers: res.headers, body: text, publicKey: platformKey })).toBe(true);
  });

  it('rejects a signature made with another key with 401 SIGN_ERROR, unsigned', async () => {
    const intruder = generateMerchantCredentials({ mchid: w.mchid });
    const res = await get(buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: intruder.privateKeyPem, method: 'GET', url: path() }));
    expect(res.status).toBe(401);
    const body = (await res.json()) as { code: string; detail: { sign_information: { url: string } } };
    expect(body.code).toBe('SIGN_ERROR');
    expect(body.detail.sign_information.url).toBe(path());
    expect(res.headers.get('wechatpay-signature')).toBeNull();
  });

  it('rejects a signature over another URL or body', async () => {
    const signedOther = buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: `/v3/pay/transactions/out-trade-no/OTHER0001?mchid=${w.mchid}` });
    expect((await get(signedOther)).status).toBe(401);
    const body = JSON.stringify(jsapiOrder(w, 'SIGBODY01', 100));
    const auth = buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'POST', url: '/v3/pay/transactions/jsapi', body });
    const res = await fetch(`${w.sim.baseUrl}/v3/pay/transactions/jsapi`, {
      method: 'POST',
      headers: { Authorization: auth, 'User-Agent': 'test', 'Content-Type': 'application/json' },
      body: body.replace('"total":100', '"total":1'),
    });
    expect(res.status).toBe(401);
  });

  it('rejects a timestamp more than 5 minutes away', async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    const res = await get(buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: path(), timestamp: stale }));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('SIGN_ERROR');
  });

  it('rejects an unknown certificate serial, an unknown merchant and a malformed header', async () => {
    const unknownSerial = await get(buildAuthorization({ mchid: w.mchid, serialNo: '1234ABCD', privateKey: w.creds.privateKeyPem, method: 'GET', url: path() }));
    expect(unknownSerial.status).toBe(400);
    expect(await unknownSerial.json()).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('证书序列号') });
    const unknownMch = await get(buildAuthorization({ mchid: '1999999999', serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: path() }));
    expect(unknownMch.status).toBe(400);
    expect(await unknownMch.json()).toMatchObject({ code: 'MCH_NOT_EXISTS' });
    for (const header of [null, 'Bearer x', 'WECHATPAY2-SHA256-RSA2048 mchid="1"']) {
      const res = await get(header);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
    }
    const noAgent = await fetch(w.sim.baseUrl + path(), { headers: { Authorization: 'x', 'User-Agent': '' } });
    expect(noAgent.status).toBe(400);
  });

  it('accepts the Authorization fields in any order and with spaces', async () => {
    const auth = buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: path() });
    const fields = auth.slice(auth.indexOf(' ') + 1).split(',');
    const reordered = `WECHATPAY2-SHA256-RSA2048 ${fields.reverse().join(', ')}`;
    expect((await get(reordered)).status).toBe(404);
  });

  it('signs the next answers wrongly when told (forged, WeChat probe, unknown serial, stale)', async () => {
    w.sim.control.tamperNextResponses({ tampers: ['forged', 'signtest', 'wrong_serial', 'stale'] });
    const auth = () => buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: path() });
    const answers: { headers: Headers; text: string }[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(auth());
      answers.push({ headers: res.headers, text: await res.text() });
    }
    const check = (i: number) => verifyWechatpaySignature({ headers: answers[i].headers, body: answers[i].text, publicKey: platformKey, maxAgeSeconds: 300 });
    expect(check(0)).toBe(false);
    expect(answers[1].headers.get('wechatpay-signature')!.startsWith(SIGNTEST_PREFIX)).toBe(true);
    expect(check(1)).toBe(false);
    expect(answers[2].headers.get('wechatpay-serial')).not.toBe(w.sim.control.merchant().platformCertificates[0].serialNo);
    expect(check(3)).toBe(false);
    expect(verifyWechatpaySignature({ headers: answers[3].headers, body: answers[3].text, publicKey: platformKey })).toBe(true);
    expect(check(4)).toBe(true);
  });
});
