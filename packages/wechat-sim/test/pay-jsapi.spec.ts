import { createDecipheriv, X509Certificate } from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import { decryptResource, verifyWechatpaySignature } from '../src';
import { jsapiOrder, merchantWorld, type MerchantWorld } from './support/merchant';

/** Decrypts AEAD_AES_256_GCM with node:crypto, checking the tag (final() throws on a wrong tag). */
function gcmDecrypt(resource: { ciphertext: string; associated_data: string; nonce: string }, key: string): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(resource.nonce));
  decipher.setAAD(Buffer.from(resource.associated_data));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}

describe('WeChat Pay JSAPI through wechatpay-node-v3', () => {
  let w: MerchantWorld;
  let platformPublicKey: string;

  beforeAll(async () => {
    w = await merchantWorld();
    // The library downloads the platform certificates and decrypts them with the APIv3 key.
    const certs = await w.pay.get_certificates(w.apiV3Key);
    expect(certs).toHaveLength(1);
    platformPublicKey = certs[0].publicKey as string;
    expect(certs[0].serial_no).toBe(w.sim.control.merchant().platformCertificates[0].serialNo);
  });
  afterAll(() => w.close());

  it('serves the platform certificate encrypted under the APIv3 key and signed with itself', () => {
    const res = w.http.last;
    const body = JSON.parse(res.text) as { data: { serial_no: string; encrypt_certificate: { ciphertext: string; associated_data: string; nonce: string } }[] };
    const pem = gcmDecrypt(body.data[0].encrypt_certificate, w.apiV3Key);
    const cert = new X509Certificate(pem);
    expect(cert.serialNumber.toUpperCase()).toBe(body.data[0].serial_no);
    expect(body.data[0].encrypt_certificate.associated_data).toBe('certificate');
    expect(res.headers.get('wechatpay-serial')).toBe(body.data[0].serial_no);
    expect(verifyWechatpaySignature({ headers: res.headers, body: res.text, publicKey: cert.publicKey, maxAgeSeconds: 300 })).toBe(true);
  });

  it('creates an order, the user pays on the pay sheet, and the merchant gets a signed, encrypted notification', async () => {
    const created = await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0001', 10000, { attach: 'member=42' }));
    expect(created.status).toBe(200);
    const prepay = JSON.parse(w.http.last.text) as { prepay_id: string };
    expect(prepay.prepay_id).toMatch(/^wx\d{14}[0-9a-f]{20}$/);
    // Every answer is signed with the platform key; the library's own check agrees.
    expect(verifyWechatpaySignature({ headers: w.http.last.headers, body: w.http.last.text, publicKey: platformPublicKey, maxAgeSeconds: 300 })).toBe(true);
    const h = w.http.last.headers;
    await expect(
      w.pay.verifySign({ timestamp: h.get('wechatpay-timestamp')!, nonce: h.get('wechatpay-nonce')!, body: w.http.last.text, serial: h.get('wechatpay-serial')!, signature: h.get('wechatpay-signature')!, apiSecret: w.apiV3Key }),
    ).resolves.toBe(true);

    // The library turns the prepay_id into requestPayment parameters; WeChat checks paySign before paying.
    const params = created.data as { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string };
    expect(params.package).toBe(`prepay_id=${prepay.prepay_id}`);
    const paid = await w.sim.control.requestPayment(params, 'pay');
    expect(paid.errMsg).toBe('requestPayment:ok');

    await w.receiver.waitFor(1);
    const n = w.receiver.received[0];
    const serial = n.headers['wechatpay-serial'] as string;
    expect(serial).toBe(h.get('wechatpay-serial'));
    expect(verifyWechatpaySignature({ headers: n.headers, body: n.body, publicKey: platformPublicKey, maxAgeSeconds: 300 })).toBe(true);
    const notice = JSON.parse(n.body) as { id: string; event_type: string; resource_type: string; summary: string; resource: { algorithm: string; original_type: string; ciphertext: string; associated_data: string; nonce: string } };
    expect(notice).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource_type: 'encrypt-resource', summary: '支付成功' });
    expect(notice.resource).toMatchObject({ algorithm: 'AEAD_AES_256_GCM', original_type: 'transaction', associated_data: 'transaction' });
    expect(notice.resource.nonce).toHaveLength(12);
    const tx = JSON.parse(gcmDecrypt(notice.resource, w.apiV3Key)) as Record<string, unknown>;
    expect(tx).toMatchObject({
      appid: w.appid,
      mchid: w.mchid,
      out_trade_no: 'TOPUP0001',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      attach: 'member=42',
      payer: { openid: w.openid },
      amount: { total: 10000, payer_total: 10000, currency: 'CNY', payer_currency: 'CNY' },
    });
    expect(tx.transaction_id).toMatch(/^4200\d{24}$/);
    expect(tx.success_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);

    // The query answers the same transaction.
    const q = await w.pay.query({ out_trade_no: 'TOPUP0001' });
    expect(q.status).toBe(200);
    expect(q.data).toMatchObject({ trade_state: 'SUCCESS', transaction_id: tx.transaction_id, trade_state_desc: '支付成功' });
    const byId = await w.call('GET', `/v3/pay/transactions/id/${String(tx.transaction_id)}?mchid=${w.mchid}`);
    expect(byId.json).toMatchObject({ out_trade_no: 'TOPUP0001' });
  });

  it('answers an unpaid order as NOTPAY and closes it with 204; a closed order cannot be paid', async () => {
    await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0002', 500));
    const q = await w.pay.query({ out_trade_no: 'TOPUP0002' });
    expect(q.data).toMatchObject({ trade_state: 'NOTPAY', trade_state_desc: '订单未支付', amount: { total: 500 } });
    expect((q.data as Record<string, unknown>).transaction_id).toBeUndefined();
    const closed = await w.pay.close('TOPUP0002');
    expect(closed.status).toBe(204);
    expect(w.http.last.text).toBe('');
    expect(verifyWechatpaySignature({ headers: w.http.last.headers, body: '', publicKey: platformPublicKey })).toBe(true);
    expect((await w.pay.query({ out_trade_no: 'TOPUP0002' })).data).toMatchObject({ trade_state: 'CLOSED' });
    await expect(w.sim.control.pay('TOPUP0002')).rejects.toThrow(/CLOSED/);
    const again = await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0002', 500));
    expect(again.status).toBe(400);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'ORDER_CLOSED' });
  });

  it('refuses to close a paid order and to place it again', async () => {
    const closed = await w.pay.close('TOPUP0001');
    expect(closed.status).toBe(400);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'ORDERPAID' });
    const again = await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0001', 10000, { attach: 'member=42' }));
    expect(again.status).toBe(403);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'ORDERPAID' });
  });

  it('gives the same prepay_id for a repeated order and refuses a different one under the same out_trade_no', async () => {
    await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0003', 300));
    const first = JSON.parse(w.http.last.text) as { prepay_id: string };
    await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0003', 300));
    expect(JSON.parse(w.http.last.text)).toEqual(first);
    const other = await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0003', 301));
    expect(other.status).toBe(403);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'OUT_TRADE_NO_USED' });
  });

  it('answers unknown orders with 404 ORDER_NOT_EXIST and bad input with 400 PARAM_ERROR naming the field', async () => {
    const q = await w.pay.query({ out_trade_no: 'NOSUCHORDER' });
    expect(q.status).toBe(404);
    expect(JSON.parse(w.http.last.text)).toEqual({ code: 'ORDER_NOT_EXIST', message: '订单不存在' });
    const bad = await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0004', 0));
    expect(bad.status).toBe(400);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/amount/total', location: 'body' } });
    const shortNo = await w.pay.transactions_jsapi(jsapiOrder(w, 'T1', 100));
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'PARAM_ERROR', detail: { field: '/out_trade_no' } });
    expect(shortNo.status).toBe(400);
    const stranger = await w.pay.transactions_jsapi({ ...jsapiOrder(w, 'TOPUP0005', 100), payer: { openid: 'oNOBODYxxxxxxxxxxxxxxxxxxxxx' } });
    expect(stranger.status).toBe(400);
    const otherApp = await w.pay.transactions_jsapi({ ...jsapiOrder(w, 'TOPUP0006', 100), appid: 'wx0000000000000000' });
    expect(otherApp.status).toBe(400);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'APPID_MCHID_NOT_MATCH' });
  });

  it('refuses requestPayment parameters whose paySign the merchant did not make', async () => {
    await w.pay.transactions_jsapi(jsapiOrder(w, 'TOPUP0007', 100));
    const { prepay_id } = JSON.parse(w.http.last.text) as { prepay_id: string };
    const forged = { appId: w.appid, timeStamp: '1700000000', nonceStr: 'abc', package: `prepay_id=${prepay_id}`, signType: 'RSA', paySign: Buffer.alloc(256, 1).toString('base64') };
    await expect(w.sim.control.requestPayment(forged)).rejects.toThrow('支付验证签名失败');
    expect(w.sim.control.order('TOPUP0007').state).toBe('NOTPAY');
    // Cancelling on the pay sheet leaves the order payable.
    w.sim.control.cancelByPrepayId(prepay_id);
    expect(w.sim.control.order('TOPUP0007').state).toBe('NOTPAY');
  });

  it('works against the decryption helpers too: decryptResource checks the GCM tag', () => {
    const n = w.receiver.received[0];
    const notice = JSON.parse(n.body) as { resource: { ciphertext: string; associated_data: string; nonce: string } };
    expect(JSON.parse(decryptResource(notice.resource, w.apiV3Key))).toMatchObject({ out_trade_no: 'TOPUP0001' });
    expect(() => decryptResource({ ...notice.resource, associated_data: 'refund' }, w.apiV3Key)).toThrow();
  });
});

describe('WeChat Pay in public-key mode', () => {
  let w: MerchantWorld;
  beforeAll(async () => {
    w = await merchantWorld({ platformMode: 'public_key' });
  });
  afterAll(() => w.close());

  it('signs answers and notifications with the WeChat Pay public key, Wechatpay-Serial PUB_KEY_ID_…', async () => {
    const { platformPublicKey } = w.sim.control.merchant();
    expect(platformPublicKey.id).toMatch(/^PUB_KEY_ID_01\d+$/);
    await w.pay.transactions_jsapi(jsapiOrder(w, 'PK000001', 888));
    const res = w.http.last;
    expect(res.headers.get('wechatpay-serial')).toBe(platformPublicKey.id);
    expect(verifyWechatpaySignature({ headers: res.headers, body: res.text, publicKey: platformPublicKey.publicKeyPem, maxAgeSeconds: 300 })).toBe(true);
    await w.sim.control.pay('PK000001');
    await w.receiver.waitFor(1);
    const n = w.receiver.received[0];
    expect(n.headers['wechatpay-serial']).toBe(platformPublicKey.id);
    expect(verifyWechatpaySignature({ headers: n.headers, body: n.body, publicKey: platformPublicKey.publicKeyPem })).toBe(true);
    // The certificate key no longer verifies.
    const certKey = new X509Certificate(w.sim.control.merchant().platformCertificates[0].certificatePem).publicKey;
    expect(verifyWechatpaySignature({ headers: n.headers, body: n.body, publicKey: certKey })).toBe(false);
  });

  it('switches back to certificate mode and rotates the platform certificate', async () => {
    const m = w.sim.control.setPlatform({ mode: 'certificate', rotateCertificate: true });
    expect(m.platformCertificates).toHaveLength(2);
    const certs = await w.pay.get_certificates(w.apiV3Key);
    expect(certs.map((c) => c.serial_no)).toEqual(m.platformCertificates.map((c) => c.serialNo));
    expect(w.http.last.headers.get('wechatpay-serial')).toBe(m.platformCertificates[1].serialNo);
  });
});

describe('the library quirk the API must close', () => {
  it("wechatpay-node-v3's decipher_gcm does not check the GCM tag", async () => {
    const w = await merchantWorld();
    try {
      await w.pay.transactions_jsapi(jsapiOrder(w, 'QUIRK0001', 100));
      await w.sim.control.pay('QUIRK0001', { variant: 'tampered', awaitDelivery: true });
      const resource = (JSON.parse(w.receiver.received[0].body) as { resource: { ciphertext: string; associated_data: string; nonce: string } }).resource;
      expect(() => gcmDecrypt(resource, w.apiV3Key)).toThrow();
      // The library hands back whatever the altered bytes decrypt to instead of failing.
      expect(() => (w.pay as unknown as WxPay).decipher_gcm(resource.ciphertext, resource.associated_data, resource.nonce, w.apiV3Key)).not.toThrow();
    } finally {
      await w.close();
    }
  });
});
