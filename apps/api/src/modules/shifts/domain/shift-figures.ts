import { PAYMENT_METHODS, type CashMovementKind, type PaymentMethod } from '@chaincard/shared';

/** Takings of one method, as summed by the database: money in (sales) and out (refunds, positive). */
export interface TakingSum {
  method: PaymentMethod;
  inFen: number;
  outFen: number;
  count: number;
}

export interface MovementSum {
  kind: CashMovementKind;
  amountFen: number;
}

export interface MethodTotal {
  method: PaymentMethod;
  /** Taken in by sales, top-ups and the like. */
  salesFen: number;
  /** Handed back by refunds (a positive number). */
  refundsFen: number;
  /** salesFen − refundsFen. */
  netFen: number;
  /** How many takings (sales and refunds) were recorded. */
  count: number;
}

export interface ShiftFigures {
  floatFen: number;
  cashInFen: number;
  cashOutFen: number;
  /** Every payment method, in PAYMENT_METHODS order, zero where nothing was taken. */
  methods: MethodTotal[];
  /** Σ netFen of every method. */
  totalNetFen: number;
  /** What the drawer should hold: float + net cash takings + cash in − cash out. */
  expectedCashFen: number;
}

/**
 * The figures of a shift (交班数据) from its float, its takings and its cash movements. Only cash
 * is in the drawer; the other methods are totals to check against the card terminal, WeChat's
 * bill and the stored-value ledger. Rows of the same method or kind are added up, so callers may
 * pass raw or grouped sums.
 */
export function shiftFigures(floatFen: number, takings: TakingSum[], movements: MovementSum[]): ShiftFigures {
  const methods = PAYMENT_METHODS.map((method): MethodTotal => {
    const rows = takings.filter((t) => t.method === method);
    const salesFen = sum(rows.map((r) => r.inFen));
    const refundsFen = sum(rows.map((r) => r.outFen));
    return { method, salesFen, refundsFen, netFen: salesFen - refundsFen, count: sum(rows.map((r) => r.count)) };
  });
  const cashInFen = sum(movements.filter((m) => m.kind === 'cash_in').map((m) => m.amountFen));
  const cashOutFen = sum(movements.filter((m) => m.kind === 'cash_out').map((m) => m.amountFen));
  const cash = methods.find((m) => m.method === 'cash')!;
  return {
    floatFen,
    cashInFen,
    cashOutFen,
    methods,
    totalNetFen: sum(methods.map((m) => m.netFen)),
    expectedCashFen: floatFen + cash.netFen + cashInFen - cashOutFen,
  };
}

/** counted − expected: positive when the drawer holds more than it should (长款), negative when short (短款). */
export function cashDifference(countedCashFen: number, expectedCashFen: number): number {
  return countedCashFen - expectedCashFen;
}

/** Figures of several shifts added up (the store's day report). */
export function addFigures(all: ShiftFigures[]): ShiftFigures {
  const methods = PAYMENT_METHODS.map((method): MethodTotal => {
    const rows = all.map((f) => f.methods.find((m) => m.method === method)!);
    return {
      method,
      salesFen: sum(rows.map((r) => r.salesFen)),
      refundsFen: sum(rows.map((r) => r.refundsFen)),
      netFen: sum(rows.map((r) => r.netFen)),
      count: sum(rows.map((r) => r.count)),
    };
  });
  return {
    floatFen: sum(all.map((f) => f.floatFen)),
    cashInFen: sum(all.map((f) => f.cashInFen)),
    cashOutFen: sum(all.map((f) => f.cashOutFen)),
    methods,
    totalNetFen: sum(all.map((f) => f.totalNetFen)),
    expectedCashFen: sum(all.map((f) => f.expectedCashFen)),
  };
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  if (!Number.isSafeInteger(total)) throw new RangeError('shift figures overflow the safe integer range');
  return total;
}
