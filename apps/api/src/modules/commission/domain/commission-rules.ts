import { allocateFen, applyBps, type CommissionMode, type CommissionSource, type CommissionSplit } from '@chaincard/shared';

export interface RuleLike {
  id: string;
  source: CommissionSource;
  targetId: string | null;
  levelId: string | null;
  mode: CommissionMode;
  amountFen: number | null;
  rateBps: number | null;
  minBaseFen: number;
  split: CommissionSplit;
}

/**
 * The rule that applies to a staff member on one item: among the active rules of the source that
 * name this item or none, and this staff level or none, the most specific wins — a rule for the
 * item beats one for all items of the source, then a rule for the level beats one for any level.
 */
export function selectRule<R extends RuleLike>(rules: readonly R[], source: CommissionSource, targetId: string | null, levelId: string | null): R | null {
  const rank = (r: RuleLike) => (r.targetId ? 2 : 0) + (r.levelId ? 1 : 0);
  const candidates = rules
    .filter((r) => r.source === source && (r.targetId === null || r.targetId === targetId) && (r.levelId === null || r.levelId === levelId))
    .sort((a, b) => rank(b) - rank(a) || (a.id < b.id ? -1 : 1));
  return candidates[0] ?? null;
}

export interface SaleItem {
  source: CommissionSource;
  targetId: string | null;
  quantity: number;
  /** What the item sold for (fen, ≥ 0): the base of percentage rules and of the sales credited. */
  baseFen: number;
  /** The serving or selling staff, in order; duplicates count once. */
  staff: { staffId: string; levelId: string | null }[];
}

export interface Accrual {
  staffId: string;
  levelId: string | null;
  ruleId: string | null;
  /** This staff member's share of the amount sold. */
  baseFen: number;
  amountFen: number;
}

/**
 * Commission of each staff member on one item. The amount sold is shared equally between the
 * staff (allocateFen: the shares sum to it exactly) and credited as their sales. Each staff member's
 * own rule (by his level) then pays: fixed = amountFen × quantity, percent = rateBps of the amount
 * (rounded half up); with split 'share' the staff divide that (a fixed amount by allocateFen, a
 * percentage of their share), with 'each' every one earns it in full. Below the rule's minimum
 * amount, or without a rule, the commission is 0 (the sale is still credited).
 */
export function commissionFor(rules: readonly RuleLike[], item: SaleItem): Accrual[] {
  if (!Number.isSafeInteger(item.baseFen) || item.baseFen < 0) throw new RangeError(`baseFen must be a non-negative integer, got ${item.baseFen}`);
  if (!Number.isSafeInteger(item.quantity) || item.quantity < 0) throw new RangeError(`quantity must be a non-negative integer, got ${item.quantity}`);
  const staff = item.staff.filter((s, i) => item.staff.findIndex((x) => x.staffId === s.staffId) === i);
  if (!staff.length) return [];
  const equal = staff.map(() => 1);
  const baseShares = allocateFen(item.baseFen, equal);
  return staff.map((s, i) => {
    const rule = selectRule(rules, item.source, item.targetId, s.levelId);
    let amountFen = 0;
    if (rule && item.baseFen >= rule.minBaseFen) {
      if (rule.mode === 'fixed') {
        const whole = (rule.amountFen ?? 0) * item.quantity;
        amountFen = rule.split === 'each' ? whole : allocateFen(whole, equal)[i];
      } else {
        amountFen = applyBps(rule.split === 'each' ? item.baseFen : baseShares[i], rule.rateBps ?? 0, 'half-up');
      }
    }
    return { staffId: s.staffId, levelId: s.levelId, ruleId: rule?.id ?? null, baseFen: baseShares[i], amountFen };
  });
}

/**
 * What a refund takes back of one accrual. Refunds are cumulative shares of the item: after
 * refunds totalling R of an item worth T, floor(X × R / T) of each accrued figure X is reversed
 * (by quantity when the item was worth 0), so partial refunds add up to the accrual exactly when
 * the whole item is refunded, and never to more.
 */
export function reversalFor(
  accrual: { amountFen: number; baseFen: number; lineFen: number; lineQuantity: number },
  before: { lineFen: number; quantity: number },
  now: { lineFen: number; quantity: number },
): { amountFen: number; baseFen: number } {
  const byAmount = accrual.lineFen > 0;
  const total = byAmount ? accrual.lineFen : accrual.lineQuantity;
  if (total <= 0) return { amountFen: 0, baseFen: 0 };
  const was = Math.min(byAmount ? before.lineFen : before.quantity, total);
  const is = Math.min(was + (byAmount ? now.lineFen : now.quantity), total);
  const cumulative = (x: number, r: number) => Number((BigInt(x) * BigInt(r)) / BigInt(total));
  const back = (x: number) => cumulative(x, was) - cumulative(x, is) || 0;
  return { amountFen: back(accrual.amountFen), baseFen: back(accrual.baseFen) };
}
