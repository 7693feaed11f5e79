import fc from 'fast-check';
import { businessDay } from '@chaincard/shared';
import { applyRetention, backupFileName, isoWeek, parseBackupFileName } from './retention';

const DAY = 86_400_000;
const at = (iso: string) => ({ takenAt: new Date(iso) });

describe('backup retention', () => {
  it('keeps 7 daily, 4 weekly and 12 monthly out of a year of daily backups', () => {
    // One backup a day at 02:30 Shanghai (18:30 UTC the day before), for 400 days up to 2026-11-23.
    const end = Date.parse('2026-11-22T18:30:00Z');
    const all = Array.from({ length: 400 }, (_, i) => ({ takenAt: new Date(end - i * DAY) }));
    const { keep, drop } = applyRetention(all, { daily: 7, weekly: 4, monthly: 12 });
    const days = keep.map((b) => businessDay(b.takenAt));
    expect(days.slice(0, 7)).toEqual(['2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17']);
    // Weekly: the newest of the 4 latest weeks (2026-11-23 is a Monday, so it opens W48).
    expect(days).toEqual(expect.arrayContaining(['2026-11-23', '2026-11-22', '2026-11-15', '2026-11-08']));
    // Monthly: the newest of each of the 12 latest months: Nov 23, then the last day of Oct … Dec 2025.
    expect(days).toEqual(expect.arrayContaining(['2026-10-31', '2026-09-30', '2026-01-31', '2025-12-31']));
    expect(days).not.toContain('2025-11-30');
    expect(keep.length + drop.length).toBe(400);
    expect(keep.length).toBe(7 + 2 + 11); // Nov 23 serves day, week and month; Nov 22 day and week
  });

  it('keeps the newest backup, never more than the policy allows, and is stable when applied again', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 800 * 24 }), { minLength: 1, maxLength: 120 }),
        fc.record({ daily: fc.integer({ min: 0, max: 10 }), weekly: fc.integer({ min: 0, max: 6 }), monthly: fc.integer({ min: 0, max: 14 }) }),
        (hours, policy) => {
          const backups = hours.map((h) => ({ takenAt: new Date(Date.parse('2025-01-01T00:00:00Z') + h * 3_600_000) }));
          const { keep, drop } = applyRetention(backups, policy);
          const newest = Math.max(...hours);
          expect(keep[0].takenAt.getTime()).toBe(Date.parse('2025-01-01T00:00:00Z') + newest * 3_600_000);
          expect(keep.length + drop.length).toBe(backups.length);
          expect(keep.length).toBeLessThanOrEqual(Math.max(1, policy.daily + policy.weekly + policy.monthly));
          expect(applyRetention(keep, policy).drop).toEqual([]);
          // Every one of the `daily` most recent days with a backup keeps its newest backup.
          const byDay = new Map<string, number>();
          for (const b of backups) {
            const d = businessDay(b.takenAt);
            byDay.set(d, Math.max(byDay.get(d) ?? 0, b.takenAt.getTime()));
          }
          const recentDays = [...byDay.keys()].sort().reverse().slice(0, policy.daily);
          const keptTimes = new Set(keep.map((b) => b.takenAt.getTime()));
          for (const d of recentDays) expect(keptTimes.has(byDay.get(d)!)).toBe(true);
        },
      ),
    );
  });

  it('counts days in the chain time zone', () => {
    // 2026-11-22T17:00Z is already 2026-11-23 01:00 in Shanghai: a different day from 15:00Z.
    const { keep } = applyRetention([at('2026-11-22T15:00:00Z'), at('2026-11-22T17:00:00Z')], { daily: 2, weekly: 0, monthly: 0 });
    expect(keep).toHaveLength(2);
  });

  it('names files so that their instant and kind read back', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }), fc.constantFrom('scheduled' as const, 'manual' as const), (d, kind) => {
        expect(parseBackupFileName(backupFileName(d, kind))).toEqual({ takenAt: d, kind });
      }),
    );
    expect(backupFileName(new Date('2026-11-23T02:30:00.123Z'), 'scheduled')).toBe('chaincard-20261123T023000123Z-scheduled.ccbak');
    expect(parseBackupFileName('chaincard-20261123T023000123Z-scheduled.ccbak.partial')).toBeNull();
    expect(parseBackupFileName('notes.txt')).toBeNull();
  });

  it('numbers ISO weeks across year ends', () => {
    expect(isoWeek('2026-11-23')).toBe('2026-W48');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
  });
});
