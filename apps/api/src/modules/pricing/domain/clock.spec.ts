import { localTime } from './clock';

describe('localTime', () => {
  it('reads an instant on the store’s clock', () => {
    // 2026-03-03T16:30Z is Wednesday 00:30 in Shanghai, still Tuesday in London.
    expect(localTime(new Date('2026-03-03T16:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-03-04', weekday: 3, dayOfMonth: 4, time: '00:30' });
    expect(localTime(new Date('2026-03-03T16:30:00Z'), 'Europe/London')).toEqual({ date: '2026-03-03', weekday: 2, dayOfMonth: 3, time: '16:30' });
    expect(localTime(new Date('2026-03-08T15:59:00Z'), 'Asia/Shanghai')).toMatchObject({ weekday: 7, time: '23:59' });
  });
});
