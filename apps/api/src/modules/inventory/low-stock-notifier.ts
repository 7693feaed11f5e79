import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A low-stock alert just raised, inside the transaction of the movement that raised it. */
export interface LowStockAlert {
  alertId: string;
  storeId: string;
  skuId: string;
  productName: string;
  minQuantity: number;
  quantity: number;
}

/**
 * The seam to the notification outbox (库存预警通知). When an alert is raised, the notifier is told
 * in the same transaction and hands one message per manager of the store to the outbox (so the
 * message exists exactly when the alert does); it returns how many it enqueued.
 *
 * The outbox (modules/notifications, `NotificationsService.enqueue(m, { event, staffId, storeId,
 * dedupeKey: 'stock-alert:<alertId>:<staffId>', data })`) is being built on another branch; until
 * it is on main, LOW_STOCK_NOTIFIER is RecordOnlyLowStockNotifier: the alert row is the record,
 * listed by `GET /api/stores/:storeId/stock-alerts`, and nobody is messaged.
 */
export interface LowStockNotifier {
  alertRaised(m: EntityManager, alert: LowStockAlert): Promise<number>;
}

export const LOW_STOCK_NOTIFIER = Symbol('LOW_STOCK_NOTIFIER');

@Injectable()
export class RecordOnlyLowStockNotifier implements LowStockNotifier {
  async alertRaised(): Promise<number> {
    return 0;
  }
}
