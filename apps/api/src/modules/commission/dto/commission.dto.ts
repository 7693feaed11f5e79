import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { COMMISSION_MODES, COMMISSION_SOURCES, COMMISSION_SPLITS, type CommissionMode, type CommissionSource, type CommissionSplit, MAX_AMOUNT_FEN } from '@chaincard/shared';
import { IsDay, IsMonth } from '../../../common/http/fields';
import { PageQuery } from '../../../common/http/pagination';

const MAX_FEN = MAX_AMOUNT_FEN;

export class CreateStaffLevelRequest {
  @ApiProperty({ example: '高级技师' }) @IsString() @Length(1, 40) name!: string;
  @ApiPropertyOptional({ default: 0, description: 'Display order, low to high' }) @IsOptional() @IsInt() @Min(0) @Max(1000) rank?: number;
}

export class UpdateStaffLevelRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 40) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1000) rank?: number;
}

export class StaffLevelResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() rank!: number;
  @ApiProperty() createdAt!: string;
}

export class SetStaffLevelRequest {
  @ApiProperty({ nullable: true, type: String, description: 'The level; null = none' })
  @ValidateIf((o: SetStaffLevelRequest) => o.levelId !== null)
  @IsUUID('4')
  levelId!: string | null;
}

export class StaffLevelOfResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty({ nullable: true, type: StaffLevelResponse }) level!: StaffLevelResponse | null;
}

export class CreateCommissionRuleRequest {
  @ApiProperty({ example: '洗剪吹 10%' }) @IsString() @Length(1, 60) name!: string;
  @ApiProperty({ enum: COMMISSION_SOURCES, description: 'service / product (order lines), count_card (售卡), top_up (充值), card_issue (办卡)' })
  @IsIn(COMMISSION_SOURCES)
  source!: CommissionSource;
  @ApiPropertyOptional({ description: 'One product or service (source product/service), one count-card template (count_card); omitted = all' })
  @IsOptional()
  @IsUUID('4')
  targetId?: string;
  @ApiPropertyOptional({ description: 'Only staff of this level; omitted = any level' }) @IsOptional() @IsUUID('4') levelId?: string;
  @ApiProperty({ enum: COMMISSION_MODES }) @IsIn(COMMISSION_MODES) mode!: CommissionMode;
  @ApiPropertyOptional({ example: 2000, description: 'fixed: fen per unit' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) amountFen?: number;
  @ApiPropertyOptional({ example: 1000, description: 'percent: basis points of the amount sold (1000 = 10 %)' }) @IsOptional() @IsInt() @Min(0) @Max(10000) rateBps?: number;
  @ApiPropertyOptional({ default: 0, description: 'Pays only on sales of at least this amount' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) minBaseFen?: number;
  @ApiPropertyOptional({ enum: COMMISSION_SPLITS, default: 'share', description: 'Several staff on one sale: share the commission, or each earns it' })
  @IsOptional()
  @IsIn(COMMISSION_SPLITS)
  split?: CommissionSplit;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateCommissionRuleRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional({ enum: COMMISSION_MODES }) @IsOptional() @IsIn(COMMISSION_MODES) mode?: CommissionMode;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((o: UpdateCommissionRuleRequest) => o.amountFen !== null) @IsInt() @Min(0) @Max(MAX_FEN) amountFen?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) @IsOptional() @ValidateIf((o: UpdateCommissionRuleRequest) => o.rateBps !== null) @IsInt() @Min(0) @Max(10000) rateBps?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) minBaseFen?: number;
  @ApiPropertyOptional({ enum: COMMISSION_SPLITS }) @IsOptional() @IsIn(COMMISSION_SPLITS) split?: CommissionSplit;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ListCommissionRulesQuery {
  @ApiPropertyOptional({ enum: COMMISSION_SOURCES }) @IsOptional() @IsIn(COMMISSION_SOURCES) source?: CommissionSource;
  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class CommissionRuleResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: COMMISSION_SOURCES }) source!: CommissionSource;
  @ApiProperty({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ nullable: true, type: String }) levelId!: string | null;
  @ApiProperty({ enum: COMMISSION_MODES }) mode!: CommissionMode;
  @ApiProperty({ nullable: true, type: Number }) amountFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) rateBps!: number | null;
  @ApiProperty() minBaseFen!: number;
  @ApiProperty({ enum: COMMISSION_SPLITS }) split!: CommissionSplit;
  @ApiProperty() active!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CommissionEntriesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') staffId?: string;
  @ApiPropertyOptional({ example: '2026-11', description: 'Payroll month the entries are paid with' }) @IsOptional() @IsMonth() month?: string;
  @ApiPropertyOptional({ enum: COMMISSION_SOURCES }) @IsOptional() @IsIn(COMMISSION_SOURCES) source?: CommissionSource;
}

export class MyCommissionQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: this month' }) @IsOptional() @IsMonth() month?: string;
}

export class CommissionEntryResponse {
  @ApiProperty() id!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty({ enum: COMMISSION_SOURCES }) source!: CommissionSource;
  @ApiProperty({ enum: ['accrual', 'reversal'] }) kind!: 'accrual' | 'reversal';
  @ApiProperty({ example: 'order' }) refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ description: 'The order line (or the sale itself)' }) itemRef!: string;
  @ApiProperty({ nullable: true, type: String }) reversalRef!: string | null;
  @ApiProperty({ nullable: true, type: String }) ruleId!: string | null;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'This staff member’s share of the amount sold (signed)' }) baseFen!: number;
  @ApiProperty({ description: 'Commission (signed: reversals are negative)' }) amountFen!: number;
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty() businessDay!: string;
  @ApiProperty() createdAt!: string;
}

export class CommissionEntryPageResponse {
  @ApiProperty({ type: [CommissionEntryResponse] }) items!: CommissionEntryResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Commission of every entry matching the filter' }) amountFen!: number;
}

export class PerformanceQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First business day; default the first of this month' }) @IsOptional() @IsDay() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last business day; default today' }) @IsOptional() @IsDay() to?: string;
}

export class StaffPerformanceResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty({ description: 'Goods and services sold, net of refunds (the staff member’s share of each line)' }) salesFen!: number;
  @ApiProperty({ description: 'Service units performed, net of refunds' }) servicesPerformed!: number;
  @ApiProperty() productsSold!: number;
  @ApiProperty() topUpFen!: number;
  @ApiProperty() countCardsSold!: number;
  @ApiProperty() cardsIssued!: number;
  @ApiProperty({ description: 'Bookings served (the member arrived) in the period' }) bookingsServed!: number;
  @ApiProperty({ description: 'Net commission earned in the period' }) commissionFen!: number;
}

export class PerformanceResponse {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ type: [StaffPerformanceResponse] }) staff!: StaffPerformanceResponse[];
}
