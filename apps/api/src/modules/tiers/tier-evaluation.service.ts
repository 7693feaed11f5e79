import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { requestContext } from '../../common/request-context';
import {
  decideDaily,
  decideUpgrade,
  neededSpecs,
  specKey,
  windowStart,
  type MetricValues,
  type TierDecision,
  type TierRule,
} from './domain/tier-rules';
import type { TierChangeSource, TierEntity } from './entities/tier.entity';
import { TiersRepository } from './tiers.repository';

export type RuledTier = TierRule & { entity: TierEntity };

export interface TierChangeInput {
  memberId: string;
  from: TierEntity | null;
  to: TierEntity;
  source: TierChangeSource;
  reason: string;
  at: Date;
  expiresAt?: Date | null;
}

export interface EvaluateAllResult {
  scanned: number;
  upgraded: number;
  downgraded: number;
  expired: number;
}

export function toRule(t: TierEntity): RuledTier {
  return {
    id: t.id,
    level: t.level,
    isInitial: t.isInitial,
    metric: t.upgradeMetric,
    threshold: t.upgradeThreshold === null ? null : Number(t.upgradeThreshold),
    windowDays: t.windowDays,
    downgradeEnabled: t.downgradeEnabled,
    entity: t,
  };
}

/**
 * Moves members between tiers: the initial tier at sign-up, upgrades after activity, and the
 * daily job (upgrades, downgrades, expiry of bought tiers). It depends on nothing but its own
 * repository, so that the members module can call it without a module cycle.
 *
 * Seam for other capabilities: after a top-up, a spend or a points earning commits its ledger
 * posting, call `evaluate(m, memberId)` inside the same transaction (wallet, points, orders).
 * Pricing and points read `currentTier(m, memberId)` for discountBps and pointsMultiplierBps.
 */
@Injectable()
export class TierEvaluationService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly tiers: TiersRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Seam for the checkout: money a member spent outside the wallet (cash, bank card, WeChat Pay)
   * on an order, positive, or given back by a refund, negative (wallet spends are counted from the
   * ledger; their refunds come here too, negative). Feeds the `spend` metric. Zero records nothing.
   */
  async recordSpend(m: EntityManager, fact: { memberId: string; amountFen: number; at: Date; refType: string; refId: string }): Promise<void> {
    if (fact.amountFen === 0) return;
    await this.tiers.insertSpendFact(m, fact);
  }

  /** Gives a member without a tier the initial one (called by MembersService.create). */
  async assignInitialTier(m: EntityManager, memberId: string): Promise<string | null> {
    const member = await this.tiers.lockMember(m, memberId);
    if (!member || member.tierId) return member?.tierId ?? null;
    const initial = (await this.tiers.activeTiers(m)).find((t) => t.isInitial);
    if (!initial) return null;
    await this.applyChange(m, { memberId, from: null, to: initial, source: 'auto', reason: 'initial tier of a new member (新会员初始等级)', at: new Date() });
    return initial.id;
  }

  /** The member's tier now (discount and points multiplier), or null when the chain has no tiers. */
  async currentTier(m: EntityManager, memberId: string): Promise<TierEntity | null> {
    const member = await this.tiers.readMember(m, memberId);
    return member?.tierId ? this.tiers.findAnyTier(m, member.tierId) : null;
  }

  /**
   * Upgrades the member to the highest tier they qualify for as of `now`; never downgrades (that
   * is the daily job's). Runs in the caller's transaction when there is one.
   */
  evaluate(m: EntityManager | null, memberId: string, now = new Date()): Promise<TierEntity | null> {
    const run = async (em: EntityManager) => {
      const member = await this.tiers.lockMember(em, memberId);
      if (!member || member.status === 'anonymised') return null;
      const tiers = (await this.tiers.activeTiers(em)).map(toRule);
      const values = (await this.metricValues(em, [memberId], tiers, now)).get(memberId) ?? new Map();
      const paid = (await this.tiers.paidTiers(em, [memberId])).get(memberId) ?? null;
      const current = await this.held(em, tiers, member.tierId);
      const decision = decideUpgrade(tiers, { current, paidExpiresAt: paid?.expiresAt ?? null }, values);
      return this.apply(em, memberId, current, decision, values, now);
    };
    return m ? run(m) : this.tx.run(run);
  }

  /**
   * The daily job: every member, in batches by id (keyset pagination, one transaction per batch
   * so that locks are short), gets upgrades, expiry of bought tiers and optional downgrades.
   */
  async evaluateAll(now = new Date(), batchSize = 500): Promise<EvaluateAllResult> {
    const result: EvaluateAllResult = { scanned: 0, upgraded: 0, downgraded: 0, expired: 0 };
    let after: string | null = null;
    for (;;) {
      // Counted per attempt and added after commit, so that a retried batch is not counted twice.
      const batch: { last: string; size: number; counts: Omit<EvaluateAllResult, 'scanned'> } | null = await this.tx.run(async (m) => {
        const counts = { upgraded: 0, downgraded: 0, expired: 0 };
        const members = await this.tiers.lockMemberBatch(m, after, batchSize);
        if (!members.length) return null;
        const tiers = (await this.tiers.activeTiers(m)).map(toRule);
        const ids = members.map((x) => x.id);
        const values = await this.metricValues(m, ids, tiers, now);
        const paid = await this.tiers.paidTiers(m, ids);
        for (const member of members) {
          const current = await this.held(m, tiers, member.tierId);
          const memberValues = values.get(member.id) ?? new Map();
          const decision = decideDaily(tiers, { current, paidExpiresAt: paid.get(member.id)?.expiresAt ?? null }, memberValues, now);
          await this.apply(m, member.id, current, decision, memberValues, now);
          if (decision.to) {
            if (decision.source === 'auto') counts.upgraded++;
            else if (decision.source === 'downgrade') counts.downgraded++;
            else counts.expired++;
          } else if (decision.dropPaid) counts.expired++;
        }
        return { last: members[members.length - 1].id, size: members.length, counts };
      });
      if (!batch) break;
      result.scanned += batch.size;
      result.upgraded += batch.counts.upgraded;
      result.downgraded += batch.counts.downgraded;
      result.expired += batch.counts.expired;
      if (batch.size < batchSize) break;
      after = batch.last;
    }
    return result;
  }

  /** Sets the member's tier, writes the history row and the audit record, in the caller's transaction. */
  async applyChange(m: EntityManager, c: TierChangeInput): Promise<void> {
    const actor = requestContext.get()?.actor;
    await this.tiers.setMemberTier(m, c.memberId, c.to.id);
    await this.tiers.insertChange(m, {
      memberId: c.memberId,
      fromTierId: c.from?.id ?? null,
      toTierId: c.to.id,
      source: c.source,
      reason: c.reason,
      staffId: actor?.kind === 'staff' ? actor.id : null,
      at: c.at,
      expiresAt: c.expiresAt ?? null,
    });
    await this.audit.record(m, {
      action: `member.tier.${c.source}`,
      entityType: 'member',
      entityId: c.memberId,
      before: { tierId: c.from?.id ?? null, tierName: c.from?.name ?? null },
      after: { tierId: c.to.id, tierName: c.to.name, source: c.source, expiresAt: c.expiresAt?.toISOString() ?? null },
      reason: c.reason,
    });
  }

  /** Metric values per member for every (metric, window) the tiers' rules use. */
  async metricValues(m: EntityManager, memberIds: string[], tiers: readonly TierRule[], now: Date): Promise<Map<string, Map<string, number>>> {
    const out = new Map(memberIds.map((id) => [id, new Map<string, number>()]));
    for (const spec of neededSpecs(tiers)) {
      const values = await this.tiers.metric(m, memberIds, spec.metric, windowStart(now, spec.windowDays), now);
      for (const id of memberIds) out.get(id)!.set(specKey(spec.metric, spec.windowDays), values.get(id) ?? 0);
    }
    return out;
  }

  /**
   * Each member's spend (消费金额, as the spend metric counts it) over the last `windowDays` days
   * (0 = lifetime), for member segments such as coupon issues to big spenders.
   */
  spendOf(m: EntityManager, memberIds: string[], windowDays: number, now = new Date()): Promise<Map<string, number>> {
    return this.tiers.metric(m, memberIds, 'spend', windowStart(now, windowDays), now);
  }

  private async held(m: EntityManager, tiers: RuledTier[], tierId: string | null): Promise<RuledTier | null> {
    if (!tierId) return null;
    const active = tiers.find((t) => t.id === tierId);
    if (active) return active;
    const archived = await this.tiers.findAnyTier(m, tierId);
    return archived ? toRule(archived) : null;
  }

  private async apply(m: EntityManager, memberId: string, current: RuledTier | null, d: TierDecision<RuledTier>, values: MetricValues, now: Date) {
    if (d.dropPaid) await this.tiers.dropPaidTier(m, memberId);
    if (!d.to) return null;
    await this.applyChange(m, { memberId, from: current?.entity ?? null, to: d.to.entity, source: d.source, reason: reasonOf(d.source, d.to, current, values), at: now });
    return d.to.entity;
  }
}

function reasonOf(source: TierChangeSource, to: RuledTier, from: RuledTier | null, values: MetricValues): string {
  const rule = (t: RuledTier) => `${t.metric} ${values.get(specKey(t.metric!, t.windowDays)) ?? 0} / ${t.threshold} (${t.windowDays ? `${t.windowDays} days` : 'lifetime'})`;
  if (source === 'expiry') return 'bought tier expired (付费等级到期)';
  if (source === 'downgrade') return `below the threshold of ${from?.entity.name ?? '?'} (未达保级条件): ${from?.metric ? rule(from) : ''}`;
  if (to.isInitial) return 'initial tier (初始等级)';
  return `upgrade (自动升级): ${to.metric ? rule(to) : ''}`;
}
