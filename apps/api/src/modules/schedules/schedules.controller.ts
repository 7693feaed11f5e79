import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import {
  AddScheduleExceptionRequest,
  MyScheduleResponse,
  RosterResponse,
  ScheduleExceptionResponse,
  ScheduleRangeQuery,
  SetWeeklyScheduleRequest,
  StaffScheduleResponse,
} from './dto/schedule.dto';
import { SchedulesService } from './schedules.service';

/** Work schedules (排班): weekly schedules per store, leave and extra shifts. */
@ApiTags('schedules')
@Controller()
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get('stores/:storeId/schedules')
  @ApiOperation({ summary: 'The store’s roster (排班表): opening hours and each scheduled staff member’s working time per day' })
  @ApiResult(RosterResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('schedule.read')
  roster(@Param('storeId') storeId: string, @Query() q: ScheduleRangeQuery): Promise<RosterResponse> {
    return this.schedules.roster(storeId, q);
  }

  @Put('stores/:storeId/staff/:staffId/weekly-schedule')
  @ApiOperation({ summary: 'Set a staff member’s weekly schedule at the store (周排班, replaces the previous one)' })
  @ApiResult(StaffScheduleResponse)
  @ApiErrors('STORE_NOT_FOUND', 'STAFF_NOT_FOUND', 'STAFF_NOT_IN_STORE', 'SCHEDULE_OVERLAP')
  @RequirePermissions('schedule.write')
  setWeekly(@Param('storeId') storeId: string, @Param('staffId') staffId: string, @Body() body: SetWeeklyScheduleRequest): Promise<StaffScheduleResponse> {
    return this.schedules.setWeekly(storeId, staffId, body);
  }

  @Post('stores/:storeId/staff/:staffId/schedule-exceptions')
  @ApiOperation({ summary: 'Add leave (请假) or an extra shift (加班) on one day' })
  @ApiResult(ScheduleExceptionResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'STAFF_NOT_FOUND', 'STAFF_NOT_IN_STORE', 'SCHEDULE_OVERLAP')
  @RequirePermissions('schedule.write')
  addException(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Param('staffId') staffId: string, @Body() body: AddScheduleExceptionRequest): Promise<ScheduleExceptionResponse> {
    return this.schedules.addException(actor, storeId, staffId, body);
  }

  @Delete('schedule-exceptions/:scheduleExceptionId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Remove a leave or extra shift' })
  @ApiErrors('SCHEDULE_EXCEPTION_NOT_FOUND')
  @RequirePermissions('schedule.write')
  removeException(@Param('scheduleExceptionId') id: string): Promise<void> {
    return this.schedules.removeException(id);
  }

  @Get('schedules/mine')
  @ApiOperation({ summary: 'My own schedule at every store where I have one' })
  @ApiResult(MyScheduleResponse)
  @ApiErrors()
  @RequirePermissions('schedule.read')
  mine(@CurrentStaff() actor: StaffActor, @Query() q: ScheduleRangeQuery): Promise<MyScheduleResponse> {
    return this.schedules.mine(actor, q);
  }
}
