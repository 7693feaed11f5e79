import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { PAYROLL_MONTH_STATUSES, WAGE_ADJUSTMENT_KINDS, type PayrollMonthStatus, type WageAdjustmentKind, MAX_AMOUNT_FEN } from '@chaincard/shared';
import { IsMonth } from '../../../common/http/fields';

const MAX_FEN = MAX_AMOUNT_FEN;

export class SetWageProfileRequest {
  @ApiProperty({ example: 500000, description: 'Monthly base salary (基本工资) in fen' }) @IsInt() @Min(0) @Max(MAX_FEN) baseSalaryFen!: number;
}

export class WageProfileResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty() baseSalaryFen!: number;
  @ApiProperty({ nullable: true, type: String }) updatedAt!: string | null;
}

export class CreateWageAdjustmentRequest {
  @ApiProperty() @IsUUID('4') staffId!: string;
  @ApiProperty({ example: '2026-11' }) @IsMonth() month!: string;
  @ApiProperty({ enum: WAGE_ADJUSTMENT_KINDS, description: 'bonus (奖金) or deduction (扣款)' }) @IsIn(WAGE_ADJUSTMENT_KINDS) kind!: WageAdjustmentKind;
  @ApiProperty({ example: 20000 }) @IsInt() @Min(1) @Max(MAX_FEN) amountFen!: number;
  @ApiProperty({ example: '全勤奖' }) @IsString() @Length(1, 200) reason!: string;
}

export class WageAdjustmentResponse {
  @ApiProperty() id!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() month!: string;
  @ApiProperty({ enum: WAGE_ADJUSTMENT_KINDS }) kind!: WageAdjustmentKind;
  @ApiProperty() amountFen!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() createdAt!: string;
}

export class PayrollMonthQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: this month' }) @IsOptional() @IsMonth() month?: string;
  @ApiPropertyOptional({ description: 'Staff of this store only' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') staffId?: string;
}

export class MyPayslipQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: this month' }) @IsOptional() @IsMonth() month?: string;
}

export class ClosePayrollMonthRequest {
  @ApiProperty({ example: '2026-10', description: 'A month that has ended' }) @IsMonth() month!: string;
}

export class PayslipResponse {
  @ApiProperty() month!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() baseSalaryFen!: number;
  @ApiProperty({ description: 'Net commission booked into the month' }) commissionFen!: number;
  @ApiProperty() bonusFen!: number;
  @ApiProperty() deductionFen!: number;
  @ApiProperty({ description: 'base + commission + bonus − deduction' }) totalFen!: number;
  @ApiProperty({ description: 'Fixed at the close (true), or live while the month is open' }) final!: boolean;
}

export class PayrollTotalsResponse {
  @ApiProperty() baseSalaryFen!: number;
  @ApiProperty() commissionFen!: number;
  @ApiProperty() bonusFen!: number;
  @ApiProperty() deductionFen!: number;
  @ApiProperty() totalFen!: number;
}

export class PayrollMonthResponse {
  @ApiProperty() month!: string;
  @ApiProperty({ enum: PAYROLL_MONTH_STATUSES }) status!: PayrollMonthStatus;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ type: [PayslipResponse] }) payslips!: PayslipResponse[];
  @ApiProperty({ type: PayrollTotalsResponse }) totals!: PayrollTotalsResponse;
}

export class PayrollMonthSummaryResponse {
  @ApiProperty() month!: string;
  @ApiProperty({ enum: PAYROLL_MONTH_STATUSES }) status!: PayrollMonthStatus;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
}

export class MyPayslipResponse {
  @ApiProperty() month!: string;
  @ApiProperty({ enum: PAYROLL_MONTH_STATUSES }) status!: PayrollMonthStatus;
  @ApiProperty({ type: PayslipResponse, nullable: true }) payslip!: PayslipResponse | null;
  @ApiProperty({ type: [WageAdjustmentResponse] }) adjustments!: WageAdjustmentResponse[];
}
