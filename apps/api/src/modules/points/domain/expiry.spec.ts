import { earningYear, isBirthday, lastExpiredYear, lotExpiresAt, startOfYear } from './expiry';

const TZ = 'Asia/Shanghai';

describe('points expiry', () => {
  it('puts an instant into the earning year of the chain’s time zone', () => {
    // 2025-12-31 16:30 UTC is already 2026-01-01 00:30 in Shanghai.
    expect(earningYear(new Date('2025-12-31T16:30:00Z'), TZ)).toBe(2026);
    expect(earningYear(new Date('2025-12-31T15:59:59Z'), TZ)).toBe(2025);
  });

  it('expires the lot of year N at the first instant of year N+2 in Shanghai', () => {
    expect(lotExpiresAt(2025, 'end_of_next_year', TZ)?.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(lotExpiresAt(2025, 'never', TZ)).toBeNull();
    expect(startOfYear(2027, 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('names the last expired earning year at a given moment', () => {
    expect(lastExpiredYear(new Date('2026-12-31T15:59:59Z'), 'end_of_next_year', TZ)).toBe(2024);
    expect(lastExpiredYear(new Date('2026-12-31T16:00:00Z'), 'end_of_next_year', TZ)).toBe(2025);
    expect(lastExpiredYear(new Date('2026-12-31T16:00:00Z'), 'never', TZ)).toBeNull();
  });

  it('recognises the birthday by month and day, and 29 February on 28 February in common years', () => {
    expect(isBirthday('1990-03-07', '2026-03-07')).toBe(true);
    expect(isBirthday('1990-03-07', '2026-03-08')).toBe(false);
    expect(isBirthday('2000-02-29', '2026-02-28')).toBe(true);
    expect(isBirthday('2000-02-29', '2028-02-28')).toBe(false);
    expect(isBirthday('2000-02-29', '2028-02-29')).toBe(true);
    expect(isBirthday(null, '2026-03-07')).toBe(false);
  });
});
