import fc from 'fast-check';
import { PAYMENT_METHODS } from '@chaincard/shared';
import { addFigures, cashDifference, shiftFigures, type MovementSum, type TakingSum } from './shift-figures';

describe('shiftFigures', () => {
  it('expects float + net cash + cash in − cash out in the drawer and totals every method', () => {
    const f = shiftFigures(
      50000,
      [
        { method: 'cash', inFen: 30000, outFen: 5000, count: 4 },
        { method: 'bank_card', inFen: 12000, outFen: 0, count: 1 },
        { method: 'stored_value', inFen: 8800, outFen: 800, count: 3 },
      ],
      [
        { kind: 'cash_in', amountFen: 10000 },
        { kind: 'cash_out', amountFen: 20000 },
        { kind: 'cash_out', amountFen: 1000 },
      ],
    );
    expect(f.expectedCashFen).toBe(50000 + 25000 + 10000 - 21000);
    expect(f.cashInFen).toBe(10000);
    expect(f.cashOutFen).toBe(21000);
    expect(f.methods.map((m) => m.method)).toEqual([...PAYMENT_METHODS]);
    expect(f.methods.find((m) => m.method === 'stored_value')).toEqual({ method: 'stored_value', salesFen: 8800, refundsFen: 800, netFen: 8000, count: 3 });
    expect(f.methods.find((m) => m.method === 'wechat')).toEqual({ method: 'wechat', salesFen: 0, refundsFen: 0, netFen: 0, count: 0 });
    expect(f.totalNetFen).toBe(25000 + 12000 + 8000);
  });

  it('shows the drawer over (positive) or short (negative)', () => {
    expect(cashDifference(10100, 10000)).toBe(100);
    expect(cashDifference(9950, 10000)).toBe(-50);
    expect(cashDifference(10000, 10000)).toBe(0);
  });

  const method = fc.constantFrom(...PAYMENT_METHODS);
  const taking = fc.record({ method, inFen: fc.integer({ min: 0, max: 1e9 }), outFen: fc.integer({ min: 0, max: 1e9 }), count: fc.integer({ min: 0, max: 1000 }) });
  const movement = fc.record({ kind: fc.constantFrom('cash_in' as const, 'cash_out' as const), amountFen: fc.integer({ min: 1, max: 1e9 }) });

  it('gives the same figures for raw rows as for rows grouped by method (the SQL may group)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.array(taking, { maxLength: 30 }), fc.array(movement, { maxLength: 10 }), (floatFen, rows, moves) => {
        const grouped: TakingSum[] = PAYMENT_METHODS.map((m) => {
          const of = rows.filter((r) => r.method === m);
          return { method: m, inFen: of.reduce((s, r) => s + r.inFen, 0), outFen: of.reduce((s, r) => s + r.outFen, 0), count: of.reduce((s, r) => s + r.count, 0) };
        });
        expect(shiftFigures(floatFen, grouped, moves)).toEqual(shiftFigures(floatFen, rows, moves));
      }),
    );
  });

  it('keeps expected cash = float + Σ cash takings + Σ in − Σ out, and totals = Σ of the methods', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.array(taking, { maxLength: 30 }), fc.array(movement, { maxLength: 10 }), (floatFen, rows, moves) => {
        const f = shiftFigures(floatFen, rows, moves);
        const cash = rows.filter((r) => r.method === 'cash').reduce((s, r) => s + r.inFen - r.outFen, 0);
        const signed = (m: MovementSum) => (m.kind === 'cash_in' ? m.amountFen : -m.amountFen);
        expect(f.expectedCashFen).toBe(floatFen + cash + moves.reduce((s, m) => s + signed(m), 0));
        expect(f.totalNetFen).toBe(rows.reduce((s, r) => s + r.inFen - r.outFen, 0));
        for (const m of f.methods) expect(m.netFen).toBe(m.salesFen - m.refundsFen);
      }),
    );
  });

  it('adds shifts up to the same figures as one shift holding all their rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ floatFen: fc.integer({ min: 0, max: 1e8 }), rows: fc.array(taking, { maxLength: 8 }), moves: fc.array(movement, { maxLength: 4 }) }), { minLength: 1, maxLength: 6 }),
        (shifts) => {
          const total = addFigures(shifts.map((s) => shiftFigures(s.floatFen, s.rows, s.moves)));
          const merged = shiftFigures(
            shifts.reduce((s, x) => s + x.floatFen, 0),
            shifts.flatMap((s) => s.rows),
            shifts.flatMap((s) => s.moves),
          );
          expect(total).toEqual(merged);
        },
      ),
    );
  });
});
