import type { ErrorCode } from '@chaincard/shared';
import type { CountCardKind, CountCardStatus } from '../entities/count-card.entity';

export interface TemplateShape {
  kind: CountCardKind;
  uses?: number | null;
  periodDays?: number | null;
  dailyLimit?: number | null;
  minutes?: number | null;
  validityDays?: number | null;
  fixedValidUntil?: string | null;
}

export interface FieldProblem {
  field: string;
  errors: string[];
}

/**
 * Which numbers each kind needs. A period card's period is its validity, so it takes neither
 * validityDays nor fixedValidUntil; count and time cards take at most one of the two (none = no end).
 */
export function templateProblems(t: TemplateShape): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (field: keyof TemplateShape, why: string) => {
    if (t[field] === undefined || t[field] === null) problems.push({ field, errors: [`${field} is required ${why}`] });
  };
  const forbid = (field: keyof TemplateShape, why: string) => {
    if (t[field] !== undefined && t[field] !== null) problems.push({ field, errors: [`${field} must be empty ${why}`] });
  };
  if (t.kind === 'count') {
    need('uses', 'for a count card');
    for (const f of ['periodDays', 'dailyLimit', 'minutes'] as const) forbid(f, 'for a count card');
  } else if (t.kind === 'period') {
    need('periodDays', 'for a period card');
    for (const f of ['uses', 'minutes', 'validityDays', 'fixedValidUntil'] as const) forbid(f, 'for a period card (the period is its validity)');
  } else {
    need('minutes', 'for a time card');
    for (const f of ['uses', 'periodDays', 'dailyLimit'] as const) forbid(f, 'for a time card');
  }
  if (t.validityDays != null && t.fixedValidUntil != null) {
    problems.push({ field: 'fixedValidUntil', errors: ['give either validityDays or fixedValidUntil, not both'] });
  }
  return problems;
}

/** The balance a sale credits: uses for count cards, minutes for time cards, none for period cards. */
export function unitsOnSale(t: { kind: CountCardKind; uses: number | null; minutes: number | null }): number | null {
  if (t.kind === 'count') return t.uses;
  if (t.kind === 'time') return t.minutes;
  return null;
}

/** Days a sold card lasts from the business day of sale, if it has a relative validity. */
export function validityDaysOf(t: { kind: CountCardKind; periodDays: number | null; validityDays: number | null }): number | null {
  return t.kind === 'period' ? t.periodDays : t.validityDays;
}

/**
 * Why a card cannot be used now, or null when it can. Expiry is decided by valid_until itself, so
 * a card is refused from its end instant on, whether or not the expiry job has marked it yet.
 */
export function usabilityProblem(card: { status: CountCardStatus; validUntil: Date | null }, now: Date): ErrorCode | null {
  if (card.status === 'refunded') return 'COUNT_CARD_REFUNDED';
  if (card.status === 'expired' || (card.validUntil && now.getTime() >= card.validUntil.getTime())) return 'COUNT_CARD_EXPIRED';
  if (card.status === 'used_up') return 'COUNT_CARD_NO_USES_LEFT';
  return null;
}

/** Minutes of a timed session: every started minute counts (rounded up), and a session is at least one. */
export function timerMinutes(startedAt: Date, stoppedAt: Date): number {
  const ms = Math.max(0, stoppedAt.getTime() - startedAt.getTime());
  return Math.max(1, Math.ceil(ms / 60_000));
}

/** Bills what the card still holds; the rest is shortfall that the checkout charges. */
export function billTimer(minutesUsed: number, minutesLeft: number): { billed: number; shortfall: number } {
  const billed = Math.min(minutesUsed, Math.max(0, minutesLeft));
  return { billed, shortfall: minutesUsed - billed };
}
