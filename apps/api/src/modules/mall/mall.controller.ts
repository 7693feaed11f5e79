import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery } from '../../common/http/pagination';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  AdjustStockRequest,
  CancelRedemptionRequest,
  CreateGiftRequest,
  GiftPageResponse,
  GiftQuery,
  GiftResponse,
  GiftStockResponse,
  ListGiftsQuery,
  ListRedemptionsQuery,
  PickupRequest,
  RedemptionPageResponse,
  RedemptionResponse,
  SetStockRequest,
  StaffRedemptionRequest,
  StockMovementPageResponse,
  UpdateGiftRequest,
} from './dto/mall.dto';
import { MallService } from './mall.service';

/** Gifts are the chain's (global); stock and redemptions belong to a store. */
@ApiTags('mall')
@Controller('mall')
export class MallController {
  constructor(private readonly mall: MallService) {}

  @Get('gifts')
  @ApiOperation({ summary: 'Points-mall gifts (积分商城礼品), with the stock at a store when storeId is given' })
  @ApiResult(GiftPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('mall.read')
  list(@Query() q: ListGiftsQuery): Promise<GiftPageResponse> {
    return this.mall.listGifts(q);
  }

  @Get('gifts/:giftId')
  @ApiOperation({ summary: 'One gift, with the stock at a store when storeId is given' })
  @ApiResult(GiftResponse)
  @ApiErrors('MALL_GIFT_NOT_FOUND', 'STORE_NOT_FOUND')
  @RequirePermissions('mall.read')
  get(@Param('giftId') giftId: string, @Query() q: GiftQuery): Promise<GiftResponse> {
    return this.mall.gift(giftId, q.storeId);
  }

  @Post('gifts')
  @ApiOperation({ summary: 'Add a gift to the points mall (HQ), with its own stock or a catalog item’s (skuId); audited' })
  @ApiResult(GiftResponse, 201)
  @ApiErrors('FORBIDDEN', 'CATALOG_SKU_NOT_FOUND', 'STOCK_NOT_TRACKED')
  @RequirePermissions('mall.gift.write')
  @RequireChainScope()
  create(@Body() body: CreateGiftRequest): Promise<GiftResponse> {
    return this.mall.createGift(body);
  }

  @Patch('gifts/:giftId')
  @ApiOperation({ summary: 'Edit a gift, its prices or status (HQ); audited' })
  @ApiResult(GiftResponse)
  @ApiErrors('FORBIDDEN', 'MALL_GIFT_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'STOCK_NOT_TRACKED', 'MALL_GIFT_HAS_OWN_STOCK')
  @RequirePermissions('mall.gift.write')
  @RequireChainScope()
  update(@Param('giftId') giftId: string, @Body() body: UpdateGiftRequest): Promise<GiftResponse> {
    return this.mall.updateGift(giftId, body);
  }

  @Post('redemptions/pickup')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Hand a gift over against the member’s pickup code (核销), at the store of the redemption' })
  @ApiResult(RedemptionResponse)
  @ApiErrors('MALL_REDEMPTION_NOT_FOUND', 'STORE_NOT_FOUND', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('mall.redeem')
  pickup(@CurrentStaff() actor: StaffActor, @Body() body: PickupRequest): Promise<RedemptionResponse> {
    return this.mall.pickup(actor, body);
  }

  @Get('redemptions/:redemptionId')
  @ApiOperation({ summary: 'One redemption of the caller’s store' })
  @ApiResult(RedemptionResponse)
  @ApiErrors('MALL_REDEMPTION_NOT_FOUND')
  @RequirePermissions('mall.read')
  redemption(@Param('redemptionId') redemptionId: string): Promise<RedemptionResponse> {
    return this.mall.redemption(redemptionId);
  }

  @Post('redemptions/:redemptionId/cancel')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Cancel an open redemption: points and stock return (a cash part is returned at the counter)' })
  @ApiResult(RedemptionResponse)
  @ApiErrors('MALL_REDEMPTION_NOT_FOUND', 'MALL_REDEMPTION_NOT_PENDING', 'SHIFT_NOT_OPEN', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('mall.redeem')
  cancel(@CurrentStaff() actor: StaffActor, @Param('redemptionId') redemptionId: string, @Body() body: CancelRedemptionRequest): Promise<RedemptionResponse> {
    return this.mall.cancel(actor, redemptionId, body.reason ?? null);
  }
}

@ApiTags('mall')
@Controller('stores/:storeId/mall')
export class StoreMallController {
  constructor(private readonly mall: MallService) {}

  @Get('stock')
  @ApiOperation({ summary: 'Gift stock at a store (门店礼品库存)' })
  @ApiResult([GiftStockResponse])
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('mall.read')
  stock(@Param('storeId') storeId: string): Promise<GiftStockResponse[]> {
    return this.mall.storeStock(storeId);
  }

  @Put('stock/:giftId')
  @Idempotent()
  @ApiOperation({ summary: 'Set a gift’s counted stock at a store (HQ or the store’s manager); recorded as a movement, audited' })
  @ApiResult(GiftStockResponse)
  @ApiErrors('STORE_NOT_FOUND', 'MALL_GIFT_NOT_FOUND', 'MALL_GIFT_STOCK_IN_INVENTORY', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('mall.stock.write')
  setStock(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Param('giftId') giftId: string, @Body() body: SetStockRequest): Promise<GiftStockResponse> {
    return this.mall.setStock(actor, storeId, giftId, body);
  }

  @Post('stock/:giftId/adjustments')
  @Idempotent()
  @ApiOperation({ summary: 'Add or remove gift stock at a store with a note; never below zero; audited' })
  @ApiResult(GiftStockResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'MALL_GIFT_NOT_FOUND', 'MALL_GIFT_STOCK_IN_INVENTORY', 'MALL_STOCK_INSUFFICIENT', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('mall.stock.write')
  adjustStock(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Param('giftId') giftId: string, @Body() body: AdjustStockRequest): Promise<GiftStockResponse> {
    return this.mall.adjustStock(actor, storeId, giftId, body);
  }

  @Get('stock/:giftId/movements')
  @ApiOperation({ summary: 'Every change of a gift’s stock at a store, newest first' })
  @ApiResult(StockMovementPageResponse)
  @ApiErrors('STORE_NOT_FOUND', 'MALL_GIFT_NOT_FOUND')
  @RequirePermissions('mall.read')
  movements(@Param('storeId') storeId: string, @Param('giftId') giftId: string, @Query() q: PageQuery): Promise<StockMovementPageResponse> {
    return this.mall.movements(storeId, giftId, q);
  }

  @Get('redemptions')
  @ApiOperation({ summary: 'Redemptions to be picked up (or done) at a store' })
  @ApiResult(RedemptionPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('mall.read')
  redemptions(@Param('storeId') storeId: string, @Query() q: ListRedemptionsQuery): Promise<RedemptionPageResponse> {
    return this.mall.storeRedemptions(storeId, q);
  }
}

@ApiTags('mall')
@Controller('members/:memberId/mall')
export class MemberMallController {
  constructor(private readonly mall: MallService) {}

  @Post('redemptions')
  @Idempotent()
  @ApiOperation({ summary: 'Redeem a gift for a member at the counter, taking any cash part by cash or bank card' })
  @ApiResult(RedemptionResponse, 201)
  @ApiErrors(
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'MALL_GIFT_NOT_FOUND',
    'MALL_GIFT_OFF_SALE',
    'MALL_PAYMENT_METHOD_REQUIRED',
    'MALL_STOCK_INSUFFICIENT',
    'MALL_LIMIT_REACHED',
    'POINTS_INSUFFICIENT',
    'SHIFT_NOT_OPEN',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  @RequirePermissions('mall.redeem')
  redeem(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: StaffRedemptionRequest): Promise<RedemptionResponse> {
    return this.mall.redeemAtCounter(actor, memberId, body);
  }
}
