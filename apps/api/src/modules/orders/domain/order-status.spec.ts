import fc from 'fast-check';
import { canRefund, quickPointsOffset, statusAfterRefund } from './order-status';

describe('order status', () => {
  it('refunds only paid orders', () => {
    expect(['pending_payment', 'completed', 'partially_refunded', 'refunded', 'cancelled'].filter((s) => canRefund(s as never))).toEqual(['completed', 'partially_refunded']);
    expect(statusAfterRefund(true)).toBe('refunded');
    expect(statusAfterRefund(false)).toBe('partially_refunded');
  });
});

describe('quickPointsOffset', () => {
  const rule = { offsetPoints: 100, offsetFen: 100, offsetMaxBps: 5000 };

  it('converts whole units of points, capped at a share of the amount', () => {
    expect(quickPointsOffset(10000, 0, rule)).toEqual({ ok: true, offsetFen: 0 });
    expect(quickPointsOffset(10000, 3000, rule)).toEqual({ ok: true, offsetFen: 3000 });
    expect(quickPointsOffset(10000, 5000, rule)).toEqual({ ok: true, offsetFen: 5000 });
    expect(quickPointsOffset(10000, 5100, rule).ok).toBe(false);
    expect(quickPointsOffset(10000, 150, rule).ok).toBe(false);
    expect(quickPointsOffset(10000, 100, { ...rule, offsetMaxBps: 0 }).ok).toBe(false);
  });

  it('never lets points pay more than the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 10000 }), (amount, units, p, f, bps) => {
        const r = quickPointsOffset(amount, units * p, { offsetPoints: p, offsetFen: f, offsetMaxBps: bps });
        if (r.ok) expect(r.offsetFen * 10000).toBeLessThanOrEqual(amount * bps);
      }),
    );
  });
});
