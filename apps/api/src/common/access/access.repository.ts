import { Injectable } from '@nestjs/common';
import type { ErrorCode } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';

/**
 * Answers "which stores does this resource belong to?" for every kind of resource addressed by a
 * route parameter, in one place (after Immich's access.repository). The access guard asks it for
 * every parameter of every route, so a new route is scoped as soon as its parameter is listed here;
 * a parameter missing from this list fails the route-walking test.
 *
 * `sql` takes the id as $1 and returns one row per store the resource belongs to (store_id may be
 * null for a chain-level resource, such as an HQ account with no store). No row: not found.
 * `global` resources (roles, chain settings) belong to no store and are guarded by permissions only.
 */
interface ResourceAccess {
  sql: string;
  notFound: ErrorCode;
  global?: true;
}

const RESOURCES: Record<string, ResourceAccess> = {
  storeId: { sql: 'SELECT id AS store_id FROM store WHERE id = $1', notFound: 'STORE_NOT_FOUND' },
  staffId: {
    sql: 'SELECT ss.store_id FROM staff s LEFT JOIN staff_store ss ON ss.staff_id = s.id WHERE s.id = $1',
    notFound: 'STAFF_NOT_FOUND',
  },
  roleId: { sql: 'SELECT id FROM role WHERE id = $1', notFound: 'ROLE_NOT_FOUND', global: true },
  // Members belong to the chain, not to a store (跨店通用): every store serves every member.
  memberId: { sql: 'SELECT id FROM member WHERE id = $1', notFound: 'MEMBER_NOT_FOUND', global: true },
  importId: { sql: 'SELECT store_id FROM member_import WHERE id = $1', notFound: 'MEMBER_IMPORT_NOT_FOUND' },
  tierId: { sql: 'SELECT id FROM tier WHERE id = $1 AND archived_at IS NULL', notFound: 'TIER_NOT_FOUND', global: true },
  countCardTemplateId: { sql: 'SELECT id FROM count_card_template WHERE id = $1', notFound: 'COUNT_CARD_TEMPLATE_NOT_FOUND', global: true },
  // A member's count card is the chain's like the member (跨店通用): any store redeems it.
  countCardId: { sql: 'SELECT id FROM member_count_card WHERE id = $1', notFound: 'COUNT_CARD_NOT_FOUND', global: true },
  // Redemptions and timers belong to the store where they happened: only it may reverse or stop them.
  countCardRedemptionId: { sql: 'SELECT store_id FROM count_card_redemption WHERE id = $1', notFound: 'COUNT_CARD_REDEMPTION_NOT_FOUND' },
  countCardTimerId: { sql: 'SELECT store_id FROM count_card_timer WHERE id = $1', notFound: 'COUNT_CARD_TIMER_NOT_FOUND' },
  // A card is its member's and serves in every store, like the member; where each card action
  // happened is recorded on the card's events, and a body storeId is checked as everywhere.
  cardId: { sql: 'SELECT id FROM card WHERE id = $1', notFound: 'CARD_NOT_FOUND', global: true },
  attributeId: { sql: 'SELECT id FROM member_attribute_def WHERE id = $1', notFound: 'MEMBER_ATTRIBUTE_NOT_FOUND', global: true },
  // Bonus rules are HQ's to manage (a store override included): chain-level, guarded by permission.
  bonusRuleId: { sql: 'SELECT id FROM wallet_bonus_rule WHERE id = $1', notFound: 'WALLET_BONUS_RULE_NOT_FOUND', global: true },
  // A top-up belongs to the store that collected it; a spend to the store where value was spent.
  topUpId: { sql: 'SELECT store_id FROM wallet_top_up WHERE id = $1', notFound: 'WALLET_TOP_UP_NOT_FOUND' },
  spendId: { sql: 'SELECT store_id FROM wallet_spend WHERE id = $1', notFound: 'WALLET_SPEND_NOT_FOUND' },
  // Points-mall gifts are defined by HQ for every store; their stock and redemptions are a store's.
  giftId: { sql: 'SELECT id FROM gift WHERE id = $1', notFound: 'MALL_GIFT_NOT_FOUND', global: true },
  redemptionId: { sql: 'SELECT store_id FROM mall_redemption WHERE id = $1', notFound: 'MALL_REDEMPTION_NOT_FOUND' },
  // Backups and system alerts are the whole chain's: HQ only, by permission and chain scope.
  backupId: { sql: 'SELECT id FROM backup_run WHERE id = $1', notFound: 'BACKUP_NOT_FOUND', global: true },
  alertId: { sql: 'SELECT id FROM system_alert WHERE id = $1', notFound: 'SYSTEM_ALERT_NOT_FOUND', global: true },
  // The catalog is the chain's (HQ manages it, every store sells from it); a store's own prices and
  // stock are addressed under /stores/:storeId, which scopes them.
  categoryId: { sql: 'SELECT id FROM category WHERE id = $1', notFound: 'CATALOG_CATEGORY_NOT_FOUND', global: true },
  productId: { sql: 'SELECT id FROM product WHERE id = $1', notFound: 'CATALOG_PRODUCT_NOT_FOUND', global: true },
  skuId: { sql: 'SELECT id FROM sku WHERE id = $1', notFound: 'CATALOG_SKU_NOT_FOUND', global: true },
  // A shift is one store's drawer; within the store, its service shows it to its staff member or a manager.
  shiftId: { sql: 'SELECT store_id FROM shift WHERE id = $1', notFound: 'SHIFT_NOT_FOUND' },
  // Schedules, bookings and queue numbers are one store's: its staff see and change them.
  scheduleExceptionId: { sql: 'SELECT store_id FROM schedule_exception WHERE id = $1', notFound: 'SCHEDULE_EXCEPTION_NOT_FOUND' },
  bookingId: { sql: 'SELECT store_id FROM booking WHERE id = $1', notFound: 'BOOKING_NOT_FOUND' },
  // A service's SKU (what a booking books): chain-level like every SKU.
  serviceSkuId: { sql: 'SELECT id FROM sku WHERE id = $1', notFound: 'CATALOG_SKU_NOT_FOUND', global: true },
  queueTicketId: { sql: 'SELECT store_id FROM queue_ticket WHERE id = $1', notFound: 'QUEUE_TICKET_NOT_FOUND' },
  // Staff levels and commission rules are HQ's, for every store.
  staffLevelId: { sql: 'SELECT id FROM staff_level WHERE id = $1', notFound: 'STAFF_LEVEL_NOT_FOUND', global: true },
  commissionRuleId: { sql: 'SELECT id FROM commission_rule WHERE id = $1', notFound: 'COMMISSION_RULE_NOT_FOUND', global: true },
  // A wage adjustment is its staff member's: it reaches the stores he works at (its routes are HQ's anyway).
  wageAdjustmentId: {
    sql: 'SELECT ss.store_id FROM wage_adjustment a LEFT JOIN staff_store ss ON ss.staff_id = a.staff_id WHERE a.id = $1',
    notFound: 'PAYROLL_ADJUSTMENT_NOT_FOUND',
  },
  // Attendance records belong to the store where the work was done.
  attendanceRecordId: { sql: 'SELECT store_id FROM attendance_record WHERE id = $1', notFound: 'ATTENDANCE_RECORD_NOT_FOUND' },
  // A WeChat Pay order and its refunds belong to the store the money was collected for.
  payOrderId: { sql: 'SELECT store_id FROM wechat_pay_order WHERE id = $1', notFound: 'WECHAT_PAY_ORDER_NOT_FOUND' },
  wechatRefundId: { sql: 'SELECT store_id FROM wechat_refund WHERE id = $1', notFound: 'WECHAT_REFUND_NOT_FOUND' },
  // A day's reconciliation covers every store: HQ's (the routes also require chain scope).
  reconciliationId: { sql: 'SELECT id FROM wechat_reconciliation WHERE id = $1', notFound: 'WECHAT_RECONCILIATION_NOT_FOUND', global: true },
  // Coupon templates and promotions are HQ's rules (a store list inside them says where they apply);
  // an issued coupon is its member's, usable at any store its rule names, like the member.
  couponTemplateId: { sql: 'SELECT id FROM coupon_template WHERE id = $1', notFound: 'COUPON_TEMPLATE_NOT_FOUND', global: true },
  couponId: { sql: 'SELECT id FROM coupon WHERE id = $1', notFound: 'COUPON_NOT_FOUND', global: true },
  promotionId: { sql: 'SELECT id FROM promotion WHERE id = $1', notFound: 'PROMOTION_NOT_FOUND', global: true },
  // A message belongs to the store of its event (or the member's home store); one with no store is HQ's.
  messageId: { sql: 'SELECT store_id FROM notification_message WHERE id = $1', notFound: 'NOTIFICATION_MESSAGE_NOT_FOUND' },
  // An order, and an open ticket or parked sale, belong to the store that rang it up.
  orderId: { sql: 'SELECT store_id FROM sales_order WHERE id = $1', notFound: 'ORDER_NOT_FOUND' },
  ticketId: { sql: 'SELECT store_id FROM ticket WHERE id = $1', notFound: 'TICKET_NOT_FOUND' },
  ticketLineId: { sql: 'SELECT t.store_id FROM ticket_line l JOIN ticket t ON t.id = l.ticket_id WHERE l.id = $1', notFound: 'TICKET_LINE_NOT_FOUND' },
  // Suppliers are HQ's list, ordered from by every store.
  supplierId: { sql: 'SELECT id FROM supplier WHERE id = $1', notFound: 'INVENTORY_SUPPLIER_NOT_FOUND', global: true },
  // Inventory documents belong to their store.
  purchaseOrderId: { sql: 'SELECT store_id FROM purchase_order WHERE id = $1', notFound: 'INVENTORY_PURCHASE_ORDER_NOT_FOUND' },
  stockIoId: { sql: 'SELECT store_id FROM stock_io WHERE id = $1', notFound: 'INVENTORY_STOCK_IO_NOT_FOUND' },
  stocktakeId: { sql: 'SELECT store_id FROM stocktake WHERE id = $1', notFound: 'INVENTORY_STOCKTAKE_NOT_FOUND' },
  stockAlertId: { sql: 'SELECT store_id FROM stock_alert WHERE id = $1', notFound: 'INVENTORY_STOCK_ALERT_NOT_FOUND' },
  // A transfer belongs to both of its stores: either may read it; which one may take which step
  // (the sender approves and ships, the receiver receives) is TransferService's to decide.
  transferId: {
    sql: 'SELECT from_store_id AS store_id FROM transfer WHERE id = $1 UNION ALL SELECT to_store_id FROM transfer WHERE id = $1',
    notFound: 'INVENTORY_TRANSFER_NOT_FOUND',
  },
};

export type ResourceStores = { found: false } | { found: true; stores: 'global' | string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class AccessRepository {
  static readonly params = Object.keys(RESOURCES);
  /** Parameters of chain-level resources, guarded by permissions only. */
  static readonly globalParams = Object.keys(RESOURCES).filter((p) => RESOURCES[p].global);

  knows(param: string): boolean {
    return Object.prototype.hasOwnProperty.call(RESOURCES, param);
  }

  notFoundCode(param: string): ErrorCode {
    return RESOURCES[param]?.notFound ?? 'NOT_FOUND';
  }

  async storesOf(manager: EntityManager, param: string, id: string): Promise<ResourceStores> {
    const resource = RESOURCES[param];
    if (!resource) throw new Error(`Route parameter :${param} has no entry in AccessRepository`);
    if (!UUID.test(id)) return { found: false };
    const rows: { store_id?: string | null }[] = await manager.query(resource.sql, [id]);
    if (rows.length === 0) return { found: false };
    if (resource.global) return { found: true, stores: 'global' };
    return { found: true, stores: rows.map((r) => r.store_id).filter((s): s is string => !!s) };
  }

  async existingStores(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => UUID.test(id));
    if (!valid.length) return new Set();
    const rows: { id: string }[] = await manager.query('SELECT id FROM store WHERE id = ANY($1::uuid[])', [valid]);
    return new Set(rows.map((r) => r.id));
  }
}
