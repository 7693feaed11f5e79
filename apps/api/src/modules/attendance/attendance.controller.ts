import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { AttendanceService } from './attendance.service';
import {
  AttendanceMonthQuery,
  AttendanceRecordResponse,
  AttendanceReportResponse,
  AttendanceSettingsResponse,
  AttendanceStatusResponse,
  ClockInRequest,
  ClockOutRequest,
  CorrectionRequest,
  MyAttendanceQuery,
  MyAttendanceResponse,
  UpdateAttendanceSettingsRequest,
  UpdateRecordRequest,
} from './dto/attendance.dto';

/** Attendance (考勤): clock-in / clock-out, corrections, the monthly report. */
@ApiTags('attendance')
@Controller()
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Post('attendance/clock-in')
  @ApiOperation({ summary: 'Clock in at a store (上班打卡)' })
  @ApiResult(AttendanceRecordResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'STAFF_NOT_IN_STORE', 'ATTENDANCE_ALREADY_CLOCKED_IN')
  @RequirePermissions('attendance.clock')
  clockIn(@CurrentStaff() actor: StaffActor, @Body() body: ClockInRequest): Promise<AttendanceRecordResponse> {
    return this.attendance.clockIn(actor, body);
  }

  @Post('attendance/clock-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'Clock out (下班打卡)' })
  @ApiResult(AttendanceRecordResponse)
  @ApiErrors('ATTENDANCE_NOT_CLOCKED_IN')
  @RequirePermissions('attendance.clock')
  clockOut(@CurrentStaff() actor: StaffActor, @Body() body: ClockOutRequest): Promise<AttendanceRecordResponse> {
    return this.attendance.clockOut(actor, body);
  }

  @Get('attendance/status')
  @ApiOperation({ summary: 'Am I clocked in, and where' })
  @ApiResult(AttendanceStatusResponse)
  @ApiErrors()
  @RequirePermissions('attendance.clock')
  status(@CurrentStaff() actor: StaffActor): Promise<AttendanceStatusResponse> {
    return this.attendance.status(actor);
  }

  @Get('attendance/mine')
  @ApiOperation({ summary: 'My attendance of a month, per store, day by day' })
  @ApiResult(MyAttendanceResponse)
  @ApiErrors()
  @RequirePermissions('attendance.clock')
  mine(@CurrentStaff() actor: StaffActor, @Query() q: MyAttendanceQuery): Promise<MyAttendanceResponse> {
    return this.attendance.mine(actor, q);
  }

  @Get('attendance/report')
  @ApiOperation({ summary: 'Monthly attendance report of a store (月度考勤): late, early, absent against the schedule' })
  @ApiResult(AttendanceReportResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('attendance.read')
  report(@CurrentStaff() actor: StaffActor, @Query() q: AttendanceMonthQuery): Promise<AttendanceReportResponse> {
    return this.attendance.report(actor, q);
  }

  @Post('attendance/records')
  @ApiOperation({ summary: 'Enter a forgotten stretch of work (补卡, manager)' })
  @ApiResult(AttendanceRecordResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'STAFF_NOT_IN_STORE', 'ATTENDANCE_RECORD_INVALID', 'ATTENDANCE_RECORD_OVERLAP')
  @RequirePermissions('attendance.manage')
  correct(@CurrentStaff() actor: StaffActor, @Body() body: CorrectionRequest): Promise<AttendanceRecordResponse> {
    return this.attendance.correct(actor, body);
  }

  @Patch('attendance/records/:attendanceRecordId')
  @ApiOperation({ summary: 'Change a record’s times, e.g. close one left open (manager)' })
  @ApiResult(AttendanceRecordResponse)
  @ApiErrors('ATTENDANCE_RECORD_NOT_FOUND', 'ATTENDANCE_RECORD_INVALID', 'ATTENDANCE_RECORD_OVERLAP')
  @RequirePermissions('attendance.manage')
  update(@CurrentStaff() actor: StaffActor, @Param('attendanceRecordId') id: string, @Body() body: UpdateRecordRequest): Promise<AttendanceRecordResponse> {
    return this.attendance.update(actor, id, body);
  }

  @Get('attendance-settings')
  @ApiOperation({ summary: 'The attendance rules (grace minutes for late and early)' })
  @ApiResult(AttendanceSettingsResponse)
  @ApiErrors()
  @RequirePermissions('attendance.read')
  settings(): Promise<AttendanceSettingsResponse> {
    return this.attendance.settings();
  }

  @Patch('attendance-settings')
  @RequireChainScope()
  @ApiOperation({ summary: 'Change the attendance rules (HQ)' })
  @ApiResult(AttendanceSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('attendance.manage')
  updateSettings(@Body() body: UpdateAttendanceSettingsRequest): Promise<AttendanceSettingsResponse> {
    return this.attendance.updateSettings(body);
  }
}
