import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { StockService } from '../catalog/stock.service';
import { CommissionService } from '../commission/commission.service';
import { CountCardsService } from '../count-cards/count-cards.service';
import { PointsService } from '../points/points.service';
import { PricingService } from '../pricing/pricing.service';
import { ShiftsService } from '../shifts/shifts.service';
import { TierEvaluationService } from '../tiers/tier-evaluation.service';
import { WalletService } from '../wallet/wallet.service';
import { OUTSIDE_MONEY, REF } from './checkout.service';
import { canRefund, statusAfterRefund } from './domain/order-status';
import { applyRefund, planRefund, type RefundableOrder } from './domain/refund-plan';
import type { RefundRequest } from './dto/order.dto';
import type { OrderEntity, OrderLineEntity, OrderPaymentEntity } from './entities/order.entity';
import { OrdersRepository } from './orders.repository';

/** Sends the money of a refunded external (WeChat Pay) payment back through its provider. */
export interface ExternalRefunder {
  refund(m: EntityManager, input: { orderId: string; refundId: string; refundNo: string; orderPaymentId: string; amountFen: number; reason: string }): Promise<void>;
}

/**
 * Refunds (退款): full or by line and quantity, each effect reversed in proportion (see
 * domain/refund-plan.ts for the allocation). The order row is locked first, so concurrent refunds
 * of one order apply one after the other and each plans from what the previous one left: no
 * refund can take more than what was paid. Lock order after it is the checkout's: the member's
 * points lock, then payments in method order, then stock.
 */
@Injectable()
export class RefundsService {
  private externalRefunder: ExternalRefunder | null = null;

  /** The WeChat Pay capability registers itself at start-up: WeChat parts of a refund go back through it. */
  registerExternalRefunder(refunder: ExternalRefunder): void {
    this.externalRefunder = refunder;
  }

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: OrdersRepository,
    private readonly stock: StockService,
    private readonly shifts: ShiftsService,
    private readonly pricing: PricingService,
    private readonly wallet: WalletService,
    private readonly points: PointsService,
    private readonly countCards: CountCardsService,
    private readonly tiers: TierEvaluationService,
    private readonly audit: AuditService,
    private readonly commission: CommissionService,
  ) {}

  refund(actor: StaffActor, orderId: string, input: RefundRequest): Promise<string> {
    return this.tx.run(async (m) => {
      const now = new Date();
      const order = await this.repo.lockOrder(m, orderId);
      if (!order) throw new AppError('ORDER_NOT_FOUND');
      if (!canRefund(order.status)) throw new AppError('ORDER_NOT_REFUNDABLE', { status: order.status });
      // Money goes back over the counter: the refunding cashier's open shift hands it out.
      const { shiftId } = await this.shifts.requireOpenShift(m, { staffId: actor.id, storeId: order.storeId });
      const lines = await this.repo.lines(m, orderId);
      const payments = await this.repo.payments(m, orderId);
      const state = refundable(order, lines, payments);
      const planned = planRefund(state, input.lines ?? 'all');
      if (!planned.ok) throw new AppError(planned.code, planned.details);
      const plan = planned.plan;
      const memberId = order.memberId;
      if (memberId) await this.points.lockMember(m, memberId);

      const refundId = randomUUID();
      const refundNo = `${order.orderNo}-R${(await this.repo.refundCount(m, orderId)) + 1}`;
      let pointsReturned = 0;
      const bySeq = [...plan.payments].sort((a, b) => seqOf(payments, a.paymentId) - seqOf(payments, b.paymentId));
      for (const back of bySeq) {
        const p = payments.find((x) => x.id === back.paymentId)!;
        if (p.method === 'points' && back.points > 0) {
          pointsReturned += await this.points.restore(m, { memberId: memberId!, storeId: order.storeId, refType: REF.payment, refId: p.id, reason: 'order_refund', points: back.points });
        } else if (p.method === 'stored_value') {
          await this.wallet.reverseSpend(m, p.walletSpendId!, { amountFen: back.amountFen, reason: input.reason, refType: REF.refund, refId: refundId });
        } else if (p.method === 'count_card') {
          await this.countCards.reverseFor(m, { refType: REF.payment, refId: p.id, quantity: back.units, reason: input.reason, operatorStaffId: actor.id, now });
        }
        await this.shifts.recordTakings(m, { shiftId, storeId: order.storeId, method: p.method, amountFen: -back.amountFen, refType: REF.refund, refId: refundId });
      }

      // Earned points come back after the paid points are returned, so those can cover them.
      let earnReversed = 0;
      let debt = 0;
      if (memberId && plan.pointsEarnedBack > 0) {
        const out = await this.points.reverseEarn(m, { refType: REF.order, refId: orderId, points: plan.pointsEarnedBack, storeId: order.storeId, reason: input.reason });
        earnReversed = out.reversedPoints;
        debt = plan.pointsEarnedBack - earnReversed;
        if (debt > 0 && (await this.repo.settings(m)).pointsClawback === 'refuse') {
          throw new AppError('ORDER_REFUND_POINTS_SPENT', { pointsEarnedBack: plan.pointsEarnedBack, shortfallPoints: debt });
        }
      }

      const skuOf = new Map(lines.map((l) => [l.id, l]));
      const moves = plan.lines
        .filter((l) => l.quantity > 0 && skuOf.get(l.lineId)?.skuId)
        .map((l) => ({ storeId: order.storeId, skuId: skuOf.get(l.lineId)!.skuId!, delta: l.quantity, reason: 'refund', refType: REF.refund, refId: refundId }));
      if (moves.length) await this.stock.move(m, moves);
      if (order.kind === 'sale') {
        await this.pricing.release(m, {
          orderId,
          full: plan.full,
          quantities: plan.lines.filter((l) => l.quantity > 0).map((l) => ({ lineNo: skuOf.get(l.lineId)!.lineNo, quantity: l.quantity })),
        });
      }
      if (memberId) {
        // Money given back is spend undone: the wallet part too (the tiers' spend metric counts wallet spends from the ledger).
        const money = plan.payments.filter((b) => b.method === 'stored_value' || OUTSIDE_MONEY.has(b.method)).reduce((s, b) => s + b.amountFen, 0);
        await this.tiers.recordSpend(m, { memberId, amountFen: -money, at: now, refType: REF.refund, refId: refundId });
      }

      await this.repo.insertRefund(
        m,
        {
          id: refundId,
          refundNo,
          orderId,
          storeId: order.storeId,
          staffId: actor.id,
          shiftId,
          reason: input.reason,
          amountFen: plan.amountFen,
          moneyFen: plan.moneyFen,
          pointsReturned,
          pointsEarnedBack: plan.pointsEarnedBack,
          pointsEarnReversed: earnReversed,
          pointsDebt: debt,
          fullRefund: plan.full,
        },
        plan.lines.map((l) => ({ refundId, orderLineId: l.lineId, quantity: l.quantity, amountFen: l.amountFen, coveredUnits: l.coveredUnits, coveredFen: l.coveredFen, moneyFen: l.moneyFen, eligibleFen: l.eligibleFen })),
        plan.payments.map((b) => ({ refundId, orderPaymentId: b.paymentId, method: b.method, amountFen: b.amountFen, points: b.points, units: b.units })),
      );
      if (debt > 0) await this.repo.insertDebt(m, { memberId: memberId!, refundId, points: debt });
      // The refunded lines' commission goes back in proportion (提成冲回).
      await this.commission.onOrderRefunded(m, {
        orderId,
        refundId,
        storeId: order.storeId,
        at: now,
        lines: plan.lines.filter((l) => l.quantity > 0 || l.amountFen > 0).map((l) => ({ lineId: l.lineId, quantity: l.quantity, amountFen: l.amountFen })),
      });
      // The WeChat part goes back to the payer through WeChat, in this transaction: WeChat refusing
      // outright refuses the whole refund; WeChat not answering leaves it for the provider's retry.
      for (const b of plan.payments) {
        if (b.method === 'wechat' && b.amountFen > 0 && this.externalRefunder) {
          await this.externalRefunder.refund(m, { orderId, refundId, refundNo, orderPaymentId: b.paymentId, amountFen: b.amountFen, reason: input.reason });
        }
      }

      const after = applyRefund(state, plan);
      for (const l of after.lines) {
        const before = state.lines.find((x) => x.lineId === l.lineId)!;
        if (before.refundedFen !== l.refundedFen || before.refundedQuantity !== l.refundedQuantity) {
          await this.repo.updateLine(m, l.lineId, { refundedQuantity: l.refundedQuantity, refundedFen: l.refundedFen, refundedMoneyFen: l.refundedMoneyFen });
        }
      }
      for (const p of after.payments) {
        const before = state.payments.find((x) => x.paymentId === p.paymentId)!;
        if (before.refundedFen !== p.refundedFen || before.refundedUnits !== p.refundedUnits) {
          await this.repo.updatePayment(m, p.paymentId, { refundedFen: p.refundedFen, refundedPoints: p.refundedPoints, refundedUnits: p.refundedUnits });
        }
      }
      const status = statusAfterRefund(plan.full);
      await this.repo.updateOrder(m, orderId, {
        status,
        refundedFen: order.refundedFen + plan.amountFen,
        eligibleRefundedFen: after.eligibleRefundedFen,
        pointsEarnReversed: order.pointsEarnReversed + earnReversed,
      });
      await this.audit.record(m, {
        action: 'order.refund',
        entityType: 'order',
        entityId: orderId,
        storeId: order.storeId,
        reason: input.reason,
        before: { status: order.status, refundedFen: order.refundedFen },
        after: {
          status,
          refundedFen: order.refundedFen + plan.amountFen,
          refundId,
          refundNo,
          payments: plan.payments.map((b) => ({ method: b.method, amountFen: b.amountFen, points: b.points, units: b.units })),
          pointsReturned,
          pointsEarnReversed: earnReversed,
          pointsDebt: debt,
        },
      });
      return refundId;
    });
  }
}

function seqOf(payments: OrderPaymentEntity[], id: string): number {
  return payments.find((p) => p.id === id)?.seq ?? 0;
}

/** The order as the refund planner sees it. Only completed payments hold money to give back. */
export function refundable(order: OrderEntity, lines: OrderLineEntity[], payments: OrderPaymentEntity[]): RefundableOrder {
  return {
    lines: lines.map((l) => ({
      lineId: l.id,
      kind: l.kind,
      quantity: l.quantity,
      totalFen: l.totalFen,
      coveredUnits: l.coveredUnits,
      moneyFen: l.moneyFen,
      eligibleFen: l.eligibleFen,
      refundedQuantity: l.refundedQuantity,
      refundedFen: l.refundedFen,
      refundedMoneyFen: l.refundedMoneyFen,
    })),
    payments: payments
      .filter((p) => p.status === 'completed')
      .map((p) => ({
        paymentId: p.id,
        seq: p.seq,
        method: p.method,
        amountFen: p.amountFen,
        refundedFen: p.refundedFen,
        points: p.points,
        refundedPoints: p.refundedPoints,
        lineId: p.orderLineId,
        units: p.units,
        refundedUnits: p.refundedUnits,
      })),
    pointsEarned: order.pointsEarned,
    eligibleFen: order.pointsEligibleFen,
    eligibleRefundedFen: order.eligibleRefundedFen,
  };
}
