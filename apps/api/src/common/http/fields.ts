import { IsISO8601, Matches } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** A calendar day: the shape by regex, the date itself (no 2026-02-30) by the ISO check. */
export const IsDay = () => (target: object, key: string) => {
  Matches(DAY, { message: `${key} must be a calendar day as YYYY-MM-DD` })(target, key);
  IsISO8601({ strict: true }, { message: `${key} must be a calendar day as YYYY-MM-DD` })(target, key);
};

/** A month as YYYY-MM. */
export const IsMonth = () => Matches(MONTH, { message: '$property must be a month as YYYY-MM' });

/** A wall-clock time HH:mm from 00:00 to 24:00 (24:00 = the end of the day). */
export const IsClock = () => Matches(CLOCK, { message: '$property must be a time as HH:mm (00:00–24:00)' });

/** An instant with its offset (2026-11-23T10:00:00+08:00 or …Z). */
export const IsInstant = () => (target: object, key: string) => {
  const message = `${key} must be an ISO 8601 date-time with an offset, e.g. 2026-11-23T10:00:00+08:00`;
  Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, { message })(target, key);
  IsISO8601({ strict: true }, { message })(target, key);
};
