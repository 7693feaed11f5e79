import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { reachesStore, type StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { StockService } from '../catalog/stock.service';
import { refuseDuplicateSkus } from './domain/lines';
import { difference, inTransit, planApproval, planReceipt, planShipment, requireTransferStatus, TRANSFER_FLOW, type TransferAction } from './domain/transfer';
import type { AvailabilityQuery, AvailabilityResponse, CreateTransferRequest, ListTransfersQuery, ReceiveTransferRequest, TransferResponse, TransferStepRequest } from './dto/transfer.dto';
import type { TransferEntity } from './entities/transfer.entity';
import { InventorySkus, iso, labelOf } from './inventory-skus';
import { SupplierService } from './supplier.service';
import { TransferRepository, type TransferRow } from './transfer.repository';

/**
 * Transfers between stores (调货). The receiving store (or HQ) asks another store for goods — after
 * looking at what the others hold (quantities only) — the sending store (or HQ) approves or rejects,
 * ships (`transfer_out`: the goods leave its stock and are in transit, valued at its average cost),
 * and the receiving store receives (`transfer_in` at that cost, into its moving average); fewer
 * received than shipped is recorded as the line's difference, more is refused.
 *
 * In transit is never counted twice or lost: shipped units are in neither store's stock and are on
 * the transfer line until received; received + difference = shipped (reconcile checks it against
 * the movements). Concurrency: each step locks the transfer row first, then stock rows through
 * StockService; shipping is strict, so a shipment and sales racing for the last unit cannot both
 * take it, even where the chain allows negative stock for sales.
 */
@Injectable()
export class TransferService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: TransferRepository,
    private readonly suppliers: SupplierService,
    private readonly skus: InventorySkus,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  async list(storeId: string, q: ListTransfersQuery): Promise<Page<TransferResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.repo.list(m, storeId, q, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(await this.toResponses(m, rows), total, q);
  }

  get(id: string): Promise<TransferResponse> {
    return this.detail(this.tx.manager, id);
  }

  /** Asks `fromStoreId` for goods for `toStoreId` (the route's store). */
  request(actor: StaffActor, toStoreId: string, input: CreateTransferRequest): Promise<TransferResponse> {
    return this.tx.run(async (m) => {
      if (input.fromStoreId === toStoreId) throw new AppError('VALIDATION_FAILED', [{ field: 'fromStoreId', errors: ['a transfer is between two stores'] }]);
      if (!(await this.repo.storeExists(m, input.fromStoreId))) throw new AppError('STORE_NOT_FOUND', { fromStoreId: input.fromStoreId });
      refuseDuplicateSkus(input.lines);
      await this.skus.require(m, input.lines.map((l) => l.skuId));
      const id = await this.repo.insert(
        m,
        { no: await this.suppliers.docNo(m, 'TR'), fromStoreId: input.fromStoreId, toStoreId, note: input.note ?? '', requestedBy: actor.id },
        input.lines,
      );
      await this.audit.record(m, {
        action: 'inventory.transfer.request',
        entityType: 'transfer',
        entityId: id,
        storeId: toStoreId,
        after: { fromStoreId: input.fromStoreId, toStoreId, lines: input.lines },
        reason: input.note ?? null,
      });
      return this.detail(m, id);
    });
  }

  approve(actor: StaffActor, id: string, input: TransferStepRequest): Promise<TransferResponse> {
    return this.step(actor, id, 'approve', input.note ?? null, async (m, t) => {
      const lines = (await this.repo.lines(m, [id])).get(id)!;
      const approved = planApproval(lines, input.lines);
      await this.repo.setApproved(m, id, approved);
      await this.repo.update(m, id, { status: 'approved', approvedBy: actor.id, approvedAt: new Date() });
      return { lines: Object.fromEntries(approved), storeId: t.fromStoreId };
    });
  }

  reject(actor: StaffActor, id: string, note: string): Promise<TransferResponse> {
    return this.step(actor, id, 'reject', note, async (m, t) => {
      await this.repo.update(m, id, { status: 'rejected', closingNote: note });
      return { storeId: t.fromStoreId };
    });
  }

  cancel(actor: StaffActor, id: string, note: string): Promise<TransferResponse> {
    return this.step(actor, id, 'cancel', note, async (m, t) => {
      await this.repo.update(m, id, { status: 'cancelled', closingNote: note });
      return { storeId: reachesStore(actor, t.toStoreId) ? t.toStoreId : t.fromStoreId };
    });
  }

  /** Ships (发货): the goods leave the sending store's stock and are in transit at its average cost. */
  ship(actor: StaffActor, id: string, input: TransferStepRequest): Promise<TransferResponse> {
    return this.step(actor, id, 'ship', input.note ?? null, async (m, t) => {
      const lines = (await this.repo.lines(m, [id])).get(id)!;
      const shipped = planShipment(lines, input.lines);
      const applied = await this.stock.apply(
        m,
        [...shipped]
          .filter(([, q]) => q > 0)
          .map(([skuId, q]) => ({ storeId: t.fromStoreId, skuId, delta: -q, reason: 'transfer_out', refType: 'transfer', refId: id, strict: true, note: t.no })),
      );
      const cost = new Map(applied.map((a) => [a.skuId, a.unitCostFen]));
      await this.repo.setShipped(m, id, [...shipped].map(([skuId, quantity]) => ({ skuId, quantity, unitCostFen: cost.get(skuId) ?? null })));
      await this.repo.update(m, id, { status: 'in_transit', shippedBy: actor.id, shippedAt: new Date() });
      return { lines: Object.fromEntries(shipped), storeId: t.fromStoreId };
    });
  }

  /** Receives (收货): what arrived enters the receiving store at the shipping cost; shortfalls are recorded. */
  receive(actor: StaffActor, id: string, input: ReceiveTransferRequest): Promise<TransferResponse> {
    return this.step(actor, id, 'receive', null, async (m, t) => {
      const lines = (await this.repo.lines(m, [id])).get(id)!;
      const received = planReceipt(lines, input.lines);
      const notes = new Map((input.lines ?? []).map((l) => [l.skuId, l.note ?? '']));
      const byId = new Map(lines.map((l) => [l.skuId, l]));
      await this.stock.apply(
        m,
        [...received]
          .filter(([, q]) => q > 0)
          .map(([skuId, q]) => {
            const cost = byId.get(skuId)!.unitCostFen;
            return { storeId: t.toStoreId, skuId, delta: q, reason: 'transfer_in', refType: 'transfer', refId: id, note: t.no, ...(cost !== null ? { unitCostFen: cost } : {}) };
          }),
      );
      await this.repo.setReceived(m, id, [...received].map(([skuId, quantity]) => ({ skuId, quantity, note: notes.get(skuId) ?? '' })));
      await this.repo.update(m, id, { status: 'done', receivedBy: actor.id, receivedAt: new Date() });
      const differences = lines
        .map((l) => ({ skuId: l.skuId, shipped: l.shippedQuantity ?? 0, received: received.get(l.skuId)! }))
        .filter((d) => d.shipped !== d.received)
        .map((d) => ({ ...d, difference: d.shipped - d.received, note: notes.get(d.skuId) ?? '' }));
      return { lines: Object.fromEntries(received), differences, storeId: t.toStoreId };
    });
  }

  /** What other stores hold of the items a store might ask for: their quantities, nothing else. */
  async availability(storeId: string, q: AvailabilityQuery): Promise<Page<AvailabilityResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.stock.page(m, storeId, q, (q.page - 1) * q.pageSize, q.pageSize);
    const elsewhere = await this.stock.elsewhere(m, storeId, rows.map((r) => r.skuId));
    return pageOf(
      rows.map((r) => ({
        skuId: r.skuId,
        productName: r.productName,
        specName: r.specName,
        barcode: r.barcode,
        unit: r.unit,
        quantity: r.quantity,
        elsewhere: elsewhere.filter((e) => e.skuId === r.skuId).map(({ storeId: id, storeCode, storeName, quantity }) => ({ storeId: id, storeCode, storeName, quantity })),
      })),
      total,
      q,
    );
  }

  /**
   * One step of the flow: the transfer locked, the step allowed from its status, taken by the
   * right store (the sending store approves, rejects and ships; the receiving store receives;
   * either withdraws), applied, audited.
   */
  private step(
    actor: StaffActor,
    id: string,
    action: TransferAction,
    note: string | null,
    apply: (m: EntityManager, t: TransferEntity) => Promise<Record<string, unknown> & { storeId: string }>,
  ): Promise<TransferResponse> {
    return this.tx.run(async (m) => {
      const t = await this.repo.lock(m, id);
      if (!t) throw new AppError('INVENTORY_TRANSFER_NOT_FOUND');
      const side = TRANSFER_FLOW[action].side;
      const allowed = side === 'from' ? reachesStore(actor, t.fromStoreId) : side === 'to' ? reachesStore(actor, t.toStoreId) : true;
      if (!allowed) throw new AppError('INVENTORY_TRANSFER_WRONG_SIDE', { action, side });
      const to = requireTransferStatus(action, t.status);
      const { storeId, ...after } = await apply(m, t);
      await this.audit.record(m, { action: `inventory.transfer.${action}`, entityType: 'transfer', entityId: id, storeId, before: { status: t.status }, after: { status: to, ...after }, reason: note || null });
      return this.detail(m, id);
    });
  }

  private async detail(m: EntityManager, id: string): Promise<TransferResponse> {
    const t = await this.repo.find(m, id);
    if (!t) throw new AppError('INVENTORY_TRANSFER_NOT_FOUND');
    return (await this.toResponses(m, [t]))[0];
  }

  private async toResponses(m: EntityManager, rows: TransferRow[]): Promise<TransferResponse[]> {
    const lines = await this.repo.lines(m, rows.map((r) => r.id));
    const labels = await this.skus.labels(m, [...lines.values()].flat().map((l) => l.skuId));
    return rows.map((t) => {
      const ls = lines.get(t.id)!.map((l) => ({
        ...labelOf(labels, l.skuId),
        requestedQuantity: l.requestedQuantity,
        approvedQuantity: l.approvedQuantity,
        shippedQuantity: l.shippedQuantity,
        receivedQuantity: l.receivedQuantity,
        inTransitQuantity: inTransit(t.status, l),
        differenceQuantity: difference(l),
        unitCostFen: l.unitCostFen,
        differenceNote: l.differenceNote,
      }));
      return {
        id: t.id,
        no: t.no,
        fromStore: { id: t.fromStoreId, code: t.fromStoreCode, name: t.fromStoreName },
        toStore: { id: t.toStoreId, code: t.toStoreCode, name: t.toStoreName },
        status: t.status,
        note: t.note,
        lines: ls,
        inTransitValueFen: ls.reduce((sum, l) => sum + l.inTransitQuantity * (l.unitCostFen ?? 0), 0),
        requestedBy: t.requestedBy,
        approvedBy: t.approvedBy,
        approvedAt: iso(t.approvedAt),
        shippedBy: t.shippedBy,
        shippedAt: iso(t.shippedAt),
        receivedBy: t.receivedBy,
        receivedAt: iso(t.receivedAt),
        closingNote: t.closingNote,
        createdAt: t.createdAt.toISOString(),
      };
    });
  }
}
