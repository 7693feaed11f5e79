import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import type { StageRate } from '../domain/earn';
import type { ExpiryPolicy } from '../domain/expiry';

/** The chain's points rules (积分规则): one row, edited by HQ, every change audited. */
@Entity('points_settings')
@Check('points_settings_single_row', `id = 1`)
@Check('points_settings_expiry_policy_check', `expiry_policy IN ('never', 'end_of_next_year')`)
export class PointsSettingsEntity {
  @PrimaryColumn({ type: 'int' }) id!: number;
  /** Earn unit: `earn_points` points per `earn_per_fen` fen of eligible amount. */
  @Column({ type: 'int', name: 'earn_points', default: 1 }) earnPoints!: number;
  @Column({ type: 'int', name: 'earn_per_fen', default: 100 }) earnPerFen!: number;
  @Column({ type: 'jsonb', name: 'stage_rates', default: () => "'[]'" }) stageRates!: StageRate[];
  @Column({ type: 'int', name: 'birthday_multiplier_bps', default: 10000 }) birthdayMultiplierBps!: number;
  @Column({ type: 'int', name: 'referral_bonus_points', default: 0 }) referralBonusPoints!: number;
  @Column({ type: 'int', name: 'review_bonus_points', default: 0 }) reviewBonusPoints!: number;
  /** Catalog categories whose lines earn no points; the checkout leaves them out of the eligible amount. */
  @Column({ type: 'uuid', name: 'excluded_category_ids', array: true, default: () => "'{}'" }) excludedCategoryIds!: string[];
  @Column({ type: 'text', name: 'expiry_policy', default: 'end_of_next_year' }) expiryPolicy!: ExpiryPolicy;
  @Column({ type: 'boolean', name: 'exchange_enabled', default: false }) exchangeEnabled!: boolean;
  /** Exchange to stored value: `exchange_points` points buy `exchange_fen` fen of bonus balance. */
  @Column({ type: 'int', name: 'exchange_points', default: 100 }) exchangePoints!: number;
  @Column({ type: 'int', name: 'exchange_fen', default: 100 }) exchangeFen!: number;
  /** Paying with points at the checkout (积分抵现): rate and the cap as a share of the order. */
  @Column({ type: 'int', name: 'offset_points', default: 100 }) offsetPoints!: number;
  @Column({ type: 'int', name: 'offset_fen', default: 100 }) offsetFen!: number;
  @Column({ type: 'int', name: 'offset_max_bps', default: 0 }) offsetMaxBps!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A member's points earned in one calendar year (积分批次), for expiry. Invariants (reconcile):
 * a member's lots' remaining points sum to the points balance; a lot's remaining equals the sum of
 * its moves. Spending takes from the oldest lot first.
 */
@Entity('point_lot')
@Index('point_lot_member_year_unique', ['memberId', 'year'], { unique: true })
@Index(['year'])
@Check('point_lot_remaining_non_negative', `remaining >= 0`)
export class PointLotEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'int' }) year!: number;
  @Column({ type: 'bigint', default: 0 }) remaining!: string;
  /** Total ever expired from this lot (a cancelled redemption may return points to an old lot). */
  @Column({ type: 'bigint', default: 0 }) expired!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Append-only history of a lot (trigger refuses changes); lets a cancellation return points to the lots they came from. */
@Entity('point_lot_move')
@Index(['lotId', 'id'])
@Index(['refType', 'refId'])
@Check('point_lot_move_amount_non_zero', `amount <> 0`)
export class PointLotMoveEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'lot_id' }) lotId!: string;
  @ManyToOne(() => PointLotEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'lot_id' })
  lot?: PointLotEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'bigint' }) amount!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

export const EARNING_KINDS = ['purchase', 'referral', 'review'] as const;
export type EarningKind = (typeof EARNING_KINDS)[number];

/** Points granted for something (a purchase, a referral, a review): one row per source, never twice. */
@Entity('point_earning')
@Index('point_earning_source_unique', ['kind', 'sourceType', 'sourceId'], { unique: true })
@Index(['memberId', 'createdAt'])
@Check('point_earning_kind_check', `kind IN ('purchase', 'referral', 'review')`)
@Check('point_earning_reversed_within', `reversed_points >= 0 AND reversed_points <= points`)
export class PointEarningEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @Column({ type: 'text' }) kind!: EarningKind;
  /** What earned it, e.g. ('order', id) or ('member', id of the referred member). */
  @Column({ type: 'text', name: 'source_type' }) sourceType!: string;
  @Column({ type: 'text', name: 'source_id' }) sourceId!: string;
  @Column({ type: 'bigint', name: 'eligible_amount_fen', default: 0 }) eligibleAmountFen!: string;
  @Column({ type: 'int', name: 'multiplier_bps', default: 10000 }) multiplierBps!: number;
  @Column({ type: 'bigint' }) points!: string;
  @Column({ type: 'bigint', name: 'reversed_points', default: 0 }) reversedPoints!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A staff member's manual change of a member's points (手工调整), with the reason. */
@Entity('point_adjustment')
@Index(['memberId', 'createdAt'])
@Index(['storeId', 'createdAt'])
@Check('point_adjustment_points_non_zero', `points <> 0`)
export class PointAdjustmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @Column({ type: 'bigint' }) points!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** Points exchanged for stored value (积分兑换储值): credited as bonus balance, not as paid money. */
@Entity('point_exchange')
@Index(['memberId', 'createdAt'])
@Check('point_exchange_positive', `points > 0 AND value_fen > 0`)
export class PointExchangeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  /** Null when the member exchanged in the app. */
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @Column({ type: 'bigint' }) points!: string;
  @Column({ type: 'bigint', name: 'value_fen' }) valueFen!: string;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
