export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** True when the IANA time zone name is known to this runtime's Intl data. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * One Intl.DateTimeFormat per (options, time zone), kept: building one costs far more than
 * formatting with it, and checkout asks for the business day several times per order.
 */
export function zonedFormatter(key: string, timeZone: string, options: Intl.DateTimeFormatOptions, locale = 'en-US'): Intl.DateTimeFormat {
  const id = `${key}|${locale}|${timeZone}`;
  let f = formatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(id, f);
  }
  return f;
}

/** The calendar day (YYYY-MM-DD) of an instant in a store's time zone: the business day. */
export function businessDay(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const parts = zonedFormatter('day', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'en-CA').formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

// ── calendar days, clock times and instants in a store's time zone ─────────────
// Days are 'YYYY-MM-DD', months 'YYYY-MM', clock times minutes after local midnight (0–1440).

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

function dayParts(day: string): [number, number, number] {
  const m = DAY.exec(day);
  if (!m) throw new RangeError(`not a calendar day: ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** 'HH:mm' (00:00–24:00) → minutes after midnight. */
export function clockMinutes(hhmm: string): number {
  if (!CLOCK.test(hhmm)) throw new RangeError(`not a clock time: ${hhmm}`);
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Minutes after midnight → 'HH:mm' (1440 → '24:00'). */
export function clockText(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) throw new RangeError(`not a minute of the day: ${minutes}`);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** ISO weekday of a calendar day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const [y, m, d] = dayParts(day);
  const w = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return w === 0 ? 7 : w;
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = dayParts(day);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = dayParts(from);
  const [y2, m2, d2] = dayParts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/** The month ('YYYY-MM') of a calendar day. */
export function monthOfDay(day: string): string {
  dayParts(day);
  return day.slice(0, 7);
}

/** The month after 'YYYY-MM'. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every calendar day of a month, in order. */
export function daysOfMonth(month: string): string[] {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a month: ${month}`);
  const out: string[] = [];
  for (let day = `${month}-01`; day.startsWith(month); day = addDays(day, 1)) out.push(day);
  return out;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes the zone is ahead of UTC at an instant (480 for Asia/Shanghai). */
function zoneOffsetMinutes(instantMs: number, timeZone: string): number {
  let fmt = offsetFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    offsetFormats.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - (instantMs - (((instantMs % 1000) + 1000) % 1000))) / 60_000);
}

/**
 * The instant of `minutes` after midnight of `day` in a time zone (a store's wall clock → UTC).
 * 1440 is the next midnight. A wall time skipped by a daylight-saving jump maps past the gap.
 */
export function zonedInstant(day: string, minutes: number, timeZone = DEFAULT_TIME_ZONE): Date {
  const [y, m, d] = dayParts(day);
  const naive = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const first = naive - zoneOffsetMinutes(naive, timeZone) * 60_000;
  const second = naive - zoneOffsetMinutes(first, timeZone) * 60_000;
  return new Date(second);
}

/** Minutes after local midnight of an instant in a time zone (its wall clock). */
export function minutesOfDay(instant: Date, timeZone = DEFAULT_TIME_ZONE): number {
  const local = instant.getTime() + zoneOffsetMinutes(instant.getTime(), timeZone) * 60_000;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
}

/** 'YYYY-MM-DD HH:mm' of an instant on a store's wall clock (messages, receipts). */
export function wallClockText(instant: Date, timeZone = DEFAULT_TIME_ZONE): string {
  return `${businessDay(instant, timeZone)} ${clockText(minutesOfDay(instant, timeZone))}`;
}
