import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  BonusRulePageResponse,
  BonusRuleResponse,
  CounterTopUpRequest,
  CreateBonusRuleRequest,
  ListBonusRulesQuery,
  ListTopUpsQuery,
  QuickSpendRequest,
  RefundTopUpRequest,
  ReverseSpendRequest,
  SpendResponse,
  TopUpPageResponse,
  TopUpResponse,
  TopUpResultResponse,
  UpdateBonusRuleRequest,
  UpdateWalletSettingsRequest,
  WalletBalanceResponse,
  WalletEntriesQuery,
  WalletEntryPageResponse,
  WalletSettingsResponse,
} from './dto/wallet.dto';
import { WalletService } from './wallet.service';

/** Chain-level stored-value settings, bonus rules, and store-scoped top-ups and spends (储值). */
@ApiTags('wallet')
@Controller('wallet')
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get('settings')
  @ApiOperation({ summary: 'Stored-value settings: consumption order, refund policy, top-up limits (储值设置)' })
  @ApiResult(WalletSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('wallet.read')
  settings(): Promise<WalletSettingsResponse> {
    return this.wallet.settings();
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Change the stored-value settings (HQ)' })
  @ApiResult(WalletSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('wallet.settings.write')
  @RequireChainScope()
  updateSettings(@Body() body: UpdateWalletSettingsRequest): Promise<WalletSettingsResponse> {
    return this.wallet.updateSettings(body);
  }

  @Get('bonus-rules')
  @ApiOperation({ summary: 'Top-up bonus rules (充值赠送): HQ’s and the caller’s stores’ overrides' })
  @ApiResult(BonusRulePageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('wallet.read')
  listRules(@CurrentStaff() actor: StaffActor, @Query() q: ListBonusRulesQuery): Promise<BonusRulePageResponse> {
    return this.wallet.listRules(actor, q);
  }

  @Get('bonus-rules/:bonusRuleId')
  @ApiOperation({ summary: 'One top-up bonus rule (HQ)' })
  @ApiResult(BonusRuleResponse)
  @ApiErrors('FORBIDDEN', 'WALLET_BONUS_RULE_NOT_FOUND')
  @RequirePermissions('wallet.settings.write')
  @RequireChainScope()
  getRule(@Param('bonusRuleId') id: string): Promise<BonusRuleResponse> {
    return this.wallet.getRule(id);
  }

  @Post('bonus-rules')
  @ApiOperation({ summary: 'Create a top-up bonus rule, for all stores or as a store override (HQ)' })
  @ApiResult(BonusRuleResponse, 201)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('wallet.settings.write')
  @RequireChainScope()
  createRule(@Body() body: CreateBonusRuleRequest): Promise<BonusRuleResponse> {
    return this.wallet.createRule(body);
  }

  @Patch('bonus-rules/:bonusRuleId')
  @ApiOperation({ summary: 'Edit or deactivate a top-up bonus rule (HQ)' })
  @ApiResult(BonusRuleResponse)
  @ApiErrors('FORBIDDEN', 'WALLET_BONUS_RULE_NOT_FOUND')
  @RequirePermissions('wallet.settings.write')
  @RequireChainScope()
  updateRule(@Param('bonusRuleId') id: string, @Body() body: UpdateBonusRuleRequest): Promise<BonusRuleResponse> {
    return this.wallet.updateRule(id, body);
  }

  @Get('top-ups')
  @ApiOperation({ summary: 'Top-ups collected by the caller’s stores, by period (充值记录)' })
  @ApiResult(TopUpPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('wallet.read')
  listTopUps(@CurrentStaff() actor: StaffActor, @Query() q: ListTopUpsQuery): Promise<TopUpPageResponse> {
    return this.wallet.listTopUps(actor, q);
  }

  @Get('top-ups/:topUpId')
  @ApiOperation({ summary: 'One top-up with its bonus instalments' })
  @ApiResult(TopUpResponse)
  @ApiErrors('WALLET_TOP_UP_NOT_FOUND')
  @RequirePermissions('wallet.read')
  getTopUp(@Param('topUpId') id: string): Promise<TopUpResponse> {
    return this.wallet.getTopUp(id);
  }

  @Post('top-ups/:topUpId/refund')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Refund a top-up once: principal and bonus out, pending instalments cancelled (退充值)' })
  @ApiResult(TopUpResultResponse)
  @ApiErrors(
    'WALLET_TOP_UP_NOT_FOUND',
    'WALLET_TOP_UP_ALREADY_REFUNDED',
    'WALLET_TOP_UP_BONUS_SPENT',
    'WALLET_TOP_UP_PRINCIPAL_SPENT',
    'WALLET_TOP_UP_POINTS_SPENT',
    'WALLET_TOP_UP_REFUND_NEEDS_WECHAT',
    'SHIFT_NOT_OPEN',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  @RequirePermissions('wallet.refund')
  refund(@CurrentStaff() actor: StaffActor, @Param('topUpId') id: string, @Body() body: RefundTopUpRequest): Promise<TopUpResultResponse> {
    return this.wallet.counterRefund(actor, id, body);
  }

  @Post('spends/:spendId/reverse')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Reverse a quick stored-value spend, all or part: principal and bonus go back (撤销消费)' })
  @ApiResult(SpendResponse)
  @ApiErrors('WALLET_SPEND_NOT_FOUND', 'WALLET_SPEND_ALREADY_REVERSED', 'WALLET_SPEND_REVERSE_EXCEEDS', 'WALLET_SPEND_NOT_REVERSIBLE_HERE', 'SHIFT_NOT_OPEN', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('wallet.refund')
  reverse(@CurrentStaff() actor: StaffActor, @Param('spendId') id: string, @Body() body: ReverseSpendRequest): Promise<SpendResponse> {
    return this.wallet.counterReverse(actor, id, body);
  }
}

/** A member's stored value as the cashier sees it. */
@ApiTags('wallet')
@Controller('members/:memberId/wallet')
export class MemberWalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get()
  @ApiOperation({ summary: 'A member’s stored value: principal, bonus, total (储值余额)' })
  @ApiResult(WalletBalanceResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('wallet.read')
  balance(@Param('memberId') memberId: string): Promise<WalletBalanceResponse> {
    return this.wallet.balance(memberId);
  }

  @Get('entries')
  @ApiOperation({ summary: 'A member’s stored-value ledger lines, newest first (储值明细)' })
  @ApiResult(WalletEntryPageResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('wallet.read')
  entries(@Param('memberId') memberId: string, @Query() q: WalletEntriesQuery): Promise<WalletEntryPageResponse> {
    return this.wallet.entries(memberId, q);
  }

  @Post('top-ups')
  @Idempotent()
  @ApiOperation({ summary: 'Top up at the counter, cash or bank card, with the best bonus rule (充值)' })
  @ApiResult(TopUpResultResponse, 201)
  @ApiErrors('MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'STORE_NOT_FOUND', 'WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', 'SHIFT_NOT_OPEN', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('wallet.top_up')
  topUp(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: CounterTopUpRequest): Promise<TopUpResultResponse> {
    return this.wallet.counterTopUp(actor, memberId, body);
  }

  @Post('spends')
  @Idempotent()
  @ApiOperation({ summary: 'Spend stored value by amount (快速消费), with the payment password when set' })
  @ApiResult(SpendResponse, 201)
  @ApiErrors(
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'MEMBER_PAY_PASSWORD_REQUIRED',
    'MEMBER_PAY_PASSWORD_WRONG',
    'STORE_NOT_FOUND',
    'WALLET_INSUFFICIENT_BALANCE',
    'SHIFT_NOT_OPEN',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  @RequirePermissions('wallet.spend')
  spend(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: QuickSpendRequest): Promise<SpendResponse> {
    return this.wallet.quickSpend(actor, memberId, body);
  }
}

/** The member's own stored value, for the member mini-program. */
@ApiTags('me')
@Controller('me/wallet')
export class MyWalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'My stored value (member app)' })
  @ApiResult(WalletBalanceResponse)
  @ApiErrors('UNAUTHENTICATED')
  balance(@CurrentMember() member: MemberActor): Promise<WalletBalanceResponse> {
    return this.wallet.balance(member.id);
  }

  @Get('entries')
  @MemberRoute()
  @ApiOperation({ summary: 'My stored-value history (member app)' })
  @ApiResult(WalletEntryPageResponse)
  @ApiErrors('UNAUTHENTICATED')
  entries(@CurrentMember() member: MemberActor, @Query() q: WalletEntriesQuery): Promise<WalletEntryPageResponse> {
    return this.wallet.entries(member.id, q);
  }
}
