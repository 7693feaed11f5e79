import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import { MAX_BPS } from '../domain/earn';
import { EXPIRY_POLICIES, type ExpiryPolicy } from '../domain/expiry';

/** A billion points: far beyond any real balance, small enough that sums stay exact. */
const MAX_POINTS = 1_000_000_000;

export class StageRateDto {
  @ApiProperty({ example: 50000, description: 'The stage starts at this order amount (fen, inclusive)' })
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
  fromFen!: number;
  @ApiProperty({ example: 15000, description: 'Rate for the part of the amount in this stage; 10000 = 1×' })
  @IsInt()
  @Min(0)
  @Max(MAX_BPS)
  rateBps!: number;
}

export class PointsSettingsResponse {
  @ApiProperty({ example: 1, description: 'Points earned per earnPerFen fen of eligible amount' }) earnPoints!: number;
  @ApiProperty({ example: 100, description: '1 point per 100 fen = 1 point per yuan' }) earnPerFen!: number;
  @ApiProperty({ type: [StageRateDto], description: 'Stage rates (不同消费阶段不同积分); below the first stage the rate is 1×' }) stageRates!: StageRateDto[];
  @ApiProperty({ example: 20000, description: 'Multiplier on the member’s birthday (the day itself, chain time zone)' }) birthdayMultiplierBps!: number;
  @ApiProperty({ description: 'Points to the referrer on the referred member’s first purchase that earns points (老带新)' }) referralBonusPoints!: number;
  @ApiProperty({ description: 'Points for a review of a visit' }) reviewBonusPoints!: number;
  @ApiProperty({ type: [String], description: 'Catalog categories that earn no points (applied by the checkout)' }) excludedCategoryIds!: string[];
  @ApiProperty({ enum: EXPIRY_POLICIES, description: 'end_of_next_year: points earned in year N expire at the end of N+1 (Asia/Shanghai)' }) expiryPolicy!: ExpiryPolicy;
  @ApiProperty() exchangeEnabled!: boolean;
  @ApiProperty({ example: 100, description: 'exchangePoints points buy exchangeFen fen of bonus stored value' }) exchangePoints!: number;
  @ApiProperty({ example: 100 }) exchangeFen!: number;
  @ApiProperty({ example: 100, description: 'Checkout: offsetPoints points pay offsetFen fen (积分抵现)' }) offsetPoints!: number;
  @ApiProperty({ example: 100 }) offsetFen!: number;
  @ApiProperty({ example: 5000, description: 'Checkout: points pay at most this share of an order; 0 = not allowed' }) offsetMaxBps!: number;
  @ApiProperty() updatedAt!: string;
}

export class UpdatePointsSettingsRequest {
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10_000) earnPoints?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) earnPerFen?: number;
  @ApiPropertyOptional({ type: [StageRateDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => StageRateDto)
  stageRates?: StageRateDto[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_BPS) birthdayMultiplierBps?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) referralBonusPoints?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) reviewBonusPoints?: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(500) @ArrayUnique() @IsUUID('4', { each: true }) excludedCategoryIds?: string[];
  @ApiPropertyOptional({ enum: EXPIRY_POLICIES }) @IsOptional() @IsIn(EXPIRY_POLICIES) expiryPolicy?: ExpiryPolicy;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() exchangeEnabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) exchangePoints?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) exchangeFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) offsetPoints?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) offsetFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10_000) offsetMaxBps?: number;
}

export class PointLotResponse {
  @ApiProperty({ example: 2025, description: 'The year the points were earned' }) year!: number;
  @ApiProperty() points!: number;
  @ApiProperty({ nullable: true, type: String, description: 'When these points lapse; null = never' }) expiresAt!: string | null;
}

export class PointsExpiringResponse {
  @ApiProperty() points!: number;
  @ApiProperty() expiresAt!: string;
}

export class MemberPointsResponse {
  @ApiProperty() memberId!: string;
  @ApiProperty() balance!: number;
  @ApiProperty({ type: PointsExpiringResponse, nullable: true, description: 'The next points to lapse (即将过期)' }) expiringSoon!: PointsExpiringResponse | null;
  @ApiProperty({ type: [PointLotResponse] }) lots!: PointLotResponse[];
}

export class PointEntryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Signed: positive earned, negative spent or expired' }) points!: number;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty({ example: 'earn', description: 'earn, earn_reversal, referral, review, adjust, exchange, redeem, redeem_cancel, expire' }) reason!: string;
  @ApiProperty() refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) storeName!: string | null;
  @ApiProperty({ nullable: true, type: String }) memo!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PointEntryPageResponse {
  @ApiProperty({ type: [PointEntryResponse] }) items!: PointEntryResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class PointAdjustmentRequest {
  @ApiProperty({ description: 'The store where the adjustment is made' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: -200, description: 'Signed: positive adds, negative takes away' })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_POINTS)
  @Max(MAX_POINTS)
  points!: number;
  @ApiProperty({ example: '补录漏积分' }) @IsString() @Length(1, 200) reason!: string;
}

export class PointAdjustmentResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() points!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() balanceAfter!: number;
  @ApiProperty() createdAt!: string;
}

export class MyPointExchangeRequest {
  @ApiProperty({ example: 1000, description: 'Points to exchange: a whole multiple of the exchange unit' }) @IsInt() @Min(1) @Max(MAX_POINTS) points!: number;
}

export class PointExchangeRequest extends MyPointExchangeRequest {
  @ApiProperty({ description: 'The store where the exchange is made' }) @IsUUID('4') storeId!: string;
}

export class PointExchangeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty() points!: number;
  @ApiProperty({ description: 'Credited to the member’s bonus stored value (赠送金), not to the principal' }) valueFen!: number;
  @ApiProperty() pointsBalanceAfter!: number;
  @ApiProperty() createdAt!: string;
}

export class ExpiryRunResponse {
  @ApiProperty() lots!: number;
  @ApiProperty() points!: number;
}
