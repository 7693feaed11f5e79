import type { UncountedRule } from '../entities/stocktake.entity';

/**
 * The stocktake rule for sales (and every other movement) while a count is open — 盘点期间照常营业:
 *
 *   a line's variance = counted − expected, where expected is what the ledger held of the SKU at
 *   the moment the line was last counted (= snapshot + every movement since the snapshot up to
 *   that moment).
 *
 * Posting adds the variance, not the counted quantity, so what happened after the count stays:
 * final stock = counted + movements after the count. A sale between the snapshot and the count is
 * in `expected` and is not a loss; a sale after the count is in the ledger and not in the count,
 * and is not a gain. A line counted in several batches is taken as of its last entry: count each
 * item in one go (or pause its sales) for an exact result.
 */
export interface CountState {
  countedQuantity: number | null;
  expectedQuantity: number | null;
}

/** A count entry: `add` accumulates scans, `set` replaces the count; expected is re-read at each entry. */
export function applyCount(line: CountState, entry: { mode: 'add' | 'set'; quantity: number }, onHandNow: number): { countedQuantity: number; expectedQuantity: number } {
  if (!Number.isSafeInteger(entry.quantity)) throw new RangeError('a count is whole units');
  const counted = entry.mode === 'add' ? (line.countedQuantity ?? 0) + entry.quantity : entry.quantity;
  if (counted < 0) throw new RangeError('a count cannot go below zero');
  return { countedQuantity: counted, expectedQuantity: onHandNow };
}

export function variance(line: CountState): number | null {
  return line.countedQuantity === null ? null : line.countedQuantity - (line.expectedQuantity ?? 0);
}

/**
 * The adjustment each line posts. Counted lines: their variance. Lines nobody counted: nothing
 * (`ignore`), or all of what the ledger holds now as missing (`zero`: counted as none, at posting).
 */
export function postingDeltas(
  lines: readonly ({ skuId: string } & CountState)[],
  uncounted: UncountedRule,
  onHandNow: ReadonlyMap<string, number>,
): { skuId: string; delta: number }[] {
  return lines.map((l) => {
    if (l.countedQuantity !== null) return { skuId: l.skuId, delta: variance(l)! };
    return { skuId: l.skuId, delta: uncounted === 'zero' ? -(onHandNow.get(l.skuId) ?? 0) : 0 };
  });
}
