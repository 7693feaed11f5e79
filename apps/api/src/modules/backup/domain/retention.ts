import { businessDay, DEFAULT_TIME_ZONE } from '@chaincard/shared';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export type BackupKind = 'scheduled' | 'manual';

/**
 * Backup file names carry their instant and kind, so that retention needs neither the database
 * (which may be the thing that was lost) nor the storage's own timestamps:
 *   chaincard-20261123T023000123Z-scheduled.ccbak
 */
const NAME = /^chaincard-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-(scheduled|manual)\.ccbak$/;

export function backupFileName(at: Date, kind: BackupKind): string {
  const iso = at.toISOString(); // 2026-11-23T02:30:00.123Z
  return `chaincard-${iso.replace(/[-:.]/g, '')}-${kind}.ccbak`;
}

export function parseBackupFileName(name: string): { takenAt: Date; kind: BackupKind } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const takenAt = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]));
  return Number.isNaN(takenAt.getTime()) ? null : { takenAt, kind: m[8] as BackupKind };
}

/** ISO week (Monday first) of a calendar date, e.g. 2026-W48. */
export function isoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000));
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Grandfather-father-son retention (7 daily, 4 weekly, 12 monthly by default): for each rule, walk
 * the backups newest first and keep the newest one of each period until that many periods are
 * covered. A backup kept by any rule stays. The newest backup is always kept, so a policy of zeros
 * never leaves the chain without one. Periods are the chain's calendar (business days in its time zone).
 */
export function applyRetention<T extends { takenAt: Date }>(backups: T[], policy: RetentionPolicy, timeZone = DEFAULT_TIME_ZONE): { keep: T[]; drop: T[] } {
  const newestFirst = [...backups].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const kept = new Set<T>(newestFirst.slice(0, 1));
  const rules: [number, (day: string) => string][] = [
    [policy.daily, (day) => day],
    [policy.weekly, isoWeek],
    [policy.monthly, (day) => day.slice(0, 7)],
  ];
  for (const [count, periodOf] of rules) {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      if (seen.size >= count) break;
      const period = periodOf(businessDay(b.takenAt, timeZone));
      if (seen.has(period)) continue;
      seen.add(period);
      kept.add(b);
    }
  }
  return { keep: newestFirst.filter((b) => kept.has(b)), drop: newestFirst.filter((b) => !kept.has(b)) };
}
