import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationsService } from '../notifications/notifications.service';
import { StaffService } from '../staff/staff.service';

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
 * The seam between the alerts and whoever must hear of them (库存预警通知): told in the transaction
 * that raised the alert, so a message exists exactly when the alert does; returns how many
 * messages it handed on (kept on the alert as `notifiedCount`).
 */
export interface LowStockNotifier {
  alertRaised(m: EntityManager, alert: LowStockAlert): Promise<number>;
}

export const LOW_STOCK_NOTIFIER = Symbol('LOW_STOCK_NOTIFIER');

/**
 * Through the notification outbox: one `stock.low` message per manager of the store (active staff
 * of the store whose store-level role grants `inventory.alert`), deduplicated per alert and
 * manager. HQ is not messaged per alert; it reads the alerts of every store. Nothing is enqueued
 * while the chain has no enabled template for `stock.low` (NotificationsService decides), and the
 * alert stays listed by the API either way.
 */
@Injectable()
export class OutboxLowStockNotifier implements LowStockNotifier {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly staff: StaffService,
  ) {}

  async alertRaised(m: EntityManager, alert: LowStockAlert): Promise<number> {
    let enqueued = 0;
    for (const staffId of await this.staff.storeStaffWith(m, alert.storeId, 'inventory.alert')) {
      const id = await this.notifications.enqueue(m, {
        event: 'stock.low',
        staffId,
        storeId: alert.storeId,
        dedupeKey: `stock-alert:${alert.alertId}:${staffId}`,
        data: { productName: alert.productName, quantity: alert.quantity, minQuantity: alert.minQuantity, skuId: alert.skuId, alertId: alert.alertId },
      });
      if (id) enqueued++;
    }
    return enqueued;
  }
}
