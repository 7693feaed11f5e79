/**
 * Free booking slots, as pure arithmetic on instants (milliseconds since the epoch). The caller
 * turns a store's wall clock into instants (schedules and opening hours are local times), so this
 * holds across time zones and daylight-saving days.
 */
export interface Span {
  start: number;
  end: number;
}

/** True when [start, start + duration) lies inside one window and overlaps no busy span. */
export function fits(start: number, durationMs: number, windows: readonly Span[], busy: readonly Span[]): boolean {
  const end = start + durationMs;
  if (!windows.some((w) => w.start <= start && end <= w.end)) return false;
  return !busy.some((b) => b.start < end && start < b.end);
}

/**
 * The candidate starts (a grid, e.g. every 30 minutes of the day) at which a service of the given
 * duration fits a staff member's windows without touching his busy spans, from `earliest` on.
 */
export function freeStarts(candidates: readonly number[], durationMs: number, windows: readonly Span[], busy: readonly Span[], earliest: number): number[] {
  if (durationMs <= 0) throw new RangeError('duration must be positive');
  return candidates.filter((start) => start >= earliest && fits(start, durationMs, windows, busy));
}

export interface StaffAvailability {
  staffId: string;
  windows: Span[];
  busy: Span[];
}

/** For every candidate start, the staff free then (in the order given); starts nobody can take are left out. */
export function slotsByStart(candidates: readonly number[], durationMs: number, staff: readonly StaffAvailability[], earliest: number): { start: number; staffIds: string[] }[] {
  const free = new Map(staff.map((s) => [s.staffId, new Set(freeStarts(candidates, durationMs, s.windows, s.busy, earliest))]));
  return candidates
    .map((start) => ({ start, staffIds: staff.filter((s) => free.get(s.staffId)!.has(start)).map((s) => s.staffId) }))
    .filter((x) => x.staffIds.length > 0);
}
