import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { requestContext } from '../../common/request-context';
import type { CatalogFilter } from './catalog.repository';
import { costAfterInbound } from './domain/stock-cost';
import { planStockMoves, type StockMove } from './domain/stock-moves';
import type { AdjustStockRequest, StockMovementResponse, StockQuery, StockResponse } from './dto/stock.dto';
import { StockRepository, type ElsewhereRow, type JournalFilter, type JournalRow, type SlowMovingRow, type StockLevel, type StockRow, type StoreValueRow } from './stock.repository';

export type { StockMove } from './domain/stock-moves';
export type { ElsewhereRow, JournalFilter, JournalRow, SlowMovingRow, StockLevel, StockRow, StoreValueRow } from './stock.repository';

/** A movement as the ledger recorded it: what other capabilities learn of each applied move. */
export interface AppliedStockMove {
  movementId: string;
  storeId: string;
  skuId: string;
  delta: number;
  reason: string;
  refType: string;
  refId: string;
  quantityAfter: number;
  /** What one unit of the movement is worth at cost (its stated cost, else the average). */
  unitCostFen: number;
  avgCostAfterFen: number;
}

/**
 * Told of every batch of applied moves, inside the moving transaction (e.g. low-stock alerts follow
 * stock without the catalog importing inventory). A listener's error rolls the moves back.
 */
export type StockMoveListener = (m: EntityManager, applied: AppliedStockMove[]) => Promise<void>;

/**
 * The stock ledger (库存台账): a store's stock of a SKU changes only here, by a conditional UPDATE
 * of the stock row and an append-only stock_movement row in the caller's transaction; its
 * moving-average cost changes only here too, in the same UPDATE (domain/stock-cost.ts).
 *
 * Concurrency: moves are merged and sorted by (store, sku) and applied in that order, so every
 * transaction takes stock row locks in one global order (no deadlock between two carts). The
 * UPDATE's row lock serialises sales of one SKU and its WHERE decides whether the units are there,
 * so the last unit is sold exactly once; movement ids are taken under that lock, so quantity_after
 * is the running sum of deltas in id order. A costed inbound reads quantity and average under a
 * FOR UPDATE of the same row first, so its new average weighs exactly what was there.
 */
@Injectable()
export class StockService {
  private readonly listeners: StockMoveListener[] = [];

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: StockRepository,
    private readonly audit: AuditService,
  ) {}

  /** Registers a listener told of every applied batch (at module init). */
  onMoved(listener: StockMoveListener): void {
    this.listeners.push(listener);
  }

  /**
   * Applies stock moves in the caller's transaction. SKUs that keep no stock (services,
   * made-to-order drinks) are skipped; an unknown SKU is CATALOG_SKU_NOT_FOUND. Taking a store's
   * stock below zero is STOCK_INSUFFICIENT (details: storeId, skuId, available, requested) unless
   * the chain allows negative stock and the move is not `strict`. The operator is the request's
   * actor (or the system).
   */
  async move(m: EntityManager, moves: StockMove[]): Promise<void> {
    await this.apply(m, moves);
  }

  /** As move(), returning each movement written (with its quantity after and its value at cost). */
  async apply(m: EntityManager, moves: StockMove[]): Promise<AppliedStockMove[]> {
    const planned = planStockMoves(moves);
    if (!planned.length) return [];
    const skuIds = [...new Set(planned.map((mv) => mv.skuId))];
    const tracking = await this.repo.tracking(m, skuIds);
    const missing = skuIds.filter((id) => !tracking.has(id));
    if (missing.length) throw new AppError('CATALOG_SKU_NOT_FOUND', { skuIds: missing });
    const live = planned.filter((mv) => tracking.get(mv.skuId));
    if (!live.length) return [];
    const allowNegative = live.some((mv) => mv.delta < 0 && !mv.strict) ? await this.repo.allowNegative(m) : false;
    const actor = requestContext.get()?.actor;
    const out: AppliedStockMove[] = [];
    for (const mv of live) {
      await this.repo.ensureRow(m, mv.storeId, mv.skuId);
      const costed = mv.delta > 0 && mv.unitCostFen !== undefined;
      let newAvg: number | null = null;
      if (costed) {
        const before = await this.repo.lockForCost(m, mv.storeId, mv.skuId);
        newAvg = costAfterInbound(before.quantity, before.avgCostFen, mv.delta, mv.unitCostFen!);
      }
      const after = await this.repo.apply(m, mv.storeId, mv.skuId, mv.delta, allowNegative && !mv.strict, newAvg);
      if (after === null) {
        const available = await this.repo.quantity(m, mv.storeId, mv.skuId);
        throw new AppError('STOCK_INSUFFICIENT', { storeId: mv.storeId, skuId: mv.skuId, available, requested: -mv.delta });
      }
      const unitCostFen = costed ? mv.unitCostFen! : after.avgCostFen;
      const movementId = await this.repo.insertMovement(m, {
        storeId: mv.storeId,
        skuId: mv.skuId,
        delta: mv.delta,
        quantityAfter: after.quantity,
        reason: mv.reason,
        note: mv.note ?? '',
        refType: mv.refType,
        refId: mv.refId,
        operatorKind: actor?.kind ?? 'system',
        operatorId: actor?.id ?? null,
        unitCostFen,
        avgCostAfterFen: after.avgCostFen,
      });
      out.push({
        movementId,
        storeId: mv.storeId,
        skuId: mv.skuId,
        delta: mv.delta,
        reason: mv.reason,
        refType: mv.refType,
        refId: mv.refId,
        quantityAfter: after.quantity,
        unitCostFen,
        avgCostAfterFen: after.avgCostFen,
      });
    }
    for (const listener of this.listeners) await listener(m, out);
    return out;
  }

  // ---- reads of the ledger for inventory and reports (no writes: those go through apply) ----

  /** Quantity and average cost of SKUs at a store; `lock` share-locks them (rows created) until commit. */
  levels(m: EntityManager, storeId: string, skuIds: string[], opts: { lock?: boolean } = {}): Promise<Map<string, StockLevel>> {
    return this.repo.levels(m, storeId, skuIds, opts.lock ?? false);
  }

  /** A consistent snapshot of every stock-keeping SKU at a store, optionally within categories (and below). */
  snapshot(m: EntityManager, storeId: string, categoryIds: string[] | null): Promise<StockLevel[]> {
    return this.repo.snapshot(m, storeId, categoryIds);
  }

  /** What the other stores hold of these SKUs: quantities only. */
  elsewhere(m: EntityManager, storeId: string, skuIds: string[]): Promise<ElsewhereRow[]> {
    return this.repo.elsewhere(m, storeId, skuIds);
  }

  /** A page of a store's stock rows (searchable like products), with average cost; `onlyHeld` drops zeros. */
  page(m: EntityManager, storeId: string, f: CatalogFilter & { onlyHeld?: boolean; skuIds?: string[] }, offset: number, limit: number): Promise<[StockRow[], number]> {
    return this.repo.list(m, storeId, f, offset, limit);
  }

  totals(m: EntityManager, storeId: string, f: CatalogFilter): Promise<{ skuCount: number; quantity: number; valueFen: number }> {
    return this.repo.totals(m, storeId, f);
  }

  journal(m: EntityManager, storeId: string, f: JournalFilter, offset: number, limit: number): Promise<[JournalRow[], number]> {
    return this.repo.journal(m, storeId, f, offset, limit);
  }

  netSales(m: EntityManager, storeId: string, from: Date, to: Date): Promise<Map<string, number>> {
    return this.repo.netSales(m, storeId, from, to);
  }

  valueByStore(m: EntityManager): Promise<StoreValueRow[]> {
    return this.repo.valueByStore(m);
  }

  slowMoving(m: EntityManager, storeId: string, since: Date, offset: number, limit: number): Promise<[SlowMovingRow[], number]> {
    return this.repo.slowMoving(m, storeId, since, offset, limit);
  }

  /** Opening stock (期初库存) or a correction by hand, by HQ or the store's manager; reason required, audited. */
  adjust(storeId: string, skuId: string, input: AdjustStockRequest): Promise<StockResponse> {
    return this.tx.run(async (m) => {
      const tracking = await this.repo.tracking(m, [skuId]);
      if (!tracking.has(skuId)) throw new AppError('CATALOG_SKU_NOT_FOUND');
      if (!tracking.get(skuId)) throw new AppError('STOCK_NOT_TRACKED');
      const refId = randomUUID();
      const [applied] = await this.apply(m, [{ storeId, skuId, delta: input.delta, reason: input.type, refType: 'stock_adjustment', refId, note: input.reason }]);
      await this.audit.record(m, {
        action: `stock.${input.type}`,
        entityType: 'stock',
        entityId: skuId,
        storeId,
        before: { quantity: applied.quantityAfter - input.delta },
        after: { quantity: applied.quantityAfter, delta: input.delta, adjustmentId: refId },
        reason: input.reason,
      });
      const [[row]] = await this.repo.list(m, storeId, {}, 0, 1, skuId);
      return toStockResponse(row);
    });
  }

  async list(storeId: string, q: StockQuery): Promise<Page<StockResponse>> {
    const [rows, total] = await this.repo.list(this.tx.manager, storeId, q, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toStockResponse), total, q);
  }

  /** A SKU's stock movements at a store, newest first. */
  async movements(storeId: string, skuId: string, q: PageQuery): Promise<Page<StockMovementResponse>> {
    const [rows, total] = await this.repo.movements(this.tx.manager, storeId, skuId, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), total, q);
  }
}

function toStockResponse(r: StockRow): StockResponse {
  return { ...r, updatedAt: r.updatedAt ? r.updatedAt.toISOString() : null };
}
