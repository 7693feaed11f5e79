import fc from 'fast-check';
import { costAfterInbound } from './stock-cost';

describe('costAfterInbound', () => {
  it('weighs what is on hand against what comes in, rounding half up to the fen', () => {
    expect(costAfterInbound(10, 500, 10, 600)).toBe(550);
    expect(costAfterInbound(2, 100, 1, 101)).toBe(100); // 100.33…
    expect(costAfterInbound(1, 100, 1, 101)).toBe(101); // 100.5 rounds up
  });

  it('takes the incoming cost when the store held nothing or was below zero', () => {
    expect(costAfterInbound(0, 999, 5, 420)).toBe(420);
    expect(costAfterInbound(-3, 999, 5, 420)).toBe(420);
  });

  it('refuses fractions, negative costs and non-positive inbound quantities', () => {
    expect(() => costAfterInbound(1.5, 1, 1, 1)).toThrow(RangeError);
    expect(() => costAfterInbound(1, 1, 0, 1)).toThrow(RangeError);
    expect(() => costAfterInbound(1, 1, 1, -1)).toThrow(RangeError);
  });

  it('stays between the old average and the incoming cost, and is exact for equal costs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (q, c, n, u) => {
        const avg = costAfterInbound(q, c, n, u);
        expect(avg).toBeGreaterThanOrEqual(Math.min(c, u));
        expect(avg).toBeLessThanOrEqual(Math.max(c, u));
        expect(costAfterInbound(q, c, n, c)).toBe(c);
        // Within half a fen of the exact weighted mean.
        expect(Math.abs(avg * (q + n) - (q * c + n * u))).toBeLessThanOrEqual((q + n) / 2);
      }),
    );
  });
});
