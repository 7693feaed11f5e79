/**
 * The pricing engine's own vocabulary. Nothing here knows Nest, TypeORM or the other modules:
 * the service translates catalog items, tiers, promotions and coupons into these shapes, so the
 * engine can be tested as a pure function (see ../README.md for the rules it applies).
 */

/** Which products a rule covers. Empty includes = everything; excludes always win. */
export interface Scope {
  includeProductIds: string[];
  includeCategoryIds: string[];
  excludeProductIds: string[];
  excludeCategoryIds: string[];
}

export const WHOLE_CATALOG: Scope = Object.freeze({ includeProductIds: [], includeCategoryIds: [], excludeProductIds: [], excludeCategoryIds: [] }) as Scope;

export type ItemKind = 'goods' | 'service';

/** A sku as the store sells it now (store price override already applied). */
export interface CartItem {
  skuId: string;
  productId: string;
  name: string;
  kind: ItemKind;
  categoryId: string | null;
  /** The category and its ancestors, for scope matching. */
  categoryIds: string[];
  priceFen: number;
  memberPriceFen: number | null;
  costFen: number;
}

export interface CartLine {
  lineNo: number;
  skuId: string;
  /** Whole units, at least 1. */
  quantity: number;
  /** The cashier's manual discount on this line (手工优惠), in fen; 0 = none. */
  manualDiscountFen: number;
}

export interface MemberContext {
  memberId: string;
  tierId: string | null;
  tierName: string | null;
  /** The tier's rate (10000 = no discount, 9500 = 9.5折). */
  tierDiscountBps: number;
  pointsBalance: number;
}

export type PromotionKind = 'member_day' | 'flash_sale' | 'full_reduction';

/** One rung of a full reduction: from thresholdFen, either amountOffFen off (满减) or pay discountBps (满折). */
export interface ReductionStep {
  thresholdFen: number;
  amountOffFen: number | null;
  discountBps: number | null;
}

export interface FlashSaleState {
  skuId: string;
  priceFen: number;
  /** Units of the promotion's own stock not yet sold. */
  stockLeft: number;
  /** Units one member may buy in this promotion; null = no limit (and no member needed). */
  perMemberLimit: number | null;
  /** Units this member already bought in it (0 without a member). */
  memberBought: number;
}

export interface PromotionRule {
  id: string;
  name: string;
  kind: PromotionKind;
  /** Higher first among full reductions; ties by id. */
  priority: number;
  /** A full reduction that applies alone among full reductions. */
  exclusive: boolean;
  /** false: lines this promotion discounted are out of every coupon's reach. */
  stackWithCoupons: boolean;
  membersOnly: boolean;
  /** Only members of these tiers (empty = any member, or anyone when not membersOnly). */
  tierIds: string[];
  /** Only at these stores (empty = every store). */
  storeIds: string[];
  startsAt: Date | null;
  endsAt: Date | null;
  /** Daily window in the store's time zone, 'HH:mm'; end before start wraps past midnight. */
  dailyStart: string | null;
  dailyEnd: string | null;
  /** Days it runs, in the store's time zone: ISO weekdays (1 = Monday) or days of the month; both empty = every day. */
  weekdays: number[];
  monthDays: number[];
  scope: Scope;
  /** member_day: the rate members pay (8800 = 8.8折). */
  discountBps: number | null;
  /** full_reduction: amount (满减) or rate (满折) steps. */
  reductionMode: 'amount' | 'rate' | null;
  steps: ReductionStep[];
  /** flash_sale: its sku, price, own stock and per-member limit. */
  flash: FlashSaleState | null;
}

export type CouponKind = 'amount_off' | 'percent_off' | 'threshold' | 'free_item' | 'exchange';
export type CouponStatus = 'unused' | 'used' | 'expired' | 'voided';

/** What a coupon does, snapshotted from its template when it was issued. */
export interface CouponRule {
  templateId: string;
  name: string;
  kind: CouponKind;
  /** amount_off, threshold: fen off. */
  amountOffFen: number | null;
  /** percent_off: the rate paid (8000 = 8折). */
  discountBps: number | null;
  /** percent_off: the most it takes off; null = no cap. */
  maxDiscountFen: number | null;
  /** Minimum spend on the covered items (0 = none; threshold coupons need one). */
  thresholdFen: number;
  /** free_item, exchange: the sku one unit of which it covers. */
  skuId: string | null;
  /** exchange: what the unit costs with the coupon (e.g. 0 or 1 fen). */
  exchangePriceFen: number | null;
  storeIds: string[];
  scope: Scope;
  /** May be used together with other value coupons that are stackable too. */
  stackable: boolean;
  /** false: lines priced at member price, tier discount or member day are out of its reach. */
  stackWithMemberPrice: boolean;
}

export interface CouponCandidate {
  couponId: string;
  code: string;
  memberId: string;
  status: CouponStatus;
  validFrom: Date;
  /** First instant it is no longer valid. */
  validUntil: Date;
  rule: CouponRule;
}

export interface PricingPolicy {
  memberPriceEnabled: boolean;
  tierDiscountEnabled: boolean;
  /** Which products the tier discount covers (e.g. tobacco excluded). */
  tierDiscountScope: Scope;
  /** Largest manual discount on a line, as a share of the line's amount before it. */
  manualDiscountMaxBps: number;
  /** Whether the cashier holds the permission to give manual discounts. */
  manualDiscountAllowed: boolean;
  /** Points offset (积分抵现): `points` points pay `fen` fen, at most maxBps of the order total. */
  pointsOffset: { points: number; fen: number; maxBps: number };
  /** Lines in these categories (or below them) earn no points. */
  pointsExcludedCategoryIds: string[];
}

/** `at` as the store's clock shows it. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  dayOfMonth: number;
  /** HH:mm */
  time: string;
}

export interface PriceInput {
  storeId: string;
  at: Date;
  local: LocalTime;
  items: CartItem[];
  lines: CartLine[];
  member: MemberContext | null;
  /** Active (status) promotions; the engine checks store, time, days and membership itself. */
  promotions: PromotionRule[];
  coupons: CouponCandidate[];
  policy: PricingPolicy;
  pointsToUse: number;
}

export type DiscountKind = 'flash_sale' | 'member_price' | 'tier_discount' | 'member_day' | 'full_reduction' | 'coupon' | 'manual';

/** One discount on one line, explained. */
export interface Discount {
  kind: DiscountKind;
  /** The promotion, tier, sku (member price) or coupon behind it; null for a manual discount. */
  ruleId: string | null;
  /** Short zh-CN label for receipts, e.g. 会员价, 满200减30. */
  label: string;
  amountFen: number;
  /** Why, in zh-CN, with the figures. */
  reason: string;
}

export interface PricedLine {
  lineNo: number;
  skuId: string;
  productId: string;
  name: string;
  kind: ItemKind;
  categoryId: string | null;
  quantity: number;
  unitPriceFen: number;
  /** unitPriceFen × quantity. */
  originalFen: number;
  discounts: Discount[];
  /** originalFen − Σ discounts; never negative. */
  totalFen: number;
  costFen: number;
  /** False when the line's category earns no points. */
  pointsEligible: boolean;
  /** This line's share of the points offset (a payment, not a discount). */
  pointsOffsetFen: number;
  flashSaleQuantity: number;
  flashSalePromotionId: string | null;
  manualDiscountFen: number;
}

/** A discount computed on several lines (full reduction, value coupon) and split over them. */
export interface OrderDiscount extends Discount {
  lineNos: number[];
}

export type CouponReasonCode =
  | 'COUPON_USED'
  | 'COUPON_EXPIRED'
  | 'COUPON_VOIDED'
  | 'COUPON_NOT_YET_VALID'
  | 'COUPON_NOT_FOR_STORE'
  | 'COUPON_THRESHOLD_NOT_MET'
  | 'COUPON_NOT_APPLICABLE'
  | 'COUPON_ITEM_NOT_IN_CART'
  | 'COUPON_NOT_STACKABLE'
  | 'COUPON_BLOCKED_BY_PROMOTION';

export interface CouponOutcome {
  couponId: string;
  code: string;
  templateId: string;
  name: string;
  kind: CouponKind;
  applied: boolean;
  amountFen: number;
  reasonCode: CouponReasonCode | null;
  /** zh-CN, with figures (e.g. 还差 ¥12.00); null when applied. */
  reason: string | null;
}

export interface PromotionOutcome {
  promotionId: string;
  name: string;
  kind: PromotionKind;
  amountFen: number;
  lineNos: number[];
}

/** Flash-sale units the quote counts on: commit takes them from the promotion's stock. */
export interface FlashSaleTake {
  promotionId: string;
  skuId: string;
  lineNo: number;
  quantity: number;
  perMemberLimit: number | null;
}

export interface PricedCart {
  lines: PricedLine[];
  orderDiscounts: OrderDiscount[];
  subtotalFen: number;
  discountFen: number;
  totalFen: number;
  pointsUsed: number;
  pointsOffsetFen: number;
  dueFen: number;
  maxPointsUsable: number;
  /** What earns points: eligible lines' totals less their points offset share. */
  earnEligibleFen: number;
  coupons: CouponOutcome[];
  promotions: PromotionOutcome[];
  flashSales: FlashSaleTake[];
}

export type PricingRefusalCode =
  | 'COUPON_NOT_OWNED'
  | 'PRICING_MANUAL_DISCOUNT_FORBIDDEN'
  | 'PRICING_MANUAL_DISCOUNT_TOO_LARGE'
  | 'PRICING_POINTS_NEED_MEMBER'
  | 'PRICING_POINTS_NOT_MULTIPLE'
  | 'PRICING_POINTS_OVER_LIMIT';

/** A cart the engine refuses to price as asked (the whole quote fails, with this code). */
export class PricingRefusal extends Error {
  constructor(
    readonly code: PricingRefusalCode,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
  }
}
