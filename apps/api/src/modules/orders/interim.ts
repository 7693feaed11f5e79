import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { PointsService } from '../points/points.service';
import { CATALOG_PORT, type CatalogPort, type PricingPort, type Quote, type QuoteInput } from './ports';

/**
 * TEMPORARY stand-in until the pricing branch lands on main (issue 5 is built in parallel). It
 * follows the agreed contract with the least behaviour: list prices with member price and manual
 * discount, points offset by the points settings, no coupons.
 */
@Injectable()
export class InterimPricing implements PricingPort {
  constructor(
    @Inject(CATALOG_PORT) private readonly catalog: CatalogPort,
    private readonly points: PointsService,
  ) {}

  async quote(m: EntityManager, input: QuoteInput): Promise<Quote> {
    const items = await this.catalog.itemsForPricing(m, input.storeId, [...new Set(input.lines.map((l) => l.skuId))]);
    const lines = input.lines.map((l, i) => {
      const item = items.find((it) => it.skuId === l.skuId)!;
      const unit = input.memberId && item.memberPriceFen !== null ? item.memberPriceFen : item.priceFen;
      const originalFen = item.priceFen * l.quantity;
      const memberOff = (item.priceFen - unit) * l.quantity;
      const manual = Math.min(l.manualDiscountFen ?? 0, originalFen - memberOff);
      const discounts = [
        ...(memberOff > 0 ? [{ kind: 'member_price', ruleId: item.skuId, label: '会员价', amountFen: memberOff, reason: '会员价' }] : []),
        ...(manual > 0 ? [{ kind: 'manual', ruleId: null, label: '改价', amountFen: manual, reason: '收银员改价' }] : []),
      ];
      return {
        lineNo: i + 1,
        skuId: item.skuId,
        productId: item.productId,
        name: item.skuName ? `${item.productName} ${item.skuName}` : item.productName,
        kind: item.kind,
        categoryId: item.categoryId,
        quantity: l.quantity,
        unitPriceFen: item.priceFen,
        originalFen,
        discounts,
        totalFen: originalFen - memberOff - manual,
        costFen: item.costFen * l.quantity,
        pointsEligible: true,
      };
    });
    const subtotalFen = lines.reduce((s, l) => s + l.originalFen, 0);
    const totalFen = lines.reduce((s, l) => s + l.totalFen, 0);
    const rules = await this.points.rules(m);
    const cap = Math.floor((totalFen * rules.offsetMaxBps) / 10000);
    if (input.pointsToUse > 0 && input.pointsToUse % rules.offsetPoints !== 0) throw new AppError('VALIDATION_FAILED', [{ field: 'pointsToUse', errors: ['not a whole multiple'] }]);
    const pointsOffsetFen = (input.pointsToUse / rules.offsetPoints) * rules.offsetFen;
    if (pointsOffsetFen > cap) throw new AppError('VALIDATION_FAILED', [{ field: 'pointsToUse', errors: ['over the cap'] }]);
    return {
      lines,
      orderDiscounts: [],
      subtotalFen,
      discountFen: subtotalFen - totalFen,
      totalFen,
      pointsUsed: input.pointsToUse,
      pointsOffsetFen,
      dueFen: totalFen - pointsOffsetFen,
      maxPointsUsable: Math.floor(cap / rules.offsetFen) * rules.offsetPoints,
      coupons: input.couponIds.map((couponId) => ({ couponId, code: null, applied: false, reason: 'coupons come with the pricing capability' })),
    };
  }

  async commit(): Promise<void> {}
  async release(): Promise<void> {}
}
