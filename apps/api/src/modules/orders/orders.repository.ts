import { Injectable } from '@nestjs/common';
import { parseFen } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { OrderStatus } from './domain/order-status';
import type { OrderPaymentMethod } from './domain/payments';
import {
  OrderEntity,
  OrderLineEntity,
  OrderLineStaffEntity,
  OrderPaymentEntity,
  OrderPointsDebtEntity,
  OrderRefundEntity,
  OrderRefundLineEntity,
  OrderRefundPaymentEntity,
  OrderSettingsEntity,
  type OrderKind,
} from './entities/order.entity';
import { TicketEntity, TicketLineEntity, type TicketKind, type TicketStatus } from './entities/ticket.entity';

export interface OrderFilter {
  storeIds: string[] | null;
  storeId?: string;
  from?: string;
  to?: string;
  cashierId?: string;
  memberId?: string;
  paymentMethod?: OrderPaymentMethod;
  status?: OrderStatus;
  kind?: OrderKind;
  orderNo?: string;
  offset: number;
  limit: number;
}

/** An order with the names a list shows. */
export interface OrderRow extends OrderEntity {
  storeName: string;
  storeCode: string;
  memberNo: string | null;
  memberName: string | null;
  cashierName: string | null;
  paymentMethods: OrderPaymentMethod[];
}

export interface LineStaffRow {
  orderLineId: string;
  staffId: string;
  name: string;
}

export interface TicketRow extends TicketEntity {
  memberName: string | null;
  openedByName: string | null;
}

/** The only SQL over the order and ticket tables. */
@Injectable()
export class OrdersRepository {
  // ── settings ──────────────────────────────────────────────────────────────────

  async settings(m: EntityManager): Promise<OrderSettingsEntity> {
    const found = await m.findOne(OrderSettingsEntity, { where: { id: 1 } });
    if (found) return found;
    await m.query('INSERT INTO order_settings (id) VALUES (1) ON CONFLICT DO NOTHING');
    return m.findOneOrFail(OrderSettingsEntity, { where: { id: 1 } });
  }

  saveSettings(m: EntityManager, s: OrderSettingsEntity): Promise<OrderSettingsEntity> {
    return m.save(OrderSettingsEntity, s);
  }

  // ── orders ────────────────────────────────────────────────────────────────────

  async nextOrderSeq(m: EntityManager): Promise<number> {
    const [row] = await m.query(`SELECT nextval('order_no_seq') AS n`);
    return Number(row.n);
  }

  async storeHeader(m: EntityManager, storeId: string): Promise<{ code: string; timeZone: string } | null> {
    const rows: { code: string; time_zone: string }[] = await m.query('SELECT code, time_zone FROM store WHERE id = $1', [storeId]);
    return rows[0] ? { code: rows[0].code, timeZone: rows[0].time_zone } : null;
  }

  async insertOrder(m: EntityManager, o: Partial<OrderEntity>): Promise<void> {
    await m.insert(OrderEntity, o as never);
  }

  async insertLines(m: EntityManager, lines: Partial<OrderLineEntity>[]): Promise<void> {
    if (lines.length) await m.insert(OrderLineEntity, lines as never[]);
  }

  async insertLineStaff(m: EntityManager, rows: Pick<OrderLineStaffEntity, 'orderLineId' | 'staffId' | 'seq'>[]): Promise<void> {
    if (rows.length) await m.insert(OrderLineStaffEntity, rows);
  }

  async insertPayments(m: EntityManager, payments: Partial<OrderPaymentEntity>[]): Promise<void> {
    if (payments.length) await m.insert(OrderPaymentEntity, payments as never[]);
  }

  order(m: EntityManager, id: string): Promise<OrderEntity | null> {
    return m.findOne(OrderEntity, { where: { id } });
  }

  /** Locks the order row: refunds, completion and failure of one order apply one at a time. */
  lockOrder(m: EntityManager, id: string): Promise<OrderEntity | null> {
    return m.createQueryBuilder(OrderEntity, 'o').setLock('pessimistic_write').where('o.id = :id', { id }).getOne();
  }

  async updateOrder(m: EntityManager, id: string, patch: Partial<OrderEntity>): Promise<void> {
    await m.update(OrderEntity, { id }, patch as never);
  }

  lines(m: EntityManager, orderId: string): Promise<OrderLineEntity[]> {
    return m.find(OrderLineEntity, { where: { orderId }, order: { lineNo: 'ASC' } });
  }

  async updateLine(m: EntityManager, id: string, patch: Pick<OrderLineEntity, 'refundedQuantity' | 'refundedFen' | 'refundedMoneyFen'>): Promise<void> {
    await m.update(OrderLineEntity, { id }, patch);
  }

  payments(m: EntityManager, orderId: string): Promise<OrderPaymentEntity[]> {
    return m.find(OrderPaymentEntity, { where: { orderId }, order: { seq: 'ASC' } });
  }

  /** WeChat parts still pending since before `before` (the WeChat capability times them out). */
  async stalePendingWechatPayments(m: EntityManager, before: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM order_payment WHERE method = 'wechat' AND status = 'pending' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  payment(m: EntityManager, id: string): Promise<OrderPaymentEntity | null> {
    return m.findOne(OrderPaymentEntity, { where: { id } });
  }

  async updatePayment(m: EntityManager, id: string, patch: Partial<OrderPaymentEntity>): Promise<void> {
    await m.update(OrderPaymentEntity, { id }, patch as never);
  }

  async lineStaff(m: EntityManager, lineIds: string[]): Promise<LineStaffRow[]> {
    if (!lineIds.length) return [];
    const rows: { order_line_id: string; staff_id: string; name: string }[] = await m.query(
      `SELECT ls.order_line_id, ls.staff_id, s.name FROM order_line_staff ls JOIN staff s ON s.id = ls.staff_id
        WHERE ls.order_line_id = ANY($1::uuid[]) ORDER BY ls.order_line_id, ls.seq`,
      [lineIds],
    );
    return rows.map((r) => ({ orderLineId: r.order_line_id, staffId: r.staff_id, name: r.name }));
  }

  async list(m: EntityManager, f: OrderFilter): Promise<[OrderRow[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.storeIds) where.push(`o.store_id = ANY(${p(f.storeIds)}::uuid[])`);
    if (f.storeId) where.push(`o.store_id = ${p(f.storeId)}`);
    // Business days of the order's store: midnight to midnight in its time zone.
    if (f.from) where.push(`o.created_at >= (${p(f.from)}::date::timestamp AT TIME ZONE s.time_zone)`);
    if (f.to) where.push(`o.created_at < ((${p(f.to)}::date + 1)::timestamp AT TIME ZONE s.time_zone)`);
    if (f.cashierId) where.push(`o.cashier_id = ${p(f.cashierId)}`);
    if (f.memberId) where.push(`o.member_id = ${p(f.memberId)}`);
    if (f.status) where.push(`o.status = ${p(f.status)}`);
    if (f.kind) where.push(`o.kind = ${p(f.kind)}`);
    if (f.orderNo) where.push(`o.order_no = ${p(f.orderNo)}`);
    if (f.paymentMethod) where.push(`EXISTS (SELECT 1 FROM order_payment op WHERE op.order_id = o.id AND op.method = ${p(f.paymentMethod)})`);
    const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM sales_order o JOIN store s ON s.id = o.store_id ${sqlWhere}`, params);
    const rows: Record<string, unknown>[] = await m.query(
      `${ORDER_SELECT} ${sqlWhere} ORDER BY o.created_at DESC, o.order_no DESC LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
      params,
    );
    return [rows.map(toOrderRow), n];
  }

  async orderRow(m: EntityManager, id: string, memberId?: string): Promise<OrderRow | null> {
    const rows: Record<string, unknown>[] = await m.query(`${ORDER_SELECT} WHERE o.id = $1 ${memberId ? 'AND o.member_id = $2' : ''}`, memberId ? [id, memberId] : [id]);
    return rows[0] ? toOrderRow(rows[0]) : null;
  }

  async memberHeader(m: EntityManager, memberId: string): Promise<{ memberNo: string; name: string | null; phone: string | null } | null> {
    const rows: { member_no: string; name: string | null; phone: string | null }[] = await m.query('SELECT member_no, name, phone FROM member WHERE id = $1', [memberId]);
    return rows[0] ? { memberNo: rows[0].member_no, name: rows[0].name, phone: rows[0].phone } : null;
  }

  // ── refunds ───────────────────────────────────────────────────────────────────

  async refundCount(m: EntityManager, orderId: string): Promise<number> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM order_refund WHERE order_id = $1', [orderId]);
    return n;
  }

  async insertRefund(
    m: EntityManager,
    refund: Partial<OrderRefundEntity>,
    lines: Partial<OrderRefundLineEntity>[],
    payments: Partial<OrderRefundPaymentEntity>[],
  ): Promise<void> {
    await m.insert(OrderRefundEntity, refund as never);
    if (lines.length) await m.insert(OrderRefundLineEntity, lines as never[]);
    if (payments.length) await m.insert(OrderRefundPaymentEntity, payments as never[]);
  }

  refunds(m: EntityManager, orderId: string): Promise<OrderRefundEntity[]> {
    return m.find(OrderRefundEntity, { where: { orderId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  refund(m: EntityManager, id: string): Promise<OrderRefundEntity | null> {
    return m.findOne(OrderRefundEntity, { where: { id } });
  }

  async refundParts(m: EntityManager, refundIds: string[]): Promise<{ lines: OrderRefundLineEntity[]; payments: OrderRefundPaymentEntity[] }> {
    if (!refundIds.length) return { lines: [], payments: [] };
    const lines = await m.createQueryBuilder(OrderRefundLineEntity, 'l').where('l.refund_id = ANY(:ids)', { ids: refundIds }).getMany();
    const payments = await m.createQueryBuilder(OrderRefundPaymentEntity, 'p').where('p.refund_id = ANY(:ids)', { ids: refundIds }).getMany();
    return { lines, payments };
  }

  // ── points debt ───────────────────────────────────────────────────────────────

  async insertDebt(m: EntityManager, d: Pick<OrderPointsDebtEntity, 'memberId' | 'refundId' | 'points'>): Promise<void> {
    await m.insert(OrderPointsDebtEntity, d);
  }

  /** The member's unpaid points debts, oldest first, locked (the caller holds the member's points lock). */
  openDebts(m: EntityManager, memberId: string): Promise<OrderPointsDebtEntity[]> {
    return m
      .createQueryBuilder(OrderPointsDebtEntity, 'd')
      .setLock('pessimistic_write')
      .where('d.member_id = :memberId AND d.settled_points < d.points', { memberId })
      .orderBy('d.created_at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
  }

  async settleDebt(m: EntityManager, id: string, points: number): Promise<void> {
    await m.query('UPDATE order_points_debt SET settled_points = settled_points + $2, updated_at = now() WHERE id = $1 AND settled_points + $2 <= points', [id, points]);
  }

  async openDebtPoints(m: EntityManager, memberId: string): Promise<number> {
    const [{ n }] = await m.query('SELECT COALESCE(sum(points - settled_points), 0)::bigint AS n FROM order_points_debt WHERE member_id = $1', [memberId]);
    return Number(n);
  }

  // ── tickets ───────────────────────────────────────────────────────────────────

  async nextTicketSeq(m: EntityManager): Promise<number> {
    const [row] = await m.query(`SELECT nextval('ticket_no_seq') AS n`);
    return Number(row.n);
  }

  insertTicket(m: EntityManager, t: Partial<TicketEntity>): Promise<TicketEntity> {
    return m.save(TicketEntity, m.create(TicketEntity, t));
  }

  /** Locks the ticket row: adding lines, settling, resuming and cancelling one ticket serialise. */
  lockTicket(m: EntityManager, id: string): Promise<TicketEntity | null> {
    return m.createQueryBuilder(TicketEntity, 't').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
  }

  async updateTicket(m: EntityManager, id: string, patch: Partial<TicketEntity>): Promise<void> {
    await m.update(TicketEntity, { id }, { ...patch, updatedAt: new Date() } as never);
  }

  ticketLines(m: EntityManager, ticketIds: string[]): Promise<TicketLineEntity[]> {
    if (!ticketIds.length) return Promise.resolve([]);
    return m.createQueryBuilder(TicketLineEntity, 'l').where('l.ticket_id = ANY(:ids)', { ids: ticketIds }).orderBy('l.created_at', 'ASC').addOrderBy('l.id', 'ASC').getMany();
  }

  async insertTicketLines(m: EntityManager, lines: Partial<TicketLineEntity>[]): Promise<void> {
    if (lines.length) await m.insert(TicketLineEntity, lines as never[]);
  }

  async deleteTicketLine(m: EntityManager, ticketId: string, lineId: string): Promise<boolean> {
    const [, n] = await m.query('DELETE FROM ticket_line WHERE id = $1 AND ticket_id = $2', [lineId, ticketId]);
    return Number(n) > 0;
  }

  async ticketRow(m: EntityManager, id: string): Promise<TicketRow | null> {
    const rows: Record<string, unknown>[] = await m.query(`${TICKET_SELECT} WHERE t.id = $1`, [id]);
    return rows[0] ? toTicketRow(rows[0]) : null;
  }

  async listTickets(m: EntityManager, f: { storeIds: string[] | null; storeId?: string; status?: TicketStatus; kind?: TicketKind; offset: number; limit: number }): Promise<[TicketRow[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (f.storeIds) where.push(`t.store_id = ANY(${p(f.storeIds)}::uuid[])`);
    if (f.storeId) where.push(`t.store_id = ${p(f.storeId)}`);
    if (f.status) where.push(`t.status = ${p(f.status)}`);
    if (f.kind) where.push(`t.kind = ${p(f.kind)}`);
    const sqlWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM ticket t ${sqlWhere}`, params);
    const rows: Record<string, unknown>[] = await m.query(`${TICKET_SELECT} ${sqlWhere} ORDER BY t.created_at DESC, t.id DESC LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`, params);
    return [rows.map(toTicketRow), n];
  }

  async staffNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await m.query('SELECT id, name FROM staff WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

const ORDER_SELECT = `
  SELECT o.*, s.name AS store_name, s.code AS store_code, mb.member_no, mb.name AS member_name, st.name AS cashier_name,
         ARRAY(SELECT op.method FROM order_payment op WHERE op.order_id = o.id ORDER BY op.seq) AS payment_methods
    FROM sales_order o
    JOIN store s ON s.id = o.store_id
    LEFT JOIN member mb ON mb.id = o.member_id
    LEFT JOIN staff st ON st.id = o.cashier_id`;

const fen = (v: unknown) => parseFen(v as string);

function toOrderRow(r: Record<string, unknown>): OrderRow {
  return {
    id: r.id as string,
    orderNo: r.order_no as string,
    kind: r.kind as OrderKind,
    status: r.status as OrderStatus,
    storeId: r.store_id as string,
    memberId: (r.member_id as string) ?? null,
    cashierId: (r.cashier_id as string) ?? null,
    shiftId: (r.shift_id as string) ?? null,
    ticketId: (r.ticket_id as string) ?? null,
    subtotalFen: fen(r.subtotal_fen),
    discountFen: fen(r.discount_fen),
    totalFen: fen(r.total_fen),
    pointsUsed: Number(r.points_used),
    pointsOffsetFen: fen(r.points_offset_fen),
    dueFen: fen(r.due_fen),
    pointsEligibleFen: fen(r.points_eligible_fen),
    pointsEarned: Number(r.points_earned),
    eligibleRefundedFen: fen(r.eligible_refunded_fen),
    pointsEarnReversed: Number(r.points_earn_reversed),
    refundedFen: fen(r.refunded_fen),
    orderDiscounts: r.order_discounts as OrderEntity['orderDiscounts'],
    coupons: r.coupons as OrderEntity['coupons'],
    memberAfter: (r.member_after as OrderEntity['memberAfter']) ?? null,
    memo: (r.memo as string) ?? null,
    createdAt: r.created_at as Date,
    completedAt: (r.completed_at as Date) ?? null,
    cancelledAt: (r.cancelled_at as Date) ?? null,
    updatedAt: r.updated_at as Date,
    storeName: r.store_name as string,
    storeCode: r.store_code as string,
    memberNo: (r.member_no as string) ?? null,
    memberName: (r.member_name as string) ?? null,
    cashierName: (r.cashier_name as string) ?? null,
    paymentMethods: r.payment_methods as OrderPaymentMethod[],
  };
}

const TICKET_SELECT = `
  SELECT t.*, mb.name AS member_name, st.name AS opened_by_name
    FROM ticket t
    LEFT JOIN member mb ON mb.id = t.member_id
    LEFT JOIN staff st ON st.id = t.opened_by`;

function toTicketRow(r: Record<string, unknown>): TicketRow {
  return {
    id: r.id as string,
    ticketNo: r.ticket_no as string,
    kind: r.kind as TicketKind,
    status: r.status as TicketStatus,
    storeId: r.store_id as string,
    memberId: (r.member_id as string) ?? null,
    label: (r.label as string) ?? null,
    couponIds: (r.coupon_ids as string[]) ?? [],
    pointsToUse: Number(r.points_to_use),
    openedBy: (r.opened_by as string) ?? null,
    closedBy: (r.closed_by as string) ?? null,
    orderId: (r.order_id as string) ?? null,
    cancelReason: (r.cancel_reason as string) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    closedAt: (r.closed_at as Date) ?? null,
    memberName: (r.member_name as string) ?? null,
    openedByName: (r.opened_by_name as string) ?? null,
  };
}
