import { zonedFormatter } from '@chaincard/shared';
import type { LocalTime } from './types';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** `at` on a store's clock: the date, ISO weekday, day of the month and HH:mm that promotions run by. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = zonedFormatter('pricing-clock', timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: WEEKDAYS[get('weekday')],
    dayOfMonth: Number(get('day')),
    time: `${get('hour')}:${get('minute')}`,
  };
}
