import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

/** What an automatic upgrade counts (see README: spend, top-up or earned points within a window). */
export const TIER_METRICS = ['spend', 'top_up', 'points'] as const;
export type TierMetric = (typeof TIER_METRICS)[number];

export const TIER_CHANGE_SOURCES = ['auto', 'manual', 'purchase', 'expiry', 'downgrade'] as const;
export type TierChangeSource = (typeof TIER_CHANGE_SOURCES)[number];

/** Ways to pay for a tier at the counter; WeChat Pay in the member app comes with the WeChat capability. */
export const TIER_PAYMENT_METHODS = ['cash', 'bank_card', 'wallet'] as const;
export type TierPaymentMethod = (typeof TIER_PAYMENT_METHODS)[number];

/**
 * A member tier (会员等级), set by HQ for the whole chain. Ordered by `level`; exactly one active
 * tier is the initial one (new members get it) and it has the lowest level. Deleting archives the
 * row, so that the change history keeps pointing at it.
 */
@Entity('tier')
@Index('tier_level_active_unique', ['level'], { unique: true, where: 'archived_at IS NULL' })
@Index('tier_initial_unique', ['isInitial'], { unique: true, where: 'is_initial AND archived_at IS NULL' })
@Check('tier_discount_bps_check', `discount_bps BETWEEN 0 AND 10000`)
@Check('tier_points_multiplier_bps_check', `points_multiplier_bps BETWEEN 0 AND 100000`)
@Check('tier_rule_check', `(upgrade_metric IS NULL) = (upgrade_threshold IS NULL)`)
@Check('tier_price_check', `price_fen >= 0 AND (price_fen = 0) = (validity_days IS NULL)`)
export class TierEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', name: 'name_en', default: '' }) nameEn!: string;
  @Column({ type: 'int' }) level!: number;
  /** Price factor for tier discounts: 9500 = 95折. Applied by the pricing capability. */
  @Column({ type: 'int', name: 'discount_bps', default: 10000 }) discountBps!: number;
  /** Points earned × this / 10000: 15000 = 1.5×. Applied by the points capability. */
  @Column({ type: 'int', name: 'points_multiplier_bps', default: 10000 }) pointsMultiplierBps!: number;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) benefits!: string[];
  @Column({ type: 'boolean', name: 'is_initial', default: false }) isInitial!: boolean;
  /** Automatic upgrade rule; null = reached only by hand or by buying it. */
  @Column({ type: 'text', name: 'upgrade_metric', nullable: true }) upgradeMetric!: TierMetric | null;
  /** Fen for spend and top_up, points for points. */
  @Column({ type: 'bigint', name: 'upgrade_threshold', nullable: true }) upgradeThreshold!: string | null;
  /** Cumulative within the last N days; 0 = lifetime. */
  @Column({ type: 'int', name: 'window_days', default: 0 }) windowDays!: number;
  /** When the daily job finds a holder below the threshold, it moves them to the tier they qualify for. */
  @Column({ type: 'boolean', name: 'downgrade_enabled', default: false }) downgradeEnabled!: boolean;
  /** 付费会员: price > 0 makes the tier purchasable for validity_days. */
  @Column({ type: 'bigint', name: 'price_fen', default: 0 }) priceFen!: string;
  @Column({ type: 'int', name: 'validity_days', nullable: true }) validityDays!: number | null;
  @Column({ type: 'timestamptz', name: 'archived_at', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Append-only history of every tier a member has had (trigger refuses UPDATE/DELETE). */
@Entity('member_tier_change')
@Index(['memberId', 'id'])
@Check('member_tier_change_source_check', `source IN ('auto', 'manual', 'purchase', 'expiry', 'downgrade')`)
export class MemberTierChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;
  @Column({ type: 'uuid', name: 'from_tier_id', nullable: true }) fromTierId!: string | null;
  @ManyToOne(() => TierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_tier_id' })
  fromTier?: Relation<TierEntity>;
  @Column({ type: 'uuid', name: 'to_tier_id' }) toTierId!: string;
  @ManyToOne(() => TierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_tier_id' })
  toTier?: Relation<TierEntity>;
  @Column({ type: 'text' }) source!: TierChangeSource;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: Relation<StaffEntity>;
  /** The evaluation time (a job passes its own `now`), which is when the change takes effect. */
  @Column({ type: 'timestamptz' }) at!: Date;
  /** For bought tiers: when the tier lapses back to the one the member qualifies for. */
  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true }) expiresAt!: Date | null;
}

/**
 * A bought tier the member currently holds (at most one): the daily job takes it away after
 * expires_at. Gone when the member moves on by an upgrade, a manual change or the expiry.
 */
@Entity('member_paid_tier')
export class MemberPaidTierEntity {
  @PrimaryColumn({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;
  @Column({ type: 'uuid', name: 'tier_id' }) tierId!: string;
  @ManyToOne(() => TierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tier_id' })
  tier?: Relation<TierEntity>;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
}

/** A tier bought at the counter (付费会员). */
@Entity('tier_purchase')
@Index(['memberId', 'createdAt'])
@Index(['storeId', 'createdAt'])
@Check('tier_purchase_payment_method_check', `payment_method IN ('cash', 'bank_card', 'wallet')`)
@Check('tier_purchase_amounts_check', `price_fen > 0 AND principal_fen >= 0 AND bonus_fen >= 0 AND principal_fen + bonus_fen IN (0, price_fen)`)
export class TierPurchaseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;
  @Column({ type: 'uuid', name: 'tier_id' }) tierId!: string;
  @ManyToOne(() => TierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'tier_id' })
  tier?: Relation<TierEntity>;
  /** The collecting store. */
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: Relation<StoreEntity>;
  @Column({ type: 'bigint', name: 'price_fen' }) priceFen!: string;
  @Column({ type: 'text', name: 'payment_method' }) paymentMethod!: TierPaymentMethod;
  /** Stored value taken, for wallet payment (principal first, then bonus). */
  @Column({ type: 'bigint', name: 'principal_fen', default: 0 }) principalFen!: string;
  @Column({ type: 'bigint', name: 'bonus_fen', default: 0 }) bonusFen!: string;
  @Column({ type: 'int', name: 'validity_days' }) validityDays!: number;
  @Column({ type: 'timestamptz', name: 'expires_at' }) expiresAt!: Date;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * Spend that did not go through the wallet (cash, card, WeChat Pay parts of an order), written by
 * the checkout so that the spend metric sees the whole order. Refunds insert negative amounts.
 * Append-only.
 */
@Entity('member_spend_fact')
@Index(['memberId', 'at'])
@Index(['refType', 'refId'])
@Check('member_spend_fact_amount_check', `amount_fen <> 0`)
export class MemberSpendFactEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;
  @Column({ type: 'bigint', name: 'amount_fen' }) amountFen!: string;
  @Column({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
}
