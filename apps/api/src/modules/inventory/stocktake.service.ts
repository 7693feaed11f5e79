import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { pgConstraint, pgErrorCode, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { StockService } from '../catalog/stock.service';
import { applyCount, postingDeltas } from './domain/stocktake';
import type {
  CountResultResponse,
  ListStocktakesQuery,
  PostStocktakeRequest,
  ScanBatchRequest,
  SetCountsRequest,
  StartStocktakeRequest,
  StocktakeLinePageResponse,
  StocktakeLineResponse,
  StocktakeLinesQuery,
  StocktakeResponse,
} from './dto/stocktake.dto';
import type { StocktakeEntity } from './entities/stocktake.entity';
import { InventorySkus, iso, labelOf } from './inventory-skus';
import { StocktakeRepository, type StocktakeLineRow, type StocktakeTotalsRow } from './stocktake.repository';
import { SupplierService } from './supplier.service';
import type { SkuLabelRow } from '../catalog/catalog.service';

const EMPTY_TOTALS: StocktakeTotalsRow = { lines: 0, countedLines: 0, gainQuantity: 0, gainValueFen: 0, lossQuantity: 0, lossValueFen: 0, snapshotValueFen: 0 };

/**
 * Stocktakes (盘点): a snapshot of the store's ledger at the start (all stock-keeping items, or
 * those of some categories), counts entered by hand or as batches of barcode scans, a variance
 * report valued at cost, and posting the variances through the stock ledger (`stocktake`).
 *
 * The store keeps selling while it counts. The rule (domain/stocktake.ts): a line's variance is
 * counted − expected, expected being the ledger's quantity when the line was last counted, and
 * posting adds the variance — so sales before the count are not losses, sales after it are not
 * gains. Each count share-locks the item's stock row while it reads that quantity, so a sale is
 * either wholly before the count or wholly after it.
 */
@Injectable()
export class StocktakeService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: StocktakeRepository,
    private readonly suppliers: SupplierService,
    private readonly skus: InventorySkus,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  async list(storeId: string, q: ListStocktakesQuery): Promise<Page<StocktakeResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.repo.list(m, storeId, q.status, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(await this.toResponses(m, rows), total, q);
  }

  async get(id: string): Promise<StocktakeResponse> {
    const m = this.tx.manager;
    return (await this.toResponses(m, [await this.require(m, id)]))[0];
  }

  async lines(id: string, q: StocktakeLinesQuery): Promise<StocktakeLinePageResponse> {
    const m = this.tx.manager;
    await this.require(m, id);
    const [rows, total] = await this.repo.lines(m, id, q.filter ?? 'all', (q.page - 1) * q.pageSize, q.pageSize);
    const labels = await this.skus.labels(m, rows.map((r) => r.skuId));
    return pageOf(rows.map((r) => toLineResponse(r, labels)), total, q);
  }

  /** Starts a stocktake: one open per store; the snapshot is one consistent read of the ledger. */
  async start(actor: StaffActor, storeId: string, input: StartStocktakeRequest): Promise<StocktakeResponse> {
    const categoryIds = [...new Set(input.categoryIds ?? [])];
    if (input.scope === 'categories' && !categoryIds.length) throw new AppError('VALIDATION_FAILED', [{ field: 'categoryIds', errors: ['name the categories to count'] }]);
    if (input.scope === 'full' && categoryIds.length) throw new AppError('VALIDATION_FAILED', [{ field: 'categoryIds', errors: ['a full stocktake counts every category'] }]);
    try {
      return await this.tx.run(async (m) => {
        const known = await this.skus.existingCategories(m, categoryIds);
        const missing = categoryIds.filter((c) => !known.has(c));
        if (missing.length) throw new AppError('CATALOG_CATEGORY_NOT_FOUND', { categoryIds: missing });
        const snapshot = await this.stock.snapshot(m, storeId, input.scope === 'categories' ? categoryIds : null);
        const st = await this.repo.insert(m, { no: await this.suppliers.docNo(m, 'ST'), storeId, scope: input.scope, categoryIds, note: input.note ?? '', startedBy: actor.id }, snapshot);
        await this.audit.record(m, {
          action: 'inventory.stocktake.start',
          entityType: 'stocktake',
          entityId: st.id,
          storeId,
          after: { no: st.no, scope: input.scope, categoryIds, lines: snapshot.length },
          reason: input.note ?? null,
        });
        return (await this.toResponses(m, [(await this.repo.find(m, st.id))!]))[0];
      });
    } catch (err) {
      if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'stocktake_one_open_per_store') throw new AppError('INVENTORY_STOCKTAKE_OPEN_EXISTS');
      throw err;
    }
  }

  /** Sets counted quantities (a recount replaces the earlier count). */
  setCounts(actor: StaffActor, id: string, input: SetCountsRequest): Promise<CountResultResponse> {
    const seen = new Set<string>();
    const dup = input.lines.find((l) => (seen.has(l.skuId) ? true : (seen.add(l.skuId), false)));
    if (dup) throw new AppError('VALIDATION_FAILED', [{ field: 'lines', errors: [`each item once per request; repeated: ${dup.skuId}`] }]);
    return this.count(actor, id, input.lines.map((l) => ({ skuId: l.skuId, mode: 'set' as const, quantity: l.quantity })));
  }

  /** A batch of barcode scans (扫码盘点): each scan adds its units to its item's count. */
  scan(actor: StaffActor, id: string, input: ScanBatchRequest): Promise<CountResultResponse> {
    return this.tx.run(async (m) => {
      const found = await this.skus.byBarcode(m, input.scans.map((s) => s.barcode));
      const unknown = [...new Set(input.scans.map((s) => s.barcode).filter((b) => !found.has(b)))];
      if (unknown.length) throw new AppError('INVENTORY_BARCODE_NOT_FOUND', { barcodes: unknown });
      const units = new Map<string, number>();
      for (const s of input.scans) {
        const skuId = found.get(s.barcode)!.skuId;
        units.set(skuId, (units.get(skuId) ?? 0) + (s.quantity ?? 1));
      }
      return this.count(actor, id, [...units].map(([skuId, quantity]) => ({ skuId, mode: 'add' as const, quantity })));
    });
  }

  private count(actor: StaffActor, id: string, entries: { skuId: string; mode: 'add' | 'set'; quantity: number }[]): Promise<CountResultResponse> {
    return this.tx.run(async (m) => {
      const st = await this.repo.lock(m, id, 'share');
      if (!st) throw new AppError('INVENTORY_STOCKTAKE_NOT_FOUND');
      if (st.status !== 'open') throw new AppError('INVENTORY_STOCKTAKE_STATUS', { status: st.status });
      const skuIds = entries.map((e) => e.skuId);
      const lines = await this.repo.lockLines(m, id, skuIds);
      const outside = skuIds.filter((s) => !lines.has(s));
      if (outside.length) throw new AppError('INVENTORY_STOCKTAKE_OUT_OF_SCOPE', { skuIds: outside });
      // Share-locks the items' stock rows: a sale in flight finishes first (and is before the
      // count), a later one waits for this count to commit (and is after it).
      const onHand = await this.stock.levels(m, st.storeId, skuIds, { lock: true });
      const log: { skuId: string; mode: 'add' | 'set'; quantity: number; countedAfter: number; expected: number }[] = [];
      for (const e of entries) {
        const line = lines.get(e.skuId)!;
        const next = applyCount(line, e, onHand.get(e.skuId)?.quantity ?? 0);
        await this.repo.setCount(m, id, e.skuId, next.countedQuantity, next.expectedQuantity);
        log.push({ ...e, countedAfter: next.countedQuantity, expected: next.expectedQuantity });
      }
      await this.repo.insertCounts(m, id, actor.id, log);
      const updated = await this.repo.lockLines(m, id, skuIds);
      const labels = await this.skus.labels(m, skuIds);
      return { lines: skuIds.map((s) => toLineResponse(updated.get(s)!, labels)) };
    });
  }

  /**
   * Posts the variances through the stock ledger (盘点过账), at the store's average cost. Lines
   * nobody counted are left alone (`ignore`) or counted as none found (`zero`, against the
   * ledger's quantity at posting). Waits for counts in flight (exclusive lock on the stocktake).
   */
  post(actor: StaffActor, id: string, input: PostStocktakeRequest): Promise<StocktakeResponse> {
    return this.tx.run(async (m) => {
      const st = await this.lockOpen(m, id);
      const lines = await this.repo.allLines(m, id);
      const involved = lines.filter((l) => l.countedQuantity !== null || input.uncounted === 'zero');
      const onHand = input.uncounted === 'zero' ? await this.stock.levels(m, st.storeId, involved.filter((l) => l.countedQuantity === null).map((l) => l.skuId), { lock: true }) : new Map();
      const deltas = postingDeltas(involved, input.uncounted, new Map([...onHand].map(([k, v]) => [k, v.quantity])));
      const applied = await this.stock.apply(
        m,
        deltas.filter((d) => d.delta !== 0).map((d) => ({ storeId: st.storeId, skuId: d.skuId, delta: d.delta, reason: 'stocktake', refType: 'stocktake', refId: id, note: st.no })),
      );
      const cost = new Map(applied.map((a) => [a.skuId, a.unitCostFen]));
      const snapshotCost = new Map(lines.map((l) => [l.skuId, l.snapshotCostFen]));
      await this.repo.setPosted(m, id, deltas.map((d) => ({ skuId: d.skuId, delta: d.delta, unitCostFen: cost.get(d.skuId) ?? snapshotCost.get(d.skuId)! })));
      await this.repo.update(m, id, { status: 'posted', closedBy: actor.id, closedAt: new Date(), uncounted: input.uncounted });
      const [after] = await this.toResponses(m, [(await this.repo.find(m, id))!]);
      await this.audit.record(m, {
        action: 'inventory.stocktake.post',
        entityType: 'stocktake',
        entityId: id,
        storeId: st.storeId,
        before: { status: 'open' },
        after: { status: 'posted', uncounted: input.uncounted, adjustments: applied.length, totals: { ...after.totals } },
      });
      return after;
    });
  }

  cancel(actor: StaffActor, id: string, note: string): Promise<StocktakeResponse> {
    return this.tx.run(async (m) => {
      const st = await this.lockOpen(m, id);
      await this.repo.update(m, id, { status: 'cancelled', closedBy: actor.id, closedAt: new Date() });
      await this.audit.record(m, { action: 'inventory.stocktake.cancel', entityType: 'stocktake', entityId: id, storeId: st.storeId, before: { status: 'open' }, after: { status: 'cancelled' }, reason: note || null });
      return (await this.toResponses(m, [(await this.repo.find(m, id))!]))[0];
    });
  }

  private async lockOpen(m: EntityManager, id: string): Promise<StocktakeEntity> {
    const st = await this.repo.lock(m, id, 'update');
    if (!st) throw new AppError('INVENTORY_STOCKTAKE_NOT_FOUND');
    if (st.status !== 'open') throw new AppError('INVENTORY_STOCKTAKE_STATUS', { status: st.status });
    return st;
  }

  private async require(m: EntityManager, id: string): Promise<StocktakeEntity> {
    const st = await this.repo.find(m, id);
    if (!st) throw new AppError('INVENTORY_STOCKTAKE_NOT_FOUND');
    return st;
  }

  private async toResponses(m: EntityManager, rows: StocktakeEntity[]): Promise<StocktakeResponse[]> {
    const totals = await this.repo.totals(m, rows.map((r) => r.id));
    return rows.map((st) => {
      const t = totals.get(st.id) ?? EMPTY_TOTALS;
      return {
        id: st.id,
        no: st.no,
        storeId: st.storeId,
        scope: st.scope,
        categoryIds: st.categoryIds,
        status: st.status,
        note: st.note,
        uncounted: st.uncounted,
        totals: { ...t, netValueFen: t.gainValueFen - t.lossValueFen },
        startedBy: st.startedBy,
        closedBy: st.closedBy,
        closedAt: iso(st.closedAt),
        createdAt: st.createdAt.toISOString(),
      };
    });
  }
}

function toLineResponse(l: StocktakeLineRow, labels: ReadonlyMap<string, SkuLabelRow>): StocktakeLineResponse {
  const variance = l.postedDelta ?? (l.countedQuantity === null ? null : l.countedQuantity - l.expectedQuantity!);
  const unitCostFen = l.postedCostFen ?? l.snapshotCostFen;
  return {
    ...labelOf(labels, l.skuId),
    snapshotQuantity: l.snapshotQuantity,
    countedQuantity: l.countedQuantity,
    expectedQuantity: l.expectedQuantity,
    movedSinceSnapshot: l.expectedQuantity === null ? null : l.expectedQuantity - l.snapshotQuantity,
    varianceQuantity: variance,
    unitCostFen,
    varianceValueFen: variance === null ? null : variance * unitCostFen,
    countedAt: iso(l.countedAt),
    postedDelta: l.postedDelta,
  };
}
