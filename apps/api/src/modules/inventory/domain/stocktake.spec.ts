import fc from 'fast-check';
import { applyCount, postingDeltas, variance } from './stocktake';

describe('stocktake counts and variance', () => {
  it('adds scans up, replaces on set, and takes expected from the moment of the last entry', () => {
    let line = { countedQuantity: null as number | null, expectedQuantity: null as number | null };
    line = applyCount(line, { mode: 'add', quantity: 3 }, 10);
    line = applyCount(line, { mode: 'add', quantity: 4 }, 9);
    expect(line).toEqual({ countedQuantity: 7, expectedQuantity: 9 });
    expect(variance(line)).toBe(-2);
    expect(applyCount(line, { mode: 'set', quantity: 9 }, 9)).toEqual({ countedQuantity: 9, expectedQuantity: 9 });
    expect(() => applyCount(line, { mode: 'add', quantity: -8 }, 9)).toThrow(RangeError);
  });

  it('posts variances of counted lines, and ignores or zeroes the uncounted ones', () => {
    const lines = [
      { skuId: 'a', countedQuantity: 4, expectedQuantity: 6 },
      { skuId: 'b', countedQuantity: null, expectedQuantity: null },
    ];
    const now = new Map([['a', 5], ['b', 3]]);
    expect(postingDeltas(lines, 'ignore', now)).toEqual([{ skuId: 'a', delta: -2 }, { skuId: 'b', delta: 0 }]);
    expect(postingDeltas(lines, 'zero', now)).toEqual([{ skuId: 'a', delta: -2 }, { skuId: 'b', delta: -3 }]);
  });

  // The documented rule, as a property: stock after posting = what was counted + every movement
  // after the count, whatever sales happened before and after it.
  it('ends at the count plus what moved after it, for any sales around the count', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 10 }), fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 10 }), fc.nat(60), (snapshot, before, after, counted) => {
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const atCount = snapshot + sum(before);
        const line = applyCount({ countedQuantity: null, expectedQuantity: null }, { mode: 'set', quantity: counted }, atCount);
        const ledgerAtPosting = atCount + sum(after);
        const [{ delta }] = postingDeltas([{ skuId: 'a', ...line }], 'ignore', new Map([['a', ledgerAtPosting]]));
        expect(ledgerAtPosting + delta).toBe(counted + sum(after));
      }),
    );
  });
});
