import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { StockService } from '../catalog/stock.service';
import { refuseDuplicateSkus } from './domain/lines';
import { amountFen, planReceipt, planReturn, requirePurchaseStatus, statusAfterReceipt } from './domain/purchase';
import type {
  CreatePurchaseOrderRequest,
  ListPurchaseOrdersQuery,
  PurchaseOrderResponse,
  PurchaseOrderSummaryResponse,
  ReceivePurchaseRequest,
  ReturnPurchaseRequest,
  UpdatePurchaseOrderRequest,
} from './dto/purchase.dto';
import { InventorySkus, iso, labelOf } from './inventory-skus';
import { PurchaseRepository, type PurchaseOrderRow } from './purchase.repository';
import { SupplierService } from './supplier.service';

/**
 * Purchase orders (采购单): draft → ordered → partly / fully received (or closed short, or
 * cancelled before anything arrived); receipts (采购入库) bring goods into the store's stock at
 * their cost, which moves the store's moving-average cost; returns (采购退货) send received goods
 * back to the supplier.
 *
 * Concurrency: every change of an order takes its row lock first, then (through StockService) the
 * stock rows in their global order; two receipts of one order take turns, and the conditional
 * UPDATE of each line (received + n ≤ ordered) is the last word on over-receiving.
 */
@Injectable()
export class PurchaseService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: PurchaseRepository,
    private readonly suppliers: SupplierService,
    private readonly skus: InventorySkus,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  async list(storeId: string, q: ListPurchaseOrdersQuery): Promise<Page<PurchaseOrderSummaryResponse>> {
    const [rows, total] = await this.repo.listOrders(this.tx.manager, storeId, q, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toSummary), total, q);
  }

  get(orderId: string): Promise<PurchaseOrderResponse> {
    return this.detail(this.tx.manager, orderId);
  }

  create(actor: StaffActor, storeId: string, input: CreatePurchaseOrderRequest): Promise<PurchaseOrderResponse> {
    return this.tx.run(async (m) => {
      const id = await this.createDraft(m, actor, { storeId, supplierId: input.supplierId, expectedDate: input.expectedDate ?? null, note: input.note ?? '', lines: input.lines, source: 'manual' });
      return this.detail(m, id);
    });
  }

  /** A draft order (also what the replenishment suggestion exports to); audited. */
  async createDraft(
    m: EntityManager,
    actor: StaffActor,
    d: { storeId: string; supplierId: string; expectedDate: string | null; note: string; lines: { skuId: string; quantity: number; unitCostFen: number }[]; source: string },
  ): Promise<string> {
    await this.suppliers.requireActive(m, d.supplierId);
    refuseDuplicateSkus(d.lines);
    await this.skus.require(m, d.lines.map((l) => l.skuId), { onSale: true });
    const po = await this.repo.insertOrder(m, {
      no: await this.suppliers.docNo(m, 'PO'),
      storeId: d.storeId,
      supplierId: d.supplierId,
      expectedDate: d.expectedDate,
      note: d.note,
      source: d.source,
      createdBy: actor.id,
    });
    await this.repo.replaceLines(m, po.id, d.lines);
    await this.audit.record(m, {
      action: 'inventory.purchase.create',
      entityType: 'purchase_order',
      entityId: po.id,
      storeId: d.storeId,
      after: { no: po.no, supplierId: d.supplierId, source: d.source, lines: d.lines, amountFen: amountFen(d.lines) },
    });
    return po.id;
  }

  update(orderId: string, input: UpdatePurchaseOrderRequest): Promise<PurchaseOrderResponse> {
    return this.tx.run(async (m) => {
      const po = await this.lock(m, orderId);
      requirePurchaseStatus('edit', po.status);
      const before = { supplierId: po.supplierId, expectedDate: po.expectedDate, note: po.note, lines: await this.repo.lines(m, orderId) };
      if (input.supplierId !== undefined) await this.suppliers.requireActive(m, input.supplierId);
      if (input.lines) {
        refuseDuplicateSkus(input.lines);
        await this.skus.require(m, input.lines.map((l) => l.skuId), { onSale: true });
        await this.repo.replaceLines(m, orderId, input.lines);
      }
      await this.repo.updateOrder(m, orderId, {
        ...(input.supplierId !== undefined ? { supplierId: input.supplierId } : {}),
        ...(input.expectedDate !== undefined ? { expectedDate: input.expectedDate } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      });
      const after = await this.detail(m, orderId);
      await this.audit.record(m, {
        action: 'inventory.purchase.update',
        entityType: 'purchase_order',
        entityId: orderId,
        storeId: po.storeId,
        before: { ...before, lines: before.lines.map(({ skuId, quantity, unitCostFen }) => ({ skuId, quantity, unitCostFen })) },
        after: { supplierId: after.supplierId, expectedDate: after.expectedDate, note: after.note, lines: after.lines.map(({ skuId, quantity, unitCostFen }) => ({ skuId, quantity, unitCostFen })) },
      });
      return after;
    });
  }

  /** Places the order with the supplier (下单): draft → ordered. */
  submit(orderId: string): Promise<PurchaseOrderResponse> {
    return this.transition(orderId, 'submit', 'ordered', null);
  }

  cancel(orderId: string, note: string): Promise<PurchaseOrderResponse> {
    return this.transition(orderId, 'cancel', 'cancelled', note);
  }

  /** Closes a partly received order short: the rest will not come, and no longer counts as on order. */
  close(orderId: string, note: string): Promise<PurchaseOrderResponse> {
    return this.transition(orderId, 'close', 'closed', note);
  }

  private transition(orderId: string, action: 'submit' | 'cancel' | 'close', to: 'ordered' | 'cancelled' | 'closed', note: string | null): Promise<PurchaseOrderResponse> {
    return this.tx.run(async (m) => {
      const po = await this.lock(m, orderId);
      requirePurchaseStatus(action, po.status);
      if (action === 'submit') await this.suppliers.requireActive(m, po.supplierId);
      const now = new Date();
      await this.repo.updateOrder(m, orderId, to === 'ordered' ? { status: to, orderedAt: now } : { status: to, finishedAt: now });
      await this.audit.record(m, {
        action: `inventory.purchase.${action}`,
        entityType: 'purchase_order',
        entityId: orderId,
        storeId: po.storeId,
        before: { status: po.status },
        after: { status: to },
        reason: note,
      });
      return this.detail(m, orderId);
    });
  }

  /**
   * Receives goods (采购入库): each line at most what is outstanding, at the invoice's cost (the
   * order's by default). Stock and the store's moving-average cost move in this transaction, as
   * `purchase` movements referring to the receipt.
   */
  receive(actor: StaffActor, orderId: string, input: ReceivePurchaseRequest): Promise<PurchaseOrderResponse> {
    return this.tx.run(async (m) => {
      const po = await this.lock(m, orderId);
      requirePurchaseStatus('receive', po.status);
      const lines = planReceipt(await this.repo.lines(m, orderId), input.lines);
      for (const l of lines) {
        if (!(await this.repo.addReceived(m, orderId, l.skuId, l.quantity))) throw new AppError('INVENTORY_RECEIVE_EXCEEDS_ORDERED', { lines: [{ skuId: l.skuId, requested: l.quantity }] });
      }
      const receiptId = randomUUID();
      const no = await this.suppliers.docNo(m, 'GR');
      await this.repo.insertReceipt(m, { id: receiptId, no, orderId, storeId: po.storeId, note: input.note ?? '', createdBy: actor.id }, lines);
      await this.stock.apply(
        m,
        lines.map((l) => ({ storeId: po.storeId, skuId: l.skuId, delta: l.quantity, reason: 'purchase', refType: 'purchase_receipt', refId: receiptId, unitCostFen: l.unitCostFen, note: no })),
      );
      const status = statusAfterReceipt(await this.repo.lines(m, orderId));
      await this.repo.updateOrder(m, orderId, status === 'received' ? { status, finishedAt: new Date() } : { status });
      await this.audit.record(m, {
        action: 'inventory.purchase.receive',
        entityType: 'purchase_order',
        entityId: orderId,
        storeId: po.storeId,
        before: { status: po.status },
        after: { status, receiptId, receiptNo: no, lines, amountFen: amountFen(lines) },
        reason: input.note ?? null,
      });
      return this.detail(m, orderId);
    });
  }

  /**
   * Returns received goods to the supplier (采购退货): at most what was received and not returned,
   * never more than the store holds (strict: whatever the negative-stock setting). The goods leave
   * at the store's average cost; the supplier credits the stated price (the order's by default).
   */
  returnGoods(actor: StaffActor, orderId: string, input: ReturnPurchaseRequest): Promise<PurchaseOrderResponse> {
    return this.tx.run(async (m) => {
      const po = await this.lock(m, orderId);
      requirePurchaseStatus('return', po.status);
      const lines = planReturn(await this.repo.lines(m, orderId), input.lines);
      for (const l of lines) {
        if (!(await this.repo.addReturned(m, orderId, l.skuId, l.quantity))) throw new AppError('INVENTORY_RETURN_EXCEEDS_RECEIVED', { lines: [{ skuId: l.skuId, requested: l.quantity }] });
      }
      const returnId = randomUUID();
      const no = await this.suppliers.docNo(m, 'PR');
      await this.repo.insertReturn(m, { id: returnId, no, orderId, storeId: po.storeId, reason: input.reason, createdBy: actor.id }, lines);
      await this.stock.apply(
        m,
        lines.map((l) => ({ storeId: po.storeId, skuId: l.skuId, delta: -l.quantity, reason: 'purchase_return', refType: 'purchase_return', refId: returnId, strict: true, note: no })),
      );
      await this.audit.record(m, {
        action: 'inventory.purchase.return',
        entityType: 'purchase_order',
        entityId: orderId,
        storeId: po.storeId,
        after: { returnId, returnNo: no, lines, creditFen: amountFen(lines) },
        reason: input.reason,
      });
      return this.detail(m, orderId);
    });
  }

  /** Units a store's open orders still expect, per SKU. */
  onOrder(m: EntityManager, storeId: string): Promise<Map<string, number>> {
    return this.repo.onOrder(m, storeId);
  }

  lastCosts(m: EntityManager, supplierId: string, skuIds: string[]): Promise<Map<string, number>> {
    return this.repo.lastCosts(m, supplierId, skuIds);
  }

  private async lock(m: EntityManager, orderId: string) {
    const po = await this.repo.lockOrder(m, orderId);
    if (!po) throw new AppError('INVENTORY_PURCHASE_ORDER_NOT_FOUND');
    return po;
  }

  private async detail(m: EntityManager, orderId: string): Promise<PurchaseOrderResponse> {
    const po = await this.repo.findOrder(m, orderId);
    if (!po) throw new AppError('INVENTORY_PURCHASE_ORDER_NOT_FOUND');
    const [lines, receipts, returns] = [await this.repo.lines(m, orderId), await this.repo.receipts(m, orderId), await this.repo.returns(m, orderId)];
    const labels = await this.skus.labels(m, lines.map((l) => l.skuId));
    const open = po.status === 'ordered' || po.status === 'partially_received' || po.status === 'draft';
    const docLines = (ls: { skuId: string; quantity: number; unitCostFen: number }[]) =>
      ls.map((l) => ({ ...labelOf(labels, l.skuId), quantity: l.quantity, unitCostFen: l.unitCostFen, amountFen: l.quantity * l.unitCostFen }));
    return {
      ...toSummary(po),
      lines: lines.map((l) => ({
        ...labelOf(labels, l.skuId),
        quantity: l.quantity,
        unitCostFen: l.unitCostFen,
        amountFen: l.quantity * l.unitCostFen,
        receivedQuantity: l.receivedQuantity,
        outstandingQuantity: open ? l.quantity - l.receivedQuantity : 0,
        returnedQuantity: l.returnedQuantity,
      })),
      receipts: receipts.map((r) => ({ id: r.id, no: r.no, note: r.text, lines: docLines(r.lines), amountFen: amountFen(r.lines), createdBy: r.createdBy, createdAt: r.createdAt.toISOString() })),
      returns: returns.map((r) => ({ id: r.id, no: r.no, reason: r.text, lines: docLines(r.lines), amountFen: amountFen(r.lines), createdBy: r.createdBy, createdAt: r.createdAt.toISOString() })),
    };
  }
}

function toSummary(po: PurchaseOrderRow): PurchaseOrderSummaryResponse {
  return {
    id: po.id,
    no: po.no,
    storeId: po.storeId,
    supplierId: po.supplierId,
    supplierName: po.supplierName,
    status: po.status,
    expectedDate: po.expectedDate,
    note: po.note,
    source: po.source,
    orderedFen: po.orderedFen,
    receivedFen: po.receivedFen,
    returnedFen: po.returnedFen,
    orderedAt: iso(po.orderedAt),
    finishedAt: iso(po.finishedAt),
    createdAt: po.createdAt.toISOString(),
  };
}
