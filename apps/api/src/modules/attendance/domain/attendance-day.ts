import type { AttendanceDayStatus } from '@chaincard/shared';

/** Minutes after the day's local midnight; a clock-out after midnight is above 1440. */
export interface Punch {
  in: number;
  out: number | null;
}

export interface DayInput {
  /** Working time planned that day (schedule − leave + extra), sorted. */
  scheduled: { start: number; end: number }[];
  punches: Punch[];
  /** past: the day is over; today: `nowMinute` tells how far; future: not yet. */
  when: 'past' | 'today' | 'future';
  nowMinute?: number;
  lateGraceMinutes: number;
  earlyGraceMinutes: number;
}

export interface DayResult {
  status: AttendanceDayStatus;
  scheduledMinutes: number;
  workedMinutes: number;
  /** First clock-in after the first scheduled start, beyond the grace (0 when not late). */
  lateMinutes: number;
  /** Last clock-out before the last scheduled end, beyond the grace. */
  earlyMinutes: number;
  /** A day over with a clock-in and no clock-out. */
  missingClockOut: boolean;
}

/**
 * One staff member's day at one store against the schedule: late when the first clock-in comes
 * more than the grace after the first scheduled start, early when the last clock-out comes more
 * than the grace before the last scheduled end, absent when scheduled and never clocked in (today:
 * once the first start plus the grace has passed), unscheduled when worked without a schedule.
 */
export function evaluateDay(d: DayInput): DayResult {
  const scheduledMinutes = d.scheduled.reduce((s, i) => s + i.end - i.start, 0);
  const closed = d.punches.filter((p) => p.out !== null);
  const workedMinutes = closed.reduce((s, p) => s + Math.max(0, p.out! - p.in), 0);
  const missingClockOut = d.when === 'past' && d.punches.some((p) => p.out === null);
  const base = { scheduledMinutes, workedMinutes, lateMinutes: 0, earlyMinutes: 0, missingClockOut };
  if (d.when === 'future') return { ...base, status: d.scheduled.length ? 'upcoming' : 'off' };
  if (!d.scheduled.length) return { ...base, status: d.punches.length ? 'unscheduled' : 'off' };
  const firstStart = d.scheduled[0].start;
  const lastEnd = d.scheduled[d.scheduled.length - 1].end;
  if (!d.punches.length) {
    const started = d.when === 'past' || (d.nowMinute ?? 0) > firstStart + d.lateGraceMinutes;
    return { ...base, status: started ? 'absent' : 'upcoming' };
  }
  const firstIn = Math.min(...d.punches.map((p) => p.in));
  const late = firstIn - firstStart > d.lateGraceMinutes ? firstIn - firstStart : 0;
  // Early leave needs the day's last punch closed: an open one today is still at work.
  const open = d.punches.some((p) => p.out === null);
  const lastOut = closed.length ? Math.max(...closed.map((p) => p.out!)) : null;
  const dayOver = d.when === 'past' || (d.nowMinute ?? 0) >= lastEnd;
  const early = !open && lastOut !== null && dayOver && lastEnd - lastOut > d.earlyGraceMinutes ? lastEnd - lastOut : 0;
  const status: AttendanceDayStatus = late && early ? 'late_and_early' : late ? 'late' : early ? 'early' : 'normal';
  return { ...base, lateMinutes: late, earlyMinutes: early, status };
}

export interface MonthSummary {
  scheduledDays: number;
  workedDays: number;
  lateCount: number;
  earlyCount: number;
  absentCount: number;
  unscheduledDays: number;
  missingClockOutCount: number;
  lateMinutes: number;
  earlyMinutes: number;
  scheduledMinutes: number;
  workedMinutes: number;
}

/** Adds up a month of days (月度考勤). */
export function summarize(days: readonly DayResult[]): MonthSummary {
  const count = (f: (d: DayResult) => boolean) => days.filter(f).length;
  const sum = (f: (d: DayResult) => number) => days.reduce((s, d) => s + f(d), 0);
  return {
    scheduledDays: count((d) => d.scheduledMinutes > 0),
    workedDays: count((d) => d.workedMinutes > 0 || ['normal', 'late', 'early', 'late_and_early', 'unscheduled'].includes(d.status)),
    lateCount: count((d) => d.status === 'late' || d.status === 'late_and_early'),
    earlyCount: count((d) => d.status === 'early' || d.status === 'late_and_early'),
    absentCount: count((d) => d.status === 'absent'),
    unscheduledDays: count((d) => d.status === 'unscheduled'),
    missingClockOutCount: count((d) => d.missingClockOut),
    lateMinutes: sum((d) => d.lateMinutes),
    earlyMinutes: sum((d) => d.earlyMinutes),
    scheduledMinutes: sum((d) => d.scheduledMinutes),
    workedMinutes: sum((d) => d.workedMinutes),
  };
}
