import { MAX_AMOUNT_FEN } from '@chaincard/shared';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
import {
  AUTO_ISSUE_EVENTS,
  COUPON_KINDS,
  COUPON_SOURCES,
  COUPON_STATUSES,
  COUPON_TEMPLATE_STATUSES,
  VALIDITY_KINDS,
  type AutoIssueEvent,
  type CouponKind,
  type CouponSource,
  type CouponStatus,
  type CouponTemplateStatus,
  type ValidityKind,
} from '../entities/coupon.entity';

const MAX_FEN = MAX_AMOUNT_FEN;
const DATE = { strict: true } as const;

export class CreateCouponTemplateRequest {
  @ApiProperty({ example: '满100减20' }) @IsString() @Length(1, 60) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) description?: string;
  @ApiProperty({ enum: COUPON_KINDS, description: 'amount_off 无门槛立减, percent_off 折扣券, threshold 满减券, free_item 赠品券, exchange 兑换券' })
  @IsIn(COUPON_KINDS)
  kind!: CouponKind;
  @ApiPropertyOptional({ description: 'amount_off, threshold: fen off' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) amountOffFen?: number;
  @ApiPropertyOptional({ description: 'percent_off: the rate paid, 8000 = 8折' }) @IsOptional() @IsInt() @Min(1) @Max(9999) discountBps?: number;
  @ApiPropertyOptional({ description: 'percent_off: the most it takes off' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) maxDiscountFen?: number;
  @ApiPropertyOptional({ description: 'threshold (required), percent_off (optional): minimum spend on the covered items' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  thresholdFen?: number;
  @ApiPropertyOptional({ description: 'free_item, exchange: the sku one unit of which it covers' }) @IsOptional() @IsUUID('4') skuId?: string;
  @ApiPropertyOptional({ description: 'exchange: the price of that unit with the coupon, e.g. 0 or 1 fen' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) exchangePriceFen?: number;
  @ApiProperty({ enum: VALIDITY_KINDS, description: 'fixed: between two days; relative: N days counting the day of issue' }) @IsIn(VALIDITY_KINDS) validityKind!: ValidityKind;
  @ApiPropertyOptional({ example: '2026-12-01' }) @IsOptional() @IsISO8601(DATE) @Length(10, 10) validFromDate?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last valid day, inclusive (chain time zone)' }) @IsOptional() @IsISO8601(DATE) @Length(10, 10) validUntilDate?: string;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(1) @Max(3660) validDays?: number;
  @ApiPropertyOptional({ type: [String], description: 'Stores where it may be used; empty = every store' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  storeIds?: string[];
  @ApiPropertyOptional({ type: ProductScopeRequest }) @IsOptional() @ValidateNested() @Type(() => ProductScopeRequest) scope?: ProductScopeRequest;
  @ApiPropertyOptional({ default: false, description: 'May be combined with other stackable value coupons (叠加)' }) @IsOptional() @IsBoolean() stackable?: boolean;
  @ApiPropertyOptional({ default: true, description: 'false: not on items priced at member price, tier discount or member day' })
  @IsOptional()
  @IsBoolean()
  stackWithMemberPrice?: boolean;
  @ApiPropertyOptional({ description: 'Most coupons of it one member may ever get' }) @IsOptional() @IsInt() @Min(1) @Max(1000) perMemberLimit?: number;
  @ApiPropertyOptional({ description: 'Most coupons of it ever issued' }) @IsOptional() @IsInt() @Min(1) @Max(100_000_000) totalQuantity?: number;
  @ApiPropertyOptional({ type: [String], enum: AUTO_ISSUE_EVENTS, description: 'Issue by itself when a member joins (入会礼) or on the birthday (生日礼)' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(AUTO_ISSUE_EVENTS, { each: true })
  autoIssue?: AutoIssueEvent[];
  @ApiPropertyOptional({ enum: COUPON_TEMPLATE_STATUSES, default: 'active' }) @IsOptional() @IsIn(COUPON_TEMPLATE_STATUSES) status?: CouponTemplateStatus;
}

/**
 * The kind and what it does are fixed once created (issued coupons snapshot them anyway); name,
 * validity for future issues, stores, scope, limits, events and status may change. null clears.
 */
export class UpdateCouponTemplateRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) description?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601(DATE) @Length(10, 10) validFromDate?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601(DATE) @Length(10, 10) validUntilDate?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(3660) validDays?: number | null;
  @ApiPropertyOptional({ enum: VALIDITY_KINDS }) @IsOptional() @IsIn(VALIDITY_KINDS) validityKind?: ValidityKind;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(500) @ArrayUnique() @IsUUID('4', { each: true }) storeIds?: string[];
  @ApiPropertyOptional({ type: ProductScopeRequest }) @IsOptional() @ValidateNested() @Type(() => ProductScopeRequest) scope?: ProductScopeRequest;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() stackable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() stackWithMemberPrice?: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(1000) perMemberLimit?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(100_000_000) totalQuantity?: number | null;
  @ApiPropertyOptional({ type: [String], enum: AUTO_ISSUE_EVENTS }) @IsOptional() @IsArray() @ArrayUnique() @IsIn(AUTO_ISSUE_EVENTS, { each: true }) autoIssue?: AutoIssueEvent[];
  @ApiPropertyOptional({ enum: COUPON_TEMPLATE_STATUSES }) @IsOptional() @IsIn(COUPON_TEMPLATE_STATUSES) status?: CouponTemplateStatus;
}

export class ListCouponTemplatesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: COUPON_TEMPLATE_STATUSES }) @IsOptional() @IsIn(COUPON_TEMPLATE_STATUSES) status?: CouponTemplateStatus;
  @ApiPropertyOptional({ enum: COUPON_KINDS }) @IsOptional() @IsIn(COUPON_KINDS) kind?: CouponKind;
  @ApiPropertyOptional({ description: 'Only templates usable at this store' }) @IsOptional() @IsUUID('4') storeId?: string;
}

export class CouponTemplateResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: COUPON_KINDS }) kind!: CouponKind;
  @ApiProperty({ nullable: true, type: Number }) amountOffFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) discountBps!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxDiscountFen!: number | null;
  @ApiProperty() thresholdFen!: number;
  @ApiProperty({ nullable: true, type: String }) skuId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) exchangePriceFen!: number | null;
  @ApiProperty({ enum: VALIDITY_KINDS }) validityKind!: ValidityKind;
  @ApiProperty({ nullable: true, type: String }) validFromDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) validUntilDate!: string | null;
  @ApiProperty({ nullable: true, type: Number }) validDays!: number | null;
  @ApiProperty({ type: [String] }) storeIds!: string[];
  @ApiProperty({ type: ProductScopeResponse }) scope!: ProductScopeResponse;
  @ApiProperty() stackable!: boolean;
  @ApiProperty() stackWithMemberPrice!: boolean;
  @ApiProperty({ nullable: true, type: Number }) perMemberLimit!: number | null;
  @ApiProperty({ nullable: true, type: Number }) totalQuantity!: number | null;
  @ApiProperty() issuedCount!: number;
  @ApiProperty({ type: [String], enum: AUTO_ISSUE_EVENTS }) autoIssue!: AutoIssueEvent[];
  @ApiProperty({ enum: COUPON_TEMPLATE_STATUSES }) status!: CouponTemplateStatus;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CouponTemplatePageResponse {
  @ApiProperty({ type: [CouponTemplateResponse] }) items!: CouponTemplateResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class IssueCouponRequest {
  @ApiProperty() @IsUUID('4') templateId!: string;
  @ApiProperty({ description: 'The store issuing it (recorded on the coupon)' }) @IsUUID('4') storeId!: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(20) quantity?: number;
}

/** Who gets a segment issue (定向发券): every given condition must hold; only active members. */
export class MemberSegmentRequest {
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ArrayUnique() @IsUUID('4', { each: true }) tierIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Members with any of these tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 20, { each: true })
  tagsAny?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(500) @ArrayUnique() @IsUUID('4', { each: true }) homeStoreIds?: string[];
  @ApiPropertyOptional({ description: 'Spent at least this much (fen) in the last spendWindowDays days' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) minSpendFen?: number;
  @ApiPropertyOptional({ default: 0, description: 'Window of minSpendFen in days; 0 = lifetime' }) @IsOptional() @IsInt() @Min(0) @Max(3660) spendWindowDays?: number;
  @ApiPropertyOptional({ description: 'Last visit within this many days (active members)' }) @IsOptional() @IsInt() @Min(1) @Max(3660) visitedWithinDays?: number;
  @ApiPropertyOptional({ description: 'No visit for at least this many days (win-back, 流失召回)' }) @IsOptional() @IsInt() @Min(1) @Max(3660) notVisitedDays?: number;
}

export class IssueToSegmentRequest {
  @ApiProperty({ type: MemberSegmentRequest }) @ValidateNested() @Type(() => MemberSegmentRequest) segment!: MemberSegmentRequest;
}

export class IssueRunResponse {
  @ApiProperty() id!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty({ type: Object }) segment!: Record<string, unknown>;
  @ApiProperty({ enum: ['running', 'done'] }) status!: 'running' | 'done';
  @ApiProperty({ description: 'Members the segment selected' }) matched!: number;
  @ApiProperty() issued!: number;
  @ApiProperty({ description: 'Members who already hold the per-member limit' }) skippedLimit!: number;
  @ApiProperty({ description: 'Members left without one: the total quantity ran out' }) skippedSoldOut!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
}

export class ListCouponsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: COUPON_STATUSES, description: 'As the member sees it: unused ones past their end count as expired' })
  @IsOptional()
  @IsIn(COUPON_STATUSES)
  status?: CouponStatus;
  @ApiPropertyOptional({ description: 'Only coupons usable at this store' }) @IsOptional() @IsUUID('4') storeId?: string;
}

export class SearchCouponsQuery extends ListCouponsQuery {
  @ApiPropertyOptional({ description: 'A coupon code as typed or scanned (case, spaces and dashes ignored): finds that one coupon' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  @Matches(/^[A-Za-z0-9\s-]+$/)
  code?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') templateId?: string;
}

export class VoidCouponRequest {
  @ApiProperty({ example: '误发' }) @IsString() @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) @Length(1, 200) reason!: string;
}

export class CouponResponse {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: COUPON_KINDS }) kind!: CouponKind;
  @ApiProperty({ nullable: true, type: Number }) amountOffFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) discountBps!: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxDiscountFen!: number | null;
  @ApiProperty() thresholdFen!: number;
  @ApiProperty({ nullable: true, type: String }) skuId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) exchangePriceFen!: number | null;
  @ApiProperty({ type: [String] }) storeIds!: string[];
  @ApiProperty({ type: ProductScopeResponse }) scope!: ProductScopeResponse;
  @ApiProperty() stackable!: boolean;
  @ApiProperty() stackWithMemberPrice!: boolean;
  @ApiProperty({ enum: COUPON_STATUSES, description: 'unused ones past validUntil show as expired' }) status!: CouponStatus;
  @ApiProperty() validFrom!: string;
  @ApiProperty({ description: 'First instant it is no longer valid' }) validUntil!: string;
  @ApiProperty({ enum: COUPON_SOURCES }) source!: CouponSource;
  @ApiProperty({ nullable: true, type: String }) issuedStoreId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ nullable: true, type: String }) usedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) usedStoreId!: string | null;
  @ApiProperty({ nullable: true, type: String }) voidedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) voidReason!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CouponPageResponse {
  @ApiProperty({ type: [CouponResponse] }) items!: CouponResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
