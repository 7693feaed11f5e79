import type { BookingStatus } from '@chaincard/shared';

/** What can be done to a booking, and from which states. */
export type BookingAction = 'confirm' | 'reschedule' | 'cancel' | 'arrive' | 'no_show' | 'complete';

const FROM: Record<BookingAction, readonly BookingStatus[]> = {
  confirm: ['pending'],
  reschedule: ['pending', 'confirmed'],
  cancel: ['pending', 'confirmed', 'arrived'],
  arrive: ['pending', 'confirmed'],
  no_show: ['pending', 'confirmed'],
  // A member may walk straight to the counter: checkout completes a booking not yet checked in.
  complete: ['pending', 'confirmed', 'arrived'],
};

const TO: Partial<Record<BookingAction, BookingStatus>> = {
  confirm: 'confirmed',
  cancel: 'cancelled',
  arrive: 'arrived',
  no_show: 'no_show',
  complete: 'completed',
};

export function allowed(action: BookingAction, status: BookingStatus): boolean {
  return FROM[action].includes(status);
}

/** The state after an action (reschedule keeps the state). */
export function nextStatus(action: BookingAction, status: BookingStatus): BookingStatus {
  return TO[action] ?? status;
}

export interface BookingWindowRules {
  maxDaysAhead: number;
  minLeadMinutes: number;
}

/**
 * Whether a start is inside the chain's booking window: not in the past, at least the lead time
 * ahead for members (staff may book what is free right now), and on a day no further than
 * maxDaysAhead after today (the store's calendar).
 */
export function withinWindow(startMs: number, nowMs: number, daysAhead: number, rules: BookingWindowRules, byMember: boolean): boolean {
  if (startMs < nowMs) return false;
  if (byMember && startMs < nowMs + rules.minLeadMinutes * 60_000) return false;
  return daysAhead <= rules.maxDaysAhead;
}

/** A member may cancel online until the deadline before the start; later, only the store may. */
export function memberMayCancel(startMs: number, nowMs: number, cancelDeadlineMinutes: number): boolean {
  return nowMs <= startMs - cancelDeadlineMinutes * 60_000;
}
