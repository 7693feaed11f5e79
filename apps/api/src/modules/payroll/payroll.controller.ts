import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import {
  ClosePayrollMonthRequest,
  CreateWageAdjustmentRequest,
  MyPayslipQuery,
  MyPayslipResponse,
  PayrollMonthQuery,
  PayrollMonthResponse,
  PayrollMonthSummaryResponse,
  SetWageProfileRequest,
  WageAdjustmentResponse,
  WageProfileResponse,
} from './dto/payroll.dto';
import { PayrollService } from './payroll.service';

/** Wages (工资): base salaries, bonuses and deductions, payslips, and the monthly close (HQ). */
@ApiTags('payroll')
@Controller()
export class PayrollController {
  constructor(private readonly payroll: PayrollService) {}

  @Get('staff/:staffId/wage-profile')
  @ApiOperation({ summary: 'A staff member’s base salary' })
  @ApiResult(WageProfileResponse)
  @ApiErrors('STAFF_NOT_FOUND')
  @RequirePermissions('payroll.read')
  profile(@Param('staffId') staffId: string): Promise<WageProfileResponse> {
    return this.payroll.profile(staffId);
  }

  @Put('staff/:staffId/wage-profile')
  @RequireChainScope()
  @ApiOperation({ summary: 'Set a staff member’s monthly base salary (基本工资, HQ)' })
  @ApiResult(WageProfileResponse)
  @ApiErrors('STAFF_NOT_FOUND', 'FORBIDDEN')
  @RequirePermissions('payroll.manage')
  setProfile(@CurrentStaff() actor: StaffActor, @Param('staffId') staffId: string, @Body() body: SetWageProfileRequest): Promise<WageProfileResponse> {
    return this.payroll.setProfile(actor, staffId, body);
  }

  @Get('payroll/payslips')
  @ApiOperation({ summary: 'A month’s payslips (default this month): live while open, fixed once closed' })
  @ApiResult(PayrollMonthResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('payroll.read')
  month(@CurrentStaff() actor: StaffActor, @Query() q: PayrollMonthQuery): Promise<PayrollMonthResponse> {
    return this.payroll.month(actor, q);
  }

  @Get('payroll/my-payslip')
  @ApiOperation({ summary: 'My payslip (工资条) of a month, with its bonuses and deductions' })
  @ApiResult(MyPayslipResponse)
  @ApiErrors()
  mine(@CurrentStaff() actor: StaffActor, @Query() q: MyPayslipQuery): Promise<MyPayslipResponse> {
    return this.payroll.mine(actor, q);
  }

  @Get('payroll/months')
  @ApiOperation({ summary: 'Payroll months seen so far, newest first, with their status' })
  @ApiResult([PayrollMonthSummaryResponse])
  @ApiErrors()
  @RequirePermissions('payroll.read')
  months(): Promise<PayrollMonthSummaryResponse[]> {
    return this.payroll.list();
  }

  @Get('payroll/adjustments')
  @ApiOperation({ summary: 'Bonuses and deductions of a month' })
  @ApiResult([WageAdjustmentResponse])
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('payroll.read')
  adjustments(@CurrentStaff() actor: StaffActor, @Query() q: PayrollMonthQuery): Promise<WageAdjustmentResponse[]> {
    return this.payroll.adjustments(actor, q);
  }

  @Post('payroll/adjustments')
  @RequireChainScope()
  @ApiOperation({ summary: 'Add a bonus (奖金) or deduction (扣款) to an open month (HQ)' })
  @ApiResult(WageAdjustmentResponse, 201)
  @ApiErrors('STAFF_NOT_FOUND', 'PAYROLL_MONTH_CLOSED', 'FORBIDDEN')
  @RequirePermissions('payroll.manage')
  addAdjustment(@CurrentStaff() actor: StaffActor, @Body() body: CreateWageAdjustmentRequest): Promise<WageAdjustmentResponse> {
    return this.payroll.addAdjustment(actor, body);
  }

  @Delete('payroll/adjustments/:wageAdjustmentId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @RequireChainScope()
  @ApiOperation({ summary: 'Remove a bonus or deduction of an open month (HQ)' })
  @ApiErrors('PAYROLL_ADJUSTMENT_NOT_FOUND', 'PAYROLL_MONTH_CLOSED', 'FORBIDDEN')
  @RequirePermissions('payroll.manage')
  removeAdjustment(@Param('wageAdjustmentId') id: string): Promise<void> {
    return this.payroll.removeAdjustment(id);
  }

  @Post('payroll/close')
  @HttpCode(200)
  @RequireChainScope()
  @ApiOperation({ summary: 'Close an ended month (关账, HQ): payslips are fixed and the month becomes read-only' })
  @ApiResult(PayrollMonthResponse)
  @ApiErrors('PAYROLL_MONTH_CLOSED', 'PAYROLL_MONTH_NOT_OVER', 'FORBIDDEN')
  @RequirePermissions('payroll.manage')
  close(@CurrentStaff() actor: StaffActor, @Body() body: ClosePayrollMonthRequest): Promise<PayrollMonthResponse> {
    return this.payroll.close(actor, body);
  }
}
