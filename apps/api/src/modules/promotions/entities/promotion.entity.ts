import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';
import type { ProductScope } from '../../pricing/dto/product-scope.dto';

/**
 * member_day: members pay a rate on its days (会员日); full_reduction: amount off or a rate from a
 * threshold, in steps (满减 / 满折); flash_sale: one sku at a price from its own stock, with a
 * per-member limit (限时抢购). Member price and tier discount are standing rules (pricing settings).
 */
export const PROMOTION_KINDS = ['member_day', 'flash_sale', 'full_reduction'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

export const PROMOTION_STATUSES = ['active', 'disabled'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export const REDUCTION_MODES = ['amount', 'rate'] as const;
export type ReductionMode = (typeof REDUCTION_MODES)[number];

export interface ReductionStepRow {
  thresholdFen: number;
  amountOffFen: number | null;
  discountBps: number | null;
}

/** A promotion (促销活动), defined by HQ; `store_ids` makes it a store's own. */
@Entity('promotion')
@Check('promotion_kind_check', `kind IN ('member_day', 'flash_sale', 'full_reduction')`)
@Check('promotion_status_check', `status IN ('active', 'disabled')`)
@Check('promotion_window_check', `ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at`)
@Check(
  'promotion_shape_check',
  `(kind = 'member_day' AND discount_bps BETWEEN 1 AND 9999 AND flash_sku_id IS NULL AND reduction_mode IS NULL)
   OR (kind = 'full_reduction' AND reduction_mode IN ('amount', 'rate') AND discount_bps IS NULL AND flash_sku_id IS NULL)
   OR (kind = 'flash_sale' AND flash_sku_id IS NOT NULL AND flash_price_fen >= 0 AND flash_stock >= 0 AND discount_bps IS NULL AND reduction_mode IS NULL)`,
)
@Check('promotion_flash_sold_check', `flash_sold >= 0 AND (flash_stock IS NULL OR flash_sold <= flash_stock)`)
@Check('promotion_flash_limit_check', `flash_per_member_limit IS NULL OR flash_per_member_limit > 0`)
@Index(['kind', 'status'])
export class PromotionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', default: '' }) description!: string;
  @Column({ type: 'text' }) kind!: PromotionKind;
  @Column({ type: 'text', default: 'active' }) status!: PromotionStatus;
  @Column({ type: 'int', default: 0 }) priority!: number;
  @Column({ type: 'boolean', default: false }) exclusive!: boolean;
  @Column({ type: 'boolean', name: 'stack_with_coupons', default: true }) stackWithCoupons!: boolean;
  @Column({ type: 'boolean', name: 'members_only', default: false }) membersOnly!: boolean;
  @Column({ type: 'uuid', array: true, name: 'tier_ids', default: () => "'{}'" }) tierIds!: string[];
  @Column({ type: 'uuid', array: true, name: 'store_ids', default: () => "'{}'" }) storeIds!: string[];
  @Column({ type: 'timestamptz', name: 'starts_at', nullable: true }) startsAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'ends_at', nullable: true }) endsAt!: Date | null;
  /** Daily hours 'HH:mm' on the store's clock; both or neither. */
  @Column({ type: 'text', name: 'daily_start', nullable: true }) dailyStart!: string | null;
  @Column({ type: 'text', name: 'daily_end', nullable: true }) dailyEnd!: string | null;
  /** ISO weekdays (1 = Monday) and days of the month it runs on; both empty = every day. */
  @Column({ type: 'int', array: true, default: () => "'{}'" }) weekdays!: number[];
  @Column({ type: 'int', array: true, name: 'month_days', default: () => "'{}'" }) monthDays!: number[];
  @Column({ type: 'jsonb', default: () => "'{}'" }) scope!: ProductScope;
  /** member_day: the rate members pay (8800 = 8.8折). */
  @Column({ type: 'int', name: 'discount_bps', nullable: true }) discountBps!: number | null;
  @Column({ type: 'text', name: 'reduction_mode', nullable: true }) reductionMode!: ReductionMode | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) steps!: ReductionStepRow[];
  @Column({ type: 'uuid', name: 'flash_sku_id', nullable: true }) flashSkuId!: string | null;
  @Column({ ...fenColumn, name: 'flash_price_fen', nullable: true }) flashPriceFen!: number | null;
  /** The flash sale's own stock (chain-wide), and what orders took of it: moved only by conditional UPDATEs. */
  @Column({ type: 'int', name: 'flash_stock', nullable: true }) flashStock!: number | null;
  @Column({ type: 'int', name: 'flash_sold', default: 0 }) flashSold!: number;
  @Column({ type: 'int', name: 'flash_per_member_limit', nullable: true }) flashPerMemberLimit!: number | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Units of a flash sale each member holds (bought, not given back): checked against the per-member limit. */
@Entity('flash_sale_member')
@Check('flash_sale_member_quantity_check', `quantity >= 0`)
export class FlashSaleMemberEntity {
  @PrimaryColumn({ type: 'uuid', name: 'promotion_id' }) promotionId!: string;
  @ManyToOne(() => PromotionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'promotion_id' })
  promotion?: PromotionEntity;
  @PrimaryColumn({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'int', default: 0 }) quantity!: number;
}

/**
 * Flash-sale units an order line took (and how many a refund gave back). Reconcile: a promotion's
 * flash_sold and each member's count equal what their takes still hold.
 */
@Entity('flash_sale_take')
@Index('flash_sale_take_line_unique', ['orderId', 'promotionId', 'lineNo'], { unique: true })
@Index(['promotionId'])
@Check('flash_sale_take_quantity_check', `quantity > 0 AND released_quantity >= 0 AND released_quantity <= quantity`)
export class FlashSaleTakeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'promotion_id' }) promotionId!: string;
  @ManyToOne(() => PromotionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'promotion_id' })
  promotion?: PromotionEntity;
  /** The orders capability's order (no foreign key across capabilities). */
  @Column({ type: 'uuid', name: 'order_id' }) orderId!: string;
  @Column({ type: 'int', name: 'line_no' }) lineNo!: number;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'int', name: 'released_quantity', default: 0 }) releasedQuantity!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
