import { allocateFen } from '@chaincard/shared';
import { unitsValue } from './units';

export interface PlanLine {
  lineNo: number;
  quantity: number;
  /** What the line is charged after every discount (the quote's line total). */
  totalFen: number;
  /** The quote's verdict: the line earns points (not of an excluded category). */
  pointsEligible: boolean;
  /** Units paid by a count card (the line's first units). */
  coveredUnits: number;
}

export interface LinePlan {
  lineNo: number;
  /** Value paid by a count card: unitsValue of the covered units. */
  coveredFen: number;
  /** The rest of the line, paid by the order's other payments (points offset included). */
  moneyFen: number;
  /** The line's share of the money actually paid (stored value, cash, card, WeChat; not points): it earns points. */
  eligibleFen: number;
}

/**
 * Splits each line's charged total into what a count card paid and what the order's other
 * payments paid, and gives each points-eligible line its share of the money paid (stored value,
 * bank card, WeChat Pay, cash — the points offset earns nothing) by allocateFen over the lines'
 * money parts (largest remainder: the shares sum exactly to the money paid).
 *
 * `paidFen` is the sum of those money payments; the order's payments check has already made
 * Σ money parts = pointsOffsetFen + paidFen, which this re-asserts.
 */
export function planCheckout(lines: PlanLine[], pay: { pointsOffsetFen: number; paidFen: number }): { lines: LinePlan[]; eligibleFen: number } {
  const parts = lines.map((l) => {
    const coveredFen = l.coveredUnits > 0 ? unitsValue(l.totalFen, l.quantity, l.coveredUnits) : 0;
    return { lineNo: l.lineNo, coveredFen, moneyFen: l.totalFen - coveredFen };
  });
  const moneyTotal = parts.reduce((s, p) => s + p.moneyFen, 0);
  if (moneyTotal !== pay.pointsOffsetFen + pay.paidFen) {
    throw new RangeError(`lines leave ${moneyTotal} fen to the payments, which pay ${pay.pointsOffsetFen + pay.paidFen}`);
  }
  const shares = parts.length ? allocateFen(pay.paidFen, parts.map((p) => p.moneyFen)) : [];
  const planned = parts.map((p, i) => ({ ...p, eligibleFen: lines[i].pointsEligible ? shares[i] : 0 }));
  return { lines: planned, eligibleFen: planned.reduce((s, p) => s + p.eligibleFen, 0) };
}
