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
