// Refunds: apply, query, and their asynchronous outcome (SUCCESS, ABNORMAL, CLOSED) with a
// notification.
//   apply  https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/create.html
//   notify https://pay.weixin.qq.com/docs/merchant/apis/mini-program-payment/refund-result-notice.html
import type { Sim } from '../sim';
import type { Merchant, Order, Refund, RefundOutcome, RefundStatus } from '../state';
import { compactTime, wechatTime } from '../time';
import { notifyRefund, type NotifyOptions } from './notifier';
import { absoluteUrl, int, OUT_REFUND_NO, paramError, PayError, str } from './pay-error';
import { findOrder, findOrderByTransactionId } from './transactions';

type Json = Record<string, unknown>;

export function refundKey(mchid: string, outRefundNo: string): string {
  return `${mchid}:${outRefundNo}`;
}

export function findRefund(sim: Sim, mchid: string, outRefundNo: string): Refund | undefined {
  return sim.state.refunds[refundKey(mchid, outRefundNo)];
}

/** Money of the order that refunds (and a reversal) hold or returned: everything but CLOSED refunds. */
export function refundedFen(sim: Sim, order: Order): number {
  return Object.values(sim.state.refunds)
    .filter((r) => r.mchid === order.mchid && r.outTradeNo === order.outTradeNo && r.status !== 'CLOSED')
    .reduce((sum, r) => sum + r.refundFen, 0);
}

export function refundView(r: Refund): Json {
  const view: Json = {
    refund_id: r.refundId,
    out_refund_no: r.outRefundNo,
    transaction_id: r.transactionId,
    out_trade_no: r.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
  };
  if (r.successAt !== null) view.success_time = wechatTime(r.successAt);
  view.create_time = wechatTime(r.createdAt);
  view.status = r.status;
  view.funds_account = r.fundsAccount;
  view.amount = {
    total: r.totalFen,
    refund: r.refundFen,
    from: [],
    payer_total: r.totalFen,
    payer_refund: r.refundFen,
    settlement_refund: r.refundFen,
    settlement_total: r.totalFen,
    discount_refund: 0,
    currency: 'CNY',
    refund_fee: 0,
  };
  view.promotion_detail = [];
  return view;
}

/** POST /v3/refund/domestic/refunds */
export function createRefund(sim: Sim, merchant: Merchant, body: Json): Json {
  const transactionId = str(body, '/transaction_id', { maxBytes: 32 });
  const outTradeNo = str(body, '/out_trade_no', { maxBytes: 32 });
  if (transactionId === undefined && outTradeNo === undefined) throw paramError('/out_trade_no', null, 'transaction_id和out_trade_no必须二选一');
  const outRefundNo = str(body, '/out_refund_no', { required: true, pattern: OUT_REFUND_NO, patternIssue: '只能是1到64位数字、大小写字母_-|*@' })!;
  const reason = str(body, '/reason', { maxBytes: 80 }) ?? null;
  const notifyUrl = absoluteUrl(body, '/notify_url', false) ?? null;
  const fundsAccount = str(body, '/funds_account', { pattern: /^AVAILABLE$/, patternIssue: '仅支持AVAILABLE' });
  const refund = int(body, '/amount/refund', { required: true, min: 1 })!;
  const total = int(body, '/amount/total', { required: true, min: 1 })!;
  const currency = str(body, '/amount/currency', { required: true });
  if (currency !== 'CNY') throw paramError('/amount/currency', currency, '境内商户仅支持CNY');

  const order = transactionId !== undefined ? findOrderByTransactionId(sim, merchant.mchid, transactionId) : findOrder(sim, merchant.mchid, outTradeNo!);
  if (!order || (outTradeNo !== undefined && order.outTradeNo !== outTradeNo)) throw new PayError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');

  const existing = findRefund(sim, merchant.mchid, outRefundNo);
  if (existing) {
    // The same refund applied again answers with the refund as it is now.
    if (existing.outTradeNo !== order.outTradeNo || existing.refundFen !== refund) {
      throw new PayError(400, 'INVALID_REQUEST', '退款单号已存在，且与本次请求的订单或金额不一致');
    }
    return refundView(existing);
  }
  if (order.state !== 'SUCCESS' && order.state !== 'REFUND') throw new PayError(400, 'INVALID_REQUEST', `订单状态为${order.state}，不能退款`);
  if (total !== order.totalFen) throw new PayError(400, 'PARAM_ERROR', '订单金额与原订单金额不一致', { field: '/amount/total', value: total, issue: '与原订单金额不一致', location: 'body' });
  const left = order.totalFen - refundedFen(sim, order);
  if (left <= 0) throw new PayError(400, 'INVALID_REQUEST', '订单已全额退款');
  if (refund > left) throw new PayError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
  if (merchant.balanceFen !== null && merchant.balanceFen < refund) throw new PayError(403, 'NOT_ENOUGH', '基本账户余额不足，请充值后重新发起');

  const now = sim.now();
  const outcome: RefundOutcome = merchant.refundOutcomes.shift() ?? sim.opts.refundOutcome;
  const r: Refund = {
    mchid: merchant.mchid,
    refundId: newRefundId(sim),
    outRefundNo,
    outTradeNo: order.outTradeNo,
    transactionId: order.transactionId!,
    reason,
    notifyUrl: notifyUrl ?? merchant.refundNotifyUrl,
    refundFen: refund,
    totalFen: order.totalFen,
    fundsAccount: fundsAccount ?? 'AVAILABLE',
    status: 'PROCESSING',
    outcome,
    createdAt: now,
    successAt: null,
    kind: 'refund',
  };
  if (merchant.balanceFen !== null) merchant.balanceFen -= refund;
  sim.state.refunds[refundKey(merchant.mchid, outRefundNo)] = r;
  order.state = 'REFUND';
  order.stateDesc = null;
  sim.changed();
  sim.opts.log(`refund ${merchant.mchid}/${outRefundNo} ${refund} fen of ${order.outTradeNo} → ${outcome}`);
  if (outcome !== 'PROCESSING') sim.later(sim.opts.refundProcessingMs, () => finishRefund(sim, r, outcome));
  return refundView(r);
}

function newRefundId(sim: Sim): string {
  return `50${sim.ids.digits(4)}${compactTime(sim.now()).slice(0, 8)}${sim.ids.digits(15)}`;
}

/** GET /v3/refund/domestic/refunds/{out_refund_no} */
export function queryRefund(sim: Sim, merchant: Merchant, outRefundNo: string): Json {
  const r = findRefund(sim, merchant.mchid, outRefundNo);
  if (!r || r.kind !== 'refund') throw new PayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  return refundView(r);
}

/** A refund takes its outcome. Closed refunds give the money back to the merchant and the order. */
export function finishRefund(sim: Sim, r: Refund, status: Exclude<RefundStatus, 'PROCESSING'>, o: NotifyOptions = {}): Promise<unknown> {
  if (r.status !== 'PROCESSING') throw new Error(`refund ${r.outRefundNo} is ${r.status}, not PROCESSING`);
  r.status = status;
  if (status === 'SUCCESS') {
    r.successAt = sim.now();
    const order = findOrder(sim, r.mchid, r.outTradeNo);
    const user = order?.payerOpenid ? sim.userByOpenid(order.payerOpenid) : undefined;
    if (user && user.balanceFen !== null) user.balanceFen += r.refundFen;
  }
  if (status === 'CLOSED') {
    const merchant = sim.merchant(r.mchid);
    if (merchant && merchant.balanceFen !== null) merchant.balanceFen += r.refundFen;
    const order = findOrder(sim, r.mchid, r.outTradeNo);
    if (order && order.state === 'REFUND' && refundedFen(sim, order) === 0) order.state = 'SUCCESS';
  }
  sim.changed();
  sim.opts.log(`refund ${r.mchid}/${r.outRefundNo} → ${status}`);
  return notifyRefund(sim, r, o);
}

/**
 * POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund: the merchant sends an
 * ABNORMAL refund to another account; it processes again and succeeds.
 */
export function applyAbnormalRefund(sim: Sim, merchant: Merchant, refundId: string, body: Json): Json {
  const outRefundNo = str(body, '/out_refund_no', { required: true, pattern: OUT_REFUND_NO })!;
  str(body, '/type', { required: true, pattern: /^(USER_BANK_CARD|MERCHANT_BANK_CARD)$/, patternIssue: '仅支持USER_BANK_CARD或MERCHANT_BANK_CARD' });
  const r = findRefund(sim, merchant.mchid, outRefundNo);
  if (!r || r.refundId !== refundId) throw new PayError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  if (r.status !== 'ABNORMAL') throw new PayError(400, 'INVALID_REQUEST', '退款单状态不是ABNORMAL，不能发起异常退款');
  r.status = 'PROCESSING';
  sim.changed();
  sim.later(sim.opts.refundProcessingMs, () => finishRefund(sim, r, 'SUCCESS'));
  return refundView(r);
}

/** Reversing a paid payment-code order returns the money; the bill shows it as REVOKED. */
export function recordRevokeRefund(sim: Sim, order: Order): void {
  const merchant = sim.merchant(order.mchid);
  if (merchant && merchant.balanceFen !== null) merchant.balanceFen -= order.totalFen;
  const user = order.payerOpenid ? sim.userByOpenid(order.payerOpenid) : undefined;
  if (user && user.balanceFen !== null) user.balanceFen += order.totalFen;
  const now = sim.now();
  const outRefundNo = `REVOKE-${order.outTradeNo}`;
  sim.state.refunds[refundKey(order.mchid, outRefundNo)] = {
    mchid: order.mchid,
    refundId: newRefundId(sim),
    outRefundNo,
    outTradeNo: order.outTradeNo,
    transactionId: order.transactionId!,
    reason: '撤销',
    notifyUrl: null,
    refundFen: order.totalFen,
    totalFen: order.totalFen,
    fundsAccount: 'AVAILABLE',
    status: 'SUCCESS',
    outcome: 'SUCCESS',
    createdAt: now,
    successAt: now,
    kind: 'revoke',
  };
  sim.changed();
}
