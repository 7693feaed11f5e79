// Orders: JSAPI / mini-program prepay, payment-code (付款码) payment, query, close and reverse,
// and what the simulated user does with them (pay, cancel, enter the password, give up).
//   JSAPI order  https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/mini-prepay.html
//   code pay     https://pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/code-pay.html
//   reverse      https://pay.weixin.qq.com/docs/merchant/apis/code-payment-v3/direct/reverse.html
import type { Sim } from '../sim';
import type { Merchant, Order, SimUser, TradeState } from '../state';
import { compactTime, parseRfc3339, wechatTime } from '../time';
import { notifyTransaction, type NotifyOptions } from './notifier';
import { absoluteUrl, int, obj, orderNotExist, OUT_TRADE_NO, paramError, PayError, str } from './pay-error';

type Json = Record<string, unknown>;

export const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '订单未支付',
  CLOSED: '订单已关闭',
  REVOKED: '已撤销（付款码支付）',
  USERPAYING: '用户支付中（付款码支付）',
  PAYERROR: '支付失败',
};

export function orderKey(mchid: string, outTradeNo: string): string {
  return `${mchid}:${outTradeNo}`;
}

export function findOrder(sim: Sim, mchid: string, outTradeNo: string): Order | undefined {
  return sim.state.orders[orderKey(mchid, outTradeNo)];
}

export function findOrderByTransactionId(sim: Sim, mchid: string, transactionId: string): Order | undefined {
  return Object.values(sim.state.orders).find((o) => o.mchid === mchid && o.transactionId === transactionId);
}

export function findOrderByPrepayId(sim: Sim, prepayId: string): Order | undefined {
  return Object.values(sim.state.orders).find((o) => o.prepayId === prepayId);
}

function checkMerchantAndApp(merchant: Merchant, body: Json): { appid: string } {
  const mchid = str(body, '/mchid', { required: true, maxBytes: 32 })!;
  const appid = str(body, '/appid', { required: true, maxBytes: 32 })!;
  if (mchid !== merchant.mchid) throw new PayError(400, 'INVALID_REQUEST', '请求中的mchid与Authorization中的商户号不一致');
  if (!merchant.appids.includes(appid)) throw new PayError(400, 'APPID_MCHID_NOT_MATCH', 'AppID和mch_id不匹配');
  return { appid };
}

function checkAmount(body: Json): number {
  const total = int(body, '/amount/total', { required: true, min: 1, max: 100_000_000_00 })!;
  const currency = str(body, '/amount/currency', { maxBytes: 16 });
  if (currency !== undefined && currency !== 'CNY') throw paramError('/amount/currency', currency, '境内商户仅支持CNY');
  return total;
}

function newTransactionId(sim: Sim): string {
  return `4200${sim.ids.digits(6)}${compactTime(sim.now()).slice(0, 8)}${sim.ids.digits(10)}`;
}

/** POST /v3/pay/transactions/jsapi */
export function createJsapiOrder(sim: Sim, merchant: Merchant, body: Json): { prepay_id: string } {
  const { appid } = checkMerchantAndApp(merchant, body);
  const description = str(body, '/description', { required: true, maxBytes: 127 })!;
  const outTradeNo = str(body, '/out_trade_no', { required: true, pattern: OUT_TRADE_NO, patternIssue: '只能是6到32位数字、大小写字母_-|*' })!;
  const timeExpireRaw = str(body, '/time_expire', { maxBytes: 64 });
  const timeExpire = timeExpireRaw === undefined ? null : parseRfc3339(timeExpireRaw);
  if (timeExpireRaw !== undefined && timeExpire === null) throw paramError('/time_expire', timeExpireRaw, '必须为RFC3339格式，如2018-06-08T10:34:56+08:00');
  const attach = str(body, '/attach', { maxBytes: 128 }) ?? null;
  const notifyUrl = absoluteUrl(body, '/notify_url', true)!;
  const goodsTag = str(body, '/goods_tag', { maxBytes: 32 }) ?? null;
  const total = checkAmount(body);
  const openid = str(body, '/payer/openid', { required: true, maxBytes: 128 })!;
  const user = sim.userByOpenid(openid);
  if (!user || user.appid !== appid) throw new PayError(400, 'PARAM_ERROR', 'openid和appid不匹配', { field: '/payer/openid', value: openid, issue: 'openid和appid不匹配', location: 'body' });
  const sceneInfo = obj(body, '/scene_info', false) ?? null;
  const fingerprint = JSON.stringify({ appid, description, total, openid, attach, notifyUrl });
  const now = sim.now();

  const existing = findOrder(sim, merchant.mchid, outTradeNo);
  if (existing) {
    if (existing.state === 'SUCCESS' || existing.state === 'REFUND') throw new PayError(403, 'ORDERPAID', '该订单已支付');
    if (existing.state === 'CLOSED' || existing.state === 'REVOKED') throw new PayError(400, 'ORDER_CLOSED', '当前订单已关闭，请重新下单');
    if (existing.tradeType !== 'JSAPI' || existing.fingerprint !== fingerprint) throw new PayError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    // The same order placed again: WeChat answers with a prepay_id for it (a new one once the old expired).
    if (existing.prepayExpiresAt !== null && existing.prepayExpiresAt <= now) {
      existing.prepayId = newPrepayId(sim);
      existing.prepayExpiresAt = now + sim.opts.prepayTtlSeconds * 1000;
      sim.changed();
    }
    return { prepay_id: existing.prepayId! };
  }
  if (timeExpire !== null && timeExpire <= now) throw paramError('/time_expire', timeExpireRaw, '订单失效时间不能早于当前时间');

  const order: Order = {
    mchid: merchant.mchid,
    appid,
    outTradeNo,
    tradeType: 'JSAPI',
    description,
    attach,
    goodsTag,
    notifyUrl,
    totalFen: total,
    currency: 'CNY',
    payerOpenid: openid,
    authCode: null,
    prepayId: newPrepayId(sim),
    prepayExpiresAt: now + sim.opts.prepayTtlSeconds * 1000,
    timeExpire,
    sceneInfo,
    fingerprint,
    state: 'NOTPAY',
    stateDesc: null,
    transactionId: null,
    bankType: null,
    createdAt: now,
    successAt: null,
    closedAt: null,
    autoPayAt: null,
  };
  sim.state.orders[orderKey(merchant.mchid, outTradeNo)] = order;
  sim.changed();
  sim.opts.log(`jsapi order ${merchant.mchid}/${outTradeNo} ${total} fen → ${order.prepayId}`);
  return { prepay_id: order.prepayId! };
}

function newPrepayId(sim: Sim): string {
  return `wx${compactTime(sim.now())}${sim.ids.pick('0123456789abcdef', 20)}`;
}

/** The transaction object of a query answer and of a TRANSACTION.SUCCESS notification. */
export function transactionView(order: Order): Json {
  const paid = order.transactionId !== null && order.successAt !== null;
  const view: Json = {
    appid: order.appid,
    mchid: order.mchid,
    out_trade_no: order.outTradeNo,
  };
  if (paid) view.transaction_id = order.transactionId;
  if (paid || order.state === 'USERPAYING') view.trade_type = order.tradeType;
  view.trade_state = order.state;
  view.trade_state_desc = order.stateDesc ?? TRADE_STATE_DESC[order.state];
  if (paid) {
    view.bank_type = order.bankType ?? 'OTHERS';
    if (order.attach !== null) view.attach = order.attach;
    view.success_time = wechatTime(order.successAt!);
  }
  if (order.payerOpenid && (paid || order.tradeType === 'JSAPI')) view.payer = { openid: order.payerOpenid };
  view.amount = paid
    ? { total: order.totalFen, payer_total: order.totalFen, currency: order.currency, payer_currency: order.currency }
    : { total: order.totalFen, currency: order.currency, payer_currency: order.currency };
  const deviceId = (order.sceneInfo as { device_id?: unknown } | null)?.device_id;
  if (typeof deviceId === 'string') view.scene_info = { device_id: deviceId };
  if (paid) view.promotion_detail = [];
  return view;
}

/** GET /v3/pay/transactions/out-trade-no/{out_trade_no}?mchid= and /v3/pay/transactions/id/{transaction_id}?mchid= */
export function queryOrder(sim: Sim, merchant: Merchant, query: URLSearchParams, by: { outTradeNo?: string; transactionId?: string }): Json {
  const mchid = query.get('mchid');
  if (!mchid) throw paramError('/mchid', null, '字段不能为空', 'query');
  if (mchid !== merchant.mchid) throw new PayError(400, 'INVALID_REQUEST', '请求中的mchid与Authorization中的商户号不一致');
  const order = by.outTradeNo !== undefined ? findOrder(sim, mchid, by.outTradeNo) : findOrderByTransactionId(sim, mchid, by.transactionId!);
  if (!order) throw orderNotExist();
  return transactionView(order);
}

/** POST /v3/pay/transactions/out-trade-no/{out_trade_no}/close → 204 */
export function closeOrder(sim: Sim, merchant: Merchant, outTradeNo: string, body: Json): void {
  const mchid = str(body, '/mchid', { required: true, maxBytes: 32 })!;
  if (mchid !== merchant.mchid) throw new PayError(400, 'INVALID_REQUEST', '请求中的mchid与Authorization中的商户号不一致');
  const order = findOrder(sim, mchid, outTradeNo);
  if (!order) throw orderNotExist();
  switch (order.state) {
    case 'SUCCESS':
    case 'REFUND':
      throw new PayError(400, 'ORDERPAID', '订单已支付，不能关闭');
    case 'USERPAYING':
      throw new PayError(202, sim.opts.userPayingCode, '用户支付中，需要输入密码');
    case 'REVOKED':
      throw new PayError(400, 'ORDER_CLOSED', '订单已撤销');
    case 'CLOSED':
      return;
    default:
      order.state = 'CLOSED';
      order.stateDesc = null;
      order.closedAt = sim.now();
      sim.changed();
  }
}

/** POST /v3/pay/transactions/codepay → 200 transaction, or 202 USERPAYING while the user enters the password. */
export function createCodepayOrder(sim: Sim, merchant: Merchant, body: Json): { status: number; body: Json } {
  const { appid } = checkMerchantAndApp(merchant, body);
  const description = str(body, '/description', { required: true, maxBytes: 127 })!;
  const outTradeNo = str(body, '/out_trade_no', { required: true, pattern: OUT_TRADE_NO, patternIssue: '只能是6到32位数字、大小写字母_-|*' })!;
  const attach = str(body, '/attach', { maxBytes: 128 }) ?? null;
  const goodsTag = str(body, '/goods_tag', { maxBytes: 32 }) ?? null;
  const total = checkAmount(body);
  // 付款码: 18 digits beginning with 10-15 (WeChat's rule for telling its codes from others).
  const authCode = str(body, '/payer/auth_code', { required: true, pattern: /^1[0-5]\d{16}$/, patternIssue: '付款码应为10~15开头的18位数字' })!;
  const sceneInfo = obj(body, '/scene_info', true)!;
  str(body, '/scene_info/store_info/out_id', { required: true, maxBytes: 32 });
  const fingerprint = JSON.stringify({ appid, description, total, authCode, attach });
  const now = sim.now();

  const existing = findOrder(sim, merchant.mchid, outTradeNo);
  if (existing) {
    // Resubmitting the same payment answers with its current outcome; a new code needs a new out_trade_no.
    if (existing.fingerprint !== fingerprint) throw new PayError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    return codepayAnswer(sim, existing);
  }

  const code = sim.state.paymentCodes[authCode];
  const order: Order = {
    mchid: merchant.mchid,
    appid,
    outTradeNo,
    tradeType: 'MICROPAY',
    description,
    attach,
    goodsTag,
    notifyUrl: null,
    totalFen: total,
    currency: 'CNY',
    payerOpenid: code?.openid ?? null,
    authCode,
    prepayId: null,
    prepayExpiresAt: null,
    timeExpire: null,
    sceneInfo,
    fingerprint,
    state: 'PAYERROR',
    stateDesc: null,
    transactionId: null,
    bankType: null,
    createdAt: now,
    successAt: null,
    closedAt: null,
    autoPayAt: null,
  };
  if (!code || code.usedAt !== null || code.expiresAt <= now) {
    // No order is recorded for a code WeChat does not accept.
    throw new PayError(403, 'TRADE_ERROR', '付款码已失效，请用户刷新付款码后重新扫码');
  }
  code.usedAt = now;
  sim.state.orders[orderKey(merchant.mchid, outTradeNo)] = order;
  const user = sim.userByOpenid(code.openid);
  sim.changed();
  if (code.behaviour === 'insufficient' || !user || (user.balanceFen !== null && user.balanceFen < total)) {
    order.stateDesc = '用户账户余额不足';
    throw new PayError(403, 'NOT_ENOUGH', '用户账户余额不足，请用户充值或更换支付卡后再支付');
  }
  if (code.behaviour === 'password') {
    order.state = 'USERPAYING';
    if (code.passwordDelayMs !== null) {
      order.autoPayAt = now + code.passwordDelayMs;
      sim.later(code.passwordDelayMs, () => {
        if (order.state === 'USERPAYING') completePayment(sim, order, {});
      });
    }
    sim.opts.log(`codepay ${merchant.mchid}/${outTradeNo} waits for the password`);
    return codepayAnswer(sim, order);
  }
  completePayment(sim, order, {});
  return codepayAnswer(sim, order);
}

function codepayAnswer(sim: Sim, order: Order): { status: number; body: Json } {
  switch (order.state) {
    case 'SUCCESS':
    case 'REFUND':
      return { status: 200, body: transactionView(order) };
    case 'USERPAYING':
      throw new PayError(202, sim.opts.userPayingCode, '用户支付中，需要输入密码');
    case 'REVOKED':
    case 'CLOSED':
      throw new PayError(400, 'ORDER_CLOSED', '订单已关闭或已撤销');
    default:
      throw new PayError(403, 'TRADE_ERROR', order.stateDesc ?? '支付失败');
  }
}

/** POST /v3/pay/transactions/out-trade-no/{out_trade_no}/reverse → 200 { appid, mchid, out_trade_no } */
export function reverseOrder(sim: Sim, merchant: Merchant, outTradeNo: string, body: Json, refundMoney: (order: Order) => void): Json {
  const { appid } = checkMerchantAndApp(merchant, body);
  const order = findOrder(sim, merchant.mchid, outTradeNo);
  if (!order) throw orderNotExist();
  if (order.appid !== appid) throw new PayError(400, 'APPID_MCHID_NOT_MATCH', 'AppID与订单不匹配');
  if (order.tradeType !== 'MICROPAY') throw new PayError(400, 'INVALID_REQUEST', '非付款码支付订单不支持撤销，请调用关单或退款接口');
  if (sim.now() - order.createdAt > 7 * 24 * 3600 * 1000) throw new PayError(400, 'INVALID_REQUEST', '订单已超过7天，不能撤销，请调用退款接口');
  switch (order.state) {
    case 'REFUND':
      throw new PayError(400, 'INVALID_REQUEST', '订单已发生退款，不能撤销');
    case 'CLOSED':
      throw new PayError(400, 'ORDER_CLOSED', '订单已关闭');
    case 'REVOKED':
      break;
    case 'SUCCESS':
      refundMoney(order);
      order.state = 'REVOKED';
      order.stateDesc = null;
      break;
    default:
      order.state = 'REVOKED';
      order.stateDesc = null;
      order.autoPayAt = null;
  }
  order.closedAt ??= sim.now();
  sim.changed();
  return { appid: order.appid, mchid: order.mchid, out_trade_no: order.outTradeNo };
}

// --- what the simulated user does -------------------------------------------------------------

export class UserActionError extends Error {}

export interface PayOptions extends NotifyOptions {
  /** Payment time (default now): lets a test put a payment on an earlier bill date. */
  at?: number;
  bankType?: string;
}

/** The user confirms the payment (pay sheet 支付, or the password of a payment code). */
export function userPays(sim: Sim, order: Order, o: PayOptions = {}): Promise<unknown> {
  const now = sim.now();
  if (order.state === 'SUCCESS' || order.state === 'REFUND') throw new UserActionError('订单已支付');
  if (order.tradeType === 'JSAPI') {
    if (order.state !== 'NOTPAY') throw new UserActionError(`订单状态为${order.state}，不能支付`);
    if (order.prepayExpiresAt !== null && order.prepayExpiresAt <= now) throw new UserActionError('prepay_id 已过期（有效期2小时），请商户重新下单');
    if (order.timeExpire !== null && order.timeExpire <= now) throw new UserActionError('订单已过支付截止时间');
  } else if (order.state !== 'USERPAYING') {
    throw new UserActionError(`订单状态为${order.state}，不能支付`);
  }
  const user = order.payerOpenid ? sim.userByOpenid(order.payerOpenid) : undefined;
  if (user && user.balanceFen !== null && user.balanceFen < order.totalFen) throw new UserActionError('零钱余额不足');
  return completePayment(sim, order, o);
}

/** The payment succeeds: funds move, the order gets its transaction id, JSAPI orders notify. */
export function completePayment(sim: Sim, order: Order, o: PayOptions): Promise<unknown> {
  const user: SimUser | undefined = order.payerOpenid ? sim.userByOpenid(order.payerOpenid) : undefined;
  if (user && user.balanceFen !== null) user.balanceFen -= order.totalFen;
  const merchant = sim.merchant(order.mchid);
  if (merchant && merchant.balanceFen !== null) merchant.balanceFen += order.totalFen;
  order.state = 'SUCCESS';
  order.stateDesc = null;
  order.transactionId = newTransactionId(sim);
  order.successAt = o.at ?? sim.now();
  order.bankType = o.bankType ?? 'OTHERS';
  order.autoPayAt = null;
  sim.changed();
  sim.opts.log(`paid ${order.mchid}/${order.outTradeNo} → ${order.transactionId}`);
  // Payment-code payments have no notification: the merchant learns the result by querying.
  if (order.tradeType === 'JSAPI') return notifyTransaction(sim, order, o);
  return Promise.resolve(null);
}

/** The user closes the pay sheet (JSAPI: the order stays NOTPAY) or cancels the password entry (code pay: PAYERROR). */
export function userCancels(sim: Sim, order: Order): void {
  if (order.tradeType === 'JSAPI') {
    if (order.state !== 'NOTPAY') throw new UserActionError(`订单状态为${order.state}，不能取消`);
    return;
  }
  if (order.state !== 'USERPAYING') throw new UserActionError(`订单状态为${order.state}，不能取消`);
  order.state = 'PAYERROR';
  order.stateDesc = '用户取消支付';
  order.autoPayAt = null;
  sim.changed();
}

/** The payment fails (bank refused, or the payment-code user never entered the password). */
export function paymentFails(sim: Sim, order: Order, desc: string): void {
  if (order.state !== 'NOTPAY' && order.state !== 'USERPAYING') throw new UserActionError(`订单状态为${order.state}，不能置为失败`);
  order.state = 'PAYERROR';
  order.stateDesc = desc;
  order.autoPayAt = null;
  sim.changed();
}
