import fc from 'fast-check';
import { averageDaily, suggestQuantity } from './replenishment';

const base = { netSold: 28, windowDays: 28, leadTimeDays: 7, safetyStock: 5, onHand: 3, inTransit: 0, onOrder: 0 };

describe('replenishment suggestion', () => {
  it('covers the lead time at the average daily sales plus the safety stock, less what is there or coming', () => {
    expect(suggestQuantity(base)).toBe(7 + 5 - 3);
    expect(suggestQuantity({ ...base, inTransit: 4, onOrder: 2 })).toBe(3);
    expect(suggestQuantity({ ...base, netSold: 29 })).toBe(8 + 5 - 3); // 7.25 rounds up
    expect(suggestQuantity({ ...base, onHand: 50 })).toBe(0);
    expect(suggestQuantity({ ...base, netSold: -4 })).toBe(2);
    expect(averageDaily(29, 28)).toBe(1.04);
  });

  it('never suggests less when more was sold, nor more when more is on hand', () => {
    const input = fc.record({
      netSold: fc.integer({ min: -10, max: 500 }),
      windowDays: fc.integer({ min: 1, max: 90 }),
      leadTimeDays: fc.integer({ min: 0, max: 30 }),
      safetyStock: fc.nat(50),
      onHand: fc.integer({ min: -10, max: 200 }),
      inTransit: fc.nat(50),
      onOrder: fc.nat(50),
    });
    fc.assert(
      fc.property(input, fc.nat(20), (i, more) => {
        const q = suggestQuantity(i);
        expect(q).toBeGreaterThanOrEqual(0);
        expect(suggestQuantity({ ...i, netSold: i.netSold + more })).toBeGreaterThanOrEqual(q);
        expect(suggestQuantity({ ...i, onHand: i.onHand + more })).toBeLessThanOrEqual(q);
      }),
    );
  });
});
