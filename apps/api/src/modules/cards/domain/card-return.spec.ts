import fc from 'fast-check';
import { returnAmounts } from './card-return';

describe('card return amounts', () => {
  it('keeps the fee in basis points of the principal, rounded down, and forfeits the bonus', () => {
    expect(returnAmounts(10001, 2000, { feeBps: 500, forfeitBonus: true })).toEqual({
      principalFen: 10001,
      feeFen: 500,
      refundFen: 9501,
      bonusForfeitedFen: 2000,
    });
  });

  it('leaves the bonus alone when the rule keeps it', () => {
    expect(returnAmounts(5000, 700, { feeBps: 0, forfeitBonus: false })).toEqual({ principalFen: 5000, feeFen: 0, refundFen: 5000, bonusForfeitedFen: 0 });
  });

  it('always splits the principal exactly into fee and refund, neither negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), (principal, bps) => {
        const r = returnAmounts(principal, 0, { feeBps: bps, forfeitBonus: true });
        expect(r.feeFen + r.refundFen).toBe(principal);
        expect(r.feeFen).toBeGreaterThanOrEqual(0);
        expect(r.refundFen).toBeGreaterThanOrEqual(0);
        expect(r.feeFen).toBeLessThanOrEqual(Math.floor((principal * bps) / 10_000));
      }),
    );
  });
});
