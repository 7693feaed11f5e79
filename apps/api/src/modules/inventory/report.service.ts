import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { StockService } from '../catalog/stock.service';
import { StockAlertService } from './alert.service';
import { averageDaily, suggestQuantity } from './domain/replenishment';
import type { PurchaseOrderResponse } from './dto/purchase.dto';
import type {
  ChainValuationResponse,
  ExportReplenishmentRequest,
  InTransitResponse,
  JournalLine,
  JournalQuery,
  ReplenishmentLine,
  ReplenishmentQuery,
  ReplenishmentResponse,
  SlowMovingLine,
  SlowMovingQuery,
  ValuationQuery,
  ValuationResponse,
} from './dto/report.dto';
import { InventorySkus, iso, labelOf } from './inventory-skus';
import { PurchaseService } from './purchase.service';
import { SupplierService } from './supplier.service';
import { TransferRepository } from './transfer.repository';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LEAD_TIME_DAYS = 3;

/**
 * Inventory reports (库存报表) — read only: stock by store and value at cost, the movement journal,
 * what is in transit, slow-moving stock — and the replenishment suggestion (补货建议) with its
 * export as a draft purchase order.
 */
@Injectable()
export class InventoryReportService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly stock: StockService,
    private readonly transfers: TransferRepository,
    private readonly purchases: PurchaseService,
    private readonly suppliers: SupplierService,
    private readonly alerts: StockAlertService,
    private readonly skus: InventorySkus,
  ) {}

  /** A store's stock at cost (库存金额): what it holds, and what is on the road to or from it. */
  async valuation(storeId: string, q: ValuationQuery): Promise<ValuationResponse> {
    const m = this.tx.manager;
    const [rows, total] = await this.stock.page(m, storeId, { ...q, onlyHeld: true }, (q.page - 1) * q.pageSize, q.pageSize);
    const totals = await this.stock.totals(m, storeId, q);
    const road = await this.transfers.inTransit(m, storeId);
    const sum = (xs: typeof road, f: (r: (typeof road)[number]) => number) => xs.reduce((s, r) => s + f(r), 0);
    const incoming = road.filter((r) => r.toStoreId === storeId);
    const outgoing = road.filter((r) => r.fromStoreId === storeId);
    return {
      items: rows.map((r) => ({
        skuId: r.skuId,
        productName: r.productName,
        specName: r.specName,
        barcode: r.barcode,
        unit: r.unit,
        quantity: r.quantity,
        avgCostFen: r.avgCostFen,
        valueFen: r.quantity * r.avgCostFen,
      })),
      total,
      page: q.page,
      pageSize: q.pageSize,
      ...totals,
      inTransit: {
        incomingQuantity: sum(incoming, (r) => r.quantity),
        incomingValueFen: sum(incoming, (r) => r.quantity * r.unitCostFen),
        outgoingQuantity: sum(outgoing, (r) => r.quantity),
        outgoingValueFen: sum(outgoing, (r) => r.quantity * r.unitCostFen),
      },
    };
  }

  /** Every store's stock at cost, and the goods between stores, counted once (HQ). */
  async chainValuation(): Promise<ChainValuationResponse> {
    const m = this.tx.manager;
    const stores = await this.stock.valueByStore(m);
    const incoming = await this.transfers.incomingByStore(m);
    const rows = stores.map((s) => ({ ...s, incomingQuantity: incoming.get(s.storeId)?.quantity ?? 0, incomingValueFen: incoming.get(s.storeId)?.valueFen ?? 0 }));
    return {
      stores: rows,
      quantity: rows.reduce((s, r) => s + r.quantity, 0),
      valueFen: rows.reduce((s, r) => s + r.valueFen, 0),
      inTransitQuantity: rows.reduce((s, r) => s + r.incomingQuantity, 0),
      inTransitValueFen: rows.reduce((s, r) => s + r.incomingValueFen, 0),
    };
  }

  /** The store's movement journal (库存流水), newest first, valued at cost. */
  async journal(storeId: string, q: JournalQuery): Promise<Page<JournalLine>> {
    const [rows, total] = await this.stock.journal(
      this.tx.manager,
      storeId,
      { from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, reasons: q.reason ? [q.reason] : undefined, skuId: q.skuId },
      (q.page - 1) * q.pageSize,
      q.pageSize,
    );
    return pageOf(
      rows.map((r) => ({
        id: r.id,
        skuId: r.skuId,
        productName: r.productName,
        specName: r.specName,
        barcode: r.barcode,
        unit: r.unit,
        delta: r.delta,
        quantityAfter: r.quantityAfter,
        reason: r.reason,
        note: r.note,
        refType: r.refType,
        refId: r.refId,
        unitCostFen: r.unitCostFen,
        valueFen: r.unitCostFen === null ? null : r.delta * r.unitCostFen,
        avgCostAfterFen: r.avgCostAfterFen,
        operatorKind: r.operatorKind,
        operatorId: r.operatorId,
        createdAt: r.createdAt.toISOString(),
      })),
      total,
      q,
    );
  }

  /** Goods on the road (在途): shipped, not yet received — to or from a store, or chain-wide (null). */
  async inTransit(storeId: string | null): Promise<InTransitResponse> {
    const m = this.tx.manager;
    const rows = await this.transfers.inTransit(m, storeId);
    const labels = await this.skus.labels(m, rows.map((r) => r.skuId));
    const items = rows.map((r) => ({ ...labelOf(labels, r.skuId), ...r, valueFen: r.quantity * r.unitCostFen, shippedAt: r.shippedAt.toISOString() }));
    return { items, quantity: items.reduce((s, i) => s + i.quantity, 0), valueFen: items.reduce((s, i) => s + i.valueFen, 0) };
  }

  /** Stock with no sale in the last N days (滞销 / 呆滞库存), the longest idle first. */
  async slowMoving(storeId: string, q: SlowMovingQuery): Promise<Page<SlowMovingLine>> {
    const since = new Date(Date.now() - q.days * DAY_MS);
    const [rows, total] = await this.stock.slowMoving(this.tx.manager, storeId, since, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(
      rows.map((r) => ({
        skuId: r.skuId,
        productName: r.productName,
        specName: r.specName,
        barcode: r.barcode,
        unit: r.unit,
        quantity: r.quantity,
        avgCostFen: r.avgCostFen,
        valueFen: r.quantity * r.avgCostFen,
        lastSaleAt: iso(r.lastSaleAt),
        lastInboundAt: iso(r.lastInboundAt),
      })),
      total,
      q,
    );
  }

  async replenishment(storeId: string, q: ReplenishmentQuery): Promise<ReplenishmentResponse> {
    return this.suggest(this.tx.manager, storeId, q);
  }

  /** Turns the suggestion into a draft purchase order from one supplier (补货建议 → 采购草稿). */
  exportDraft(actor: StaffActor, storeId: string, input: ExportReplenishmentRequest): Promise<PurchaseOrderResponse> {
    return this.tx.run(async (m) => {
      const suggestion = await this.suggest(m, storeId, { days: input.days ?? 28, leadTimeDays: input.leadTimeDays, supplierId: input.supplierId, asOf: input.asOf });
      const wanted = input.skuIds ? new Set(input.skuIds) : null;
      const lines = suggestion.items.filter((i) => !wanted || wanted.has(i.skuId));
      if (!lines.length) throw new AppError('INVENTORY_NOTHING_TO_ORDER');
      const id = await this.purchases.createDraft(m, actor, {
        storeId,
        supplierId: input.supplierId,
        expectedDate: null,
        note: `补货建议: 近 ${suggestion.days} 天销量`,
        lines: lines.map((l) => ({ skuId: l.skuId, quantity: l.suggestedQuantity, unitCostFen: l.unitCostFen })),
        source: 'replenishment',
      });
      return this.purchases.get(id);
    });
  }

  /**
   * For each SKU the store sold in the window or keeps an alert line for: net sales (sale and
   * refund movements) over the last `days` days up to `asOf`, the alert line as safety stock, what
   * is on hand, in transit to the store and still on order (domain/replenishment.ts).
   */
  private async suggest(m: EntityManager, storeId: string, q: ReplenishmentQuery): Promise<ReplenishmentResponse> {
    const to = q.asOf ? new Date(q.asOf) : new Date();
    const from = new Date(to.getTime() - q.days * DAY_MS);
    const supplier = q.supplierId ? await this.suppliers.require(m, q.supplierId) : null;
    const leadTimeDays = q.leadTimeDays ?? supplier?.leadTimeDays ?? DEFAULT_LEAD_TIME_DAYS;
    const sold = await this.stock.netSales(m, storeId, from, to);
    const safety = await this.alerts.safetyStock(m, storeId);
    const skuIds = [...new Set([...sold.keys(), ...safety.keys()])];
    const labels = await this.skus.labels(m, skuIds);
    const live = skuIds.filter((id) => labels.get(id)?.trackStock && labels.get(id)?.onSale);
    const levels = await this.stock.levels(m, storeId, live);
    const inTransit = await this.transfers.incoming(m, storeId);
    const onOrder = await this.purchases.onOrder(m, storeId);
    const lastCosts = supplier ? await this.purchases.lastCosts(m, supplier.id, live) : new Map<string, number>();
    const items: ReplenishmentLine[] = [];
    for (const skuId of live) {
      const input = {
        netSold: sold.get(skuId) ?? 0,
        windowDays: q.days,
        leadTimeDays,
        safetyStock: safety.get(skuId) ?? 0,
        onHand: levels.get(skuId)?.quantity ?? 0,
        inTransit: inTransit.get(skuId) ?? 0,
        onOrder: onOrder.get(skuId) ?? 0,
      };
      const suggested = suggestQuantity(input);
      if (suggested <= 0) continue;
      items.push({
        ...labelOf(labels, skuId),
        soldInWindow: input.netSold,
        averageDailySales: averageDaily(input.netSold, q.days),
        safetyStock: input.safetyStock,
        onHand: input.onHand,
        inTransit: input.inTransit,
        onOrder: input.onOrder,
        leadTimeDays,
        suggestedQuantity: suggested,
        unitCostFen: lastCosts.get(skuId) ?? levels.get(skuId)?.avgCostFen ?? labels.get(skuId)!.costFen,
      });
    }
    items.sort((a, b) => a.productName.localeCompare(b.productName, 'zh-CN') || a.skuId.localeCompare(b.skuId));
    return { days: q.days, from: from.toISOString(), to: to.toISOString(), items };
  }
}
