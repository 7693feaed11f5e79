import { promotionProblems } from './promotion-rules';

const base = {
  kind: 'full_reduction' as 'full_reduction' | 'member_day' | 'flash_sale',
  startsAt: null as Date | null,
  endsAt: null as Date | null,
  dailyStart: null as string | null,
  dailyEnd: null as string | null,
  weekdays: [] as number[],
  monthDays: [] as number[],
  discountBps: null as number | null,
  reductionMode: 'amount' as 'amount' | 'rate' | null,
  steps: [{ thresholdFen: 10000, amountOffFen: 1000, discountBps: null as number | null }],
  flashSkuId: null as string | null,
  flashPriceFen: null as number | null,
  flashStock: null as number | null,
  flashSold: 0,
  flashPerMemberLimit: null as number | null,
};
const fields = (p: typeof base) => promotionProblems(p).map((x) => x.field);

describe('promotion rules', () => {
  it('accepts a stepped full reduction, a member day and a flash sale', () => {
    expect(fields(base)).toEqual([]);
    expect(fields({ ...base, kind: 'member_day', reductionMode: null, steps: [], discountBps: 8800, weekdays: [3] })).toEqual([]);
    expect(fields({ ...base, kind: 'flash_sale', reductionMode: null, steps: [], flashSkuId: 's', flashPriceFen: 990, flashStock: 100, flashPerMemberLimit: 1 })).toEqual([]);
  });

  it('names what a kind misses', () => {
    expect(fields({ ...base, kind: 'member_day', reductionMode: null, steps: [], discountBps: 8800 })).toEqual(['weekdays']);
    expect(fields({ ...base, reductionMode: 'rate' })).toEqual(['steps[0].discountBps', 'steps[0].amountOffFen']);
    expect(fields({ ...base, steps: [base.steps[0], base.steps[0]] })).toEqual(['steps[1].thresholdFen']);
    expect(fields({ ...base, kind: 'flash_sale', reductionMode: null, steps: [], flashSkuId: 's' })).toEqual(['flashPriceFen', 'flashStock']);
    expect(fields({ ...base, flashStock: 3 })).toEqual(['flashSkuId']);
  });

  it('checks windows, hours and days', () => {
    const t = new Date('2026-05-01T00:00:00Z');
    expect(fields({ ...base, startsAt: t, endsAt: t })).toEqual(['endsAt']);
    expect(fields({ ...base, dailyStart: '10:00' })).toEqual(['dailyEnd']);
    expect(fields({ ...base, dailyStart: '25:00', dailyEnd: '10:00' })).toEqual(['dailyStart']);
    expect(fields({ ...base, weekdays: [0], monthDays: [32] })).toEqual(['weekdays', 'monthDays']);
  });
});
