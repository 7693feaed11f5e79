import { MAX_AMOUNT_FEN } from '@chaincard/shared';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import {
  CONSUMPTION_ORDERS,
  INSTALMENT_STATUSES,
  PAYMENT_METHODS,
  REFUND_POLICIES,
  SPEND_STATUSES,
  TOP_UP_STATUSES,
  type ConsumptionOrder,
  type InstalmentStatus,
  type RefundPolicy,
  type SpendStatus,
  type TopUpPaymentMethod,
  type TopUpStatus,
} from '../entities/wallet.entity';

const MAX_FEN = MAX_AMOUNT_FEN;

export class WalletSettingsResponse {
  @ApiProperty({ enum: CONSUMPTION_ORDERS, description: 'Order in which principal (本金) and bonus (赠送金) are spent' }) consumptionOrder!: ConsumptionOrder;
  @ApiProperty({ enum: REFUND_POLICIES, description: 'Top-up refund when part of its bonus was already spent' }) refundPolicy!: RefundPolicy;
  @ApiProperty() minTopUpFen!: number;
  @ApiProperty() maxTopUpFen!: number;
  @ApiProperty() updatedAt!: string;
}

export class UpdateWalletSettingsRequest {
  @ApiPropertyOptional({ enum: CONSUMPTION_ORDERS }) @IsOptional() @IsIn(CONSUMPTION_ORDERS) consumptionOrder?: ConsumptionOrder;
  @ApiPropertyOptional({ enum: REFUND_POLICIES }) @IsOptional() @IsIn(REFUND_POLICIES) refundPolicy?: RefundPolicy;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) minTopUpFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) maxTopUpFen?: number;
}

export class CreateBonusRuleRequest {
  @ApiProperty({ example: '充100送20' }) @IsString() @Length(1, 60) name!: string;
  @ApiPropertyOptional({ description: 'A store override; omitted = HQ’s rule for every store without rules of its own' })
  @IsOptional()
  @IsUUID('4')
  storeId?: string;
  @ApiPropertyOptional({ description: 'Only members of this tier' }) @IsOptional() @IsUUID('4') tierId?: string;
  @ApiProperty({ example: 10000, description: 'The top-up must be at least this much' }) @IsInt() @Min(1) @Max(MAX_FEN) thresholdFen!: number;
  @ApiPropertyOptional({ example: 2000, description: 'Stored-value bonus (赠送金)' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) bonusFen?: number;
  @ApiPropertyOptional({ example: 0, description: 'Bonus points' }) @IsOptional() @IsInt() @Min(0) @Max(100_000_000) bonusPoints?: number;
  @ApiPropertyOptional({ description: 'A count card given with the top-up (充值送次卡): its template' }) @IsOptional() @IsUUID('4') bonusCountCardTemplateId?: string;
  @ApiPropertyOptional({ description: 'A coupon given with the top-up (充值送券): its template' }) @IsOptional() @IsUUID('4') bonusCouponTemplateId?: string;
  @ApiPropertyOptional({ default: 1, description: 'Release the stored-value bonus in this many parts, the first at once' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  instalments?: number;
  @ApiPropertyOptional({ default: 1, description: 'Months between two parts' }) @IsOptional() @IsInt() @Min(1) @Max(12) intervalMonths?: number;
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00+08:00' }) @IsOptional() @IsISO8601({ strict: true }) validFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31T23:59:59+08:00' }) @IsOptional() @IsISO8601({ strict: true }) validTo?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: 0, description: 'Higher wins a tie of threshold and bonus' }) @IsOptional() @IsInt() @Min(-1000) @Max(1000) priority?: number;
}

export class UpdateBonusRuleRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('4') tierId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) thresholdFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) bonusFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(100_000_000) bonusPoints?: number;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('4') bonusCountCardTemplateId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('4') bonusCouponTemplateId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(120) instalments?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(12) intervalMonths?: number;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) validFrom?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) validTo?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(-1000) @Max(1000) priority?: number;
}

export class ListBonusRulesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Rules of this store (its overrides); HQ rules are those without a store' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(['true', 'false']) active?: 'true' | 'false';
}

export class BonusRuleResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) tierId!: string | null;
  @ApiProperty() thresholdFen!: number;
  @ApiProperty() bonusFen!: number;
  @ApiProperty() bonusPoints!: number;
  @ApiProperty({ nullable: true, type: String }) bonusCountCardTemplateId!: string | null;
  @ApiProperty({ nullable: true, type: String }) bonusCouponTemplateId!: string | null;
  @ApiProperty() instalments!: number;
  @ApiProperty() intervalMonths!: number;
  @ApiProperty({ nullable: true, type: String }) validFrom!: string | null;
  @ApiProperty({ nullable: true, type: String }) validTo!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty() priority!: number;
  @ApiProperty() createdAt!: string;
}

export class BonusRulePageResponse {
  @ApiProperty({ type: [BonusRuleResponse] }) items!: BonusRuleResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

const COUNTER_METHODS = ['cash', 'bank_card'] as const;

export class CounterTopUpRequest {
  @ApiProperty({ description: 'The store collecting the money' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: 10000 }) @IsInt() @Min(1) @Max(MAX_FEN) amountFen!: number;
  @ApiProperty({ enum: COUNTER_METHODS, description: 'WeChat Pay top-ups come through the payment callback' })
  @IsIn(COUNTER_METHODS)
  paymentMethod!: 'cash' | 'bank_card';
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) memo?: string;
  @ApiPropertyOptional({ description: 'Staff credited with the top-up (充值提成); defaults to the caller' }) @IsOptional() @IsUUID('4') soldByStaffId?: string;
}

export class InstalmentResponse {
  @ApiProperty() id!: string;
  @ApiProperty() seq!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ enum: INSTALMENT_STATUSES }) status!: InstalmentStatus;
  @ApiProperty({ nullable: true, type: String }) releasedAt!: string | null;
}

export class WalletBalanceResponse {
  @ApiProperty() memberId!: string;
  @ApiProperty({ description: 'Principal (本金)' }) principalFen!: number;
  @ApiProperty({ description: 'Bonus (赠送金)' }) bonusFen!: number;
  @ApiProperty() totalFen!: number;
  @ApiProperty({ description: 'Bonus instalments not yet released' }) pendingBonusFen!: number;
}

export class TopUpResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ description: 'Whole stored-value bonus, released now or in instalments' }) bonusFen!: number;
  @ApiProperty() bonusPoints!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The count card given by the bonus rule' }) bonusCountCardId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The coupon given by the bonus rule' }) bonusCouponId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ruleId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ruleName!: string | null;
  @ApiProperty({ enum: PAYMENT_METHODS }) paymentMethod!: TopUpPaymentMethod;
  @ApiProperty({ nullable: true, type: String }) paymentRef!: string | null;
  @ApiProperty({ nullable: true, type: String }) operatorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) memo!: string | null;
  @ApiProperty({ enum: TOP_UP_STATUSES }) status!: TopUpStatus;
  @ApiProperty({ nullable: true, type: String }) refundedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) refundReason!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Money handed back by the refund' }) refundCashFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Bonus taken back by the refund' }) refundBonusFen!: number | null;
  @ApiProperty({ type: [InstalmentResponse] }) instalments!: InstalmentResponse[];
  @ApiProperty() createdAt!: string;
}

export class TopUpResultResponse extends TopUpResponse {
  @ApiProperty({ type: WalletBalanceResponse }) balance!: WalletBalanceResponse;
}

export class TopUpPageResponse {
  @ApiProperty({ type: [TopUpResponse] }) items!: TopUpResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ListTopUpsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Collecting store; omitted = every store the caller reaches' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional({ description: 'From this instant (inclusive)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Until this instant (exclusive)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ enum: TOP_UP_STATUSES }) @IsOptional() @IsIn(TOP_UP_STATUSES) status?: TopUpStatus;
}

export class RefundTopUpRequest {
  @ApiProperty({ example: '顾客要求退款' }) @IsString() @Length(1, 200) reason!: string;
}

export class QuickSpendRequest {
  @ApiProperty({ description: 'The store where the value is spent' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: 3000 }) @IsInt() @Min(1) @Max(MAX_FEN) amountFen!: number;
  @ApiPropertyOptional({ description: 'The member’s payment password (支付密码), when one is set' }) @IsOptional() @IsString() @Length(1, 64) password?: string;
  @ApiProperty({ example: '快速消费' }) @IsString() @Length(1, 200) memo!: string;
}

export class ReverseSpendRequest {
  @ApiPropertyOptional({ description: 'Part to give back; omitted = everything not yet reversed' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) amountFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

export class SpendResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ description: 'Taken from principal' }) principalFen!: number;
  @ApiProperty({ description: 'Taken from bonus' }) bonusFen!: number;
  @ApiProperty() reversedPrincipalFen!: number;
  @ApiProperty() reversedBonusFen!: number;
  @ApiProperty() refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ enum: SPEND_STATUSES }) status!: SpendStatus;
  @ApiProperty({ nullable: true, type: String }) memo!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: WalletBalanceResponse }) balance!: WalletBalanceResponse;
}

export class WalletEntriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['wallet_principal', 'wallet_bonus'] }) @IsOptional() @IsIn(['wallet_principal', 'wallet_bonus']) kind?: 'wallet_principal' | 'wallet_bonus';
}

export class WalletEntryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['wallet_principal', 'wallet_bonus'] }) kind!: string;
  @ApiProperty({ description: 'Signed: + credit, − debit' }) amountFen!: number;
  @ApiProperty() balanceAfterFen!: number;
  @ApiProperty({ example: 'top_up', description: 'top_up, top_up_bonus, bonus_instalment, spend, spend_reversal, top_up_refund, …' }) reason!: string;
  @ApiProperty() refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) storeName!: string | null;
  @ApiProperty() operationId!: string;
  @ApiProperty({ nullable: true, type: String }) memo!: string | null;
  @ApiProperty() createdAt!: string;
}

export class WalletEntryPageResponse {
  @ApiProperty({ type: [WalletEntryResponse] }) items!: WalletEntryResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
