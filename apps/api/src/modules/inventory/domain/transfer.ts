import { AppError } from '../../../common/errors/app-error';
import type { TransferStatus } from '../entities/transfer.entity';
import { refuseDuplicateSkus } from './lines';

export type TransferAction = 'approve' | 'reject' | 'ship' | 'receive' | 'cancel';
export type TransferSide = 'from' | 'to' | 'either';

/**
 * The transfer's state machine: each action, the status it starts from, the status it leads to and
 * the store that takes it (the sending store approves and ships its own goods, the receiving store
 * receives them; either side may withdraw before anything has left).
 */
export const TRANSFER_FLOW: Record<TransferAction, { from: readonly TransferStatus[]; to: TransferStatus; side: TransferSide }> = {
  approve: { from: ['requested'], to: 'approved', side: 'from' },
  reject: { from: ['requested'], to: 'rejected', side: 'from' },
  ship: { from: ['approved'], to: 'in_transit', side: 'from' },
  receive: { from: ['in_transit'], to: 'done', side: 'to' },
  cancel: { from: ['requested', 'approved'], to: 'cancelled', side: 'either' },
};

export function requireTransferStatus(action: TransferAction, status: TransferStatus): TransferStatus {
  const step = TRANSFER_FLOW[action];
  if (!step.from.includes(status)) throw new AppError('INVENTORY_TRANSFER_STATUS', { status, action, allowedFrom: step.from });
  return step.to;
}

export interface TransferLineState {
  skuId: string;
  requestedQuantity: number;
  approvedQuantity: number | null;
  shippedQuantity: number | null;
  receivedQuantity: number | null;
}

type QuantityInput = readonly { skuId: string; quantity: number }[] | undefined;

/**
 * Quantities for the next step: each line takes what the client gives, or what the previous step
 * had; none above the previous step's (code `exceeds`); not all zero (a transfer moves something).
 */
function narrow(lines: readonly TransferLineState[], input: QuantityInput, previous: (l: TransferLineState) => number, exceeds: 'INVENTORY_APPROVE_EXCEEDS_REQUESTED' | 'INVENTORY_SHIP_EXCEEDS_APPROVED' | 'INVENTORY_RECEIVE_EXCEEDS_SHIPPED'): Map<string, number> {
  const given = new Map<string, number>();
  if (input) {
    refuseDuplicateSkus(input);
    const known = new Set(lines.map((l) => l.skuId));
    const unknown = input.filter((l) => !known.has(l.skuId)).map((l) => l.skuId);
    if (unknown.length) throw new AppError('INVENTORY_SKU_NOT_IN_DOCUMENT', { skuIds: unknown });
    for (const l of input) given.set(l.skuId, l.quantity);
  }
  const out = new Map(lines.map((l) => [l.skuId, given.get(l.skuId) ?? previous(l)]));
  const over = lines.filter((l) => out.get(l.skuId)! > previous(l)).map((l) => ({ skuId: l.skuId, requested: out.get(l.skuId)!, allowed: previous(l) }));
  if (over.length) throw new AppError(exceeds, { lines: over });
  return out;
}

export function planApproval(lines: readonly TransferLineState[], input: QuantityInput): Map<string, number> {
  const out = narrow(lines, input, (l) => l.requestedQuantity, 'INVENTORY_APPROVE_EXCEEDS_REQUESTED');
  if ([...out.values()].every((q) => q === 0)) throw new AppError('INVENTORY_TRANSFER_EMPTY');
  return out;
}

export function planShipment(lines: readonly TransferLineState[], input: QuantityInput): Map<string, number> {
  const out = narrow(lines, input, (l) => l.approvedQuantity ?? 0, 'INVENTORY_SHIP_EXCEEDS_APPROVED');
  if ([...out.values()].every((q) => q === 0)) throw new AppError('INVENTORY_TRANSFER_EMPTY');
  return out;
}

/** Received quantities (default: all that was shipped); fewer is a difference, more is refused. */
export function planReceipt(lines: readonly TransferLineState[], input: QuantityInput): Map<string, number> {
  return narrow(lines, input, (l) => l.shippedQuantity ?? 0, 'INVENTORY_RECEIVE_EXCEEDS_SHIPPED');
}

/** What is on the road: shipped and not yet received, while the transfer is in transit. */
export function inTransit(status: TransferStatus, l: TransferLineState): number {
  return status === 'in_transit' ? (l.shippedQuantity ?? 0) : 0;
}

/** What did not arrive (shipped − received) once received; 0 before. */
export function difference(l: TransferLineState): number {
  return l.receivedQuantity === null ? 0 : (l.shippedQuantity ?? 0) - l.receivedQuantity;
}
