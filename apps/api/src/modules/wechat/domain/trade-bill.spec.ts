import fc from 'fast-check';
import { reconcile, type ReconcileEntry } from './reconcile';
import { parseTradeBill, TradeBillFormatError, yuanToFen } from './trade-bill';
import { canonicalPayCode, canonicalTradeState } from './pay-errors';
import { buildScene, isWechatAuthCode, newMerchantNumber, parseScene, sceneFits } from './numbers';

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const row = (cells: string[]) => cells.map((c) => '`' + c).join(',');

describe('trade bill', () => {
  it('reads payments and refunds in fen from the backquoted CSV', () => {
    const csv = [
      HEADER,
      row(['2026-11-22 10:00:00', 'wx1', '1900000109', '0', '', '4200001', 'T1', 'o1', 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '100.00', '0.00', '0', '0', '0.00', '0.00', '', '', '充值', '', '0.60000', '0.60%', '100.00', '0.00', '']),
      row(['2026-11-22 11:00:00', 'wx1', '1900000109', '0', '', '4200001', 'T1', 'o1', 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', '5030001', 'R1', '30.05', '0.00', 'ORIGINAL', 'SUCCESS', '充值', '', '-0.18000', '0.60%', '0.00', '30.05', '']),
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
      row(['2', '100.00', '30.05', '0.00', '0.42000', '100.00', '30.05']),
    ].join('\r\n');
    expect(parseTradeBill(csv)).toEqual([
      expect.objectContaining({ kind: 'payment', outTradeNo: 'T1', transactionId: '4200001', amountFen: 10000, feeFen: 60 }),
      expect.objectContaining({ kind: 'refund', outTradeNo: 'T1', outRefundNo: 'R1', refundId: '5030001', amountFen: 3005, feeFen: -18 }),
    ]);
  });

  it('refuses a bill whose summary does not count its rows (a truncated download)', () => {
    const csv = [HEADER, '总交易单数,应结订单总金额', row(['1', '0.00'])].join('\n');
    expect(() => parseTradeBill(csv)).toThrow(TradeBillFormatError);
  });

  it('turns yuan text into fen without floating point', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (fen) => yuanToFen(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`) === fen));
    expect(yuanToFen('-0.06')).toBe(-6);
    expect(yuanToFen('0.00500')).toBe(1);
    expect(yuanToFen('0.00499')).toBe(0);
    expect(() => yuanToFen('1e3')).toThrow(TradeBillFormatError);
  });
});

describe('reconcile', () => {
  const entry = fc.record({ kind: fc.constantFrom<'payment' | 'refund'>('payment', 'refund'), key: fc.stringMatching(/^[A-Z][0-9]{1,3}$/), amountFen: fc.integer({ min: 1, max: 100000 }), transactionId: fc.constant(null) });
  const unique = (xs: ReconcileEntry[]) => [...new Map(xs.map((x) => [`${x.kind}:${x.key}`, x])).values()];

  it('puts every key of either side in exactly one bucket, with the right amounts', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), fc.array(entry, { maxLength: 30 }), (a, b) => {
        const wechat = unique(a);
        const ours = unique(b);
        const items = reconcile(wechat, ours);
        const ids = new Set([...wechat, ...ours].map((e) => `${e.kind}:${e.key}`));
        if (items.length !== ids.size) return false;
        return items.every((i) => {
          const w = wechat.find((e) => e.kind === i.kind && e.key === i.key);
          const o = ours.find((e) => e.kind === i.kind && e.key === i.key);
          const expected = !o ? 'missing_ours' : !w ? 'missing_wechat' : w.amountFen === o.amountFen ? 'matched' : 'amount_mismatch';
          return i.result === expected && i.wechatFen === (w?.amountFen ?? null) && i.oursFen === (o?.amountFen ?? null);
        });
      }),
    );
  });
});

describe('WeChat codes and numbers', () => {
  it('folds both spellings WeChat uses to one code', () => {
    expect(canonicalPayCode('USERPAYING')).toBe('USER_PAYING');
    expect(canonicalPayCode('USER_PAYING')).toBe('USER_PAYING');
    expect(canonicalPayCode('ORDERNOTEXIST')).toBe(canonicalPayCode('ORDER_NOT_EXIST'));
    expect(canonicalPayCode('NOTENOUGH')).toBe(canonicalPayCode('NOT_ENOUGH'));
    expect(canonicalPayCode('ORDERPAID')).toBe('ORDER_PAID');
    expect(canonicalPayCode(undefined)).toBe('UNKNOWN');
    expect(canonicalTradeState('USER_PAYING')).toBe('USERPAYING');
    expect(canonicalTradeState('SUCCESS')).toBe('SUCCESS');
    expect(canonicalTradeState('??')).toBe('UNKNOWN');
  });

  it('makes merchant numbers WeChat accepts, and knows WeChat payment codes', () => {
    fc.assert(fc.property(fc.constantFrom<'T' | 'O' | 'C' | 'R'>('T', 'O', 'C', 'R'), fc.date({ min: new Date('2020-01-01'), max: new Date('2099-01-01'), noInvalidDate: true }), (k, at) => /^[0-9A-Za-z_\-|*]{6,32}$/.test(newMerchantNumber(k, at))));
    expect(isWechatAuthCode('134567890123456789')).toBe(true);
    expect(isWechatAuthCode('284567890123456789')).toBe(false);
    expect(isWechatAuthCode('13456789012345678')).toBe(false);
  });

  it('signs store QR scenes: they fit WeChat’s 32 characters, and a changed one is refused', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), fc.option(fc.stringMatching(/^8\d{9}$/), { nil: null }), (store, referrer) => {
        const scene = buildScene('secret', store, referrer);
        const parsed = parseScene('secret', scene);
        return sceneFits(scene) && parsed?.storeCode === store && parsed.referrerMemberNo === referrer && parseScene('other', scene) === null;
      }),
    );
    const scene = buildScene('secret', 'SH001', '8000000001');
    expect(parseScene('secret', scene.replace('8000000001', '8000000002'))).toBeNull();
    expect(parseScene('secret', encodeURIComponent(scene))).toEqual({ storeCode: 'SH001', referrerMemberNo: '8000000001' });
  });
});
