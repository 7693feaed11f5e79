import { businessDay, isTimeZone } from './time';

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
