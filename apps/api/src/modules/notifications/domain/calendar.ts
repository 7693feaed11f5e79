/**
 * Calendar arithmetic on business days (YYYY-MM-DD), for the birthday and expiry jobs. Pure, no
 * time zones: the callers take "today" in the chain's time zone first.
 */

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The birthdays (MM-DD) celebrated on `today`: its own month-day, and on 28 February of a common
 * year also 29 February (those members are greeted once a year too).
 */
export function birthdayMonthDays(today: string): string[] {
  const md = today.slice(5);
  return md === '02-28' && !isLeap(Number(today.slice(0, 4))) ? ['02-28', '02-29'] : [md];
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const ms = (day: string) => {
    const [y, m, d] = day.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}
