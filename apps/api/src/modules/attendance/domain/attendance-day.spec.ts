import fc from 'fast-check';
import { evaluateDay, summarize, type DayInput } from './attendance-day';

const h = (hh: number, mm = 0) => hh * 60 + mm;
const day = (over: Partial<DayInput>): DayInput => ({ scheduled: [{ start: h(9), end: h(18) }], punches: [], when: 'past', lateGraceMinutes: 5, earlyGraceMinutes: 5, ...over });

describe('an attendance day', () => {
  it('is normal within the grace, late or early beyond it', () => {
    expect(evaluateDay(day({ punches: [{ in: h(9, 4), out: h(18) }] })).status).toBe('normal');
    expect(evaluateDay(day({ punches: [{ in: h(9, 20), out: h(18) }] }))).toMatchObject({ status: 'late', lateMinutes: 20, workedMinutes: 520 });
    expect(evaluateDay(day({ punches: [{ in: h(9), out: h(17, 30) }] }))).toMatchObject({ status: 'early', earlyMinutes: 30 });
    expect(evaluateDay(day({ punches: [{ in: h(9, 30), out: h(17) }] }))).toMatchObject({ status: 'late_and_early', lateMinutes: 30, earlyMinutes: 60 });
  });

  it('counts a split day from the first clock-in to the last clock-out', () => {
    const split = day({ scheduled: [{ start: h(9), end: h(12) }, { start: h(14), end: h(18) }], punches: [{ in: h(8, 55), out: h(12) }, { in: h(14, 10), out: h(18, 5) }] });
    expect(evaluateDay(split)).toMatchObject({ status: 'normal', workedMinutes: 185 + 235 });
  });

  it('is absent without a clock-in once the shift has begun, and upcoming before', () => {
    expect(evaluateDay(day({})).status).toBe('absent');
    expect(evaluateDay(day({ when: 'today', nowMinute: h(9, 3) })).status).toBe('upcoming');
    expect(evaluateDay(day({ when: 'today', nowMinute: h(9, 6) })).status).toBe('absent');
    expect(evaluateDay(day({ when: 'future' })).status).toBe('upcoming');
  });

  it('does not call someone still at work early, and flags a past day left open', () => {
    expect(evaluateDay(day({ when: 'today', nowMinute: h(15), punches: [{ in: h(9), out: null }] })).status).toBe('normal');
    expect(evaluateDay(day({ punches: [{ in: h(9), out: null }] }))).toMatchObject({ status: 'normal', missingClockOut: true });
  });

  it('knows days off and work on a day off', () => {
    expect(evaluateDay(day({ scheduled: [] })).status).toBe('off');
    expect(evaluateDay(day({ scheduled: [], punches: [{ in: h(10), out: h(12) }] }))).toMatchObject({ status: 'unscheduled', workedMinutes: 120 });
  });

  it('sums a month', () => {
    const days = [
      evaluateDay(day({ punches: [{ in: h(9), out: h(18) }] })),
      evaluateDay(day({ punches: [{ in: h(9, 10), out: h(18) }] })),
      evaluateDay(day({})),
      evaluateDay(day({ scheduled: [] })),
    ];
    expect(summarize(days)).toMatchObject({ scheduledDays: 3, workedDays: 2, lateCount: 1, absentCount: 1, lateMinutes: 10, earlyCount: 0 });
  });

  it('never reports both absent and worked minutes (property)', () => {
    const punch = fc.tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 600 })).map(([a, d]) => ({ in: a, out: a + d }));
    fc.assert(
      fc.property(fc.array(punch, { maxLength: 3 }), fc.integer({ min: 0, max: 60 }), (punches, grace) => {
        const r = evaluateDay(day({ punches, lateGraceMinutes: grace, earlyGraceMinutes: grace }));
        if (r.status === 'absent') expect(r.workedMinutes).toBe(0);
        if (punches.length) expect(r.status).not.toBe('absent');
        expect(r.lateMinutes === 0 || r.lateMinutes > grace).toBe(true);
      }),
    );
  });
});
