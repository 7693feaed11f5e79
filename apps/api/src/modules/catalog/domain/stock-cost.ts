/**
 * Moving-average cost (移动加权平均成本) of a SKU at one store, in whole fen per unit.
 *
 * Only goods that come in with a cost of their own (a purchase receipt, a transfer arriving with
 * the sending store's cost, an other-inbound with a stated cost) change the average:
 *
 *   new = round_half_up((q × c + n × u) / (q + n))   when the store held q > 0 units at c,
 *   new = u                                           when it held none (or was below zero).
 *
 * Everything else (sales, refunds, outbound, stocktake gains and losses, opening stock) moves at
 * the current average and leaves it as it is, so the value of what leaves is quantity × average.
 * Rounding to the fen at each receipt is deliberate: a unit cost is shown and reported in fen.
 */
export function costAfterInbound(quantityBefore: number, avgCostBefore: number, quantityIn: number, unitCostFen: number): number {
  for (const [name, v] of Object.entries({ quantityBefore, avgCostBefore, quantityIn, unitCostFen })) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${name} must be an integer, got ${v}`);
  }
  if (quantityIn <= 0) throw new RangeError(`an inbound quantity is positive, got ${quantityIn}`);
  if (unitCostFen < 0 || avgCostBefore < 0) throw new RangeError('costs are not negative');
  if (quantityBefore <= 0) return unitCostFen;
  // BigInt: q × c can pass 2^53 for large stocks of expensive goods.
  const numerator = BigInt(quantityBefore) * BigInt(avgCostBefore) + BigInt(quantityIn) * BigInt(unitCostFen);
  const denominator = BigInt(quantityBefore + quantityIn);
  return Number((2n * numerator + denominator) / (2n * denominator));
}
