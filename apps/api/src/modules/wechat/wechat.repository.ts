import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  WechatAccountEntity,
  WechatNotificationEntity,
  WechatPayOrderEntity,
  WechatReconciliationEntity,
  WechatReconciliationItemEntity,
  WechatRefundEntity,
  type PayOrderStatus,
  type PayRefundStatus,
} from './entities/wechat.entity';

/** The only SQL of the WeChat capability: its own tables, plus store codes and member numbers to resolve QR scenes. */
@Injectable()
export class WechatRepository {
  // ── accounts ──────────────────────────────────────────────────────────────

  /** Finds the account or creates it for the member made by `createMember`, once per (appid, openid) even under concurrent sign-ins. */
  async accountByOpenid(m: EntityManager, appid: string, openid: string): Promise<WechatAccountEntity | null> {
    return m.findOne(WechatAccountEntity, { where: { appid, openid } });
  }

  /** Inserts the account; false when a concurrent sign-in inserted it first. */
  async insertAccount(m: EntityManager, row: { appid: string; openid: string; unionid: string | null; memberId: string }): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO wechat_account (appid, openid, unionid, member_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (appid, openid) DO NOTHING RETURNING id`,
      [row.appid, row.openid, row.unionid, row.memberId],
    );
    return rows.length > 0;
  }

  async touchAccount(m: EntityManager, id: string, unionid: string | null): Promise<void> {
    await m.query('UPDATE wechat_account SET last_login_at = now(), unionid = COALESCE($2, unionid) WHERE id = $1', [id, unionid]);
  }

  async deleteAccounts(m: EntityManager, memberId: string): Promise<void> {
    await m.query('DELETE FROM wechat_account WHERE member_id = $1', [memberId]);
  }

  async openidOf(m: EntityManager, memberId: string, appid: string): Promise<string | null> {
    const rows: { openid: string }[] = await m.query('SELECT openid FROM wechat_account WHERE member_id = $1 AND appid = $2 ORDER BY last_login_at DESC LIMIT 1', [memberId, appid]);
    return rows[0]?.openid ?? null;
  }

  async storeByCode(m: EntityManager, code: string): Promise<{ id: string; code: string } | null> {
    const rows: { id: string; code: string }[] = await m.query('SELECT id, code FROM store WHERE code = $1', [code]);
    return rows[0] ?? null;
  }

  async storeCode(m: EntityManager, storeId: string): Promise<string | null> {
    const rows: { code: string }[] = await m.query('SELECT code FROM store WHERE id = $1', [storeId]);
    return rows[0]?.code ?? null;
  }

  async memberIdByNo(m: EntityManager, memberNo: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM member WHERE member_no = $1`, [memberNo]);
    return rows[0]?.id ?? null;
  }

  async memberNoAndHome(m: EntityManager, memberId: string): Promise<{ memberNo: string; homeStoreId: string } | null> {
    const rows: { member_no: string; home_store_id: string }[] = await m.query('SELECT member_no, home_store_id FROM member WHERE id = $1', [memberId]);
    return rows[0] ? { memberNo: rows[0].member_no, homeStoreId: rows[0].home_store_id } : null;
  }

  // ── pay orders ────────────────────────────────────────────────────────────

  insertPayOrder(m: EntityManager, row: Partial<WechatPayOrderEntity>): Promise<WechatPayOrderEntity> {
    return m.save(WechatPayOrderEntity, m.create(WechatPayOrderEntity, row));
  }

  payOrder(m: EntityManager, id: string): Promise<WechatPayOrderEntity | null> {
    return m.findOne(WechatPayOrderEntity, { where: { id } });
  }

  /** Locks the order: a notification, the job and a manual sync decide one at a time. */
  lockPayOrderByNo(m: EntityManager, outTradeNo: string): Promise<WechatPayOrderEntity | null> {
    return m.findOne(WechatPayOrderEntity, { where: { outTradeNo }, lock: { mode: 'pessimistic_write' } });
  }

  lockPayOrder(m: EntityManager, id: string): Promise<WechatPayOrderEntity | null> {
    return m.findOne(WechatPayOrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async updatePayOrder(m: EntityManager, id: string, patch: Partial<WechatPayOrderEntity>): Promise<void> {
    await m.update(WechatPayOrderEntity, { id }, patch);
  }

  /** Orders still open at WeChat that the job looks at: JSAPI older than a minute, payment codes past their wait. */
  async openPayOrderIds(m: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM wechat_pay_order
        WHERE (status = 'pending' AND created_at <= $1::timestamptz - interval '1 minute')
           OR (status = 'user_paying' AND expires_at <= $1)
        ORDER BY created_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Adds a refund to the order's refunded amount unless it would exceed what was paid. */
  async reserveRefund(m: EntityManager, id: string, amountFen: number): Promise<boolean> {
    const [, n] = await m.query('UPDATE wechat_pay_order SET refunded_fen = refunded_fen + $2, updated_at = now() WHERE id = $1 AND refunded_fen + $2 <= amount_fen', [id, amountFen]);
    return n === 1;
  }

  async listPayOrders(
    m: EntityManager,
    f: { storeIds: string[] | null; memberId?: string; status?: PayOrderStatus; purpose?: string; offset: number; limit: number },
  ): Promise<[WechatPayOrderEntity[], number]> {
    const qb = m.createQueryBuilder(WechatPayOrderEntity, 'o');
    if (f.storeIds) qb.andWhere('o.store_id = ANY(:storeIds)', { storeIds: f.storeIds });
    if (f.memberId) qb.andWhere('o.member_id = :memberId', { memberId: f.memberId });
    if (f.status) qb.andWhere('o.status = :status', { status: f.status });
    if (f.purpose) qb.andWhere('o.purpose = :purpose', { purpose: f.purpose });
    return qb.orderBy('o.created_at', 'DESC').addOrderBy('o.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  payOrderOfMember(m: EntityManager, id: string, memberId: string): Promise<WechatPayOrderEntity | null> {
    return m.findOne(WechatPayOrderEntity, { where: { id, memberId } });
  }

  payOrderByTopUp(m: EntityManager, topUpId: string): Promise<WechatPayOrderEntity | null> {
    return m.findOne(WechatPayOrderEntity, { where: { topUpId } });
  }

  payOrderByPayment(m: EntityManager, orderPaymentId: string): Promise<WechatPayOrderEntity | null> {
    return m.findOne(WechatPayOrderEntity, { where: { orderPaymentId } });
  }

  // ── refunds ───────────────────────────────────────────────────────────────

  insertRefund(m: EntityManager, row: Partial<WechatRefundEntity>): Promise<WechatRefundEntity> {
    return m.save(WechatRefundEntity, m.create(WechatRefundEntity, row));
  }

  refund(m: EntityManager, id: string): Promise<WechatRefundEntity | null> {
    return m.findOne(WechatRefundEntity, { where: { id } });
  }

  lockRefund(m: EntityManager, id: string): Promise<WechatRefundEntity | null> {
    return m.findOne(WechatRefundEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  lockRefundByNo(m: EntityManager, outRefundNo: string): Promise<WechatRefundEntity | null> {
    return m.findOne(WechatRefundEntity, { where: { outRefundNo }, lock: { mode: 'pessimistic_write' } });
  }

  refundsOf(m: EntityManager, payOrderId: string): Promise<WechatRefundEntity[]> {
    return m.find(WechatRefundEntity, { where: { payOrderId }, order: { createdAt: 'ASC' } });
  }

  async updateRefund(m: EntityManager, id: string, patch: Partial<WechatRefundEntity>): Promise<void> {
    await m.update(WechatRefundEntity, { id }, patch);
  }

  /** Refunds the job looks at: never accepted by WeChat, or accepted and quiet for a while. */
  async openRefundIds(m: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM wechat_refund
        WHERE status = 'pending' OR (status = 'processing' AND updated_at <= $1::timestamptz - interval '1 minute')
        ORDER BY created_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  async listRefunds(m: EntityManager, f: { storeIds: string[] | null; status?: PayRefundStatus; offset: number; limit: number }): Promise<[WechatRefundEntity[], number]> {
    const qb = m.createQueryBuilder(WechatRefundEntity, 'r');
    if (f.storeIds) qb.andWhere('r.store_id = ANY(:storeIds)', { storeIds: f.storeIds });
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    return qb.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  // ── notifications ─────────────────────────────────────────────────────────

  /** Records a delivery; true for the first delivery of this notification id. */
  async recordNotification(m: EntityManager, row: { notificationId: string; eventType: string; outTradeNo: string | null; outRefundNo: string | null }): Promise<boolean> {
    const rows: { first: boolean }[] = await m.query(
      `INSERT INTO wechat_notification (notification_id, event_type, out_trade_no, out_refund_no, outcome) VALUES ($1, $2, $3, $4, 'received')
       ON CONFLICT (notification_id) DO UPDATE SET deliveries = wechat_notification.deliveries + 1
       RETURNING (xmax = 0) AS first`,
      [row.notificationId, row.eventType, row.outTradeNo, row.outRefundNo],
    );
    return rows[0]?.first === true;
  }

  async notificationOutcome(m: EntityManager, notificationId: string, outcome: string): Promise<void> {
    await m.query('UPDATE wechat_notification SET outcome = $2 WHERE notification_id = $1', [notificationId, outcome]);
  }

  // ── reconciliation ────────────────────────────────────────────────────────

  /** Our side of a Beijing day: payments received and refunds completed in [from, to). */
  async paymentsBetween(m: EntityManager, from: Date, to: Date): Promise<{ outTradeNo: string; amountFen: number; transactionId: string | null; storeId: string }[]> {
    const rows: { out_trade_no: string; amount_fen: string; transaction_id: string | null; store_id: string }[] = await m.query(
      `SELECT out_trade_no, amount_fen, transaction_id, store_id FROM wechat_pay_order WHERE paid_at >= $1 AND paid_at < $2 AND transaction_id IS NOT NULL`,
      [from, to],
    );
    return rows.map((r) => ({ outTradeNo: r.out_trade_no, amountFen: Number(r.amount_fen), transactionId: r.transaction_id, storeId: r.store_id }));
  }

  async refundsBetween(m: EntityManager, from: Date, to: Date): Promise<{ outRefundNo: string; amountFen: number; storeId: string }[]> {
    const rows: { out_refund_no: string; amount_fen: string; store_id: string }[] = await m.query(
      `SELECT out_refund_no, amount_fen, store_id FROM wechat_refund WHERE status = 'succeeded' AND succeeded_at >= $1 AND succeeded_at < $2`,
      [from, to],
    );
    return rows.map((r) => ({ outRefundNo: r.out_refund_no, amountFen: Number(r.amount_fen), storeId: r.store_id }));
  }

  async storesOfNumbers(m: EntityManager, outTradeNos: string[], outRefundNos: string[]): Promise<Map<string, string>> {
    const rows: { no: string; store_id: string }[] = await m.query(
      `SELECT out_trade_no AS no, store_id FROM wechat_pay_order WHERE out_trade_no = ANY($1)
       UNION ALL SELECT out_refund_no AS no, store_id FROM wechat_refund WHERE out_refund_no = ANY($2)`,
      [outTradeNos, outRefundNos],
    );
    return new Map(rows.map((r) => [r.no, r.store_id]));
  }

  async saveReconciliation(
    m: EntityManager,
    run: Omit<WechatReconciliationEntity, 'id' | 'runAt'>,
    items: Omit<WechatReconciliationItemEntity, 'id' | 'reconciliationId'>[],
  ): Promise<string> {
    // A rerun of the same day replaces the previous result.
    const [row] = await m.query(
      `INSERT INTO wechat_reconciliation (bill_date, status, matched, missing_ours, missing_wechat, amount_mismatch, error, run_by, run_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (bill_date) DO UPDATE SET status = EXCLUDED.status, matched = EXCLUDED.matched, missing_ours = EXCLUDED.missing_ours,
         missing_wechat = EXCLUDED.missing_wechat, amount_mismatch = EXCLUDED.amount_mismatch, error = EXCLUDED.error, run_by = EXCLUDED.run_by, run_at = now()
       RETURNING id`,
      [run.billDate, run.status, run.matched, run.missingOurs, run.missingWechat, run.amountMismatch, run.error, run.runBy],
    );
    await m.query('DELETE FROM wechat_reconciliation_item WHERE reconciliation_id = $1', [row.id]);
    if (items.length) await m.insert(WechatReconciliationItemEntity, items.map((i) => ({ ...i, reconciliationId: row.id })));
    return row.id as string;
  }

  reconciliation(m: EntityManager, id: string): Promise<WechatReconciliationEntity | null> {
    return m.findOne(WechatReconciliationEntity, { where: { id } });
  }

  reconciliationItems(m: EntityManager, id: string): Promise<WechatReconciliationItemEntity[]> {
    return m.find(WechatReconciliationItemEntity, { where: { reconciliationId: id }, order: { result: 'ASC', key: 'ASC' } });
  }

  listReconciliations(m: EntityManager, offset: number, limit: number): Promise<[WechatReconciliationEntity[], number]> {
    return m.findAndCount(WechatReconciliationEntity, { order: { billDate: 'DESC' }, skip: offset, take: limit });
  }

  notificationRows(m: EntityManager, outTradeNo: string): Promise<WechatNotificationEntity[]> {
    return m.find(WechatNotificationEntity, { where: { outTradeNo }, order: { receivedAt: 'ASC' } });
  }
}
