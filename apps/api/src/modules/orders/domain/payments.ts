import { unitsValue } from './units';

/** Every way an order is paid. `points` comes from the cart (pointsToUse), the rest from `payments`. */
export const ORDER_PAYMENT_METHODS = ['points', 'stored_value', 'count_card', 'bank_card', 'wechat', 'cash'] as const;
export type OrderPaymentMethod = (typeof ORDER_PAYMENT_METHODS)[number];

/** What a cashier may send as a payment (points are the cart's pointsToUse, priced by the quote). */
export const TENDER_METHODS = ['stored_value', 'count_card', 'bank_card', 'wechat', 'cash'] as const;
export type TenderMethod = (typeof TENDER_METHODS)[number];

/** Methods that may appear more than once: two bank cards; one count card per service line. */
const REPEATABLE: ReadonlySet<TenderMethod> = new Set(['bank_card', 'count_card']);
/** Methods that draw on a member's own balances. */
const MEMBER_ONLY: ReadonlySet<TenderMethod> = new Set(['stored_value', 'count_card']);

export interface TenderRequest {
  method: TenderMethod;
  /** Every method but count_card: the part of the amount due it pays. */
  amountFen?: number;
  /** cash: what the customer handed over (default: the cash part); the change is the difference. */
  tenderedFen?: number;
  /** bank_card: the terminal's reference (never card data); wechat: none until the provider answers. */
  reference?: string;
  /** count_card: which card pays for which service line, for how many of its units (default all). */
  countCardId?: string;
  lineNo?: number;
  quantity?: number;
}

export interface PayableLine {
  lineNo: number;
  /** goods and service lines come from the catalog; amount is the one line of a quick sale. */
  kind: 'goods' | 'service' | 'amount';
  quantity: number;
  totalFen: number;
}

export interface ResolvedTender {
  method: TenderMethod;
  amountFen: number;
  tenderedFen: number | null;
  changeFen: number | null;
  reference: string | null;
  countCardId: string | null;
  lineNo: number | null;
  quantity: number | null;
}

export type PaymentProblem =
  | 'ORDER_PAYMENT_DUPLICATE'
  | 'ORDER_PAYMENT_NEEDS_MEMBER'
  | 'ORDER_COUNT_CARD_LINE_INVALID'
  | 'ORDER_PAYMENT_MISMATCH'
  | 'ORDER_CASH_TENDERED_SHORT';

export type PaymentCheck =
  | { ok: true; tenders: ResolvedTender[]; changeFen: number; tenderedFen: number | null; pending: boolean }
  | { ok: false; code: PaymentProblem; details: Record<string, unknown> };

/**
 * Checks the payments of an order against what is due (after the points offset) and resolves them.
 *
 * Rules, in the order they are checked:
 * 1. stored value, cash and WeChat Pay at most once each; bank cards may be several; count cards
 *    once per service line (one card pays for a line).
 * 2. stored value and count cards need a member on the order.
 * 3. a count card pays for a service line only, at most its quantity; the amount it covers is the
 *    value of those units of the line (unitsValue: the first units of the line's charged total).
 * 4. the payments sum to the amount due, exactly.
 * 5. cash: the tendered amount is at least the cash part; change = tendered − cash part.
 * A WeChat Pay part leaves the order pending until the provider confirms it.
 */
export function checkPayments(input: { dueFen: number; lines: PayableLine[]; tenders: TenderRequest[]; hasMember: boolean }): PaymentCheck {
  const seen = new Set<string>();
  for (const t of input.tenders) {
    const key = t.method === 'count_card' ? `count_card:${t.lineNo}` : t.method;
    if (!REPEATABLE.has(t.method) || t.method === 'count_card') {
      if (seen.has(key)) return { ok: false, code: 'ORDER_PAYMENT_DUPLICATE', details: { method: t.method, ...(t.method === 'count_card' ? { lineNo: t.lineNo } : {}) } };
      seen.add(key);
    }
    if (MEMBER_ONLY.has(t.method) && !input.hasMember) return { ok: false, code: 'ORDER_PAYMENT_NEEDS_MEMBER', details: { method: t.method } };
  }

  const tenders: ResolvedTender[] = [];
  for (const t of input.tenders) {
    if (t.method === 'count_card') {
      const line = input.lines.find((l) => l.lineNo === t.lineNo);
      const quantity = t.quantity ?? line?.quantity ?? 0;
      if (!line || line.kind !== 'service' || quantity < 1 || quantity > line.quantity) {
        return { ok: false, code: 'ORDER_COUNT_CARD_LINE_INVALID', details: { lineNo: t.lineNo ?? null, quantity, lineQuantity: line?.quantity ?? null, kind: line?.kind ?? null } };
      }
      tenders.push({ ...blank(t.method), amountFen: unitsValue(line.totalFen, line.quantity, quantity), countCardId: t.countCardId ?? null, lineNo: line.lineNo, quantity });
      continue;
    }
    tenders.push({ ...blank(t.method), amountFen: t.amountFen ?? 0, reference: t.reference ?? null });
  }

  const paidFen = tenders.reduce((s, t) => s + t.amountFen, 0);
  if (paidFen !== input.dueFen) return { ok: false, code: 'ORDER_PAYMENT_MISMATCH', details: { dueFen: input.dueFen, paidFen } };

  let changeFen = 0;
  let tenderedFen: number | null = null;
  for (const [i, t] of tenders.entries()) {
    if (t.method !== 'cash') continue;
    const tendered = input.tenders[i].tenderedFen ?? t.amountFen;
    if (tendered < t.amountFen) return { ok: false, code: 'ORDER_CASH_TENDERED_SHORT', details: { cashFen: t.amountFen, tenderedFen: tendered } };
    t.tenderedFen = tendered;
    t.changeFen = tendered - t.amountFen;
    changeFen = t.changeFen;
    tenderedFen = tendered;
  }
  return { ok: true, tenders, changeFen, tenderedFen, pending: tenders.some((t) => t.method === 'wechat') };
}

function blank(method: TenderMethod): ResolvedTender {
  return { method, amountFen: 0, tenderedFen: null, changeFen: null, reference: null, countCardId: null, lineNo: null, quantity: null };
}
