import fc from 'fast-check';
import { addMonths, compareRules, instalmentSchedule, selectBonusRule, type BonusRuleCandidate } from './bonus-rule';

const T0 = new Date('2026-01-01T00:00:00Z');
let seq = 0;
const rule = (over: Partial<BonusRuleCandidate>): BonusRuleCandidate => ({
  id: `r${String(++seq).padStart(4, '0')}`,
  storeId: null,
  tierId: null,
  thresholdFen: 10000,
  bonusFen: 2000,
  bonusPoints: 0,
  validFrom: null,
  validTo: null,
  active: true,
  priority: 0,
  createdAt: T0,
  ...over,
});
const ctx = { storeId: 'A', tierId: null as string | null, amountFen: 50000, at: new Date('2026-06-01T00:00:00Z') };

describe('selectBonusRule', () => {
  it('picks the highest threshold the amount reaches (充500送150 beats 充100送20)', () => {
    const r100 = rule({ thresholdFen: 10000, bonusFen: 2000 });
    const r500 = rule({ thresholdFen: 50000, bonusFen: 15000 });
    const r1000 = rule({ thresholdFen: 100000, bonusFen: 40000 });
    expect(selectBonusRule([r100, r500, r1000], ctx)).toBe(r500);
    expect(selectBonusRule([r100, r500, r1000], { ...ctx, amountFen: 49999 })).toBe(r100);
    expect(selectBonusRule([r100, r500, r1000], { ...ctx, amountFen: 9999 })).toBeNull();
  });

  it('breaks ties by larger bonus, then points, then priority, then the oldest rule', () => {
    const small = rule({ bonusFen: 1000 });
    const big = rule({ bonusFen: 3000 });
    expect(selectBonusRule([small, big], ctx)).toBe(big);
    const pts = rule({ bonusFen: 3000, bonusPoints: 10 });
    expect(selectBonusRule([big, pts], ctx)).toBe(pts);
    const low = rule({ priority: 1 });
    const high = rule({ priority: 5 });
    expect(selectBonusRule([low, high], ctx)).toBe(high);
    const older = rule({ createdAt: new Date('2025-01-01T00:00:00Z') });
    const newer = rule({ createdAt: new Date('2025-06-01T00:00:00Z') });
    expect(selectBonusRule([newer, older], ctx)).toBe(older);
  });

  it('lets a store with rules of its own in force use only those, and ignores other stores’ rules', () => {
    const hq = rule({ thresholdFen: 10000, bonusFen: 5000 });
    const own = rule({ storeId: 'A', thresholdFen: 100000, bonusFen: 10000 });
    const other = rule({ storeId: 'B', thresholdFen: 10000, bonusFen: 9000 });
    // A's own rule does not reach 500 yuan, and HQ's rule no longer applies at A.
    expect(selectBonusRule([hq, own, other], ctx)).toBeNull();
    expect(selectBonusRule([hq, own, other], { ...ctx, amountFen: 100000 })).toBe(own);
    expect(selectBonusRule([hq, other], ctx)).toBe(hq);
    // An inactive or expired store rule does not override.
    const expired = rule({ storeId: 'A', validTo: new Date('2026-05-01T00:00:00Z') });
    const off = rule({ storeId: 'A', active: false });
    expect(selectBonusRule([hq, expired, off], ctx)).toBe(hq);
  });

  it('applies tier rules only to members of that tier', () => {
    const gold = rule({ tierId: 'gold', thresholdFen: 50000, bonusFen: 20000 });
    const all = rule({ thresholdFen: 10000, bonusFen: 2000 });
    expect(selectBonusRule([gold, all], ctx)).toBe(all);
    expect(selectBonusRule([gold, all], { ...ctx, tierId: 'gold' })).toBe(gold);
    expect(selectBonusRule([gold, all], { ...ctx, tierId: 'silver' })).toBe(all);
  });

  it('honours the validity window as [validFrom, validTo)', () => {
    const r = rule({ validFrom: new Date('2026-06-01T00:00:00Z'), validTo: new Date('2026-07-01T00:00:00Z') });
    expect(selectBonusRule([r], ctx)).toBe(r);
    expect(selectBonusRule([r], { ...ctx, at: new Date('2026-05-31T23:59:59Z') })).toBeNull();
    expect(selectBonusRule([r], { ...ctx, at: new Date('2026-07-01T00:00:00Z') })).toBeNull();
  });

  const arbRule = fc.record({
    id: fc.uuid(),
    storeId: fc.constantFrom(null, 'A', 'B'),
    tierId: fc.constantFrom(null, 'gold', 'silver'),
    thresholdFen: fc.integer({ min: 1, max: 100 }).map((n) => n * 1000),
    bonusFen: fc.integer({ min: 0, max: 5 }).map((n) => n * 1000),
    bonusPoints: fc.integer({ min: 0, max: 3 }),
    validFrom: fc.constantFrom(null, new Date('2026-01-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z')),
    validTo: fc.constantFrom(null, new Date('2026-05-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')),
    active: fc.boolean(),
    priority: fc.integer({ min: 0, max: 3 }),
    createdAt: fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true }),
  });
  const arbCtx = fc.record({
    storeId: fc.constantFrom('A', 'B', 'C'),
    tierId: fc.constantFrom(null, 'gold', 'silver'),
    amountFen: fc.integer({ min: 1, max: 120000 }),
    at: fc.constantFrom(new Date('2026-03-01T00:00:00Z'), new Date('2026-08-01T00:00:00Z')),
  });

  it('always picks an applicable rule that no other applicable rule beats, whatever the input order', () => {
    fc.assert(
      fc.property(fc.array(arbRule, { maxLength: 12 }), arbCtx, (rules, c) => {
        const chosen = selectBonusRule(rules, c);
        const shuffled = [...rules].reverse();
        expect(selectBonusRule(shuffled, c)).toBe(chosen);
        if (!chosen) return;
        expect(chosen.thresholdFen).toBeLessThanOrEqual(c.amountFen);
        expect(chosen.tierId === null || chosen.tierId === c.tierId).toBe(true);
        expect(chosen.storeId === null || chosen.storeId === c.storeId).toBe(true);
        const live = (r: BonusRuleCandidate) => r.active && (!r.validFrom || r.validFrom <= c.at) && (!r.validTo || r.validTo > c.at);
        expect(live(chosen)).toBe(true);
        const storeHasOwn = rules.some((r) => r.storeId === c.storeId && live(r));
        if (storeHasOwn) expect(chosen.storeId).toBe(c.storeId);
        for (const r of rules) {
          const applies =
            live(r) && r.storeId === chosen.storeId && (r.tierId === null || r.tierId === c.tierId) && r.thresholdFen <= c.amountFen;
          if (applies) expect(compareRules(chosen, r)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('instalmentSchedule', () => {
  it('splits 12000 fen into 12 monthly parts, the first at once', () => {
    const parts = instalmentSchedule(12000, 12, 1, new Date('2026-01-31T10:00:00Z'));
    expect(parts).toHaveLength(12);
    expect(parts.every((p) => p.amountFen === 1000)).toBe(true);
    expect(parts[0].dueAt.toISOString()).toBe('2026-01-31T10:00:00.000Z');
    expect(parts[1].dueAt.toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(parts[2].dueAt.toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(parts[11].dueAt.toISOString()).toBe('2026-12-31T10:00:00.000Z');
  });

  it('gives the extra fen to the earliest parts and always sums exactly', () => {
    expect(instalmentSchedule(100, 3, 1, T0).map((p) => p.amountFen)).toEqual([34, 33, 33]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 12 }), (bonus, n, every) => {
        const parts = instalmentSchedule(bonus, n, every, T0);
        expect(parts.reduce((s, p) => s + p.amountFen, 0)).toBe(bonus);
        expect(parts.every((p) => p.amountFen > 0)).toBe(true);
        for (let i = 1; i < parts.length; i++) expect(parts[i].dueAt.getTime()).toBeGreaterThan(parts[i - 1].dueAt.getTime());
      }),
    );
  });

  it('adds months across year ends', () => {
    expect(addMonths(new Date('2026-11-30T00:00:00Z'), 3).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(addMonths(new Date('2027-12-31T00:00:00Z'), 2).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});
