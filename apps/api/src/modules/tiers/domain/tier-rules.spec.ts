import fc from 'fast-check';
import { decideDaily, decideUpgrade, nextTierProgress, paidExpiry, qualifiedTier, specKey, type TierRule } from './tier-rules';

const tier = (id: string, level: number, over: Partial<TierRule> = {}): TierRule => ({
  id,
  level,
  isInitial: false,
  metric: null,
  threshold: null,
  windowDays: 0,
  downgradeEnabled: false,
  ...over,
});

const base = tier('base', 1, { isInitial: true });
const silver = tier('silver', 2, { metric: 'spend', threshold: 1000, windowDays: 30, downgradeEnabled: true });
const gold = tier('gold', 3, { metric: 'top_up', threshold: 5000 });
const black = tier('black', 4);
const tiers = [base, silver, gold, black];
const now = new Date('2026-06-01T00:00:00Z');

describe('tier rules', () => {
  it('picks the highest tier whose rule is met, with the initial tier as the floor', () => {
    expect(qualifiedTier(tiers, new Map())?.id).toBe('base');
    expect(qualifiedTier(tiers, new Map([[specKey('spend', 30), 1000]]))?.id).toBe('silver');
    expect(qualifiedTier(tiers, new Map([[specKey('spend', 30), 1000], [specKey('top_up', 0), 5000]]))?.id).toBe('gold');
    expect(qualifiedTier(tiers, new Map([[specKey('spend', 30), 999]]))?.id).toBe('base');
  });

  it('never moves a member down when evaluating', () => {
    expect(decideUpgrade(tiers, { current: gold, paidExpiresAt: null }, new Map([[specKey('spend', 30), 5000]]))).toEqual({ to: null, dropPaid: false });
    expect(decideUpgrade(tiers, { current: null, paidExpiresAt: null }, new Map())).toMatchObject({ to: base, source: 'auto' });
  });

  it('downgrades in the daily job only when the current tier allows it, to the tier still met', () => {
    expect(decideDaily(tiers, { current: silver, paidExpiresAt: null }, new Map(), now)).toMatchObject({ to: base, source: 'downgrade' });
    expect(decideDaily(tiers, { current: gold, paidExpiresAt: null }, new Map(), now)).toEqual({ to: null, dropPaid: false });
    expect(decideDaily(tiers, { current: black, paidExpiresAt: null }, new Map(), now)).toEqual({ to: null, dropPaid: false });
  });

  it('lets a bought tier lapse at its expiry to the tier the member qualifies for, and not before', () => {
    const values = new Map([[specKey('spend', 30), 1000]]);
    expect(decideDaily(tiers, { current: black, paidExpiresAt: new Date(now.getTime() + 1) }, values, now)).toEqual({ to: null, dropPaid: false });
    expect(decideDaily(tiers, { current: black, paidExpiresAt: now }, values, now)).toEqual({ to: silver, source: 'expiry', dropPaid: true });
    expect(decideDaily(tiers, { current: silver, paidExpiresAt: now }, values, now)).toEqual({ to: null, dropPaid: true });
  });

  it('shows the distance to the next tier with a rule', () => {
    expect(nextTierProgress(tiers, base, new Map([[specKey('spend', 30), 400]]))).toMatchObject({ tier: silver, value: 400, threshold: 1000, remaining: 600 });
    expect(nextTierProgress(tiers, gold, new Map())).toBeNull();
  });

  it('extends a bought tier from its current end, and starts afresh otherwise', () => {
    const held = { tierId: 'gold', expiresAt: new Date(now.getTime() + 86_400_000) };
    expect(paidExpiry(now, 30, held, 'gold').getTime()).toBe(now.getTime() + 31 * 86_400_000);
    expect(paidExpiry(now, 30, held, 'black').getTime()).toBe(now.getTime() + 30 * 86_400_000);
  });

  it('never decides below the initial tier, and the job never moves up less than evaluate does', () => {
    const metricValues = fc.record({ spend: fc.nat(10_000), topUp: fc.nat(10_000) });
    fc.assert(
      fc.property(fc.constantFrom(null, base, silver, gold, black), metricValues, fc.option(fc.integer({ min: -5, max: 5 })), (current, v, paidOffset) => {
        const values = new Map([[specKey('spend', 30), v.spend], [specKey('top_up', 0), v.topUp]]);
        const paidExpiresAt = paidOffset === null ? null : new Date(now.getTime() + paidOffset * 1000);
        const daily = decideDaily(tiers, { current, paidExpiresAt }, values, now);
        const up = decideUpgrade(tiers, { current, paidExpiresAt }, values);
        if (daily.to) expect(daily.to.level).toBeGreaterThanOrEqual(base.level);
        if (up.to) expect(up.to.level).toBeGreaterThan(current?.level ?? 0);
        const after = (daily.to ?? current)?.level ?? 0;
        if (up.to && !(paidExpiresAt && paidExpiresAt <= now)) expect(after).toBe(up.to.level);
      }),
    );
  });
});
