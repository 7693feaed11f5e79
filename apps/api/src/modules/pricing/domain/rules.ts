import { formatYuan } from '@chaincard/shared';
import type { CartItem, LocalTime, MemberContext, PromotionRule, Scope } from './types';

/**
 * Whether a scope covers an item: included when no include list is given or the product or any of
 * its categories (the category and its ancestors) is included; an exclusion of the product or any
 * of its categories always wins.
 */
export function inScope(scope: Scope, item: Pick<CartItem, 'productId' | 'categoryIds'>): boolean {
  const hasIncludes = scope.includeProductIds.length > 0 || scope.includeCategoryIds.length > 0;
  const included = !hasIncludes || scope.includeProductIds.includes(item.productId) || item.categoryIds.some((c) => scope.includeCategoryIds.includes(c));
  if (!included) return false;
  return !scope.excludeProductIds.includes(item.productId) && !item.categoryIds.some((c) => scope.excludeCategoryIds.includes(c));
}

/**
 * Whether a promotion runs at this store at this moment: its store list, its [startsAt, endsAt)
 * window, its days (a weekday listed OR a day of the month listed; none listed = every day) and its
 * daily hours [dailyStart, dailyEnd), all on the store's clock. Status is the caller's filter.
 */
export function promotionRunning(p: PromotionRule, storeId: string, at: Date, local: LocalTime): boolean {
  if (p.storeIds.length > 0 && !p.storeIds.includes(storeId)) return false;
  if (p.startsAt && at.getTime() < p.startsAt.getTime()) return false;
  if (p.endsAt && at.getTime() >= p.endsAt.getTime()) return false;
  if (p.weekdays.length > 0 || p.monthDays.length > 0) {
    if (!p.weekdays.includes(local.weekday) && !p.monthDays.includes(local.dayOfMonth)) return false;
  }
  if (p.dailyStart && p.dailyEnd) {
    const t = local.time;
    const inside = p.dailyStart <= p.dailyEnd ? t >= p.dailyStart && t < p.dailyEnd : t >= p.dailyStart || t < p.dailyEnd;
    if (!inside) return false;
  }
  return true;
}

/** Whether a promotion is for this customer: members-only kinds need a member, tier lists a tier in the list. */
export function promotionForCustomer(p: PromotionRule, member: MemberContext | null): boolean {
  const needsMember = p.membersOnly || p.kind === 'member_day' || p.tierIds.length > 0 || (p.flash !== null && p.flash.perMemberLimit !== null);
  if (!needsMember) return true;
  if (!member) return false;
  return p.tierIds.length === 0 || (member.tierId !== null && p.tierIds.includes(member.tierId));
}

/** 9500 → "9.5折", 8850 → "8.85折", 9000 → "9折". */
export function zhe(bps: number): string {
  const whole = Math.floor(bps / 1000);
  const frac = String(bps % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${whole}${frac ? `.${frac}` : ''}折`;
}

export const yuan = (fen: number): string => `¥${formatYuan(fen)}`;
