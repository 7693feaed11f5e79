import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { CommissionService } from './commission.service';
import {
  CommissionEntriesQuery,
  CommissionEntryPageResponse,
  CommissionRuleResponse,
  CreateCommissionRuleRequest,
  CreateStaffLevelRequest,
  ListCommissionRulesQuery,
  MyCommissionQuery,
  PerformanceQuery,
  PerformanceResponse,
  SetStaffLevelRequest,
  StaffLevelOfResponse,
  StaffLevelResponse,
  UpdateCommissionRuleRequest,
  UpdateStaffLevelRequest,
} from './dto/commission.dto';

/** Commission (提成): staff levels and rules (HQ), the commission ledger and staff performance. */
@ApiTags('commission')
@Controller()
export class CommissionController {
  constructor(private readonly commission: CommissionService) {}

  @Get('staff-levels')
  @ApiOperation({ summary: 'Staff levels (员工等级)' })
  @ApiResult([StaffLevelResponse])
  @ApiErrors()
  @RequirePermissions('commission.read')
  levels(): Promise<StaffLevelResponse[]> {
    return this.commission.levels();
  }

  @Post('staff-levels')
  @RequireChainScope()
  @ApiOperation({ summary: 'Add a staff level (HQ)' })
  @ApiResult(StaffLevelResponse, 201)
  @ApiErrors('STAFF_LEVEL_NAME_TAKEN', 'FORBIDDEN')
  @RequirePermissions('commission.rules.write')
  createLevel(@Body() body: CreateStaffLevelRequest): Promise<StaffLevelResponse> {
    return this.commission.createLevel(body);
  }

  @Patch('staff-levels/:staffLevelId')
  @RequireChainScope()
  @ApiOperation({ summary: 'Rename or reorder a staff level (HQ)' })
  @ApiResult(StaffLevelResponse)
  @ApiErrors('STAFF_LEVEL_NOT_FOUND', 'STAFF_LEVEL_NAME_TAKEN', 'FORBIDDEN')
  @RequirePermissions('commission.rules.write')
  updateLevel(@Param('staffLevelId') id: string, @Body() body: UpdateStaffLevelRequest): Promise<StaffLevelResponse> {
    return this.commission.updateLevel(id, body);
  }

  @Delete('staff-levels/:staffLevelId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @RequireChainScope()
  @ApiOperation({ summary: 'Delete a staff level nobody holds and no rule names (HQ)' })
  @ApiErrors('STAFF_LEVEL_NOT_FOUND', 'STAFF_LEVEL_IN_USE', 'FORBIDDEN')
  @RequirePermissions('commission.rules.write')
  deleteLevel(@Param('staffLevelId') id: string): Promise<void> {
    return this.commission.deleteLevel(id);
  }

  @Get('staff/:staffId/level')
  @ApiOperation({ summary: 'A staff member’s level' })
  @ApiResult(StaffLevelOfResponse)
  @ApiErrors('STAFF_NOT_FOUND')
  @RequirePermissions('commission.read')
  levelOf(@Param('staffId') staffId: string): Promise<StaffLevelOfResponse> {
    return this.commission.levelOf(staffId);
  }

  @Put('staff/:staffId/level')
  @RequireChainScope()
  @ApiOperation({ summary: 'Put a staff member at a level, or none (HQ); applies to sales from now on' })
  @ApiResult(StaffLevelOfResponse)
  @ApiErrors('STAFF_NOT_FOUND', 'STAFF_LEVEL_NOT_FOUND', 'FORBIDDEN')
  @RequirePermissions('commission.rules.write')
  setLevel(@Param('staffId') staffId: string, @Body() body: SetStaffLevelRequest): Promise<StaffLevelOfResponse> {
    return this.commission.setLevel(staffId, body);
  }

  @Get('commission-rules')
  @ApiOperation({ summary: 'Commission rules (提成规则)' })
  @ApiResult([CommissionRuleResponse])
  @ApiErrors()
  @RequirePermissions('commission.read')
  rules(@Query() q: ListCommissionRulesQuery): Promise<CommissionRuleResponse[]> {
    return this.commission.rules(q);
  }

  @Post('commission-rules')
  @RequireChainScope()
  @ApiOperation({ summary: 'Add a commission rule (HQ): per service, product, count card, top-up or card issued; fixed or percent; by level' })
  @ApiResult(CommissionRuleResponse, 201)
  @ApiErrors('COMMISSION_RULE_INVALID', 'COMMISSION_RULE_DUPLICATE', 'CATALOG_PRODUCT_NOT_FOUND', 'COUNT_CARD_TEMPLATE_NOT_FOUND', 'STAFF_LEVEL_NOT_FOUND', 'FORBIDDEN')
  @RequirePermissions('commission.rules.write')
  createRule(@Body() body: CreateCommissionRuleRequest): Promise<CommissionRuleResponse> {
    return this.commission.createRule(body);
  }

  @Get('commission-rules/:commissionRuleId')
  @ApiOperation({ summary: 'One commission rule' })
  @ApiResult(CommissionRuleResponse)
  @ApiErrors('COMMISSION_RULE_NOT_FOUND')
  @RequirePermissions('commission.read')
  rule(@Param('commissionRuleId') id: string): Promise<CommissionRuleResponse> {
    return this.commission.rule(id);
  }

  @Patch('commission-rules/:commissionRuleId')
  @RequireChainScope()
  @ApiOperation({ summary: 'Change a rule’s figures, split or active flag (HQ); applies to sales from now on' })
  @ApiResult(CommissionRuleResponse)
  @ApiErrors('COMMISSION_RULE_NOT_FOUND', 'COMMISSION_RULE_INVALID', 'COMMISSION_RULE_DUPLICATE', 'FORBIDDEN')
  @RequirePermissions('commission.rules.write')
  updateRule(@Param('commissionRuleId') id: string, @Body() body: UpdateCommissionRuleRequest): Promise<CommissionRuleResponse> {
    return this.commission.updateRule(id, body);
  }

  @Get('commission/entries')
  @ApiOperation({ summary: 'The commission ledger (提成流水) of the caller’s stores, newest first, with the filtered total' })
  @ApiResult(CommissionEntryPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('commission.read')
  entries(@CurrentStaff() actor: StaffActor, @Query() q: CommissionEntriesQuery): Promise<CommissionEntryPageResponse> {
    return this.commission.entries(actor, q);
  }

  @Get('commission/mine')
  @ApiOperation({ summary: 'My own commission of a payroll month (default this month)' })
  @ApiResult(CommissionEntryPageResponse)
  @ApiErrors()
  mine(@CurrentStaff() actor: StaffActor, @Query() q: MyCommissionQuery): Promise<CommissionEntryPageResponse> {
    return this.commission.mine(actor, q);
  }

  @Get('commission/performance')
  @ApiOperation({ summary: 'Staff performance (员工业绩): sales, services performed, cards and top-ups sold, bookings served, commission, per period' })
  @ApiResult(PerformanceResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('commission.read')
  performance(@CurrentStaff() actor: StaffActor, @Query() q: PerformanceQuery): Promise<PerformanceResponse> {
    return this.commission.performance(actor, q);
  }
}
