import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { CASH_MOVEMENT_KINDS, PAYMENT_METHODS, SHIFT_STATUSES, type CashMovementKind, type PaymentMethod, type ShiftStatus, MAX_AMOUNT_FEN } from '@chaincard/shared';
import { PageQuery } from '../../../common/http/pagination';

const MAX_FEN = MAX_AMOUNT_FEN;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = 'a calendar day as YYYY-MM-DD';

/** A calendar day: the shape by regex, the date itself (no 2026-02-30) by the ISO check. */
const IsDay = () => (target: object, key: string) => {
  Matches(DAY, { message: `${key} must be ${DAY_MESSAGE}` })(target, key);
  IsISO8601({ strict: true }, { message: `${key} must be ${DAY_MESSAGE}` })(target, key);
};

export class OpenShiftRequest {
  @ApiProperty({ description: 'The store whose counter the shift serves' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: 50000, description: 'Float (备用金) in the drawer at the start, in fen' }) @IsInt() @Min(0) @Max(MAX_FEN) floatFen!: number;
  @ApiPropertyOptional({ example: '早班' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class CashMovementRequest {
  @ApiProperty({ enum: CASH_MOVEMENT_KINDS, description: 'cash_in: money put into the drawer; cash_out: money taken out' })
  @IsIn(CASH_MOVEMENT_KINDS)
  kind!: CashMovementKind;
  @ApiProperty({ example: 20000 }) @IsInt() @Min(1) @Max(MAX_FEN) amountFen!: number;
  @ApiProperty({ example: '中午存银行' }) @IsString() @Length(1, 200) reason!: string;
}

export class CloseShiftRequest {
  @ApiProperty({ example: 81000, description: 'Cash counted in the drawer at the close (实点现金), in fen' }) @IsInt() @Min(0) @Max(MAX_FEN) countedCashFen!: number;
  @ApiPropertyOptional({ example: '短款 5 元，已说明' }) @IsOptional() @IsString() @Length(0, 500) note?: string;
}

export class CurrentShiftQuery {
  @ApiPropertyOptional({ description: 'Default: the caller’s store when he has exactly one' }) @IsOptional() @IsUUID('4') storeId?: string;
}

export class ListShiftsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ description: 'Shifts of this staff member (staff without shift.manage only see their own)' }) @IsOptional() @IsUUID('4') staffId?: string;
  @ApiPropertyOptional({ enum: SHIFT_STATUSES }) @IsOptional() @IsIn(SHIFT_STATUSES) status?: ShiftStatus;
  @ApiPropertyOptional({ example: '2026-11-23', description: 'Business day the shift opened on (store time zone)' }) @IsOptional() @IsDay() businessDay?: string;
  @ApiPropertyOptional({ example: '2026-11-01' }) @IsOptional() @IsDay() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @IsOptional() @IsDay() to?: string;
}

export class ShiftReportQuery {
  @ApiPropertyOptional({ description: 'Default: the caller’s store when he has exactly one' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '2026-11-23', description: 'Business day in the store’s time zone; default: today there' }) @IsOptional() @IsDay() businessDay?: string;
}

export class ShiftTakingsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PAYMENT_METHODS }) @IsOptional() @IsIn(PAYMENT_METHODS) method?: PaymentMethod;
}

export class MethodTotalResponse {
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
  @ApiProperty({ example: '现金' }) label!: string;
  @ApiProperty({ description: 'Taken in' }) salesFen!: number;
  @ApiProperty({ description: 'Handed back by refunds (positive)' }) refundsFen!: number;
  @ApiProperty({ description: 'salesFen − refundsFen' }) netFen!: number;
  @ApiProperty() count!: number;
}

export class CashMovementResponse {
  @ApiProperty() id!: string;
  @ApiProperty() shiftId!: string;
  @ApiProperty({ enum: CASH_MOVEMENT_KINDS }) kind!: CashMovementKind;
  @ApiProperty() amountFen!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() createdAt!: string;
}

export class ShiftResponse {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty({ enum: SHIFT_STATUSES }) status!: ShiftStatus;
  @ApiProperty({ example: '2026-11-23' }) businessDay!: string;
  @ApiProperty({ description: 'Float (备用金)' }) floatFen!: number;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ nullable: true, type: String }) openNote!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who closed it: the staff member or a manager (代交班)' }) closedByStaffId!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedByName!: string | null;
  @ApiProperty() cashInFen!: number;
  @ApiProperty() cashOutFen!: number;
  @ApiProperty({ type: [MethodTotalResponse], description: 'Every payment method, zero where nothing was taken' }) methods!: MethodTotalResponse[];
  @ApiProperty({ description: 'Net takings of every method together' }) totalNetFen!: number;
  @ApiProperty({ description: 'float + net cash + cash in − cash out; fixed at the close' }) expectedCashFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Counted at the close' }) countedCashFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'counted − expected: over (长款) > 0, short (短款) < 0' }) differenceFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) closeNote!: string | null;
}

export class ShiftDetailResponse extends ShiftResponse {
  @ApiProperty({ type: [CashMovementResponse] }) movements!: CashMovementResponse[];
}

export class CurrentShiftResponse {
  @ApiProperty({ type: ShiftDetailResponse, nullable: true, description: 'The caller’s open shift at the store, or null' }) shift!: ShiftDetailResponse | null;
}

export class CashMovementResultResponse {
  @ApiProperty({ type: CashMovementResponse }) movement!: CashMovementResponse;
  @ApiProperty({ type: ShiftDetailResponse }) shift!: ShiftDetailResponse;
}

export class ShiftPageResponse {
  @ApiProperty({ type: [ShiftResponse] }) items!: ShiftResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ShiftTakingResponse {
  @ApiProperty() id!: string;
  @ApiProperty() shiftId!: string;
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
  @ApiProperty({ description: 'Signed: refunds are negative' }) amountFen!: number;
  @ApiProperty({ example: 'wallet_top_up', description: 'The kind of operation that took the money' }) refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty() createdAt!: string;
}

export class ShiftTakingPageResponse {
  @ApiProperty({ type: [ShiftTakingResponse] }) items!: ShiftTakingResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ShiftReportTotalsResponse {
  @ApiProperty() floatFen!: number;
  @ApiProperty() cashInFen!: number;
  @ApiProperty() cashOutFen!: number;
  @ApiProperty({ type: [MethodTotalResponse] }) methods!: MethodTotalResponse[];
  @ApiProperty() totalNetFen!: number;
  @ApiProperty() expectedCashFen!: number;
  @ApiProperty({ description: 'Counted cash of the closed shifts' }) countedCashFen!: number;
  @ApiProperty({ description: 'Difference of the closed shifts together' }) differenceFen!: number;
}

export class ShiftReportResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty({ example: '2026-11-23' }) businessDay!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiProperty() openCount!: number;
  @ApiProperty() closedCount!: number;
  @ApiProperty({ type: [ShiftResponse], description: 'Shifts opened on that business day, oldest first' }) shifts!: ShiftResponse[];
  @ApiProperty({ type: ShiftReportTotalsResponse }) totals!: ShiftReportTotalsResponse;
}
