import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { ATTENDANCE_DAY_STATUSES, type AttendanceDayStatus } from '@chaincard/shared';
import { IsInstant, IsMonth } from '../../../common/http/fields';

export class ClockInRequest {
  @ApiProperty({ description: 'The store where I start work' }) @IsUUID('4') storeId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class ClockOutRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class CorrectionRequest {
  @ApiProperty() @IsUUID('4') staffId!: string;
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiProperty({ example: '2026-11-20T09:00:00+08:00' }) @IsInstant() clockInAt!: string;
  @ApiProperty({ example: '2026-11-20T18:00:00+08:00' }) @IsInstant() clockOutAt!: string;
  @ApiProperty({ example: '忘记打卡，店长补录' }) @IsString() @Length(1, 200) reason!: string;
}

export class UpdateRecordRequest {
  @ApiPropertyOptional() @IsOptional() @IsInstant() clockInAt?: string;
  @ApiPropertyOptional({ description: 'Closes a record left open, or moves its end' }) @IsOptional() @IsInstant() clockOutAt?: string;
  @ApiProperty({ example: '漏打下班卡' }) @IsString() @Length(1, 200) reason!: string;
}

export class AttendanceMonthQuery {
  @ApiPropertyOptional({ description: 'Default: the caller’s store when he has exactly one' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: this month' }) @IsOptional() @IsMonth() month?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') staffId?: string;
}

export class MyAttendanceQuery {
  @ApiPropertyOptional({ example: '2026-11', description: 'Default: this month' }) @IsOptional() @IsMonth() month?: string;
}

export class AttendanceSettingsResponse {
  @ApiProperty() lateGraceMinutes!: number;
  @ApiProperty() earlyGraceMinutes!: number;
  @ApiProperty() updatedAt!: string;
}

export class UpdateAttendanceSettingsRequest {
  @ApiPropertyOptional({ minimum: 0, maximum: 240 }) @IsOptional() @IsInt() @Min(0) @Max(240) lateGraceMinutes?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 240 }) @IsOptional() @IsInt() @Min(0) @Max(240) earlyGraceMinutes?: number;
}

export class AttendanceRecordResponse {
  @ApiProperty() id!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() businessDay!: string;
  @ApiProperty() clockInAt!: string;
  @ApiProperty({ nullable: true, type: String }) clockOutAt!: string | null;
  @ApiProperty({ enum: ['clock', 'correction'] }) source!: 'clock' | 'correction';
  @ApiProperty() note!: string;
}

export class AttendanceStatusResponse {
  @ApiProperty({ type: AttendanceRecordResponse, nullable: true, description: 'My open record (clocked in), or null' }) open!: AttendanceRecordResponse | null;
}

export class ClockIntervalResponse {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '18:00' }) end!: string;
}

export class AttendanceDayResponse {
  @ApiProperty() day!: string;
  @ApiProperty({ enum: ATTENDANCE_DAY_STATUSES }) status!: AttendanceDayStatus;
  @ApiProperty({ type: [ClockIntervalResponse] }) scheduled!: ClockIntervalResponse[];
  @ApiProperty({ type: [AttendanceRecordResponse] }) records!: AttendanceRecordResponse[];
  @ApiProperty() lateMinutes!: number;
  @ApiProperty() earlyMinutes!: number;
  @ApiProperty() scheduledMinutes!: number;
  @ApiProperty() workedMinutes!: number;
  @ApiProperty() missingClockOut!: boolean;
}

export class AttendanceSummaryResponse {
  @ApiProperty() scheduledDays!: number;
  @ApiProperty() workedDays!: number;
  @ApiProperty() lateCount!: number;
  @ApiProperty() earlyCount!: number;
  @ApiProperty() absentCount!: number;
  @ApiProperty() unscheduledDays!: number;
  @ApiProperty() missingClockOutCount!: number;
  @ApiProperty() lateMinutes!: number;
  @ApiProperty() earlyMinutes!: number;
  @ApiProperty() scheduledMinutes!: number;
  @ApiProperty() workedMinutes!: number;
}

export class StaffAttendanceResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty({ type: AttendanceSummaryResponse }) summary!: AttendanceSummaryResponse;
  @ApiProperty({ type: [AttendanceDayResponse] }) days!: AttendanceDayResponse[];
}

export class AttendanceReportResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() month!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [StaffAttendanceResponse], description: 'Every staff member scheduled or clocked in at the store that month' }) staff!: StaffAttendanceResponse[];
}

export class MyAttendanceResponse {
  @ApiProperty() month!: string;
  @ApiProperty({ type: [StaffAttendanceResponse], description: 'One entry per store where I was scheduled or clocked in' }) stores!: StaffAttendanceResponse[];
}
