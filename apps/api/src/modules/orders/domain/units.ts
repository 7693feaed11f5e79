/**
 * The value of the first `units` of `quantity` equal units that together cost `totalFen`:
 * ⌊totalFen × units / quantity⌋, exact (BigInt). Cumulative on purpose: the value of units k+1..k+q
 * is unitsValue(k+q) − unitsValue(k), so however a line is refunded piece by piece, the pieces sum
 * to the line total exactly, and all units together are worth exactly the total.
 */
export function unitsValue(totalFen: number, quantity: number, units: number): number {
  if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new RangeError(`quantity must be a positive integer, got ${quantity}`);
  if (!Number.isSafeInteger(units) || units < 0 || units > quantity) throw new RangeError(`units must be within 0..${quantity}, got ${units}`);
  if (units === quantity) return totalFen;
  return shareOf(totalFen, units, quantity);
}

/** ⌊whole × part / of⌋ for non-negative integers (BigInt, exact); 0 when `of` is 0. */
export function shareOf(whole: number, part: number, of: number): number {
  if (of === 0) return 0;
  if (part === of) return whole;
  return Number((BigInt(whole) * BigInt(part)) / BigInt(of));
}

/**
 * What part of `whole` a step from `before` to `after` (both out of `of`) is worth, cumulatively:
 * shareOf(after) − shareOf(before). The steps of any sequence from 0 to `of` sum to `whole`.
 */
export function stepShare(whole: number, before: number, after: number, of: number): number {
  return shareOf(whole, after, of) - shareOf(whole, before, of);
}
