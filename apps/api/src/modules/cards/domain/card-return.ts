import { applyBps, assertFen } from '@chaincard/shared';

export interface ReturnRule {
  /** Fee kept by the chain, in basis points of the principal. */
  feeBps: number;
  /** Whether the bonus balance is forfeited. */
  forfeitBonus: boolean;
}

export interface ReturnAmounts {
  principalFen: number;
  feeFen: number;
  /** Paid out to the member: principal minus fee. */
  refundFen: number;
  /** Bonus taken out of the wallet (0 when the rule keeps the bonus). */
  bonusForfeitedFen: number;
}

/**
 * The money of a card return (退卡): the whole principal leaves the wallet; the fee is rounded
 * down (floor), so that rounding never costs the member a fen; the refund is the rest, so
 * fee + refund = principal exactly. The bonus was never paid for and is forfeited by default.
 */
export function returnAmounts(principalFen: number, bonusFen: number, rule: ReturnRule): ReturnAmounts {
  assertFen(principalFen, 'principalFen');
  assertFen(bonusFen, 'bonusFen');
  const feeFen = applyBps(principalFen, rule.feeBps, 'floor');
  return { principalFen, feeFen, refundFen: principalFen - feeFen, bonusForfeitedFen: rule.forfeitBonus ? bonusFen : 0 };
}
