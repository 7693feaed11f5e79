import type { PaymentMethod } from '@chaincard/shared';

/**
 * Everything a receipt shows, as the order capability hands it over: already priced, allocated and
 * labelled. The renderers print these figures as given and compute nothing but layout, so the
 * receipt always says what the order says.
 */
export interface ReceiptView {
  store: { name: string; code: string; address: string | null; phone: string | null };
  orderNo: string;
  /** ISO 8601 instant; printed in timeZone. */
  createdAt: string;
  /** IANA name of the store's time zone, e.g. Asia/Shanghai. */
  timeZone: string;
  cashierName: string | null;
  member: { memberNo: string; name: string | null; maskedPhone: string | null } | null;
  lines: ReceiptLine[];
  /** Whole-order discounts as explained by pricing (already part of the line totals when pricing allocates them). */
  orderDiscounts: ReceiptDiscount[];
  subtotalFen: number;
  discountFen: number;
  totalFen: number;
  payments: { method: PaymentMethod; label: string; amountFen: number }[];
  /** Cash handed over by the customer (实收) and the change (找零); null when no cash was tendered. */
  tenderedFen: number | null;
  changeFen: number | null;
  /** The member's balances after the order. */
  after: { balanceFen: number; principalFen: number; bonusFen: number; points: number; pointsEarned: number } | null;
  refunds: { at: string; amountFen: number }[];
  qrContent: string | null;
  footer: string | null;
  /** A copy printed again later (重打小票). */
  reprint: boolean;
}

export interface ReceiptLine {
  name: string;
  quantity: number;
  unitPriceFen: number;
  /** quantity × unit price before discounts. */
  originalFen: number;
  /** What the line costs after its discounts. */
  totalFen: number;
  discounts: ReceiptDiscount[];
  servingStaff: string[];
}

export interface ReceiptDiscount {
  label: string;
  /** Positive: the amount taken off. */
  amountFen: number;
}

export type PaperWidth = 58 | 80;

/** Printable columns of the normal font (12 × 24 dots) on each paper: 384 and 576 dots wide. */
export const PAPER_COLUMNS: Record<PaperWidth, number> = { 58: 32, 80: 48 };
