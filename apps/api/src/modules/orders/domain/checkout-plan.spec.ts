import fc from 'fast-check';
import { planCheckout, type PlanLine } from './checkout-plan';
import { unitsValue } from './units';

describe('planCheckout', () => {
  it('splits lines into count-card and money parts, and shares the money paid among eligible lines', () => {
    const lines: PlanLine[] = [
      { lineNo: 1, quantity: 2, totalFen: 6000, pointsEligible: true, coveredUnits: 0 },
      { lineNo: 2, quantity: 2, totalFen: 5000, pointsEligible: true, coveredUnits: 1 },
      { lineNo: 3, quantity: 1, totalFen: 1500, pointsEligible: false, coveredUnits: 0 },
    ];
    // money parts 6000, 2500, 1500 = 10000; points pay 1000, so 9000 money is shared 5400 / 2250 / 1350.
    const plan = planCheckout(lines, { pointsOffsetFen: 1000, paidFen: 9000 });
    expect(plan.lines).toEqual([
      { lineNo: 1, coveredFen: 0, moneyFen: 6000, eligibleFen: 5400 },
      { lineNo: 2, coveredFen: 2500, moneyFen: 2500, eligibleFen: 2250 },
      { lineNo: 3, coveredFen: 0, moneyFen: 1500, eligibleFen: 0 },
    ]);
    expect(plan.eligibleFen).toBe(7650);
  });

  it('refuses payments that do not match the lines', () => {
    expect(() => planCheckout([{ lineNo: 1, quantity: 1, totalFen: 100, pointsEligible: true, coveredUnits: 0 }], { pointsOffsetFen: 0, paidFen: 99 })).toThrow(RangeError);
  });

  it('never lets eligible shares exceed the money paid, and covered plus money is the line total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 9 }), totalFen: fc.integer({ min: 0, max: 1e8 }), pointsEligible: fc.boolean(), cover: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (raw, offsetShare) => {
          const lines = raw.map((r, i) => ({ lineNo: i + 1, quantity: r.quantity, totalFen: r.totalFen, pointsEligible: r.pointsEligible, coveredUnits: Math.floor(r.cover * r.quantity) }));
          const money = lines.reduce((s, l) => s + l.totalFen - unitsValue(l.totalFen, l.quantity, l.coveredUnits), 0);
          const offset = Math.floor(money * offsetShare);
          const plan = planCheckout(lines, { pointsOffsetFen: offset, paidFen: money - offset });
          plan.lines.forEach((l, i) => {
            expect(l.coveredFen + l.moneyFen).toBe(lines[i].totalFen);
            expect(l.eligibleFen).toBeLessThanOrEqual(l.moneyFen);
            if (!lines[i].pointsEligible) expect(l.eligibleFen).toBe(0);
          });
          expect(plan.eligibleFen).toBeLessThanOrEqual(money - offset);
        },
      ),
    );
  });
});
