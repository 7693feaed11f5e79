import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

/**
 * count: N uses (计次卡 / 疗程卡); period: unlimited uses for a number of days, optionally at most M
 * a day (包月卡); time: N minutes of timed use (计时卡, e.g. billiards).
 */
export const COUNT_CARD_KINDS = ['count', 'period', 'time'] as const;
export type CountCardKind = (typeof COUNT_CARD_KINDS)[number];

export const TEMPLATE_STATUSES = ['on_sale', 'off_sale'] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const COUNT_CARD_STATUSES = ['active', 'expired', 'used_up', 'refunded'] as const;
export type CountCardStatus = (typeof COUNT_CARD_STATUSES)[number];

/** How a sale was paid. Stored value ('stored_value') joins when the wallet capability lands. */
/** How a card was paid; 'bonus' cards were given by a top-up bonus rule (充值送次卡). */
export const COUNT_CARD_PAYMENT_METHODS = ['cash', 'bank_card', 'stored_value', 'bonus'] as const;
export const SALE_PAYMENT_METHODS = ['cash', 'bank_card', 'stored_value'] as const;
export type CountCardPaymentMethod = (typeof COUNT_CARD_PAYMENT_METHODS)[number];

/** What HQ sells (次卡模板). Editing it changes future sales only: every sold card keeps a snapshot. */
@Entity('count_card_template')
@Check('count_card_template_kind_check', `kind IN ('count', 'period', 'time')`)
@Check('count_card_template_status_check', `status IN ('on_sale', 'off_sale')`)
@Check(
  'count_card_template_shape_check',
  `(kind = 'count' AND uses > 0 AND period_days IS NULL AND minutes IS NULL AND daily_limit IS NULL)
   OR (kind = 'period' AND period_days > 0 AND uses IS NULL AND minutes IS NULL AND (daily_limit IS NULL OR daily_limit > 0) AND validity_days IS NULL AND fixed_valid_until IS NULL)
   OR (kind = 'time' AND minutes > 0 AND uses IS NULL AND period_days IS NULL AND daily_limit IS NULL)`,
)
@Check('count_card_template_validity_check', `validity_days IS NULL OR fixed_valid_until IS NULL`)
@Check('count_card_template_price_check', `price_fen >= 0`)
export class CountCardTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: CountCardKind;
  /** Service codes the card pays for; the catalog (with checkout) will own what a code means. */
  @Column({ type: 'text', array: true, name: 'service_codes' }) serviceCodes!: string[];
  @Column({ type: 'int', nullable: true }) uses!: number | null;
  @Column({ type: 'int', name: 'period_days', nullable: true }) periodDays!: number | null;
  @Column({ type: 'int', name: 'daily_limit', nullable: true }) dailyLimit!: number | null;
  @Column({ type: 'int', nullable: true }) minutes!: number | null;
  @Column({ type: 'bigint', name: 'price_fen' }) priceFen!: string;
  /** Valid for this many days from the day of sale; or until fixed_valid_until; neither = no end. */
  @Column({ type: 'int', name: 'validity_days', nullable: true }) validityDays!: number | null;
  @Column({ type: 'date', name: 'fixed_valid_until', nullable: true }) fixedValidUntil!: string | null;
  @Column({ type: 'text', default: 'on_sale' }) status!: TemplateStatus;
  /** Stores where it may be sold; empty = every store. Redeemable at any store (跨店通用). */
  @Column({ type: 'uuid', array: true, name: 'store_ids', default: () => "'{}'" }) storeIds!: string[];
  @Column({ type: 'text', default: '' }) description!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A card sold to a member (会员次卡). Uses (count) and minutes (time) live in a ledger account of
 * kind count_card whose ref_id is this row's id; period cards have no balance.
 */
@Entity('member_count_card')
@Check('member_count_card_kind_check', `kind IN ('count', 'period', 'time')`)
@Check('member_count_card_status_check', `status IN ('active', 'expired', 'used_up', 'refunded')`)
@Check('member_count_card_payment_check', `payment_method IN ('cash', 'bank_card', 'stored_value', 'bonus')`)
@Index(['memberId', 'createdAt'])
@Index(['status', 'validUntil'])
@Index(['soldStoreId', 'createdAt'])
export class MemberCountCardEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'template_id' }) templateId!: string;
  @ManyToOne(() => CountCardTemplateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: CountCardTemplateEntity;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: CountCardKind;
  @Column({ type: 'text', array: true, name: 'service_codes' }) serviceCodes!: string[];
  /** Uses (count) or minutes (time) credited at sale; null for period cards. */
  @Column({ type: 'int', name: 'units_total', nullable: true }) unitsTotal!: number | null;
  @Column({ type: 'int', name: 'period_days', nullable: true }) periodDays!: number | null;
  @Column({ type: 'int', name: 'daily_limit', nullable: true }) dailyLimit!: number | null;
  @Column({ type: 'bigint', name: 'price_fen' }) priceFen!: string;
  @Column({ type: 'text', name: 'payment_method' }) paymentMethod!: CountCardPaymentMethod;
  @Column({ type: 'timestamptz', name: 'valid_from' }) validFrom!: Date;
  /** The first instant the card is no longer valid (midnight in the selling store's zone); null = no end. */
  @Column({ type: 'timestamptz', name: 'valid_until', nullable: true }) validUntil!: Date | null;
  @Column({ type: 'text', default: 'active' }) status!: CountCardStatus;
  @Column({ type: 'uuid', name: 'sold_store_id' }) soldStoreId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sold_store_id' })
  soldStore?: StoreEntity;
  /** Staff credited with the sale (售卡提成), defaults to the cashier. */
  @Column({ type: 'uuid', name: 'sold_by_staff_id', nullable: true }) soldByStaffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sold_by_staff_id' })
  soldBy?: StaffEntity;
  @Column({ type: 'timestamptz', name: 'expired_at', nullable: true }) expiredAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** One redemption (核销) of a count or period card at a store. Append-only; reversals are their own rows. */
@Entity('count_card_redemption')
@Index(['countCardId', 'redeemedAt'])
@Index(['refType', 'refId'])
@Index(['storeId', 'redeemedAt'])
@Check('count_card_redemption_quantity_check', `quantity > 0`)
export class CountCardRedemptionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'count_card_id' }) countCardId!: string;
  @ManyToOne(() => MemberCountCardEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'count_card_id' })
  countCard?: MemberCountCardEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text', name: 'service_code' }) serviceCode!: string;
  @Column({ type: 'int' }) quantity!: number;
  /** The serving technician (服务技师), for commission later. */
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'operator_staff_id', nullable: true }) operatorStaffId!: string | null;
  @Column({ type: 'timestamptz', name: 'redeemed_at' }) redeemedAt!: Date;
  /**
   * What the use paid for when another capability redeemed it (checkout: 'order_payment' and the
   * payment's id); null for a redemption at the count-card counter. Such a redemption is reversed
   * by its owner (an order refund), not by the reversal route.
   */
  @Column({ type: 'text', name: 'ref_type', nullable: true }) refType!: string | null;
  @Column({ type: 'text', name: 'ref_id', nullable: true }) refId!: string | null;
}

/** Undoes one redemption (staff mistake). The primary key on redemption_id makes it happen once. */
@Entity('count_card_redemption_reversal')
export class CountCardRedemptionReversalEntity {
  @Column({ type: 'uuid', name: 'redemption_id', primary: true }) redemptionId!: string;
  @ManyToOne(() => CountCardRedemptionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'redemption_id' })
  redemption?: CountCardRedemptionEntity;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'operator_staff_id', nullable: true }) operatorStaffId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * A timed session on a time card (计时). At most one runs per card (partial unique index). Minutes
 * the card could not cover are recorded as shortfall for the checkout to charge.
 */
@Entity('count_card_timer')
@Index(['storeId', 'startedAt'])
@Index(['countCardId', 'startedAt'])
@Index('count_card_timer_one_running', { synchronize: false })
export class CountCardTimerEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'count_card_id' }) countCardId!: string;
  @ManyToOne(() => MemberCountCardEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'count_card_id' })
  countCard?: MemberCountCardEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text', name: 'service_code' }) serviceCode!: string;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column({ type: 'timestamptz', name: 'started_at' }) startedAt!: Date;
  @Column({ type: 'timestamptz', name: 'stopped_at', nullable: true }) stoppedAt!: Date | null;
  @Column({ type: 'int', name: 'minutes_used', nullable: true }) minutesUsed!: number | null;
  @Column({ type: 'int', name: 'minutes_billed', nullable: true }) minutesBilled!: number | null;
  @Column({ type: 'int', name: 'shortfall_minutes', nullable: true }) shortfallMinutes!: number | null;
  @Column({ type: 'uuid', name: 'operator_staff_id', nullable: true }) operatorStaffId!: string | null;
}
