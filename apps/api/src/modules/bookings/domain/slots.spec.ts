import fc from 'fast-check';
import { allowed, memberMayCancel, nextStatus, withinWindow } from './booking-rules';
import { fits, freeStarts, slotsByStart, type Span } from './slots';

const MIN = 60_000;
const at = (h: number, m = 0) => (h * 60 + m) * MIN;
const grid = (step: number) => Array.from({ length: 1440 / step }, (_, k) => k * step * MIN);

describe('free slots', () => {
  const windows: Span[] = [{ start: at(9), end: at(12) }, { start: at(13), end: at(18) }];

  it('offers starts where the whole service fits a working window', () => {
    const starts = freeStarts(grid(30), 60 * MIN, windows, [], 0);
    expect(starts[0]).toBe(at(9));
    expect(starts).toContain(at(11));
    expect(starts).not.toContain(at(11, 30)); // would run into the lunch break
    expect(starts).toContain(at(17));
    expect(starts).not.toContain(at(17, 30));
  });

  it('skips times taken by a booking and times before the earliest start', () => {
    const busy = [{ start: at(10), end: at(11) }];
    const starts = freeStarts(grid(30), 60 * MIN, windows, busy, at(9, 15));
    expect(starts).not.toContain(at(9)); // before the earliest
    expect(starts).not.toContain(at(9, 30)); // overlaps 10:00
    expect(starts).toContain(at(11));
    // Back to back with a booking is fine: spans are half-open.
    expect(fits(at(11), 60 * MIN, windows, busy)).toBe(true);
    expect(fits(at(9), 60 * MIN, windows, busy)).toBe(true);
  });

  it('lists for every start the staff free then', () => {
    const slots = slotsByStart(grid(60), 60 * MIN, [
      { staffId: 'a', windows: [{ start: at(9), end: at(11) }], busy: [] },
      { staffId: 'b', windows: [{ start: at(10), end: at(12) }], busy: [{ start: at(11), end: at(12) }] },
    ], 0);
    expect(slots).toEqual([
      { start: at(9), staffIds: ['a'] },
      { start: at(10), staffIds: ['a', 'b'] },
    ]);
  });

  it('never offers a start that overlaps a busy span or leaves its window (property)', () => {
    const span = fc.tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 1, max: 300 })).map(([s, d]): Span => ({ start: s * MIN, end: (s + d) * MIN }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 4 }), fc.array(span, { maxLength: 4 }), fc.integer({ min: 5, max: 180 }), (w, b, duration) => {
        for (const start of freeStarts(grid(15), duration * MIN, w, b, 0)) {
          const end = start + duration * MIN;
          expect(w.some((x) => x.start <= start && end <= x.end)).toBe(true);
          expect(b.some((x) => x.start < end && start < x.end)).toBe(false);
        }
      }),
    );
  });
});

describe('booking rules', () => {
  it('moves through the states only along the allowed paths', () => {
    expect(allowed('confirm', 'pending')).toBe(true);
    expect(allowed('confirm', 'confirmed')).toBe(false);
    expect(allowed('arrive', 'cancelled')).toBe(false);
    expect(allowed('cancel', 'arrived')).toBe(true);
    expect(allowed('no_show', 'arrived')).toBe(false);
    expect(allowed('complete', 'confirmed')).toBe(true);
    expect(allowed('complete', 'completed')).toBe(false);
    expect(nextStatus('reschedule', 'confirmed')).toBe('confirmed');
    expect(nextStatus('no_show', 'pending')).toBe('no_show');
  });

  it('keeps members inside the lead time and the booking horizon', () => {
    const rules = { maxDaysAhead: 14, minLeadMinutes: 60 };
    const now = at(10);
    expect(withinWindow(at(10, 30), now, 0, rules, true)).toBe(false);
    expect(withinWindow(at(10, 30), now, 0, rules, false)).toBe(true);
    expect(withinWindow(at(9), now, 0, rules, false)).toBe(false);
    expect(withinWindow(at(12), now, 14, rules, true)).toBe(true);
    expect(withinWindow(at(12), now, 15, rules, true)).toBe(false);
  });

  it('lets a member cancel up to the deadline before the start', () => {
    expect(memberMayCancel(at(14), at(12), 120)).toBe(true);
    expect(memberMayCancel(at(14), at(12, 1), 120)).toBe(false);
  });
});
