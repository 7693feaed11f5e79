import fc from 'fast-check';
import { shareOf, stepShare, unitsValue } from './units';

describe('unitsValue', () => {
  it('values the first units of a line by floor and gives the last unit the remainder', () => {
    expect(unitsValue(1000, 3, 1)).toBe(333);
    expect(unitsValue(1000, 3, 2)).toBe(666);
    expect(unitsValue(1000, 3, 3)).toBe(1000);
    expect(unitsValue(0, 2, 1)).toBe(0);
  });

  it('refuses units outside the line', () => {
    expect(() => unitsValue(100, 2, 3)).toThrow(RangeError);
    expect(() => unitsValue(100, 0, 0)).toThrow(RangeError);
  });

  it('adds up to the total however the units are taken, and never decreases', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 500 }), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }), (total, quantity, steps) => {
        let k = 0;
        let sum = 0;
        for (const s of steps) {
          const next = Math.min(quantity, k + s);
          const piece = unitsValue(total, quantity, next) - unitsValue(total, quantity, k);
          expect(piece).toBeGreaterThanOrEqual(0);
          sum += piece;
          k = next;
        }
        sum += unitsValue(total, quantity, quantity) - unitsValue(total, quantity, k);
        expect(sum).toBe(total);
      }),
    );
  });
});

describe('stepShare', () => {
  it('is exact for amounts beyond 2^53 products', () => {
    expect(shareOf(9_007_199_254_740_991, 3, 7)).toBe(Number((9_007_199_254_740_991n * 3n) / 7n));
  });

  it('shares any path from 0 to the whole out exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }), (whole, of, cuts) => {
        const points = [0, ...cuts.map((c) => Math.floor(c * of)).sort((a, b) => a - b), of];
        let sum = 0;
        for (let i = 1; i < points.length; i++) sum += stepShare(whole, points[i - 1], points[i], of);
        expect(sum).toBe(whole);
      }),
    );
  });
});
