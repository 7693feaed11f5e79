import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { SCHEDULE_EXCEPTION_KINDS, type ScheduleExceptionKind } from '@chaincard/shared';
import { IsClock, IsDay } from '../../../common/http/fields';

export class WeeklyIntervalDto {
  @ApiProperty({ example: 1, description: 'ISO weekday: 1 = Monday … 7 = Sunday' }) @IsInt() @Min(1) @Max(7) weekday!: number;
  @ApiProperty({ example: '09:00' }) @IsClock() start!: string;
  @ApiProperty({ example: '18:00', description: 'After start, at most 24:00' }) @IsClock() end!: string;
}

export class SetWeeklyScheduleRequest {
  @ApiProperty({ type: [WeeklyIntervalDto], description: 'The whole weekly schedule at this store (replaces the previous one); [] = none' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WeeklyIntervalDto)
  intervals!: WeeklyIntervalDto[];
}

export class AddScheduleExceptionRequest {
  @ApiProperty({ example: '2026-11-25' }) @IsDay() day!: string;
  @ApiProperty({ enum: SCHEDULE_EXCEPTION_KINDS, description: 'leave: 请假 (whole day without times); extra: 加班 (times required)' })
  @IsIn(SCHEDULE_EXCEPTION_KINDS)
  kind!: ScheduleExceptionKind;
  @ApiPropertyOptional({ example: '14:00' }) @IsOptional() @IsClock() start?: string;
  @ApiPropertyOptional({ example: '18:00' }) @IsOptional() @IsClock() end?: string;
  @ApiPropertyOptional({ example: '事假' }) @IsOptional() @IsString() @Length(0, 200) reason?: string;
}

export class ScheduleRangeQuery {
  @ApiPropertyOptional({ example: '2026-11-23', description: 'First day (store time zone); default today' }) @IsOptional() @IsDay() from?: string;
  @ApiPropertyOptional({ example: '2026-11-29', description: 'Last day; default from + 6; at most 62 days' }) @IsOptional() @IsDay() to?: string;
}

export class IntervalResponse {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '18:00' }) end!: string;
}

export class WeeklyIntervalResponse extends IntervalResponse {
  @ApiProperty() weekday!: number;
}

export class ScheduleExceptionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ example: '2026-11-25' }) day!: string;
  @ApiProperty({ enum: SCHEDULE_EXCEPTION_KINDS }) kind!: ScheduleExceptionKind;
  @ApiProperty({ nullable: true, type: String, description: 'null with end null: the whole day' }) start!: string | null;
  @ApiProperty({ nullable: true, type: String }) end!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty() createdAt!: string;
}

export class ScheduleDayResponse {
  @ApiProperty({ example: '2026-11-23' }) day!: string;
  @ApiProperty() weekday!: number;
  @ApiProperty({ type: [IntervalResponse], description: 'Working time that day: weekly schedule − leave + extra shifts' }) intervals!: IntervalResponse[];
}

export class StaffScheduleResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty({ type: [WeeklyIntervalResponse] }) weekly!: WeeklyIntervalResponse[];
  @ApiProperty({ type: [ScheduleExceptionResponse], description: 'Leave and extra shifts within the range' }) exceptions!: ScheduleExceptionResponse[];
  @ApiProperty({ type: [ScheduleDayResponse] }) days!: ScheduleDayResponse[];
}

export class RosterResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [ScheduleDayResponse], description: 'The store’s opening hours per day' }) openingHours!: ScheduleDayResponse[];
  @ApiProperty({ type: [StaffScheduleResponse], description: 'Every staff member of the store with a schedule or an exception there' }) staff!: StaffScheduleResponse[];
}

export class MyScheduleResponse {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [StaffScheduleResponse], description: 'One entry per store where I have a schedule' }) stores!: StaffScheduleResponse[];
}
