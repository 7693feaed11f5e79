import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery } from '../../common/http/pagination';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  BuyTierRequest,
  ChangeTierRequest,
  CreateTierRequest,
  MemberTierResponse,
  MyTierPurchaseRequest,
  TierChangePageResponse,
  TierPurchaseResponse,
  TierResponse,
  UpdateTierRequest,
} from './dto/tier.dto';
import { TiersService } from './tiers.service';

/** Tier definitions (会员等级), set by HQ for every store. */
@ApiTags('tiers')
@Controller('tiers')
export class TiersController {
  constructor(private readonly tiers: TiersService) {}

  @Get()
  @ApiOperation({ summary: 'Tiers in level order (会员等级)' })
  @ApiResult([TierResponse])
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('tier.read')
  list(): Promise<TierResponse[]> {
    return this.tiers.list();
  }

  @Get(':tierId')
  @ApiOperation({ summary: 'One tier' })
  @ApiResult(TierResponse)
  @ApiErrors('TIER_NOT_FOUND')
  @RequirePermissions('tier.read')
  get(@Param('tierId') tierId: string): Promise<TierResponse> {
    return this.tiers.get(tierId);
  }

  @Post()
  @ApiOperation({ summary: 'Create a tier (HQ); the first tier is the initial one' })
  @ApiResult(TierResponse, 201)
  @ApiErrors('FORBIDDEN', 'TIER_LEVEL_TAKEN')
  @RequirePermissions('tier.write')
  @RequireChainScope()
  create(@Body() body: CreateTierRequest): Promise<TierResponse> {
    return this.tiers.create(body);
  }

  @Patch(':tierId')
  @ApiOperation({ summary: 'Edit a tier (HQ): discount, multiplier, benefits, upgrade rule, price' })
  @ApiResult(TierResponse)
  @ApiErrors('FORBIDDEN', 'TIER_NOT_FOUND', 'TIER_LEVEL_TAKEN', 'TIER_INITIAL_REQUIRED')
  @RequirePermissions('tier.write')
  @RequireChainScope()
  update(@Param('tierId') tierId: string, @Body() body: UpdateTierRequest): Promise<TierResponse> {
    return this.tiers.update(tierId, body);
  }

  @Delete(':tierId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Retire a tier nobody holds (HQ); its history stays' })
  @ApiErrors('FORBIDDEN', 'TIER_NOT_FOUND', 'TIER_INITIAL_REQUIRED', 'TIER_IN_USE')
  @RequirePermissions('tier.write')
  @RequireChainScope()
  archive(@Param('tierId') tierId: string): Promise<void> {
    return this.tiers.archive(tierId);
  }
}

/** A member's tier, seen and changed by staff. */
@ApiTags('tiers')
@Controller('members/:memberId')
export class MemberTierController {
  constructor(private readonly tiers: TiersService) {}

  @Get('tier')
  @ApiOperation({ summary: 'A member’s tier, bought-tier expiry and progress to the next tier' })
  @ApiResult(MemberTierResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.read')
  get(@Param('memberId') memberId: string): Promise<MemberTierResponse> {
    return this.tiers.memberTier(memberId);
  }

  @Post('tier')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change a member’s tier by hand, with a reason (手动调级, audited)' })
  @ApiResult(MemberTierResponse)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'TIER_NOT_FOUND', 'FORBIDDEN')
  @RequirePermissions('tier.change')
  change(@Param('memberId') memberId: string, @Body() body: ChangeTierRequest): Promise<MemberTierResponse> {
    return this.tiers.changeTier(memberId, body);
  }

  @Get('tier-changes')
  @ApiOperation({ summary: 'A member’s tier history (等级变动记录), newest first' })
  @ApiResult(TierChangePageResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.read')
  changes(@Param('memberId') memberId: string, @Query() q: PageQuery): Promise<TierChangePageResponse> {
    return this.tiers.changes(memberId, q);
  }

  @Post('tier-purchases')
  @Idempotent()
  @ApiOperation({ summary: 'Sell a paid tier at the counter (付费会员): cash, bank card or stored value' })
  @ApiResult(TierPurchaseResponse, 201)
  @ApiErrors(
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'TIER_NOT_FOUND',
    'TIER_NOT_PURCHASABLE',
    'TIER_BELOW_CURRENT',
    'STORE_NOT_FOUND',
    'MEMBER_PAY_PASSWORD_REQUIRED',
    'MEMBER_PAY_PASSWORD_WRONG',
    'WALLET_INSUFFICIENT_BALANCE',
    'SHIFT_NOT_OPEN',
    'IDEMPOTENCY_KEY_REQUIRED',
    'IDEMPOTENCY_KEY_IN_FLIGHT',
    'IDEMPOTENCY_KEY_REUSED',
  )
  @RequirePermissions('tier.sell')
  purchase(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: BuyTierRequest): Promise<TierPurchaseResponse> {
    return this.tiers.purchase(actor, memberId, body);
  }
}

/** The member app: my tier and what each tier offers. Buying in the app comes with WeChat Pay. */
@ApiTags('me')
@Controller('me')
export class MeTierController {
  constructor(private readonly tiers: TiersService) {}

  @Get('tier')
  @MemberRoute()
  @ApiOperation({ summary: 'My tier and how far the next one is (member app)' })
  @ApiResult(MemberTierResponse)
  @ApiErrors('UNAUTHENTICATED')
  mine(@CurrentMember() member: MemberActor): Promise<MemberTierResponse> {
    return this.tiers.memberTier(member.id);
  }

  @Get('tiers')
  @MemberRoute()
  @ApiOperation({ summary: 'All tiers with their benefits (member app)' })
  @ApiResult([TierResponse])
  @ApiErrors('UNAUTHENTICATED')
  all(): Promise<TierResponse[]> {
    return this.tiers.list();
  }

  @Post('tier-purchases')
  @MemberRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Buy a paid tier with my stored value (member app, 付费会员)' })
  @ApiResult(TierPurchaseResponse, 201)
  @ApiErrors('TIER_NOT_FOUND', 'TIER_NOT_PURCHASABLE', 'TIER_BELOW_CURRENT', 'WALLET_INSUFFICIENT_BALANCE', 'MEMBER_PAY_PASSWORD_REQUIRED', 'MEMBER_PAY_PASSWORD_WRONG')
  buy(@CurrentMember() member: MemberActor, @Body() body: MyTierPurchaseRequest): Promise<TierPurchaseResponse> {
    return this.tiers.purchaseByMember(member.id, body);
  }
}
