import fc from 'fast-check';
import { priceCart } from './engine';
import { inScope, promotionRunning, zhe } from './rules';
import { PricingRefusal, WHOLE_CATALOG, type CartItem, type CouponCandidate, type CouponRule, type LocalTime, type MemberContext, type PriceInput, type PricedCart, type PricingPolicy, type PromotionRule } from './types';


/** Builders for the engine's specs: a plain cart with sensible defaults, overridden per case. */
const AT = new Date('2026-03-04T04:00:00Z'); // a Wednesday, 12:00 in Shanghai
const LOCAL: LocalTime = { date: '2026-03-04', weekday: 3, dayOfMonth: 4, time: '12:00' };
const STORE = 'store-a';

function item(skuId: string, priceFen: number, over: Partial<CartItem> = {}): CartItem {
  return { skuId, productId: `p-${skuId}`, name: `商品${skuId}`, kind: 'goods', categoryId: 'c-drinks', categoryIds: ['c-drinks', 'c-root'], priceFen, memberPriceFen: null, costFen: 0, ...over };
}

function member(over: Partial<MemberContext> = {}): MemberContext {
  return { memberId: 'm1', tierId: 'tier-silver', tierName: '银卡会员', tierDiscountBps: 10000, pointsBalance: 0, ...over };
}

function policy(over: Partial<PricingPolicy> = {}): PricingPolicy {
  return {
    memberPriceEnabled: true,
    tierDiscountEnabled: true,
    tierDiscountScope: WHOLE_CATALOG,
    manualDiscountMaxBps: 2000,
    manualDiscountAllowed: true,
    pointsOffset: { points: 100, fen: 100, maxBps: 0 },
    pointsExcludedCategoryIds: [],
    ...over,
  };
}

function promotion(id: string, over: Partial<PromotionRule>): PromotionRule {
  return {
    id,
    name: `活动${id}`,
    kind: 'full_reduction',
    priority: 0,
    exclusive: false,
    stackWithCoupons: true,
    membersOnly: false,
    tierIds: [],
    storeIds: [],
    startsAt: null,
    endsAt: null,
    dailyStart: null,
    dailyEnd: null,
    weekdays: [],
    monthDays: [],
    scope: WHOLE_CATALOG,
    discountBps: null,
    reductionMode: null,
    steps: [],
    flash: null,
    ...over,
  };
}

function coupon(id: string, rule: Partial<CouponRule> & Pick<CouponRule, 'kind'>, over: Partial<CouponCandidate> = {}): CouponCandidate {
  return {
    couponId: id,
    code: `CODE${id.toUpperCase()}`,
    memberId: 'm1',
    status: 'unused',
    validFrom: new Date('2026-01-01T00:00:00Z'),
    validUntil: new Date('2027-01-01T00:00:00Z'),
    rule: {
      templateId: `t-${id}`,
      name: `券${id}`,
      amountOffFen: null,
      discountBps: null,
      maxDiscountFen: null,
      thresholdFen: 0,
      skuId: null,
      exchangePriceFen: null,
      storeIds: [],
      scope: WHOLE_CATALOG,
      stackable: false,
      stackWithMemberPrice: true,
      ...rule,
    },
    ...over,
  };
}

/** A cart: lines are [item, quantity, manualDiscountFen?]. */
function cart(lines: [CartItem, number, number?][], over: Partial<PriceInput> = {}): PriceInput {
  const items = new Map<string, CartItem>();
  for (const [i] of lines) items.set(i.skuId, i);
  return {
    storeId: STORE,
    at: AT,
    local: LOCAL,
    items: [...items.values()],
    lines: lines.map(([i, quantity, manual], n) => ({ lineNo: n + 1, skuId: i.skuId, quantity, manualDiscountFen: manual ?? 0 })),
    member: null,
    promotions: [],
    coupons: [],
    policy: policy(),
    pointsToUse: 0,
    ...over,
  };
}

/** The parts of a priced cart a case states: the total, each line's discounts by kind, coupon outcomes. */
interface Expect {
  totalFen: number;
  lines?: Record<number, { totalFen?: number; discounts?: [string, number][] }>;
  coupons?: Record<string, true | string>;
  promotions?: string[];
  dueFen?: number;
  pointsOffsetFen?: number;
  maxPointsUsable?: number;
  earnEligibleFen?: number;
  flash?: [number, number][];
}

const tea = item('tea', 1800);
const cake = item('cake', 990);
const big = item('big', 15000);
const mid = item('mid', 8000);
const cig = item('cig', 2500, { categoryId: 'c-tobacco', categoryIds: ['c-tobacco', 'c-root'] });
const silver = (bps = 9500, balance = 0) => member({ tierDiscountBps: bps, pointsBalance: balance });
const flashTea = (over: Partial<NonNullable<PromotionRule['flash']>> = {}, p: Partial<PromotionRule> = {}) =>
  promotion('flash', { name: '午间秒杀', kind: 'flash_sale', flash: { skuId: 'tea', priceFen: 990, stockLeft: 5, perMemberLimit: 1, memberBought: 0, ...over }, ...p });
const reduce = (id: string, steps: [number, number][], over: Partial<PromotionRule> = {}) =>
  promotion(id, { name: `满减${id}`, kind: 'full_reduction', reductionMode: 'amount', steps: steps.map(([thresholdFen, amountOffFen]) => ({ thresholdFen, amountOffFen, discountBps: null })), ...over });
const memberDay = (bps: number, over: Partial<PromotionRule> = {}) => promotion('mday', { name: '周三会员日', kind: 'member_day', discountBps: bps, weekdays: [3], ...over });

const CASES: [string, PriceInput, Expect | PricingRefusal['code']][] = [
  ['prices a walk-in customer at list price', cart([[tea, 2], [cake, 1]]), { totalFen: 4590, lines: { 1: { totalFen: 3600, discounts: [] }, 2: { totalFen: 990 } } }],
  [
    'gives the member price when it beats the tier discount',
    cart([[item('tea', 2000, { memberPriceFen: 1700 }), 2]], { member: silver(9000) }),
    { totalFen: 3400, lines: { 1: { discounts: [['member_price', 600]] } } },
  ],
  ['gives the tier discount when it beats the member price', cart([[item('tea', 2000, { memberPriceFen: 1900 }), 1]], { member: silver(9000) }), { totalFen: 1800, lines: { 1: { discounts: [['tier_discount', 200]] } } }],
  ['prefers the member price on a tie with the tier discount', cart([[item('tea', 2000, { memberPriceFen: 1800 }), 1]], { member: silver(9000) }), { totalFen: 1800, lines: { 1: { discounts: [['member_price', 200]] } } }],
  ['rounds a tier discount half-up once on the line amount (950.95 → 951)', cart([[item('x', 1001), 1]], { member: silver(9500) }), { totalFen: 951, lines: { 1: { discounts: [['tier_discount', 50]] } } }],
  ['rounds 3 × 3.33 at 9.5折 to 9.49 (949.05 → 949)', cart([[item('x', 333), 3]], { member: silver(9500) }), { totalFen: 949 }],
  ['keeps excluded categories out of the tier discount', cart([[cig, 1], [tea, 1]], { member: silver(9000), policy: policy({ tierDiscountScope: { ...WHOLE_CATALOG, excludeCategoryIds: ['c-tobacco'] } }) }), { totalFen: 2500 + 1620, lines: { 1: { discounts: [] } } }],
  ['gives a walk-in customer no member price', cart([[item('tea', 2000, { memberPriceFen: 1700 }), 1]]), { totalFen: 2000 }],
  ['gives the member-day rate on its weekday when it is the best', cart([[item('x', 1000), 1]], { member: silver(9500), promotions: [memberDay(8800)] }), { totalFen: 880, lines: { 1: { discounts: [['member_day', 120]] } }, promotions: ['mday'] }],
  ['gives no member-day rate on another weekday', cart([[item('x', 1000), 1]], { member: silver(9500), promotions: [memberDay(8800, { weekdays: [4] })] }), { totalFen: 950 }],
  ['runs a member day on a day of the month too', cart([[item('x', 1000), 1]], { member: silver(), promotions: [memberDay(8800, { weekdays: [], monthDays: [4] })] }), { totalFen: 880 }],
  [
    'sells flash-sale units up to the member limit and prices the rest as usual',
    cart([[tea, 3]], { member: silver(9000), promotions: [flashTea()] }),
    { totalFen: 990 + 3240, lines: { 1: { discounts: [['flash_sale', 810], ['tier_discount', 360]] } }, flash: [[1, 1]], promotions: ['flash'] },
  ],
  ['sells no flash unit once the stock is gone', cart([[tea, 1]], { member: silver(), promotions: [flashTea({ stockLeft: 0 })] }), { totalFen: 1710, flash: [] }],
  ['sells no flash unit to a member at the limit', cart([[tea, 1]], { member: silver(), promotions: [flashTea({ memberBought: 1 })] }), { totalFen: 1710, flash: [] }],
  ['needs a member for a flash sale with a per-member limit', cart([[tea, 1]], { promotions: [flashTea()] }), { totalFen: 1800 }],
  ['sells to anyone when the flash sale has no limit, up to its stock', cart([[tea, 4]], { promotions: [flashTea({ perMemberLimit: null, stockLeft: 3 })] }), { totalFen: 990 * 3 + 1800, flash: [[1, 3]] }],
  [
    'splits a full reduction over its lines by largest remainder (3000 × 15000/23000 → 1957 + 1043)',
    cart([[big, 1], [mid, 1]], { promotions: [reduce('r1', [[20000, 3000]])] }),
    { totalFen: 20000, lines: { 1: { totalFen: 13043 }, 2: { totalFen: 6957 } } },
  ],
  ['takes the highest step reached', cart([[big, 1], [mid, 1]], { promotions: [reduce('r1', [[10000, 1000], [20000, 3000], [30000, 5000]])] }), { totalFen: 20000 }],
  [
    'applies a rate step (满300打95折)',
    cart([[big, 2]], { promotions: [promotion('r2', { name: '满300享95折', kind: 'full_reduction', reductionMode: 'rate', steps: [{ thresholdFen: 30000, amountOffFen: null, discountBps: 9500 }] })] }),
    { totalFen: 28500 },
  ],
  ['does not reduce below the threshold', cart([[mid, 1]], { promotions: [reduce('r1', [[10000, 1000]])] }), { totalFen: 8000 }],
  [
    'leaves flash-sale units out of a full reduction',
    cart([[tea, 6]], { member: silver(), promotions: [flashTea(), reduce('r1', [[9000, 1000]])] }),
    // 1 flash at 9.90 + 5 × 18.00 × 9.5折 = 85.50 → 满90 not reached
    { totalFen: 990 + 8550 },
  ],
  [
    'lets an exclusive full reduction apply alone',
    cart([[big, 1]], { promotions: [reduce('r1', [[10000, 1000]], { priority: 10, exclusive: true }), reduce('r2', [[10000, 500]], { priority: 5 })] }),
    { totalFen: 14000, promotions: ['r1'] },
  ],
  [
    'stacks non-exclusive full reductions by priority, each on what is left',
    cart([[big, 1]], { promotions: [reduce('r1', [[10000, 1000]], { priority: 10 }), reduce('r2', [[14000, 500]], { priority: 5 })] }),
    { totalFen: 13500, promotions: ['r1', 'r2'] },
  ],
  ['keeps members-only promotions from walk-in customers', cart([[big, 1]], { promotions: [reduce('r1', [[10000, 1000]], { membersOnly: true })] }), { totalFen: 15000 }],
  ['keeps tier-bound promotions from other tiers', cart([[big, 1]], { member: silver(), promotions: [reduce('r1', [[10000, 1000]], { tierIds: ['tier-gold'] })] }), { totalFen: 14250 }],
  ['runs a promotion only at its stores', cart([[big, 1]], { promotions: [reduce('r1', [[10000, 1000]], { storeIds: ['store-b'] })] }), { totalFen: 15000 }],
  ['runs a promotion only inside its window', cart([[big, 1]], { promotions: [reduce('r1', [[10000, 1000]], { endsAt: AT })] }), { totalFen: 15000 }],
  ['runs a promotion only in its daily hours', cart([[big, 1]], { promotions: [reduce('r1', [[10000, 1000]], { dailyStart: '14:00', dailyEnd: '16:00' })] }), { totalFen: 15000 }],
  [
    'applies a threshold coupon once the covered items reach it',
    cart([[tea, 6]], { member: silver(), coupons: [coupon('c1', { kind: 'threshold', thresholdFen: 10000, amountOffFen: 2000 })] }),
    { totalFen: 10260 - 2000, coupons: { c1: true } },
  ],
  [
    'explains a threshold not reached',
    cart([[tea, 5]], { member: silver(), coupons: [coupon('c1', { kind: 'threshold', thresholdFen: 10000, amountOffFen: 2000 })] }),
    { totalFen: 8550, coupons: { c1: 'COUPON_THRESHOLD_NOT_MET' } },
  ],
  ['caps a percent-off coupon', cart([[mid, 1]], { member: member(), coupons: [coupon('c1', { kind: 'percent_off', discountBps: 8000, maxDiscountFen: 1000 })] }), { totalFen: 7000 }],
  ['never takes more off than the items cost', cart([[item('x', 300), 1]], { member: member(), coupons: [coupon('c1', { kind: 'amount_off', amountOffFen: 500 })] }), { totalFen: 0, coupons: { c1: true } }],
  [
    'uses one value coupon unless both stack (threshold before amount-off)',
    cart([[big, 1]], { member: member(), coupons: [coupon('a', { kind: 'amount_off', amountOffFen: 500 }), coupon('b', { kind: 'threshold', thresholdFen: 10000, amountOffFen: 1000 })] }),
    { totalFen: 14000, coupons: { a: 'COUPON_NOT_STACKABLE', b: true } },
  ],
  [
    'combines stackable value coupons',
    cart([[big, 1]], {
      member: member(),
      coupons: [coupon('a', { kind: 'amount_off', amountOffFen: 500, stackable: true }), coupon('b', { kind: 'threshold', thresholdFen: 10000, amountOffFen: 1000, stackable: true })],
    }),
    { totalFen: 13500, coupons: { a: true, b: true } },
  ],
  [
    'gives one unit free with a free-item coupon, next to a value coupon',
    cart([[tea, 2], [big, 1]], { member: member(), coupons: [coupon('f', { kind: 'free_item', skuId: 'tea' }), coupon('a', { kind: 'amount_off', amountOffFen: 500 })] }),
    { totalFen: 1800 + 15000 - 500, coupons: { f: true, a: true } },
  ],
  ['explains a free-item coupon whose item is not in the cart', cart([[big, 1]], { member: member(), coupons: [coupon('f', { kind: 'free_item', skuId: 'tea' })] }), { totalFen: 15000, coupons: { f: 'COUPON_ITEM_NOT_IN_CART' } }],
  ['sells one unit for 1 fen with an exchange coupon', cart([[tea, 1]], { member: member(), coupons: [coupon('e', { kind: 'exchange', skuId: 'tea', exchangePriceFen: 1 })] }), { totalFen: 1 }],
  [
    'keeps member-priced lines from a coupon that does not combine with member price',
    cart([[item('tea', 2000, { memberPriceFen: 1500 }), 1], [big, 1]], { member: member(), coupons: [coupon('c', { kind: 'percent_off', discountBps: 9000, stackWithMemberPrice: false })] }),
    { totalFen: 1500 + 13500, lines: { 1: { discounts: [['member_price', 500]] }, 2: { discounts: [['coupon', 1500]] } } },
  ],
  [
    'explains a coupon refused by a promotion that does not combine with coupons',
    cart([[big, 1]], { member: member(), promotions: [reduce('r1', [[10000, 1000]], { stackWithCoupons: false })], coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 })] }),
    { totalFen: 14000, coupons: { c: 'COUPON_BLOCKED_BY_PROMOTION' } },
  ],
  ['keeps flash units out of coupons', cart([[tea, 1]], { member: member(), promotions: [flashTea()], coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 100 })] }), { totalFen: 990, coupons: { c: 'COUPON_NOT_APPLICABLE' } }],
  ['explains a used coupon', cart([[big, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 }, { status: 'used' })] }), { totalFen: 15000, coupons: { c: 'COUPON_USED' } }],
  ['explains a voided coupon', cart([[big, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 }, { status: 'voided' })] }), { totalFen: 15000, coupons: { c: 'COUPON_VOIDED' } }],
  ['explains a coupon past its end even before the expiry job', cart([[big, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 }, { validUntil: AT })] }), { totalFen: 15000, coupons: { c: 'COUPON_EXPIRED' } }],
  ['explains a coupon not valid yet', cart([[big, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 }, { validFrom: new Date(AT.getTime() + 1) })] }), { totalFen: 15000, coupons: { c: 'COUPON_NOT_YET_VALID' } }],
  ['explains a coupon for other stores', cart([[big, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500, storeIds: ['store-b'] })] }), { totalFen: 15000, coupons: { c: 'COUPON_NOT_FOR_STORE' } }],
  ['explains a coupon whose scope misses the cart', cart([[cig, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500, scope: { ...WHOLE_CATALOG, includeCategoryIds: ['c-drinks'] } })] }), { totalFen: 2500, coupons: { c: 'COUPON_NOT_APPLICABLE' } }],
  ['refuses another member’s coupon', cart([[big, 1]], { member: member(), coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 }, { memberId: 'm2' })] }), 'COUPON_NOT_OWNED'],
  ['refuses a coupon without a member', cart([[big, 1]], { coupons: [coupon('c', { kind: 'amount_off', amountOffFen: 500 })] }), 'COUPON_NOT_OWNED'],
  ['takes a manual discount up to the cap', cart([[item('x', 1000), 1, 200]]), { totalFen: 800, lines: { 1: { discounts: [['manual', 200]] } } }],
  ['refuses a manual discount above the cap', cart([[item('x', 1000), 1, 201]]), 'PRICING_MANUAL_DISCOUNT_TOO_LARGE'],
  ['refuses a manual discount without the permission', cart([[item('x', 1000), 1, 1]], { policy: policy({ manualDiscountAllowed: false }) }), 'PRICING_MANUAL_DISCOUNT_FORBIDDEN'],
  [
    'offsets points up to the balance and the cap, and earns on the rest',
    cart([[tea, 2], [cake, 1]], { member: member({ pointsBalance: 1550 }), pointsToUse: 1500, policy: policy({ pointsOffset: { points: 100, fen: 100, maxBps: 5000 } }) }),
    { totalFen: 4590, pointsOffsetFen: 1500, dueFen: 3090, maxPointsUsable: 1500, earnEligibleFen: 3090 },
  ],
  ['caps usable points at the share of the total', cart([[tea, 2], [cake, 1]], { member: member({ pointsBalance: 99999 }), policy: policy({ pointsOffset: { points: 100, fen: 100, maxBps: 5000 } }) }), { totalFen: 4590, maxPointsUsable: 2200 }],
  ['refuses more points than usable', cart([[tea, 1]], { member: member({ pointsBalance: 99999 }), pointsToUse: 1000, policy: policy({ pointsOffset: { points: 100, fen: 100, maxBps: 5000 } }) }), 'PRICING_POINTS_OVER_LIMIT'],
  ['refuses points that are not whole units', cart([[tea, 1]], { member: member({ pointsBalance: 99999 }), pointsToUse: 150, policy: policy({ pointsOffset: { points: 100, fen: 100, maxBps: 5000 } }) }), 'PRICING_POINTS_NOT_MULTIPLE'],
  ['refuses points without a member', cart([[tea, 1]], { pointsToUse: 100 }), 'PRICING_POINTS_NEED_MEMBER'],
  ['earns no points on excluded categories', cart([[cig, 1], [tea, 1]], { member: member(), policy: policy({ pointsExcludedCategoryIds: ['c-tobacco'] }) }), { totalFen: 4300, earnEligibleFen: 1800 }],
];

describe('priceCart: the table of cases', () => {
  it.each(CASES)('%s', (_name, input, expected) => {
    if (typeof expected === 'string') {
      expect(() => priceCart(input)).toThrow(PricingRefusal);
      try {
        priceCart(input);
      } catch (err) {
        expect((err as PricingRefusal).code).toBe(expected);
      }
      return;
    }
    const q = priceCart(input);
    checkInvariants(input, q);
    expect(q.totalFen).toBe(expected.totalFen);
    for (const [lineNo, e] of Object.entries(expected.lines ?? {})) {
      const line = q.lines.find((l) => l.lineNo === Number(lineNo))!;
      if (e.totalFen !== undefined) expect(line.totalFen).toBe(e.totalFen);
      if (e.discounts) expect(line.discounts.map((d) => [d.kind, d.amountFen])).toEqual(e.discounts);
    }
    for (const [id, e] of Object.entries(expected.coupons ?? {})) {
      const c = q.coupons.find((x) => x.couponId === id)!;
      if (e === true) expect({ applied: c.applied, reason: c.reason }).toEqual({ applied: true, reason: null });
      else expect({ applied: c.applied, code: c.reasonCode }).toEqual({ applied: false, code: e });
      if (!c.applied) expect(c.reason).toEqual(expect.any(String));
    }
    if (expected.promotions) expect(q.promotions.map((p) => p.promotionId)).toEqual(expected.promotions);
    for (const key of ['dueFen', 'pointsOffsetFen', 'maxPointsUsable', 'earnEligibleFen'] as const) {
      if (expected[key] !== undefined) expect({ [key]: q[key] }).toEqual({ [key]: expected[key] });
    }
    if (expected.flash) expect(q.flashSales.map((f) => [f.lineNo, f.quantity])).toEqual(expected.flash);
  });

  it('explains every discount with a label and a reason in Chinese', () => {
    const q = priceCart(cart([[tea, 3], [big, 1]], { member: silver(9000), promotions: [flashTea(), reduce('r1', [[10000, 1000]])], coupons: [coupon('c', { kind: 'threshold', thresholdFen: 5000, amountOffFen: 800 })] }));
    const all = q.lines.flatMap((l) => l.discounts);
    expect(all.map((d) => d.kind).sort()).toEqual(['coupon', 'coupon', 'flash_sale', 'full_reduction', 'full_reduction', 'tier_discount', 'tier_discount']);
    expect(all.find((d) => d.kind === 'flash_sale')).toMatchObject({ label: '限时抢购', reason: '午间秒杀：抢购价 ¥9.90 × 1（原价 ¥18.00）', ruleId: 'flash' });
    expect(all.find((d) => d.kind === 'tier_discount')).toMatchObject({ label: '银卡会员折扣', reason: '银卡会员 9折', ruleId: 'tier-silver' });
    expect(q.orderDiscounts.map((d) => [d.kind, d.label, d.reason, d.amountFen])).toEqual([
      ['full_reduction', '满减r1', '满 ¥100.00 减 ¥10.00（活动商品 ¥167.40）', 1000],
      ['coupon', '券c', '满 ¥50.00 减 ¥8.00（券号 CODEC，适用商品 ¥157.40）', 800],
    ]);
  });
});

describe('rules', () => {
  it('writes rates the Chinese way', () => {
    expect([9500, 8800, 9000, 8850, 5000, 10000].map(zhe)).toEqual(['9.5折', '8.8折', '9折', '8.85折', '5折', '10折']);
  });

  it('lets an exclusion win over an inclusion', () => {
    const scope = { ...WHOLE_CATALOG, includeCategoryIds: ['c-root'], excludeProductIds: ['p-cig'] };
    expect(inScope(scope, { productId: 'p-tea', categoryIds: ['c-drinks', 'c-root'] })).toBe(true);
    expect(inScope(scope, { productId: 'p-cig', categoryIds: ['c-tobacco', 'c-root'] })).toBe(false);
    expect(inScope(scope, { productId: 'p-x', categoryIds: [] })).toBe(false);
  });

  it('runs daily hours that wrap past midnight', () => {
    const late = promotion('n', { dailyStart: '22:00', dailyEnd: '02:00' });
    const at = (time: string) => promotionRunning(late, STORE, AT, { ...LOCAL, time });
    expect([at('23:30'), at('01:59'), at('02:00'), at('12:00')]).toEqual([true, true, false, false]);
  });
});

// ── properties ──────────────────────────────────────────────────────────────

/** The invariants every priced cart keeps, whatever the rules. */
function checkInvariants(input: PriceInput, q: PricedCart): void {
  expect(q.totalFen).toBeGreaterThanOrEqual(0);
  expect(q.lines.reduce((a, l) => a + l.totalFen, 0)).toBe(q.totalFen);
  expect(q.lines.reduce((a, l) => a + l.originalFen, 0)).toBe(q.subtotalFen);
  expect(q.discountFen).toBe(q.subtotalFen - q.totalFen);
  for (const l of q.lines) {
    expect(l.totalFen).toBeGreaterThanOrEqual(0);
    expect(l.totalFen).toBeLessThanOrEqual(l.originalFen);
    expect(l.originalFen - l.discounts.reduce((a, d) => a + d.amountFen, 0)).toBe(l.totalFen);
    for (const d of l.discounts) {
      expect(Number.isSafeInteger(d.amountFen) && d.amountFen > 0).toBe(true);
      expect(d.label.length > 0 && d.reason.length > 0).toBe(true);
    }
    expect(l.pointsOffsetFen).toBeGreaterThanOrEqual(0);
    expect(l.pointsOffsetFen).toBeLessThanOrEqual(l.totalFen);
  }
  for (const od of q.orderDiscounts) {
    const parts = q.lines.flatMap((l) => l.discounts.filter((d) => d.kind === od.kind && d.ruleId === od.ruleId)).reduce((a, d) => a + d.amountFen, 0);
    expect(parts).toBe(od.amountFen);
  }
  expect(q.lines.reduce((a, l) => a + l.pointsOffsetFen, 0)).toBe(q.pointsOffsetFen);
  expect(q.dueFen).toBe(q.totalFen - q.pointsOffsetFen);
  expect(q.dueFen).toBeGreaterThanOrEqual(0);
  expect(q.earnEligibleFen).toBeLessThanOrEqual(q.dueFen);
  expect(q.coupons.map((c) => c.couponId)).toEqual(input.coupons.map((c) => c.couponId));
  for (const f of q.flashSales) {
    const p = input.promotions.find((x) => x.id === f.promotionId)!;
    expect(f.quantity).toBeLessThanOrEqual(p.flash!.stockLeft);
  }
}

const SKUS = ['a', 'b', 'c', 'd'];
const fen = fc.integer({ min: 0, max: 200_000 });
const bps = fc.integer({ min: 1000, max: 10_000 });
const scopeArb = fc.oneof(
  fc.constant(WHOLE_CATALOG),
  fc.subarray(SKUS.map((s) => `p-${s}`), { minLength: 1 }).map((ids) => ({ ...WHOLE_CATALOG, includeProductIds: ids })),
  fc.constantFrom('c-x', 'c-y').map((c) => ({ ...WHOLE_CATALOG, excludeCategoryIds: [c] })),
);
const itemArb = (skuId: string) =>
  fc.record({ price: fen, member: fc.option(fen, { nil: null }), cat: fc.constantFrom('c-x', 'c-y') }).map(({ price, member: mp, cat }) =>
    item(skuId, price, { memberPriceFen: mp, categoryId: cat, categoryIds: [cat, 'c-root'] }),
  );
const promotionArb = fc.oneof(
  fc.record({ id: fc.constantFrom('p1', 'p2', 'p3'), bps, scope: scopeArb, coupons: fc.boolean() }).map((p) => memberDay(p.bps, { id: `md-${p.id}`, scope: p.scope, stackWithCoupons: p.coupons })),
  fc
    .record({ id: fc.constantFrom('p1', 'p2', 'p3'), sku: fc.constantFrom(...SKUS), price: fen, stock: fc.integer({ min: 0, max: 6 }), limit: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }), bought: fc.integer({ min: 0, max: 3 }) })
    .map((p) => promotion(`fs-${p.id}`, { kind: 'flash_sale', flash: { skuId: p.sku, priceFen: p.price, stockLeft: p.stock, perMemberLimit: p.limit, memberBought: p.bought } })),
  fc
    .record({
      id: fc.constantFrom('p1', 'p2', 'p3'),
      rate: fc.boolean(),
      steps: fc.array(fc.record({ t: fen, off: fen, bps }), { minLength: 1, maxLength: 3 }),
      priority: fc.integer({ min: 0, max: 3 }),
      exclusive: fc.boolean(),
      coupons: fc.boolean(),
      scope: scopeArb,
    })
    .map((p) =>
      promotion(`fr-${p.id}`, {
        kind: 'full_reduction',
        reductionMode: p.rate ? 'rate' : 'amount',
        steps: p.steps.map((s) => ({ thresholdFen: s.t, amountOffFen: p.rate ? null : s.off, discountBps: p.rate ? s.bps : null })),
        priority: p.priority,
        exclusive: p.exclusive,
        stackWithCoupons: p.coupons,
        scope: p.scope,
      }),
    ),
);
const couponRuleArb: fc.Arbitrary<Partial<CouponRule> & Pick<CouponRule, 'kind'>> = fc.oneof(
  fc.record({ kind: fc.constant('amount_off' as const), amountOffFen: fen }),
  fc.record({ kind: fc.constant('threshold' as const), amountOffFen: fen, thresholdFen: fen }),
  fc.record({ kind: fc.constant('percent_off' as const), discountBps: bps, maxDiscountFen: fc.option(fen, { nil: null }), thresholdFen: fen }),
  fc.record({ kind: fc.constant('free_item' as const), skuId: fc.constantFrom(...SKUS) }),
  fc.record({ kind: fc.constant('exchange' as const), skuId: fc.constantFrom(...SKUS), exchangePriceFen: fc.integer({ min: 0, max: 500 }) }),
);
const couponArb = fc
  .record({ rule: couponRuleArb, stackable: fc.boolean(), withMember: fc.boolean(), scope: scopeArb, status: fc.constantFrom('unused', 'unused', 'unused', 'used' as const) })
  .map((c) => ({ ...c, rule: { ...c.rule, stackable: c.stackable, stackWithMemberPrice: c.withMember, scope: c.scope } }));

const cartArb = fc
  .record({
    items: fc.tuple(...SKUS.map(itemArb)),
    lines: fc.array(fc.record({ sku: fc.constantFrom(...SKUS), quantity: fc.integer({ min: 1, max: 5 }), manual: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3000 })) }), { minLength: 1, maxLength: 6 }),
    member: fc.option(fc.record({ tierBps: bps, balance: fc.integer({ min: 0, max: 1_000_000 }) }), { nil: null }),
    promotions: fc.uniqueArray(promotionArb, { maxLength: 4, selector: (p) => p.id }),
    coupons: fc.array(couponArb, { maxLength: 4 }),
    offset: fc.record({ points: fc.integer({ min: 1, max: 200 }), fen: fc.integer({ min: 1, max: 200 }), maxBps: fc.integer({ min: 0, max: 10_000 }) }),
    pointsShare: fc.integer({ min: 0, max: 100 }),
    manualCap: fc.integer({ min: 0, max: 10_000 }),
  })
  .map((g): PriceInput => {
    const m = g.member ? member({ tierDiscountBps: g.member.tierBps, pointsBalance: g.member.balance }) : null;
    return cart(
      g.lines.map((l) => [g.items[SKUS.indexOf(l.sku)], l.quantity, l.manual]),
      {
        member: m,
        promotions: g.promotions,
        coupons: m ? g.coupons.map((c, i) => coupon(`k${i}`, c.rule, { status: c.status })) : [],
        policy: policy({ pointsOffset: g.offset, manualDiscountMaxBps: g.manualCap, pointsExcludedCategoryIds: ['c-y'] }),
        pointsToUse: g.pointsShare,
      },
    );
  });

/** Prices the cart; a refusal (manual discount above the cap, points) is a valid answer with nothing to check. */
function tryPrice(input: PriceInput): PricedCart | PricingRefusal {
  try {
    return priceCart(input);
  } catch (err) {
    if (err instanceof PricingRefusal) return err;
    throw err;
  }
}

/** Points to use: a share of what is usable, in whole units, so that most carts use some. */
function withUsablePoints(input: PriceInput): PriceInput {
  const probe = tryPrice({ ...input, pointsToUse: 0 });
  if (probe instanceof PricingRefusal) return { ...input, pointsToUse: 0 };
  const unit = input.policy.pointsOffset.points;
  const wanted = Math.floor((probe.maxPointsUsable * input.pointsToUse) / 100 / unit) * unit;
  return { ...input, pointsToUse: wanted };
}

describe('priceCart: properties', () => {
  it('keeps every invariant: totals ≥ 0, discounts ≤ price, Σ lines = total, explained discounts', () => {
    fc.assert(
      fc.property(cartArb, (raw) => {
        const input = withUsablePoints(raw);
        const q = tryPrice(input);
        if (q instanceof PricingRefusal) return;
        checkInvariants(input, q);
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(cartArb, (raw) => {
        const input = withUsablePoints(raw);
        const a = tryPrice(input);
        const b = tryPrice(structuredClone(input));
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 200 },
    );
  });

  it('does not change the totals when the lines come in another order', () => {
    fc.assert(
      fc.property(cartArb, fc.infiniteStream(fc.nat()), (raw, rand) => {
        const input = withUsablePoints(raw);
        const shuffled = [...input.lines];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = rand.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
        }
        const a = tryPrice(input);
        const b = tryPrice({ ...input, lines: shuffled });
        if (a instanceof PricingRefusal || b instanceof PricingRefusal) {
          expect(b instanceof PricingRefusal && a instanceof PricingRefusal ? b.code : 'priced').toBe(a instanceof PricingRefusal ? a.code : 'priced');
          return;
        }
        const totals = (q: PricedCart) => ({
          totalFen: q.totalFen,
          discountFen: q.discountFen,
          dueFen: q.dueFen,
          maxPointsUsable: q.maxPointsUsable,
          earnEligibleFen: q.earnEligibleFen,
          coupons: q.coupons.map((c) => [c.couponId, c.applied, c.amountFen, c.reasonCode]),
          flash: q.flashSales.reduce((n, f) => n + f.quantity, 0),
        });
        expect(totals(b)).toEqual(totals(a));
      }),
      { numRuns: 300 },
    );
  });

  it('never raises the total when coupons are added', () => {
    fc.assert(
      fc.property(cartArb, (raw) => {
        const input = { ...raw, pointsToUse: 0 };
        const withCoupons = tryPrice(input);
        const without = tryPrice({ ...input, coupons: [] });
        if (withCoupons instanceof PricingRefusal || without instanceof PricingRefusal) return;
        expect(withCoupons.totalFen).toBeLessThanOrEqual(without.totalFen);
        expect(withCoupons.totalFen).toBe(without.totalFen - withCoupons.coupons.reduce((a, c) => a + c.amountFen, 0));
      }),
      { numRuns: 200 },
    );
  });
});
