import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { requestContext } from '../../common/request-context';
import { planStockMoves, type StockMove } from './domain/stock-moves';
import type { AdjustStockRequest, StockMovementResponse, StockQuery, StockResponse } from './dto/stock.dto';
import { StockRepository, type StockRow } from './stock.repository';

export type { StockMove } from './domain/stock-moves';

/**
 * The stock ledger (库存台账): a store's stock of a SKU changes only here, by a conditional UPDATE
 * of the stock row and an append-only stock_movement row in the caller's transaction.
 *
 * Concurrency: moves are merged and sorted by (store, sku) and applied in that order, so every
 * transaction takes stock row locks in one global order (no deadlock between two carts). The
 * UPDATE's row lock serialises sales of one SKU and its WHERE decides whether the units are there,
 * so the last unit is sold exactly once; movement ids are taken under that lock, so quantity_after
 * is the running sum of deltas in id order.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: StockRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Applies stock moves in the caller's transaction. SKUs that keep no stock (services,
   * made-to-order drinks) are skipped; an unknown SKU is CATALOG_SKU_NOT_FOUND. Taking a store's
   * stock below zero is STOCK_INSUFFICIENT (details: storeId, skuId, available, requested) unless
   * the chain allows negative stock. The operator is the request's actor (or the system).
   */
  async move(m: EntityManager, moves: StockMove[]): Promise<void> {
    await this.apply(m, moves);
  }

  private async apply(m: EntityManager, moves: StockMove[]): Promise<{ storeId: string; skuId: string; quantityAfter: number }[]> {
    const planned = planStockMoves(moves);
    if (!planned.length) return [];
    const skuIds = [...new Set(planned.map((mv) => mv.skuId))];
    const tracking = await this.repo.tracking(m, skuIds);
    const missing = skuIds.filter((id) => !tracking.has(id));
    if (missing.length) throw new AppError('CATALOG_SKU_NOT_FOUND', { skuIds: missing });
    const live = planned.filter((mv) => tracking.get(mv.skuId));
    if (!live.length) return [];
    const allowNegative = live.some((mv) => mv.delta < 0) ? await this.repo.allowNegative(m) : false;
    const actor = requestContext.get()?.actor;
    const out: { storeId: string; skuId: string; quantityAfter: number }[] = [];
    for (const mv of live) {
      await this.repo.ensureRow(m, mv.storeId, mv.skuId);
      const quantityAfter = await this.repo.apply(m, mv.storeId, mv.skuId, mv.delta, allowNegative);
      if (quantityAfter === null) {
        const available = await this.repo.quantity(m, mv.storeId, mv.skuId);
        throw new AppError('STOCK_INSUFFICIENT', { storeId: mv.storeId, skuId: mv.skuId, available, requested: -mv.delta });
      }
      await this.repo.insertMovement(m, {
        storeId: mv.storeId,
        skuId: mv.skuId,
        delta: mv.delta,
        quantityAfter,
        reason: mv.reason,
        note: mv.note ?? '',
        refType: mv.refType,
        refId: mv.refId,
        operatorKind: actor?.kind ?? 'system',
        operatorId: actor?.id ?? null,
      });
      out.push({ storeId: mv.storeId, skuId: mv.skuId, quantityAfter });
    }
    return out;
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
