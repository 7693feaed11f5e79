import fc from 'fast-check';
import { computeEarn, type EarnInput, type StageRate } from './earn';

const base: EarnInput = {
  eligibleAmountFen: 0,
  stageRates: [],
  unit: { points: 1, perFen: 100 },
  tierMultiplierBps: 10_000,
  birthday: null,
};

describe('computeEarn', () => {
  it('gives one point per yuan at the default unit and floors the remainder', () => {
    expect(computeEarn({ ...base, eligibleAmountFen: 12_345 }).points).toBe(123);
    expect(computeEarn({ ...base, eligibleAmountFen: 99 }).points).toBe(0);
  });

  it('gives one point per hundred yuan at a coarse unit', () => {
    expect(computeEarn({ ...base, unit: { points: 1, perFen: 10_000 }, eligibleAmountFen: 29_999 }).points).toBe(2);
  });

  it('earns 1.5× only on the part of the order above the stage boundary', () => {
    const stageRates: StageRate[] = [{ fromFen: 50_000, rateBps: 15_000 }];
    const r = computeEarn({ ...base, stageRates, eligibleAmountFen: 80_000 });
    // 500 yuan at 1× + 300 yuan at 1.5× = 500 + 450.
    expect(r.points).toBe(950);
    expect(r.stages).toEqual([
      { fromFen: 0, toFen: 50_000, amountFen: 50_000, rateBps: 10_000 },
      { fromFen: 50_000, toFen: 80_000, amountFen: 30_000, rateBps: 15_000 },
    ]);
    expect(computeEarn({ ...base, stageRates, eligibleAmountFen: 40_000 }).points).toBe(400);
  });

  it('lets a stage from zero replace the base rate, and sorts stages given out of order', () => {
    const stageRates: StageRate[] = [
      { fromFen: 100_000, rateBps: 20_000 },
      { fromFen: 0, rateBps: 5_000 },
    ];
    // 1000 yuan at 0.5× + 200 yuan at 2×.
    expect(computeEarn({ ...base, stageRates, eligibleAmountFen: 120_000 }).points).toBe(500 + 400);
  });

  it('multiplies by the tier multiplier and the birthday multiplier before flooring once', () => {
    const r = computeEarn({ ...base, eligibleAmountFen: 10_050, tierMultiplierBps: 12_000, birthday: { multiplierBps: 20_000 } });
    // 100.50 yuan × 1.2 × 2 = 241.2 → 241.
    expect(r.points).toBe(241);
    expect(r.multiplierBps).toBe(24_000);
  });

  it('earns nothing on a zero or negative amount', () => {
    expect(computeEarn({ ...base, eligibleAmountFen: 0 }).points).toBe(0);
    expect(computeEarn({ ...base, eligibleAmountFen: -500 }).points).toBe(0);
  });

  it('refuses malformed rules instead of guessing', () => {
    expect(() => computeEarn({ ...base, unit: { points: 1, perFen: 0 } })).toThrow(RangeError);
    expect(() => computeEarn({ ...base, stageRates: [{ fromFen: 10, rateBps: 1 }, { fromFen: 10, rateBps: 2 }] })).toThrow(/two stages/);
    expect(() => computeEarn({ ...base, tierMultiplierBps: 1.5 })).toThrow(RangeError);
  });

  it('refuses rather than rounds when extreme rules would overflow exact counting', () => {
    const extreme = { stageRates: [{ fromFen: 0, rateBps: 100_000 }], unit: { points: 100, perFen: 1 }, tierMultiplierBps: 100_000, birthday: { multiplierBps: 100_000 } };
    expect(() => computeEarn({ ...extreme, eligibleAmountFen: 1_000_000_000_000 })).toThrow(/more points than can be counted/);
    expect(computeEarn({ ...extreme, eligibleAmountFen: 10_000_000_000 }).points).toBe(1_000_000_000_000_000);
  });

  const rules = fc.record({
    stageRates: fc.uniqueArray(fc.record({ fromFen: fc.integer({ min: 0, max: 10_000_000 }), rateBps: fc.integer({ min: 0, max: 100_000 }) }), {
      selector: (s) => s.fromFen,
      maxLength: 5,
    }),
    unit: fc.record({ points: fc.integer({ min: 1, max: 100 }), perFen: fc.integer({ min: 1, max: 100_000 }) }),
    tierMultiplierBps: fc.integer({ min: 0, max: 100_000 }),
    birthday: fc.option(fc.record({ multiplierBps: fc.integer({ min: 0, max: 100_000 }) }), { nil: null }),
  });
  // Up to 100 million yuan in one purchase: with every rule at its maximum the points stay exact.
  const amount = fc.integer({ min: 0, max: 10_000_000_000 });

  it('is a non-negative integer for any rules and amount', () => {
    fc.assert(
      fc.property(rules, amount, (r, a) => {
        const { points } = computeEarn({ ...r, eligibleAmountFen: a });
        return Number.isSafeInteger(points) && points >= 0;
      }),
    );
  });

  it('never earns fewer points on a larger amount', () => {
    fc.assert(
      fc.property(rules, amount, amount, (r, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return computeEarn({ ...r, eligibleAmountFen: lo }).points <= computeEarn({ ...r, eligibleAmountFen: hi }).points;
      }),
    );
  });

  it('splits the amount over the stages exactly', () => {
    fc.assert(
      fc.property(rules, amount, (r, a) => {
        const { stages } = computeEarn({ ...r, eligibleAmountFen: a });
        return stages.reduce((s, l) => s + l.amountFen, 0) === a;
      }),
    );
  });
});
