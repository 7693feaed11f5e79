export interface StockMove {
  storeId: string;
  skuId: string;
  /** Signed change in units: negative for a sale, positive for a refund or goods received. */
  delta: number;
  /** Why: sale, refund, opening, adjustment, … (stock_movement.reason). */
  reason: string;
  refType: string;
  refId: string;
  /** Free text kept on the movement (an adjustment's reason). */
  note?: string;
  /**
   * Goods coming in with a cost of their own (a purchase receipt, a transfer arriving at the
   * sending store's cost): the store's moving-average cost is recomputed (domain/stock-cost.ts).
   * Without it a move is valued at the current average, which it leaves unchanged.
   */
  unitCostFen?: number;
  /**
   * Never below zero, whatever the chain's negative-stock setting: that setting lets the counter
   * sell before goods are booked in (负库存销售); transfers, returns to the supplier and other
   * outbound can only send away what is there.
   */
  strict?: boolean;
}

/**
 * The moves as they are applied: moves of the same SKU at the same store for the same reason and
 * reference are one movement (two lines of one order selling the same tea make one "sale −2", and
 * a shortage is reported against the total asked for); moves that cancel out are dropped; the rest
 * is sorted by (store, sku) so that every transaction locks stock rows in the same order and two
 * sales of overlapping carts cannot deadlock.
 */
export function planStockMoves(moves: readonly StockMove[]): StockMove[] {
  const merged = new Map<string, StockMove>();
  for (const mv of moves) {
    if (!Number.isSafeInteger(mv.delta)) throw new RangeError(`stock delta must be an integer: ${mv.delta}`);
    if (mv.unitCostFen !== undefined && (!Number.isSafeInteger(mv.unitCostFen) || mv.unitCostFen < 0)) throw new RangeError(`unit cost must be a non-negative integer: ${mv.unitCostFen}`);
    // Goods at different costs are different movements: each is weighed into the average on its own.
    const key = [mv.storeId, mv.skuId, mv.reason, mv.refType, mv.refId, mv.unitCostFen ?? ''].join('\u0000');
    const seen = merged.get(key);
    if (seen) {
      seen.delta += mv.delta;
      if (mv.note && !seen.note) seen.note = mv.note;
      if (mv.strict) seen.strict = true;
    } else {
      merged.set(key, { ...mv });
    }
  }
  return [...merged.values()].filter((mv) => mv.delta !== 0).sort(compareMoves);
}

function compareMoves(a: StockMove, b: StockMove): number {
  return (
    cmp(a.storeId, b.storeId) || cmp(a.skuId, b.skuId) || cmp(a.reason, b.reason) || cmp(a.refType, b.refType) || cmp(a.refId, b.refId) || (a.unitCostFen ?? -1) - (b.unitCostFen ?? -1)
  );
}

// Code-point order, the same as PostgreSQL's order of uuids written in lower-case hex.
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
