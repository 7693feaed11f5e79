/**
 * Working time as intervals of minutes after local midnight, [start, end) with 0 ≤ start < end ≤ 1440.
 * Pure functions: a staff member's hours on a day (weekly schedule − leave + extra shifts), a
 * store's opening hours on a day, and the set operations they need.
 */
export interface Interval {
  start: number;
  end: number;
}

export interface ExceptionLike {
  kind: 'leave' | 'extra';
  /** null with end null: the whole day (leave only). */
  start: number | null;
  end: number | null;
}

export interface OpeningHours {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  open: number;
  /** At or before `open`: the store closes after midnight, on the next day. */
  close: number;
}

/** Sorted, with overlapping or touching intervals merged. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** What of `a` is not covered by `b`. */
export function subtractIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  let rest = mergeIntervals(a);
  for (const cut of mergeIntervals(b)) {
    rest = rest.flatMap((i) => {
      if (cut.end <= i.start || cut.start >= i.end) return [i];
      const parts: Interval[] = [];
      if (cut.start > i.start) parts.push({ start: i.start, end: cut.start });
      if (cut.end < i.end) parts.push({ start: cut.end, end: i.end });
      return parts;
    });
  }
  return rest;
}

/** What `a` and `b` both cover. */
export function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of mergeIntervals(a)) {
    for (const y of mergeIntervals(b)) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end > start) out.push({ start, end });
    }
  }
  return mergeIntervals(out);
}

/**
 * A staff member's working time at one store on one day: that weekday's weekly intervals, minus
 * leave (a whole-day leave removes them all), plus extra shifts (加班) — an extra shift counts
 * even on a day of leave, since it was planned after it.
 */
export function workingIntervals(weekly: readonly Interval[], exceptions: readonly ExceptionLike[]): Interval[] {
  const leave = exceptions.filter((e) => e.kind === 'leave').map((e) => (e.start === null || e.end === null ? { start: 0, end: 1440 } : { start: e.start, end: e.end }));
  const extra = exceptions.filter((e) => e.kind === 'extra' && e.start !== null && e.end !== null).map((e) => ({ start: e.start!, end: e.end! }));
  return mergeIntervals([...subtractIntervals(weekly, leave), ...extra]);
}

/**
 * A store's opening hours on a day of the given weekday: its own hours (to midnight when it closes
 * after midnight) and the part after midnight of the previous day's hours. A store without any
 * hours set is not limited (open all day); a store with hours but none for a weekday is closed.
 */
export function openingIntervals(hours: readonly OpeningHours[], weekday: number): Interval[] {
  if (!hours.length) return [{ start: 0, end: 1440 }];
  const previous = weekday === 1 ? 7 : weekday - 1;
  const out: Interval[] = [];
  for (const h of hours) {
    const overnight = h.close <= h.open;
    if (h.weekday === weekday) out.push({ start: h.open, end: overnight ? 1440 : h.close });
    if (h.weekday === previous && overnight && h.close > 0) out.push({ start: 0, end: h.close });
  }
  return mergeIntervals(out);
}

/** Pairs of intervals of one list that overlap (touching is fine), for validation. */
export function overlappingPairs<T extends Interval & { weekday: number }>(list: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i];
      const b = list[j];
      if (a.weekday === b.weekday && a.start < b.end && b.start < a.end) out.push([a, b]);
    }
  }
  return out;
}

/** Total minutes covered. */
export function totalMinutes(list: readonly Interval[]): number {
  return mergeIntervals(list).reduce((s, i) => s + i.end - i.start, 0);
}
