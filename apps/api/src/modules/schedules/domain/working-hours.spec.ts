import fc from 'fast-check';
import { intersectIntervals, mergeIntervals, openingIntervals, overlappingPairs, subtractIntervals, totalMinutes, workingIntervals, type Interval } from './working-hours';

const h = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
const iv = (a: string, b: string): Interval => ({ start: h(a), end: h(b) });

describe('working time', () => {
  it('is the weekly schedule minus leave plus extra shifts', () => {
    const weekly = [iv('09:00', '12:00'), iv('13:00', '18:00')];
    expect(workingIntervals(weekly, [])).toEqual(weekly);
    expect(workingIntervals(weekly, [{ kind: 'leave', start: h('14:00'), end: h('16:00') }])).toEqual([iv('09:00', '12:00'), iv('13:00', '14:00'), iv('16:00', '18:00')]);
    expect(workingIntervals(weekly, [{ kind: 'leave', start: null, end: null }])).toEqual([]);
    expect(workingIntervals(weekly, [{ kind: 'extra', start: h('18:00'), end: h('21:00') }])).toEqual([iv('09:00', '12:00'), iv('13:00', '21:00')]);
    // An extra shift planned on a day of leave counts.
    expect(workingIntervals(weekly, [{ kind: 'leave', start: null, end: null }, { kind: 'extra', start: h('10:00'), end: h('12:00') }])).toEqual([iv('10:00', '12:00')]);
  });

  it('reads opening hours, including hours past midnight from the day before', () => {
    const hours = [
      { weekday: 1, open: h('09:00'), close: h('22:00') },
      { weekday: 5, open: h('18:00'), close: h('02:00') },
    ];
    expect(openingIntervals(hours, 1)).toEqual([iv('09:00', '22:00')]);
    expect(openingIntervals(hours, 2)).toEqual([]);
    expect(openingIntervals(hours, 5)).toEqual([{ start: h('18:00'), end: 1440 }]);
    expect(openingIntervals(hours, 6)).toEqual([iv('00:00', '02:00')]);
    expect(openingIntervals([], 3)).toEqual([{ start: 0, end: 1440 }]);
  });

  it('finds overlapping weekly intervals but lets them touch', () => {
    const list = [
      { weekday: 1, ...iv('09:00', '12:00') },
      { weekday: 1, ...iv('12:00', '18:00') },
      { weekday: 2, ...iv('09:00', '12:00') },
      { weekday: 1, ...iv('17:00', '19:00') },
    ];
    expect(overlappingPairs(list)).toEqual([[list[1], list[3]]]);
  });

  const interval = fc.tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 0, max: 1440 })).filter(([a, b]) => a !== b).map(([a, b]): Interval => ({ start: Math.min(a, b), end: Math.max(a, b) }));
  const list = fc.array(interval, { maxLength: 6 });
  const covers = (l: Interval[], minute: number) => l.some((i) => i.start <= minute && minute < i.end);

  it('keeps set semantics minute by minute (property)', () => {
    fc.assert(
      fc.property(list, list, fc.integer({ min: 0, max: 1439 }), (a, b, minute) => {
        expect(covers(mergeIntervals(a), minute)).toBe(covers(a, minute));
        expect(covers(subtractIntervals(a, b), minute)).toBe(covers(a, minute) && !covers(b, minute));
        expect(covers(intersectIntervals(a, b), minute)).toBe(covers(a, minute) && covers(b, minute));
      }),
    );
  });

  it('merges into sorted, disjoint, non-touching intervals (property)', () => {
    fc.assert(
      fc.property(list, (a) => {
        const m = mergeIntervals(a);
        for (let i = 1; i < m.length; i++) expect(m[i].start).toBeGreaterThan(m[i - 1].end);
        expect(totalMinutes(m)).toBeLessThanOrEqual(1440);
      }),
    );
  });
});
