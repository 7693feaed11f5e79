import { Injectable, OnModuleInit } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { Actor, StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { LedgerService, type Leg, type PointsLotKeeper } from '../ledger/ledger.service';
import { MembersService } from '../members/members.service';
import type { MemberResponse } from '../members/dto/member.dto';
import { computeEarn, stageRatesProblems, type EarnStageLine } from './domain/earn';
import { earningYear, isBirthday, lastExpiredYear, lotExpiresAt } from './domain/expiry';
import type {
  ExpiryRunResponse,
  MemberPointsResponse,
  PointAdjustmentRequest,
  PointAdjustmentResponse,
  PointEntryResponse,
  PointExchangeResponse,
  PointsSettingsResponse,
  UpdatePointsSettingsRequest,
} from './dto/points.dto';
import type { PointEarningEntity, PointsSettingsEntity } from './entities/points.entity';
import { PointsRepository } from './points.repository';

/** A change of a member's points by a positive amount, in or out. */
type LotMove = Pick<PointsMove, 'memberId' | 'points' | 'reason' | 'refType' | 'refId'>;

export interface PointsMove {
  memberId: string;
  storeId: string | null;
  points: number;
  /** Ledger and lot reason, e.g. earn, adjust, exchange, redeem. */
  reason: string;
  /** The record of the operation (its table and id): every entry and lot move points at it. */
  refType: string;
  refId: string;
  memo?: string | null;
  /** Other legs of the same posting (e.g. the bonus stored value bought by an exchange). */
  extraLegs?: Leg[];
}

export interface EarnCommand {
  memberId: string;
  storeId: string;
  /** The order amount that earns points: paid amount minus excluded categories (checkout decides). */
  eligibleAmountFen: number;
  /** The member's tier multiplier (等级倍率); 10000 = 1×. */
  tierMultiplierBps: number;
  /** The purchase that earns, e.g. ('order', orderId). One earning per purchase. */
  refType: string;
  refId: string;
  /** When the purchase happened (birthday and earning year); defaults to now. */
  at?: Date;
}

export interface EarnOutcome {
  earningId: string;
  points: number;
  stages: EarnStageLine[];
  multiplierBps: number;
  birthday: boolean;
  /** False when this purchase had already earned: nothing was posted again. */
  posted: boolean;
  referralBonus: { referrerId: string; points: number } | null;
}

/**
 * Points (积分): the rules, earning, spending with lots for expiry, manual adjustment, exchange for
 * stored value and the expiry job. Every change goes through LedgerService (the `points` account)
 * and through the member's lots (point_lot) in the same transaction, so that the points balance
 * always equals the sum of the lots' remaining points.
 *
 * Lock order, shared with the mall: mall_redemption row → gift_stock row → member points lock
 * (advisory) → points account (ledger) → point_lot rows.
 */
@Injectable()
export class PointsService implements OnModuleInit, PointsLotKeeper {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: PointsRepository,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.ledger.registerPointsLotKeeper(this);
  }

  async settings(): Promise<PointsSettingsResponse> {
    return toSettingsResponse(await this.repo.settings(this.tx.manager));
  }

  /** The rules as the checkout and the mall read them inside their own transaction. */
  rules(m: EntityManager): Promise<PointsSettingsEntity> {
    return this.repo.settings(m);
  }

  updateSettings(input: UpdatePointsSettingsRequest): Promise<PointsSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m);
      const before = toSettingsResponse(s);
      if (input.stageRates) {
        const problems = stageRatesProblems(input.stageRates);
        if (problems.length) throw new AppError('VALIDATION_FAILED', [{ field: 'stageRates', errors: problems }]);
        input.stageRates = [...input.stageRates].sort((a, b) => a.fromFen - b.fromFen).map((r) => ({ fromFen: r.fromFen, rateBps: r.rateBps }));
      }
      for (const key of Object.keys(input) as (keyof UpdatePointsSettingsRequest)[]) {
        if (input[key] !== undefined) (s as unknown as Record<string, unknown>)[key] = input[key];
      }
      const after = toSettingsResponse(await this.repo.saveSettings(m, s));
      const changes = diff(before, after);
      delete changes.before.updatedAt;
      delete changes.after.updatedAt;
      await this.audit.record(m, { action: 'points.settings.update', entityType: 'points_settings', entityId: '1', ...changes });
      return after;
    });
  }

  // ---- earning (called by the checkout, the referral and review flows) ----

  /**
   * Points for a purchase. The checkout calls it inside its own transaction after the payment,
   * with the amount that earns (excluded categories already left out) and the member's tier
   * multiplier. A second call for the same purchase posts nothing and returns the first result.
   * The member's first purchase that earns points also pays the referral bonus to the referrer.
   */
  async earn(m: EntityManager, cmd: EarnCommand): Promise<EarnOutcome> {
    const at = cmd.at ?? new Date();
    const { member, birthday, result } = await this.computeFor(m, cmd.memberId, cmd.eligibleAmountFen, cmd.tierMultiplierBps, at);
    const earning = await this.repo.insertEarning(m, {
      memberId: cmd.memberId,
      storeId: cmd.storeId,
      kind: 'purchase',
      sourceType: cmd.refType,
      sourceId: cmd.refId,
      eligibleAmountFen: String(Math.max(0, cmd.eligibleAmountFen)),
      multiplierBps: result.multiplierBps,
      points: String(result.points),
    });
    if (!earning) {
      const first = (await this.repo.findEarning(m, 'purchase', cmd.refType, cmd.refId))!;
      return { earningId: first.id, points: Number(first.points), stages: result.stages, multiplierBps: first.multiplierBps, birthday, posted: false, referralBonus: null };
    }
    if (result.points > 0) {
      await this.credit(m, { memberId: cmd.memberId, storeId: cmd.storeId, points: result.points, reason: 'earn', refType: 'point_earning', refId: earning.id, memo: `${cmd.refType}:${cmd.refId}` }, at);
    }
    const referralBonus = result.points > 0 ? await this.awardReferral(m, member, cmd.storeId, at) : null;
    return { earningId: earning.id, points: result.points, stages: result.stages, multiplierBps: result.multiplierBps, birthday, posted: true, referralBonus };
  }

  /**
   * The points a purchase would earn, without posting anything: the quote shows them before the
   * order is paid, with the same rules (stages, tier and birthday multipliers) as earn.
   */
  async previewEarn(m: EntityManager, cmd: { memberId: string; eligibleAmountFen: number; tierMultiplierBps: number; at?: Date }): Promise<number> {
    const { result } = await this.computeFor(m, cmd.memberId, Math.max(0, cmd.eligibleAmountFen), cmd.tierMultiplierBps, cmd.at ?? new Date());
    return result.points;
  }

  private async computeFor(m: EntityManager, memberId: string, eligibleAmountFen: number, tierMultiplierBps: number, at: Date) {
    const settings = await this.repo.settings(m);
    const tz = await this.repo.chainTimeZone(m);
    const member = await this.members.get(memberId);
    const birthday = isBirthday(member.birthday, businessDay(at, tz));
    const result = computeEarn({
      eligibleAmountFen,
      stageRates: settings.stageRates,
      unit: { points: settings.earnPoints, perFen: settings.earnPerFen },
      tierMultiplierBps,
      birthday: birthday ? { multiplierBps: settings.birthdayMultiplierBps } : null,
    });
    return { member, birthday, result };
  }

  /**
   * Takes back the points a purchase earned, for a refund: all that is left of them, or `points`
   * of them for a partial refund. Never takes a balance below zero: when the member already spent
   * the points, the part that cannot be taken is returned as `shortfallPoints` for the checkout
   * to settle (e.g. deduct its value from the refund). The referral bonus is not taken back.
   */
  async reverseEarn(
    m: EntityManager,
    cmd: { refType: string; refId: string; points?: number; storeId: string | null; reason?: string },
  ): Promise<{ reversedPoints: number; shortfallPoints: number }> {
    const found = await this.repo.findEarning(m, 'purchase', cmd.refType, cmd.refId);
    if (!found) return { reversedPoints: 0, shortfallPoints: 0 };
    await this.repo.lockMember(m, found.memberId);
    const earning = (await this.repo.lockEarning(m, found.id)) as PointEarningEntity;
    const outstanding = Number(earning.points) - Number(earning.reversedPoints);
    const wanted = Math.min(cmd.points ?? outstanding, outstanding);
    if (wanted <= 0) return { reversedPoints: 0, shortfallPoints: 0 };
    const balance = await this.ledger.balanceOf(m, earning.memberId, 'points');
    const taken = Math.min(wanted, balance);
    if (taken > 0) {
      const tz = await this.repo.chainTimeZone(m);
      await this.debit(
        m,
        { memberId: earning.memberId, storeId: cmd.storeId, points: taken, reason: 'earn_reversal', refType: 'point_earning', refId: earning.id, memo: cmd.reason ?? null },
        earningYear(earning.createdAt, tz),
      );
      await this.repo.addReversed(m, earning.id, taken);
    }
    return { reversedPoints: taken, shortfallPoints: wanted - taken };
  }

  /** 老带新: the referral bonus, once per referred member, to the member who referred him. */
  async awardReferral(m: EntityManager, referred: MemberResponse, storeId: string | null, at = new Date()): Promise<{ referrerId: string; points: number } | null> {
    const settings = await this.repo.settings(m);
    if (!referred.referrerId || settings.referralBonusPoints <= 0) return null;
    const earning = await this.repo.insertEarning(m, {
      memberId: referred.referrerId,
      storeId,
      kind: 'referral',
      sourceType: 'member',
      sourceId: referred.id,
      eligibleAmountFen: '0',
      multiplierBps: 10_000,
      points: String(settings.referralBonusPoints),
    });
    if (!earning) return null;
    await this.credit(
      m,
      { memberId: referred.referrerId, storeId, points: settings.referralBonusPoints, reason: 'referral', refType: 'point_earning', refId: earning.id, memo: `member:${referred.id}` },
      at,
    );
    return { referrerId: referred.referrerId, points: settings.referralBonusPoints };
  }

  /** Points for reviewing a visit, once per review; the reviews capability calls it. */
  async awardReview(m: EntityManager, cmd: { memberId: string; storeId: string | null; reviewId: string }): Promise<number> {
    const settings = await this.repo.settings(m);
    if (settings.reviewBonusPoints <= 0) return 0;
    const earning = await this.repo.insertEarning(m, {
      memberId: cmd.memberId,
      storeId: cmd.storeId,
      kind: 'review',
      sourceType: 'review',
      sourceId: cmd.reviewId,
      eligibleAmountFen: '0',
      multiplierBps: 10_000,
      points: String(settings.reviewBonusPoints),
    });
    if (!earning) return 0;
    await this.credit(m, { memberId: cmd.memberId, storeId: cmd.storeId, points: settings.reviewBonusPoints, reason: 'review', refType: 'point_earning', refId: earning.id });
    return settings.reviewBonusPoints;
  }

  // ---- the primitives every points operation uses ----

  /**
   * Points posted by other capabilities straight through the ledger (opening balances of an
   * import, a merge, a deletion, top-up bonus points): credits go to this year's lot, debits take
   * the oldest lots first, exactly as credit/debit do. The ledger's account row lock, held by the
   * posting, serialises this against every other move of the member's points.
   */
  async onPointsPosted(m: EntityManager, leg: { memberId: string; amount: number; reason: string; refType: string; refId: string }): Promise<void> {
    const move = { memberId: leg.memberId, points: Math.abs(leg.amount), reason: leg.reason, refType: leg.refType, refId: leg.refId };
    if (leg.amount > 0) await this.addToYearLot(m, move, new Date());
    else await this.takeFromLots(m, move);
  }

  /** Takes the member's points lock early, for callers that check something before moving points. */
  lockMember(m: EntityManager, memberId: string): Promise<void> {
    return this.repo.lockMember(m, memberId);
  }

  /** Adds points to the balance and to the lot of the earning year of `at`. Returns the new balance. */
  async credit(m: EntityManager, move: PointsMove, at = new Date()): Promise<number> {
    assertPositive(move.points);
    await this.repo.lockMember(m, move.memberId);
    const balanceAfter = await this.post(m, move, move.points);
    await this.addToYearLot(m, move, at);
    return balanceAfter;
  }

  /**
   * Takes points from the balance (POINTS_INSUFFICIENT when there are not enough) and from the
   * lots, oldest first (FIFO), or from `preferYear`'s lot first. Returns the new balance.
   */
  async debit(m: EntityManager, move: PointsMove, preferYear?: number): Promise<number> {
    assertPositive(move.points);
    await this.repo.lockMember(m, move.memberId);
    const balanceAfter = await this.post(m, move, -move.points);
    await this.takeFromLots(m, move, preferYear);
    return balanceAfter;
  }

  /** Puts credited points in the lot of the earning year of `at` (chain time zone). */
  private async addToYearLot(m: EntityManager, move: LotMove, at: Date): Promise<void> {
    const year = earningYear(at, await this.repo.chainTimeZone(m));
    await this.repo.addToLot(m, move.memberId, year, move.points, move.reason, move.refType, move.refId);
  }

  /** Takes debited points from the lots, oldest first (FIFO), or from `preferYear`'s lot first. */
  private async takeFromLots(m: EntityManager, move: LotMove, preferYear?: number): Promise<void> {
    const lots = await this.repo.openLots(m, move.memberId);
    if (preferYear !== undefined) lots.sort((a, b) => Number(b.year === preferYear) - Number(a.year === preferYear));
    let left = move.points;
    for (const lot of lots) {
      if (left === 0) break;
      const take = Math.min(left, lot.remaining);
      // Callers hold the account row lock (and usually the member lock): a lot cannot change under us.
      if (!(await this.repo.takeFromLot(m, lot.id, move.memberId, take, move.reason, move.refType, move.refId))) {
        throw new Error(`point lot ${lot.id} changed under the lock`);
      }
      left -= take;
    }
    // The ledger let the debit through, so the lots held as much; anything else is a broken invariant.
    if (left > 0) throw new Error(`lots of member ${move.memberId} hold ${left} points fewer than the balance`);
  }

  /**
   * Gives back what an operation took (a cancelled redemption, a refunded order payment): the same
   * points return to the same lots, so that their expiry does not change. `points` gives back only
   * that many (a partial refund), from the latest-expiring lots first; omitted = all that is still
   * taken. A second full call returns nothing. Returns the points given back.
   */
  async restore(m: EntityManager, cmd: { memberId: string; storeId: string | null; refType: string; refId: string; reason: string; points?: number; extraLegs?: Leg[] }): Promise<number> {
    await this.repo.lockMember(m, cmd.memberId);
    const taken = await this.repo.takenBy(m, cmd.memberId, cmd.refType, cmd.refId);
    const held = taken.reduce((s, t) => s + t.taken, 0);
    const total = Math.min(held, cmd.points ?? held);
    if (cmd.points !== undefined && cmd.points > held) throw new RangeError(`restore of ${cmd.points} points, but ${cmd.refType}:${cmd.refId} holds only ${held}`);
    if (total === 0) return 0;
    await this.post(m, { ...cmd, points: total }, total);
    let left = total;
    for (const t of taken) {
      if (left === 0) break;
      const back = Math.min(left, t.taken);
      await this.repo.returnToLot(m, t.lotId, cmd.memberId, back, cmd.reason, cmd.refType, cmd.refId);
      left -= back;
    }
    return total;
  }

  private async post(m: EntityManager, move: PointsMove, signed: number): Promise<number> {
    const { entries } = await this.ledger.post(m, {
      legs: [{ memberId: move.memberId, kind: 'points', amount: signed, reason: move.reason, lotsHandled: true }, ...(move.extraLegs ?? [])],
      refType: move.refType,
      refId: move.refId,
      storeId: move.storeId,
      memo: move.memo ?? null,
    });
    return entries.find((e) => e.kind === 'points')!.balanceAfter;
  }

  // ---- staff and member operations ----

  /** 手工调整积分: a signed change with the reason, audited. */
  adjust(actor: StaffActor, memberId: string, input: PointAdjustmentRequest): Promise<PointAdjustmentResponse> {
    return this.tx.run(async (m) => {
      const member = await this.members.get(memberId);
      if (member.status === 'anonymised') throw new AppError('MEMBER_NOT_ACTIVE');
      const before = await this.ledger.balanceOf(m, memberId, 'points');
      const record = await this.repo.insertAdjustment(m, { memberId, storeId: input.storeId, points: String(input.points), reason: input.reason, staffId: actor.id });
      const move: PointsMove = { memberId, storeId: input.storeId, points: Math.abs(input.points), reason: 'adjust', refType: 'point_adjustment', refId: record.id, memo: input.reason };
      const balanceAfter = input.points > 0 ? await this.credit(m, move) : await this.debit(m, move);
      await this.audit.record(m, {
        action: 'points.adjust',
        entityType: 'member',
        entityId: memberId,
        storeId: input.storeId,
        before: { points: before },
        after: { points: balanceAfter, adjustmentId: record.id, change: input.points },
        reason: input.reason,
      });
      return {
        id: record.id,
        memberId,
        storeId: input.storeId,
        points: input.points,
        reason: input.reason,
        balanceAfter,
        createdAt: record.createdAt.toISOString(),
      };
    });
  }

  /**
   * 积分兑换储值: points out, bonus stored value in, as one posting. The value lands in
   * `wallet_bonus` because it was never paid for: refunds of principal never pay it out.
   */
  exchange(actor: Actor, memberId: string, input: { points: number; storeId: string | null }): Promise<PointExchangeResponse> {
    return this.tx.run(async (m) => {
      const settings = await this.repo.settings(m);
      if (!settings.exchangeEnabled) throw new AppError('POINTS_EXCHANGE_DISABLED');
      if (input.points % settings.exchangePoints !== 0) {
        throw new AppError('POINTS_EXCHANGE_NOT_MULTIPLE', { field: 'points', multipleOf: settings.exchangePoints });
      }
      const member = await this.members.get(memberId);
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const valueFen = (input.points / settings.exchangePoints) * settings.exchangeFen;
      const record = await this.repo.insertExchange(m, {
        memberId,
        storeId: input.storeId,
        points: String(input.points),
        valueFen: String(valueFen),
        operatorKind: actor.kind,
        operatorId: actor.id,
      });
      const balanceAfter = await this.debit(m, {
        memberId,
        storeId: input.storeId,
        points: input.points,
        reason: 'exchange',
        refType: 'point_exchange',
        refId: record.id,
        extraLegs: [{ memberId, kind: 'wallet_bonus', amount: valueFen, reason: 'points_exchange' }],
      });
      await this.audit.record(m, {
        action: 'points.exchange',
        entityType: 'point_exchange',
        entityId: record.id,
        storeId: input.storeId,
        after: { memberId, points: input.points, valueFen, pointsBalanceAfter: balanceAfter },
      });
      return {
        id: record.id,
        memberId,
        storeId: input.storeId,
        points: input.points,
        valueFen,
        pointsBalanceAfter: balanceAfter,
        createdAt: record.createdAt.toISOString(),
      };
    });
  }

  // ---- views ----

  async memberPoints(memberId: string, now = new Date()): Promise<MemberPointsResponse> {
    const m = this.tx.manager;
    await this.members.get(memberId);
    const settings = await this.repo.settings(m);
    const tz = await this.repo.chainTimeZone(m);
    const balance = await this.ledger.balanceOf(m, memberId, 'points');
    const lots = (await this.repo.allLots(m, memberId)).map((l) => ({
      year: l.year,
      points: l.remaining,
      expiresAt: lotExpiresAt(l.year, settings.expiryPolicy, tz)?.toISOString() ?? null,
    }));
    // Lots already past their date wait for the expiry job; "soon" is the next date still ahead.
    const upcoming = lots.filter((l) => l.expiresAt && new Date(l.expiresAt) > now);
    const next = upcoming[0];
    const expiringSoon = next ? { points: upcoming.filter((l) => l.expiresAt === next.expiresAt).reduce((s, l) => s + l.points, 0), expiresAt: next.expiresAt! } : null;
    return { memberId, balance, expiringSoon, lots };
  }

  async entries(memberId: string, q: PageQuery): Promise<Page<PointEntryResponse>> {
    await this.members.get(memberId);
    const [rows, total] = await this.ledger.entries(this.tx.manager, { memberId, kinds: ['points'], offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(
      rows.map((e) => ({
        id: e.id,
        points: e.amount,
        balanceAfter: e.balanceAfter,
        reason: e.reason,
        refType: e.refType,
        refId: e.refId,
        storeId: e.storeId,
        storeName: e.storeName,
        memo: e.memo,
        createdAt: e.createdAt,
      })),
      total,
      q,
    );
  }

  // ---- expiry job ----

  /**
   * Points that will expire after `now` and no later than `until`, for the expiry reminder
   * (积分到期提醒): one row per member and lot, a page at a time in lot id order after `afterLotId`.
   */
  async expiringBetween(now: Date, until: Date, afterLotId: string | null, limit = 500): Promise<{ lotId: string; memberId: string; year: number; points: number; expiresAt: Date }[]> {
    const m = this.tx.manager;
    const settings = await this.repo.settings(m);
    const tz = await this.repo.chainTimeZone(m);
    // The next lot to expire is last year's (end_of_next_year): earlier ones have expired already.
    const year = earningYear(now, tz) - 1;
    const expiresAt = lotExpiresAt(year, settings.expiryPolicy, tz);
    if (!expiresAt || expiresAt <= now || expiresAt > until) return [];
    const lots = await this.repo.lotsOfYear(m, year, afterLotId, limit);
    return lots.map((l) => ({ lotId: l.id, memberId: l.memberId, year, points: l.remaining, expiresAt }));
  }

  /**
   * Expires the remaining points of every lot whose date has passed at `now` (积分过期): one
   * negative ledger entry (reason `expire`) per lot, each lot in its own transaction. Running it
   * again expires nothing twice: an expired lot holds 0 points, and the conditional update of the
   * lot refuses to expire points that another operation moved meanwhile.
   */
  async expirePoints(now = new Date()): Promise<ExpiryRunResponse> {
    const settings = await this.repo.settings(this.tx.manager);
    const tz = await this.repo.chainTimeZone(this.tx.manager);
    const maxYear = lastExpiredYear(now, settings.expiryPolicy, tz);
    const done = { lots: 0, points: 0 };
    if (maxYear === null) return done;
    const seen = new Set<string>();
    for (;;) {
      const batch = (await this.repo.expirableLots(this.tx.manager, maxYear, 200)).filter((l) => !seen.has(l.id));
      if (!batch.length) return done;
      for (const lot of batch) {
        seen.add(lot.id);
        const expired = await this.tx.run((m) => this.expireLot(m, lot.id, lot.memberId, maxYear));
        if (expired > 0) {
          done.lots++;
          done.points += expired;
        }
      }
    }
  }

  private async expireLot(m: EntityManager, lotId: string, memberId: string, maxYear: number): Promise<number> {
    await this.repo.lockMember(m, memberId);
    const lot = await this.repo.lockLot(m, lotId);
    if (!lot || lot.remaining <= 0 || lot.year > maxYear) return 0;
    await this.post(m, { memberId, storeId: null, points: lot.remaining, reason: 'expire', refType: 'point_lot', refId: lot.id, memo: `${lot.year}` }, -lot.remaining);
    if (!(await this.repo.expireLot(m, lot.id, memberId, lot.remaining))) throw new Error(`point lot ${lot.id} changed under the member lock`);
    return lot.remaining;
  }
}

function assertPositive(points: number): void {
  if (!Number.isSafeInteger(points) || points <= 0) throw new RangeError(`points must be a positive integer, got ${points}`);
}

export function toSettingsResponse(s: PointsSettingsEntity): PointsSettingsResponse {
  return {
    earnPoints: s.earnPoints,
    earnPerFen: s.earnPerFen,
    stageRates: s.stageRates,
    birthdayMultiplierBps: s.birthdayMultiplierBps,
    referralBonusPoints: s.referralBonusPoints,
    reviewBonusPoints: s.reviewBonusPoints,
    excludedCategoryIds: s.excludedCategoryIds,
    expiryPolicy: s.expiryPolicy,
    exchangeEnabled: s.exchangeEnabled,
    exchangePoints: s.exchangePoints,
    exchangeFen: s.exchangeFen,
    offsetPoints: s.offsetPoints,
    offsetFen: s.offsetFen,
    offsetMaxBps: s.offsetMaxBps,
    updatedAt: s.updatedAt.toISOString(),
  };
}
