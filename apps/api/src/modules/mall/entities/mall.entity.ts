import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { MemberEntity } from '../../members/entities/member.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

export const GIFT_STATUSES = ['on_sale', 'off_sale'] as const;
export type GiftStatus = (typeof GIFT_STATUSES)[number];

/** A gift of the points mall (积分商城礼品), defined by HQ for every store. */
@Entity('gift')
@Index(['skuId'])
@Check('gift_status_check', `status IN ('on_sale', 'off_sale')`)
@Check('gift_prices_check', `points_price >= 0 AND cash_fen >= 0 AND points_price + cash_fen > 0`)
@Check('gift_limit_check', `per_member_limit IS NULL OR per_member_limit > 0`)
export class GiftEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', default: '' }) description!: string;
  @Column({ type: 'text', name: 'image_url', nullable: true }) imageUrl!: string | null;
  @Column({ type: 'text', default: '' }) category!: string;
  @Column({ type: 'bigint', name: 'points_price' }) pointsPrice!: string;
  /** Cash part paid at the counter (积分+现金); 0 = points only, redeemable in the member app. */
  @Column({ type: 'bigint', name: 'cash_fen', default: 0 }) cashFen!: string;
  @Column({ type: 'text', default: 'on_sale' }) status!: GiftStatus;
  /** Redemptions (not cancelled) one member may hold of this gift; null = no limit. */
  @Column({ type: 'int', name: 'per_member_limit', nullable: true }) perMemberLimit!: number | null;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
  /**
   * A gift that is a catalog item (a branded cup the stores also sell) keeps its stock in the
   * stock ledger like any goods: bought, transferred and counted with inventory, taken by
   * redemptions (gift_redemption). Null: the gift keeps its own per-store stock (gift_stock).
   */
  @Column({ type: 'uuid', name: 'sku_id', nullable: true }) skuId!: string | null;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Stock of a gift at one store. Moves only with a gift_stock_movement row, by conditional UPDATE. */
@Entity('gift_stock')
@Index(['storeId'])
@Check('gift_stock_quantity_non_negative', `quantity >= 0`)
export class GiftStockEntity {
  @PrimaryColumn({ type: 'uuid', name: 'gift_id' }) giftId!: string;
  @ManyToOne(() => GiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gift_id' })
  gift?: GiftEntity;
  @PrimaryColumn({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'int', default: 0 }) quantity!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Append-only (trigger refuses changes): every change of a gift's stock at a store, and why. */
@Entity('gift_stock_movement')
@Index(['giftId', 'storeId', 'id'])
@Check('gift_stock_movement_delta_non_zero', `delta <> 0`)
@Check('gift_stock_movement_after_non_negative', `quantity_after >= 0`)
export class GiftStockMovementEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'gift_id' }) giftId!: string;
  @ManyToOne(() => GiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gift_id' })
  gift?: GiftEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'int' }) delta!: number;
  @Column({ type: 'int', name: 'quantity_after' }) quantityAfter!: number;
  /** set, adjust, redeem, cancel */
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'text', name: 'ref_type', nullable: true }) refType!: string | null;
  @Column({ type: 'text', name: 'ref_id', nullable: true }) refId!: string | null;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

export const REDEMPTION_STATUSES = ['pending', 'fulfilled', 'cancelled'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];
export const CASH_PAYMENT_METHODS = ['cash', 'bank_card'] as const;
export type CashPaymentMethod = (typeof CASH_PAYMENT_METHODS)[number];

/** A gift redeemed by a member at a store (积分兑换), picked up there with its pickup code (核销码). */
@Entity('mall_redemption')
@Index(['storeId', 'createdAt'])
@Index(['memberId', 'createdAt'])
@Index(['memberId', 'giftId'])
@Index('mall_redemption_open_code_unique', ['pickupCode'], { unique: true, where: `status = 'pending'` })
@Check('mall_redemption_status_check', `status IN ('pending', 'fulfilled', 'cancelled')`)
@Check('mall_redemption_payment_check', `(cash_fen = 0 AND payment_method IS NULL) OR (cash_fen > 0 AND payment_method IN ('cash', 'bank_card'))`)
export class MallRedemptionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'gift_id' }) giftId!: string;
  @ManyToOne(() => GiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'gift_id' })
  gift?: GiftEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  /** Price at the time of redemption (the gift's price may change later). */
  @Column({ type: 'bigint' }) points!: string;
  @Column({ type: 'bigint', name: 'cash_fen', default: 0 }) cashFen!: string;
  @Column({ type: 'text', name: 'payment_method', nullable: true }) paymentMethod!: CashPaymentMethod | null;
  @Column({ type: 'text', name: 'pickup_code' }) pickupCode!: string;
  /** The catalog SKU whose stock the gift was taken from (null: the gift's own stock), for a cancellation to return it there. */
  @Column({ type: 'uuid', name: 'sku_id', nullable: true }) skuId!: string | null;
  @Column({ type: 'text', default: 'pending' }) status!: RedemptionStatus;
  /** member (in the app) or staff (at the counter). */
  @Column({ type: 'text', name: 'created_by_kind' }) createdByKind!: string;
  @Column({ type: 'uuid', name: 'created_by_id', nullable: true }) createdById!: string | null;
  @Column({ type: 'timestamptz', name: 'fulfilled_at', nullable: true }) fulfilledAt!: Date | null;
  @Column({ type: 'uuid', name: 'fulfilled_by_staff_id', nullable: true }) fulfilledByStaffId!: string | null;
  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column({ type: 'text', name: 'cancelled_by_kind', nullable: true }) cancelledByKind!: string | null;
  @Column({ type: 'uuid', name: 'cancelled_by_id', nullable: true }) cancelledById!: string | null;
  @Column({ type: 'text', name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
