import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor as Actor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import {
  CreateRoleRequest,
  CreateStaffRequest,
  ListStaffQuery,
  PermissionResponse,
  ResetPasswordRequest,
  RoleResponse,
  StaffPageResponse,
  StaffResponse,
  UpdateRoleRequest,
  UpdateStaffRequest,
} from './dto/staff.dto';
import { StaffService } from './staff.service';

@ApiTags('staff')
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @ApiOperation({ summary: 'List staff of the stores the caller reaches (员工列表)' })
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('staff.read')
  @ApiResult(StaffPageResponse)
  list(@CurrentStaff() actor: Actor, @Query() q: ListStaffQuery): Promise<StaffPageResponse> {
    return this.staff.list(actor, q);
  }

  @Get(':staffId')
  @ApiOperation({ summary: 'One staff member' })
  @ApiErrors('STAFF_NOT_FOUND')
  @RequirePermissions('staff.read')
  @ApiResult(StaffResponse)
  get(@Param('staffId') staffId: string): Promise<StaffResponse> {
    return this.staff.get(staffId);
  }

  @Post()
  @ApiOperation({ summary: 'Create a staff account' })
  @ApiErrors('FORBIDDEN', 'STAFF_LOGIN_TAKEN', 'ROLE_NOT_FOUND', 'ROLE_ESCALATION', 'STORE_NOT_FOUND', 'STAFF_NEEDS_STORE')
  @RequirePermissions('staff.write')
  @ApiResult(StaffResponse, 201)
  create(@CurrentStaff() actor: Actor, @Body() body: CreateStaffRequest): Promise<StaffResponse> {
    return this.staff.create(actor, body);
  }

  @Patch(':staffId')
  @ApiOperation({ summary: 'Edit a staff account: name, phone, status, roles, stores' })
  @ApiErrors('FORBIDDEN', 'STAFF_NOT_FOUND', 'STAFF_LOGIN_TAKEN', 'ROLE_ESCALATION', 'STAFF_CANNOT_DISABLE_SELF')
  @RequirePermissions('staff.write')
  @ApiResult(StaffResponse)
  update(@CurrentStaff() actor: Actor, @Param('staffId') staffId: string, @Body() body: UpdateStaffRequest): Promise<StaffResponse> {
    return this.staff.update(actor, staffId, body);
  }

  @Post(':staffId/reset-password')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Set a new password for a staff member and sign out all of their sessions' })
  @ApiErrors('FORBIDDEN', 'STAFF_NOT_FOUND', 'ROLE_ESCALATION')
  @RequirePermissions('staff.write')
  resetPassword(@CurrentStaff() actor: Actor, @Param('staffId') staffId: string, @Body() body: ResetPasswordRequest): Promise<void> {
    return this.staff.resetPassword(actor, staffId, body.password);
  }
}

@ApiTags('roles')
@Controller()
export class RolesController {
  constructor(private readonly staff: StaffService) {}

  @Get('permissions')
  @ApiOperation({ summary: 'Every permission a role can hold' })
  @ApiErrors('UNAUTHENTICATED')
  @ApiResult([PermissionResponse])
  permissions(): PermissionResponse[] {
    return this.staff.permissions();
  }

  @Get('roles')
  @ApiOperation({ summary: 'List roles' })
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('role.read')
  @ApiResult([RoleResponse])
  list(): Promise<RoleResponse[]> {
    return this.staff.listRoles();
  }

  @Get('roles/:roleId')
  @ApiOperation({ summary: 'One role' })
  @ApiErrors('ROLE_NOT_FOUND')
  @RequirePermissions('role.read')
  @ApiResult(RoleResponse)
  get(@Param('roleId') roleId: string): Promise<RoleResponse> {
    return this.staff.getRole(roleId);
  }

  @Post('roles')
  @ApiOperation({ summary: 'Create a role (HQ only)' })
  @ApiErrors('FORBIDDEN', 'ROLE_CODE_TAKEN')
  @RequirePermissions('role.write')
  @RequireChainScope()
  @ApiResult(RoleResponse, 201)
  create(@Body() body: CreateRoleRequest): Promise<RoleResponse> {
    return this.staff.createRole(body);
  }

  @Patch('roles/:roleId')
  @ApiOperation({ summary: "Edit a role's names or permissions (HQ only)" })
  @ApiErrors('FORBIDDEN', 'ROLE_NOT_FOUND')
  @RequirePermissions('role.write')
  @RequireChainScope()
  @ApiResult(RoleResponse)
  update(@Param('roleId') roleId: string, @Body() body: UpdateRoleRequest): Promise<RoleResponse> {
    return this.staff.updateRole(roleId, body);
  }

  @Delete('roles/:roleId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Delete an unused custom role (HQ only)' })
  @ApiErrors('FORBIDDEN', 'ROLE_NOT_FOUND', 'ROLE_BUILT_IN', 'ROLE_IN_USE')
  @RequirePermissions('role.write')
  @RequireChainScope()
  remove(@Param('roleId') roleId: string): Promise<void> {
    return this.staff.deleteRole(roleId);
  }
}
