// The trade bill (交易账单) a merchant reconciles against: apply for a day's bill, then download
// the file from download_url (a signed GET whose answer is NOT signed; the merchant checks the
// SHA1 hash_value instead).
//   https://pay.weixin.qq.com/docs/merchant/apis/bill-download/trade-bill/get-trade-bill.html
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Sim } from '../sim';
import type { Merchant } from '../state';
import { beijingDate, beijingDayRange, billTime } from '../time';
import { paramError, PayError } from './pay-error';

type Json = Record<string, unknown>;

export const TRADE_BILL_HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
export const TRADE_BILL_SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

const yuan = (fen: number) => (fen < 0 ? '-' : '') + (Math.abs(fen) / 100).toFixed(2);
const feeYuan = (fen: number) => (fen < 0 ? '-' : '') + (Math.abs(fen) / 100).toFixed(5);
/** WeChat rounds the fee half up to the fen (四舍五入). */
const feeFen = (amountFen: number, bps: number) => Math.floor((amountFen * bps + 5000) / 10000);
const rate = (bps: number) => `${(bps / 100).toFixed(2)}%`;
/** Every field is prefixed with a backquote so spreadsheets keep long numbers as text; commas inside free text would split columns, so they become full-width. */
const field = (v: string) => '`' + v.replace(/,/g, '，').replace(/[\r\n]+/g, ' ');

interface Row {
  at: number;
  cells: string[];
  settlementFen: number;
  refundFen: number;
  feeFen: number;
  orderFen: number;
  appliedRefundFen: number;
}

export function tradeBillCsv(sim: Sim, merchant: Merchant, date: string, billType: 'ALL' | 'SUCCESS' | 'REFUND'): { csv: string; rows: number } {
  const [from, to] = beijingDayRange(date)!;
  const rows: Row[] = [];
  const bps = merchant.feeRateBps;
  if (billType !== 'REFUND') {
    for (const o of Object.values(sim.state.orders)) {
      if (o.mchid !== merchant.mchid || o.successAt === null || o.successAt < from || o.successAt >= to) continue;
      const fee = feeFen(o.totalFen, bps);
      const deviceId = (o.sceneInfo as { device_id?: unknown } | null)?.device_id;
      rows.push({
        at: o.successAt,
        settlementFen: o.totalFen,
        refundFen: 0,
        feeFen: fee,
        orderFen: o.totalFen,
        appliedRefundFen: 0,
        cells: [
          billTime(o.successAt), o.appid, o.mchid, '0', typeof deviceId === 'string' ? deviceId : '', o.transactionId!, o.outTradeNo, o.payerOpenid ?? '',
          o.tradeType, 'SUCCESS', o.bankType ?? 'OTHERS', 'CNY', yuan(o.totalFen), '0.00', '0', '0', '0.00', '0.00', '', '', o.description, o.attach ?? '',
          feeYuan(fee), rate(bps), yuan(o.totalFen), '0.00', '',
        ],
      });
    }
  }
  if (billType !== 'SUCCESS') {
    for (const r of Object.values(sim.state.refunds)) {
      if (r.mchid !== merchant.mchid || r.status !== 'SUCCESS' || r.successAt === null || r.successAt < from || r.successAt >= to) continue;
      const o = sim.state.orders[`${r.mchid}:${r.outTradeNo}`];
      const fee = -feeFen(r.refundFen, bps);
      const deviceId = (o?.sceneInfo as { device_id?: unknown } | null)?.device_id;
      // Refund rows carry the refund in the refund columns and 0.00 as order amounts, so that the
      // summary's totals add up row by row.
      rows.push({
        at: r.successAt,
        settlementFen: 0,
        refundFen: r.refundFen,
        feeFen: fee,
        orderFen: 0,
        appliedRefundFen: r.refundFen,
        cells: [
          billTime(r.successAt), o?.appid ?? '', r.mchid, '0', typeof deviceId === 'string' ? deviceId : '', r.transactionId, r.outTradeNo, o?.payerOpenid ?? '',
          o?.tradeType ?? 'JSAPI', r.kind === 'revoke' ? 'REVOKED' : 'REFUND', o?.bankType ?? 'OTHERS', 'CNY', '0.00', '0.00', r.refundId, r.outRefundNo,
          yuan(r.refundFen), '0.00', 'ORIGINAL', 'SUCCESS', o?.description ?? '', o?.attach ?? '', feeYuan(fee), rate(bps), '0.00', yuan(r.refundFen), '',
        ],
      });
    }
  }
  rows.sort((a, b) => a.at - b.at);
  const sum = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0);
  const lines = [
    TRADE_BILL_HEADER,
    ...rows.map((r) => r.cells.map(field).join(',')),
    TRADE_BILL_SUMMARY_HEADER,
    [
      String(rows.length),
      yuan(sum((r) => r.settlementFen)),
      yuan(sum((r) => r.refundFen)),
      '0.00',
      feeYuan(sum((r) => r.feeFen)),
      yuan(sum((r) => r.orderFen)),
      yuan(sum((r) => r.appliedRefundFen)),
    ]
      .map(field)
      .join(','),
  ];
  return { csv: lines.join('\r\n') + '\r\n', rows: rows.length };
}

/** GET /v3/bill/tradebill?bill_date=YYYY-MM-DD[&bill_type=ALL|SUCCESS|REFUND][&tar_type=GZIP] */
export function applyTradeBill(sim: Sim, merchant: Merchant, query: URLSearchParams): Json {
  const date = query.get('bill_date');
  if (!date) throw paramError('/bill_date', null, '字段不能为空', 'query');
  if (!beijingDayRange(date)) throw paramError('/bill_date', date, '格式应为YYYY-MM-DD', 'query');
  const billType = query.get('bill_type') ?? 'ALL';
  if (billType !== 'ALL' && billType !== 'SUCCESS' && billType !== 'REFUND') throw paramError('/bill_type', billType, '仅支持ALL、SUCCESS、REFUND', 'query');
  const tarType = query.get('tar_type');
  if (tarType !== null && tarType !== 'GZIP') throw paramError('/tar_type', tarType, '仅支持GZIP', 'query');
  const today = beijingDate(sim.now());
  if (date > today || (date === today && !sim.opts.allowTodayBill)) throw new PayError(400, 'INVALID_REQUEST', '账单日期须早于今天，当日账单次日10点后可下载');
  const [from] = beijingDayRange(date)!;
  if (sim.now() - from > 92 * 24 * 3600 * 1000) throw new PayError(400, 'INVALID_REQUEST', '仅支持下载三个月内的账单');
  const { csv, rows } = tradeBillCsv(sim, merchant, date, billType);
  if (rows === 0) throw new PayError(400, 'NO_STATEMENT_EXIST', '要下载的账单不存在');
  const bytes = tarType === 'GZIP' ? gzipSync(Buffer.from(csv, 'utf8')) : Buffer.from(csv, 'utf8');
  const token = sim.ids.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40);
  sim.state.bills[token] = {
    token,
    mchid: merchant.mchid,
    base64: bytes.toString('base64'),
    contentType: tarType === 'GZIP' ? 'application/x-gzip' : 'text/plain; charset=utf-8',
    expiresAt: sim.now() + sim.opts.billUrlTtlSeconds * 1000,
  };
  sim.changed();
  return {
    hash_type: 'SHA1',
    hash_value: createHash('sha1').update(bytes).digest('hex'),
    download_url: `${sim.opts.billDownloadBaseUrl}/v3/billdownload/file?token=${token}`,
  };
}

/** GET /v3/billdownload/file?token= */
export function downloadBillFile(sim: Sim, merchant: Merchant, query: URLSearchParams): { contentType: string; bytes: Buffer } {
  const token = query.get('token');
  const bill = token ? sim.state.bills[token] : undefined;
  if (!bill || bill.mchid !== merchant.mchid) throw new PayError(404, 'RESOURCE_NOT_EXISTS', '账单文件不存在');
  if (bill.expiresAt <= sim.now()) throw new PayError(400, 'INVALID_REQUEST', '下载地址已过期，请重新申请账单');
  return { contentType: bill.contentType, bytes: Buffer.from(bill.base64, 'base64') };
}
