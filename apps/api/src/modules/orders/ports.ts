import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import type { OrderPaymentMethod } from './domain/payments';

/**
 * What the checkout needs from the catalog, shifts and pricing capabilities, as agreed for issue 5.
 * The module binds these to the real services (CatalogService, StockService, ShiftsService,
 * PricingService); orders depends on the shapes, they never depend on orders.
 */
export interface PricingItem {
  skuId: string;
  productId: string;
  productName: string;
  skuName: string | null;
  kind: 'goods' | 'service';
  categoryId: string | null;
  categoryIds: string[];
  unit: string;
  barcode: string | null;
  priceFen: number;
  memberPriceFen: number | null;
  costFen: number;
  durationMinutes: number | null;
  trackStock: boolean;
  /** A service's code: what count cards cover. */
  productCode: string | null;
}

export interface StockMove {
  storeId: string;
  skuId: string;
  delta: number;
  reason: string;
  refType: string;
  refId: string;
}

export interface CatalogPort {
  itemsForPricing(m: EntityManager, storeId: string, skuIds: string[]): Promise<PricingItem[]>;
}

export interface StockPort {
  move(m: EntityManager, moves: StockMove[]): Promise<void>;
}

export interface ShiftsPort {
  requireOpenShift(m: EntityManager, who: { staffId: string; storeId: string }): Promise<{ shiftId: string }>;
  recordTakings(m: EntityManager, t: { shiftId: string; storeId: string; method: OrderPaymentMethod; amountFen: number; refType: string; refId: string }): Promise<void>;
}

export interface QuoteInput {
  storeId: string;
  memberId: string | null;
  lines: { skuId: string; quantity: number; manualDiscountFen?: number; servingStaffIds?: string[] }[];
  couponIds: string[];
  pointsToUse: number;
  at?: Date;
}

export interface QuoteDiscount {
  kind: string;
  ruleId: string | null;
  label: string;
  amountFen: number;
  reason: string;
}

export interface QuoteLine {
  lineNo: number;
  skuId: string;
  productId: string;
  name: string;
  kind: 'goods' | 'service';
  categoryId: string | null;
  quantity: number;
  unitPriceFen: number;
  originalFen: number;
  discounts: QuoteDiscount[];
  totalFen: number;
  costFen: number;
  pointsEligible: boolean;
}

export interface Quote {
  lines: QuoteLine[];
  orderDiscounts: (QuoteDiscount & { lineNos?: number[] })[];
  subtotalFen: number;
  discountFen: number;
  totalFen: number;
  pointsUsed: number;
  pointsOffsetFen: number;
  dueFen: number;
  maxPointsUsable: number;
  pointsToEarn?: number;
  coupons: { couponId: string; code: string | null; applied: boolean; reason: string | null }[];
}

export interface PricingPort {
  quote(m: EntityManager, input: QuoteInput, actor?: StaffActor): Promise<Quote>;
  commit(m: EntityManager, quote: Quote, ref: { orderId: string; memberId: string | null; storeId: string }): Promise<void>;
  release(m: EntityManager, ref: { orderId: string; full: boolean; quantities?: { lineNo: number; skuId: string; quantity: number }[] }): Promise<void>;
}

export const CATALOG_PORT = Symbol('orders.catalog');
export const STOCK_PORT = Symbol('orders.stock');
export const SHIFTS_PORT = Symbol('orders.shifts');
export const PRICING_PORT = Symbol('orders.pricing');
