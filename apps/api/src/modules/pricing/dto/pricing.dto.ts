import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested } from 'class-validator';
import { ProductScopeRequest, ProductScopeResponse } from './product-scope.dto';

const MAX_FEN = 100_000_000_00;
const DISCOUNT_KINDS = ['flash_sale', 'member_price', 'tier_discount', 'member_day', 'full_reduction', 'coupon', 'manual'] as const;
const COUPON_KINDS = ['amount_off', 'percent_off', 'threshold', 'free_item', 'exchange'] as const;
const PROMOTION_KINDS = ['member_day', 'flash_sale', 'full_reduction'] as const;
const COUPON_REASONS = [
  'COUPON_USED',
  'COUPON_EXPIRED',
  'COUPON_VOIDED',
  'COUPON_NOT_YET_VALID',
  'COUPON_NOT_FOR_STORE',
  'COUPON_THRESHOLD_NOT_MET',
  'COUPON_NOT_APPLICABLE',
  'COUPON_ITEM_NOT_IN_CART',
  'COUPON_NOT_STACKABLE',
  'COUPON_BLOCKED_BY_PROMOTION',
] as const;

export class QuoteLineRequest {
  @ApiProperty() @IsUUID('4') skuId!: string;
  @ApiProperty({ example: 1, description: 'Whole units' }) @IsInt() @Min(1) @Max(9999) quantity!: number;
  @ApiPropertyOptional({ description: 'Manual discount on this line (手工优惠, needs order.discount; capped by the chain)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  manualDiscountFen?: number;
  @ApiPropertyOptional({ type: [String], description: 'Staff who served this line (技师), for services' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  servingStaffIds?: string[];
}

export class QuoteRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiPropertyOptional({ description: 'The member, once identified (会员)' }) @IsOptional() @IsUUID('4') memberId?: string;
  @ApiProperty({ type: [QuoteLineRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => QuoteLineRequest)
  lines!: QuoteLineRequest[];
  @ApiPropertyOptional({ type: [String], description: 'The member’s coupons chosen for this order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  couponIds?: string[];
  @ApiPropertyOptional({ default: 0, description: 'Points to pay with (积分抵现): whole offset units, at most maxPointsUsable' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  pointsToUse?: number;
}

export class DiscountResponse {
  @ApiProperty({ enum: DISCOUNT_KINDS }) kind!: (typeof DISCOUNT_KINDS)[number];
  @ApiProperty({ nullable: true, type: String, description: 'The promotion, tier, sku (member price) or coupon behind it; null for a manual discount' })
  ruleId!: string | null;
  @ApiProperty({ example: '会员价', description: 'Short label for the receipt (zh-CN)' }) label!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ example: '会员价 ¥15.00 × 2（原价 ¥18.00）', description: 'Why, with the figures (zh-CN)' }) reason!: string;
}

export class OrderDiscountResponse extends DiscountResponse {
  @ApiProperty({ type: [Number], description: 'The lines it was split over (by allocateFen)' }) lineNos!: number[];
}

export class QuoteLineResponse {
  @ApiProperty() lineNo!: number;
  @ApiProperty() skuId!: string;
  @ApiProperty() productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['goods', 'service'] }) kind!: 'goods' | 'service';
  @ApiProperty({ nullable: true, type: String }) categoryId!: string | null;
  @ApiProperty() unit!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitPriceFen!: number;
  @ApiProperty({ description: 'unitPriceFen × quantity' }) originalFen!: number;
  @ApiProperty({ type: [DiscountResponse] }) discounts!: DiscountResponse[];
  @ApiProperty({ description: 'originalFen − Σ discounts; the lines sum to totalFen' }) totalFen!: number;
  @ApiProperty() costFen!: number;
  @ApiProperty({ description: 'false when the line’s category earns no points' }) pointsEligible!: boolean;
  @ApiProperty({ description: 'This line’s share of the points offset' }) pointsOffsetFen!: number;
  @ApiProperty({ description: 'Units at the flash-sale price' }) flashSaleQuantity!: number;
  @ApiProperty() manualDiscountFen!: number;
  @ApiProperty({ type: [String] }) servingStaffIds!: string[];
}

export class QuoteCouponResponse {
  @ApiProperty() couponId!: string;
  @ApiProperty() code!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: COUPON_KINDS }) kind!: (typeof COUPON_KINDS)[number];
  @ApiProperty() applied!: boolean;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ nullable: true, enum: COUPON_REASONS, description: 'Why it does not apply' }) reasonCode!: (typeof COUPON_REASONS)[number] | null;
  @ApiProperty({ nullable: true, type: String, example: '适用商品 ¥85.50，未满 ¥100.00，还差 ¥14.50' }) reason!: string | null;
}

export class QuotePromotionResponse {
  @ApiProperty() promotionId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROMOTION_KINDS }) kind!: (typeof PROMOTION_KINDS)[number];
  @ApiProperty() amountFen!: number;
  @ApiProperty({ type: [Number] }) lineNos!: number[];
}

export class QuoteFlashSaleResponse {
  @ApiProperty() promotionId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() lineNo!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ nullable: true, type: Number }) perMemberLimit!: number | null;
}

export class QuoteMemberResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberNo!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) tierId!: string | null;
  @ApiProperty({ nullable: true, type: String }) tierName!: string | null;
  @ApiProperty() pointsBalance!: number;
}

/** A priced cart (计价结果): what the customer pays and why. PricingService.commit takes it back. */
export class QuoteResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty({ nullable: true, type: String }) memberId!: string | null;
  @ApiProperty({ nullable: true, type: QuoteMemberResponse }) member!: QuoteMemberResponse | null;
  @ApiProperty({ description: 'The instant the rules were applied at' }) at!: string;
  @ApiProperty({ type: [QuoteLineResponse] }) lines!: QuoteLineResponse[];
  @ApiProperty({ type: [OrderDiscountResponse], description: 'Full reductions and value coupons, each split over its lines' }) orderDiscounts!: OrderDiscountResponse[];
  @ApiProperty() subtotalFen!: number;
  @ApiProperty() discountFen!: number;
  @ApiProperty({ description: 'Σ line totals' }) totalFen!: number;
  @ApiProperty() pointsUsed!: number;
  @ApiProperty() pointsOffsetFen!: number;
  @ApiProperty({ description: 'totalFen − pointsOffsetFen: what the other payments must cover' }) dueFen!: number;
  @ApiProperty({ description: 'Most points this order may use (balance, the chain’s cap, whole units)' }) maxPointsUsable!: number;
  @ApiProperty({ description: 'Points the order will earn when paid as quoted' }) pointsToEarn!: number;
  @ApiProperty({ type: [QuoteCouponResponse] }) coupons!: QuoteCouponResponse[];
  @ApiProperty({ type: [QuotePromotionResponse] }) promotions!: QuotePromotionResponse[];
  @ApiProperty({ type: [QuoteFlashSaleResponse] }) flashSales!: QuoteFlashSaleResponse[];
}

export class PricingSettingsResponse {
  @ApiProperty() memberPriceEnabled!: boolean;
  @ApiProperty() tierDiscountEnabled!: boolean;
  @ApiProperty({ type: ProductScopeResponse }) tierDiscountScope!: ProductScopeResponse;
  @ApiProperty({ description: 'Largest manual discount on a line as a share of it (2000 = 20 %)' }) manualDiscountMaxBps!: number;
  @ApiProperty() updatedAt!: string;
}

export class UpdatePricingSettingsRequest {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() memberPriceEnabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() tierDiscountEnabled?: boolean;
  @ApiPropertyOptional({ type: ProductScopeRequest }) @IsOptional() @ValidateNested() @Type(() => ProductScopeRequest) tierDiscountScope?: ProductScopeRequest;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) manualDiscountMaxBps?: number;
}
