import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { requestContext } from '../../common/request-context';
import { WalletService, type CountCardBonusGranter } from '../wallet/wallet.service';
import { pageOf, type Page } from '../../common/http/pagination';
import { LedgerService } from '../ledger/ledger.service';
import { ShiftsService } from '../shifts/shifts.service';
import { CountCardsRepository, type RedemptionRow } from './count-cards.repository';
import { billTimer, templateProblems, timerMinutes, unitsOnSale, usabilityProblem, validityDaysOf } from './domain/count-card-rules';
import type {
  CountCardDetailResponse,
  CountCardResponse,
  CreateTemplateRequest,
  ListCountCardsQuery,
  ListTemplatesQuery,
  RedeemRequest,
  RedemptionResponse,
  SellCountCardRequest,
  StartTimerRequest,
  TemplateResponse,
  TimerResponse,
  UpdateTemplateRequest,
} from './dto/count-card.dto';
import type { CountCardPaymentMethod, CountCardRedemptionEntity, CountCardTemplateEntity, CountCardTimerEntity, MemberCountCardEntity } from './entities/count-card.entity';

/** Ledger ref types: every count-card posting points at the row of the operation that made it. */
const REF = {
  sale: 'member_count_card',
  redemption: 'count_card_redemption',
  reversal: 'count_card_redemption_reversal',
  timer: 'count_card_timer',
  expiry: 'member_count_card_expiry',
} as const;

const HISTORY_LIMIT = 200;

/**
 * Count cards and time cards (计次卡 / 疗程卡 / 计时卡 / 包月卡): HQ's templates, sale to a member,
 * redemption at any store, timers, reversal, expiry. Uses (count cards) and minutes (time cards)
 * are a ledger account of kind count_card per card; period cards (包月卡) carry no balance.
 */
@Injectable()
export class CountCardsService implements OnModuleInit, CountCardBonusGranter {
  constructor(
    private readonly tx: TransactionHost,
    private readonly cards: CountCardsRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly wallet: WalletService,
    private readonly shifts: ShiftsService,
  ) {}

  onModuleInit(): void {
    this.wallet.registerCountCardGranter(this);
  }

  async listTemplates(q: ListTemplatesQuery): Promise<Page<TemplateResponse>> {
    const [rows, total] = await this.cards.listTemplates(this.tx.manager, { ...q, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map(toTemplateResponse), total, q);
  }

  async getTemplate(id: string): Promise<TemplateResponse> {
    const t = await this.cards.template(this.tx.manager, id);
    if (!t) throw new AppError('COUNT_CARD_TEMPLATE_NOT_FOUND');
    return toTemplateResponse(t);
  }

  createTemplate(input: CreateTemplateRequest): Promise<TemplateResponse> {
    return this.tx.run(async (m) => {
      const fields = {
        name: input.name,
        kind: input.kind,
        serviceCodes: input.serviceCodes,
        uses: input.uses ?? null,
        periodDays: input.periodDays ?? null,
        dailyLimit: input.dailyLimit ?? null,
        minutes: input.minutes ?? null,
        priceFen: String(input.priceFen),
        validityDays: input.validityDays ?? null,
        fixedValidUntil: input.fixedValidUntil ?? null,
        status: input.status ?? 'on_sale',
        storeIds: input.sellingStoreIds ?? [],
        description: input.description ?? '',
      };
      await this.checkTemplate(m, fields);
      const saved = toTemplateResponse(await this.cards.saveTemplate(m, fields));
      await this.audit.record(m, { action: 'count_card_template.create', entityType: 'count_card_template', entityId: saved.id, after: { ...saved } });
      return saved;
    });
  }

  updateTemplate(id: string, input: UpdateTemplateRequest): Promise<TemplateResponse> {
    return this.tx.run(async (m) => {
      const t = await this.cards.template(m, id);
      if (!t) throw new AppError('COUNT_CARD_TEMPLATE_NOT_FOUND');
      const before = toTemplateResponse(t);
      for (const key of ['name', 'serviceCodes', 'uses', 'periodDays', 'dailyLimit', 'minutes', 'validityDays', 'fixedValidUntil', 'status', 'description'] as const) {
        if (input[key] !== undefined) (t as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.priceFen !== undefined) t.priceFen = String(input.priceFen);
      if (input.sellingStoreIds !== undefined) t.storeIds = input.sellingStoreIds;
      await this.checkTemplate(m, t);
      const after = toTemplateResponse(await this.cards.saveTemplate(m, t));
      await this.audit.record(m, { action: 'count_card_template.update', entityType: 'count_card_template', entityId: id, ...diff(before, after) });
      return after;
    });
  }

  /**
   * Sells a card to a member (售卡): snapshots the template, fixes the validity in the selling
   * store's time zone and credits the uses or minutes. Paid in cash, by bank card, or from stored
   * value through WalletService.spend in the same transaction; the money is a taking of the
   * seller's open shift (SHIFT_NOT_OPEN without one).
   */
  sell(actor: StaffActor, memberId: string, input: SellCountCardRequest, now = new Date()): Promise<CountCardResponse> {
    return this.tx.run(async (m) => {
      const take = await this.shifts.takeAtCounter(m, actor, input.storeId);
      const soldBy = input.soldByStaffId ?? actor.id;
      if (!(await this.cards.staffExists(m, soldBy))) throw new AppError('STAFF_NOT_FOUND');
      const { card, units } = await this.issueCard(m, memberId, input.templateId, input.storeId, input.paymentMethod, soldBy, now);
      if (input.paymentMethod === 'stored_value') {
        // Paid like any stored-value spend (consumption order, payment password), in this transaction.
        await this.wallet.spend(m, { memberId, storeId: input.storeId, amountFen: Number(card.priceFen), refType: REF.sale, refId: card.id, password: input.password, memo: card.name });
      }
      await take(input.paymentMethod, Number(card.priceFen), REF.sale, card.id);
      const after = toCardResponse(card, units, null, now);
      await this.audit.record(m, { action: 'count_card.sell', entityType: 'member_count_card', entityId: card.id, storeId: input.storeId, after: { ...after } });
      return after;
    });
  }

  /** CountCardBonusGranter: a top-up bonus rule may give a count card (充值送次卡). */
  async templateExists(m: EntityManager, templateId: string): Promise<boolean> {
    return (await this.cards.template(m, templateId)) !== null;
  }

  /** Issues a card from a template as a top-up bonus, in the top-up's transaction; returns its id. */
  async grantBonusCard(m: EntityManager, cmd: { memberId: string; templateId: string; storeId: string; topUpId: string }): Promise<string> {
    const { card } = await this.issueCard(m, cmd.memberId, cmd.templateId, cmd.storeId, 'bonus', requestContext.get()?.actor?.kind === 'staff' ? requestContext.get()!.actor!.id : null, new Date(), true);
    await this.audit.record(m, { action: 'count_card.bonus', entityType: 'member_count_card', entityId: card.id, storeId: cmd.storeId, after: { topUpId: cmd.topUpId, templateId: cmd.templateId } });
    return card.id;
  }

  /**
   * Takes back a bonus card when its top-up is refunded, only while it is untouched (no use, no
   * minute, no redemption): returns false when it was used, so the refund can be refused.
   */
  async revokeBonusCard(m: EntityManager, cardId: string, reason: string): Promise<boolean> {
    const card = await this.cards.lockCard(m, cardId);
    if (!card || card.status !== 'active') return false;
    const left = (await this.cards.unitsLeft(m, [cardId])).get(cardId) ?? 0;
    if (card.unitsTotal !== null && left !== card.unitsTotal) return false;
    if ((await this.cards.redemptionCount(m, cardId)) > 0) return false;
    if (left > 0) {
      await this.ledger.post(m, { legs: [{ memberId: card.memberId, kind: 'count_card', accountRefId: card.id, amount: -left, reason: 'top_up_refund' }], refType: REF.sale, refId: card.id, storeId: card.soldStoreId, memo: reason });
    }
    await this.cards.setStatus(m, cardId, 'refunded');
    await this.audit.record(m, { action: 'count_card.bonus_revoked', entityType: 'member_count_card', entityId: cardId, storeId: card.soldStoreId, reason, before: { status: 'active' }, after: { status: 'refunded' } });
    return true;
  }

  /** Snapshots the template onto a new card, fixes its validity and credits its uses or minutes. */
  private async issueCard(
    m: EntityManager,
    memberId: string,
    templateId: string,
    storeId: string,
    paymentMethod: CountCardPaymentMethod,
    soldBy: string | null,
    now: Date,
    asBonus = false,
  ): Promise<{ card: MemberCountCardEntity; units: number | null }> {
    await this.requireActiveMember(m, memberId);
    const t = await this.cards.template(m, templateId);
    if (!t) throw new AppError('COUNT_CARD_TEMPLATE_NOT_FOUND');
    // A bonus card follows the bonus rule, not the template's sale status or selling stores.
    if (!asBonus && t.status !== 'on_sale') throw new AppError('COUNT_CARD_TEMPLATE_OFF_SALE');
    if (!asBonus && t.storeIds.length && !t.storeIds.includes(storeId)) throw new AppError('COUNT_CARD_TEMPLATE_NOT_SOLD_HERE');
    const timeZone = await this.storeTimeZone(m, storeId);
    const days = validityDaysOf(t);
    const validUntil = days
      ? await this.cards.startOfDayAfter(m, now, timeZone, days)
      : t.fixedValidUntil
        ? await this.cards.endOfDate(m, t.fixedValidUntil, timeZone)
        : null;
    if (validUntil && validUntil.getTime() <= now.getTime()) throw new AppError('COUNT_CARD_EXPIRED');
    const units = unitsOnSale(t);
    const card = await this.cards.insertCard(m, {
      memberId,
      templateId: t.id,
      name: t.name,
      kind: t.kind,
      serviceCodes: t.serviceCodes,
      unitsTotal: units,
      periodDays: t.periodDays,
      dailyLimit: t.dailyLimit,
      priceFen: t.priceFen,
      paymentMethod,
      validFrom: now,
      validUntil,
      status: 'active',
      soldStoreId: storeId,
      soldByStaffId: soldBy,
    });
    if (units) {
      await this.ledger.post(m, {
        legs: [{ memberId, kind: 'count_card', accountRefId: card.id, amount: units, reason: asBonus ? 'top_up_bonus' : 'purchase' }],
        refType: REF.sale,
        refId: card.id,
        storeId,
        memo: t.name,
      });
    }
    return { card, units };
  }

  /**
   * Redeems uses of a count or period card at any store (核销). Count cards debit the ledger, which
   * refuses to go below zero; period cards check the per-day limit, counted on the redeeming
   * store's business day under the card's row lock so that concurrent redemptions cannot both pass.
   */
  redeem(actor: StaffActor, cardId: string, input: RedeemRequest, now = new Date()): Promise<RedemptionResponse> {
    return this.tx.run(async (m) => {
      const card = await this.lockUsableCard(m, cardId, now);
      if (input.staffId && !(await this.cards.staffExists(m, input.staffId))) throw new AppError('STAFF_NOT_FOUND');
      const { rows, unitsLeft } = await this.redeemLocked(m, card, { ...input, quantity: input.quantity ?? 1, staffId: input.staffId ?? null, operatorStaffId: actor.id, perUse: false, now });
      return toRedemptionResponse({ ...rows[0], reversedAt: null, reversalReason: null }, unitsLeft);
    });
  }

  /**
   * Checkout seam (订单核销): redeems `quantity` uses of the member's count or period card for an
   * order, inside the caller's transaction, with the counter's rules (card lock, usability, service
   * covered, daily limit). One redemption row per use, each pointing at (refType, refId), so that a
   * partial refund gives back whole rows (reverseFor). COUNT_CARD_NOT_MEMBERS for another member's card.
   */
  async redeemFor(
    m: EntityManager,
    cmd: { cardId: string; memberId: string; storeId: string; serviceCode: string; quantity: number; staffId: string | null; operatorStaffId: string | null; refType: string; refId: string; now?: Date },
  ): Promise<{ redemptionIds: string[]; unitsLeft: number | null }> {
    const now = cmd.now ?? new Date();
    const card = await this.lockUsableCard(m, cmd.cardId, now);
    if (card.memberId !== cmd.memberId) throw new AppError('COUNT_CARD_NOT_MEMBERS', { countCardId: cmd.cardId });
    const { rows, unitsLeft } = await this.redeemLocked(m, card, { ...cmd, perUse: true, now });
    return { redemptionIds: rows.map((r) => r.id), unitsLeft };
  }

  /**
   * Refund seam: reverses `quantity` of the uses redeemed for (refType, refId), latest first, in
   * the caller's transaction. Refused like a counter reversal when the card has expired or was
   * refunded (its uses were written off). Returns how many uses went back.
   */
  async reverseFor(m: EntityManager, cmd: { refType: string; refId: string; quantity: number; reason: string; operatorStaffId: string | null; now?: Date }): Promise<number> {
    const now = cmd.now ?? new Date();
    const open = await this.cards.openRedemptionsFor(m, cmd.refType, cmd.refId, cmd.quantity);
    if (open.length < cmd.quantity) throw new Error(`only ${open.length} of ${cmd.quantity} uses redeemed for ${cmd.refType}:${cmd.refId} are left to reverse`);
    for (const r of open) await this.reverseLocked(m, r, cmd.reason, cmd.operatorStaffId, now);
    return open.length;
  }

  private async redeemLocked(
    m: EntityManager,
    card: MemberCountCardEntity,
    cmd: { storeId: string; serviceCode: string; quantity: number; staffId: string | null; operatorStaffId: string | null; refType?: string; refId?: string; perUse: boolean; now: Date },
  ): Promise<{ rows: CountCardRedemptionEntity[]; unitsLeft: number | null }> {
    if (card.kind === 'time') throw new AppError('COUNT_CARD_WRONG_KIND', { kind: card.kind, use: 'timers' });
    this.requireService(card, cmd.serviceCode);
    const timeZone = await this.storeTimeZone(m, cmd.storeId);
    if (card.kind === 'period' && card.dailyLimit !== null) {
      const today = await this.cards.usesOnDay(m, card.id, cmd.now, timeZone);
      if (today + cmd.quantity > card.dailyLimit) throw new AppError('COUNT_CARD_DAILY_LIMIT_REACHED', { dailyLimit: card.dailyLimit, usedToday: today });
    }
    const rows: CountCardRedemptionEntity[] = [];
    for (const quantity of cmd.perUse ? Array<number>(cmd.quantity).fill(1) : [cmd.quantity]) {
      rows.push(
        await this.cards.insertRedemption(m, {
          countCardId: card.id,
          memberId: card.memberId,
          storeId: cmd.storeId,
          serviceCode: cmd.serviceCode,
          quantity,
          staffId: cmd.staffId,
          operatorStaffId: cmd.operatorStaffId,
          redeemedAt: cmd.now,
          refType: cmd.refType ?? null,
          refId: cmd.refId ?? null,
        }),
      );
    }
    let unitsLeft: number | null = null;
    if (card.kind === 'count') {
      for (const r of rows) {
        const { entries } = await this.ledger.post(m, {
          legs: [{ memberId: card.memberId, kind: 'count_card', accountRefId: card.id, amount: -r.quantity, reason: 'redeem' }],
          refType: REF.redemption,
          refId: r.id,
          storeId: cmd.storeId,
          memo: cmd.serviceCode,
        });
        unitsLeft = entries[0].balanceAfter;
      }
      if (unitsLeft === 0) await this.cards.setStatus(m, card.id, 'used_up');
    }
    return { rows, unitsLeft };
  }

  /**
   * Undoes a redemption made by mistake (撤销核销): credits the uses back, once (the reversal row's
   * primary key is the redemption id). An expired or refunded card is not credited: its remaining
   * uses were already written off.
   */
  reverse(actor: StaffActor, redemptionId: string, reason: string, now = new Date()): Promise<RedemptionResponse> {
    return this.tx.run(async (m) => {
      const found = await this.cards.redemption(m, redemptionId);
      if (!found) throw new AppError('COUNT_CARD_REDEMPTION_NOT_FOUND');
      if (found.refType) throw new AppError('COUNT_CARD_REDEMPTION_NOT_REVERSIBLE_HERE', { refType: found.refType, refId: found.refId });
      const unitsLeft = await this.reverseLocked(m, found, reason, actor.id, now);
      return toRedemptionResponse((await this.cards.redemption(m, redemptionId))!, unitsLeft);
    });
  }

  /** Takes the card lock, records the reversal once and credits the uses back. */
  private async reverseLocked(m: EntityManager, found: RedemptionRow, reason: string, operatorStaffId: string | null, now: Date): Promise<number | null> {
    const card = await this.cards.lockCard(m, found.countCardId);
    if (!card) throw new AppError('COUNT_CARD_REDEMPTION_NOT_FOUND');
    if (!(await this.cards.insertReversal(m, { redemptionId: found.id, reason, operatorStaffId }))) throw new AppError('COUNT_CARD_REDEMPTION_REVERSED');
    const problem = usabilityProblem(card, now);
    if (problem === 'COUNT_CARD_EXPIRED' || problem === 'COUNT_CARD_REFUNDED') throw new AppError(problem);
    let unitsLeft: number | null = null;
    if (card.kind === 'count') {
      const { entries } = await this.ledger.post(m, {
        legs: [{ memberId: card.memberId, kind: 'count_card', accountRefId: card.id, amount: found.quantity, reason: 'redeem_reversal' }],
        refType: REF.reversal,
        refId: found.id,
        storeId: found.storeId,
        memo: reason,
      });
      unitsLeft = entries[0].balanceAfter;
      if (card.status === 'used_up') await this.cards.setStatus(m, card.id, 'active');
    }
    await this.audit.record(m, {
      action: 'count_card.redemption.reverse',
      entityType: 'count_card_redemption',
      entityId: found.id,
      storeId: found.storeId,
      before: { reversed: false },
      after: { reversed: true, quantity: found.quantity, countCardId: card.id, ...(found.refType ? { refType: found.refType, refId: found.refId } : {}) },
      reason,
    });
    return unitsLeft;
  }

  /** Starts timing a session on a time card (开始计时); one timer at a time per card. */
  startTimer(actor: StaffActor, cardId: string, input: StartTimerRequest, now = new Date()): Promise<TimerResponse> {
    return this.tx.run(async (m) => {
      const card = await this.lockUsableCard(m, cardId, now);
      if (card.kind !== 'time') throw new AppError('COUNT_CARD_WRONG_KIND', { kind: card.kind, use: 'redemptions' });
      this.requireService(card, input.serviceCode);
      if (input.staffId && !(await this.cards.staffExists(m, input.staffId))) throw new AppError('STAFF_NOT_FOUND');
      await this.storeTimeZone(m, input.storeId);
      if ((await this.cards.runningTimers(m, [card.id])).size) throw new AppError('COUNT_CARD_TIMER_RUNNING');
      const left = (await this.cards.unitsLeft(m, [card.id])).get(card.id) ?? 0;
      if (left <= 0) throw new AppError('COUNT_CARD_NO_USES_LEFT');
      try {
        const timer = await this.cards.insertTimer(m, {
          countCardId: card.id,
          memberId: card.memberId,
          storeId: input.storeId,
          serviceCode: input.serviceCode,
          staffId: input.staffId ?? null,
          startedAt: now,
          operatorStaffId: actor.id,
        });
        return toTimerResponse(timer, left);
      } catch (err) {
        // The partial unique index is the last line of defence behind the card lock above.
        if (pgConstraint(err) === 'count_card_timer_one_running') throw new AppError('COUNT_CARD_TIMER_RUNNING');
        throw err;
      }
    });
  }

  /**
   * Stops a timer and bills its minutes (结束计时): every started minute counts (rounded up, at least
   * one). When the card holds fewer minutes than were used, it pays what it holds and the rest is
   * recorded as shortfall_minutes for the checkout to charge. A card past its end while the timer
   * ran is still billed: the session began while it was valid.
   */
  stopTimer(timerId: string, now = new Date()): Promise<TimerResponse> {
    return this.tx.run(async (m) => {
      const timer = await this.cards.timer(m, timerId);
      if (!timer) throw new AppError('COUNT_CARD_TIMER_NOT_FOUND');
      const card = await this.cards.lockCard(m, timer.countCardId);
      if (!card) throw new AppError('COUNT_CARD_TIMER_NOT_FOUND');
      if (timer.stoppedAt) throw new AppError('COUNT_CARD_TIMER_STOPPED');
      const left = (await this.cards.unitsLeft(m, [card.id])).get(card.id) ?? 0;
      const used = timerMinutes(timer.startedAt, now);
      const { billed, shortfall } = billTimer(used, left);
      const stopped = await this.cards.stopTimer(m, timerId, { stoppedAt: now, minutesUsed: used, minutesBilled: billed, shortfallMinutes: shortfall });
      if (!stopped) throw new AppError('COUNT_CARD_TIMER_STOPPED');
      if (billed > 0) {
        await this.ledger.post(m, {
          legs: [{ memberId: card.memberId, kind: 'count_card', accountRefId: card.id, amount: -billed, reason: 'timer' }],
          refType: REF.timer,
          refId: timerId,
          storeId: timer.storeId,
          memo: `${timer.serviceCode} ${used} min`,
        });
      }
      if (left - billed === 0 && card.status === 'active') await this.cards.setStatus(m, card.id, 'used_up');
      return toTimerResponse(stopped, left - billed);
    });
  }

  /**
   * The expiry job (过期): marks every card past valid_until as expired and writes off the uses or
   * minutes it still holds (reason 'expire'), so that the count-card liability is what members can
   * still use. One transaction per card; running it again finds nothing left to do.
   */
  async expireCards(now = new Date()): Promise<number> {
    let expired = 0;
    for (;;) {
      const ids = await this.cards.dueForExpiry(this.tx.dataSource.manager, now, 100);
      for (const id of ids) if (await this.expireOne(id, now)) expired++;
      if (ids.length < 100) return expired;
    }
  }

  async listForMember(memberId: string, q: ListCountCardsQuery, now = new Date()): Promise<CountCardResponse[]> {
    const m = this.tx.manager;
    if ((await this.cards.memberStatus(m, memberId)) === null) throw new AppError('MEMBER_NOT_FOUND');
    const rows = await this.cards.cardsOf(m, memberId, q.status);
    const ids = rows.map((c) => c.id);
    const [left, timers] = await Promise.all([this.cards.unitsLeft(m, ids), this.cards.runningTimers(m, ids)]);
    return rows.map((c) => toCardResponse(c, c.kind === 'period' ? null : (left.get(c.id) ?? 0), timers.get(c.id) ?? null, now));
  }

  /** One card with its history; `memberId` restricts the lookup to that member's cards (member app). */
  async detail(cardId: string, memberId?: string, now = new Date()): Promise<CountCardDetailResponse> {
    const m = this.tx.manager;
    const card = await this.cards.card(m, cardId, memberId);
    if (!card) throw new AppError('COUNT_CARD_NOT_FOUND');
    const [left, running, redemptions, timers] = await Promise.all([
      this.cards.unitsLeft(m, [card.id]),
      this.cards.runningTimers(m, [card.id]),
      this.cards.redemptionsOf(m, card.id, HISTORY_LIMIT),
      this.cards.timersOf(m, card.id, HISTORY_LIMIT),
    ]);
    return {
      ...toCardResponse(card, card.kind === 'period' ? null : (left.get(card.id) ?? 0), running.get(card.id) ?? null, now),
      redemptions: redemptions.map((r) => toRedemptionResponse(r, null)),
      timers: timers.map((t) => toTimerResponse(t, null)),
    };
  }

  private expireOne(cardId: string, now: Date): Promise<boolean> {
    return this.tx.run(async (m) => {
      const card = await this.cards.lockCard(m, cardId);
      if (!card || !card.validUntil || card.validUntil.getTime() > now.getTime()) return false;
      if (card.status !== 'active' && card.status !== 'used_up') return false;
      if ((await this.cards.runningTimers(m, [card.id])).size) return false;
      const left = card.kind === 'period' ? 0 : ((await this.cards.unitsLeft(m, [card.id])).get(card.id) ?? 0);
      if (left > 0) {
        await this.ledger.post(m, {
          legs: [{ memberId: card.memberId, kind: 'count_card', accountRefId: card.id, amount: -left, reason: 'expire' }],
          refType: REF.expiry,
          refId: card.id,
          storeId: null,
          memo: card.name,
        });
      }
      await this.cards.setStatus(m, card.id, 'expired', now);
      return true;
    });
  }

  private async lockUsableCard(m: EntityManager, cardId: string, now: Date): Promise<MemberCountCardEntity> {
    const card = await this.cards.lockCard(m, cardId);
    if (!card) throw new AppError('COUNT_CARD_NOT_FOUND');
    const problem = usabilityProblem(card, now);
    if (problem) throw new AppError(problem);
    if ((await this.cards.memberStatus(m, card.memberId)) !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
    return card;
  }

  private requireService(card: MemberCountCardEntity, serviceCode: string): void {
    if (!card.serviceCodes.includes(serviceCode)) throw new AppError('COUNT_CARD_SERVICE_NOT_COVERED', { serviceCode, covered: card.serviceCodes });
  }

  private async requireActiveMember(m: EntityManager, memberId: string): Promise<void> {
    const status = await this.cards.memberStatus(m, memberId);
    if (status === null) throw new AppError('MEMBER_NOT_FOUND');
    if (status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
  }

  private async storeTimeZone(m: EntityManager, storeId: string): Promise<string> {
    const tz = await this.cards.storeTimeZone(m, storeId);
    if (!tz) throw new AppError('STORE_NOT_FOUND');
    return tz;
  }

  private async checkTemplate(m: EntityManager, t: Pick<CountCardTemplateEntity, 'kind' | 'uses' | 'periodDays' | 'dailyLimit' | 'minutes' | 'validityDays' | 'fixedValidUntil' | 'storeIds'>) {
    const problems = templateProblems(t);
    const missing = await this.cards.missingStores(m, t.storeIds);
    if (missing.length) problems.push({ field: 'sellingStoreIds', errors: [`no such store: ${missing.join(', ')}`] });
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
  }
}

function unitOf(kind: MemberCountCardEntity['kind']): 'uses' | 'minutes' | 'days' {
  return kind === 'count' ? 'uses' : kind === 'time' ? 'minutes' : 'days';
}

/** Status as the member sees it: a card past its end shows expired even before the job has run. */
function effectiveStatus(card: MemberCountCardEntity, now: Date): MemberCountCardEntity['status'] {
  const past = card.validUntil !== null && card.validUntil.getTime() <= now.getTime();
  return past && (card.status === 'active' || card.status === 'used_up') ? 'expired' : card.status;
}

function toCardResponse(c: MemberCountCardEntity, unitsLeft: number | null, runningTimerId: string | null, now: Date): CountCardResponse {
  return {
    id: c.id,
    memberId: c.memberId,
    templateId: c.templateId,
    name: c.name,
    kind: c.kind,
    serviceCodes: c.serviceCodes,
    unitsTotal: c.unitsTotal,
    unitsLeft: c.kind === 'period' ? null : unitsLeft,
    unit: unitOf(c.kind),
    periodDays: c.periodDays,
    dailyLimit: c.dailyLimit,
    priceFen: Number(c.priceFen),
    paymentMethod: c.paymentMethod,
    validFrom: c.validFrom.toISOString(),
    validUntil: c.validUntil ? c.validUntil.toISOString() : null,
    status: effectiveStatus(c, now),
    soldStoreId: c.soldStoreId,
    soldByStaffId: c.soldByStaffId,
    runningTimerId,
    createdAt: c.createdAt.toISOString(),
  };
}

function toTemplateResponse(t: CountCardTemplateEntity): TemplateResponse {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind,
    serviceCodes: t.serviceCodes,
    uses: t.uses,
    periodDays: t.periodDays,
    dailyLimit: t.dailyLimit,
    minutes: t.minutes,
    priceFen: Number(t.priceFen),
    validityDays: t.validityDays,
    fixedValidUntil: t.fixedValidUntil,
    status: t.status,
    sellingStoreIds: t.storeIds,
    description: t.description,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

function toRedemptionResponse(r: RedemptionRow, unitsLeft: number | null): RedemptionResponse {
  return {
    id: r.id,
    countCardId: r.countCardId,
    memberId: r.memberId,
    storeId: r.storeId,
    serviceCode: r.serviceCode,
    quantity: r.quantity,
    staffId: r.staffId,
    redeemedAt: r.redeemedAt.toISOString(),
    reversedAt: r.reversedAt ? r.reversedAt.toISOString() : null,
    reversalReason: r.reversalReason,
    unitsLeft,
  };
}

function toTimerResponse(t: CountCardTimerEntity, unitsLeft: number | null): TimerResponse {
  return {
    id: t.id,
    countCardId: t.countCardId,
    storeId: t.storeId,
    serviceCode: t.serviceCode,
    staffId: t.staffId,
    startedAt: t.startedAt.toISOString(),
    stoppedAt: t.stoppedAt ? t.stoppedAt.toISOString() : null,
    minutesUsed: t.minutesUsed,
    minutesBilled: t.minutesBilled,
    shortfallMinutes: t.shortfallMinutes,
    unitsLeft,
  };
}
