import { allocateFen, applyBps, assertFen } from '@chaincard/shared';
import { inScope, promotionForCustomer, promotionRunning, yuan, zhe } from './rules';
import {
  PricingRefusal,
  type CartItem,
  type CartLine,
  type CouponCandidate,
  type CouponOutcome,
  type CouponReasonCode,
  type CouponRule,
  type Discount,
  type DiscountKind,
  type FlashSaleTake,
  type OrderDiscount,
  type PriceInput,
  type PricedCart,
  type PricedLine,
  type PromotionOutcome,
  type PromotionRule,
  type ReductionStep,
} from './types';

/**
 * The pricing engine (计价): one pure, deterministic function from a cart to a priced cart. The
 * stages, in order (the README beside this folder states them for people):
 *   1. line price: flash-sale units at the flash price; the other units at the lowest of member
 *      price, tier discount and member day (ties: member price, tier, member day);
 *   2. full reductions (满减 / 满折) by priority, on what the lines cost now, flash units left out;
 *   3. coupons: item coupons (free item, exchange), then threshold, amount-off, percent-off;
 *   4. manual discounts (permission and the chain's cap);
 *   5. points offset (a payment: it lowers what is due, not the line totals).
 * Every amount is integer fen: rates round half-up (四舍五入) on the line or base amount once, and
 * every discount computed on several lines is split with allocateFen, so Σ line totals = total.
 * Lines are worked in a canonical order (sku, quantity, manual discount, line number), so the order
 * in which the cashier scanned them never changes a total.
 */
export function priceCart(input: PriceInput): PricedCart {
  const items = new Map(input.items.map((i) => [i.skuId, i]));
  const states = input.lines.map((line) => newLineState(line, items.get(line.skuId)));
  const order = [...states].sort(canonical);
  const member = input.member;
  const running = input.promotions.filter((p) => promotionRunning(p, input.storeId, input.at, input.local) && promotionForCustomer(p, member));
  const promotionTotals = new Map<string, PromotionOutcome>();
  const notePromotion = (p: PromotionRule, amountFen: number, lineNo: number) => {
    const o = promotionTotals.get(p.id) ?? { promotionId: p.id, name: p.name, kind: p.kind, amountFen: 0, lineNos: [] };
    o.amountFen += amountFen;
    if (!o.lineNos.includes(lineNo)) o.lineNos.push(lineNo);
    promotionTotals.set(p.id, o);
  };

  // ── 1. line price ─────────────────────────────────────────────────────────
  const flashLeft = new Map<string, number>();
  for (const p of running) {
    if (p.kind !== 'flash_sale' || !p.flash) continue;
    const f = p.flash;
    const memberLeft = f.perMemberLimit === null ? Number.MAX_SAFE_INTEGER : Math.max(0, f.perMemberLimit - f.memberBought);
    flashLeft.set(p.id, Math.max(0, Math.min(f.stockLeft, memberLeft)));
  }
  for (const s of order) {
    const price = s.item.priceFen;
    const flash = running
      .filter((p) => p.kind === 'flash_sale' && p.flash && p.flash.skuId === s.item.skuId && p.flash.priceFen < price && (flashLeft.get(p.id) ?? 0) > 0)
      .sort((a, b) => a.flash!.priceFen - b.flash!.priceFen || b.priority - a.priority || cmp(a.id, b.id))[0];
    if (flash) {
      const f = flash.flash!;
      const units = Math.min(s.line.quantity, flashLeft.get(flash.id)!);
      flashLeft.set(flash.id, flashLeft.get(flash.id)! - units);
      s.flashQty = units;
      s.flashAmount = f.priceFen * units;
      s.flashPromotionId = flash.id;
      const off = (price - f.priceFen) * units;
      addDiscount(s, { kind: 'flash_sale', ruleId: flash.id, label: '限时抢购', amountFen: off, reason: `${flash.name}：抢购价 ${yuan(f.priceFen)} × ${units}（原价 ${yuan(price)}）` });
      notePromotion(flash, off, s.line.lineNo);
    }
    const rest = s.line.quantity - s.flashQty;
    const full = price * rest;
    if (rest === 0 || !member) continue;
    const best = bestMemberPrice(s.item, rest, member, running, input);
    if (best && best.amountFen < full) {
      s.unitAfterLinePrice = best.unitFen;
      s.memberPriced = true;
      addDiscount(s, { kind: best.kind, ruleId: best.ruleId, label: best.label, amountFen: full - best.amountFen, reason: best.reason });
      if (best.promotion) {
        notePromotion(best.promotion, full - best.amountFen, s.line.lineNo);
        if (!best.promotion.stackWithCoupons) s.couponBlockers.push(best.promotion.name);
      }
    }
  }

  const orderDiscounts: OrderDiscount[] = [];
  /** Splits `amountFen` over `lines` in proportion to what each can still be discounted (never more than it). */
  const spread = (lines: LineState[], amountFen: number, d: Omit<Discount, 'amountFen'>): number[] => {
    const parts = allocateFen(amountFen, lines.map(promotable));
    lines.forEach((s, i) => {
      if (parts[i] > 0) addDiscount(s, { ...d, amountFen: parts[i] });
    });
    orderDiscounts.push({ ...d, amountFen, lineNos: lines.filter((_, i) => parts[i] > 0).map((s) => s.line.lineNo).sort((a, b) => a - b) });
    return parts;
  };

  // ── 2. full reductions ────────────────────────────────────────────────────
  const reductions = running.filter((p) => p.kind === 'full_reduction').sort((a, b) => b.priority - a.priority || cmp(a.id, b.id));
  const taken: PromotionRule[] = [];
  for (const p of reductions) {
    const lines = order.filter((s) => promotable(s) > 0 && inScope(p.scope, s.item));
    const base = sum(lines.map(promotable));
    const step = reachedStep(p.steps, base);
    if (!step) continue;
    if (taken.length > 0 && (p.exclusive || taken.some((t) => t.exclusive))) continue;
    const off = p.reductionMode === 'rate' ? base - applyBps(base, step.discountBps ?? 10000, 'half-up') : Math.min(step.amountOffFen ?? 0, base);
    if (off <= 0) continue;
    const parts = spread(lines, off, { kind: 'full_reduction', ruleId: p.id, label: p.name, reason: `${stepText(p, step)}（活动商品 ${yuan(base)}）` });
    lines.forEach((s, i) => {
      if (parts[i] > 0) {
        notePromotion(p, parts[i], s.line.lineNo);
        if (!p.stackWithCoupons) s.couponBlockers.push(p.name);
      }
    });
    taken.push(p);
  }

  // ── 3. coupons ────────────────────────────────────────────────────────────
  for (const c of input.coupons) {
    if (!member || c.memberId !== member.memberId) throw new PricingRefusal('COUPON_NOT_OWNED', { couponId: c.couponId });
  }
  const couponOutcomes = new Map<string, CouponOutcome>();
  const appliedValueRules: CouponRule[] = [];
  for (const c of [...input.coupons].sort(couponOrder)) {
    const outcome: CouponOutcome = { couponId: c.couponId, code: c.code, templateId: c.rule.templateId, name: c.rule.name, kind: c.rule.kind, applied: false, amountFen: 0, reasonCode: null, reason: null };
    couponOutcomes.set(c.couponId, outcome);
    const refuse = (code: CouponReasonCode, reason: string) => Object.assign(outcome, { reasonCode: code, reason });
    const unusable = couponUnusable(c, input);
    if (unusable) {
      refuse(unusable.code, unusable.reason);
      continue;
    }
    const rule = c.rule;
    const label = rule.name;
    if (rule.kind === 'free_item' || rule.kind === 'exchange') {
      const withSku = order.filter((s) => s.item.skuId === rule.skuId && inScope(rule.scope, s.item));
      const free = withSku.filter((s) => s.line.quantity - s.flashQty - s.itemCouponUnits > 0);
      const usable = free.filter((s) => couponMayTouch(s, rule)).sort((a, b) => b.unitAfterLinePrice - a.unitAfterLinePrice || promotable(b) - promotable(a));
      if (usable.length === 0) {
        if (withSku.length === 0) refuse('COUPON_ITEM_NOT_IN_CART', `购物车中没有此券可兑换的商品`);
        else if (free.length === 0) refuse('COUPON_NOT_APPLICABLE', '该商品已全部按抢购价或其他兑换券计价');
        else blockedReason(free, rule, refuse);
        continue;
      }
      const s = usable[0];
      const pay = rule.kind === 'exchange' ? (rule.exchangePriceFen ?? 0) : 0;
      const off = Math.min(s.unitAfterLinePrice - pay, promotable(s));
      if (off <= 0) {
        refuse('COUPON_NOT_APPLICABLE', `兑换价 ${yuan(pay)} 不低于现价 ${yuan(s.unitAfterLinePrice)}`);
        continue;
      }
      s.itemCouponUnits++;
      const what = rule.kind === 'exchange' ? `${yuan(pay)} 换购 1 件${s.item.name}` : `免费兑换 1 件${s.item.name}`;
      addDiscount(s, { kind: 'coupon', ruleId: c.couponId, label, amountFen: off, reason: `${rule.name}：${what}（券号 ${c.code}）` });
      Object.assign(outcome, { applied: true, amountFen: off });
      continue;
    }
    if (appliedValueRules.length > 0 && !(rule.stackable && appliedValueRules.every((r) => r.stackable))) {
      refuse('COUPON_NOT_STACKABLE', '不可与本单已用的其他优惠券叠加使用');
      continue;
    }
    const inRange = order.filter((s) => promotable(s) > 0 && inScope(rule.scope, s.item));
    const lines = inRange.filter((s) => couponMayTouch(s, rule));
    if (inRange.length === 0) {
      refuse('COUPON_NOT_APPLICABLE', '购物车中没有适用此券的商品（抢购商品不参与用券）');
      continue;
    }
    if (lines.length === 0) {
      blockedReason(inRange, rule, refuse);
      continue;
    }
    const base = sum(lines.map(promotable));
    if (base < rule.thresholdFen) {
      refuse('COUPON_THRESHOLD_NOT_MET', `适用商品 ${yuan(base)}，未满 ${yuan(rule.thresholdFen)}，还差 ${yuan(rule.thresholdFen - base)}`);
      continue;
    }
    let off: number;
    if (rule.kind === 'percent_off') {
      off = base - applyBps(base, rule.discountBps ?? 10000, 'half-up');
      if (rule.maxDiscountFen !== null) off = Math.min(off, rule.maxDiscountFen);
    } else {
      off = Math.min(rule.amountOffFen ?? 0, base);
    }
    if (off <= 0) {
      refuse('COUPON_NOT_APPLICABLE', '此券对本单没有优惠');
      continue;
    }
    spread(lines, off, { kind: 'coupon', ruleId: c.couponId, label, reason: `${couponText(rule)}（券号 ${c.code}，适用商品 ${yuan(base)}）` });
    appliedValueRules.push(rule);
    Object.assign(outcome, { applied: true, amountFen: off });
  }

  // ── 4. manual discounts ───────────────────────────────────────────────────
  for (const s of order) {
    const manual = s.line.manualDiscountFen;
    if (manual === 0) continue;
    if (!input.policy.manualDiscountAllowed) throw new PricingRefusal('PRICING_MANUAL_DISCOUNT_FORBIDDEN', { lineNo: s.line.lineNo });
    // Floor: the cap never rounds in the customer's favour beyond the chain's share.
    const maxFen = applyBps(s.amount, input.policy.manualDiscountMaxBps, 'floor');
    if (manual > maxFen) throw new PricingRefusal('PRICING_MANUAL_DISCOUNT_TOO_LARGE', { lineNo: s.line.lineNo, manualDiscountFen: manual, maxFen });
    addDiscount(s, { kind: 'manual', ruleId: null, label: '手工优惠', amountFen: manual, reason: `收银手工优惠 ${yuan(manual)}` });
  }

  const subtotalFen = sum(states.map((s) => s.originalFen));
  const totalFen = sum(states.map((s) => s.amount));

  // ── 5. points offset ──────────────────────────────────────────────────────
  const { points: unitPoints, fen: unitFen, maxBps } = input.policy.pointsOffset;
  let maxPointsUsable = 0;
  if (member && maxBps > 0 && unitPoints > 0 && unitFen > 0) {
    const byBalance = Math.floor(member.pointsBalance / unitPoints);
    const byCap = Math.floor(applyBps(totalFen, Math.min(maxBps, 10000), 'floor') / unitFen);
    maxPointsUsable = Math.max(0, Math.min(byBalance, byCap)) * unitPoints;
  }
  const pointsUsed = input.pointsToUse;
  if (!Number.isSafeInteger(pointsUsed) || pointsUsed < 0) throw new RangeError(`pointsToUse must be a non-negative integer, got ${pointsUsed}`);
  if (pointsUsed > 0) {
    if (!member) throw new PricingRefusal('PRICING_POINTS_NEED_MEMBER');
    if (unitPoints <= 0 || pointsUsed % unitPoints !== 0) throw new PricingRefusal('PRICING_POINTS_NOT_MULTIPLE', { unitPoints });
    if (pointsUsed > maxPointsUsable) throw new PricingRefusal('PRICING_POINTS_OVER_LIMIT', { maxPointsUsable });
  }
  const pointsOffsetFen = pointsUsed > 0 ? (pointsUsed / unitPoints) * unitFen : 0;
  const offsetParts = allocateFen(pointsOffsetFen, order.map((s) => s.amount));
  order.forEach((s, i) => (s.pointsOffsetFen = offsetParts[i]));

  const excluded = input.policy.pointsExcludedCategoryIds;
  const lines: PricedLine[] = states.map((s) => ({
    lineNo: s.line.lineNo,
    skuId: s.item.skuId,
    productId: s.item.productId,
    name: s.item.name,
    kind: s.item.kind,
    categoryId: s.item.categoryId,
    quantity: s.line.quantity,
    unitPriceFen: s.item.priceFen,
    originalFen: s.originalFen,
    discounts: s.discounts,
    totalFen: s.amount,
    costFen: s.item.costFen * s.line.quantity,
    pointsEligible: !s.item.categoryIds.some((c) => excluded.includes(c)),
    pointsOffsetFen: s.pointsOffsetFen,
    flashSaleQuantity: s.flashQty,
    flashSalePromotionId: s.flashPromotionId,
    manualDiscountFen: s.line.manualDiscountFen,
  }));
  const flashSales: FlashSaleTake[] = states
    .filter((s) => s.flashQty > 0)
    .map((s) => {
      const p = running.find((x) => x.id === s.flashPromotionId)!;
      return { promotionId: p.id, skuId: s.item.skuId, lineNo: s.line.lineNo, quantity: s.flashQty, perMemberLimit: p.flash!.perMemberLimit };
    });
  return {
    lines,
    orderDiscounts,
    subtotalFen,
    discountFen: subtotalFen - totalFen,
    totalFen,
    pointsUsed,
    pointsOffsetFen,
    dueFen: totalFen - pointsOffsetFen,
    maxPointsUsable,
    earnEligibleFen: sum(lines.filter((l) => l.pointsEligible).map((l) => l.totalFen - l.pointsOffsetFen)),
    coupons: input.coupons.map((c) => couponOutcomes.get(c.couponId)!),
    promotions: [...promotionTotals.values()].map((p) => ({ ...p, lineNos: p.lineNos.sort((a, b) => a - b) })).sort((a, b) => cmp(a.promotionId, b.promotionId)),
    flashSales,
  };
}

interface LineState {
  line: CartLine;
  item: CartItem;
  originalFen: number;
  /** What the line costs now, after the stages applied so far. */
  amount: number;
  flashQty: number;
  /** The flash units' part of amount: later stages never touch it. */
  flashAmount: number;
  flashPromotionId: string | null;
  /** The price of one non-flash unit after stage 1 (what an item coupon gives away). */
  unitAfterLinePrice: number;
  /** Member price, tier discount or member day priced the line. */
  memberPriced: boolean;
  /** Names of promotions on the line that do not combine with coupons. */
  couponBlockers: string[];
  itemCouponUnits: number;
  pointsOffsetFen: number;
  discounts: Discount[];
}

function newLineState(line: CartLine, item: CartItem | undefined): LineState {
  if (!item) throw new RangeError(`no item for sku ${line.skuId}`);
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError(`quantity must be a positive integer, got ${line.quantity}`);
  assertFen(line.manualDiscountFen, 'manualDiscountFen');
  if (line.manualDiscountFen < 0) throw new RangeError('manualDiscountFen must not be negative');
  assertFen(item.priceFen, 'priceFen');
  if (item.priceFen < 0) throw new RangeError('priceFen must not be negative');
  const originalFen = assertFen(item.priceFen * line.quantity, 'line amount');
  return {
    line,
    item,
    originalFen,
    amount: originalFen,
    flashQty: 0,
    flashAmount: 0,
    flashPromotionId: null,
    unitAfterLinePrice: item.priceFen,
    memberPriced: false,
    couponBlockers: [],
    itemCouponUnits: 0,
    pointsOffsetFen: 0,
    discounts: [],
  };
}

/** The order every stage walks the lines in; equal keys mean interchangeable lines. */
function canonical(a: LineState, b: LineState): number {
  return cmp(a.item.skuId, b.item.skuId) || a.line.quantity - b.line.quantity || a.line.manualDiscountFen - b.line.manualDiscountFen || a.line.lineNo - b.line.lineNo;
}

/** What later stages may still take off a line: its non-flash part. */
function promotable(s: LineState): number {
  return s.amount - s.flashAmount;
}

function addDiscount(s: LineState, d: Discount): void {
  if (d.amountFen <= 0) return;
  if (d.amountFen > s.amount) throw new Error(`discount ${d.amountFen} above what line ${s.line.lineNo} costs (${s.amount})`);
  s.amount -= d.amountFen;
  s.discounts.push(d);
}

interface MemberPrice {
  kind: DiscountKind;
  ruleId: string;
  label: string;
  reason: string;
  amountFen: number;
  unitFen: number;
  promotion: PromotionRule | null;
}

/** The lowest of member price, tier discount and member day for `units` units; ties in that order. */
function bestMemberPrice(item: CartItem, units: number, member: NonNullable<PriceInput['member']>, running: PromotionRule[], input: PriceInput): MemberPrice | null {
  const price = item.priceFen;
  const candidates: MemberPrice[] = [];
  if (input.policy.memberPriceEnabled && item.memberPriceFen !== null && item.memberPriceFen >= 0 && item.memberPriceFen < price) {
    const mp = item.memberPriceFen;
    candidates.push({ kind: 'member_price', ruleId: item.skuId, label: '会员价', reason: `会员价 ${yuan(mp)} × ${units}（原价 ${yuan(price)}）`, amountFen: mp * units, unitFen: mp, promotion: null });
  }
  if (input.policy.tierDiscountEnabled && member.tierId && member.tierDiscountBps < 10000 && inScope(input.policy.tierDiscountScope, item)) {
    const bps = member.tierDiscountBps;
    const tier = member.tierName ?? '会员';
    candidates.push({
      kind: 'tier_discount',
      ruleId: member.tierId,
      label: `${tier}折扣`,
      reason: `${tier} ${zhe(bps)}`,
      amountFen: applyBps(price * units, bps, 'half-up'),
      unitFen: applyBps(price, bps, 'half-up'),
      promotion: null,
    });
  }
  const days = running.filter((p) => p.kind === 'member_day' && p.discountBps !== null && inScope(p.scope, item)).sort((a, b) => b.priority - a.priority || cmp(a.id, b.id));
  for (const p of days) {
    const bps = p.discountBps!;
    candidates.push({ kind: 'member_day', ruleId: p.id, label: '会员日', reason: `${p.name}：${zhe(bps)}`, amountFen: applyBps(price * units, bps, 'half-up'), unitFen: applyBps(price, bps, 'half-up'), promotion: p });
  }
  let best: MemberPrice | null = null;
  for (const c of candidates) if (!best || c.amountFen < best.amountFen) best = c;
  return best;
}

/** The highest step whose threshold the base reaches. */
function reachedStep(steps: ReductionStep[], base: number): ReductionStep | null {
  let best: ReductionStep | null = null;
  for (const s of steps) if (s.thresholdFen <= base && (!best || s.thresholdFen > best.thresholdFen)) best = s;
  return best;
}

function stepText(p: PromotionRule, step: ReductionStep): string {
  return p.reductionMode === 'rate' ? `满 ${yuan(step.thresholdFen)} 打 ${zhe(step.discountBps ?? 10000)}` : `满 ${yuan(step.thresholdFen)} 减 ${yuan(step.amountOffFen ?? 0)}`;
}

function couponText(rule: CouponRule): string {
  switch (rule.kind) {
    case 'percent_off':
      return `${zhe(rule.discountBps ?? 10000)}${rule.maxDiscountFen !== null ? `，最多减 ${yuan(rule.maxDiscountFen)}` : ''}${rule.thresholdFen > 0 ? `，满 ${yuan(rule.thresholdFen)} 可用` : ''}`;
    case 'threshold':
      return `满 ${yuan(rule.thresholdFen)} 减 ${yuan(rule.amountOffFen ?? 0)}`;
    default:
      return `立减 ${yuan(rule.amountOffFen ?? 0)}`;
  }
}

const COUPON_RANK: Record<CouponRule['kind'], number> = { free_item: 1, exchange: 2, threshold: 3, amount_off: 4, percent_off: 5 };

/** The stated coupon order: item coupons, threshold, amount-off, percent-off; then by code. */
function couponOrder(a: CouponCandidate, b: CouponCandidate): number {
  return COUPON_RANK[a.rule.kind] - COUPON_RANK[b.rule.kind] || cmp(a.code, b.code) || cmp(a.couponId, b.couponId);
}

function couponUnusable(c: CouponCandidate, input: PriceInput): { code: CouponReasonCode; reason: string } | null {
  if (c.status === 'used') return { code: 'COUPON_USED', reason: '优惠券已使用' };
  if (c.status === 'voided') return { code: 'COUPON_VOIDED', reason: '优惠券已作废' };
  if (c.status === 'expired' || input.at.getTime() >= c.validUntil.getTime()) return { code: 'COUPON_EXPIRED', reason: `优惠券已于 ${c.validUntil.toISOString()} 过期` };
  if (input.at.getTime() < c.validFrom.getTime()) return { code: 'COUPON_NOT_YET_VALID', reason: `优惠券自 ${c.validFrom.toISOString()} 起可用` };
  if (c.rule.storeIds.length > 0 && !c.rule.storeIds.includes(input.storeId)) return { code: 'COUPON_NOT_FOR_STORE', reason: '优惠券不适用于本门店' };
  return null;
}

/** Whether a coupon may take something off this line (promotions that exclude coupons, member price). */
function couponMayTouch(s: LineState, rule: CouponRule): boolean {
  return s.couponBlockers.length === 0 && (rule.stackWithMemberPrice || !s.memberPriced);
}

function blockedReason(lines: LineState[], rule: CouponRule, refuse: (code: CouponReasonCode, reason: string) => unknown): void {
  const blockers = [...new Set(lines.flatMap((s) => s.couponBlockers))];
  if (blockers.length > 0) refuse('COUPON_BLOCKED_BY_PROMOTION', `参与「${blockers.join('、')}」的商品不可用券`);
  else if (!rule.stackWithMemberPrice) refuse('COUPON_NOT_APPLICABLE', '此券不与会员价、会员折扣同享');
  else refuse('COUPON_NOT_APPLICABLE', '购物车中没有适用此券的商品');
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
