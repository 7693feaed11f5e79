import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { MemberEntity } from '../../members/entities/member.entity';
import { ShiftEntity } from '../../shifts/entities/shift.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';
import type { OrderStatus } from '../domain/order-status';
import type { OrderPaymentMethod } from '../domain/payments';
import { TicketEntity } from './ticket.entity';

export const ORDER_KINDS = ['sale', 'quick'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const LINE_KINDS = ['goods', 'service', 'amount'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

export const PAYMENT_STATUSES = ['pending', 'completed', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const POINTS_CLAWBACK_POLICIES = ['refuse', 'record_debt'] as const;
export type PointsClawbackPolicy = (typeof POINTS_CLAWBACK_POLICIES)[number];

/** An explained discount, as the pricing engine gave it (kind, rule, label, amount, why). */
export interface DiscountSnapshot {
  kind: string;
  ruleId: string | null;
  label: string;
  amountFen: number;
  reason: string | null;
}

export interface MemberAfterSnapshot {
  balanceFen: number;
  principalFen: number;
  bonusFen: number;
  points: number;
  pointsEarned: number;
}

/** A coupon the cart named, and whether the quote applied it. */
export interface CouponSnapshot {
  couponId: string;
  code: string | null;
  applied: boolean;
  reason: string | null;
}

/**
 * A sale (订单): a priced cart or a quick amount (快速消费), its payments and refunds. The amounts
 * are the quote's as the server re-priced it; Σ lines = total, Σ payments = total (checked by the
 * reconcile SQL), due = total − points offset is what the other payments cover.
 */
@Entity('sales_order')
@Index(['storeId', 'createdAt'])
@Index(['memberId', 'createdAt'])
@Index(['cashierId', 'createdAt'])
@Check('order_kind_check', `kind IN ('sale', 'quick')`)
@Check('order_status_check', `status IN ('pending_payment', 'completed', 'partially_refunded', 'refunded', 'cancelled')`)
@Check('order_amounts_check', `total_fen >= 0 AND points_offset_fen >= 0 AND points_used >= 0 AND due_fen = total_fen - points_offset_fen AND due_fen >= 0`)
@Check('order_refunded_check', `refunded_fen BETWEEN 0 AND total_fen AND eligible_refunded_fen BETWEEN 0 AND points_eligible_fen`)
@Check('order_points_check', `points_earned >= 0 AND points_earn_reversed BETWEEN 0 AND points_earned`)
export class OrderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'order_no', unique: true }) orderNo!: string;
  @Column({ type: 'text' }) kind!: OrderKind;
  @Column({ type: 'text' }) status!: OrderStatus;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'cashier_id', nullable: true }) cashierId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cashier_id' })
  cashier?: StaffEntity;
  /** The cashier's open shift (交班) that took the money. */
  @Column({ type: 'uuid', name: 'shift_id', nullable: true }) shiftId!: string | null;
  @ManyToOne(() => ShiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'shift_id' })
  shift?: ShiftEntity;
  /** The open ticket (开单) this order settled, at most one order per ticket. */
  @Column({ type: 'uuid', name: 'ticket_id', nullable: true, unique: true }) ticketId!: string | null;
  @ManyToOne(() => TicketEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: TicketEntity;
  @Column({ ...fenColumn, name: 'subtotal_fen' }) subtotalFen!: number;
  @Column({ ...fenColumn, name: 'discount_fen' }) discountFen!: number;
  @Column({ ...fenColumn, name: 'total_fen' }) totalFen!: number;
  @Column({ type: 'int', name: 'points_used', default: 0 }) pointsUsed!: number;
  @Column({ ...fenColumn, name: 'points_offset_fen', default: 0 }) pointsOffsetFen!: number;
  @Column({ ...fenColumn, name: 'due_fen' }) dueFen!: number;
  /** Money paid for points-eligible lines (stored value, card, WeChat, cash): what earned points. */
  @Column({ ...fenColumn, name: 'points_eligible_fen', default: 0 }) pointsEligibleFen!: number;
  @Column({ type: 'int', name: 'points_earned', default: 0 }) pointsEarned!: number;
  /** Of the eligible amount, how much was refunded: the earned points' share to take back. */
  @Column({ ...fenColumn, name: 'eligible_refunded_fen', default: 0 }) eligibleRefundedFen!: number;
  /** Earned points actually taken back (a shortfall may be recorded as debt instead). */
  @Column({ type: 'int', name: 'points_earn_reversed', default: 0 }) pointsEarnReversed!: number;
  @Column({ ...fenColumn, name: 'refunded_fen', default: 0 }) refundedFen!: number;
  @Column({ type: 'jsonb', name: 'order_discounts', default: () => "'[]'" }) orderDiscounts!: DiscountSnapshot[];
  @Column({ type: 'jsonb', default: () => "'[]'" }) coupons!: CouponSnapshot[];
  /** The member's balances right after the order completed, for the receipt (reprints show the same). */
  @Column({ type: 'jsonb', name: 'member_after', nullable: true }) memberAfter!: MemberAfterSnapshot | null;
  @Column({ type: 'text', nullable: true }) memo!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * One line of an order with its price as quoted and its refund counters. covered + money = total:
 * the covered part was paid by a count card (its first `covered_units` units), the money part by
 * the order's other payments; `eligible_fen` is the money that earned points.
 */
@Entity('order_line')
@Unique('order_line_no_unique', ['orderId', 'lineNo'])
@Index(['skuId'])
@Check('order_line_kind_check', `kind IN ('goods', 'service', 'amount')`)
@Check('order_line_amounts_check', `quantity > 0 AND total_fen >= 0 AND original_fen >= 0 AND discount_fen >= 0 AND covered_fen >= 0 AND money_fen >= 0 AND covered_fen + money_fen = total_fen`)
@Check('order_line_covered_check', `covered_units BETWEEN 0 AND quantity AND eligible_fen BETWEEN 0 AND money_fen`)
@Check('order_line_refunded_check', `refunded_quantity BETWEEN 0 AND quantity AND refunded_fen BETWEEN 0 AND total_fen AND refunded_money_fen BETWEEN 0 AND money_fen`)
export class OrderLineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'order_id' }) orderId!: string;
  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id' })
  order?: OrderEntity;
  @Column({ type: 'int', name: 'line_no' }) lineNo!: number;
  @Column({ type: 'text' }) kind!: LineKind;
  @Column({ type: 'uuid', name: 'sku_id', nullable: true }) skuId!: string | null;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'uuid', name: 'product_id', nullable: true }) productId!: string | null;
  @Column({ type: 'uuid', name: 'category_id', nullable: true }) categoryId!: string | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ ...fenColumn, name: 'unit_price_fen' }) unitPriceFen!: number;
  @Column({ ...fenColumn, name: 'original_fen' }) originalFen!: number;
  @Column({ ...fenColumn, name: 'discount_fen' }) discountFen!: number;
  @Column({ ...fenColumn, name: 'total_fen' }) totalFen!: number;
  @Column({ ...fenColumn, name: 'cost_fen', default: 0 }) costFen!: number;
  @Column({ type: 'jsonb', default: () => "'[]'" }) discounts!: DiscountSnapshot[];
  @Column({ type: 'boolean', name: 'points_eligible', default: true }) pointsEligible!: boolean;
  @Column({ type: 'int', name: 'covered_units', default: 0 }) coveredUnits!: number;
  @Column({ ...fenColumn, name: 'covered_fen', default: 0 }) coveredFen!: number;
  @Column({ ...fenColumn, name: 'money_fen' }) moneyFen!: number;
  @Column({ ...fenColumn, name: 'eligible_fen', default: 0 }) eligibleFen!: number;
  @Column({ type: 'int', name: 'refunded_quantity', default: 0 }) refundedQuantity!: number;
  @Column({ ...fenColumn, name: 'refunded_fen', default: 0 }) refundedFen!: number;
  @Column({ ...fenColumn, name: 'refunded_money_fen', default: 0 }) refundedMoneyFen!: number;
}

/** Who served a line (服务技师 / 导购); commission reads it later. */
@Entity('order_line_staff')
@Index(['staffId'])
export class OrderLineStaffEntity {
  @PrimaryColumn({ type: 'uuid', name: 'order_line_id' }) orderLineId!: string;
  @ManyToOne(() => OrderLineEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_line_id' })
  line?: OrderLineEntity;
  @PrimaryColumn({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'int' }) seq!: number;
}

/**
 * One payment of an order: points (the offset), stored value (its wallet_spend), a count card
 * for a service line, bank card (terminal reference only, never card data), WeChat Pay (pending
 * until the provider confirms), cash (tendered and change). Refund counters never exceed it.
 */
@Entity('order_payment')
@Unique('order_payment_seq_unique', ['orderId', 'seq'])
@Index('order_payment_provider_ref_unique', ['method', 'reference'], { unique: true, where: `method = 'wechat' AND reference IS NOT NULL` })
@Check('order_payment_method_check', `method IN ('points', 'stored_value', 'count_card', 'bank_card', 'wechat', 'cash')`)
@Check('order_payment_status_check', `status IN ('pending', 'completed', 'failed')`)
@Check('order_payment_amount_check', `amount_fen > 0 AND refunded_fen BETWEEN 0 AND amount_fen`)
@Check('order_payment_points_check', `(method = 'points') = (points IS NOT NULL) AND (points IS NULL OR (points > 0 AND refunded_points BETWEEN 0 AND points))`)
@Check(
  'order_payment_count_card_check',
  `(method = 'count_card') = (count_card_id IS NOT NULL) AND (method <> 'count_card' OR (order_line_id IS NOT NULL AND units > 0 AND refunded_units BETWEEN 0 AND units))`,
)
@Check('order_payment_cash_check', `(method = 'cash') OR (tendered_fen IS NULL AND change_fen IS NULL)`)
@Check('order_payment_change_check', `tendered_fen IS NULL OR (change_fen = tendered_fen - amount_fen AND change_fen >= 0)`)
export class OrderPaymentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'order_id' }) orderId!: string;
  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id' })
  order?: OrderEntity;
  @Column({ type: 'int' }) seq!: number;
  @Column({ type: 'text' }) method!: OrderPaymentMethod;
  @Column({ type: 'text' }) status!: PaymentStatus;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ ...fenColumn, name: 'tendered_fen', nullable: true }) tenderedFen!: number | null;
  @Column({ ...fenColumn, name: 'change_fen', nullable: true }) changeFen!: number | null;
  /** Bank-card terminal reference, or the provider's transaction id once WeChat Pay confirms. */
  @Column({ type: 'text', nullable: true }) reference!: string | null;
  @Column({ type: 'int', nullable: true }) points!: number | null;
  @Column({ type: 'uuid', name: 'wallet_spend_id', nullable: true }) walletSpendId!: string | null;
  @Column({ type: 'uuid', name: 'count_card_id', nullable: true }) countCardId!: string | null;
  @Column({ type: 'uuid', name: 'order_line_id', nullable: true }) orderLineId!: string | null;
  @Column({ type: 'int', nullable: true }) units!: number | null;
  @Column({ ...fenColumn, name: 'refunded_fen', default: 0 }) refundedFen!: number;
  @Column({ type: 'int', name: 'refunded_points', default: 0 }) refundedPoints!: number;
  @Column({ type: 'int', name: 'refunded_units', default: 0 }) refundedUnits!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'completed_at', nullable: true }) completedAt!: Date | null;
}

/** A refund (退款) of some or all of an order. Append-only, like its lines and payments. */
@Entity('order_refund')
@Index(['orderId', 'createdAt'])
@Index(['storeId', 'createdAt'])
@Check('order_refund_amounts_check', `amount_fen >= 0 AND money_fen BETWEEN 0 AND amount_fen AND points_returned >= 0 AND points_earned_back >= 0 AND points_earn_reversed >= 0 AND points_debt >= 0 AND points_earn_reversed + points_debt = points_earned_back`)
export class OrderRefundEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'refund_no', unique: true }) refundNo!: string;
  @Column({ type: 'uuid', name: 'order_id' }) orderId!: string;
  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id' })
  order?: OrderEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  /** The refunding cashier's shift, which handed the money back. */
  @Column({ type: 'uuid', name: 'shift_id', nullable: true }) shiftId!: string | null;
  @ManyToOne(() => ShiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'shift_id' })
  shift?: ShiftEntity;
  @Column({ type: 'text' }) reason!: string;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ ...fenColumn, name: 'money_fen' }) moneyFen!: number;
  @Column({ type: 'int', name: 'points_returned', default: 0 }) pointsReturned!: number;
  /** Earned points this refund should take back; reversed now + recorded as debt = this. */
  @Column({ type: 'int', name: 'points_earned_back', default: 0 }) pointsEarnedBack!: number;
  @Column({ type: 'int', name: 'points_earn_reversed', default: 0 }) pointsEarnReversed!: number;
  @Column({ type: 'int', name: 'points_debt', default: 0 }) pointsDebt!: number;
  @Column({ type: 'boolean', name: 'full_refund' }) fullRefund!: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('order_refund_line')
@Index(['refundId'])
@Index(['orderLineId'])
@Check('order_refund_line_amounts_check', `quantity >= 0 AND amount_fen >= 0 AND covered_units >= 0 AND covered_fen >= 0 AND money_fen >= 0 AND covered_fen + money_fen = amount_fen AND eligible_fen BETWEEN 0 AND money_fen`)
export class OrderRefundLineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'refund_id' }) refundId!: string;
  @ManyToOne(() => OrderRefundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_id' })
  refund?: OrderRefundEntity;
  @Column({ type: 'uuid', name: 'order_line_id' }) orderLineId!: string;
  @ManyToOne(() => OrderLineEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_line_id' })
  line?: OrderLineEntity;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'int', name: 'covered_units', default: 0 }) coveredUnits!: number;
  @Column({ ...fenColumn, name: 'covered_fen', default: 0 }) coveredFen!: number;
  @Column({ ...fenColumn, name: 'money_fen' }) moneyFen!: number;
  @Column({ ...fenColumn, name: 'eligible_fen', default: 0 }) eligibleFen!: number;
}

/**
 * What one payment of the order got back from one refund. WeChat Pay parts are handed to the
 * WeChat capability, which sends them back through the provider (and keeps its own record).
 */
@Entity('order_refund_payment')
@Index(['refundId'])
@Index(['orderPaymentId'])
@Check('order_refund_payment_amounts_check', `amount_fen > 0 AND points >= 0 AND units >= 0`)
export class OrderRefundPaymentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'refund_id' }) refundId!: string;
  @ManyToOne(() => OrderRefundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_id' })
  refund?: OrderRefundEntity;
  @Column({ type: 'uuid', name: 'order_payment_id' }) orderPaymentId!: string;
  @ManyToOne(() => OrderPaymentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_payment_id' })
  payment?: OrderPaymentEntity;
  @Column({ type: 'text' }) method!: OrderPaymentMethod;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'int', default: 0 }) points!: number;
  @Column({ type: 'int', default: 0 }) units!: number;
}

/**
 * Earned points a refund could not take back because the member had spent them, under the
 * `record_debt` rule (积分欠账). Later orders of the member pay it off from the points they earn.
 */
@Entity('order_points_debt')
@Index('order_points_debt_open', ['memberId', 'createdAt'], { where: 'settled_points < points' })
@Check('order_points_debt_check', `points > 0 AND settled_points BETWEEN 0 AND points`)
export class OrderPointsDebtEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'refund_id', unique: true }) refundId!: string;
  @ManyToOne(() => OrderRefundEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'refund_id' })
  refund?: OrderRefundEntity;
  @Column({ type: 'int' }) points!: number;
  @Column({ type: 'int', name: 'settled_points', default: 0 }) settledPoints!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** The chain's order rules (订单设置): one row, seeded by the migration, HQ edits it. */
@Entity('order_settings')
@Check('order_settings_single_row', `id = 1`)
@Check('order_settings_points_clawback_check', `points_clawback IN ('refuse', 'record_debt')`)
export class OrderSettingsEntity {
  @PrimaryColumn({ type: 'smallint', default: 1 }) id!: number;
  /** A refund meets earned points the member already spent: refuse it, or record the rest as debt. */
  @Column({ type: 'text', name: 'points_clawback', default: 'record_debt' }) pointsClawback!: PointsClawbackPolicy;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
