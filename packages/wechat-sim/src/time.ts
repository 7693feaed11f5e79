// WeChat writes every time in Beijing time with an explicit offset (RFC 3339,
// `2018-06-08T10:34:56+08:00`) and cuts bills by the Beijing calendar day.
const OFFSET_MS = 8 * 3600 * 1000;

function beijingParts(ms: number) {
  const d = new Date(ms + OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return {
    date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
    time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`,
  };
}

export function wechatTime(ms: number): string {
  const { date, time } = beijingParts(ms);
  return `${date}T${time}+08:00`;
}

/** `2018-06-08 10:34:56`, the time format of bill rows. */
export function billTime(ms: number): string {
  const { date, time } = beijingParts(ms);
  return `${date} ${time}`;
}

export function beijingDate(ms: number): string {
  return beijingParts(ms).date;
}

/** `20180608103456`, used inside prepay ids. */
export function compactTime(ms: number): string {
  const { date, time } = beijingParts(ms);
  return (date + time).replace(/[-:]/g, '');
}

/** Parses RFC 3339 with an offset (what WeChat accepts in time_expire); null when malformed. */
export function parseRfc3339(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Start (inclusive) and end (exclusive) of a Beijing calendar day `YYYY-MM-DD`, in epoch ms. */
export function beijingDayRange(date: string): [number, number] | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const start = Date.parse(`${date}T00:00:00+08:00`);
  if (Number.isNaN(start) || beijingDate(start) !== date) return null;
  return [start, start + 24 * 3600 * 1000];
}
