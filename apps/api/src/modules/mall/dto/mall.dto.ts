import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, IsUUID, Length, Matches, Max, Min, NotEquals, ValidateIf } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { PICKUP_CODE_FORMAT } from '../domain/pickup-code';
import {
  CASH_PAYMENT_METHODS,
  GIFT_STATUSES,
  REDEMPTION_STATUSES,
  type CashPaymentMethod,
  type GiftStatus,
  type RedemptionStatus,
} from '../entities/mall.entity';

const MAX_POINTS = 1_000_000_000;
const MAX_STOCK = 1_000_000;

export class CreateGiftRequest {
  @ApiProperty({ example: '定制保温杯' }) @IsString() @Length(1, 60) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiPropertyOptional({ example: 'https://cdn.example.com/gifts/cup.jpg' }) @IsOptional() @IsUrl({ protocols: ['https', 'http'], require_protocol: true }) @Length(1, 500) imageUrl?: string;
  @ApiPropertyOptional({ example: '生活用品' }) @IsOptional() @IsString() @Length(0, 40) category?: string;
  @ApiProperty({ example: 2000, description: 'Points the gift costs' }) @IsInt() @Min(0) @Max(MAX_POINTS) pointsPrice!: number;
  @ApiPropertyOptional({ example: 0, description: 'Cash part in fen, paid at the counter (积分+现金); 0 = points only' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  cashFen?: number;
  @ApiPropertyOptional({ enum: GIFT_STATUSES }) @IsOptional() @IsIn(GIFT_STATUSES) status?: GiftStatus;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Redemptions one member may hold of this gift; null = no limit' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(10_000)
  perMemberLimit?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'A catalog SKU that keeps stock: the gift then uses its stock at every store (the stock ledger, managed with inventory)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  skuId?: string | null;
}

export class UpdateGiftRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @Length(1, 500)
  imageUrl?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 40) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_POINTS) pointsPrice?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000_000) cashFen?: number;
  @ApiPropertyOptional({ enum: GIFT_STATUSES }) @IsOptional() @IsIn(GIFT_STATUSES) status?: GiftStatus;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(10_000) perMemberLimit?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) sortOrder?: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Link to a catalog SKU (only while the gift holds none of its own stock), or null to keep its own stock' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID('4')
  skuId?: string | null;
}

export class GiftResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: String }) imageUrl!: string | null;
  @ApiProperty() category!: string;
  @ApiProperty() pointsPrice!: number;
  @ApiProperty() cashFen!: number;
  @ApiProperty({ enum: GIFT_STATUSES }) status!: GiftStatus;
  @ApiProperty({ nullable: true, type: Number }) perMemberLimit!: number | null;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Stock at the store asked for (storeId); null when no store was given' }) stock!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The catalog SKU whose stock-ledger stock the gift uses; null: its own stock' }) skuId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class GiftPageResponse {
  @ApiProperty({ type: [GiftResponse] }) items!: GiftResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ListGiftsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Show the stock at this store' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ enum: GIFT_STATUSES }) @IsOptional() @IsIn(GIFT_STATUSES) status?: GiftStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) category?: string;
}

export class GiftQuery {
  @ApiPropertyOptional({ description: 'Show the stock at this store' }) @IsOptional() @IsUUID('4') storeId?: string;
}

export class SetStockRequest {
  @ApiProperty({ example: 50, description: 'The counted quantity at the store' }) @IsInt() @Min(0) @Max(MAX_STOCK) quantity!: number;
  @ApiPropertyOptional({ example: '月初盘点' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class AdjustStockRequest {
  @ApiProperty({ example: 20, description: 'Signed change: positive for goods received, negative for damaged or lost' })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK)
  @Max(MAX_STOCK)
  delta!: number;
  @ApiProperty({ example: '到货' }) @IsString() @Length(1, 200) note!: string;
}

export class GiftStockResponse {
  @ApiProperty() giftId!: string;
  @ApiProperty() giftName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() updatedAt!: string;
}

export class StockMovementResponse {
  @ApiProperty() id!: string;
  @ApiProperty() delta!: number;
  @ApiProperty() quantityAfter!: number;
  @ApiProperty({ example: 'redeem', description: 'set, adjust, redeem, cancel' }) reason!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ nullable: true, type: String }) refType!: string | null;
  @ApiProperty({ nullable: true, type: String }) refId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class MyRedemptionRequest {
  @ApiProperty() @IsUUID('4') giftId!: string;
  @ApiProperty({ description: 'The store where the gift will be picked up' }) @IsUUID('4') storeId!: string;
}

export class StaffRedemptionRequest extends MyRedemptionRequest {
  @ApiPropertyOptional({ enum: CASH_PAYMENT_METHODS, description: 'How the cash part was paid; required when the gift has one' })
  @IsOptional()
  @IsIn(CASH_PAYMENT_METHODS)
  paymentMethod?: CashPaymentMethod;
}

export class PickupRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiProperty({ example: '04718263', description: 'The pickup code (核销码) the member shows' }) @Matches(PICKUP_CODE_FORMAT, { message: 'code must be 6–8 digits' }) code!: string;
}

export class CancelRedemptionRequest {
  @ApiPropertyOptional({ example: '会员不要了' }) @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

export class RedemptionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() giftId!: string;
  @ApiProperty() giftName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() points!: number;
  @ApiProperty() cashFen!: number;
  @ApiProperty({ enum: CASH_PAYMENT_METHODS, nullable: true }) paymentMethod!: CashPaymentMethod | null;
  @ApiProperty({ nullable: true, type: String, description: 'Shown to the member (and once to the staff who created it); hidden in staff lists' }) pickupCode!: string | null;
  @ApiProperty({ enum: REDEMPTION_STATUSES }) status!: RedemptionStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) fulfilledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
}

export class RedemptionPageResponse {
  @ApiProperty({ type: [RedemptionResponse] }) items!: RedemptionResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ListRedemptionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REDEMPTION_STATUSES }) @IsOptional() @IsIn(REDEMPTION_STATUSES) status?: RedemptionStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
}

export class StockMovementPageResponse {
  @ApiProperty({ type: [StockMovementResponse] }) items!: StockMovementResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
