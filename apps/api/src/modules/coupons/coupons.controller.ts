import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { CouponsService } from './coupons.service';
import {
  CouponPageResponse,
  CouponResponse,
  CouponTemplatePageResponse,
  CouponTemplateResponse,
  CreateCouponTemplateRequest,
  IssueCouponRequest,
  IssueRunResponse,
  IssueToSegmentRequest,
  ListCouponsQuery,
  ListCouponTemplatesQuery,
  SearchCouponsQuery,
  UpdateCouponTemplateRequest,
  VoidCouponRequest,
} from './dto/coupon.dto';

/** HQ's coupon templates (优惠券模板); every store reads them. */
@ApiTags('coupons')
@Controller('coupon-templates')
export class CouponTemplatesController {
  constructor(private readonly coupons: CouponsService) {}

  @Get()
  @ApiOperation({ summary: 'Coupon templates (store staff: those usable at their stores), optionally only those usable at a store' })
  @ApiResult(CouponTemplatePageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('coupon.read')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListCouponTemplatesQuery): Promise<CouponTemplatePageResponse> {
    return this.coupons.listTemplates(actor, q);
  }

  @Get(':couponTemplateId')
  @ApiOperation({ summary: 'One coupon template' })
  @ApiResult(CouponTemplateResponse)
  @ApiErrors('COUPON_TEMPLATE_NOT_FOUND')
  @RequirePermissions('coupon.read')
  get(@CurrentStaff() actor: StaffActor, @Param('couponTemplateId') id: string): Promise<CouponTemplateResponse> {
    return this.coupons.getTemplate(actor, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a coupon template: amount off, percent off, threshold, free item or exchange (HQ)' })
  @ApiResult(CouponTemplateResponse, 201)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('coupon.template.write')
  @RequireChainScope()
  create(@Body() body: CreateCouponTemplateRequest): Promise<CouponTemplateResponse> {
    return this.coupons.createTemplate(body);
  }

  @Patch(':couponTemplateId')
  @ApiOperation({ summary: 'Edit a template or stop issuing it (HQ); issued coupons keep their rule' })
  @ApiResult(CouponTemplateResponse)
  @ApiErrors('FORBIDDEN', 'COUPON_TEMPLATE_NOT_FOUND')
  @RequirePermissions('coupon.template.write')
  @RequireChainScope()
  update(@Param('couponTemplateId') id: string, @Body() body: UpdateCouponTemplateRequest): Promise<CouponTemplateResponse> {
    return this.coupons.updateTemplate(id, body);
  }

  @Post(':couponTemplateId/issue-runs')
  @Idempotent()
  @ApiOperation({ summary: 'Issue one coupon to every active member of a segment (定向发券, HQ), in batches' })
  @ApiResult(IssueRunResponse, 201)
  @ApiErrors('FORBIDDEN', 'COUPON_TEMPLATE_NOT_FOUND', 'COUPON_TEMPLATE_DISABLED')
  @RequirePermissions('coupon.issue')
  @RequireChainScope()
  issueToSegment(@CurrentStaff() actor: StaffActor, @Param('couponTemplateId') id: string, @Body() body: IssueToSegmentRequest): Promise<IssueRunResponse> {
    return this.coupons.issueToSegment(actor, id, body);
  }
}

/** Members' coupons: chain-level like the member, usable at the stores their rule names. */
@ApiTags('coupons')
@Controller()
export class CouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Post('members/:memberId/coupons')
  @Idempotent()
  @ApiOperation({ summary: 'Issue coupons of a template to a member (发券)' })
  @ApiResult([CouponResponse], 201)
  @ApiErrors(
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'STORE_NOT_FOUND',
    'COUPON_TEMPLATE_NOT_FOUND',
    'COUPON_TEMPLATE_DISABLED',
    'COUPON_TEMPLATE_EXPIRED',
    'COUPON_MEMBER_LIMIT_REACHED',
    'COUPON_SOLD_OUT',
  )
  @RequirePermissions('coupon.issue')
  issue(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: IssueCouponRequest): Promise<CouponResponse[]> {
    return this.coupons.issueToMember(actor, memberId, body);
  }

  @Get('members/:memberId/coupons')
  @ApiOperation({ summary: 'A member’s coupons, e.g. the unused ones usable at a store (at the counter)' })
  @ApiResult(CouponPageResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('coupon.read')
  listForMember(@Param('memberId') memberId: string, @Query() q: ListCouponsQuery): Promise<CouponPageResponse> {
    return this.coupons.listForMember(memberId, q);
  }

  @Get('coupons')
  @ApiOperation({ summary: 'Find coupons by code (scanned or typed), member, template or status; without a code or member, store staff see their stores’ coupons' })
  @ApiResult(CouponPageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('coupon.read')
  search(@CurrentStaff() actor: StaffActor, @Query() q: SearchCouponsQuery): Promise<CouponPageResponse> {
    return this.coupons.search(actor, q);
  }

  @Get('coupons/:couponId')
  @ApiOperation({ summary: 'One coupon' })
  @ApiResult(CouponResponse)
  @ApiErrors('COUPON_NOT_FOUND')
  @RequirePermissions('coupon.read')
  get(@Param('couponId') id: string): Promise<CouponResponse> {
    return this.coupons.get(id);
  }

  @Post('coupons/:couponId/void')
  @HttpCode(200)
  @ApiOperation({ summary: 'Void an unused coupon with a reason (作废), audited' })
  @ApiResult(CouponResponse)
  @ApiErrors('COUPON_NOT_FOUND', 'COUPON_NOT_UNUSED')
  @RequirePermissions('coupon.void')
  void(@CurrentStaff() actor: StaffActor, @Param('couponId') id: string, @Body() body: VoidCouponRequest): Promise<CouponResponse> {
    return this.coupons.void(actor, id, body.reason);
  }
}

/** The member's own coupons in the member app (我的优惠券). */
@ApiTags('me')
@Controller('me/coupons')
export class MyCouponsController {
  constructor(private readonly coupons: CouponsService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'My coupons, by status (member app)' })
  @ApiResult(CouponPageResponse)
  @ApiErrors('UNAUTHENTICATED')
  list(@CurrentMember() member: MemberActor, @Query() q: ListCouponsQuery): Promise<CouponPageResponse> {
    return this.coupons.listForMember(member.id, q);
  }

  @Get(':couponId')
  @MemberRoute()
  @ApiOperation({ summary: 'One of my coupons, with its code to show at the counter (member app)' })
  @ApiResult(CouponResponse)
  @ApiErrors('UNAUTHENTICATED', 'COUPON_NOT_FOUND')
  get(@CurrentMember() member: MemberActor, @Param('couponId') id: string): Promise<CouponResponse> {
    return this.coupons.get(id, member.id);
  }
}
