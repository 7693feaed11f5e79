import { X509Certificate } from 'node:crypto';
import { decryptResource, verifyWechatpaySignature } from '../src';
import { jsapiOrder, merchantWorld, type MerchantWorld } from './support/merchant';

describe('refunds', () => {
  let w: MerchantWorld;
  let platformKey: string;
  let seq = 0;
  const paidOrder = async (total: number) => {
    const no = `REFUNDORD${++seq}`;
    await w.pay.transactions_jsapi(jsapiOrder(w, no, total));
    await w.sim.control.pay(no, { awaitDelivery: true });
    return no;
  };
  const refund = (outTradeNo: string, outRefundNo: string, refundFen: number, totalFen: number) =>
    w.pay.refunds({ out_trade_no: outTradeNo, out_refund_no: outRefundNo, reason: '顾客退货', notify_url: w.receiver.url, amount: { refund: refundFen, total: totalFen, currency: 'CNY' } });
  const lastJson = () => JSON.parse(w.http.last.text) as Record<string, unknown>;

  beforeAll(async () => {
    w = await merchantWorld();
    platformKey = new X509Certificate(w.sim.control.merchant().platformCertificates[0].certificatePem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });
  afterAll(() => w.close());

  it('refunds part of a payment: PROCESSING, then SUCCESS with a REFUND.SUCCESS notification', async () => {
    const no = await paidOrder(1000);
    const before = w.receiver.received.length;
    const res = await refund(no, `${no}-R1`, 300, 1000);
    expect(res.status).toBe(200);
    const created = lastJson();
    expect(created).toMatchObject({ out_refund_no: `${no}-R1`, out_trade_no: no, status: 'PROCESSING', channel: 'ORIGINAL', amount: { refund: 300, total: 1000, currency: 'CNY' } });
    expect(created.refund_id).toMatch(/^50\d{27}$/);
    expect(verifyWechatpaySignature({ headers: w.http.last.headers, body: w.http.last.text, publicKey: platformKey })).toBe(true);

    await w.receiver.waitFor(before + 1);
    const n = w.receiver.received[before];
    expect(verifyWechatpaySignature({ headers: n.headers, body: n.body, publicKey: platformKey, maxAgeSeconds: 300 })).toBe(true);
    const notice = JSON.parse(n.body) as { event_type: string; summary: string; resource: { original_type: string; associated_data: string; ciphertext: string; nonce: string } };
    expect(notice).toMatchObject({ event_type: 'REFUND.SUCCESS', summary: '退款成功', resource: { original_type: 'refund', associated_data: 'refund' } });
    expect(JSON.parse(decryptResource(notice.resource, w.apiV3Key))).toMatchObject({
      mchid: w.mchid,
      out_trade_no: no,
      out_refund_no: `${no}-R1`,
      refund_status: 'SUCCESS',
      amount: { total: 1000, refund: 300, payer_total: 1000, payer_refund: 300 },
    });

    const found = await w.pay.find_refunds(`${no}-R1`);
    expect(found.status).toBe(200);
    expect(lastJson()).toMatchObject({ status: 'SUCCESS', success_time: expect.stringMatching(/\+08:00$/) });
    expect((await w.pay.query({ out_trade_no: no })).data).toMatchObject({ trade_state: 'REFUND' });
  });

  it('answers a repeated refund request with the same refund and refuses more than is left', async () => {
    const no = await paidOrder(500);
    await refund(no, `${no}-R1`, 400, 500);
    const first = lastJson();
    await refund(no, `${no}-R1`, 400, 500);
    expect(lastJson().refund_id).toBe(first.refund_id);
    const tooMuch = await refund(no, `${no}-R2`, 101, 500);
    expect(tooMuch.status).toBe(400);
    expect(lastJson()).toMatchObject({ code: 'INVALID_REQUEST' });
    const wrongTotal = await refund(no, `${no}-R3`, 50, 400);
    expect(wrongTotal.status).toBe(400);
    expect(lastJson()).toMatchObject({ code: 'PARAM_ERROR' });
    expect((await refund(no, `${no}-R4`, 100, 500)).status).toBe(200);
    await w.sim.control.settled();
    const full = await refund(no, `${no}-R5`, 1, 500);
    expect(full.status).toBe(400);
    expect(lastJson()).toMatchObject({ code: 'INVALID_REQUEST', message: '订单已全额退款' });
  });

  it('refuses refunds of unknown or unpaid orders and unknown refund queries', async () => {
    expect((await refund('NOSUCHORDER', 'R-NONE', 1, 1)).status).toBe(404);
    expect(lastJson()).toMatchObject({ code: 'RESOURCE_NOT_EXISTS' });
    await w.pay.transactions_jsapi(jsapiOrder(w, 'UNPAIDORDER1', 100));
    expect((await refund('UNPAIDORDER1', 'R-UNPAID', 1, 100)).status).toBe(400);
    expect((await w.pay.find_refunds('NOSUCHREFUND')).status).toBe(404);
  });

  it('refuses with 403 NOT_ENOUGH when the merchant balance cannot cover the refund', async () => {
    const no = await paidOrder(800);
    w.sim.control.setMerchantBalance({ balanceFen: 100 });
    try {
      expect((await refund(no, `${no}-R1`, 200, 800)).status).toBe(403);
      expect(lastJson()).toMatchObject({ code: 'NOT_ENOUGH' });
    } finally {
      w.sim.control.setMerchantBalance({ balanceFen: null });
    }
  });

  it('ends a refund ABNORMAL when told, and the merchant can send it elsewhere', async () => {
    const no = await paidOrder(600);
    w.sim.control.queueRefundOutcomes({ outcomes: ['ABNORMAL'] });
    const before = w.receiver.received.length;
    await refund(no, `${no}-R1`, 600, 600);
    const { refund_id } = lastJson() as { refund_id: string };
    await w.receiver.waitFor(before + 1);
    const notice = JSON.parse(w.receiver.received[before].body) as { event_type: string; resource: { ciphertext: string; associated_data: string; nonce: string } };
    expect(notice.event_type).toBe('REFUND.ABNORMAL');
    expect(JSON.parse(decryptResource(notice.resource, w.apiV3Key))).toMatchObject({ refund_status: 'ABNORMAL' });
    await w.pay.find_refunds(`${no}-R1`);
    expect(lastJson()).toMatchObject({ status: 'ABNORMAL' });
    const retry = await w.call('POST', `/v3/refund/domestic/refunds/${refund_id}/apply-abnormal-refund`, { out_refund_no: `${no}-R1`, type: 'USER_BANK_CARD' });
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ status: 'PROCESSING' });
    await w.receiver.waitFor(before + 2);
    expect(JSON.parse(decryptResource((JSON.parse(w.receiver.received[before + 1].body) as typeof notice).resource, w.apiV3Key))).toMatchObject({ refund_status: 'SUCCESS' });
  });

  it('keeps a refund PROCESSING until completed by the control API; a CLOSED refund gives the amount back', async () => {
    const no = await paidOrder(700);
    w.sim.control.queueRefundOutcomes({ outcomes: ['PROCESSING'] });
    await refund(no, `${no}-R1`, 700, 700);
    await new Promise((r) => setTimeout(r, 80));
    expect(w.sim.control.refunds({ outTradeNo: no })[0].status).toBe('PROCESSING');
    await w.sim.control.completeRefund(`${no}-R1`, { status: 'CLOSED', awaitDelivery: true });
    expect(w.sim.control.order(no)).toMatchObject({ state: 'SUCCESS', refundedFen: 0 });
    expect((await refund(no, `${no}-R2`, 700, 700)).status).toBe(200);
  });
});
