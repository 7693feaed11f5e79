import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { StockService, type AppliedStockMove } from '../catalog/stock.service';
import { AlertRepository } from './alert.repository';
import type { AlertLineResponse, ListAlertsQuery, SetAlertLineRequest, StockAlertResponse } from './dto/alert.dto';
import { InventorySkus, iso, labelOf } from './inventory-skus';
import { LOW_STOCK_NOTIFIER, type LowStockNotifier } from './low-stock-notifier';

/**
 * Low-stock alerts (库存预警). A store sets an alert line per SKU; the alert follows the stock:
 * every batch of stock moves is looked at in its own transaction (StockService.onMoved), and a SKU
 * at or below its line gets an open alert (one per SKU and store: a run of sales raises one), which
 * the notifier hands to the outbox for the store's managers; above the line again, it is resolved.
 * Setting or removing a line re-evaluates at once. So at every commit: stock ≤ line ⇔ an open alert
 * (a reconcile check). The stock row lock (held by the move, or share-locked by a line change)
 * serialises the decisions for one SKU at one store.
 */
@Injectable()
export class StockAlertService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: AlertRepository,
    private readonly skus: InventorySkus,
    private readonly stock: StockService,
    private readonly audit: AuditService,
    @Inject(LOW_STOCK_NOTIFIER) private readonly notifier: LowStockNotifier,
  ) {}

  onModuleInit(): void {
    this.stock.onMoved((m, applied) => this.follow(m, applied));
  }

  /** The stock of some SKUs changed: raise or resolve their alerts. */
  private async follow(m: EntityManager, applied: AppliedStockMove[]): Promise<void> {
    const latest = new Map<string, AppliedStockMove>();
    for (const a of applied) latest.set(`${a.storeId}/${a.skuId}`, a);
    const lines = await this.repo.linesFor(m, [...latest.values()]);
    for (const line of lines) await this.evaluate(m, line.storeId, line.skuId, line.minQuantity, latest.get(`${line.storeId}/${line.skuId}`)!.quantityAfter);
  }

  private async evaluate(m: EntityManager, storeId: string, skuId: string, minQuantity: number, quantity: number): Promise<void> {
    if (quantity > minQuantity) {
      await this.repo.resolve(m, storeId, skuId, 'restocked');
      return;
    }
    const alertId = await this.repo.raise(m, storeId, skuId, minQuantity, quantity);
    if (!alertId) return;
    const labels = await this.skus.labels(m, [skuId]);
    const label = labelOf(labels, skuId);
    const notified = await this.notifier.alertRaised(m, { alertId, storeId, skuId, productName: [label.productName, label.specName].filter(Boolean).join(' '), minQuantity, quantity });
    if (notified) await this.repo.setNotified(m, alertId, notified);
  }

  async lines(storeId: string, q: PageQuery): Promise<Page<AlertLineResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.repo.listLines(m, storeId, (q.page - 1) * q.pageSize, q.pageSize);
    const skuIds = rows.map((r) => r.skuId);
    const [levels, labels, open] = [await this.stock.levels(m, storeId, skuIds), await this.skus.labels(m, skuIds), await this.repo.openSkus(m, storeId, skuIds)];
    return pageOf(
      rows.map((r) => ({
        ...labelOf(labels, r.skuId),
        storeId,
        minQuantity: r.minQuantity,
        quantity: levels.get(r.skuId)?.quantity ?? 0,
        low: open.has(r.skuId),
        updatedAt: r.updatedAt.toISOString(),
      })),
      total,
      q,
    );
  }

  /** Sets a SKU's alert line at a store (库存预警线) and applies it to the stock as it is now; audited. */
  setLine(actor: StaffActor, storeId: string, skuId: string, input: SetAlertLineRequest): Promise<AlertLineResponse> {
    return this.tx.run(async (m) => {
      const labels = await this.skus.require(m, [skuId]);
      const quantity = (await this.stock.levels(m, storeId, [skuId], { lock: true })).get(skuId)!.quantity;
      const before = await this.repo.findLine(m, storeId, skuId);
      await this.repo.upsertLine(m, storeId, skuId, input.minQuantity, actor.id);
      await this.evaluate(m, storeId, skuId, input.minQuantity, quantity);
      await this.audit.record(m, {
        action: 'inventory.alert_line.set',
        entityType: 'stock_alert_line',
        entityId: skuId,
        storeId,
        before: before ? { minQuantity: before.minQuantity } : null,
        after: { minQuantity: input.minQuantity },
      });
      const line = (await this.repo.findLine(m, storeId, skuId))!;
      return {
        ...labelOf(labels, skuId),
        storeId,
        minQuantity: line.minQuantity,
        quantity,
        low: quantity <= line.minQuantity,
        updatedAt: line.updatedAt.toISOString(),
      };
    });
  }

  removeLine(storeId: string, skuId: string): Promise<void> {
    return this.tx.run(async (m) => {
      await this.stock.levels(m, storeId, [skuId], { lock: true });
      const before = await this.repo.findLine(m, storeId, skuId);
      if (!before) throw new AppError('INVENTORY_ALERT_LINE_NOT_FOUND');
      await this.repo.deleteLine(m, storeId, skuId);
      await this.repo.resolve(m, storeId, skuId, 'line_removed');
      await this.audit.record(m, { action: 'inventory.alert_line.remove', entityType: 'stock_alert_line', entityId: skuId, storeId, before: { minQuantity: before.minQuantity }, after: null });
    });
  }

  async alerts(storeId: string, q: ListAlertsQuery): Promise<Page<StockAlertResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.repo.list(m, storeId, q.status, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(await this.toAlertResponses(m, storeId, rows), total, q);
  }

  /** The manager has seen it (已读); the alert stays open until the stock is above the line again. */
  acknowledge(actor: StaffActor, alertId: string): Promise<StockAlertResponse> {
    return this.tx.run(async (m) => {
      const a = await this.repo.find(m, alertId);
      if (!a) throw new AppError('INVENTORY_STOCK_ALERT_NOT_FOUND');
      await this.repo.acknowledge(m, alertId, actor.id);
      const after = (await this.repo.find(m, alertId))!;
      return (await this.toAlertResponses(m, a.storeId, [after]))[0];
    });
  }

  /** The alert lines of a store (the safety stock of replenishment), per SKU. */
  safetyStock(m: EntityManager, storeId: string): Promise<Map<string, number>> {
    return this.repo.allLines(m, storeId);
  }

  private async toAlertResponses(m: EntityManager, storeId: string, rows: Awaited<ReturnType<AlertRepository['list']>>[0]): Promise<StockAlertResponse[]> {
    const skuIds = rows.map((r) => r.skuId);
    const [levels, labels] = [await this.stock.levels(m, storeId, skuIds), await this.skus.labels(m, skuIds)];
    return rows.map((a) => ({
      ...labelOf(labels, a.skuId),
      id: a.id,
      storeId: a.storeId,
      minQuantity: a.minQuantity,
      quantity: a.quantity,
      currentQuantity: levels.get(a.skuId)?.quantity ?? 0,
      status: a.status,
      raisedAt: a.raisedAt.toISOString(),
      resolvedAt: iso(a.resolvedAt),
      resolution: a.resolution,
      acknowledgedBy: a.acknowledgedBy,
      acknowledgedAt: iso(a.acknowledgedAt),
      notifiedCount: a.notifiedCount,
    }));
  }
}
