import { Injectable, StreamableFile } from '@nestjs/common';
import { PAYMENT_METHOD_LABELS } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf } from '../../common/http/pagination';
import { renderEscPos, renderReceiptHtml, type ReceiptView } from '../receipts';
import { StoresService } from '../stores/stores.service';
import { CheckoutService } from './checkout.service';
import type {
  CreateOrderRequest,
  ListOrdersQuery,
  MyOrdersQuery,
  OrderLineResponse,
  OrderPageResponse,
  OrderPaymentResponse,
  OrderResponse,
  OrderSettingsResponse,
  OrderSummaryResponse,
  QuickOrderRequest,
  ReceiptFormat,
  RefundRequest,
  RefundResponse,
  UpdateOrderSettingsRequest,
} from './dto/order.dto';
import type { OrderLineEntity, OrderPaymentEntity, OrderRefundEntity, OrderRefundLineEntity, OrderRefundPaymentEntity, OrderSettingsEntity } from './entities/order.entity';
import { OrdersRepository, type LineStaffRow, type OrderRow } from './orders.repository';
import { RefundsService, type ExternalRefunder } from './refunds.service';

/** Checkout use cases as the routes call them, and the order views (list, detail, the member's own). */
@Injectable()
export class OrdersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: OrdersRepository,
    private readonly checkout: CheckoutService,
    private readonly refunds: RefundsService,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
  ) {}

  create(actor: StaffActor, input: CreateOrderRequest): Promise<OrderResponse> {
    return this.tx.run(async (m) => {
      const id = await this.checkout.sale(
        m,
        actor,
        { storeId: input.storeId, memberId: input.memberId ?? null, lines: input.lines, couponIds: input.couponIds ?? [], pointsToUse: input.pointsToUse ?? 0 },
        input.payments,
        { expectedTotalFen: input.expectedTotalFen, memo: input.memo ?? null, bookingId: input.bookingId ?? null },
      );
      return this.detailIn(m, id);
    });
  }

  quick(actor: StaffActor, input: QuickOrderRequest): Promise<OrderResponse> {
    return this.tx.run(async (m) => {
      const id = await this.checkout.quick(
        m,
        actor,
        { storeId: input.storeId, memberId: input.memberId ?? null, amountFen: input.amountFen, pointsToUse: input.pointsToUse ?? 0, memo: input.memo ?? null },
        input.payments,
      );
      return this.detailIn(m, id);
    });
  }

  refund(actor: StaffActor, orderId: string, input: RefundRequest): Promise<RefundResponse> {
    return this.tx.run(async (m) => {
      const refundId = await this.refunds.refund(actor, orderId, input);
      const refund = (await this.repo.refund(m, refundId))!;
      return toRefundResponses([refund], await this.repo.refundParts(m, [refundId]), await this.positions(m, orderId))[0];
    });
  }

  /** Seam for the WeChat Pay capability: refunds send their WeChat part back through it (RefundsService). */
  registerExternalRefunder(refunder: ExternalRefunder): void {
    this.refunds.registerExternalRefunder(refunder);
  }

  /** Seam for the WeChat Pay capability: WeChat parts pending since before `before`, to time out. */
  stalePendingWechatPayments(before: Date, limit = 100): Promise<string[]> {
    return this.repo.stalePendingWechatPayments(this.tx.manager, before, limit);
  }

  /** Seam for the WeChat Pay capability (see CheckoutService.completeExternalPayment). */
  completeExternalPayment(input: { paymentId: string; providerRef: string; amountFen: number; at?: Date }): Promise<OrderResponse> {
    return this.tx.run(async (m) => this.detailIn(m, await this.checkout.completeExternalPayment(input)));
  }

  /** Seam for the WeChat Pay capability (see CheckoutService.failExternalPayment). */
  failExternalPayment(input: { paymentId: string; reason: string }): Promise<OrderResponse> {
    return this.tx.run(async (m) => this.detailIn(m, await this.checkout.failExternalPayment(input)));
  }

  async list(actor: StaffActor, q: ListOrdersQuery): Promise<OrderPageResponse> {
    const [rows, total] = await this.repo.list(this.tx.manager, {
      storeIds: actor.scope === 'chain' ? null : actor.storeIds,
      storeId: q.storeId,
      from: q.from,
      to: q.to,
      cashierId: q.cashierId,
      memberId: q.memberId,
      paymentMethod: q.paymentMethod,
      status: q.status,
      kind: q.kind,
      orderNo: q.orderNo,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(rows.map(toSummary), total, q);
  }

  get(orderId: string): Promise<OrderResponse> {
    return this.detailIn(this.tx.manager, orderId);
  }

  async mine(memberId: string, q: MyOrdersQuery): Promise<OrderPageResponse> {
    const [rows, total] = await this.repo.list(this.tx.manager, { storeIds: null, memberId, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map(toSummary), total, q);
  }

  myOrder(memberId: string, orderId: string): Promise<OrderResponse> {
    return this.detailIn(this.tx.manager, orderId, memberId);
  }

  /** The printed receipt (小票): ESC/POS bytes for 58 / 80 mm thermal printers, or a printable page. */
  async receipt(orderId: string, format: ReceiptFormat, reprint: boolean): Promise<StreamableFile> {
    const view = await this.receiptView(orderId, reprint);
    if (format === 'html') return new StreamableFile(Buffer.from(renderReceiptHtml(view, 80), 'utf8'), { type: 'text/html; charset=utf-8' });
    const bytes = renderEscPos(view, format === 'escpos58' ? 58 : 80);
    return new StreamableFile(bytes, { type: 'application/octet-stream', disposition: `inline; filename="${view.orderNo}.bin"` });
  }

  /** What the receipt shows, all figures as the order holds them (the renderers compute nothing). */
  async receiptView(orderId: string, reprint = false): Promise<ReceiptView> {
    const order = await this.detailIn(this.tx.manager, orderId);
    const store = await this.stores.get(order.storeId);
    const member = order.memberId ? await this.repo.memberHeader(this.tx.manager, order.memberId) : null;
    return {
      store: { name: store.name, code: store.code, address: store.address || null, phone: store.phone || null },
      orderNo: order.orderNo,
      createdAt: order.createdAt,
      timeZone: store.timeZone,
      cashierName: order.cashierName,
      member: member ? { memberNo: member.memberNo, name: member.name, maskedPhone: maskPhone(member.phone) } : null,
      lines: order.lines.map((l) => ({
        name: l.name,
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        originalFen: l.originalFen,
        totalFen: l.totalFen,
        discounts: l.discounts.map((d) => ({ label: d.label, amountFen: d.amountFen })),
        servingStaff: l.servingStaff.map((s) => s.name),
      })),
      orderDiscounts: order.orderDiscounts.map((d) => ({ label: d.label, amountFen: d.amountFen })),
      subtotalFen: order.subtotalFen,
      discountFen: order.discountFen,
      totalFen: order.totalFen,
      payments: order.payments
        .filter((p) => p.status !== 'failed')
        .map((p) => ({
          method: p.method,
          label: p.method === 'points' ? `${PAYMENT_METHOD_LABELS.points.zh} (${p.points} 分)` : p.method === 'count_card' ? `${PAYMENT_METHOD_LABELS.count_card.zh} ×${p.units}` : PAYMENT_METHOD_LABELS[p.method].zh,
          amountFen: p.amountFen,
        })),
      tenderedFen: order.tenderedFen,
      changeFen: order.changeFen,
      after: order.memberAfter,
      refunds: order.refunds.map((r) => ({ at: r.createdAt, amountFen: r.amountFen })),
      qrContent: order.orderNo,
      footer: '谢谢惠顾，欢迎再次光临',
      reprint,
    };
  }

  async settings(): Promise<OrderSettingsResponse> {
    return toSettingsResponse(await this.repo.settings(this.tx.manager));
  }

  updateSettings(input: UpdateOrderSettingsRequest): Promise<OrderSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m);
      const before = toSettingsResponse(s);
      if (input.pointsClawback !== undefined) s.pointsClawback = input.pointsClawback;
      const after = toSettingsResponse(await this.repo.saveSettings(m, s));
      const changes = diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
      await this.audit.record(m, { action: 'order.settings.update', entityType: 'order_settings', entityId: '1', ...changes });
      return after;
    });
  }

  private async positions(m: EntityManager, orderId: string): Promise<Map<string, number>> {
    return positionsOf(await this.repo.lines(m, orderId), await this.repo.payments(m, orderId));
  }

  /** The order with lines, serving staff, payments and refunds; `memberId` limits it to that member's. */
  async detailIn(m: EntityManager, orderId: string, memberId?: string): Promise<OrderResponse> {
    const row = await this.repo.orderRow(m, orderId, memberId);
    if (!row) throw new AppError('ORDER_NOT_FOUND');
    const lines = await this.repo.lines(m, orderId);
    const staff = await this.repo.lineStaff(m, lines.map((l) => l.id));
    const payments = await this.repo.payments(m, orderId);
    const refunds = await this.repo.refunds(m, orderId);
    const parts = await this.repo.refundParts(m, refunds.map((r) => r.id));
    const cash = payments.find((p) => p.method === 'cash');
    return {
      ...toSummary(row),
      ticketId: row.ticketId,
      subtotalFen: row.subtotalFen,
      discountFen: row.discountFen,
      pointsUsed: row.pointsUsed,
      pointsOffsetFen: row.pointsOffsetFen,
      pointsEarned: row.pointsEarned,
      pointsEarnReversed: row.pointsEarnReversed,
      tenderedFen: cash?.tenderedFen ?? null,
      changeFen: cash?.changeFen ?? null,
      orderDiscounts: row.orderDiscounts,
      coupons: row.coupons,
      lines: lines.map((l) => toLineResponse(l, staff)),
      payments: payments.map(toPaymentResponse),
      refunds: toRefundResponses(refunds, parts, positionsOf(lines, payments)),
      memberAfter: row.memberAfter,
      memo: row.memo,
      completedAt: row.completedAt ? row.completedAt.toISOString() : null,
      cancelledAt: row.cancelledAt ? row.cancelledAt.toISOString() : null,
    };
  }
}

/** 138****0001: the receipt never prints a whole phone number. */
function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

function toSummary(r: OrderRow): OrderSummaryResponse {
  return {
    id: r.id,
    orderNo: r.orderNo,
    kind: r.kind,
    status: r.status,
    storeId: r.storeId,
    storeName: r.storeName,
    memberId: r.memberId,
    memberNo: r.memberNo,
    memberName: r.memberName,
    cashierId: r.cashierId,
    cashierName: r.cashierName,
    totalFen: r.totalFen,
    dueFen: r.dueFen,
    refundedFen: r.refundedFen,
    paymentMethods: [...new Set(r.paymentMethods)],
    createdAt: r.createdAt.toISOString(),
  };
}

function toLineResponse(l: OrderLineEntity, staff: LineStaffRow[]): OrderLineResponse {
  return {
    id: l.id,
    lineNo: l.lineNo,
    kind: l.kind,
    skuId: l.skuId,
    productId: l.productId,
    name: l.name,
    quantity: l.quantity,
    unitPriceFen: l.unitPriceFen,
    originalFen: l.originalFen,
    discountFen: l.discountFen,
    totalFen: l.totalFen,
    discounts: l.discounts,
    pointsEligible: l.pointsEligible,
    coveredUnits: l.coveredUnits,
    servingStaff: staff.filter((s) => s.orderLineId === l.id).map((s) => ({ id: s.staffId, name: s.name })),
    refundedQuantity: l.refundedQuantity,
    refundedFen: l.refundedFen,
  };
}

function toPaymentResponse(p: OrderPaymentEntity): OrderPaymentResponse {
  return {
    id: p.id,
    seq: p.seq,
    method: p.method,
    status: p.status,
    amountFen: p.amountFen,
    tenderedFen: p.tenderedFen,
    changeFen: p.changeFen,
    reference: p.reference,
    points: p.points,
    countCardId: p.countCardId,
    lineId: p.orderLineId,
    units: p.units,
    walletSpendId: p.walletSpendId,
    refundedFen: p.refundedFen,
  };
}

/** Line numbers and payment sequence numbers by id, to list a refund's parts in the order's own order. */
function positionsOf(lines: OrderLineEntity[], payments: OrderPaymentEntity[]): Map<string, number> {
  return new Map([...lines.map((l) => [l.id, l.lineNo] as const), ...payments.map((p) => [p.id, p.seq] as const)]);
}

function toRefundResponses(
  refunds: OrderRefundEntity[],
  parts: { lines: OrderRefundLineEntity[]; payments: OrderRefundPaymentEntity[] },
  position: Map<string, number>,
): RefundResponse[] {
  const by = <T>(key: (x: T) => string) => (a: T, b: T) => (position.get(key(a)) ?? 0) - (position.get(key(b)) ?? 0);
  return refunds.map((r) => ({
    id: r.id,
    refundNo: r.refundNo,
    orderId: r.orderId,
    staffId: r.staffId,
    reason: r.reason,
    amountFen: r.amountFen,
    pointsReturned: r.pointsReturned,
    pointsEarnedBack: r.pointsEarnedBack,
    pointsEarnReversed: r.pointsEarnReversed,
    pointsDebt: r.pointsDebt,
    fullRefund: r.fullRefund,
    lines: parts.lines
      .filter((l) => l.refundId === r.id)
      .sort(by((l: OrderRefundLineEntity) => l.orderLineId))
      .map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, amountFen: l.amountFen })),
    payments: parts.payments
      .filter((p) => p.refundId === r.id)
      .sort(by((p: OrderRefundPaymentEntity) => p.orderPaymentId))
      .map((p) => ({ orderPaymentId: p.orderPaymentId, method: p.method, amountFen: p.amountFen, points: p.points, units: p.units })),
    createdAt: r.createdAt.toISOString(),
  }));
}

function toSettingsResponse(s: OrderSettingsEntity): OrderSettingsResponse {
  return { pointsClawback: s.pointsClawback, updatedAt: s.updatedAt.toISOString() };
}
