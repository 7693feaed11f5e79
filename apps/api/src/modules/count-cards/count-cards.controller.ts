import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { CountCardsService } from './count-cards.service';
import {
  CountCardDetailResponse,
  CountCardResponse,
  CreateTemplateRequest,
  ListCountCardsQuery,
  ListTemplatesQuery,
  RedeemRequest,
  RedemptionResponse,
  ReverseRedemptionRequest,
  SellCountCardRequest,
  StartTimerRequest,
  TemplatePageResponse,
  TemplateResponse,
  TimerResponse,
  UpdateTemplateRequest,
} from './dto/count-card.dto';

/** HQ's count-card templates (次卡模板); every store reads them to sell. */
@ApiTags('count-cards')
@Controller('count-card-templates')
export class CountCardTemplatesController {
  constructor(private readonly cards: CountCardsService) {}

  @Get()
  @ApiOperation({ summary: 'Count-card templates, optionally only those sold at a store' })
  @ApiResult(TemplatePageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('count_card.read')
  list(@Query() q: ListTemplatesQuery): Promise<TemplatePageResponse> {
    return this.cards.listTemplates(q);
  }

  @Get(':countCardTemplateId')
  @ApiOperation({ summary: 'One count-card template' })
  @ApiResult(TemplateResponse)
  @ApiErrors('COUNT_CARD_TEMPLATE_NOT_FOUND')
  @RequirePermissions('count_card.read')
  get(@Param('countCardTemplateId') id: string): Promise<TemplateResponse> {
    return this.cards.getTemplate(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a count-card, period-card or time-card template (HQ)' })
  @ApiResult(TemplateResponse, 201)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('count_card.template.write')
  @RequireChainScope()
  create(@Body() body: CreateTemplateRequest): Promise<TemplateResponse> {
    return this.cards.createTemplate(body);
  }

  @Patch(':countCardTemplateId')
  @ApiOperation({ summary: 'Edit a template or take it off sale (HQ); sold cards keep their snapshot' })
  @ApiResult(TemplateResponse)
  @ApiErrors('FORBIDDEN', 'COUNT_CARD_TEMPLATE_NOT_FOUND')
  @RequirePermissions('count_card.template.write')
  @RequireChainScope()
  update(@Param('countCardTemplateId') id: string, @Body() body: UpdateTemplateRequest): Promise<TemplateResponse> {
    return this.cards.updateTemplate(id, body);
  }
}

/** A member's cards: chain-level (跨店通用), sold at one store and redeemed at any. */
@ApiTags('count-cards')
@Controller()
export class CountCardsController {
  constructor(private readonly cards: CountCardsService) {}

  @Post('members/:memberId/count-cards')
  @Idempotent()
  @ApiOperation({ summary: 'Sell a count card to a member (售卡), paid in cash or by bank card' })
  @ApiResult(CountCardResponse, 201)
  @ApiErrors(
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'COUNT_CARD_TEMPLATE_NOT_FOUND',
    'COUNT_CARD_TEMPLATE_OFF_SALE',
    'COUNT_CARD_TEMPLATE_NOT_SOLD_HERE',
    'COUNT_CARD_EXPIRED',
    'STORE_NOT_FOUND',
    'STAFF_NOT_FOUND',
    'SHIFT_NOT_OPEN',
  )
  @RequirePermissions('count_card.sell')
  sell(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: SellCountCardRequest): Promise<CountCardResponse> {
    return this.cards.sell(actor, memberId, body);
  }

  @Get('members/:memberId/count-cards')
  @ApiOperation({ summary: 'A member’s count cards with uses or minutes left and validity' })
  @ApiResult([CountCardResponse])
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('count_card.read')
  listForMember(@Param('memberId') memberId: string, @Query() q: ListCountCardsQuery): Promise<CountCardResponse[]> {
    return this.cards.listForMember(memberId, q);
  }

  @Get('count-cards/:countCardId')
  @ApiOperation({ summary: 'One count card with its redemptions and timers' })
  @ApiResult(CountCardDetailResponse)
  @ApiErrors('COUNT_CARD_NOT_FOUND')
  @RequirePermissions('count_card.read')
  get(@Param('countCardId') id: string): Promise<CountCardDetailResponse> {
    return this.cards.detail(id);
  }

  @Post('count-cards/:countCardId/redemptions')
  @Idempotent()
  @ApiOperation({ summary: 'Redeem uses of a count or period card at any store (核销)' })
  @ApiResult(RedemptionResponse, 201)
  @ApiErrors(
    'COUNT_CARD_NOT_FOUND',
    'COUNT_CARD_EXPIRED',
    'COUNT_CARD_REFUNDED',
    'COUNT_CARD_NO_USES_LEFT',
    'COUNT_CARD_SERVICE_NOT_COVERED',
    'COUNT_CARD_DAILY_LIMIT_REACHED',
    'COUNT_CARD_WRONG_KIND',
    'MEMBER_NOT_ACTIVE',
    'STORE_NOT_FOUND',
    'STAFF_NOT_FOUND',
  )
  @RequirePermissions('count_card.redeem')
  redeem(@CurrentStaff() actor: StaffActor, @Param('countCardId') id: string, @Body() body: RedeemRequest): Promise<RedemptionResponse> {
    return this.cards.redeem(actor, id, body);
  }

  @Post('count-cards/:countCardId/timers')
  @Idempotent()
  @ApiOperation({ summary: 'Start timing a session on a time card (开始计时)' })
  @ApiResult(TimerResponse, 201)
  @ApiErrors(
    'COUNT_CARD_NOT_FOUND',
    'COUNT_CARD_EXPIRED',
    'COUNT_CARD_REFUNDED',
    'COUNT_CARD_NO_USES_LEFT',
    'COUNT_CARD_SERVICE_NOT_COVERED',
    'COUNT_CARD_WRONG_KIND',
    'COUNT_CARD_TIMER_RUNNING',
    'MEMBER_NOT_ACTIVE',
    'STORE_NOT_FOUND',
    'STAFF_NOT_FOUND',
  )
  @RequirePermissions('count_card.redeem')
  startTimer(@CurrentStaff() actor: StaffActor, @Param('countCardId') id: string, @Body() body: StartTimerRequest): Promise<TimerResponse> {
    return this.cards.startTimer(actor, id, body);
  }

  @Post('count-card-timers/:countCardTimerId/stop')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Stop a timer and bill its minutes, rounded up (结束计时)' })
  @ApiResult(TimerResponse)
  @ApiErrors('COUNT_CARD_TIMER_NOT_FOUND', 'COUNT_CARD_TIMER_STOPPED')
  @RequirePermissions('count_card.redeem')
  stopTimer(@Param('countCardTimerId') id: string): Promise<TimerResponse> {
    return this.cards.stopTimer(id);
  }

  @Post('count-card-redemptions/:countCardRedemptionId/reverse')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Reverse a redemption made by mistake (撤销核销), once' })
  @ApiResult(RedemptionResponse)
  @ApiErrors('COUNT_CARD_REDEMPTION_NOT_FOUND', 'COUNT_CARD_REDEMPTION_REVERSED', 'COUNT_CARD_EXPIRED', 'COUNT_CARD_REFUNDED')
  @RequirePermissions('count_card.reverse')
  reverse(@CurrentStaff() actor: StaffActor, @Param('countCardRedemptionId') id: string, @Body() body: ReverseRedemptionRequest): Promise<RedemptionResponse> {
    return this.cards.reverse(actor, id, body.reason);
  }
}

/** The member's own cards in the member app. */
@ApiTags('me')
@Controller('me/count-cards')
export class MyCountCardsController {
  constructor(private readonly cards: CountCardsService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'My count cards: uses or minutes left and expiry (member app)' })
  @ApiResult([CountCardResponse])
  @ApiErrors('UNAUTHENTICATED')
  list(@CurrentMember() member: MemberActor, @Query() q: ListCountCardsQuery): Promise<CountCardResponse[]> {
    return this.cards.listForMember(member.id, q);
  }

  @Get(':countCardId')
  @MemberRoute()
  @ApiOperation({ summary: 'One of my count cards with its history (member app)' })
  @ApiResult(CountCardDetailResponse)
  @ApiErrors('UNAUTHENTICATED', 'COUNT_CARD_NOT_FOUND')
  get(@CurrentMember() member: MemberActor, @Param('countCardId') id: string): Promise<CountCardDetailResponse> {
    return this.cards.detail(id, member.id);
  }
}
