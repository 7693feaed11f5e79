import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { CatalogService, type PricingItem } from '../catalog/catalog.service';
import { CouponsService } from '../coupons/coupons.service';
import type { CouponEntity } from '../coupons/entities/coupon.entity';
import { LedgerService } from '../ledger/ledger.service';
import { MembersService } from '../members/members.service';
import { PointsService } from '../points/points.service';
import { PromotionsService, type PromotionForPricing } from '../promotions/promotions.service';
import { TierEvaluationService } from '../tiers/tier-evaluation.service';
import { localTime } from './domain/clock';
import { priceCart } from './domain/engine';
import { PricingRefusal, type CartItem, type CouponCandidate, type MemberContext, type PromotionRule } from './domain/types';
import type { PricingSettingsResponse, QuoteRequest, QuoteResponse, UpdatePricingSettingsRequest } from './dto/pricing.dto';
import { toScope } from './dto/product-scope.dto';
import type { PricingSettingsEntity } from './entities/pricing-settings.entity';
import { PricingRepository } from './pricing.repository';

/** A priced cart; orders keep it and hand it back to commit. */
export type Quote = QuoteResponse;

export interface QuoteInput {
  storeId: string;
  memberId: string | null;
  lines: { skuId: string; quantity: number; manualDiscountFen?: number; servingStaffIds?: string[] }[];
  couponIds: string[];
  pointsToUse: number;
  /** When the rules apply (promotion windows, member days, coupon validity); default now. */
  at?: Date;
}

export interface CommitRef {
  orderId: string;
  memberId: string | null;
  storeId: string;
}

export interface ReleaseRef {
  orderId: string;
  /** The whole order is refunded: coupons come back (while valid) and every flash-sale unit. */
  full: boolean;
  /** A partial refund: units refunded per quote line; flash-sale units come back first. */
  quantities?: { lineNo: number; quantity: number }[];
}

export interface ReleaseOutcome {
  coupons: { couponId: string; status: 'unused' | 'expired' }[];
  flashSales: { promotionId: string; lineNo: number; quantity: number }[];
}

/**
 * The pricing engine's service (计价): gathers the cart's items (catalog), the member's tier and
 * points, the store's promotions and the chosen coupons, runs the pure engine (domain/engine.ts,
 * rules in ../README.md) and explains the result. commit and release apply and undo the quote's
 * side effects (coupons used, flash-sale stock) inside the orders module's transaction.
 */
@Injectable()
export class PricingService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: PricingRepository,
    private readonly catalog: CatalogService,
    private readonly coupons: CouponsService,
    private readonly promotions: PromotionsService,
    private readonly members: MembersService,
    private readonly tiers: TierEvaluationService,
    private readonly points: PointsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
  ) {}

  async settings(): Promise<PricingSettingsResponse> {
    return toSettingsResponse(await this.repo.settings(this.tx.manager));
  }

  updateSettings(input: UpdatePricingSettingsRequest): Promise<PricingSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m);
      const before = toSettingsResponse(s);
      if (input.memberPriceEnabled !== undefined) s.memberPriceEnabled = input.memberPriceEnabled;
      if (input.tierDiscountEnabled !== undefined) s.tierDiscountEnabled = input.tierDiscountEnabled;
      if (input.tierDiscountScope !== undefined) s.tierDiscountScope = toScope(input.tierDiscountScope);
      if (input.manualDiscountMaxBps !== undefined) s.manualDiscountMaxBps = input.manualDiscountMaxBps;
      const after = toSettingsResponse(await this.repo.saveSettings(m, s));
      const changes = diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
      await this.audit.record(m, { action: 'pricing.settings.update', entityType: 'pricing_settings', entityId: '1', ...changes });
      return after;
    });
  }

  /** POST /orders/quote: prices a cart at the counter, changing nothing. */
  quoteAtCounter(actor: StaffActor, input: QuoteRequest): Promise<Quote> {
    return this.tx.run((m) =>
      this.quote(m, { storeId: input.storeId, memberId: input.memberId ?? null, lines: input.lines, couponIds: input.couponIds ?? [], pointsToUse: input.pointsToUse ?? 0 }, actor),
    );
  }

  /**
   * Prices a cart. Unknown skus, members, coupons and staff are 4xx errors; a chosen coupon that
   * does not apply is explained on the quote (coupons[].reason) instead of failing it. Manual
   * discounts need the actor's order.discount permission (no actor: the caller checked).
   */
  async quote(m: EntityManager, input: QuoteInput, actor?: StaffActor): Promise<Quote> {
    const at = input.at ?? new Date();
    if (!input.lines.length) throw new AppError('VALIDATION_FAILED', [{ field: 'lines', errors: ['a quote needs at least one line'] }]);
    const timeZone = await this.repo.storeTimeZone(m, input.storeId);
    if (!timeZone) throw new AppError('STORE_NOT_FOUND');

    let member: MemberContext | null = null;
    let memberView: QuoteResponse['member'] = null;
    let pointsMultiplierBps = 10000;
    if (input.memberId) {
      const found = await this.members.get(input.memberId);
      if (found.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const tier = await this.tiers.currentTier(m, found.id);
      const pointsBalance = await this.ledger.balanceOf(m, found.id, 'points');
      pointsMultiplierBps = tier?.pointsMultiplierBps ?? 10000;
      member = { memberId: found.id, tierId: tier?.id ?? null, tierName: tier?.name ?? null, tierDiscountBps: tier?.discountBps ?? 10000, pointsBalance };
      memberView = { id: found.id, memberNo: found.memberNo, name: found.name, tierId: tier?.id ?? null, tierName: tier?.name ?? null, pointsBalance };
    }

    const staff = [...new Set(input.lines.flatMap((l) => l.servingStaffIds ?? []))];
    const missingStaff = await this.repo.missingStaff(m, staff);
    if (missingStaff.length) throw new AppError('STAFF_NOT_FOUND', { staffIds: missingStaff });

    const items = await this.catalog.itemsForPricing(m, input.storeId, [...new Set(input.lines.map((l) => l.skuId))]);
    const promotions = await this.promotions.forQuote(m, { storeId: input.storeId, memberId: member?.memberId ?? null, at });
    const chosen = [...new Set(input.couponIds)];
    const found = await this.coupons.forQuote(m, chosen);
    // As the cashier chose them: the quote lists the coupons in that order (the engine applies them in its own).
    const coupons = chosen.map((id) => found.find((c) => c.id === id)!);
    const settings = await this.repo.settings(m);
    const pointsRules = await this.points.rules(m);

    let priced;
    try {
      priced = priceCart({
        storeId: input.storeId,
        at,
        local: localTime(at, timeZone),
        items: items.map(toCartItem),
        lines: input.lines.map((l, i) => ({ lineNo: i + 1, skuId: l.skuId, quantity: l.quantity, manualDiscountFen: l.manualDiscountFen ?? 0 })),
        member,
        promotions: promotions.map(toPromotionRule),
        coupons: coupons.map(toCouponCandidate),
        policy: {
          memberPriceEnabled: settings.memberPriceEnabled,
          tierDiscountEnabled: settings.tierDiscountEnabled,
          tierDiscountScope: toScope(settings.tierDiscountScope),
          manualDiscountMaxBps: settings.manualDiscountMaxBps,
          manualDiscountAllowed: actor ? actor.permissions.has('order.discount') : true,
          pointsOffset: { points: pointsRules.offsetPoints, fen: pointsRules.offsetFen, maxBps: pointsRules.offsetMaxBps },
          pointsExcludedCategoryIds: pointsRules.excludedCategoryIds,
        },
        pointsToUse: input.pointsToUse,
      });
    } catch (err) {
      if (err instanceof PricingRefusal) throw new AppError(err.code, err.details);
      throw err;
    }
    const pointsToEarn = member ? await this.points.previewEarn(m, { memberId: member.memberId, eligibleAmountFen: priced.earnEligibleFen, tierMultiplierBps: pointsMultiplierBps, at }) : 0;
    const units = new Map(items.map((i) => [i.skuId, i.unit]));
    return {
      storeId: input.storeId,
      memberId: member?.memberId ?? null,
      member: memberView,
      at: at.toISOString(),
      lines: priced.lines.map((l) => ({
        lineNo: l.lineNo,
        skuId: l.skuId,
        productId: l.productId,
        name: l.name,
        kind: l.kind,
        categoryId: l.categoryId,
        unit: units.get(l.skuId) ?? '',
        quantity: l.quantity,
        unitPriceFen: l.unitPriceFen,
        originalFen: l.originalFen,
        discounts: l.discounts,
        totalFen: l.totalFen,
        costFen: l.costFen,
        pointsEligible: l.pointsEligible,
        pointsOffsetFen: l.pointsOffsetFen,
        flashSaleQuantity: l.flashSaleQuantity,
        manualDiscountFen: l.manualDiscountFen,
        servingStaffIds: input.lines[l.lineNo - 1].servingStaffIds ?? [],
      })),
      orderDiscounts: priced.orderDiscounts,
      subtotalFen: priced.subtotalFen,
      discountFen: priced.discountFen,
      totalFen: priced.totalFen,
      pointsUsed: priced.pointsUsed,
      pointsOffsetFen: priced.pointsOffsetFen,
      dueFen: priced.dueFen,
      maxPointsUsable: priced.maxPointsUsable,
      pointsToEarn,
      coupons: priced.coupons,
      promotions: priced.promotions,
      flashSales: priced.flashSales,
    };
  }

  /**
   * Applies a quote's side effects for an order, in the order's transaction: the applied coupons
   * become used by it (conditional unused → used, ascending id), then the flash-sale units are
   * taken from their promotions' stock and the member's limit (ascending promotion id). Anything
   * used, voided, expired or sold out since the quote refuses the whole order with its code.
   */
  async commit(m: EntityManager, quote: Quote, ref: CommitRef): Promise<void> {
    if (quote.memberId !== ref.memberId || quote.storeId !== ref.storeId) throw new Error('the quote was made for another member or store');
    const couponIds = quote.coupons.filter((c) => c.applied).map((c) => c.couponId);
    if (couponIds.length) {
      if (!ref.memberId) throw new AppError('COUPON_NOT_OWNED', { couponIds });
      await this.coupons.use(m, { couponIds, memberId: ref.memberId, orderId: ref.orderId, storeId: ref.storeId, at: new Date() });
    }
    if (quote.flashSales.length) {
      await this.promotions.takeFlashSales(m, {
        orderId: ref.orderId,
        memberId: ref.memberId,
        storeId: ref.storeId,
        takes: quote.flashSales.map((f) => ({ promotionId: f.promotionId, lineNo: f.lineNo, quantity: f.quantity, perMemberLimit: f.perMemberLimit })),
      });
    }
  }

  /**
   * Undoes a committed quote's side effects for a refund: a full refund restores the order's
   * coupons (unused while still valid, else expired) and every flash-sale unit; a partial refund
   * keeps the coupons used and gives back flash-sale units of the refunded quantities.
   */
  async release(m: EntityManager, ref: ReleaseRef): Promise<ReleaseOutcome> {
    const coupons = ref.full ? await this.coupons.restore(m, { orderId: ref.orderId, at: new Date() }) : [];
    const flashSales = await this.promotions.releaseFlashSales(m, { orderId: ref.orderId, lines: ref.full ? undefined : (ref.quantities ?? []) });
    return { coupons, flashSales };
  }
}

function toCartItem(i: PricingItem): CartItem {
  return {
    skuId: i.skuId,
    productId: i.productId,
    name: i.skuName ? `${i.productName} ${i.skuName}` : i.productName,
    kind: i.kind,
    categoryId: i.categoryId,
    categoryIds: i.categoryIds,
    priceFen: i.priceFen,
    memberPriceFen: i.memberPriceFen,
    costFen: i.costFen,
  };
}

function toPromotionRule(p: PromotionForPricing): PromotionRule {
  const r = p.promotion;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    priority: r.priority,
    exclusive: r.exclusive,
    stackWithCoupons: r.stackWithCoupons,
    membersOnly: r.membersOnly,
    tierIds: r.tierIds,
    storeIds: r.storeIds,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    dailyStart: r.dailyStart,
    dailyEnd: r.dailyEnd,
    weekdays: r.weekdays,
    monthDays: r.monthDays,
    scope: toScope(r.scope),
    discountBps: r.discountBps,
    reductionMode: r.reductionMode,
    steps: r.steps,
    flash:
      r.kind === 'flash_sale' && r.flashSkuId && r.flashPriceFen !== null
        ? { skuId: r.flashSkuId, priceFen: r.flashPriceFen, stockLeft: p.flashStockLeft, perMemberLimit: r.flashPerMemberLimit, memberBought: p.memberBought }
        : null,
  };
}

function toCouponCandidate(c: CouponEntity): CouponCandidate {
  const r = c.rule;
  return {
    couponId: c.id,
    code: c.code,
    memberId: c.memberId,
    status: c.status,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    rule: {
      templateId: c.templateId,
      name: r.name,
      kind: r.kind,
      amountOffFen: r.amountOffFen,
      discountBps: r.discountBps,
      maxDiscountFen: r.maxDiscountFen,
      thresholdFen: r.thresholdFen,
      skuId: r.skuId,
      exchangePriceFen: r.exchangePriceFen,
      storeIds: r.storeIds,
      scope: toScope(r.scope),
      stackable: r.stackable,
      stackWithMemberPrice: r.stackWithMemberPrice,
    },
  };
}

function toSettingsResponse(s: PricingSettingsEntity): PricingSettingsResponse {
  return {
    memberPriceEnabled: s.memberPriceEnabled,
    tierDiscountEnabled: s.tierDiscountEnabled,
    tierDiscountScope: toScope(s.tierDiscountScope),
    manualDiscountMaxBps: s.manualDiscountMaxBps,
    updatedAt: s.updatedAt.toISOString(),
  };
}
