import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { WalletService } from '../wallet/wallet.service';
import type { PageQuery } from '../../common/http/pagination';
import { pageOf, type Page } from '../../common/http/pagination';
import { LedgerService } from '../ledger/ledger.service';
import { MembersService } from '../members/members.service';
import { ShiftsService } from '../shifts/shifts.service';
import { nextTierProgress, paidExpiry } from './domain/tier-rules';
import type {
  BuyTierRequest,
  ChangeTierRequest,
  CreateTierRequest,
  MemberTierResponse,
  TierChangeResponse,
  TierPurchaseResponse,
  TierResponse,
  UpdateTierRequest,
} from './dto/tier.dto';
import type { TierEntity, TierPurchaseEntity } from './entities/tier.entity';
import { TierEvaluationService, toRule } from './tier-evaluation.service';
import { TiersRepository, type TierChangeView } from './tiers.repository';

/** Tier definitions (HQ), manual changes, bought tiers and what a member sees of their tier. */
@Injectable()
export class TiersService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly tiers: TiersRepository,
    private readonly evaluation: TierEvaluationService,
    private readonly members: MembersService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly wallet: WalletService,
    private readonly shifts: ShiftsService,
  ) {}

  async list(): Promise<TierResponse[]> {
    return (await this.tiers.activeTiers(this.tx.manager)).map(toTierResponse);
  }

  async get(tierId: string): Promise<TierResponse> {
    const tier = await this.tiers.findTier(this.tx.manager, tierId);
    if (!tier) throw new AppError('TIER_NOT_FOUND');
    return toTierResponse(tier);
  }

  create(input: CreateTierRequest): Promise<TierResponse> {
    return this.tx.run(async (m) => {
      await this.tiers.lockTierDefinitions(m);
      const existing = await this.tiers.activeTiers(m);
      const fields = {
        name: input.name,
        nameEn: input.nameEn ?? '',
        level: input.level,
        discountBps: input.discountBps ?? 10000,
        pointsMultiplierBps: input.pointsMultiplierBps ?? 10000,
        benefits: input.benefits ?? [],
        // The first tier of a chain is the initial one whatever was asked: there must be one.
        isInitial: input.isInitial === true || !existing.some((t) => t.isInitial),
        ...ruleFields(input.upgrade ?? null),
        priceFen: String(input.priceFen ?? 0),
        validityDays: input.validityDays ?? null,
        archivedAt: null,
      };
      checkTier(fields);
      if (existing.some((t) => t.level === fields.level)) throw new AppError('TIER_LEVEL_TAKEN', { field: 'level' });
      if (fields.isInitial) await this.tiers.clearInitial(m, null);
      const tier = await this.tiers.saveTier(m, fields);
      const after = toTierResponse(tier);
      await this.audit.record(m, { action: 'tier.create', entityType: 'tier', entityId: tier.id, after: { ...after } });
      return after;
    });
  }

  update(tierId: string, input: UpdateTierRequest): Promise<TierResponse> {
    return this.tx.run(async (m) => {
      await this.tiers.lockTierDefinitions(m);
      const tier = await this.tiers.findTier(m, tierId);
      if (!tier) throw new AppError('TIER_NOT_FOUND');
      const before = toTierResponse(tier);
      if (input.isInitial === false && tier.isInitial) throw new AppError('TIER_INITIAL_REQUIRED');
      if (input.level !== undefined && input.level !== tier.level) {
        if ((await this.tiers.activeTiers(m)).some((t) => t.level === input.level)) throw new AppError('TIER_LEVEL_TAKEN', { field: 'level' });
        tier.level = input.level;
      }
      for (const key of ['name', 'nameEn', 'discountBps', 'pointsMultiplierBps', 'benefits'] as const) {
        if (input[key] !== undefined) (tier as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.isInitial) tier.isInitial = true;
      if (input.upgrade !== undefined) Object.assign(tier, ruleFields(input.upgrade));
      if (input.priceFen !== undefined) tier.priceFen = String(input.priceFen);
      if (input.validityDays !== undefined) tier.validityDays = input.validityDays;
      checkTier(tier);
      if (tier.isInitial) await this.tiers.clearInitial(m, tier.id);
      const saved = await this.tiers.saveTier(m, tier);
      const after = toTierResponse(saved);
      await this.audit.record(m, { action: 'tier.update', entityType: 'tier', entityId: tierId, ...diff(before, after) });
      return after;
    });
  }

  /** Retires a tier nobody holds. The row stays (archived) so that the change history still names it. */
  archive(tierId: string): Promise<void> {
    return this.tx.run(async (m) => {
      await this.tiers.lockTierDefinitions(m);
      const tier = await this.tiers.findTier(m, tierId);
      if (!tier) throw new AppError('TIER_NOT_FOUND');
      if (tier.isInitial) throw new AppError('TIER_INITIAL_REQUIRED');
      if ((await this.tiers.holderCount(m, tierId)) > 0) throw new AppError('TIER_IN_USE');
      tier.archivedAt = new Date();
      await this.tiers.saveTier(m, tier);
      await this.audit.record(m, { action: 'tier.archive', entityType: 'tier', entityId: tierId, before: { ...toTierResponse(tier) } });
    });
  }

  /** The member's tier, a bought tier's expiry and the progress to the next tier (会员等级/升级进度). */
  async memberTier(memberId: string, now = new Date()): Promise<MemberTierResponse> {
    const m = this.tx.manager;
    const member = await this.tiers.readMember(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    const tiers = (await this.tiers.activeTiers(m)).map(toRule);
    const current = member.tierId ? await this.tiers.findAnyTier(m, member.tierId) : null;
    const values = (await this.evaluation.metricValues(m, [memberId], tiers, now)).get(memberId)!;
    const paid = (await this.tiers.paidTiers(m, [memberId])).get(memberId) ?? null;
    const next = nextTierProgress(tiers, current ? toRule(current) : null, values);
    return {
      memberId,
      tier: current ? toTierResponse(current) : null,
      expiresAt: paid ? paid.expiresAt.toISOString() : null,
      next: next && { tier: toTierResponse(next.tier.entity), metric: next.metric, windowDays: next.windowDays, value: next.value, threshold: next.threshold, remaining: next.remaining },
    };
  }

  async changes(memberId: string, q: PageQuery): Promise<Page<TierChangeResponse>> {
    const [rows, total] = await this.tiers.changes(this.tx.manager, memberId, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toChangeResponse), total, q);
  }

  /** Sets a member's tier by hand (手动调级), up or down, with a reason; a bought tier's expiry ends. */
  changeTier(memberId: string, input: ChangeTierRequest): Promise<MemberTierResponse> {
    return this.tx.run(async (m) => {
      const member = await this.tiers.lockMember(m, memberId);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      if (member.status === 'anonymised') throw new AppError('MEMBER_NOT_ACTIVE');
      const to = await this.tiers.findTier(m, input.tierId);
      if (!to) throw new AppError('TIER_NOT_FOUND');
      if (member.tierId === to.id) throw new AppError('VALIDATION_FAILED', [{ field: 'tierId', errors: ['the member already holds this tier'] }]);
      const from = member.tierId ? await this.tiers.findAnyTier(m, member.tierId) : null;
      await this.tiers.dropPaidTier(m, memberId);
      await this.evaluation.applyChange(m, { memberId, from, to, source: 'manual', reason: input.reason, at: new Date() });
      return this.memberTier(memberId);
    });
  }

  /**
   * Sells a tier at the counter (付费会员). Buying the tier one holds extends it from its current
   * end; buying a higher one replaces the current tier until the new expiry. Wallet payment goes
   * through WalletService.spend (the chain's consumption order, the payment password).
   */
  purchase(actor: StaffActor, memberId: string, input: BuyTierRequest): Promise<TierPurchaseResponse> {
    return this.buy(actor, memberId, input);
  }

  /**
   * A member buys a tier in the member app, paying from stored value at his home store (WeChat Pay
   * for this comes with the WeChat capability).
   */
  purchaseByMember(memberId: string, input: { tierId: string; password?: string }): Promise<TierPurchaseResponse> {
    return this.tx.run(async (m) => {
      const storeId = await this.tiers.homeStoreOf(m, memberId);
      if (!storeId) throw new AppError('MEMBER_NOT_FOUND');
      return this.buy(null, memberId, { tierId: input.tierId, storeId, paymentMethod: 'wallet', password: input.password });
    });
  }

  /** staff: a sale at the counter, whose money is a taking of the seller's open shift; null: the member in the app. */
  private buy(staff: StaffActor | null, memberId: string, input: BuyTierRequest): Promise<TierPurchaseResponse> {
    return this.tx.run(async (m) => {
      const now = new Date();
      // The shift first (its lock comes before every other), then the member.
      const take = staff ? await this.shifts.takeAtCounter(m, staff, input.storeId) : null;
      const member = await this.tiers.lockMember(m, memberId);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const tier = await this.tiers.findTier(m, input.tierId);
      if (!tier) throw new AppError('TIER_NOT_FOUND');
      const priceFen = Number(tier.priceFen);
      if (priceFen <= 0 || !tier.validityDays) throw new AppError('TIER_NOT_PURCHASABLE');
      if (!(await this.tiers.storeExists(m, input.storeId))) throw new AppError('STORE_NOT_FOUND');
      const from = member.tierId ? await this.tiers.findAnyTier(m, member.tierId) : null;
      if (from && from.level > tier.level) throw new AppError('TIER_BELOW_CURRENT');

      const held = (await this.tiers.paidTiers(m, [memberId])).get(memberId) ?? null;
      const expiresAt = paidExpiry(now, tier.validityDays, held, tier.id);
      // The purchase row is append-only: pay first (under a pre-chosen id), then record the split.
      const purchaseId = randomUUID();
      const paid =
        input.paymentMethod === 'wallet'
          ? await this.wallet.spend(m, { memberId, storeId: input.storeId, amountFen: priceFen, refType: 'tier_purchase', refId: purchaseId, password: input.password, memo: tier.name, evaluateTier: false })
          : { principalFen: 0, bonusFen: 0 };
      const purchase = await this.tiers.insertPurchase(m, {
        id: purchaseId,
        memberId,
        tierId: tier.id,
        storeId: input.storeId,
        priceFen: String(priceFen),
        paymentMethod: input.paymentMethod,
        principalFen: String(paid.principalFen),
        bonusFen: String(paid.bonusFen),
        validityDays: tier.validityDays,
        expiresAt,
        staffId: staff?.id ?? null,
      });
      await take?.(input.paymentMethod === 'wallet' ? 'stored_value' : input.paymentMethod, priceFen, 'tier_purchase', purchaseId);
      await this.tiers.setPaidTier(m, memberId, tier.id, expiresAt);
      const reason = held && held.tierId === tier.id ? 'bought tier extended (付费续期)' : 'bought tier (购买付费会员)';
      await this.evaluation.applyChange(m, { memberId, from, to: tier, source: 'purchase', reason, at: now, expiresAt });
      const response = toPurchaseResponse(purchase);
      await this.audit.record(m, { action: 'tier.purchase', entityType: 'tier_purchase', entityId: purchase.id, storeId: input.storeId, after: { ...response } });
      return response;
    });
  }
}

function ruleFields(rule: CreateTierRequest['upgrade']) {
  return {
    upgradeMetric: rule?.metric ?? null,
    upgradeThreshold: rule ? String(rule.threshold) : null,
    windowDays: rule?.windowDays ?? 0,
    downgradeEnabled: rule?.downgrade ?? false,
  };
}

/** Rules across fields that class-validator cannot express on one field. */
function checkTier(t: Pick<TierEntity, 'isInitial' | 'upgradeMetric' | 'priceFen' | 'validityDays'>): void {
  const problems: { field: string; errors: string[] }[] = [];
  const priced = Number(t.priceFen) > 0;
  if (priced !== (t.validityDays !== null)) problems.push({ field: 'validityDays', errors: ['a purchasable tier (priceFen > 0) needs validityDays, and only it'] });
  if (t.isInitial && t.upgradeMetric) problems.push({ field: 'upgrade', errors: ['the initial tier is everyone’s: it has no upgrade rule'] });
  if (t.isInitial && priced) problems.push({ field: 'priceFen', errors: ['the initial tier cannot be sold'] });
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
}

export function toTierResponse(t: TierEntity): TierResponse {
  return {
    id: t.id,
    name: t.name,
    nameEn: t.nameEn,
    level: t.level,
    discountBps: t.discountBps,
    pointsMultiplierBps: t.pointsMultiplierBps,
    benefits: t.benefits,
    isInitial: t.isInitial,
    upgrade: t.upgradeMetric
      ? { metric: t.upgradeMetric, threshold: Number(t.upgradeThreshold), windowDays: t.windowDays, downgrade: t.downgradeEnabled }
      : null,
    priceFen: Number(t.priceFen),
    validityDays: t.validityDays,
    purchasable: Number(t.priceFen) > 0,
  };
}

function toChangeResponse(c: TierChangeView): TierChangeResponse {
  return { ...c, at: c.at.toISOString(), expiresAt: c.expiresAt ? c.expiresAt.toISOString() : null };
}

function toPurchaseResponse(p: TierPurchaseEntity): TierPurchaseResponse {
  return {
    id: p.id,
    memberId: p.memberId,
    tierId: p.tierId,
    storeId: p.storeId,
    priceFen: Number(p.priceFen),
    paymentMethod: p.paymentMethod,
    principalFen: Number(p.principalFen),
    bonusFen: Number(p.bonusFen),
    validityDays: p.validityDays,
    expiresAt: p.expiresAt.toISOString(),
    createdAt: p.createdAt.toISOString(),
  };
}
