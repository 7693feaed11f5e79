import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';
import type { ProductScope } from '../../pricing/dto/product-scope.dto';

/**
 * amount_off: ¥X off (无门槛券); percent_off: pay a rate, with an optional cap (折扣券);
 * threshold: ¥X off from a minimum spend (满减券); free_item: one unit of a sku free (赠品券);
 * exchange: one unit of a sku for a fixed price, e.g. 1 fen (兑换券 / 换购券).
 */
export const COUPON_KINDS = ['amount_off', 'percent_off', 'threshold', 'free_item', 'exchange'] as const;
export type CouponKind = (typeof COUPON_KINDS)[number];

export const COUPON_TEMPLATE_STATUSES = ['active', 'disabled'] as const;
export type CouponTemplateStatus = (typeof COUPON_TEMPLATE_STATUSES)[number];

export const COUPON_STATUSES = ['unused', 'used', 'expired', 'voided'] as const;
export type CouponStatus = (typeof COUPON_STATUSES)[number];

/** fixed: between two calendar days; relative: N days counting the day of issue. */
export const VALIDITY_KINDS = ['fixed', 'relative'] as const;
export type ValidityKind = (typeof VALIDITY_KINDS)[number];

/** Events that issue a template's coupons by themselves (top-ups go through wallet bonus rules). */
export const AUTO_ISSUE_EVENTS = ['join', 'birthday'] as const;
export type AutoIssueEvent = (typeof AUTO_ISSUE_EVENTS)[number];

export const COUPON_SOURCES = ['manual', 'segment', 'join', 'birthday', 'top_up'] as const;
export type CouponSource = (typeof COUPON_SOURCES)[number];

/** HQ's coupon template (优惠券模板). Issued coupons keep a snapshot of its rule. */
@Entity('coupon_template')
@Check('coupon_template_kind_check', `kind IN ('amount_off', 'percent_off', 'threshold', 'free_item', 'exchange')`)
@Check('coupon_template_status_check', `status IN ('active', 'disabled')`)
@Check(
  'coupon_template_shape_check',
  `(kind = 'amount_off' AND amount_off_fen > 0 AND threshold_fen = 0 AND sku_id IS NULL)
   OR (kind = 'threshold' AND amount_off_fen > 0 AND threshold_fen > 0 AND sku_id IS NULL)
   OR (kind = 'percent_off' AND discount_bps BETWEEN 1 AND 9999 AND sku_id IS NULL)
   OR (kind = 'free_item' AND sku_id IS NOT NULL)
   OR (kind = 'exchange' AND sku_id IS NOT NULL AND exchange_price_fen >= 0)`,
)
@Check(
  'coupon_template_validity_check',
  `(validity_kind = 'fixed' AND valid_from_date IS NOT NULL AND valid_until_date >= valid_from_date AND valid_days IS NULL)
   OR (validity_kind = 'relative' AND valid_days > 0 AND valid_from_date IS NULL AND valid_until_date IS NULL)`,
)
@Check('coupon_template_quantity_check', `issued_count >= 0 AND (total_quantity IS NULL OR issued_count <= total_quantity)`)
@Check('coupon_template_limit_check', `per_member_limit IS NULL OR per_member_limit > 0`)
@Check('coupon_template_auto_issue_check', `auto_issue <@ ARRAY['join', 'birthday']::text[]`)
export class CouponTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', default: '' }) description!: string;
  @Column({ type: 'text' }) kind!: CouponKind;
  @Column({ ...fenColumn, name: 'amount_off_fen', nullable: true }) amountOffFen!: number | null;
  /** percent_off: the rate paid (8000 = 8折). */
  @Column({ type: 'int', name: 'discount_bps', nullable: true }) discountBps!: number | null;
  @Column({ ...fenColumn, name: 'max_discount_fen', nullable: true }) maxDiscountFen!: number | null;
  /** Minimum spend on the covered items; 0 = none. */
  @Column({ ...fenColumn, name: 'threshold_fen', default: 0 }) thresholdFen!: number;
  /** free_item / exchange: the catalog sku one unit of which the coupon covers. */
  @Column({ type: 'uuid', name: 'sku_id', nullable: true }) skuId!: string | null;
  @Column({ ...fenColumn, name: 'exchange_price_fen', nullable: true }) exchangePriceFen!: number | null;
  @Column({ type: 'text', name: 'validity_kind' }) validityKind!: ValidityKind;
  /** fixed: valid from the start of this day through the end of valid_until_date (chain time zone). */
  @Column({ type: 'date', name: 'valid_from_date', nullable: true }) validFromDate!: string | null;
  @Column({ type: 'date', name: 'valid_until_date', nullable: true }) validUntilDate!: string | null;
  /** relative: valid for this many days counting the day of issue. */
  @Column({ type: 'int', name: 'valid_days', nullable: true }) validDays!: number | null;
  /** Stores where it may be used; empty = every store. */
  @Column({ type: 'uuid', array: true, name: 'store_ids', default: () => "'{}'" }) storeIds!: string[];
  @Column({ type: 'jsonb', default: () => "'{}'" }) scope!: ProductScope;
  @Column({ type: 'boolean', default: false }) stackable!: boolean;
  @Column({ type: 'boolean', name: 'stack_with_member_price', default: true }) stackWithMemberPrice!: boolean;
  /** How many of it one member may ever be issued (voided ones included); null = no limit. */
  @Column({ type: 'int', name: 'per_member_limit', nullable: true }) perMemberLimit!: number | null;
  /** How many may ever be issued; null = no limit. issued_count moves only by a conditional UPDATE. */
  @Column({ type: 'int', name: 'total_quantity', nullable: true }) totalQuantity!: number | null;
  @Column({ type: 'int', name: 'issued_count', default: 0 }) issuedCount!: number;
  @Column({ type: 'text', array: true, name: 'auto_issue', default: () => "'{}'" }) autoIssue!: AutoIssueEvent[];
  @Column({ type: 'text', default: 'active' }) status!: CouponTemplateStatus;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** What an issued coupon does: its template's rule when it was issued (later edits never change it). */
export interface CouponRuleSnapshot {
  name: string;
  kind: CouponKind;
  amountOffFen: number | null;
  discountBps: number | null;
  maxDiscountFen: number | null;
  thresholdFen: number;
  skuId: string | null;
  exchangePriceFen: number | null;
  storeIds: string[];
  scope: ProductScope;
  stackable: boolean;
  stackWithMemberPrice: boolean;
}

/**
 * A coupon issued to a member (会员优惠券), with a short unique code. unused → used by an order
 * (a conditional UPDATE … WHERE status = 'unused' decides between concurrent orders), back to
 * unused when that order is refunded in full while it is still valid; unused → expired by the
 * job; unused → voided by staff with a reason.
 */
@Entity('coupon')
@Check('coupon_status_check', `status IN ('unused', 'used', 'expired', 'voided')`)
@Check('coupon_source_check', `source IN ('manual', 'segment', 'join', 'birthday', 'top_up')`)
@Check('coupon_used_has_order_check', `(status = 'used') = (order_id IS NOT NULL)`)
@Check('coupon_validity_check', `valid_until > valid_from`)
@Index('coupon_code_unique', ['code'], { unique: true })
@Index('coupon_event_once', ['templateId', 'memberId', 'source', 'sourceRef'], { unique: true, where: `source_ref IS NOT NULL` })
@Index(['memberId', 'status'])
@Index(['status', 'validUntil'])
@Index(['orderId'])
@Index(['templateId', 'memberId'])
export class CouponEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'template_id' }) templateId!: string;
  @ManyToOne(() => CouponTemplateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: CouponTemplateEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'jsonb' }) rule!: CouponRuleSnapshot;
  @Column({ type: 'text', default: 'unused' }) status!: CouponStatus;
  @Column({ type: 'timestamptz', name: 'valid_from' }) validFrom!: Date;
  /** The first instant it is no longer valid. */
  @Column({ type: 'timestamptz', name: 'valid_until' }) validUntil!: Date;
  @Column({ type: 'text' }) source!: CouponSource;
  /** The event or run that issued it (segment run id, top-up id, birthday year, …): once per source. */
  @Column({ type: 'text', name: 'source_ref', nullable: true }) sourceRef!: string | null;
  @Column({ type: 'uuid', name: 'issued_store_id', nullable: true }) issuedStoreId!: string | null;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'issued_store_id' })
  issuedStore?: StoreEntity;
  @Column({ type: 'uuid', name: 'issued_by_staff_id', nullable: true }) issuedByStaffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'issued_by_staff_id' })
  issuedBy?: StaffEntity;
  /** The order that used it (the orders capability's id; no foreign key across capabilities). */
  @Column({ type: 'uuid', name: 'order_id', nullable: true }) orderId!: string | null;
  @Column({ type: 'timestamptz', name: 'used_at', nullable: true }) usedAt!: Date | null;
  @Column({ type: 'uuid', name: 'used_store_id', nullable: true }) usedStoreId!: string | null;
  @Column({ type: 'timestamptz', name: 'expired_at', nullable: true }) expiredAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'voided_at', nullable: true }) voidedAt!: Date | null;
  @Column({ type: 'text', name: 'void_reason', nullable: true }) voidReason!: string | null;
  @Column({ type: 'uuid', name: 'voided_by_staff_id', nullable: true }) voidedByStaffId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** One run of issuing a template to a member segment (定向发券), in batches; its id is the coupons' source_ref. */
@Entity('coupon_issue_run')
@Check('coupon_issue_run_status_check', `status IN ('running', 'done')`)
export class CouponIssueRunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'template_id' }) templateId!: string;
  @ManyToOne(() => CouponTemplateEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: CouponTemplateEntity;
  @Column({ type: 'jsonb' }) segment!: Record<string, unknown>;
  @Column({ type: 'text', default: 'running' }) status!: 'running' | 'done';
  @Column({ type: 'int', default: 0 }) matched!: number;
  @Column({ type: 'int', default: 0 }) issued!: number;
  /** Members skipped because they hold the per-member limit already. */
  @Column({ type: 'int', name: 'skipped_limit', default: 0 }) skippedLimit!: number;
  /** Members left without one because the template's total quantity ran out. */
  @Column({ type: 'int', name: 'skipped_sold_out', default: 0 }) skippedSoldOut!: number;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}
