/**
 * Pure tier rules: who qualifies for what, and what the evaluation or the daily job does about it.
 * No Nest, no SQL: the service feeds in tiers and metric values and applies the decision.
 */
export type TierMetric = 'spend' | 'top_up' | 'points';

export interface TierRule {
  id: string;
  level: number;
  isInitial: boolean;
  /** null: reached only by hand or by buying it. */
  metric: TierMetric | null;
  threshold: number | null;
  windowDays: number;
  downgradeEnabled: boolean;
}

/** The metric values of one member, by specKey(metric, windowDays). */
export type MetricValues = ReadonlyMap<string, number>;

export const specKey = (metric: TierMetric, windowDays: number) => `${metric}:${windowDays}`;

/** Every distinct (metric, window) the tiers' rules need, so each is computed once per member. */
export function neededSpecs(tiers: readonly TierRule[]): { metric: TierMetric; windowDays: number }[] {
  const seen = new Map<string, { metric: TierMetric; windowDays: number }>();
  for (const t of tiers) if (t.metric) seen.set(specKey(t.metric, t.windowDays), { metric: t.metric, windowDays: t.windowDays });
  return [...seen.values()];
}

/** Start of a rolling window ending at `now`; null for a lifetime (0-day) window. */
export function windowStart(now: Date, windowDays: number): Date | null {
  return windowDays > 0 ? new Date(now.getTime() - windowDays * 86_400_000) : null;
}

export function qualifies(t: TierRule, values: MetricValues): boolean {
  if (t.isInitial) return true;
  if (!t.metric || t.threshold === null) return false;
  return (values.get(specKey(t.metric, t.windowDays)) ?? 0) >= t.threshold;
}

/** The highest tier whose rule the member meets; the initial tier is the floor. Null only with no tiers. */
export function qualifiedTier<T extends TierRule>(tiers: readonly T[], values: MetricValues): T | null {
  let best: T | null = null;
  for (const t of tiers) if (qualifies(t, values) && (!best || t.level > best.level)) best = t;
  return best;
}

export type TierDecision<T> = { to: T; source: 'auto' | 'expiry' | 'downgrade'; dropPaid: boolean } | { to: null; dropPaid: boolean };

export interface MemberTierState<T> {
  current: T | null;
  /** A bought tier's expiry, when the member holds one. */
  paidExpiresAt: Date | null;
}

/**
 * What `evaluate` does: move up to the highest qualifying tier, never down. A member without a
 * tier gets the one they qualify for. Moving up past a bought tier ends its expiry.
 */
export function decideUpgrade<T extends TierRule>(tiers: readonly T[], state: MemberTierState<T>, values: MetricValues): TierDecision<T> {
  const best = qualifiedTier(tiers, values);
  if (!best) return { to: null, dropPaid: false };
  if (!state.current || best.level > state.current.level) return { to: best, source: 'auto', dropPaid: state.paidExpiresAt !== null };
  return { to: null, dropPaid: false };
}

/**
 * What the daily job does, in this order: an expired bought tier lapses to the tier the member
 * qualifies for; otherwise upgrade as `evaluate` does; otherwise, when the current tier allows
 * downgrade and its rule is no longer met, drop to the highest qualifying tier (never below the
 * initial tier). A tier without a rule (given by hand) and an unexpired bought tier never drop.
 */
export function decideDaily<T extends TierRule>(tiers: readonly T[], state: MemberTierState<T>, values: MetricValues, now: Date): TierDecision<T> {
  const best = qualifiedTier(tiers, values);
  if (!best) return { to: null, dropPaid: false };
  const current = state.current;
  if (state.paidExpiresAt && state.paidExpiresAt.getTime() <= now.getTime()) {
    if (current && best.id === current.id) return { to: null, dropPaid: true };
    return { to: best, source: current && best.level > current.level ? 'auto' : 'expiry', dropPaid: true };
  }
  const up = decideUpgrade(tiers, state, values);
  if (up.to || !current || state.paidExpiresAt) return up;
  if (current.downgradeEnabled && current.metric && !qualifies(current, values) && best.level < current.level) {
    return { to: best, source: 'downgrade', dropPaid: false };
  }
  return { to: null, dropPaid: false };
}

/** Progress toward the next tier up that has a rule (the member app's 距离下一等级). */
export function nextTierProgress<T extends TierRule>(tiers: readonly T[], current: T | null, values: MetricValues) {
  const next = [...tiers]
    .filter((t) => t.metric && t.threshold !== null && (!current || t.level > current.level))
    .sort((a, b) => a.level - b.level)[0];
  if (!next || !next.metric || next.threshold === null) return null;
  const value = values.get(specKey(next.metric, next.windowDays)) ?? 0;
  return { tier: next, metric: next.metric, windowDays: next.windowDays, value, threshold: next.threshold, remaining: Math.max(0, next.threshold - value) };
}

/** Expiry of a bought tier: buying the tier one holds extends it from its current end. */
export function paidExpiry(now: Date, validityDays: number, held: { tierId: string; expiresAt: Date } | null, tierId: string): Date {
  const from = held && held.tierId === tierId && held.expiresAt.getTime() > now.getTime() ? held.expiresAt : now;
  return new Date(from.getTime() + validityDays * 86_400_000);
}
