import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TIER_CHANGE_SOURCES, TIER_METRICS, TIER_PAYMENT_METHODS, type TierChangeSource, type TierMetric, type TierPaymentMethod } from '../entities/tier.entity';

const MAX_FEN = 1_000_000_000_00; // 10 亿元: far above any real threshold or price, well inside 2^53.

/** Automatic upgrade (自动升级): reach `threshold` of `metric` within the last `windowDays` days. */
export class UpgradeRuleDto {
  @ApiProperty({ enum: TIER_METRICS, description: 'spend: 累计消费 (fen); top_up: 累计充值 (fen); points: 累计获得积分' })
  @IsIn(TIER_METRICS)
  metric!: TierMetric;
  @ApiProperty({ example: 100000, description: 'Fen for spend and top_up, points for points' }) @IsInt() @Min(1) @Max(MAX_FEN) threshold!: number;
  @ApiProperty({ example: 365, description: 'Cumulative within the last N days; 0 = lifetime' }) @IsInt() @Min(0) @Max(3650) windowDays!: number;
  @ApiPropertyOptional({ default: false, description: 'Daily job drops holders who no longer meet the threshold (保级)' })
  @IsOptional()
  @IsBoolean()
  downgrade?: boolean;
}

export class CreateTierRequest {
  @ApiProperty({ example: '金卡会员' }) @IsString() @Length(1, 20) name!: string;
  @ApiPropertyOptional({ example: 'Gold' }) @IsOptional() @IsString() @Length(0, 40) nameEn?: string;
  @ApiProperty({ example: 3, description: 'Order of tiers: higher is better; unique' }) @IsInt() @Min(0) @Max(1000) level!: number;
  @ApiPropertyOptional({ example: 9500, default: 10000, description: '9500 = 95折' }) @IsOptional() @IsInt() @Min(0) @Max(10000) discountBps?: number;
  @ApiPropertyOptional({ example: 15000, default: 10000, description: '15000 = 1.5× points' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  pointsMultiplierBps?: number;
  @ApiPropertyOptional({ type: [String], example: ['生日双倍积分', '免费停车 2 小时'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  benefits?: string[];
  @ApiPropertyOptional({ description: 'New members get the initial tier; making this one initial takes the flag from the previous one' })
  @IsOptional()
  @IsBoolean()
  isInitial?: boolean;
  @ApiPropertyOptional({ type: UpgradeRuleDto, nullable: true, description: 'null: reached only by hand or by buying it' })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpgradeRuleDto)
  upgrade?: UpgradeRuleDto | null;
  @ApiPropertyOptional({ example: 9900, default: 0, description: '付费会员 price; > 0 makes the tier purchasable (needs validityDays)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  priceFen?: number;
  @ApiPropertyOptional({ example: 365, nullable: true, type: Number, description: 'Days a bought tier lasts' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  validityDays?: number | null;
}

export class UpdateTierRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 20) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 40) nameEn?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) level?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(10000) discountBps?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100000) pointsMultiplierBps?: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 100, { each: true }) benefits?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isInitial?: boolean;
  @ApiPropertyOptional({ type: UpgradeRuleDto, nullable: true, description: 'null removes the rule' })
  @ValidateIf((_o, v) => v !== undefined && v !== null)
  @ValidateNested()
  @Type(() => UpgradeRuleDto)
  upgrade?: UpgradeRuleDto | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) priceFen?: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) @ValidateIf((_o, v) => v !== undefined && v !== null) @IsInt() @Min(1) @Max(3650) validityDays?: number | null;
}

export class UpgradeRuleResponse {
  @ApiProperty({ enum: TIER_METRICS }) metric!: TierMetric;
  @ApiProperty() threshold!: number;
  @ApiProperty() windowDays!: number;
  @ApiProperty() downgrade!: boolean;
}

export class TierResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() nameEn!: string;
  @ApiProperty() level!: number;
  @ApiProperty() discountBps!: number;
  @ApiProperty() pointsMultiplierBps!: number;
  @ApiProperty({ type: [String] }) benefits!: string[];
  @ApiProperty() isInitial!: boolean;
  @ApiProperty({ type: UpgradeRuleResponse, nullable: true }) upgrade!: UpgradeRuleResponse | null;
  @ApiProperty({ description: '0 = not purchasable' }) priceFen!: number;
  @ApiProperty({ nullable: true, type: Number }) validityDays!: number | null;
  @ApiProperty() purchasable!: boolean;
}

export class ChangeTierRequest {
  @ApiProperty() @IsUUID('4') tierId!: string;
  @ApiProperty({ example: '老客户补偿', description: 'Why (kept in the history and the audit log)' }) @IsString() @Length(1, 200) reason!: string;
}

export class BuyTierRequest {
  @ApiProperty() @IsUUID('4') tierId!: string;
  @ApiProperty({ description: 'The collecting store' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ enum: TIER_PAYMENT_METHODS }) @IsIn(TIER_PAYMENT_METHODS) paymentMethod!: TierPaymentMethod;
  @ApiPropertyOptional({ description: 'Member payment password, for wallet payment when the member set one' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  password?: string;
}

export class MyTierPurchaseRequest {
  @ApiProperty() @IsUUID('4') tierId!: string;
  @ApiPropertyOptional({ description: 'My payment password, when I set one' }) @IsOptional() @IsString() @Length(1, 64) password?: string;
}

export class TierPurchaseResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() tierId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ enum: TIER_PAYMENT_METHODS }) paymentMethod!: TierPaymentMethod;
  @ApiProperty({ description: 'Stored-value principal taken (wallet payment)' }) principalFen!: number;
  @ApiProperty({ description: 'Stored-value bonus taken (wallet payment)' }) bonusFen!: number;
  @ApiProperty() validityDays!: number;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() createdAt!: string;
}

export class TierProgressResponse {
  @ApiProperty({ type: TierResponse }) tier!: TierResponse;
  @ApiProperty({ enum: TIER_METRICS }) metric!: TierMetric;
  @ApiProperty() windowDays!: number;
  @ApiProperty({ description: 'The member’s value of the metric over the window' }) value!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty() remaining!: number;
}

export class MemberTierResponse {
  @ApiProperty() memberId!: string;
  @ApiProperty({ type: TierResponse, nullable: true }) tier!: TierResponse | null;
  @ApiProperty({ nullable: true, type: String, description: 'When a bought tier lapses' }) expiresAt!: string | null;
  @ApiProperty({ type: TierProgressResponse, nullable: true, description: 'Progress to the next tier with an upgrade rule' })
  next!: TierProgressResponse | null;
}

export class TierChangeResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) fromTierId!: string | null;
  @ApiProperty({ nullable: true, type: String }) fromTierName!: string | null;
  @ApiProperty() toTierId!: string;
  @ApiProperty() toTierName!: string;
  @ApiProperty({ enum: TIER_CHANGE_SOURCES }) source!: TierChangeSource;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty({ nullable: true, type: String }) staffName!: string | null;
  @ApiProperty() at!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
}

export class TierChangePageResponse {
  @ApiProperty({ type: [TierChangeResponse] }) items!: TierChangeResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
