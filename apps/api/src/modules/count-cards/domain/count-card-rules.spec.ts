import fc from 'fast-check';
import { billTimer, templateProblems, timerMinutes, usabilityProblem } from './count-card-rules';

describe('count-card rules', () => {
  it('asks each kind for its own numbers and refuses the others', () => {
    expect(templateProblems({ kind: 'count', uses: 10, validityDays: 365 })).toEqual([]);
    expect(templateProblems({ kind: 'period', periodDays: 30, dailyLimit: 2 })).toEqual([]);
    expect(templateProblems({ kind: 'time', minutes: 600, fixedValidUntil: '2027-12-31' })).toEqual([]);
    expect(templateProblems({ kind: 'count' }).map((p) => p.field)).toEqual(['uses']);
    expect(templateProblems({ kind: 'count', uses: 5, minutes: 60 }).map((p) => p.field)).toEqual(['minutes']);
    expect(templateProblems({ kind: 'period', periodDays: 30, validityDays: 30 }).map((p) => p.field)).toEqual(['validityDays']);
    expect(templateProblems({ kind: 'time', minutes: 60, dailyLimit: 1 }).map((p) => p.field)).toEqual(['dailyLimit']);
    expect(templateProblems({ kind: 'count', uses: 5, validityDays: 30, fixedValidUntil: '2027-01-01' }).map((p) => p.field)).toEqual(['fixedValidUntil']);
  });

  it('rounds every started minute up and bills at least one', () => {
    const t0 = new Date('2026-01-01T10:00:00Z');
    expect(timerMinutes(t0, t0)).toBe(1);
    expect(timerMinutes(t0, new Date(t0.getTime() + 60_000))).toBe(1);
    expect(timerMinutes(t0, new Date(t0.getTime() + 60_001))).toBe(2);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), (ms) => {
        const m = timerMinutes(t0, new Date(t0.getTime() + ms));
        return m * 60_000 >= ms && (m - 1) * 60_000 < ms;
      }),
    );
  });

  it('never bills more than the card holds and accounts for every minute', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), (used, left) => {
        const { billed, shortfall } = billTimer(used, left);
        return billed + shortfall === used && billed <= left && billed >= 0 && shortfall >= 0;
      }),
    );
  });

  it('refuses a card from its end instant on, even before the expiry job marks it', () => {
    const end = new Date('2026-02-01T00:00:00+08:00');
    expect(usabilityProblem({ status: 'active', validUntil: end }, new Date(end.getTime() - 1))).toBeNull();
    expect(usabilityProblem({ status: 'active', validUntil: end }, end)).toBe('COUNT_CARD_EXPIRED');
    expect(usabilityProblem({ status: 'used_up', validUntil: null }, end)).toBe('COUNT_CARD_NO_USES_LEFT');
    expect(usabilityProblem({ status: 'refunded', validUntil: null }, end)).toBe('COUNT_CARD_REFUNDED');
  });
});
