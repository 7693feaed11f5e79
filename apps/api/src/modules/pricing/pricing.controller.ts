import { Body, Controller, Get, HttpCode, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PricingSettingsResponse, QuoteRequest, QuoteResponse, UpdatePricingSettingsRequest } from './dto/pricing.dto';
import { PricingService } from './pricing.service';

/** The quote (计价): what a cart costs at a store for a member, every discount explained. */
@ApiTags('pricing')
@Controller()
export class PricingController {
  constructor(private readonly pricing: PricingService) {}

  @Post('orders/quote')
  @HttpCode(200)
  @ApiOperation({ summary: 'Price a cart: lines with their discounts, totals, points usable and earned; a chosen coupon that does not apply says why' })
  @ApiResult(QuoteResponse)
  @ApiErrors(
    'STORE_NOT_FOUND',
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'STAFF_NOT_FOUND',
    'CATALOG_SKU_NOT_FOUND',
    'CATALOG_SKU_INACTIVE',
    'COUPON_NOT_FOUND',
    'COUPON_NOT_OWNED',
    'PRICING_MANUAL_DISCOUNT_FORBIDDEN',
    'PRICING_MANUAL_DISCOUNT_TOO_LARGE',
    'PRICING_POINTS_NEED_MEMBER',
    'PRICING_POINTS_NOT_MULTIPLE',
    'PRICING_POINTS_OVER_LIMIT',
  )
  @RequirePermissions('order.quote')
  quote(@CurrentStaff() actor: StaffActor, @Body() body: QuoteRequest): Promise<QuoteResponse> {
    return this.pricing.quoteAtCounter(actor, body);
  }

  @Get('pricing/settings')
  @ApiOperation({ summary: 'The chain’s standing pricing rules: member price, tier discount and its scope, manual discount cap' })
  @ApiResult(PricingSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('promotion.read')
  settings(): Promise<PricingSettingsResponse> {
    return this.pricing.settings();
  }

  @Patch('pricing/settings')
  @ApiOperation({ summary: 'Change the standing pricing rules (HQ), audited' })
  @ApiResult(PricingSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('pricing.settings.write')
  @RequireChainScope()
  updateSettings(@Body() body: UpdatePricingSettingsRequest): Promise<PricingSettingsResponse> {
    return this.pricing.updateSettings(body);
  }
}
