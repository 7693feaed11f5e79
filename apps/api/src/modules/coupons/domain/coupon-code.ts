import { randomInt } from 'node:crypto';

/**
 * Coupon codes (券码) are read aloud and typed at the counter: ten characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L), 31^10 ≈ 8 × 10^14 codes, so a guess hits one of a million
 * issued coupons about once in 800 million tries. A unique index decides; a collision draws again.
 */
export const COUPON_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const COUPON_CODE_LENGTH = 10;

export function newCouponCode(draw: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < COUPON_CODE_LENGTH; i++) code += COUPON_CODE_ALPHABET[draw(COUPON_CODE_ALPHABET.length)];
  return code;
}

/** A code as typed or scanned: case, spaces and dashes do not matter. Null when it cannot be a code. */
export function normaliseCouponCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== COUPON_CODE_LENGTH) return null;
  for (const ch of code) if (!COUPON_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
