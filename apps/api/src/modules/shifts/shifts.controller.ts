import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  CashMovementRequest,
  CashMovementResultResponse,
  CloseShiftRequest,
  CurrentShiftQuery,
  CurrentShiftResponse,
  ListShiftsQuery,
  OpenShiftRequest,
  ShiftDetailResponse,
  ShiftPageResponse,
  ShiftReportQuery,
  ShiftReportResponse,
  ShiftTakingPageResponse,
  ShiftTakingsQuery,
} from './dto/shift.dto';
import { ShiftsService } from './shifts.service';

/** Shifts (交班): open with a float, cash in / out, close with the counted cash; the day's report. */
@ApiTags('shifts')
@Controller('shifts')
export class ShiftsController {
  constructor(private readonly shifts: ShiftsService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Open my shift at a store with a float (开班)' })
  @ApiResult(ShiftDetailResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'SHIFT_ALREADY_OPEN', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('shift.operate')
  open(@CurrentStaff() actor: StaffActor, @Body() body: OpenShiftRequest): Promise<ShiftDetailResponse> {
    return this.shifts.open(actor, body);
  }

  @Get('current')
  @ApiOperation({ summary: 'My open shift at a store (default: my only store), or null' })
  @ApiResult(CurrentShiftResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('shift.operate')
  current(@CurrentStaff() actor: StaffActor, @Query() q: CurrentShiftQuery): Promise<CurrentShiftResponse> {
    return this.shifts.current(actor, q);
  }

  @Get('report')
  @ApiOperation({ summary: 'Shift report of a store for one business day (交班报表, default today): every shift and the totals' })
  @ApiResult(ShiftReportResponse)
  @ApiErrors('STORE_NOT_FOUND', 'FORBIDDEN')
  @RequirePermissions('shift.manage')
  report(@CurrentStaff() actor: StaffActor, @Query() q: ShiftReportQuery): Promise<ShiftReportResponse> {
    return this.shifts.report(actor, q);
  }

  @Get()
  @ApiOperation({ summary: 'Shifts of the caller’s stores (own shifts only without shift.manage), newest first' })
  @ApiResult(ShiftPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('shift.operate')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListShiftsQuery): Promise<ShiftPageResponse> {
    return this.shifts.list(actor, q);
  }

  @Get(':shiftId')
  @ApiOperation({ summary: 'One shift: figures per payment method, expected cash, cash movements' })
  @ApiResult(ShiftDetailResponse)
  @ApiErrors('SHIFT_NOT_FOUND')
  @RequirePermissions('shift.operate')
  get(@CurrentStaff() actor: StaffActor, @Param('shiftId') id: string): Promise<ShiftDetailResponse> {
    return this.shifts.get(actor, id);
  }

  @Get(':shiftId/takings')
  @ApiOperation({ summary: 'The takings recorded in a shift, oldest first' })
  @ApiResult(ShiftTakingPageResponse)
  @ApiErrors('SHIFT_NOT_FOUND')
  @RequirePermissions('shift.operate')
  takings(@CurrentStaff() actor: StaffActor, @Param('shiftId') id: string, @Query() q: ShiftTakingsQuery): Promise<ShiftTakingPageResponse> {
    return this.shifts.takings(actor, id, q);
  }

  @Post(':shiftId/cash-movements')
  @Idempotent()
  @ApiOperation({ summary: 'Put cash into or take cash out of the drawer, with a reason (备用金补充 / 取款)' })
  @ApiResult(CashMovementResultResponse, 201)
  @ApiErrors('SHIFT_NOT_FOUND', 'SHIFT_CLOSED', 'SHIFT_NOT_YOURS', 'SHIFT_CASH_OUT_EXCEEDS_DRAWER', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('shift.operate')
  moveCash(@CurrentStaff() actor: StaffActor, @Param('shiftId') id: string, @Body() body: CashMovementRequest): Promise<CashMovementResultResponse> {
    return this.shifts.moveCash(actor, id, body);
  }

  @Post(':shiftId/close')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Close a shift with the counted cash (交班); a manager may close another’s (代交班)' })
  @ApiResult(ShiftDetailResponse)
  @ApiErrors('SHIFT_NOT_FOUND', 'SHIFT_CLOSED', 'SHIFT_NOT_YOURS', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('shift.operate')
  close(@CurrentStaff() actor: StaffActor, @Param('shiftId') id: string, @Body() body: CloseShiftRequest): Promise<ShiftDetailResponse> {
    return this.shifts.close(actor, id, body);
  }
}
