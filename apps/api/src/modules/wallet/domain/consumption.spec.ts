import fc from 'fast-check';
import { planRefund, splitReversal, splitSpend } from './consumption';

describe('splitSpend', () => {
  const bal = { principalFen: 10000, bonusFen: 2000 };

  it('takes the bonus first, principal first, or in proportion to the balances', () => {
    expect(splitSpend(3000, bal, 'bonus_first')).toEqual({ principalFen: 1000, bonusFen: 2000 });
    expect(splitSpend(3000, bal, 'principal_first')).toEqual({ principalFen: 3000, bonusFen: 0 });
    expect(splitSpend(3000, bal, 'proportional')).toEqual({ principalFen: 2500, bonusFen: 500 });
    // 1001 × 10000/12000 = 834.17, × 2000/12000 = 166.83: the remaining fen goes to the larger remainder.
    expect(splitSpend(1001, bal, 'proportional')).toEqual({ principalFen: 834, bonusFen: 167 });
  });

  it('refuses more than the two balances together', () => {
    expect(splitSpend(12001, bal, 'bonus_first')).toBeNull();
    expect(splitSpend(12000, bal, 'proportional')).toEqual(bal);
  });

  it('never takes more than a balance holds and always sums to the amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 2e9 }),
        fc.constantFrom('bonus_first' as const, 'principal_first' as const, 'proportional' as const),
        (principalFen, bonusFen, amount, order) => {
          const split = splitSpend(amount, { principalFen, bonusFen }, order);
          if (amount > principalFen + bonusFen) return expect(split).toBeNull();
          expect(split).not.toBeNull();
          expect(split!.principalFen + split!.bonusFen).toBe(amount);
          expect(split!.principalFen).toBeGreaterThanOrEqual(0);
          expect(split!.bonusFen).toBeGreaterThanOrEqual(0);
          expect(split!.principalFen).toBeLessThanOrEqual(principalFen);
          expect(split!.bonusFen).toBeLessThanOrEqual(bonusFen);
        },
      ),
    );
  });
});

describe('splitReversal', () => {
  it('gives back everything that is left, or a proportional part', () => {
    expect(splitReversal(3000, { principalFen: 1000, bonusFen: 2000 })).toEqual({ principalFen: 1000, bonusFen: 2000 });
    expect(splitReversal(300, { principalFen: 1000, bonusFen: 2000 })).toEqual({ principalFen: 100, bonusFen: 200 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), (p, b, f) => {
        const amount = Math.floor((p + b) * f);
        const r = splitReversal(amount, { principalFen: p, bonusFen: b });
        expect(r.principalFen + r.bonusFen).toBe(amount);
        expect(r.principalFen).toBeLessThanOrEqual(p);
        expect(r.bonusFen).toBeLessThanOrEqual(b);
      }),
    );
  });
});

describe('planRefund', () => {
  it('takes back principal and bonus when both are still there', () => {
    expect(planRefund({ amountFen: 10000, releasedBonusFen: 2000, balances: { principalFen: 10000, bonusFen: 2000 }, policy: 'refuse' })).toEqual({
      ok: true,
      principalDebitFen: 10000,
      bonusDebitFen: 2000,
      cashFen: 10000,
      deductedFen: 0,
    });
  });

  it('refuses when bonus was spent under the refuse policy, deducts it from the cash under the other', () => {
    const input = { amountFen: 10000, releasedBonusFen: 2000, balances: { principalFen: 10000, bonusFen: 500 } };
    expect(planRefund({ ...input, policy: 'refuse' })).toEqual({ ok: false, code: 'WALLET_TOP_UP_BONUS_SPENT' });
    expect(planRefund({ ...input, policy: 'deduct_from_refund' })).toEqual({
      ok: true,
      principalDebitFen: 10000,
      bonusDebitFen: 500,
      cashFen: 8500,
      deductedFen: 1500,
    });
  });

  it('refuses when the principal was spent, under either policy', () => {
    for (const policy of ['refuse', 'deduct_from_refund'] as const) {
      expect(planRefund({ amountFen: 10000, releasedBonusFen: 0, balances: { principalFen: 9999, bonusFen: 0 }, policy })).toEqual({
        ok: false,
        code: 'WALLET_TOP_UP_PRINCIPAL_SPENT',
      });
    }
  });

  it('refuses a deduction larger than the principal', () => {
    expect(
      planRefund({ amountFen: 1000, releasedBonusFen: 5000, balances: { principalFen: 1000, bonusFen: 0 }, policy: 'deduct_from_refund' }),
    ).toEqual({ ok: false, code: 'WALLET_TOP_UP_BONUS_SPENT' });
  });
});
