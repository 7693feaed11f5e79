/**
 * An order's life (订单状态):
 *   pending_payment ──completeExternalPayment──▶ completed ──refund──▶ partially_refunded ──▶ refunded
 *          └──────────failExternalPayment──────▶ cancelled
 * Only an order paid partly by WeChat Pay starts as pending_payment; every other order is created
 * completed. Refunds need a completed or partially refunded order.
 */
export const ORDER_STATUSES = ['pending_payment', 'completed', 'partially_refunded', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export function canRefund(status: OrderStatus): boolean {
  return status === 'completed' || status === 'partially_refunded';
}

export function statusAfterRefund(full: boolean): OrderStatus {
  return full ? 'refunded' : 'partially_refunded';
}

/**
 * Points offset of a quick sale (快速消费 has no cart for the pricing engine): `offsetPoints` points
 * pay `offsetFen` fen, in whole units only, and at most `offsetMaxBps` of the amount (0 = points
 * cannot pay). Returns the fen the points pay, or the reason they cannot.
 */
export function quickPointsOffset(
  amountFen: number,
  points: number,
  rule: { offsetPoints: number; offsetFen: number; offsetMaxBps: number },
): { ok: true; offsetFen: number } | { ok: false; reason: string } {
  if (points === 0) return { ok: true, offsetFen: 0 };
  if (rule.offsetMaxBps <= 0) return { ok: false, reason: 'points cannot pay at checkout (offsetMaxBps is 0)' };
  if (points % rule.offsetPoints !== 0) return { ok: false, reason: `points must be a whole multiple of ${rule.offsetPoints}` };
  const offsetFen = (points / rule.offsetPoints) * rule.offsetFen;
  const capFen = Number((BigInt(amountFen) * BigInt(rule.offsetMaxBps)) / 10000n);
  if (offsetFen > capFen) return { ok: false, reason: `points may pay at most ${capFen} fen of this amount` };
  return { ok: true, offsetFen };
}
