import { MAX_AMOUNT_FEN } from '@chaincard/shared';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
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
} from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import {
  COUNT_CARD_KINDS,
  COUNT_CARD_PAYMENT_METHODS,
  SALE_PAYMENT_METHODS,
  COUNT_CARD_STATUSES,
  TEMPLATE_STATUSES,
  type CountCardKind,
  type CountCardPaymentMethod,
  type CountCardStatus,
  type TemplateStatus,
} from '../entities/count-card.entity';

const SERVICE_CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const SERVICE_CODE_MESSAGE = 'service codes are 1–40 letters, digits, _ . or -';
const MAX_FEN = MAX_AMOUNT_FEN;

export class CreateTemplateRequest {
  @ApiProperty({ example: '洗剪吹 10 次卡' }) @IsString() @Length(1, 60) name!: string;
  @ApiProperty({ enum: COUNT_CARD_KINDS, description: 'count: N uses (计次卡/疗程卡); period: unlimited within periodDays (包月卡); time: N minutes (计时卡)' })
  @IsIn(COUNT_CARD_KINDS)
  kind!: CountCardKind;
  @ApiProperty({ type: [String], example: ['HAIRCUT', 'WASH'], description: 'Service codes the card pays for' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(SERVICE_CODE, { each: true, message: SERVICE_CODE_MESSAGE })
  serviceCodes!: string[];
  @ApiPropertyOptional({ description: 'count cards: uses credited at sale' }) @IsOptional() @IsInt() @Min(1) @Max(100000) uses?: number;
  @ApiPropertyOptional({ description: 'period cards: days of unlimited use from the day of sale' }) @IsOptional() @IsInt() @Min(1) @Max(3660) periodDays?: number;
  @ApiPropertyOptional({ description: 'period cards: at most this many uses per business day' }) @IsOptional() @IsInt() @Min(1) @Max(1000) dailyLimit?: number;
  @ApiPropertyOptional({ description: 'time cards: minutes credited at sale' }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) minutes?: number;
  @ApiProperty({ example: 29900 }) @IsInt() @Min(0) @Max(MAX_FEN) priceFen!: number;
  @ApiPropertyOptional({ description: 'count/time cards: valid for this many days from the day of sale' }) @IsOptional() @IsInt() @Min(1) @Max(36600) validityDays?: number;
  @ApiPropertyOptional({ example: '2027-12-31', description: 'count/time cards: valid through this day (inclusive) instead' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10)
  fixedValidUntil?: string;
  @ApiPropertyOptional({ enum: TEMPLATE_STATUSES, default: 'on_sale' }) @IsOptional() @IsIn(TEMPLATE_STATUSES) status?: TemplateStatus;
  @ApiPropertyOptional({ type: [String], description: 'Stores where it may be sold; empty = every store. Redeemable everywhere.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  sellingStoreIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) description?: string;
}

/** Every field but the kind may change; null clears an optional number. The result is re-validated as a whole. */
export class UpdateTemplateRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @Matches(SERVICE_CODE, { each: true, message: SERVICE_CODE_MESSAGE })
  serviceCodes?: string[];
  @ApiPropertyOptional({ nullable: true, type: Number }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsInt() @Min(1) @Max(100000) uses?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsInt() @Min(1) @Max(3660) periodDays?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsInt() @Min(1) @Max(1000) dailyLimit?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) minutes?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) priceFen?: number;
  @ApiPropertyOptional({ nullable: true, type: Number }) @ValidateIf((_, v) => v !== null) @IsOptional() @IsInt() @Min(1) @Max(36600) validityDays?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsISO8601({ strict: true })
  @Length(10, 10)
  fixedValidUntil?: string | null;
  @ApiPropertyOptional({ enum: TEMPLATE_STATUSES }) @IsOptional() @IsIn(TEMPLATE_STATUSES) status?: TemplateStatus;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(500) @ArrayUnique() @IsUUID('4', { each: true }) sellingStoreIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) description?: string;
}

export class ListTemplatesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TEMPLATE_STATUSES }) @IsOptional() @IsIn(TEMPLATE_STATUSES) status?: TemplateStatus;
  @ApiPropertyOptional({ enum: COUNT_CARD_KINDS }) @IsOptional() @IsIn(COUNT_CARD_KINDS) kind?: CountCardKind;
  @ApiPropertyOptional({ description: 'Only templates that may be sold at this store' }) @IsOptional() @IsUUID('4') storeId?: string;
}

export class TemplateResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: COUNT_CARD_KINDS }) kind!: CountCardKind;
  @ApiProperty({ type: [String] }) serviceCodes!: string[];
  @ApiProperty({ nullable: true, type: Number }) uses!: number | null;
  @ApiProperty({ nullable: true, type: Number }) periodDays!: number | null;
  @ApiProperty({ nullable: true, type: Number }) dailyLimit!: number | null;
  @ApiProperty({ nullable: true, type: Number }) minutes!: number | null;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ nullable: true, type: Number }) validityDays!: number | null;
  @ApiProperty({ nullable: true, type: String }) fixedValidUntil!: string | null;
  @ApiProperty({ enum: TEMPLATE_STATUSES }) status!: TemplateStatus;
  @ApiProperty({ type: [String] }) sellingStoreIds!: string[];
  @ApiProperty() description!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class TemplatePageResponse {
  @ApiProperty({ type: [TemplateResponse] }) items!: TemplateResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class SellCountCardRequest {
  @ApiProperty() @IsUUID('4') templateId!: string;
  @ApiProperty({ description: 'The selling store' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ enum: SALE_PAYMENT_METHODS, description: 'stored_value pays from the member’s balance (储值), in the chain’s principal/bonus order' })
  @IsIn(SALE_PAYMENT_METHODS)
  paymentMethod!: (typeof SALE_PAYMENT_METHODS)[number];
  @ApiPropertyOptional({ description: 'Staff credited with the sale (售卡提成); defaults to the caller' }) @IsOptional() @IsUUID('4') soldByStaffId?: string;
  @ApiPropertyOptional({ description: 'The member’s payment password, when paying with stored value and one is set' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'password is 6 digits' })
  password?: string;
}

export class RedeemRequest {
  @ApiProperty({ description: 'The redeeming store (any store: 跨店通用)' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: 'HAIRCUT' }) @Matches(SERVICE_CODE, { message: SERVICE_CODE_MESSAGE }) serviceCode!: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) quantity?: number;
  @ApiPropertyOptional({ description: 'The serving technician' }) @IsOptional() @IsUUID('4') staffId?: string;
}

export class StartTimerRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiProperty({ example: 'BILLIARDS' }) @Matches(SERVICE_CODE, { message: SERVICE_CODE_MESSAGE }) serviceCode!: string;
  @ApiPropertyOptional({ description: 'The serving staff member' }) @IsOptional() @IsUUID('4') staffId?: string;
}

export class ReverseRedemptionRequest {
  @ApiProperty({ example: '核销错了卡' }) @IsString() @Length(1, 200) reason!: string;
}

export class ListCountCardsQuery {
  @ApiPropertyOptional({ enum: COUNT_CARD_STATUSES }) @IsOptional() @IsIn(COUNT_CARD_STATUSES) status?: CountCardStatus;
}

export class CountCardResponse {
  @ApiProperty() id!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: COUNT_CARD_KINDS }) kind!: CountCardKind;
  @ApiProperty({ type: [String] }) serviceCodes!: string[];
  @ApiProperty({ nullable: true, type: Number, description: 'Uses (count) or minutes (time) credited at sale; null for period cards' }) unitsTotal!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Uses (count) or minutes (time) left; null for period cards' }) unitsLeft!: number | null;
  @ApiProperty({ enum: ['uses', 'minutes', 'days'], description: 'What unitsTotal/unitsLeft count' }) unit!: 'uses' | 'minutes' | 'days';
  @ApiProperty({ nullable: true, type: Number }) periodDays!: number | null;
  @ApiProperty({ nullable: true, type: Number }) dailyLimit!: number | null;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ enum: COUNT_CARD_PAYMENT_METHODS }) paymentMethod!: CountCardPaymentMethod;
  @ApiProperty() validFrom!: string;
  @ApiProperty({ nullable: true, type: String, description: 'First instant the card is no longer valid; null = no end' }) validUntil!: string | null;
  @ApiProperty({ enum: COUNT_CARD_STATUSES }) status!: CountCardStatus;
  @ApiProperty() soldStoreId!: string;
  @ApiProperty({ nullable: true, type: String }) soldByStaffId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The running timer of a time card' }) runningTimerId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class RedemptionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() countCardId!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() serviceCode!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty() redeemedAt!: string;
  @ApiProperty({ nullable: true, type: String }) reversedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) reversalReason!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Uses left after this operation (null for period cards)' }) unitsLeft!: number | null;
}

export class TimerResponse {
  @ApiProperty() id!: string;
  @ApiProperty() countCardId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() serviceCode!: string;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) stoppedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Started minutes, rounded up, at least 1' }) minutesUsed!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Minutes taken from the card' }) minutesBilled!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Minutes the card could not cover, to be charged at checkout' }) shortfallMinutes!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Minutes left on the card after stopping' }) unitsLeft!: number | null;
}

export class CountCardDetailResponse extends CountCardResponse {
  @ApiProperty({ type: [RedemptionResponse] }) redemptions!: RedemptionResponse[];
  @ApiProperty({ type: [TimerResponse] }) timers!: TimerResponse[];
}
