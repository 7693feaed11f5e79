import fc from 'fast-check';
import { addDays, birthdayMonthDays, daysBetween } from './calendar';
import { optedOut } from './events';

describe('business-day calendar', () => {
  it('greets 29 February birthdays on 28 February of a common year, and on the day itself in a leap year', () => {
    expect(birthdayMonthDays('2027-02-28')).toEqual(['02-28', '02-29']);
    expect(birthdayMonthDays('2028-02-28')).toEqual(['02-28']);
    expect(birthdayMonthDays('2028-02-29')).toEqual(['02-29']);
    expect(birthdayMonthDays('2026-11-23')).toEqual(['11-23']);
  });

  it('adds days across months and years, and counts them back', () => {
    expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
    expect(daysBetween('2026-11-23', '2026-12-31')).toBe(38);
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.integer({ min: -800, max: 800 }), (d, n) => {
        const day = d.toISOString().slice(0, 10);
        expect(daysBetween(day, addDays(day, n))).toBe(n);
      }),
    );
  });
});

describe('opt-outs', () => {
  it('match the channel or all, and the kind or all', () => {
    expect(optedOut([{ channel: 'sms', kind: 'balance' }], 'sms', 'balance')).toBe(true);
    expect(optedOut([{ channel: 'sms', kind: 'balance' }], 'sms', 'points')).toBe(false);
    expect(optedOut([{ channel: 'sms', kind: 'balance' }], 'wechat', 'balance')).toBe(false);
    expect(optedOut([{ channel: 'all', kind: 'expiry' }], 'email', 'expiry')).toBe(true);
    expect(optedOut([{ channel: 'wechat', kind: 'all' }], 'wechat', 'booking')).toBe(true);
    expect(optedOut([], 'wechat', 'booking')).toBe(false);
  });
});
