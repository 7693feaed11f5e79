import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import { TierEvaluationService } from '../tiers/tier-evaluation.service';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import type { JsonLogger } from '../../common/logger';
import { requestContext } from '../../common/request-context';
import { LedgerService, type Leg } from '../ledger/ledger.service';
import { MembersService } from '../members/members.service';
import { ShiftsService } from '../shifts/shifts.service';
import { StoresService } from '../stores/stores.service';
import { instalmentSchedule, selectBonusRule } from './domain/bonus-rule';
import { planRefund, splitReversal, splitSpend } from './domain/consumption';
import type {
  BonusRuleResponse,
  CounterTopUpRequest,
  CreateBonusRuleRequest,
  InstalmentResponse,
  ListBonusRulesQuery,
  ListTopUpsQuery,
  QuickSpendRequest,
  RefundTopUpRequest,
  ReverseSpendRequest,
  SpendResponse,
  TopUpResponse,
  TopUpResultResponse,
  UpdateBonusRuleRequest,
  UpdateWalletSettingsRequest,
  WalletBalanceResponse,
  WalletEntriesQuery,
  WalletEntryResponse,
  WalletSettingsResponse,
} from './dto/wallet.dto';
import type {
  WalletBonusInstalmentEntity,
  WalletBonusRuleEntity,
  WalletSettingsEntity,
  WalletSpendEntity,
  TopUpPaymentMethod,
} from './entities/wallet.entity';
import { WalletRepository, type TopUpRow } from './wallet.repository';

/** What a top-up needs, whoever takes the money: the counter, or a WeChat Pay callback later. */
export interface TopUpInput {
  memberId: string;
  storeId: string;
  amountFen: number;
  paymentMethod: TopUpPaymentMethod;
  /** The payment provider's transaction id; a second call with the same one returns the first top-up. */
  paymentRef?: string | null;
  memo?: string | null;
  at?: Date;
}

/** A spend of stored value by checkout, a count-card or tier sale, or quick consumption. */
/**
 * Issues and takes back count cards given as top-up bonuses (充值送次卡). The count-card capability
 * registers itself at start-up, so stored value needs no import of it (count cards already use
 * stored value to be paid for).
 */
export interface CountCardBonusGranter {
  templateExists(m: EntityManager, templateId: string): Promise<boolean>;
  grantBonusCard(m: EntityManager, cmd: { memberId: string; templateId: string; storeId: string; topUpId: string }): Promise<string>;
  /** false when the card was used and cannot be taken back. */
  revokeBonusCard(m: EntityManager, cardId: string, reason: string): Promise<boolean>;
}

/**
 * Issues and takes back coupons given as top-up bonuses (充值送券). The coupon capability registers
 * itself at start-up, like count cards, so stored value needs no import of it.
 */
export interface CouponBonusGranter {
  couponTemplateExists(m: EntityManager, templateId: string): Promise<boolean>;
  grantBonusCoupon(m: EntityManager, cmd: { memberId: string; templateId: string; storeId: string; topUpId: string }): Promise<string | null>;
  /** false when the coupon was used and cannot be taken back. */
  revokeBonusCoupon(m: EntityManager, couponId: string, reason: string): Promise<boolean>;
}

export interface SpendInput {
  memberId: string;
  storeId: string;
  amountFen: number;
  /** What is paid for (e.g. 'order' + its id); omitted = the spend record itself (快速消费). */
  refType?: string;
  refId?: string;
  password?: string;
  /** The member proved presence with a fresh dynamic member code: no password asked. */
  verifiedByCode?: boolean;
  memo?: string | null;
  /** false when the caller settles the member's tier itself (a tier sale). */
  evaluateTier?: boolean;
}

export interface ReverseSpendInput {
  /** Part to give back; omitted = all that is not yet reversed. */
  amountFen?: number;
  reason?: string | null;
  /** The operation causing the reversal (e.g. an order refund); default: the spend itself. */
  refType?: string;
  refId?: string;
}

const WALLET_KINDS = ['wallet_principal', 'wallet_bonus'] as const;
const QUICK_SPEND = 'wallet_spend';

@Injectable()
export class WalletService implements OnModuleInit {
  private countCards?: CountCardBonusGranter;
  private coupons?: CouponBonusGranter;

  constructor(
    private readonly tx: TransactionHost,
    private readonly wallet: WalletRepository,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
    @Inject('LOGGER') private readonly logger: JsonLogger,
    private readonly scheduler: JobScheduler,
    private readonly tiers: TierEvaluationService,
    private readonly shifts: ShiftsService,
  ) {}

  registerCountCardGranter(granter: CountCardBonusGranter): void {
    this.countCards = granter;
  }

  registerCouponGranter(granter: CouponBonusGranter): void {
    this.coupons = granter;
  }

  // Hourly through the shared scheduler; each instalment is also claimed per row, so a rerun is harmless.
  onModuleInit(): void {
    this.scheduler.register({ name: 'wallet.release-bonus-instalments', schedule: { everyMinutes: 60 }, run: (now) => this.releaseDueInstalments(now) });
  }

  // ── settings ────────────────────────────────────────────────────────────────

  async settings(): Promise<WalletSettingsResponse> {
    return toSettingsResponse(await this.wallet.settings(this.tx.manager));
  }

  updateSettings(input: UpdateWalletSettingsRequest): Promise<WalletSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.wallet.settings(m);
      const before = toSettingsResponse(s);
      for (const key of ['consumptionOrder', 'refundPolicy', 'minTopUpFen', 'maxTopUpFen'] as const) {
        if (input[key] !== undefined) (s as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (s.maxTopUpFen < s.minTopUpFen) {
        throw new AppError('VALIDATION_FAILED', [{ field: 'maxTopUpFen', errors: ['maxTopUpFen must not be below minTopUpFen'] }]);
      }
      const after = toSettingsResponse(await this.wallet.saveSettings(m, s));
      const changes = diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
      await this.audit.record(m, { action: 'wallet.settings.update', entityType: 'wallet_settings', entityId: '1', ...changes });
      return after;
    });
  }

  // ── bonus rules ─────────────────────────────────────────────────────────────

  async listRules(actor: StaffActor, q: ListBonusRulesQuery): Promise<Page<BonusRuleResponse>> {
    const [rows, total] = await this.wallet.listRules(this.tx.manager, {
      storeIds: actor.scope === 'chain' ? null : actor.storeIds,
      storeId: q.storeId,
      active: q.active === undefined ? undefined : q.active === 'true',
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(rows.map(toRuleResponse), total, q);
  }

  async getRule(id: string): Promise<BonusRuleResponse> {
    const rule = await this.wallet.rule(this.tx.manager, id);
    if (!rule) throw new AppError('WALLET_BONUS_RULE_NOT_FOUND');
    return toRuleResponse(rule);
  }

  createRule(input: CreateBonusRuleRequest): Promise<BonusRuleResponse> {
    return this.tx.run(async (m) => {
      if (input.storeId) await this.stores.get(input.storeId);
      if (input.bonusCountCardTemplateId && !(await this.countCards?.templateExists(m, input.bonusCountCardTemplateId))) {
        throw new AppError('COUNT_CARD_TEMPLATE_NOT_FOUND', { field: 'bonusCountCardTemplateId' });
      }
      if (input.bonusCouponTemplateId && !(await this.coupons?.couponTemplateExists(m, input.bonusCouponTemplateId))) {
        throw new AppError('COUPON_TEMPLATE_NOT_FOUND', { field: 'bonusCouponTemplateId' });
      }
      const rule: Partial<WalletBonusRuleEntity> = {
        name: input.name,
        storeId: input.storeId ?? null,
        tierId: input.tierId ?? null,
        thresholdFen: input.thresholdFen,
        bonusFen: input.bonusFen ?? 0,
        bonusPoints: input.bonusPoints ?? 0,
        bonusCountCardTemplateId: input.bonusCountCardTemplateId ?? null,
        bonusCouponTemplateId: input.bonusCouponTemplateId ?? null,
        instalments: input.instalments ?? 1,
        intervalMonths: input.intervalMonths ?? 1,
        validFrom: input.validFrom ? new Date(input.validFrom) : null,
        validTo: input.validTo ? new Date(input.validTo) : null,
        active: input.active ?? true,
        priority: input.priority ?? 0,
      };
      checkRule(rule);
      const after = toRuleResponse(await this.wallet.saveRule(m, rule));
      await this.audit.record(m, { action: 'wallet.bonus_rule.create', entityType: 'wallet_bonus_rule', entityId: after.id, storeId: after.storeId, after: { ...after } });
      return after;
    });
  }

  updateRule(id: string, input: UpdateBonusRuleRequest): Promise<BonusRuleResponse> {
    return this.tx.run(async (m) => {
      const rule = await this.wallet.rule(m, id);
      if (!rule) throw new AppError('WALLET_BONUS_RULE_NOT_FOUND');
      const before = toRuleResponse(rule);
      if (input.bonusCountCardTemplateId && !(await this.countCards?.templateExists(m, input.bonusCountCardTemplateId))) {
        throw new AppError('COUNT_CARD_TEMPLATE_NOT_FOUND', { field: 'bonusCountCardTemplateId' });
      }
      if (input.bonusCouponTemplateId && !(await this.coupons?.couponTemplateExists(m, input.bonusCouponTemplateId))) {
        throw new AppError('COUPON_TEMPLATE_NOT_FOUND', { field: 'bonusCouponTemplateId' });
      }
      for (const key of ['name', 'tierId', 'thresholdFen', 'bonusFen', 'bonusPoints', 'bonusCountCardTemplateId', 'bonusCouponTemplateId', 'instalments', 'intervalMonths', 'active', 'priority'] as const) {
        if (input[key] !== undefined) (rule as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.validFrom !== undefined) rule.validFrom = input.validFrom ? new Date(input.validFrom) : null;
      if (input.validTo !== undefined) rule.validTo = input.validTo ? new Date(input.validTo) : null;
      checkRule(rule);
      const after = toRuleResponse(await this.wallet.saveRule(m, rule));
      await this.audit.record(m, { action: 'wallet.bonus_rule.update', entityType: 'wallet_bonus_rule', entityId: id, storeId: rule.storeId, ...diff(before, after) });
      return after;
    });
  }

  // ── top-up ──────────────────────────────────────────────────────────────────

  /** A top-up at the counter: the money goes into the cashier's open shift (SHIFT_NOT_OPEN without one). */
  counterTopUp(actor: StaffActor, memberId: string, input: CounterTopUpRequest): Promise<TopUpResultResponse> {
    return this.tx.run(async (m) => {
      const take = await this.shifts.takeAtCounter(m, actor, input.storeId);
      const result = await this.topUp(m, { memberId, ...input, memo: input.memo ?? null });
      await take(input.paymentMethod, input.amountFen, 'wallet_top_up', result.id);
      return result;
    });
  }

  /**
   * Tops up a member's stored value (充值) in the caller's transaction: one top_up row, the best
   * bonus rule (see domain/bonus-rule.ts), the principal, the first bonus part and the bonus points
   * in one posting, the rest of the bonus as pending instalments. The WeChat Pay callback calls
   * this with paymentMethod 'wechat' and the transaction id as paymentRef.
   */
  async topUp(m: EntityManager, input: TopUpInput): Promise<TopUpResultResponse> {
    if (input.paymentRef) {
      const existing = await this.wallet.topUpByPaymentRef(m, input.paymentMethod, input.paymentRef);
      if (existing) return this.topUpResult(m, existing.id, existing.memberId);
    }
    const settings = await this.wallet.settings(m);
    if (input.amountFen < settings.minTopUpFen || input.amountFen > settings.maxTopUpFen) {
      throw new AppError('WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', { minFen: settings.minTopUpFen, maxFen: settings.maxTopUpFen });
    }
    const member = await this.members.get(input.memberId);
    if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
    await this.stores.get(input.storeId);
    await this.wallet.lockMemberWallet(m, input.memberId);

    const at = input.at ?? new Date();
    const rule = selectBonusRule(await this.wallet.rulesFor(m, input.storeId), { storeId: input.storeId, tierId: member.tierId, amountFen: input.amountFen, at });
    const actor = requestContext.get()?.actor;
    const topUp = await this.wallet.insertTopUp(m, {
      memberId: input.memberId,
      storeId: input.storeId,
      amountFen: input.amountFen,
      bonusFen: rule?.bonusFen ?? 0,
      bonusPoints: rule?.bonusPoints ?? 0,
      ruleId: rule?.id ?? null,
      paymentMethod: input.paymentMethod,
      paymentRef: input.paymentRef ?? null,
      operatorKind: actor?.kind ?? 'system',
      operatorId: actor?.id ?? null,
      memo: input.memo ?? null,
      status: 'completed',
    });
    const parts = rule ? instalmentSchedule(rule.bonusFen, rule.instalments, rule.intervalMonths, at) : [];
    await this.wallet.insertInstalments(
      m,
      parts.map((p, i) => ({
        topUpId: topUp.id,
        memberId: input.memberId,
        seq: p.seq,
        amountFen: p.amountFen,
        dueAt: p.dueAt,
        status: i === 0 ? 'released' : 'pending',
        releasedAt: i === 0 ? at : null,
      })),
    );
    const legs: Leg[] = [{ memberId: input.memberId, kind: 'wallet_principal', amount: input.amountFen, reason: 'top_up' }];
    if (parts.length) legs.push({ memberId: input.memberId, kind: 'wallet_bonus', amount: parts[0].amountFen, reason: 'top_up_bonus' });
    if (rule && rule.bonusPoints > 0) legs.push({ memberId: input.memberId, kind: 'points', amount: rule.bonusPoints, reason: 'top_up_bonus' });
    await this.ledger.post(m, { legs, refType: 'wallet_top_up', refId: topUp.id, storeId: input.storeId, memo: input.memo ?? null });
    if (rule?.bonusCountCardTemplateId) {
      if (!this.countCards) throw new Error('count-card bonus rule without the count-card capability');
      const cardId = await this.countCards.grantBonusCard(m, { memberId: input.memberId, templateId: rule.bonusCountCardTemplateId, storeId: input.storeId, topUpId: topUp.id });
      await this.wallet.setTopUpBonusCard(m, topUp.id, cardId);
    }
    if (rule?.bonusCouponTemplateId) {
      if (!this.coupons) throw new Error('coupon bonus rule without the coupon capability');
      // null: the template stopped issuing (disabled, sold out, limit reached); the top-up stands without it.
      const couponId = await this.coupons.grantBonusCoupon(m, { memberId: input.memberId, templateId: rule.bonusCouponTemplateId, storeId: input.storeId, topUpId: topUp.id });
      if (couponId) await this.wallet.setTopUpBonusCoupon(m, topUp.id, couponId);
    }
    // A top-up may lift the member into a tier with a top-up threshold (充值升级), in this transaction.
    await this.tiers.evaluate(m, input.memberId, at);

    const result = await this.topUpResult(m, topUp.id, input.memberId);
    await this.audit.record(m, {
      action: 'wallet.top_up',
      entityType: 'wallet_top_up',
      entityId: topUp.id,
      storeId: input.storeId,
      after: { memberId: input.memberId, amountFen: input.amountFen, bonusFen: result.bonusFen, bonusPoints: result.bonusPoints, ruleId: result.ruleId, paymentMethod: input.paymentMethod },
    });
    return result;
  }

  async listTopUps(actor: StaffActor, q: ListTopUpsQuery): Promise<Page<TopUpResponse>> {
    const m = this.tx.manager;
    const storeIds = q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds;
    const [rows, total] = await this.wallet.listTopUps(m, {
      storeIds,
      memberId: q.memberId,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      status: q.status,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    const inst = await this.wallet.instalments(m, rows.map((r) => r.id));
    return pageOf(rows.map((r) => toTopUpResponse(r, inst)), total, q);
  }

  async getTopUp(topUpId: string): Promise<TopUpResponse> {
    const m = this.tx.manager;
    const row = await this.wallet.topUpView(m, topUpId);
    if (!row) throw new AppError('WALLET_TOP_UP_NOT_FOUND');
    return toTopUpResponse(row, await this.wallet.instalments(m, [row.id]));
  }

  /**
   * A top-up refunded at the counter of the store that collected it: the money handed back leaves
   * the refunding cashier's open shift, by the method the top-up was paid with.
   */
  counterRefund(actor: StaffActor, topUpId: string, input: RefundTopUpRequest): Promise<TopUpResultResponse> {
    return this.tx.run(async (m) => {
      const topUp = await this.wallet.topUp(m, topUpId);
      if (!topUp) throw new AppError('WALLET_TOP_UP_NOT_FOUND');
      const take = await this.shifts.takeAtCounter(m, actor, topUp.storeId);
      const result = await this.refundTopUp(m, topUpId, { reason: input.reason });
      await take(topUp.paymentMethod, -(result.refundCashFen ?? 0), 'wallet_top_up_refund', topUpId);
      return result;
    });
  }

  /**
   * Refunds a top-up once (退充值): cancels its pending bonus instalments, takes back its principal
   * and the bonus released so far (planRefund applies the chain's refund policy when bonus was
   * spent) and its bonus points. A WeChat Pay top-up is refunded by the WeChat capability, which
   * passes viaPaymentProvider after WeChat confirmed the refund.
   */
  async refundTopUp(m: EntityManager, topUpId: string, input: { reason: string; viaPaymentProvider?: boolean }): Promise<TopUpResultResponse> {
    const topUp = await this.wallet.topUp(m, topUpId, true);
    if (!topUp) throw new AppError('WALLET_TOP_UP_NOT_FOUND');
    if (topUp.status !== 'completed') throw new AppError('WALLET_TOP_UP_ALREADY_REFUNDED');
    if (topUp.paymentMethod === 'wechat' && !input.viaPaymentProvider) throw new AppError('WALLET_TOP_UP_REFUND_NEEDS_WECHAT');
    await this.wallet.lockMemberWallet(m, topUp.memberId);
    // Cancel first: a release racing with us waits on the row locks, then sees 'cancelled'.
    await this.wallet.cancelPendingInstalments(m, topUpId);
    const releasedBonusFen = await this.wallet.releasedBonus(m, topUpId);
    const settings = await this.wallet.settings(m);
    const balances = await this.walletBalances(m, topUp.memberId);
    const plan = planRefund({ amountFen: topUp.amountFen, releasedBonusFen, balances, policy: settings.refundPolicy });
    if (!plan.ok) {
      throw new AppError(plan.code, { amountFen: topUp.amountFen, releasedBonusFen, principalFen: balances.principalFen, bonusFen: balances.bonusFen, policy: settings.refundPolicy });
    }
    if (topUp.bonusPoints > 0 && (await this.ledger.balanceOf(m, topUp.memberId, 'points')) < topUp.bonusPoints) {
      throw new AppError('WALLET_TOP_UP_POINTS_SPENT', { bonusPoints: topUp.bonusPoints });
    }
    if (topUp.bonusCountCardId && !(await this.countCards?.revokeBonusCard(m, topUp.bonusCountCardId, input.reason))) {
      throw new AppError('WALLET_TOP_UP_BONUS_SPENT', { bonusCountCardId: topUp.bonusCountCardId });
    }
    if (topUp.bonusCouponId && !(await this.coupons?.revokeBonusCoupon(m, topUp.bonusCouponId, input.reason))) {
      throw new AppError('WALLET_TOP_UP_BONUS_SPENT', { bonusCouponId: topUp.bonusCouponId });
    }
    const legs: Leg[] = [
      { memberId: topUp.memberId, kind: 'wallet_principal', amount: -plan.principalDebitFen, reason: 'top_up_refund' },
      { memberId: topUp.memberId, kind: 'wallet_bonus', amount: -plan.bonusDebitFen, reason: 'top_up_refund' },
      { memberId: topUp.memberId, kind: 'points', amount: -topUp.bonusPoints, reason: 'top_up_refund' },
    ];
    await this.ledger.post(m, { legs, refType: 'wallet_top_up', refId: topUp.id, storeId: topUp.storeId, memo: input.reason });
    const actor = requestContext.get()?.actor;
    await this.wallet.markRefunded(m, topUpId, { reason: input.reason, cashFen: plan.cashFen, bonusFen: plan.bonusDebitFen, by: actor?.id ?? null });
    await this.audit.record(m, {
      action: 'wallet.top_up.refund',
      entityType: 'wallet_top_up',
      entityId: topUpId,
      storeId: topUp.storeId,
      reason: input.reason,
      before: { status: 'completed' },
      after: { status: 'refunded', cashFen: plan.cashFen, principalDebitFen: plan.principalDebitFen, bonusDebitFen: plan.bonusDebitFen, deductedFen: plan.deductedFen, bonusPoints: topUp.bonusPoints },
    });
    return this.topUpResult(m, topUpId, topUp.memberId);
  }

  /**
   * Releases every bonus instalment due by `now` (the job). Each part is claimed and posted in its
   * own transaction, so one failure does not hold back the others and a rerun never pays twice.
   * Returns how many parts were released.
   */
  async releaseDueInstalments(now: Date = new Date()): Promise<number> {
    let released = 0;
    for (;;) {
      const ids = await this.wallet.dueInstalmentIds(this.tx.dataSource.manager, now, 200);
      let claimedThisRound = 0;
      for (const id of ids) {
        const done = await this.tx.run(async (m) => {
          const part = await this.wallet.claimInstalment(m, id, now);
          if (!part) return false;
          await this.ledger.post(m, {
            legs: [{ memberId: part.memberId, kind: 'wallet_bonus', amount: part.amountFen, reason: 'bonus_instalment' }],
            refType: 'wallet_bonus_instalment',
            refId: part.id,
            storeId: part.storeId,
          });
          await this.audit.record(m, {
            action: 'wallet.bonus_instalment.release',
            entityType: 'wallet_bonus_instalment',
            entityId: part.id,
            storeId: part.storeId,
            after: { topUpId: part.topUpId, amountFen: part.amountFen },
          });
          return true;
        });
        if (done) claimedThisRound++;
      }
      released += claimedThisRound;
      // A round that moved nothing means nothing claimable is left (e.g. all cancelled meanwhile).
      if (ids.length < 200 || claimedThisRound === 0) return released;
    }
  }

  // ── spend ───────────────────────────────────────────────────────────────────

  /** Quick consumption (快速消费) at the counter: a stored-value taking of the cashier's open shift. */
  quickSpend(actor: StaffActor, memberId: string, input: QuickSpendRequest): Promise<SpendResponse> {
    return this.tx.run(async (m) => {
      const take = await this.shifts.takeAtCounter(m, actor, input.storeId);
      const result = await this.spend(m, { memberId, storeId: input.storeId, amountFen: input.amountFen, password: input.password, memo: input.memo });
      await take('stored_value', input.amountFen, QUICK_SPEND, result.id);
      return result;
    });
  }

  /**
   * Spends stored value (储值消费) in the caller's transaction: checks the payment password, splits
   * the amount between principal and bonus by the chain's consumption order, records a
   * wallet_spend row and posts both legs. WALLET_INSUFFICIENT_BALANCE when the two together are short.
   */
  async spend(m: EntityManager, input: SpendInput): Promise<SpendResponse> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0) {
      throw new AppError('VALIDATION_FAILED', [{ field: 'amountFen', errors: ['amountFen must be a positive integer'] }]);
    }
    // The password hash check is slow: before the lock, so that it does not hold other spends back.
    await this.members.assertPayPassword(m, input.memberId, input.password, input.verifiedByCode ?? false);
    await this.stores.get(input.storeId);
    await this.wallet.lockMemberWallet(m, input.memberId);
    const settings = await this.wallet.settings(m);
    const balances = await this.walletBalances(m, input.memberId);
    const split = splitSpend(input.amountFen, balances, settings.consumptionOrder);
    if (!split) {
      throw new AppError('WALLET_INSUFFICIENT_BALANCE', { requestedFen: input.amountFen, availableFen: balances.principalFen + balances.bonusFen });
    }
    const actor = requestContext.get()?.actor;
    const id = randomUUID();
    const ref = input.refType && input.refId ? { type: input.refType, id: input.refId } : { type: QUICK_SPEND, id };
    const spend = await this.wallet.insertSpend(m, {
      id,
      memberId: input.memberId,
      storeId: input.storeId,
      amountFen: input.amountFen,
      principalFen: split.principalFen,
      bonusFen: split.bonusFen,
      refType: ref.type,
      refId: ref.id,
      status: 'completed',
      operatorKind: actor?.kind ?? 'system',
      operatorId: actor?.id ?? null,
      memo: input.memo ?? null,
    });
    await this.ledger.post(m, {
      legs: [
        { memberId: input.memberId, kind: 'wallet_principal', amount: -split.principalFen, reason: 'spend' },
        { memberId: input.memberId, kind: 'wallet_bonus', amount: -split.bonusFen, reason: 'spend' },
      ],
      refType: spend.refType,
      refId: spend.refId,
      storeId: input.storeId,
      memo: input.memo ?? null,
    });
    // Spending counts toward spend-based tiers; a tier sale settles the tier itself.
    if (input.evaluateTier !== false) await this.tiers.evaluate(m, input.memberId);
    await this.audit.record(m, {
      action: 'wallet.spend',
      entityType: 'wallet_spend',
      entityId: spend.id,
      storeId: input.storeId,
      after: { memberId: input.memberId, amountFen: input.amountFen, principalFen: split.principalFen, bonusFen: split.bonusFen, refType: spend.refType, refId: spend.refId },
    });
    return this.spendResult(m, spend);
  }

  /** The reverse route: only quick consumption; an order's spend is reversed by the order's refund. */
  counterReverse(actor: StaffActor, spendId: string, input: ReverseSpendRequest): Promise<SpendResponse> {
    return this.tx.run(async (m) => {
      const found = await this.wallet.spend(m, spendId);
      if (!found) throw new AppError('WALLET_SPEND_NOT_FOUND');
      if (found.refType !== QUICK_SPEND) throw new AppError('WALLET_SPEND_NOT_REVERSIBLE_HERE', { refType: found.refType, refId: found.refId });
      // The shift first (its lock comes before every other); then the spend, locked, so that what
      // was reversed before this call is known exactly.
      const take = await this.shifts.takeAtCounter(m, actor, found.storeId);
      const spend = (await this.wallet.spend(m, spendId, true))!;
      const reversedBefore = spend.reversedPrincipalFen + spend.reversedBonusFen;
      const result = await this.reverseSpend(m, spendId, { amountFen: input.amountFen, reason: input.reason ?? null });
      await take('stored_value', -(result.reversedPrincipalFen + result.reversedBonusFen - reversedBefore), 'wallet_spend_reversal', spendId);
      return result;
    });
  }

  /**
   * Gives back what a spend took (撤销消费), all of it or a part: principal and bonus return to where
   * they came from (a part in proportion to what is left of each, see splitReversal).
   */
  async reverseSpend(m: EntityManager, spendId: string, input: ReverseSpendInput = {}): Promise<SpendResponse> {
    const spend = await this.wallet.spend(m, spendId, true);
    if (!spend) throw new AppError('WALLET_SPEND_NOT_FOUND');
    const left = { principalFen: spend.principalFen - spend.reversedPrincipalFen, bonusFen: spend.bonusFen - spend.reversedBonusFen };
    const leftTotal = left.principalFen + left.bonusFen;
    if (leftTotal === 0) throw new AppError('WALLET_SPEND_ALREADY_REVERSED');
    const amount = input.amountFen ?? leftTotal;
    if (amount > leftTotal) throw new AppError('WALLET_SPEND_REVERSE_EXCEEDS', { leftFen: leftTotal });
    const back = splitReversal(amount, left);
    await this.wallet.lockMemberWallet(m, spend.memberId);
    const before = { status: spend.status, reversedPrincipalFen: spend.reversedPrincipalFen, reversedBonusFen: spend.reversedBonusFen };
    spend.reversedPrincipalFen += back.principalFen;
    spend.reversedBonusFen += back.bonusFen;
    spend.status = amount === leftTotal ? 'reversed' : 'partially_reversed';
    await this.wallet.saveSpend(m, spend);
    await this.ledger.post(m, {
      legs: [
        { memberId: spend.memberId, kind: 'wallet_principal', amount: back.principalFen, reason: 'spend_reversal' },
        { memberId: spend.memberId, kind: 'wallet_bonus', amount: back.bonusFen, reason: 'spend_reversal' },
      ],
      refType: input.refType ?? QUICK_SPEND,
      refId: input.refId ?? spend.id,
      storeId: spend.storeId,
      memo: input.reason ?? null,
    });
    await this.audit.record(m, {
      action: 'wallet.spend.reverse',
      entityType: 'wallet_spend',
      entityId: spend.id,
      storeId: spend.storeId,
      reason: input.reason ?? null,
      before,
      after: { status: spend.status, reversedPrincipalFen: spend.reversedPrincipalFen, reversedBonusFen: spend.reversedBonusFen },
    });
    return this.spendResult(m, spend);
  }

  // ── views ───────────────────────────────────────────────────────────────────

  async balance(memberId: string): Promise<WalletBalanceResponse> {
    await this.members.get(memberId);
    return this.balanceOf(this.tx.manager, memberId);
  }

  async entries(memberId: string, q: WalletEntriesQuery): Promise<Page<WalletEntryResponse>> {
    await this.members.get(memberId);
    const [rows, total] = await this.ledger.entries(this.tx.manager, {
      memberId,
      kinds: q.kind ? [q.kind] : [...WALLET_KINDS],
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(
      rows.map((e) => ({
        id: e.id,
        kind: e.kind,
        amountFen: e.amount,
        balanceAfterFen: e.balanceAfter,
        reason: e.reason,
        refType: e.refType,
        refId: e.refId,
        storeId: e.storeId,
        storeName: e.storeName,
        operationId: e.operationId,
        memo: e.memo,
        createdAt: e.createdAt,
      })),
      total,
      q,
    );
  }

  private async walletBalances(m: EntityManager, memberId: string) {
    const all = await this.ledger.balances(m, memberId);
    const of = (kind: string) => all.find((b) => b.kind === kind && b.refId === null)?.balance ?? 0;
    return { principalFen: of('wallet_principal'), bonusFen: of('wallet_bonus') };
  }

  private async balanceOf(m: EntityManager, memberId: string): Promise<WalletBalanceResponse> {
    const b = await this.walletBalances(m, memberId);
    return { memberId, ...b, totalFen: b.principalFen + b.bonusFen, pendingBonusFen: await this.wallet.pendingBonus(m, memberId) };
  }

  private async topUpResult(m: EntityManager, topUpId: string, memberId: string): Promise<TopUpResultResponse> {
    const row = await this.wallet.topUpView(m, topUpId);
    if (!row) throw new AppError('WALLET_TOP_UP_NOT_FOUND');
    return { ...toTopUpResponse(row, await this.wallet.instalments(m, [topUpId])), balance: await this.balanceOf(m, memberId) };
  }

  private async spendResult(m: EntityManager, s: WalletSpendEntity): Promise<SpendResponse> {
    return {
      id: s.id,
      memberId: s.memberId,
      storeId: s.storeId,
      amountFen: s.amountFen,
      principalFen: s.principalFen,
      bonusFen: s.bonusFen,
      reversedPrincipalFen: s.reversedPrincipalFen,
      reversedBonusFen: s.reversedBonusFen,
      refType: s.refType,
      refId: s.refId,
      status: s.status,
      memo: s.memo,
      createdAt: s.createdAt.toISOString(),
      balance: await this.balanceOf(m, s.memberId),
    };
  }
}

function checkRule(rule: Partial<WalletBonusRuleEntity>): void {
  const problems = [];
  if (!rule.bonusFen && !rule.bonusPoints && !rule.bonusCountCardTemplateId && !rule.bonusCouponTemplateId) {
    problems.push({ field: 'bonusFen', errors: ['a rule needs bonusFen or bonusPoints above 0, or a bonusCountCardTemplateId or bonusCouponTemplateId'] });
  }
  if (rule.validFrom && rule.validTo && rule.validTo <= rule.validFrom) problems.push({ field: 'validTo', errors: ['validTo must be after validFrom'] });
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
}

function toSettingsResponse(s: WalletSettingsEntity): WalletSettingsResponse {
  return {
    consumptionOrder: s.consumptionOrder,
    refundPolicy: s.refundPolicy,
    minTopUpFen: s.minTopUpFen,
    maxTopUpFen: s.maxTopUpFen,
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function toRuleResponse(r: WalletBonusRuleEntity): BonusRuleResponse {
  return {
    id: r.id,
    name: r.name,
    storeId: r.storeId,
    tierId: r.tierId,
    thresholdFen: r.thresholdFen,
    bonusFen: r.bonusFen,
    bonusPoints: r.bonusPoints,
    bonusCountCardTemplateId: r.bonusCountCardTemplateId,
    bonusCouponTemplateId: r.bonusCouponTemplateId,
    instalments: r.instalments,
    intervalMonths: r.intervalMonths,
    validFrom: r.validFrom ? r.validFrom.toISOString() : null,
    validTo: r.validTo ? r.validTo.toISOString() : null,
    active: r.active,
    priority: r.priority,
    createdAt: r.createdAt.toISOString(),
  };
}

function toInstalmentResponse(i: WalletBonusInstalmentEntity): InstalmentResponse {
  return {
    id: i.id,
    seq: i.seq,
    amountFen: i.amountFen,
    dueAt: i.dueAt.toISOString(),
    status: i.status,
    releasedAt: i.releasedAt ? i.releasedAt.toISOString() : null,
  };
}

function toTopUpResponse(t: TopUpRow, instalments: WalletBonusInstalmentEntity[]): TopUpResponse {
  return {
    id: t.id,
    memberId: t.memberId,
    storeId: t.storeId,
    storeName: t.storeName,
    amountFen: t.amountFen,
    bonusFen: t.bonusFen,
    bonusPoints: t.bonusPoints,
    bonusCountCardId: t.bonusCountCardId,
    bonusCouponId: t.bonusCouponId,
    ruleId: t.ruleId,
    ruleName: t.ruleName,
    paymentMethod: t.paymentMethod,
    paymentRef: t.paymentRef,
    operatorId: t.operatorId,
    memo: t.memo,
    status: t.status,
    refundedAt: t.refundedAt ? t.refundedAt.toISOString() : null,
    refundReason: t.refundReason,
    refundCashFen: t.refundCashFen,
    refundBonusFen: t.refundBonusFen,
    instalments: instalments.filter((i) => i.topUpId === t.id).map(toInstalmentResponse),
    createdAt: t.createdAt.toISOString(),
  };
}
