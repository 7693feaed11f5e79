import { addDays, businessDay, clockMinutes, clockText, daysBetween, daysOfMonth, isoWeekday, isTimeZone, minutesOfDay, nextMonth, wallClockText, zonedInstant } from './time';

describe('business days', () => {
  it('puts an instant on the calendar day of the store time zone', () => {
    // 2026-01-01T16:30Z is 00:30 on Jan 2 in Shanghai but still Jan 1 in London.
    const instant = new Date('2026-01-01T16:30:00Z');
    expect(businessDay(instant, 'Asia/Shanghai')).toBe('2026-01-02');
    expect(businessDay(instant, 'Europe/London')).toBe('2026-01-01');
  });

  it('recognises IANA zone names and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('wall clocks in a store time zone', () => {
  it('turns a day and a clock time into the instant of that wall clock', () => {
    expect(zonedInstant('2026-11-23', clockMinutes('09:30'), 'Asia/Shanghai').toISOString()).toBe('2026-11-23T01:30:00.000Z');
    expect(zonedInstant('2026-11-23', 0, 'Asia/Shanghai').toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(zonedInstant('2026-11-23', 1440, 'Asia/Shanghai').toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });

  it('follows daylight saving time where a zone has it', () => {
    // London: 29 March 2026 jumps from 01:00 to 02:00; 25 October 2026 falls back.
    expect(zonedInstant('2026-03-28', 12 * 60, 'Europe/London').toISOString()).toBe('2026-03-28T12:00:00.000Z');
    expect(zonedInstant('2026-03-30', 12 * 60, 'Europe/London').toISOString()).toBe('2026-03-30T11:00:00.000Z');
    expect(minutesOfDay(new Date('2026-07-01T11:00:00Z'), 'Europe/London')).toBe(12 * 60);
  });

  it('reads the wall clock of an instant back', () => {
    for (const minutes of [0, 1, 539, 720, 1439]) {
      expect(minutesOfDay(zonedInstant('2026-02-28', minutes, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(minutes);
    }
    expect(wallClockText(new Date('2026-11-23T06:05:00Z'), 'Asia/Shanghai')).toBe('2026-11-23 14:05');
  });

  it('knows weekdays, months and clock texts', () => {
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-11-23', '2026-12-07')).toBe(14);
    expect(daysOfMonth('2028-02')).toHaveLength(29);
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(clockText(clockMinutes('24:00'))).toBe('24:00');
    expect(() => clockMinutes('24:30')).toThrow(RangeError);
  });
});
