import { periodOf, type PeriodicJob } from './job-scheduler';

const daily: PeriodicJob = { name: 'd', schedule: { daily: '03:00' }, run: async () => null };
const every: PeriodicJob = { name: 'e', schedule: { everyMinutes: 10 }, run: async () => null };

describe('job periods', () => {
  it('makes a daily job due once per Shanghai business day, from its hour on', () => {
    // 2026-11-22T18:59Z = 02:59 on Nov 23 in Shanghai: not yet; 19:00Z = 03:00: due for Nov 23.
    expect(periodOf(daily, new Date('2026-11-22T18:59:00Z'))).toBeNull();
    expect(periodOf(daily, new Date('2026-11-22T19:00:00Z'))).toBe('2026-11-23');
    expect(periodOf(daily, new Date('2026-11-23T15:59:00Z'))).toBe('2026-11-23');
  });

  it('puts an every-N-minutes job in one slot per N minutes', () => {
    expect(periodOf(every, new Date('2026-11-23T10:00:00Z'))).toBe(periodOf(every, new Date('2026-11-23T10:09:59Z')));
    expect(periodOf(every, new Date('2026-11-23T10:10:00Z'))).not.toBe(periodOf(every, new Date('2026-11-23T10:09:59Z')));
  });
});
