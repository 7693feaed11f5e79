import { AppError } from '../../../common/errors/app-error';
import type { PurchaseOrderStatus } from '../entities/purchase.entity';
import { refuseDuplicateSkus } from './lines';

export interface OrderLineState {
  skuId: string;
  quantity: number;
  unitCostFen: number;
  receivedQuantity: number;
  returnedQuantity: number;
}

export interface PlannedLine {
  skuId: string;
  quantity: number;
  unitCostFen: number;
}

/** Which statuses each action on a purchase order starts from. */
export const PURCHASE_ACTIONS: Record<'edit' | 'submit' | 'receive' | 'close' | 'cancel' | 'return', readonly PurchaseOrderStatus[]> = {
  edit: ['draft'],
  submit: ['draft'],
  receive: ['ordered', 'partially_received'],
  // Closing short: the rest will not come (the order stays partly received).
  close: ['partially_received'],
  // Only while nothing has arrived; after that, close it short and return what must go back.
  cancel: ['draft', 'ordered'],
  return: ['partially_received', 'received', 'closed'],
};

export function requirePurchaseStatus(action: keyof typeof PURCHASE_ACTIONS, status: PurchaseOrderStatus): void {
  if (!PURCHASE_ACTIONS[action].includes(status)) throw new AppError('INVENTORY_PURCHASE_ORDER_STATUS', { status, action, allowedFrom: PURCHASE_ACTIONS[action] });
}

/**
 * A receipt checked against the order: every SKU on the order, each at most what is still
 * outstanding (ordered − received); the cost defaults to the order's (the invoice may differ).
 */
export function planReceipt(order: readonly OrderLineState[], input: readonly { skuId: string; quantity: number; unitCostFen?: number }[]): PlannedLine[] {
  refuseDuplicateSkus(input);
  const byId = new Map(order.map((l) => [l.skuId, l]));
  const unknown = input.filter((l) => !byId.has(l.skuId)).map((l) => l.skuId);
  if (unknown.length) throw new AppError('INVENTORY_SKU_NOT_IN_DOCUMENT', { skuIds: unknown });
  const over = input
    .map((l) => ({ skuId: l.skuId, requested: l.quantity, outstanding: byId.get(l.skuId)!.quantity - byId.get(l.skuId)!.receivedQuantity }))
    .filter((l) => l.requested > l.outstanding);
  if (over.length) throw new AppError('INVENTORY_RECEIVE_EXCEEDS_ORDERED', { lines: over });
  return input.map((l) => ({ skuId: l.skuId, quantity: l.quantity, unitCostFen: l.unitCostFen ?? byId.get(l.skuId)!.unitCostFen }));
}

/** After a receipt: fully received when every line has all its quantity, else partly. */
export function statusAfterReceipt(order: readonly OrderLineState[]): 'partially_received' | 'received' {
  return order.every((l) => l.receivedQuantity >= l.quantity) ? 'received' : 'partially_received';
}

/**
 * A return to the supplier checked against the order: at most what was received and not yet
 * returned; the credited unit price defaults to the order's.
 */
export function planReturn(order: readonly OrderLineState[], input: readonly { skuId: string; quantity: number; unitCostFen?: number }[]): PlannedLine[] {
  refuseDuplicateSkus(input);
  const byId = new Map(order.map((l) => [l.skuId, l]));
  const unknown = input.filter((l) => !byId.has(l.skuId)).map((l) => l.skuId);
  if (unknown.length) throw new AppError('INVENTORY_SKU_NOT_IN_DOCUMENT', { skuIds: unknown });
  const over = input
    .map((l) => ({ skuId: l.skuId, requested: l.quantity, returnable: byId.get(l.skuId)!.receivedQuantity - byId.get(l.skuId)!.returnedQuantity }))
    .filter((l) => l.requested > l.returnable);
  if (over.length) throw new AppError('INVENTORY_RETURN_EXCEEDS_RECEIVED', { lines: over });
  return input.map((l) => ({ skuId: l.skuId, quantity: l.quantity, unitCostFen: l.unitCostFen ?? byId.get(l.skuId)!.unitCostFen }));
}

/** Σ quantity × unit cost, in fen. */
export function amountFen(lines: readonly { quantity: number; unitCostFen: number }[]): number {
  const total = lines.reduce((sum, l) => sum + l.quantity * l.unitCostFen, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError('document amount out of range');
  return total;
}
