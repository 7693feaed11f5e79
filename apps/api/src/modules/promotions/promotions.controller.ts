import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { CreatePromotionRequest, ListPromotionsQuery, PromotionPageResponse, PromotionResponse, UpdatePromotionRequest } from './dto/promotion.dto';
import { PromotionsService } from './promotions.service';

/** HQ's promotions (促销活动): member days, full reductions and flash sales; every store reads those that run there. */
@ApiTags('promotions')
@Controller('promotions')
export class PromotionsController {
  constructor(private readonly promotions: PromotionsService) {}

  @Get()
  @ApiOperation({ summary: 'Promotions (store staff: those that run at their stores), optionally only those of one store' })
  @ApiResult(PromotionPageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('promotion.read')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListPromotionsQuery): Promise<PromotionPageResponse> {
    return this.promotions.list(actor, q);
  }

  @Get(':promotionId')
  @ApiOperation({ summary: 'One promotion, with a flash sale’s stock sold' })
  @ApiResult(PromotionResponse)
  @ApiErrors('PROMOTION_NOT_FOUND')
  @RequirePermissions('promotion.read')
  get(@CurrentStaff() actor: StaffActor, @Param('promotionId') id: string): Promise<PromotionResponse> {
    return this.promotions.get(actor, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a member day, a full reduction (满减/满折) or a flash sale (HQ)' })
  @ApiResult(PromotionResponse, 201)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('promotion.write')
  @RequireChainScope()
  create(@Body() body: CreatePromotionRequest): Promise<PromotionResponse> {
    return this.promotions.create(body);
  }

  @Patch(':promotionId')
  @ApiOperation({ summary: 'Edit, pause or end a promotion (HQ)' })
  @ApiResult(PromotionResponse)
  @ApiErrors('FORBIDDEN', 'PROMOTION_NOT_FOUND', 'PROMOTION_FLASH_STOCK_BELOW_SOLD')
  @RequirePermissions('promotion.write')
  @RequireChainScope()
  update(@Param('promotionId') id: string, @Body() body: UpdatePromotionRequest): Promise<PromotionResponse> {
    return this.promotions.update(id, body);
  }
}
