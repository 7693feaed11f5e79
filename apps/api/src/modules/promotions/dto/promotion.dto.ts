import { MAX_AMOUNT_FEN } from '@chaincard/shared';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { ProductScopeRequest, ProductScopeResponse } from '../../pricing/dto/product-scope.dto';
import { PROMOTION_KINDS, PROMOTION_STATUSES, REDUCTION_MODES, type PromotionKind, type PromotionStatus, type ReductionMode } from '../entities/promotion.entity';

const MAX_FEN = MAX_AMOUNT_FEN;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class ReductionStepRequest {
  @ApiProperty({ example: 20000, description: 'From this amount of the covered items' }) @IsInt() @Min(1) @Max(MAX_FEN) thresholdFen!: number;
  @ApiPropertyOptional({ example: 3000, description: 'amount mode: fen off (满减)' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) amountOffFen?: number;
  @ApiPropertyOptional({ example: 9000, description: 'rate mode: the rate paid (满折, 9000 = 9折)' }) @IsOptional() @IsInt() @Min(1) @Max(9999) discountBps?: number;
}

export class ReductionStepResponse {
  @ApiProperty() thresholdFen!: number;
  @ApiProperty({ nullable: true, type: Number }) amountOffFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) discountBps!: number | null;
}

class PromotionFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) description?: string;
  @ApiPropertyOptional({ enum: PROMOTION_STATUSES, default: 'active' }) @IsOptional() @IsIn(PROMOTION_STATUSES) status?: PromotionStatus;
  @ApiPropertyOptional({ default: 0, description: 'Full reductions apply in priority order, higher first' }) @IsOptional() @IsInt() @Min(-1000) @Max(1000) priority?: number;
  @ApiPropertyOptional({ default: false, description: 'A full reduction that applies alone among full reductions (不与其他满减同享)' })
  @IsOptional()
  @IsBoolean()
  exclusive?: boolean;
  @ApiPropertyOptional({ default: true, description: 'false: items it discounts take no coupon (不与优惠券同享)' }) @IsOptional() @IsBoolean() stackWithCoupons?: boolean;
  @ApiPropertyOptional({ default: false, description: 'Only for members (member days always are)' }) @IsOptional() @IsBoolean() membersOnly?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Only members of these tiers' }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ArrayUnique() @IsUUID('4', { each: true }) tierIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Only at these stores (a store’s own promotion); empty = every store' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  storeIds?: string[];
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-12-01T00:00:00+08:00' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) startsAt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2027-01-01T00:00:00+08:00', description: 'First instant it no longer runs' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true })
  endsAt?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '11:00', description: 'Daily hours on the store’s clock (with dailyEnd)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(HH_MM)
  dailyStart?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '14:00' }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(HH_MM) dailyEnd?: string | null;
  @ApiPropertyOptional({ type: [Number], description: 'ISO weekdays it runs on, 1 = Monday (会员日: e.g. [3])' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  weekdays?: number[];
  @ApiPropertyOptional({ type: [Number], description: 'Days of the month it runs on (e.g. [8, 18, 28])' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(31, { each: true })
  monthDays?: number[];
  @ApiPropertyOptional({ type: ProductScopeRequest }) @IsOptional() @ValidateNested() @Type(() => ProductScopeRequest) scope?: ProductScopeRequest;
  @ApiPropertyOptional({ description: 'member_day: the rate members pay (8800 = 8.8折)' }) @IsOptional() @IsInt() @Min(1) @Max(9999) discountBps?: number;
  @ApiPropertyOptional({ enum: REDUCTION_MODES, description: 'full_reduction: amount (满减) or rate (满折)' }) @IsOptional() @IsIn(REDUCTION_MODES) reductionMode?: ReductionMode;
  @ApiPropertyOptional({ type: [ReductionStepRequest], description: 'full_reduction: the highest step reached applies' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ReductionStepRequest)
  steps?: ReductionStepRequest[];
  @ApiPropertyOptional({ description: 'flash_sale: the price of one unit' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) flashPriceFen?: number;
  @ApiPropertyOptional({ description: 'flash_sale: its own stock (chain-wide); may not go below what was sold' }) @IsOptional() @IsInt() @Min(0) @Max(10_000_000) flashStock?: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'flash_sale: units one member may buy (null: anyone, no limit)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(1000)
  flashPerMemberLimit?: number | null;
}

export class CreatePromotionRequest extends PromotionFields {
  @ApiProperty({ example: '满200减30' }) @IsString() @Length(1, 60) name!: string;
  @ApiProperty({ enum: PROMOTION_KINDS }) @IsIn(PROMOTION_KINDS) kind!: PromotionKind;
  @ApiPropertyOptional({ description: 'flash_sale: the catalog sku on sale' }) @IsOptional() @IsUUID('4') flashSkuId?: string;
}

/** The kind and the flash sale's sku are fixed; everything else may change (null clears a window). */
export class UpdatePromotionRequest extends PromotionFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
}

export class ListPromotionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROMOTION_KINDS }) @IsOptional() @IsIn(PROMOTION_KINDS) kind?: PromotionKind;
  @ApiPropertyOptional({ enum: PROMOTION_STATUSES }) @IsOptional() @IsIn(PROMOTION_STATUSES) status?: PromotionStatus;
  @ApiPropertyOptional({ description: 'Only promotions that run at this store' }) @IsOptional() @IsUUID('4') storeId?: string;
}

export class PromotionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: PROMOTION_KINDS }) kind!: PromotionKind;
  @ApiProperty({ enum: PROMOTION_STATUSES }) status!: PromotionStatus;
  @ApiProperty() priority!: number;
  @ApiProperty() exclusive!: boolean;
  @ApiProperty() stackWithCoupons!: boolean;
  @ApiProperty() membersOnly!: boolean;
  @ApiProperty({ type: [String] }) tierIds!: string[];
  @ApiProperty({ type: [String] }) storeIds!: string[];
  @ApiProperty({ nullable: true, type: String }) startsAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endsAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) dailyStart!: string | null;
  @ApiProperty({ nullable: true, type: String }) dailyEnd!: string | null;
  @ApiProperty({ type: [Number] }) weekdays!: number[];
  @ApiProperty({ type: [Number] }) monthDays!: number[];
  @ApiProperty({ type: ProductScopeResponse }) scope!: ProductScopeResponse;
  @ApiProperty({ nullable: true, type: Number }) discountBps!: number | null;
  @ApiProperty({ nullable: true, enum: REDUCTION_MODES }) reductionMode!: ReductionMode | null;
  @ApiProperty({ type: [ReductionStepResponse] }) steps!: ReductionStepResponse[];
  @ApiProperty({ nullable: true, type: String }) flashSkuId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) flashPriceFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) flashStock!: number | null;
  @ApiProperty() flashSold!: number;
  @ApiProperty({ nullable: true, type: Number }) flashPerMemberLimit!: number | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class PromotionPageResponse {
  @ApiProperty({ type: [PromotionResponse] }) items!: PromotionResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
