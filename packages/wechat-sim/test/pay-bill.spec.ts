import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { buildAuthorization, TRADE_BILL_HEADER, TRADE_BILL_SUMMARY_HEADER } from '../src';
import { jsapiOrder, merchantWorld, type MerchantWorld } from './support/merchant';

const beijingDate = (ms: number) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10);

describe('trade bills for reconciliation', () => {
  let w: MerchantWorld;
  const today = beijingDate(Date.now());
  const yesterday = beijingDate(Date.now() - 24 * 3600 * 1000);

  beforeAll(async () => {
    w = await merchantWorld({ allowTodayBill: true });
    await w.pay.transactions_jsapi(jsapiOrder(w, 'BILLTODAY1', 10000, { attach: 'member=1' }));
    await w.sim.control.pay('BILLTODAY1', { awaitDelivery: true });
    await w.pay.transactions_jsapi(jsapiOrder(w, 'BILLTODAY2', 2345, { description: '洗车, 套餐' }));
    await w.sim.control.pay('BILLTODAY2', { awaitDelivery: true });
    await w.pay.refunds({ out_trade_no: 'BILLTODAY1', out_refund_no: 'BILLTODAY1-R1', amount: { refund: 3000, total: 10000, currency: 'CNY' } });
    await w.pay.transactions_jsapi(jsapiOrder(w, 'BILLYEST01', 500));
    // A payment put on yesterday's bill.
    await w.sim.control.pay('BILLYEST01', { at: Date.parse(`${yesterday}T12:00:00+08:00`), awaitDelivery: true });
    await w.sim.control.settled();
  });
  afterAll(() => w.close());

  async function download(date: string, tarType?: 'GZIP') {
    const applied = await w.pay.tradebill({ bill_date: date, bill_type: 'ALL', ...(tarType ? { tar_type: tarType } : {}) });
    expect(applied.status).toBe(200);
    const { download_url, hash_type, hash_value } = applied.data as { download_url: string; hash_type: string; hash_value: string };
    expect(hash_type).toBe('SHA1');
    // download_url is on WeChat's host, as WeChat answers; the injected client sends it to the simulator.
    expect(download_url.startsWith('https://api.mch.weixin.qq.com/v3/billdownload/file?token=')).toBe(true);
    const file = await w.pay.downloadBill(download_url);
    expect(file.status).toBe(200);
    // The bill file is the one answer WeChat does not sign: the merchant checks its hash instead.
    const res = w.http.last;
    expect(res.headers.get('wechatpay-signature')).toBeNull();
    return { res, hash_value };
  }

  it("lists today's payments and refunds in WeChat's CSV format with a summary", async () => {
    const { res, hash_value } = await download(today);
    expect(createHash('sha1').update(res.text, 'utf8').digest('hex')).toBe(hash_value);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe(TRADE_BILL_HEADER);
    expect(lines[lines.length - 2]).toBe(TRADE_BILL_SUMMARY_HEADER);
    const rows = lines.slice(1, -2).map((l) => l.split(',').map((c) => c.replace(/^`/, '')));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.length === 27)).toBe(true);
    const byNo = (no: string, state: string) => rows.find((r) => r[6] === no && r[9] === state)!;
    const paid = byNo('BILLTODAY1', 'SUCCESS');
    expect(paid[1]).toBe(w.appid);
    expect(paid[2]).toBe(w.mchid);
    expect(paid[7]).toBe(w.openid);
    expect(paid[8]).toBe('JSAPI');
    expect(paid[12]).toBe('100.00');
    expect(paid[21]).toBe('member=1');
    expect(paid[22]).toBe('0.60000');
    expect(paid[23]).toBe('0.60%');
    expect(byNo('BILLTODAY2', 'SUCCESS')[20]).toBe('洗车， 套餐');
    const refund = byNo('BILLTODAY1', 'REFUND');
    expect(refund[15]).toBe('BILLTODAY1-R1');
    expect(refund[16]).toBe('30.00');
    expect(refund[19]).toBe('SUCCESS');
    expect(refund[22]).toBe('-0.18000');
    const summary = lines[lines.length - 1].split(',').map((c) => c.replace(/^`/, ''));
    expect(summary).toEqual(['3', '123.45', '30.00', '0.00', '0.56000', '123.45', '30.00']);
  });

  it("serves yesterday's bill gzipped", async () => {
    const applied = await w.pay.tradebill({ bill_date: yesterday, tar_type: 'GZIP', bill_type: 'ALL' });
    const { download_url, hash_value } = applied.data as { download_url: string; hash_value: string };
    const token = new URL(download_url).search;
    const signed = await fetch(`${w.sim.baseUrl}/v3/billdownload/file${token}`, {
      headers: {
        'User-Agent': 'x',
        Authorization: buildAuthorization({ mchid: w.mchid, serialNo: w.creds.serialNo, privateKey: w.creds.privateKeyPem, method: 'GET', url: `/v3/billdownload/file${token}` }),
      },
    });
    expect(signed.status).toBe(200);
    expect(signed.headers.get('content-type')).toBe('application/x-gzip');
    const bytes = Buffer.from(await signed.arrayBuffer());
    expect(createHash('sha1').update(bytes).digest('hex')).toBe(hash_value);
    const csv = gunzipSync(bytes).toString('utf8');
    expect(csv).toContain('`BILLYEST01');
    expect(csv).not.toContain('BILLTODAY1');
  });

  it('refuses a day without transactions, a malformed date, and the download without a signature', async () => {
    expect((await w.pay.tradebill({ bill_date: beijingDate(Date.now() - 5 * 24 * 3600 * 1000), bill_type: 'ALL' })).status).toBe(400);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'NO_STATEMENT_EXIST' });
    expect((await w.pay.tradebill({ bill_date: '2026/11/01', bill_type: 'ALL' })).status).toBe(400);
    expect(JSON.parse(w.http.last.text)).toMatchObject({ code: 'PARAM_ERROR' });
    const applied = await w.pay.tradebill({ bill_date: today, bill_type: 'ALL' });
    const { download_url } = applied.data as { download_url: string };
    const res = await fetch(w.sim.baseUrl + new URL(download_url).pathname + new URL(download_url).search, { headers: { 'User-Agent': 'x' } });
    expect(res.status).toBe(401);
  });

  it("refuses today's bill like WeChat unless told otherwise", async () => {
    const strict = await merchantWorld();
    try {
      expect((await strict.pay.tradebill({ bill_date: today, bill_type: 'ALL' })).status).toBe(400);
      expect(JSON.parse(strict.http.last.text)).toMatchObject({ code: 'INVALID_REQUEST' });
    } finally {
      await strict.close();
    }
  });
});
