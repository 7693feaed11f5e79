import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { fenColumn } from './fen-column';
import { MemberEntity } from '../../members/entities/member.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

export const CONSUMPTION_ORDERS = ['bonus_first', 'principal_first', 'proportional'] as const;
export type ConsumptionOrder = (typeof CONSUMPTION_ORDERS)[number];

export const REFUND_POLICIES = ['refuse', 'deduct_from_refund'] as const;
export type RefundPolicy = (typeof REFUND_POLICIES)[number];

export const PAYMENT_METHODS = ['cash', 'bank_card', 'wechat'] as const;
export type TopUpPaymentMethod = (typeof PAYMENT_METHODS)[number];

export const TOP_UP_STATUSES = ['completed', 'refunded'] as const;
export type TopUpStatus = (typeof TOP_UP_STATUSES)[number];

export const SPEND_STATUSES = ['completed', 'partially_reversed', 'reversed'] as const;
export type SpendStatus = (typeof SPEND_STATUSES)[number];

export const INSTALMENT_STATUSES = ['pending', 'released', 'cancelled'] as const;
export type InstalmentStatus = (typeof INSTALMENT_STATUSES)[number];

/** The chain's stored-value settings (储值设置): exactly one row, seeded by the migration. */
@Entity('wallet_settings')
@Check('wallet_settings_single_row', `id = 1`)
@Check('wallet_settings_consumption_order_check', `consumption_order IN ('bonus_first', 'principal_first', 'proportional')`)
@Check('wallet_settings_refund_policy_check', `refund_policy IN ('refuse', 'deduct_from_refund')`)
@Check('wallet_settings_top_up_range_check', `min_top_up_fen >= 1 AND max_top_up_fen >= min_top_up_fen`)
export class WalletSettingsEntity {
  @PrimaryColumn({ type: 'smallint', default: 1 }) id!: number;
  @Column({ type: 'text', name: 'consumption_order', default: 'bonus_first' }) consumptionOrder!: ConsumptionOrder;
  @Column({ type: 'text', name: 'refund_policy', default: 'refuse' }) refundPolicy!: RefundPolicy;
  @Column({ ...fenColumn, name: 'min_top_up_fen', default: 100 }) minTopUpFen!: number;
  @Column({ ...fenColumn, name: 'max_top_up_fen', default: 10_000_000 }) maxTopUpFen!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** A top-up bonus rule (充值赠送, e.g. 充100送20). store_id null = HQ's rule for every store. */
@Entity('wallet_bonus_rule')
@Index(['storeId'])
@Check('wallet_bonus_rule_threshold_check', `threshold_fen > 0`)
@Check('wallet_bonus_rule_bonus_check', `bonus_fen >= 0 AND bonus_points >= 0 AND (bonus_fen > 0 OR bonus_points > 0 OR bonus_count_card_template_id IS NOT NULL OR bonus_coupon_template_id IS NOT NULL)`)
@Check('wallet_bonus_rule_instalments_check', `instalments BETWEEN 1 AND 120 AND interval_months BETWEEN 1 AND 12`)
@Check('wallet_bonus_rule_window_check', `valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from`)
export class WalletBonusRuleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  /** Only members of this tier; no foreign key because tiers are owned by the tiers capability. */
  @Column({ type: 'uuid', name: 'tier_id', nullable: true }) tierId!: string | null;
  @Column({ ...fenColumn, name: 'threshold_fen' }) thresholdFen!: number;
  @Column({ ...fenColumn, name: 'bonus_fen', default: 0 }) bonusFen!: number;
  @Column({ type: 'int', name: 'bonus_points', default: 0 }) bonusPoints!: number;
  /** A count card given with the top-up (充值送次卡): the template it is issued from. */
  @Column({ type: 'uuid', name: 'bonus_count_card_template_id', nullable: true }) bonusCountCardTemplateId!: string | null;
  /** A coupon given with the top-up (充值送券): the coupon template it is issued from. */
  @Column({ type: 'uuid', name: 'bonus_coupon_template_id', nullable: true }) bonusCouponTemplateId!: string | null;
  /** The stored-value bonus is released in this many parts; the first at the top-up. */
  @Column({ type: 'int', default: 1 }) instalments!: number;
  @Column({ type: 'int', name: 'interval_months', default: 1 }) intervalMonths!: number;
  @Column({ type: 'timestamptz', name: 'valid_from', nullable: true }) validFrom!: Date | null;
  @Column({ type: 'timestamptz', name: 'valid_to', nullable: true }) validTo!: Date | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ type: 'int', default: 0 }) priority!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** A top-up (充值): the record every ledger entry of the top-up points at. */
@Entity('wallet_top_up')
@Index(['storeId', 'createdAt'])
@Index(['memberId', 'createdAt'])
@Index('wallet_top_up_payment_ref_unique', ['paymentMethod', 'paymentRef'], { unique: true, where: 'payment_ref IS NOT NULL' })
@Check('wallet_top_up_amount_check', `amount_fen > 0`)
@Check('wallet_top_up_bonus_check', `bonus_fen >= 0 AND bonus_points >= 0`)
@Check('wallet_top_up_method_check', `payment_method IN ('cash', 'bank_card', 'wechat')`)
@Check('wallet_top_up_status_check', `status IN ('completed', 'refunded')`)
export class WalletTopUpEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  /** The store that collected the money (for the cross-store settlement report). */
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  /** The whole stored-value bonus granted, released now or in instalments. */
  @Column({ ...fenColumn, name: 'bonus_fen', default: 0 }) bonusFen!: number;
  @Column({ type: 'int', name: 'bonus_points', default: 0 }) bonusPoints!: number;
  /** The count card the bonus rule gave, if any; taken back with a refund while unused. */
  @Column({ type: 'uuid', name: 'bonus_count_card_id', nullable: true }) bonusCountCardId!: string | null;
  /** The coupon the bonus rule gave, if any; voided with a refund while unused. */
  @Column({ type: 'uuid', name: 'bonus_coupon_id', nullable: true }) bonusCouponId!: string | null;
  @Column({ type: 'uuid', name: 'rule_id', nullable: true }) ruleId!: string | null;
  @ManyToOne(() => WalletBonusRuleEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rule_id' })
  rule?: WalletBonusRuleEntity;
  @Column({ type: 'text', name: 'payment_method' }) paymentMethod!: TopUpPaymentMethod;
  /** The payment provider's transaction id (WeChat Pay), unique per method: a callback applies once. */
  @Column({ type: 'text', name: 'payment_ref', nullable: true }) paymentRef!: string | null;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  @Column({ type: 'text', nullable: true }) memo!: string | null;
  @Column({ type: 'text', default: 'completed' }) status!: TopUpStatus;
  @Column({ type: 'timestamptz', name: 'refunded_at', nullable: true }) refundedAt!: Date | null;
  @Column({ type: 'text', name: 'refund_reason', nullable: true }) refundReason!: string | null;
  /** Money handed back to the member: the principal less any bonus already spent (deduct policy). */
  @Column({ ...fenColumn, name: 'refund_cash_fen', nullable: true }) refundCashFen!: number | null;
  @Column({ ...fenColumn, name: 'refund_bonus_fen', nullable: true }) refundBonusFen!: number | null;
  @Column({ type: 'uuid', name: 'refunded_by', nullable: true }) refundedBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** One part of an instalment bonus (分期赠送). Moves pending → released | cancelled exactly once. */
@Entity('wallet_bonus_instalment')
@Index(['topUpId', 'seq'], { unique: true })
@Index('wallet_bonus_instalment_due', ['dueAt'], { where: `status = 'pending'` })
@Check('wallet_bonus_instalment_amount_check', `amount_fen > 0`)
@Check('wallet_bonus_instalment_status_check', `status IN ('pending', 'released', 'cancelled')`)
export class WalletBonusInstalmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'top_up_id' }) topUpId!: string;
  @ManyToOne(() => WalletTopUpEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'top_up_id' })
  topUp?: WalletTopUpEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'int' }) seq!: number;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'timestamptz', name: 'due_at' }) dueAt!: Date;
  @Column({ type: 'text', default: 'pending' }) status!: InstalmentStatus;
  @Column({ type: 'timestamptz', name: 'released_at', nullable: true }) releasedAt!: Date | null;
}

/** A spend of stored value (储值消费): by a checkout, a card sale, or quick consumption by amount. */
@Entity('wallet_spend')
@Index(['storeId', 'createdAt'])
@Index(['memberId', 'createdAt'])
@Index(['refType', 'refId'])
@Check('wallet_spend_amount_check', `amount_fen > 0 AND principal_fen >= 0 AND bonus_fen >= 0 AND principal_fen + bonus_fen = amount_fen`)
@Check('wallet_spend_reversed_check', `reversed_principal_fen BETWEEN 0 AND principal_fen AND reversed_bonus_fen BETWEEN 0 AND bonus_fen`)
@Check('wallet_spend_status_check', `status IN ('completed', 'partially_reversed', 'reversed')`)
export class WalletSpendEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  /** The store where the value was redeemed (for the cross-store settlement report). */
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ ...fenColumn, name: 'principal_fen' }) principalFen!: number;
  @Column({ ...fenColumn, name: 'bonus_fen' }) bonusFen!: number;
  @Column({ ...fenColumn, name: 'reversed_principal_fen', default: 0 }) reversedPrincipalFen!: number;
  @Column({ ...fenColumn, name: 'reversed_bonus_fen', default: 0 }) reversedBonusFen!: number;
  /** What the spend paid for ('order' + id); 'wallet_spend' + its own id for quick consumption. */
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  @Column({ type: 'text', default: 'completed' }) status!: SpendStatus;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  @Column({ type: 'text', nullable: true }) memo!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
