import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor } from '../../common/auth/actor';
import { CurrentMember, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { ChangePayPasswordRequest, PayPasswordStatusResponse, ResetPayPasswordRequest } from './dto/pay-password.dto';
import { PayPasswordService } from './pay-password.service';

@ApiTags('me')
@Controller('me/pay-password')
export class MyPayPasswordController {
  constructor(private readonly payPasswords: PayPasswordService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'Whether my payment password is set, and whether it is locked (member app)' })
  @ApiResult(PayPasswordStatusResponse)
  @ApiErrors('UNAUTHENTICATED')
  status(@CurrentMember() member: MemberActor): Promise<PayPasswordStatusResponse> {
    return this.payPasswords.status(member.id);
  }

  @Put()
  @HttpCode(204)
  @MemberRoute()
  @ApiOperation({ summary: 'Set or change my payment password (设置/修改支付密码, member app)' })
  @ApiNoContentResponse()
  @ApiErrors('UNAUTHENTICATED', 'MEMBER_NOT_ACTIVE', 'MEMBER_PAY_PASSWORD_WEAK', 'MEMBER_PAY_PASSWORD_REQUIRED', 'MEMBER_PAY_PASSWORD_WRONG', 'MEMBER_PAY_PASSWORD_LOCKED')
  change(@CurrentMember() member: MemberActor, @Body() body: ChangePayPasswordRequest): Promise<void> {
    return this.payPasswords.changeMine(member.id, body);
  }
}

@ApiTags('members')
@Controller('members/:memberId/pay-password')
export class MemberPayPasswordController {
  constructor(private readonly payPasswords: PayPasswordService) {}

  @Post('reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Clear a member’s payment password so the member sets a new one (重置支付密码, HQ)' })
  @ApiNoContentResponse()
  @ApiErrors('FORBIDDEN', 'MEMBER_NOT_FOUND')
  @RequirePermissions('member.pay-password.reset')
  @RequireChainScope()
  reset(@Param('memberId') memberId: string, @Body() body: ResetPayPasswordRequest): Promise<void> {
    return this.payPasswords.reset(memberId, body);
  }
}
