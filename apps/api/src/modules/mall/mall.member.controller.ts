import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor } from '../../common/auth/actor';
import { CurrentMember, MemberRoute } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  CancelRedemptionRequest,
  GiftPageResponse,
  ListGiftsQuery,
  ListRedemptionsQuery,
  MyRedemptionRequest,
  RedemptionPageResponse,
  RedemptionResponse,
} from './dto/mall.dto';
import { MallService } from './mall.service';

/** The points mall in the member mini-program. */
@ApiTags('me')
@Controller('me/mall')
export class MyMallController {
  constructor(private readonly mall: MallService) {}

  @Get('gifts')
  @MemberRoute()
  @ApiOperation({ summary: 'Gifts on sale, with the stock at the store I choose (member app)' })
  @ApiResult(GiftPageResponse)
  @ApiErrors('UNAUTHENTICATED', 'STORE_NOT_FOUND')
  gifts(@Query() q: ListGiftsQuery): Promise<GiftPageResponse> {
    return this.mall.listGiftsForMember(q);
  }

  @Get('redemptions')
  @MemberRoute()
  @ApiOperation({ summary: 'My redemptions with their pickup codes (member app)' })
  @ApiResult(RedemptionPageResponse)
  @ApiErrors('UNAUTHENTICATED')
  redemptions(@CurrentMember() member: MemberActor, @Query() q: ListRedemptionsQuery): Promise<RedemptionPageResponse> {
    return this.mall.myRedemptions(member.id, q);
  }

  @Post('redemptions')
  @MemberRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Redeem a points-only gift for pickup at a store (member app)' })
  @ApiResult(RedemptionResponse, 201)
  @ApiErrors(
    'UNAUTHENTICATED',
    'MEMBER_NOT_ACTIVE',
    'STORE_NOT_FOUND',
    'MALL_GIFT_NOT_FOUND',
    'MALL_GIFT_OFF_SALE',
    'MALL_GIFT_NEEDS_PAYMENT',
    'MALL_STOCK_INSUFFICIENT',
    'MALL_LIMIT_REACHED',
    'POINTS_INSUFFICIENT',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  redeem(@CurrentMember() member: MemberActor, @Body() body: MyRedemptionRequest): Promise<RedemptionResponse> {
    return this.mall.redeemAsMember(member, body);
  }

  @Post('redemptions/:redemptionId/cancel')
  @MemberRoute()
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Cancel my redemption before pickup: points and stock return (member app)' })
  @ApiResult(RedemptionResponse)
  @ApiErrors('UNAUTHENTICATED', 'MALL_REDEMPTION_NOT_FOUND', 'MALL_REDEMPTION_NOT_PENDING', 'MALL_CANCEL_AT_COUNTER', 'IDEMPOTENCY_KEY_REQUIRED')
  cancel(@CurrentMember() member: MemberActor, @Param('redemptionId') redemptionId: string, @Body() body: CancelRedemptionRequest): Promise<RedemptionResponse> {
    return this.mall.cancel(member, redemptionId, body.reason ?? null);
  }
}
