import { allocateFen } from '@chaincard/shared';

/** What rule selection needs of a bonus rule (充值赠送规则). */
export interface BonusRuleCandidate {
  id: string;
  storeId: string | null;
  tierId: string | null;
  thresholdFen: number;
  bonusFen: number;
  bonusPoints: number;
  validFrom: Date | null;
  validTo: Date | null;
  active: boolean;
  priority: number;
  createdAt: Date;
}

export interface TopUpContext {
  storeId: string;
  tierId: string | null;
  amountFen: number;
  at: Date;
}

/** Active and inside its validity window [validFrom, validTo) at `at`. */
export function inForce(rule: BonusRuleCandidate, at: Date): boolean {
  if (!rule.active) return false;
  if (rule.validFrom && at.getTime() < rule.validFrom.getTime()) return false;
  if (rule.validTo && at.getTime() >= rule.validTo.getTime()) return false;
  return true;
}

/**
 * The one bonus rule a top-up gets, or null.
 *
 * 1. Pool: if the store has rules of its own in force, only those (a store override replaces HQ's
 *    rules entirely there); otherwise HQ's rules (store null) in force. Other stores' rules never.
 * 2. Candidates: rules of the pool for everyone or for the member's tier, threshold ≤ amount.
 * 3. Best: highest threshold, then larger stored-value bonus, then more bonus points, then higher
 *    priority, then the oldest rule, then the smallest id (total order, so always deterministic).
 * A rule applies once per top-up (充500 under 充100送20 gets 20, not 100).
 */
export function selectBonusRule<R extends BonusRuleCandidate>(rules: readonly R[], ctx: TopUpContext): R | null {
  const live = rules.filter((r) => inForce(r, ctx.at));
  const own = live.filter((r) => r.storeId === ctx.storeId);
  const pool = own.length > 0 ? own : live.filter((r) => r.storeId === null);
  const candidates = pool.filter((r) => (r.tierId === null || r.tierId === ctx.tierId) && r.thresholdFen <= ctx.amountFen);
  if (candidates.length === 0) return null;
  return [...candidates].sort(compareRules)[0];
}

export function compareRules(a: BonusRuleCandidate, b: BonusRuleCandidate): number {
  return (
    b.thresholdFen - a.thresholdFen ||
    b.bonusFen - a.bonusFen ||
    b.bonusPoints - a.bonusPoints ||
    b.priority - a.priority ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export interface InstalmentPart {
  seq: number;
  amountFen: number;
  dueAt: Date;
}

/**
 * Splits a bonus into `count` parts (largest remainder: parts differ by at most 1 fen, the earlier
 * parts take the extra fen, the sum is exact). Part 1 is due at `start`, part k at start + (k−1) ×
 * interval months, same day of month, clamped to the month's last day (Jan 31 → Feb 28), in UTC.
 * Parts of 0 fen (bonus smaller than the count) are dropped.
 */
export function instalmentSchedule(bonusFen: number, count: number, intervalMonths: number, start: Date): InstalmentPart[] {
  if (bonusFen <= 0) return [];
  const parts = allocateFen(bonusFen, Array.from({ length: count }, () => 1));
  return parts
    .map((amountFen, i) => ({ seq: i + 1, amountFen, dueAt: addMonths(start, i * intervalMonths) }))
    .filter((p) => p.amountFen > 0);
}

export function addMonths(start: Date, months: number): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const d = new Date(start.getTime());
  d.setUTCFullYear(y, m, Math.min(start.getUTCDate(), lastDay));
  return d;
}
