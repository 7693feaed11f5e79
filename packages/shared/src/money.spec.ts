import fc from 'fast-check';
import { allocateFen, applyBps, formatYuan, parseFen, yuanToFen } from './money';

describe('applyBps', () => {
  it('rounds with the rounding named at the call', () => {
    expect(applyBps(999, 8800, 'floor')).toBe(879);
    expect(applyBps(999, 8800, 'ceil')).toBe(880);
    expect(applyBps(999, 8800, 'half-up')).toBe(879);
    expect(applyBps(5, 5000, 'half-up')).toBe(3);
    expect(applyBps(5, 5000, 'floor')).toBe(2);
  });

  it('stays exact for amounts whose product with bps exceeds 2^53', () => {
    expect(applyBps(9_000_000_000_000_000 - 1, 10000, 'floor')).toBe(9_000_000_000_000_000 - 1);
  });

  it('never exceeds the amount at or below 100 % and is monotonic in bps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 10000 }), (amount, bps) => {
        const floor = applyBps(amount, bps, 'floor');
        const ceil = applyBps(amount, bps, 'ceil');
        expect(floor).toBeLessThanOrEqual(amount);
        expect(ceil).toBeLessThanOrEqual(amount);
        expect(ceil - floor === 0 || ceil - floor === 1).toBe(true);
        expect(applyBps(amount, Math.min(10000, bps + 1), 'floor')).toBeGreaterThanOrEqual(floor);
      }),
    );
  });

  it('refuses fractional amounts and negative rates', () => {
    expect(() => applyBps(1.5, 100, 'floor')).toThrow(RangeError);
    expect(() => applyBps(100, -1, 'floor')).toThrow(RangeError);
  });
});

describe('allocateFen', () => {
  it('splits by largest remainder with ties to the earlier part', () => {
    expect(allocateFen(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateFen(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocateFen(10, [0, 0])).toEqual([10, 0]);
    expect(allocateFen(7, [2, 5])).toEqual([2, 5]);
  });

  it('always returns integer parts that sum exactly to the total', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocateFen(total, weights);
          expect(parts).toHaveLength(weights.length);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          parts.forEach((p) => expect(Number.isSafeInteger(p)).toBe(true));
          // Each part is within one fen of its exact proportional share.
          const sum = weights.reduce((a, b) => a + b, 0);
          if (sum > 0) {
            parts.forEach((p, i) => expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1.000001));
          }
        },
      ),
    );
  });
});

describe('formatting', () => {
  it('formats fen as yuan and parses typed yuan back to fen', () => {
    expect(formatYuan(12345)).toBe('123.45');
    expect(formatYuan(-5)).toBe('-0.05');
    expect(yuanToFen('12.3')).toBe(1230);
    expect(yuanToFen('0.05')).toBe(5);
    expect(yuanToFen('1.234')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
  });

  it('parses PostgreSQL bigint strings and refuses unsafe ones', () => {
    expect(parseFen('9007199254740991')).toBe(9007199254740991);
    expect(() => parseFen('9007199254740993')).toThrow(RangeError);
    expect(() => parseFen(null)).toThrow(RangeError);
  });
});
