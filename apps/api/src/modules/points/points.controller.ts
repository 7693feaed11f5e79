import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery } from '../../common/http/pagination';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  ExpiryRunResponse,
  MemberPointsResponse,
  MyPointExchangeRequest,
  PointAdjustmentRequest,
  PointAdjustmentResponse,
  PointEntryPageResponse,
  PointExchangeRequest,
  PointExchangeResponse,
  PointsSettingsResponse,
  UpdatePointsSettingsRequest,
} from './dto/points.dto';
import { PointsService } from './points.service';

@ApiTags('points')
@Controller('points')
export class PointsSettingsController {
  constructor(private readonly points: PointsService) {}

  @Get('settings')
  @ApiOperation({ summary: 'The chain’s points rules (积分规则)' })
  @ApiResult(PointsSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('points.read')
  settings(): Promise<PointsSettingsResponse> {
    return this.points.settings();
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Change the points rules (HQ); audited' })
  @ApiResult(PointsSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('points.settings.write')
  @RequireChainScope()
  update(@Body() body: UpdatePointsSettingsRequest): Promise<PointsSettingsResponse> {
    return this.points.updateSettings(body);
  }

  @Post('expiry-runs')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Expire the points whose date has passed now (also runs hourly); running it twice expires nothing twice (HQ)' })
  @ApiResult(ExpiryRunResponse)
  @ApiErrors('FORBIDDEN', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('points.settings.write')
  @RequireChainScope()
  expire(): Promise<ExpiryRunResponse> {
    return this.points.expirePoints();
  }
}

@ApiTags('points')
@Controller('members/:memberId/points')
export class MemberPointsController {
  constructor(private readonly points: PointsService) {}

  @Get()
  @ApiOperation({ summary: 'A member’s points: balance, lots by earning year and the next points to expire' })
  @ApiResult(MemberPointsResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('points.read')
  get(@Param('memberId') memberId: string): Promise<MemberPointsResponse> {
    return this.points.memberPoints(memberId);
  }

  @Get('entries')
  @ApiOperation({ summary: 'A member’s points history (积分明细), newest first' })
  @ApiResult(PointEntryPageResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('points.read')
  entries(@Param('memberId') memberId: string, @Query() q: PageQuery): Promise<PointEntryPageResponse> {
    return this.points.entries(memberId, q);
  }

  @Post('adjustments')
  @Idempotent()
  @ApiOperation({ summary: 'Adjust a member’s points by hand with a reason (手工调整积分); audited' })
  @ApiResult(PointAdjustmentResponse, 201)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'POINTS_INSUFFICIENT', 'STORE_NOT_FOUND', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('points.adjust')
  adjust(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: PointAdjustmentRequest): Promise<PointAdjustmentResponse> {
    return this.points.adjust(actor, memberId, body);
  }

  @Post('exchanges')
  @Idempotent()
  @ApiOperation({ summary: 'Exchange a member’s points for bonus stored value at the counter (积分兑换储值)' })
  @ApiResult(PointExchangeResponse, 201)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'POINTS_INSUFFICIENT', 'POINTS_EXCHANGE_DISABLED', 'POINTS_EXCHANGE_NOT_MULTIPLE', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('points.exchange')
  exchange(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: PointExchangeRequest): Promise<PointExchangeResponse> {
    return this.points.exchange(actor, memberId, { points: body.points, storeId: body.storeId });
  }
}

/** The member’s own points, for the member mini-program. */
@ApiTags('me')
@Controller('me/points')
export class MyPointsController {
  constructor(private readonly points: PointsService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'My points: balance and the next points to expire (member app)' })
  @ApiResult(MemberPointsResponse)
  @ApiErrors('UNAUTHENTICATED')
  get(@CurrentMember() member: MemberActor): Promise<MemberPointsResponse> {
    return this.points.memberPoints(member.id);
  }

  @Get('entries')
  @MemberRoute()
  @ApiOperation({ summary: 'My points history (member app)' })
  @ApiResult(PointEntryPageResponse)
  @ApiErrors('UNAUTHENTICATED')
  entries(@CurrentMember() member: MemberActor, @Query() q: PageQuery): Promise<PointEntryPageResponse> {
    return this.points.entries(member.id, q);
  }

  @Post('exchanges')
  @MemberRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Exchange my points for bonus stored value (member app)' })
  @ApiResult(PointExchangeResponse, 201)
  @ApiErrors('UNAUTHENTICATED', 'MEMBER_NOT_ACTIVE', 'POINTS_INSUFFICIENT', 'POINTS_EXCHANGE_DISABLED', 'POINTS_EXCHANGE_NOT_MULTIPLE', 'IDEMPOTENCY_KEY_REQUIRED')
  exchange(@CurrentMember() member: MemberActor, @Body() body: MyPointExchangeRequest): Promise<PointExchangeResponse> {
    return this.points.exchange(member, member.id, { points: body.points, storeId: null });
  }
}
