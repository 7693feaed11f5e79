import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { MemberCodeService } from '../cards/member-code.service';
import { CatalogService } from '../catalog/catalog.service';
import { StockService } from '../catalog/stock.service';
import { CountCardsService } from '../count-cards/count-cards.service';
import { LedgerService } from '../ledger/ledger.service';
import type { MemberResponse } from '../members/dto/member.dto';
import { MembersService } from '../members/members.service';
import { PointsService } from '../points/points.service';
import { PricingService, type Quote, type QuoteInput } from '../pricing/pricing.service';
import { ShiftsService } from '../shifts/shifts.service';
import { StaffService } from '../staff/staff.service';
import { TierEvaluationService } from '../tiers/tier-evaluation.service';
import { WalletService } from '../wallet/wallet.service';
import { planCheckout } from './domain/checkout-plan';
import { quickPointsOffset } from './domain/order-status';
import { checkPayments, ORDER_PAYMENT_METHODS, type OrderPaymentMethod, type ResolvedTender } from './domain/payments';
import type { PaymentRequest } from './dto/order.dto';
import type { CouponSnapshot, DiscountSnapshot, LineKind, MemberAfterSnapshot, OrderEntity, OrderKind, OrderLineEntity, OrderPaymentEntity } from './entities/order.entity';
import { OrdersRepository } from './orders.repository';

/** A cart as the counter sends it (a sale, or an open ticket being settled). */
export interface Cart {
  storeId: string;
  memberId: string | null;
  lines: QuoteInput['lines'];
  couponIds: string[];
  pointsToUse: number;
}

interface PricedLine {
  lineNo: number;
  kind: LineKind;
  skuId: string | null;
  productId: string | null;
  categoryId: string | null;
  name: string;
  quantity: number;
  unitPriceFen: number;
  originalFen: number;
  totalFen: number;
  costFen: number;
  discounts: DiscountSnapshot[];
  pointsEligible: boolean;
  servingStaffIds: string[];
  /** For service lines: the code count cards cover. */
  serviceCode: string | null;
}

interface PricedOrder {
  kind: OrderKind;
  storeId: string;
  member: MemberResponse | null;
  shiftId: string;
  lines: PricedLine[];
  subtotalFen: number;
  discountFen: number;
  totalFen: number;
  pointsUsed: number;
  pointsOffsetFen: number;
  dueFen: number;
  orderDiscounts: DiscountSnapshot[];
  coupons: CouponSnapshot[];
  /** The pricing engine's quote, committed with the order (coupons used, flash-sale stock); none for a quick sale. */
  quote: Quote | null;
  ticketId: string | null;
  memo: string | null;
}

/** Where the ledgers point: every effect of a payment names the payment, a refund names the refund. */
export const REF = { order: 'order', payment: 'order_payment', refund: 'order_refund', debt: 'order_points_debt' } as const;

/** Payment methods that are money paid outside the wallet: they count as spend for tiers through member_spend_fact. */
export const OUTSIDE_MONEY: ReadonlySet<OrderPaymentMethod> = new Set(['cash', 'bank_card', 'wechat']);

/**
 * The one payment path (收银): a priced cart or a quick amount, paid by points, stored value, count
 * cards, bank card, WeChat Pay and cash, with every effect in the caller's transaction.
 *
 * Order of application, which is also the lock order shared with refunds: the ticket row (when
 * settling one) → the member's points lock → payments in method order (points, stored value with
 * the wallet lock, count cards with their card rows) → stock rows → pricing's coupons and
 * flash-sale stock → the shift's takings → on completion: points earned, points debt, spend
 * facts, tier evaluation, the member's last visit.
 */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: OrdersRepository,
    private readonly catalog: CatalogService,
    private readonly stock: StockService,
    private readonly shifts: ShiftsService,
    private readonly pricing: PricingService,
    private readonly wallet: WalletService,
    private readonly points: PointsService,
    private readonly ledger: LedgerService,
    private readonly countCards: CountCardsService,
    private readonly tiers: TierEvaluationService,
    private readonly members: MembersService,
    private readonly memberCodes: MemberCodeService,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
  ) {}

  /** A sale of catalog items: the server re-prices the cart (never trusts client prices) and takes the payments. */
  async sale(m: EntityManager, actor: StaffActor, cart: Cart, tenders: PaymentRequest[], opts: { expectedTotalFen?: number; memo?: string | null; ticketId?: string | null }): Promise<string> {
    const now = new Date();
    const member = cart.memberId ? await this.activeMember(cart.memberId) : null;
    const { shiftId } = await this.shifts.requireOpenShift(m, { staffId: actor.id, storeId: cart.storeId });
    await this.checkServingStaff(cart.storeId, cart.lines.flatMap((l) => l.servingStaffIds ?? []));
    const quote = await this.pricing.quote(m, { storeId: cart.storeId, memberId: cart.memberId, lines: cart.lines, couponIds: cart.couponIds, pointsToUse: cart.pointsToUse, at: now }, actor);
    if (opts.expectedTotalFen !== undefined && opts.expectedTotalFen !== quote.totalFen) {
      throw new AppError('ORDER_QUOTE_CHANGED', { expectedTotalFen: opts.expectedTotalFen, totalFen: quote.totalFen, dueFen: quote.dueFen });
    }
    const quoted = [...quote.lines].sort((a, b) => a.lineNo - b.lineNo);
    // A count card covers a service by its catalog code, which the quote does not carry.
    const cardLines = new Set(tenders.filter((t) => t.method === 'count_card').map((t) => t.lineNo));
    const items = cardLines.size ? await this.catalog.itemsForPricing(m, cart.storeId, [...new Set(quoted.filter((l) => cardLines.has(l.lineNo)).map((l) => l.skuId))]) : [];
    const lines: PricedLine[] = quoted.map((l) => ({
      lineNo: l.lineNo,
      kind: l.kind,
      skuId: l.skuId,
      productId: l.productId,
      categoryId: l.categoryId,
      name: l.name,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      originalFen: l.originalFen,
      totalFen: l.totalFen,
      costFen: l.costFen,
      discounts: l.discounts.map(toDiscount),
      pointsEligible: l.pointsEligible,
      servingStaffIds: l.servingStaffIds,
      serviceCode: items.find((it) => it.skuId === l.skuId)?.productCode ?? null,
    }));
    return this.place(
      m,
      actor,
      {
        kind: 'sale',
        storeId: cart.storeId,
        member,
        shiftId,
        lines,
        subtotalFen: quote.subtotalFen,
        discountFen: quote.discountFen,
        totalFen: quote.totalFen,
        pointsUsed: quote.pointsUsed,
        pointsOffsetFen: quote.pointsOffsetFen,
        dueFen: quote.dueFen,
        orderDiscounts: quote.orderDiscounts.map(toDiscount),
        coupons: quote.coupons.map((c) => ({ couponId: c.couponId, code: c.code ?? null, applied: c.applied, reason: c.reason ?? null })),
        quote,
        ticketId: opts.ticketId ?? null,
        memo: opts.memo ?? null,
      },
      tenders,
      now,
    );
  }

  /**
   * 快速消费: an amount without items, the same payments. Points pay by the chain's offset rule
   * (points settings: offsetPoints per offsetFen, capped at offsetMaxBps of the amount) and the
   * money paid earns points like any order.
   */
  async quick(m: EntityManager, actor: StaffActor, input: { storeId: string; memberId: string | null; amountFen: number; pointsToUse: number; memo?: string | null }, tenders: PaymentRequest[]): Promise<string> {
    const now = new Date();
    const member = input.memberId ? await this.activeMember(input.memberId) : null;
    const { shiftId } = await this.shifts.requireOpenShift(m, { staffId: actor.id, storeId: input.storeId });
    if (input.pointsToUse > 0 && !member) throw new AppError('ORDER_PAYMENT_NEEDS_MEMBER', { method: 'points' });
    const offset = quickPointsOffset(input.amountFen, input.pointsToUse, await this.points.rules(m));
    if (!offset.ok) throw new AppError('VALIDATION_FAILED', [{ field: 'pointsToUse', errors: [offset.reason] }]);
    const line: PricedLine = {
      lineNo: 1,
      kind: 'amount',
      skuId: null,
      productId: null,
      categoryId: null,
      name: '快速消费',
      quantity: 1,
      unitPriceFen: input.amountFen,
      originalFen: input.amountFen,
      totalFen: input.amountFen,
      costFen: 0,
      discounts: [],
      pointsEligible: true,
      servingStaffIds: [],
      serviceCode: null,
    };
    return this.place(
      m,
      actor,
      {
        kind: 'quick',
        storeId: input.storeId,
        member,
        shiftId,
        lines: [line],
        subtotalFen: input.amountFen,
        discountFen: 0,
        totalFen: input.amountFen,
        pointsUsed: input.pointsToUse,
        pointsOffsetFen: offset.offsetFen,
        dueFen: input.amountFen - offset.offsetFen,
        orderDiscounts: [],
        coupons: [],
        quote: null,
        ticketId: null,
        memo: input.memo ?? null,
      },
      tenders,
      now,
    );
  }

  private async place(m: EntityManager, actor: StaffActor, o: PricedOrder, tenders: PaymentRequest[], now: Date): Promise<string> {
    const check = checkPayments({ dueFen: o.dueFen, lines: o.lines, tenders, hasMember: o.member !== null });
    if (!check.ok) throw new AppError(check.code, check.details);
    if (o.pointsUsed > 0 && !o.member) throw new AppError('ORDER_PAYMENT_NEEDS_MEMBER', { method: 'points' });
    if (o.pointsUsed > 0 && o.pointsOffsetFen <= 0) throw new AppError('VALIDATION_FAILED', [{ field: 'pointsToUse', errors: ['these points pay nothing at the offset rate'] }]);
    const memberId = o.member?.id ?? null;
    // The member's points lock first, as refunds take it: then the wallet lock and the card rows.
    if (memberId) await this.points.lockMember(m, memberId);

    const orderId = randomUUID();
    const store = await this.repo.storeHeader(m, o.storeId);
    if (!store) throw new AppError('STORE_NOT_FOUND');
    const orderNo = `${businessDay(now, store.timeZone).replace(/-/g, '')}${store.code}${String(await this.repo.nextOrderSeq(m)).padStart(6, '0')}`;

    const covered = new Map(check.tenders.filter((t) => t.method === 'count_card').map((t) => [t.lineNo!, t.quantity!]));
    const paidFen = check.tenders.filter((t) => t.method !== 'count_card').reduce((s, t) => s + t.amountFen, 0);
    const plan = planCheckout(
      o.lines.map((l) => ({ lineNo: l.lineNo, quantity: l.quantity, totalFen: l.totalFen, pointsEligible: l.pointsEligible, coveredUnits: covered.get(l.lineNo) ?? 0 })),
      { pointsOffsetFen: o.pointsOffsetFen, paidFen },
    );
    const lineIds = new Map(o.lines.map((l) => [l.lineNo, randomUUID()]));
    const pending = check.pending;

    const order: Partial<OrderEntity> = {
      id: orderId,
      orderNo,
      kind: o.kind,
      status: pending ? 'pending_payment' : 'completed',
      storeId: o.storeId,
      memberId,
      cashierId: actor.id,
      shiftId: o.shiftId,
      ticketId: o.ticketId,
      subtotalFen: o.subtotalFen,
      discountFen: o.discountFen,
      totalFen: o.totalFen,
      pointsUsed: o.pointsUsed,
      pointsOffsetFen: o.pointsOffsetFen,
      dueFen: o.dueFen,
      pointsEligibleFen: memberId ? plan.eligibleFen : 0,
      orderDiscounts: o.orderDiscounts,
      coupons: o.coupons,
      memo: o.memo,
    };
    await this.repo.insertOrder(m, order);
    const lines: Partial<OrderLineEntity>[] = o.lines.map((l, i) => ({
      id: lineIds.get(l.lineNo),
      orderId,
      lineNo: l.lineNo,
      kind: l.kind,
      skuId: l.skuId,
      productId: l.productId,
      categoryId: l.categoryId,
      name: l.name,
      quantity: l.quantity,
      unitPriceFen: l.unitPriceFen,
      originalFen: l.originalFen,
      discountFen: l.originalFen - l.totalFen,
      totalFen: l.totalFen,
      costFen: l.costFen,
      discounts: l.discounts,
      pointsEligible: l.pointsEligible,
      coveredUnits: covered.get(l.lineNo) ?? 0,
      coveredFen: plan.lines[i].coveredFen,
      moneyFen: plan.lines[i].moneyFen,
      eligibleFen: memberId ? plan.lines[i].eligibleFen : 0,
    }));
    await this.repo.insertLines(m, lines);
    await this.repo.insertLineStaff(
      m,
      o.lines.flatMap((l) => l.servingStaffIds.map((staffId, seq) => ({ orderLineId: lineIds.get(l.lineNo)!, staffId, seq: seq + 1 }))),
    );

    // Payments in method order (points, stored value, count cards, bank card, WeChat, cash): the lock order.
    const tendersInOrder: PlannedPayment[] = [
      ...(o.pointsUsed > 0 ? [{ ...pointsTender(o.pointsOffsetFen), points: o.pointsUsed, request: null }] : []),
      ...check.tenders
        .map((t, i) => ({ ...t, points: null, request: tenders[i] }))
        .sort((a, b) => ORDER_PAYMENT_METHODS.indexOf(a.method) - ORDER_PAYMENT_METHODS.indexOf(b.method)),
    ];
    const payments: Partial<OrderPaymentEntity>[] = [];
    for (const [i, t] of tendersInOrder.entries()) {
      const id = randomUUID();
      const line = t.lineNo !== null ? o.lines.find((l) => l.lineNo === t.lineNo)! : null;
      let walletSpendId: string | null = null;
      if (t.method === 'points') {
        await this.points.debit(m, { memberId: memberId!, storeId: o.storeId, points: t.points!, reason: 'order_payment', refType: REF.payment, refId: id, memo: orderNo });
      } else if (t.method === 'stored_value') {
        const verifiedByCode = t.request?.memberCode ? await this.memberCodeMatches(actor, t.request.memberCode, o.storeId, memberId!) : false;
        const spend = await this.wallet.spend(m, {
          memberId: memberId!,
          storeId: o.storeId,
          amountFen: t.amountFen,
          refType: REF.payment,
          refId: id,
          password: t.request?.password,
          verifiedByCode,
          memo: orderNo,
          evaluateTier: false,
        });
        walletSpendId = spend.id;
      } else if (t.method === 'count_card') {
        if (!line!.serviceCode) throw new AppError('COUNT_CARD_SERVICE_NOT_COVERED', { lineNo: line!.lineNo, serviceCode: null });
        await this.countCards.redeemFor(m, {
          cardId: t.countCardId!,
          memberId: memberId!,
          storeId: o.storeId,
          serviceCode: line!.serviceCode,
          quantity: t.quantity!,
          staffId: line!.servingStaffIds[0] ?? null,
          operatorStaffId: actor.id,
          refType: REF.payment,
          refId: id,
          now,
        });
      }
      payments.push({
        id,
        orderId,
        seq: i + 1,
        method: t.method,
        status: t.method === 'wechat' ? 'pending' : 'completed',
        amountFen: t.amountFen,
        tenderedFen: t.tenderedFen,
        changeFen: t.changeFen,
        reference: t.method === 'bank_card' ? t.reference : null,
        points: t.points,
        walletSpendId,
        countCardId: t.countCardId,
        orderLineId: line ? lineIds.get(line.lineNo)! : null,
        units: t.method === 'count_card' ? t.quantity : null,
        completedAt: t.method === 'wechat' ? null : now,
      });
    }
    await this.repo.insertPayments(m, payments);

    const moves = o.lines.filter((l) => l.skuId).map((l) => ({ storeId: o.storeId, skuId: l.skuId!, delta: -l.quantity, reason: 'sale', refType: REF.order, refId: orderId }));
    if (moves.length) await this.stock.move(m, moves);
    if (o.quote) await this.pricing.commit(m, o.quote, { orderId, memberId, storeId: o.storeId });

    for (const p of payments) {
      if (p.status === 'completed') await this.shifts.recordTakings(m, { shiftId: o.shiftId, storeId: o.storeId, method: p.method!, amountFen: p.amountFen!, refType: REF.order, refId: orderId });
    }
    if (!pending) await this.complete(m, orderId, now);
    await this.audit.record(m, {
      action: o.kind === 'quick' ? 'order.quick' : 'order.create',
      entityType: 'order',
      entityId: orderId,
      storeId: o.storeId,
      after: {
        orderNo,
        status: pending ? 'pending_payment' : 'completed',
        memberId,
        totalFen: o.totalFen,
        dueFen: o.dueFen,
        ticketId: o.ticketId,
        payments: payments.map((p) => ({ method: p.method, amountFen: p.amountFen, points: p.points, units: p.units })),
      },
    });
    return orderId;
  }

  /**
   * Completes a paid order: points earned on the money paid (tier multiplier), points debt paid
   * off from them, the non-wallet money as spend for tiers, tier evaluation, the member's visit,
   * and the member's balances for the receipt.
   */
  private async complete(m: EntityManager, orderId: string, now: Date): Promise<void> {
    const order = (await this.repo.order(m, orderId))!;
    let earned = 0;
    let memberAfter: MemberAfterSnapshot | null = null;
    if (order.memberId) {
      if (order.pointsEligibleFen > 0) {
        const tier = await this.tiers.currentTier(m, order.memberId);
        const outcome = await this.points.earn(m, {
          memberId: order.memberId,
          storeId: order.storeId,
          eligibleAmountFen: order.pointsEligibleFen,
          tierMultiplierBps: tier?.pointsMultiplierBps ?? 10_000,
          refType: REF.order,
          refId: order.id,
          at: now,
        });
        earned = outcome.points;
        await this.payOffPointsDebt(m, order.memberId, order.storeId, earned, order.orderNo);
      }
      const payments = await this.repo.payments(m, order.id);
      const outside = payments.filter((p) => OUTSIDE_MONEY.has(p.method)).reduce((s, p) => s + p.amountFen, 0);
      await this.tiers.recordSpend(m, { memberId: order.memberId, amountFen: outside, at: now, refType: REF.order, refId: order.id });
      await this.tiers.evaluate(m, order.memberId, now);
      await this.members.recordVisit(m, order.memberId, now);
      memberAfter = await this.memberAfter(m, order.memberId, earned);
    }
    await this.repo.updateOrder(m, order.id, { status: 'completed', completedAt: now, pointsEarned: earned, memberAfter });
  }

  /** Points debts (积分欠账) from earlier refunds are paid off, oldest first, from the points just earned. */
  private async payOffPointsDebt(m: EntityManager, memberId: string, storeId: string, earned: number, orderNo: string): Promise<void> {
    let left = earned;
    if (left <= 0) return;
    for (const debt of await this.repo.openDebts(m, memberId)) {
      const take = Math.min(left, debt.points - debt.settledPoints);
      if (take <= 0) break;
      await this.points.debit(m, { memberId, storeId, points: take, reason: 'debt_settlement', refType: REF.debt, refId: debt.id, memo: orderNo });
      await this.repo.settleDebt(m, debt.id, take);
      left -= take;
      if (left === 0) break;
    }
  }

  /** The member's balances as the receipt prints them, read once from the ledger. */
  async memberAfter(m: EntityManager, memberId: string, pointsEarned: number): Promise<MemberAfterSnapshot> {
    const all = await this.ledger.balances(m, memberId);
    const of = (kind: string) => all.find((b) => b.kind === kind && b.refId === null)?.balance ?? 0;
    const principalFen = of('wallet_principal');
    const bonusFen = of('wallet_bonus');
    return { balanceFen: principalFen + bonusFen, principalFen, bonusFen, points: of('points'), pointsEarned };
  }

  /**
   * Seam for the WeChat Pay capability: the provider confirmed the pending WeChat part. The order
   * completes (points earned, tiers, the WeChat taking in the order's shift). A repeat with the
   * same provider reference is a no-op; another reference for a completed payment is refused.
   */
  completeExternalPayment(input: { paymentId: string; providerRef: string; amountFen: number; at?: Date }): Promise<string> {
    return this.tx.run(async (m) => {
      const now = input.at ?? new Date();
      const found = await this.repo.payment(m, input.paymentId);
      if (!found || found.method !== 'wechat') throw new AppError('ORDER_NOT_FOUND', { paymentId: input.paymentId });
      const order = (await this.repo.lockOrder(m, found.orderId))!;
      const payment = (await this.repo.payment(m, input.paymentId))!;
      if (payment.status === 'completed' && payment.reference === input.providerRef) return order.id;
      if (order.status !== 'pending_payment' || payment.status !== 'pending') throw new AppError('ORDER_NOT_PENDING', { status: order.status });
      if (input.amountFen !== payment.amountFen) throw new AppError('ORDER_EXTERNAL_PAYMENT_MISMATCH', { expectedFen: payment.amountFen, paidFen: input.amountFen });
      if (order.memberId) await this.points.lockMember(m, order.memberId);
      await this.repo.updatePayment(m, payment.id, { status: 'completed', reference: input.providerRef, completedAt: now });
      const taken = await this.takeInShift(m, order, 'wechat', payment.amountFen, REF.order, order.id);
      await this.complete(m, order.id, now);
      await this.audit.record(m, {
        action: 'order.payment.complete',
        entityType: 'order',
        entityId: order.id,
        storeId: order.storeId,
        before: { status: 'pending_payment' },
        after: { status: 'completed', paymentId: payment.id, providerRef: input.providerRef, amountFen: payment.amountFen, shiftTaking: taken },
      });
      return order.id;
    });
  }

  /**
   * Seam for the WeChat Pay capability: the WeChat part failed or timed out. Everything the order
   * applied is undone (points and stored value back, count-card uses back, stock back, coupons
   * released, the counter's takings handed back) and the order is cancelled. Repeats are no-ops.
   */
  failExternalPayment(input: { paymentId: string; reason: string }): Promise<string> {
    return this.tx.run(async (m) => {
      const found = await this.repo.payment(m, input.paymentId);
      if (!found || found.method !== 'wechat') throw new AppError('ORDER_NOT_FOUND', { paymentId: input.paymentId });
      const order = (await this.repo.lockOrder(m, found.orderId))!;
      if (order.status === 'cancelled') return order.id;
      if (order.status !== 'pending_payment') throw new AppError('ORDER_NOT_PENDING', { status: order.status });
      if (order.memberId) await this.points.lockMember(m, order.memberId);
      const payments = await this.repo.payments(m, order.id);
      for (const p of payments) {
        if (p.method === 'points') {
          await this.points.restore(m, { memberId: order.memberId!, storeId: order.storeId, refType: REF.payment, refId: p.id, reason: 'order_cancel' });
        } else if (p.method === 'stored_value') {
          await this.wallet.reverseSpend(m, p.walletSpendId!, { reason: input.reason, refType: REF.order, refId: order.id });
        } else if (p.method === 'count_card') {
          await this.countCards.reverseFor(m, { refType: REF.payment, refId: p.id, quantity: p.units!, reason: input.reason, operatorStaffId: null });
        }
        if (p.status === 'completed') await this.takeInShift(m, order, p.method, -p.amountFen, REF.order, order.id);
        if (p.status === 'pending') await this.repo.updatePayment(m, p.id, { status: 'failed' });
      }
      const lines = await this.repo.lines(m, order.id);
      const moves = lines.filter((l) => l.skuId).map((l) => ({ storeId: order.storeId, skuId: l.skuId!, delta: l.quantity, reason: 'sale_cancel', refType: REF.order, refId: order.id }));
      if (moves.length) await this.stock.move(m, moves);
      if (order.kind === 'sale') await this.pricing.release(m, { orderId: order.id, full: true });
      await this.repo.updateOrder(m, order.id, { status: 'cancelled', cancelledAt: new Date() });
      await this.audit.record(m, { action: 'order.payment.fail', entityType: 'order', entityId: order.id, storeId: order.storeId, reason: input.reason, before: { status: 'pending_payment' }, after: { status: 'cancelled' } });
      return order.id;
    });
  }

  /**
   * A taking in the order's shift when it is still open. A provider answer after the cashier
   * closed the shift is not refused for it (the money moved at WeChat either way): it is left out
   * of the drawer and the audit record says so.
   */
  private async takeInShift(m: EntityManager, order: OrderEntity, method: OrderPaymentMethod, amountFen: number, refType: string, refId: string): Promise<boolean> {
    if (!order.shiftId) return false;
    try {
      await this.shifts.recordTakings(m, { shiftId: order.shiftId, storeId: order.storeId, method, amountFen, refType, refId });
      return true;
    } catch (err) {
      if (err instanceof AppError && err.code === 'SHIFT_NOT_OPEN') return false;
      throw err;
    }
  }

  private async activeMember(memberId: string): Promise<MemberResponse> {
    const member = await this.members.get(memberId);
    if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
    return member;
  }

  /** A fresh dynamic member code stands in for the payment password: it must be the order member's. */
  private async memberCodeMatches(actor: StaffActor, code: string, storeId: string, memberId: string): Promise<boolean> {
    const member = await this.memberCodes.resolve(actor.id, code, storeId);
    if (member.id !== memberId) throw new AppError('ORDER_MEMBER_CODE_MISMATCH');
    return true;
  }

  /** Serving staff must be active staff of the store (or HQ staff, who reach every store). */
  async checkServingStaff(storeId: string, staffIds: string[]): Promise<void> {
    for (const id of new Set(staffIds)) {
      const s = await this.staff.get(id).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'STAFF_NOT_FOUND') return null;
        throw err;
      });
      const ok = s !== null && s.status === 'active' && (s.storeIds.includes(storeId) || s.roles.some((r) => r.scope === 'chain'));
      if (!ok) throw new AppError('ORDER_STAFF_INVALID', { staffId: id });
    }
  }
}

function toDiscount(d: { kind: string; ruleId: string | null; label: string; amountFen: number; reason?: string | null }): DiscountSnapshot {
  return { kind: d.kind, ruleId: d.ruleId ?? null, label: d.label, amountFen: d.amountFen, reason: d.reason ?? null };
}

type PlannedPayment = Omit<ResolvedTender, 'method'> & { method: OrderPaymentMethod; points: number | null; request: PaymentRequest | null };

function pointsTender(amountFen: number): Omit<PlannedPayment, 'points' | 'request'> {
  return { method: 'points', amountFen, tenderedFen: null, changeFen: null, reference: null, countCardId: null, lineNo: null, quantity: null };
}
