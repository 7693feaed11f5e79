/**
 * Replenishment suggestion (补货建议) for a SKU at a store, from its sales velocity:
 *
 *   need = ⌈net sold in the window × lead time ÷ window days⌉ + safety stock − on hand − in transit − on order
 *
 * where net sold counts sales less refunds (never below zero), the safety stock is the SKU's
 * low-stock alert line at the store, in transit is what other stores have shipped to it, and on
 * order is what its open purchase orders still expect. Rounded up: a store orders whole units,
 * and running out costs more than one unit too many. Never negative.
 */
export interface ReplenishmentInput {
  netSold: number;
  windowDays: number;
  leadTimeDays: number;
  safetyStock: number;
  onHand: number;
  inTransit: number;
  onOrder: number;
}

export function suggestQuantity(i: ReplenishmentInput): number {
  if (!Number.isInteger(i.windowDays) || i.windowDays <= 0) throw new RangeError('the window is at least one day');
  const demand = Math.max(0, i.netSold);
  const duringLeadTime = Math.ceil((demand * i.leadTimeDays) / i.windowDays);
  return Math.max(0, duringLeadTime + i.safetyStock - i.onHand - i.inTransit - i.onOrder);
}

/** Average daily net sales for display, to two decimals (quantities, not money: a float is fine here). */
export function averageDaily(netSold: number, windowDays: number): number {
  return Math.round((Math.max(0, netSold) / windowDays) * 100) / 100;
}
