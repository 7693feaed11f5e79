import { allocateFen } from '@chaincard/shared';
import type { OrderPaymentMethod } from './payments';
import { stepShare, unitsValue } from './units';

export interface RefundableLine {
  lineId: string;
  /** amount: the line of a quick sale, refunded by amount; goods and service lines by quantity. */
  kind: 'goods' | 'service' | 'amount';
  quantity: number;
  totalFen: number;
  coveredUnits: number;
  moneyFen: number;
  eligibleFen: number;
  refundedQuantity: number;
  refundedFen: number;
  refundedMoneyFen: number;
}

export interface RefundablePayment {
  paymentId: string;
  /** Order of the payments on the order: ties of the proportional split go to the earlier one. */
  seq: number;
  method: OrderPaymentMethod;
  amountFen: number;
  refundedFen: number;
  /** points: the points paid; count_card: the line it paid for and its units. */
  points: number | null;
  refundedPoints: number;
  lineId: string | null;
  units: number | null;
  refundedUnits: number;
}

export interface RefundableOrder {
  lines: RefundableLine[];
  payments: RefundablePayment[];
  /** Points the order earned, the amount that earned them, and how much of it was refunded so far. */
  pointsEarned: number;
  eligibleFen: number;
  eligibleRefundedFen: number;
}

export interface RefundRequestLine {
  lineId: string;
  /** Units to refund (goods and service lines); omitted = all that are left. */
  quantity?: number;
  /** Amount to refund (the amount line of a quick sale); omitted = all that is left. */
  amountFen?: number;
}

export interface PlannedRefundLine {
  lineId: string;
  quantity: number;
  amountFen: number;
  coveredUnits: number;
  coveredFen: number;
  moneyFen: number;
  eligibleFen: number;
}

export interface PlannedRefundPayment {
  paymentId: string;
  method: OrderPaymentMethod;
  amountFen: number;
  /** points: points given back; count_card: uses given back. */
  points: number;
  units: number;
}

export interface RefundPlan {
  lines: PlannedRefundLine[];
  payments: PlannedRefundPayment[];
  /** Value of the refunded lines (what they were charged). */
  amountFen: number;
  /** Part of it paid by the order's money payments and the points offset (not count cards). */
  moneyFen: number;
  /** Refunded amount that had earned points, and the earned points it takes back. */
  eligibleFen: number;
  pointsEarnedBack: number;
  /** Every line is refunded completely after this refund. */
  full: boolean;
}

export type RefundProblem = 'ORDER_REFUND_LINE_INVALID' | 'ORDER_REFUND_EXCEEDS';

/**
 * Plans a refund (退款) of some units of some lines, or of everything left (`'all'`).
 *
 * 1. A line's refunded units are valued cumulatively (unitsValue): units k+1..k+q of a line are
 *    worth value(k+q) − value(k), so piecewise refunds add up to exactly the line's charged total.
 *    Quick-sale lines are refunded by amount instead.
 * 2. Units a count card paid for are the line's first units and are refunded first: their value
 *    goes back to the count_card payment and each unit restores one use.
 * 3. The rest (the money part) goes back to the order's other payments — points offset, stored
 *    value, bank card, WeChat Pay, cash — in proportion to what each still holds unrefunded
 *    (allocateFen, largest remainder, ties to the earlier payment). No payment can get back more
 *    than it paid, and the refund that completes the order returns exactly what is left of each.
 * 4. Points paid come back in proportion to the points payment's refunded amount (cumulative, so
 *    all of them when it is fully refunded).
 * 5. Points earned are taken back in proportion to the refunded amount that earned them
 *    (each line's eligible share of its money part, cumulative), out of the order's earned points.
 */
export function planRefund(order: RefundableOrder, request: RefundRequestLine[] | 'all'): { ok: true; plan: RefundPlan } | { ok: false; code: RefundProblem; details: Record<string, unknown> } {
  const wanted: RefundRequestLine[] = request === 'all' ? order.lines.filter((l) => !lineDone(l)).map((l) => ({ lineId: l.lineId })) : request;
  if (!wanted.length) return { ok: false, code: 'ORDER_REFUND_EXCEEDS', details: { reason: 'nothing left to refund' } };
  const ids = new Set<string>();
  const lines: PlannedRefundLine[] = [];
  const coveredByLine = new Map<string, { units: number; fen: number }>();
  for (const w of wanted) {
    const line = order.lines.find((l) => l.lineId === w.lineId);
    if (!line || ids.has(w.lineId)) return { ok: false, code: 'ORDER_REFUND_LINE_INVALID', details: { lineId: w.lineId, reason: line ? 'listed twice' : 'not a line of this order' } };
    ids.add(w.lineId);
    if (line.kind === 'amount') {
      if (w.quantity !== undefined) return { ok: false, code: 'ORDER_REFUND_LINE_INVALID', details: { lineId: w.lineId, reason: 'a quick-sale line is refunded by amountFen' } };
      const left = line.totalFen - line.refundedFen;
      const amount = w.amountFen ?? left;
      if (amount < 1 || amount > left) return { ok: false, code: 'ORDER_REFUND_EXCEEDS', details: { lineId: w.lineId, amountFen: amount, leftFen: left } };
      const eligible = stepShare(line.eligibleFen, line.refundedMoneyFen, line.refundedMoneyFen + amount, line.moneyFen);
      lines.push({ lineId: line.lineId, quantity: amount === left ? line.quantity - line.refundedQuantity : 0, amountFen: amount, coveredUnits: 0, coveredFen: 0, moneyFen: amount, eligibleFen: eligible });
      continue;
    }
    if (w.amountFen !== undefined) return { ok: false, code: 'ORDER_REFUND_LINE_INVALID', details: { lineId: w.lineId, reason: 'goods and service lines are refunded by quantity' } };
    const left = line.quantity - line.refundedQuantity;
    const q = w.quantity ?? left;
    if (q < 1 || q > left) return { ok: false, code: 'ORDER_REFUND_EXCEEDS', details: { lineId: w.lineId, quantity: q, leftQuantity: left } };
    const k = line.refundedQuantity;
    const amount = unitsValue(line.totalFen, line.quantity, k + q) - unitsValue(line.totalFen, line.quantity, k);
    const c = line.coveredUnits;
    const coveredUnits = Math.min(k + q, c) - Math.min(k, c);
    const coveredFen = unitsValue(line.totalFen, line.quantity, Math.min(k + q, c)) - unitsValue(line.totalFen, line.quantity, Math.min(k, c));
    const money = amount - coveredFen;
    const eligible = stepShare(line.eligibleFen, line.refundedMoneyFen, line.refundedMoneyFen + money, line.moneyFen);
    lines.push({ lineId: line.lineId, quantity: q, amountFen: amount, coveredUnits, coveredFen, moneyFen: money, eligibleFen: eligible });
    if (coveredUnits > 0) coveredByLine.set(line.lineId, { units: coveredUnits, fen: coveredFen });
  }

  const payments: PlannedRefundPayment[] = [];
  for (const p of order.payments) {
    if (p.method !== 'count_card' || !p.lineId) continue;
    const back = coveredByLine.get(p.lineId);
    if (back) payments.push({ paymentId: p.paymentId, method: p.method, amountFen: back.fen, points: 0, units: back.units });
  }

  const moneyFen = lines.reduce((s, l) => s + l.moneyFen, 0);
  const pool = order.payments.filter((p) => p.method !== 'count_card').sort((a, b) => a.seq - b.seq);
  const remaining = pool.map((p) => p.amountFen - p.refundedFen);
  const held = remaining.reduce((s, r) => s + r, 0);
  // Σ unrefunded money parts of the lines = Σ unrefunded non-count-card payments, by construction.
  if (moneyFen > held) throw new RangeError(`refund of ${moneyFen} fen exceeds the ${held} fen the payments still hold`);
  const parts = pool.length ? allocateFen(moneyFen, remaining) : [];
  pool.forEach((p, i) => {
    if (parts[i] === 0) return;
    const points = p.method === 'points' && p.points ? stepShare(p.points, p.refundedFen, p.refundedFen + parts[i], p.amountFen) : 0;
    payments.push({ paymentId: p.paymentId, method: p.method, amountFen: parts[i], points, units: 0 });
  });

  const eligibleFen = lines.reduce((s, l) => s + l.eligibleFen, 0);
  const pointsEarnedBack = stepShare(order.pointsEarned, order.eligibleRefundedFen, order.eligibleRefundedFen + eligibleFen, order.eligibleFen);
  const full = order.lines.every((l) => {
    const r = lines.find((x) => x.lineId === l.lineId);
    return lineDone(r ? { ...l, refundedQuantity: l.refundedQuantity + r.quantity, refundedFen: l.refundedFen + r.amountFen } : l);
  });
  const amountFen = lines.reduce((s, l) => s + l.amountFen, 0);
  return { ok: true, plan: { lines, payments, amountFen, moneyFen, eligibleFen, pointsEarnedBack, full } };
}

/** A line is refunded completely: every unit (goods, services) or the whole amount (quick sale). */
export function lineDone(l: Pick<RefundableLine, 'kind' | 'quantity' | 'totalFen' | 'refundedQuantity' | 'refundedFen'>): boolean {
  return l.kind === 'amount' ? l.refundedFen >= l.totalFen : l.refundedQuantity >= l.quantity;
}

/** The order's refund counters after a planned refund (what the service writes back to the rows). */
export function applyRefund(order: RefundableOrder, plan: RefundPlan): RefundableOrder {
  return {
    ...order,
    eligibleRefundedFen: order.eligibleRefundedFen + plan.eligibleFen,
    lines: order.lines.map((l) => {
      const r = plan.lines.find((x) => x.lineId === l.lineId);
      if (!r) return l;
      return { ...l, refundedQuantity: l.refundedQuantity + r.quantity, refundedFen: l.refundedFen + r.amountFen, refundedMoneyFen: l.refundedMoneyFen + r.moneyFen };
    }),
    payments: order.payments.map((p) => {
      const r = plan.payments.find((x) => x.paymentId === p.paymentId);
      if (!r) return p;
      return { ...p, refundedFen: p.refundedFen + r.amountFen, refundedPoints: p.refundedPoints + r.points, refundedUnits: p.refundedUnits + r.units };
    }),
  };
}
