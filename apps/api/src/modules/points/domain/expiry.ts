import { businessDay, zonedFormatter } from '@chaincard/shared';

/**
 * Points expiry (积分过期). Points are kept in one lot per member and earning year; under
 * `end_of_next_year` the lot of year N expires at the end of year N+1 (the first instant of
 * year N+2) in the chain's time zone, e.g. points earned during 2025 lapse at 2027-01-01 00:00
 * Asia/Shanghai. `never` keeps points forever.
 */
export const EXPIRY_POLICIES = ['never', 'end_of_next_year'] as const;
export type ExpiryPolicy = (typeof EXPIRY_POLICIES)[number];

/** The calendar year of an instant in the time zone: the lot a point earned then goes into. */
export function earningYear(instant: Date, timeZone: string): number {
  return Number(businessDay(instant, timeZone).slice(0, 4));
}

/** The instant a lot of `year` expires, or null when points never expire. */
export function lotExpiresAt(year: number, policy: ExpiryPolicy, timeZone: string): Date | null {
  if (policy === 'never') return null;
  return startOfYear(year + 2, timeZone);
}

/** The latest earning year whose lots have expired at `now` (null: none can have). */
export function lastExpiredYear(now: Date, policy: ExpiryPolicy, timeZone: string): number | null {
  if (policy === 'never') return null;
  return earningYear(now, timeZone) - 2;
}

/** 00:00 on 1 January of `year` in the time zone, as an instant. */
export function startOfYear(year: number, timeZone: string): Date {
  const guess = Date.UTC(year, 0, 1);
  // Two passes settle the offset even where it differs on either side of the guess.
  let instant = guess - offsetMs(new Date(guess), timeZone);
  instant = guess - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = zonedFormatter('points-offset', timeZone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * True when `today` (YYYY-MM-DD, the business day) is the member's birthday (YYYY-MM-DD).
 * A 29 February birthday is celebrated on 28 February in common years.
 */
export function isBirthday(birthday: string | null, today: string): boolean {
  if (!birthday) return false;
  const md = birthday.slice(5);
  const year = Number(today.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const celebrated = md === '02-29' && !leap ? '02-28' : md;
  return today.slice(5) === celebrated;
}
