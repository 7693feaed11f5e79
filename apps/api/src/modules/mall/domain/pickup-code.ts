import { randomInt } from 'node:crypto';

/** Digits of a pickup code (核销码): short enough to read out, unique among open redemptions. */
export const PICKUP_CODE_DIGITS = 8;
export const PICKUP_CODE_FORMAT = /^\d{6,8}$/;

/** A uniformly random code; the caller retries on the rare collision with an open redemption. */
export function newPickupCode(): string {
  return String(randomInt(0, 10 ** PICKUP_CODE_DIGITS)).padStart(PICKUP_CODE_DIGITS, '0');
}
