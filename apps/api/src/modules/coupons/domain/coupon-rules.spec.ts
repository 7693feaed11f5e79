import { birthdayKeys, effectiveStatus, templateProblems } from './coupon-rules';

const base = {
  kind: 'amount_off' as const,
  amountOffFen: 500 as number | null,
  discountBps: null as number | null,
  maxDiscountFen: null as number | null,
  thresholdFen: 0,
  skuId: null as string | null,
  exchangePriceFen: null as number | null,
  validityKind: 'relative' as 'relative' | 'fixed',
  validFromDate: null as string | null,
  validUntilDate: null as string | null,
  validDays: 30 as number | null,
  totalQuantity: null as number | null,
  issuedCount: 0,
};

describe('coupon template rules', () => {
  it('accepts each kind with its own fields', () => {
    expect(templateProblems(base)).toEqual([]);
    expect(templateProblems({ ...base, kind: 'threshold', thresholdFen: 10000 })).toEqual([]);
    expect(templateProblems({ ...base, kind: 'percent_off', amountOffFen: null, discountBps: 8000, maxDiscountFen: 3000 })).toEqual([]);
    expect(templateProblems({ ...base, kind: 'free_item', amountOffFen: null, skuId: 's' })).toEqual([]);
    expect(templateProblems({ ...base, kind: 'exchange', amountOffFen: null, skuId: 's', exchangePriceFen: 1 })).toEqual([]);
  });

  it('names the field a kind misses or must not have', () => {
    expect(templateProblems({ ...base, kind: 'threshold' }).map((p) => p.field)).toEqual(['thresholdFen']);
    expect(templateProblems({ ...base, skuId: 's' }).map((p) => p.field)).toEqual(['skuId']);
    expect(templateProblems({ ...base, kind: 'percent_off', amountOffFen: null, discountBps: 10000 }).map((p) => p.field)).toEqual(['discountBps']);
    expect(templateProblems({ ...base, kind: 'exchange', amountOffFen: null, skuId: 's' }).map((p) => p.field)).toEqual(['exchangePriceFen']);
  });

  it('checks validity and quantity', () => {
    expect(templateProblems({ ...base, validityKind: 'fixed', validDays: null, validFromDate: '2026-05-01', validUntilDate: '2026-04-30' }).map((p) => p.field)).toEqual(['validUntilDate']);
    expect(templateProblems({ ...base, validDays: null }).map((p) => p.field)).toEqual(['validDays']);
    expect(templateProblems({ ...base, totalQuantity: 5, issuedCount: 6 }).map((p) => p.field)).toEqual(['totalQuantity']);
  });

  it('shows an unused coupon past its end as expired', () => {
    const end = new Date('2026-05-01T00:00:00Z');
    expect(effectiveStatus('unused', end, new Date('2026-04-30T23:59:59Z'))).toBe('unused');
    expect(effectiveStatus('unused', end, end)).toBe('expired');
    expect(effectiveStatus('used', end, end)).toBe('used');
  });

  it('celebrates 29 February on 28 February in common years', () => {
    expect(birthdayKeys('2026-02-28')).toEqual(['02-28', '02-29']);
    expect(birthdayKeys('2028-02-28')).toEqual(['02-28']);
    expect(birthdayKeys('2028-02-29')).toEqual(['02-29']);
    expect(birthdayKeys('2026-07-01')).toEqual(['07-01']);
  });
});
