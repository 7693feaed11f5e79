import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { MemberResponse } from '../members/dto/member.dto';
import { CardsService } from './cards.service';
import {
  CardActionRequest,
  CardResponse,
  CardReturnResponse,
  CardSettingsResponse,
  IssueCardRequest,
  MemberCodeResponse,
  ReplaceCardRequest,
  ReplaceCardResponse,
  ResolveCardRequest,
  ResolveMemberCodeRequest,
  ReturnCardRequest,
  UpdateCardSettingsRequest,
} from './dto/card.dto';
import { MemberCodeService } from './member-code.service';

/**
 * Cards are the chain's like their members (跨店通用): any store's staff serve any card, and the
 * store in the body says where the action happens (the guard checks the caller reaches it).
 */
@ApiTags('cards')
@Controller('cards')
export class CardsController {
  constructor(private readonly cards: CardsService) {}

  @Get('settings')
  @ApiOperation({ summary: 'The chain’s card return rule (退卡规则)' })
  @ApiResult(CardSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('card.settings')
  @RequireChainScope()
  settings(): Promise<CardSettingsResponse> {
    return this.cards.settings();
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Edit the card return rule: fee in bps of the principal, bonus forfeited or kept (HQ)' })
  @ApiResult(CardSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('card.settings')
  @RequireChainScope()
  updateSettings(@Body() body: UpdateCardSettingsRequest): Promise<CardSettingsResponse> {
    return this.cards.updateSettings(body);
  }

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Find the member of a card number, typed or scanned (only active cards)' })
  @ApiResult(MemberResponse)
  @ApiErrors('CARD_NOT_FOUND', 'CARD_LOST', 'CARD_REPLACED', 'CARD_RETURNED')
  @RequirePermissions('member.read')
  resolve(@Body() body: ResolveCardRequest): Promise<MemberResponse> {
    return this.cards.resolve(body.cardNo);
  }

  @Post(':cardId/report-loss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report a card lost (挂失): it no longer identifies the member' })
  @ApiResult(CardResponse)
  @ApiErrors('CARD_NOT_FOUND', 'CARD_LOST', 'CARD_REPLACED', 'CARD_RETURNED', 'STORE_NOT_FOUND')
  @RequirePermissions('card.write')
  reportLoss(@CurrentStaff() actor: StaffActor, @Param('cardId') cardId: string, @Body() body: CardActionRequest): Promise<CardResponse> {
    return this.cards.reportLoss(actor, cardId, body);
  }

  @Post(':cardId/unfreeze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a loss report (解挂)' })
  @ApiResult(CardResponse)
  @ApiErrors('CARD_NOT_FOUND', 'CARD_NOT_LOST', 'CARD_REPLACED', 'CARD_RETURNED', 'STORE_NOT_FOUND')
  @RequirePermissions('card.write')
  unfreeze(@CurrentStaff() actor: StaffActor, @Param('cardId') cardId: string, @Body() body: CardActionRequest): Promise<CardResponse> {
    return this.cards.unfreeze(actor, cardId, body);
  }

  @Post(':cardId/replace')
  @Idempotent()
  @ApiOperation({ summary: 'Replace a card (补卡): new number, same member and balances; optional fee' })
  @ApiResult(ReplaceCardResponse, 201)
  @ApiErrors('CARD_NOT_FOUND', 'CARD_REPLACED', 'CARD_RETURNED', 'CARD_NO_TAKEN', 'STORE_NOT_FOUND', 'SHIFT_NOT_OPEN', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('card.write')
  replace(@CurrentStaff() actor: StaffActor, @Param('cardId') cardId: string, @Body() body: ReplaceCardRequest): Promise<ReplaceCardResponse> {
    return this.cards.replace(actor, cardId, body);
  }

  @Post(':cardId/return')
  @Idempotent()
  @ApiOperation({ summary: 'Return a card (退卡): close it and refund the principal in cash under the chain’s rule' })
  @ApiResult(CardReturnResponse, 201)
  @ApiErrors(
    'CARD_NOT_FOUND',
    'CARD_REPLACED',
    'CARD_RETURNED',
    'STORE_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'MEMBER_PAY_PASSWORD_REQUIRED',
    'MEMBER_PAY_PASSWORD_WRONG',
    'MEMBER_PAY_PASSWORD_LOCKED',
    'CONFLICT',
    'SHIFT_NOT_OPEN',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  @RequirePermissions('card.return')
  returnCard(@CurrentStaff() actor: StaffActor, @Param('cardId') cardId: string, @Body() body: ReturnCardRequest): Promise<CardReturnResponse> {
    return this.cards.returnCard(actor, cardId, body);
  }
}

@ApiTags('cards')
@Controller('members/:memberId/cards')
export class MemberCardsController {
  constructor(private readonly cards: CardsService) {}

  @Get()
  @ApiOperation({ summary: 'Every card of a member with its history (卡片履历)' })
  @ApiResult([CardResponse])
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.read')
  history(@Param('memberId') memberId: string): Promise<CardResponse[]> {
    return this.cards.history(memberId);
  }

  @Post()
  @ApiOperation({ summary: 'Issue a card (发卡): a typed pre-printed number or a system one' })
  @ApiResult(CardResponse, 201)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'CARD_MEMBER_HAS_CARD', 'CARD_NO_TAKEN', 'STORE_NOT_FOUND')
  @RequirePermissions('card.write')
  issue(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: IssueCardRequest): Promise<CardResponse> {
    return this.cards.issue(actor, memberId, body);
  }
}

@ApiTags('member-codes')
@Controller('member-codes')
export class MemberCodesController {
  constructor(private readonly codes: MemberCodeService) {}

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Find the member of a scanned dynamic member code; each code resolves once' })
  @ApiResult(MemberResponse)
  @ApiErrors('MEMBER_CODE_INVALID', 'MEMBER_CODE_EXPIRED', 'MEMBER_CODE_USED', 'STORE_NOT_FOUND')
  @RequirePermissions('member.read')
  resolve(@CurrentStaff() actor: StaffActor, @Body() body: ResolveMemberCodeRequest): Promise<MemberResponse> {
    return this.codes.resolve(actor.id, body.code, body.storeId);
  }
}

@ApiTags('me')
@Controller('me')
export class MyCardsController {
  constructor(
    private readonly cards: CardsService,
    private readonly codes: MemberCodeService,
  ) {}

  @Get('member-code')
  @MemberRoute()
  @ApiOperation({ summary: 'My dynamic member code (会员动态码), valid about 60 s (member app)' })
  @ApiResult(MemberCodeResponse)
  @ApiErrors('UNAUTHENTICATED', 'MEMBER_NOT_ACTIVE')
  memberCode(@CurrentMember() member: MemberActor): Promise<MemberCodeResponse> {
    return this.codes.issue(member.id);
  }

  @Get('cards')
  @MemberRoute()
  @ApiOperation({ summary: 'My physical cards and their history (member app)' })
  @ApiResult([CardResponse])
  @ApiErrors('UNAUTHENTICATED')
  cardsOf(@CurrentMember() member: MemberActor): Promise<CardResponse[]> {
    return this.cards.history(member.id);
  }
}
