import fc from 'fast-check';
import { commissionFor, reversalFor, selectRule, type RuleLike } from './commission-rules';

const rule = (over: Partial<RuleLike>): RuleLike => ({ id: 'r', source: 'service', targetId: null, levelId: null, mode: 'percent', amountFen: null, rateBps: 1000, minBaseFen: 0, split: 'share', ...over });

describe('commission rules', () => {
  const rules = [
    rule({ id: 'all', rateBps: 500 }),
    rule({ id: 'senior', levelId: 'L2', rateBps: 800 }),
    rule({ id: 'haircut', targetId: 'P1', rateBps: 1000 }),
    rule({ id: 'haircut-senior', targetId: 'P1', levelId: 'L2', mode: 'fixed', amountFen: 2000, rateBps: null }),
    rule({ id: 'topup', source: 'top_up', rateBps: 200, minBaseFen: 100000 }),
  ];

  it('picks the most specific rule: the item first, then the level', () => {
    expect(selectRule(rules, 'service', 'P9', null)?.id).toBe('all');
    expect(selectRule(rules, 'service', 'P9', 'L2')?.id).toBe('senior');
    expect(selectRule(rules, 'service', 'P1', 'L1')?.id).toBe('haircut');
    expect(selectRule(rules, 'service', 'P1', 'L2')?.id).toBe('haircut-senior');
    expect(selectRule(rules, 'product', 'P1', 'L2')).toBeNull();
  });

  it('pays each staff member by his own level and splits the sale between them', () => {
    const out = commissionFor(rules, { source: 'service', targetId: 'P1', quantity: 1, baseFen: 9801, staff: [{ staffId: 'a', levelId: 'L1' }, { staffId: 'b', levelId: 'L2' }] });
    // Shares 4901 + 4900; a: 10 % of 4901 → 490 (half up); b: a fixed 2000 shared by two → 1000.
    expect(out).toEqual([
      { staffId: 'a', levelId: 'L1', ruleId: 'haircut', baseFen: 4901, amountFen: 490 },
      { staffId: 'b', levelId: 'L2', ruleId: 'haircut-senior', baseFen: 4900, amountFen: 1000 },
    ]);
  });

  it('gives every staff member the whole commission with split each', () => {
    const each = [rule({ id: 'e', mode: 'fixed', amountFen: 500, rateBps: null, split: 'each' })];
    const out = commissionFor(each, { source: 'service', targetId: 'P1', quantity: 2, baseFen: 10000, staff: [{ staffId: 'a', levelId: null }, { staffId: 'b', levelId: null }] });
    expect(out.map((x) => x.amountFen)).toEqual([1000, 1000]);
  });

  it('credits the sale but pays nothing below the minimum or without a rule', () => {
    expect(commissionFor(rules, { source: 'top_up', targetId: null, quantity: 1, baseFen: 50000, staff: [{ staffId: 'a', levelId: null }] })[0]).toMatchObject({ amountFen: 0, baseFen: 50000, ruleId: 'topup' });
    expect(commissionFor(rules, { source: 'top_up', targetId: null, quantity: 1, baseFen: 100000, staff: [{ staffId: 'a', levelId: null }] })[0].amountFen).toBe(2000);
    expect(commissionFor(rules, { source: 'card_issue', targetId: null, quantity: 1, baseFen: 0, staff: [{ staffId: 'a', levelId: null }] })[0]).toMatchObject({ amountFen: 0, ruleId: null });
    expect(commissionFor(rules, { source: 'service', targetId: null, quantity: 1, baseFen: 100, staff: [] })).toEqual([]);
  });

  it('splits a sale into shares that sum to it (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 10000 }), (base, n, bps) => {
        const staff = Array.from({ length: n }, (_, i) => ({ staffId: `s${i}`, levelId: null }));
        const out = commissionFor([rule({ rateBps: bps })], { source: 'service', targetId: null, quantity: 1, baseFen: base, staff });
        expect(out.reduce((s, x) => s + x.baseFen, 0)).toBe(base);
        for (const x of out) expect(x.amountFen).toBeLessThanOrEqual(x.baseFen);
      }),
    );
  });
});

describe('reversals by refunds', () => {
  it('takes back all of it for a full refund and a proportional part for a partial one', () => {
    const accrual = { amountFen: 1001, baseFen: 10000, lineFen: 10000, lineQuantity: 2 };
    expect(reversalFor(accrual, { lineFen: 0, quantity: 0 }, { lineFen: 10000, quantity: 2 })).toEqual({ amountFen: -1001, baseFen: -10000 });
    expect(reversalFor(accrual, { lineFen: 0, quantity: 0 }, { lineFen: 5000, quantity: 1 })).toEqual({ amountFen: -500, baseFen: -5000 });
    expect(reversalFor(accrual, { lineFen: 5000, quantity: 1 }, { lineFen: 5000, quantity: 1 })).toEqual({ amountFen: -501, baseFen: -5000 });
  });

  it('uses quantities for an item sold for nothing', () => {
    const free = { amountFen: 300, baseFen: 0, lineFen: 0, lineQuantity: 3 };
    expect(reversalFor(free, { lineFen: 0, quantity: 0 }, { lineFen: 0, quantity: 1 })).toEqual({ amountFen: -100, baseFen: 0 });
  });

  it('never takes back more than was accrued, and all of it once the item is refunded (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100000 }), fc.integer({ min: 1, max: 100000 }), fc.array(fc.integer({ min: 1, max: 30000 }), { minLength: 1, maxLength: 6 }), (amount, line, parts) => {
        const accrual = { amountFen: amount, baseFen: line, lineFen: line, lineQuantity: 1 };
        let refunded = 0;
        let back = 0;
        for (const p of parts) {
          const now = Math.min(p, line - refunded);
          back += -reversalFor(accrual, { lineFen: refunded, quantity: 0 }, { lineFen: now, quantity: 0 }).amountFen;
          refunded += now;
          expect(back).toBeLessThanOrEqual(amount);
        }
        const rest = -reversalFor(accrual, { lineFen: refunded, quantity: 0 }, { lineFen: line - refunded, quantity: 0 }).amountFen;
        expect(back + rest).toBe(amount);
      }),
    );
  });
});
