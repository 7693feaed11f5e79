import { allocateFen } from '@chaincard/shared';
import type { ConsumptionOrder, RefundPolicy } from '../entities/wallet.entity';

export interface WalletBalances {
  principalFen: number;
  bonusFen: number;
}

/**
 * How a spend of `amountFen` is taken from principal (本金) and bonus (赠送金), or null when the
 * two together are short. proportional splits by the current balances with allocateFen (largest
 * remainder, ties to principal), so neither part can exceed its balance and the sum is exact.
 */
export function splitSpend(amountFen: number, balances: WalletBalances, order: ConsumptionOrder): WalletBalances | null {
  const { principalFen, bonusFen } = balances;
  if (amountFen > principalFen + bonusFen) return null;
  if (order === 'bonus_first') {
    const bonus = Math.min(bonusFen, amountFen);
    return { principalFen: amountFen - bonus, bonusFen: bonus };
  }
  if (order === 'principal_first') {
    const principal = Math.min(principalFen, amountFen);
    return { principalFen: principal, bonusFen: amountFen - principal };
  }
  const [principal, bonus] = allocateFen(amountFen, [principalFen, bonusFen]);
  return { principalFen: principal, bonusFen: bonus };
}

/**
 * The part of a partially reversed spend that goes back: what is left to reverse of each part, in
 * proportion (allocateFen, ties to principal); all of it when the whole rest is reversed.
 */
export function splitReversal(amountFen: number, left: WalletBalances): WalletBalances {
  if (amountFen === left.principalFen + left.bonusFen) return { ...left };
  const [principal, bonus] = allocateFen(amountFen, [left.principalFen, left.bonusFen]);
  return { principalFen: principal, bonusFen: bonus };
}

export interface RefundInput {
  /** The top-up's principal. */
  amountFen: number;
  /** Bonus of the top-up already released into the wallet (instalments not yet due are cancelled). */
  releasedBonusFen: number;
  balances: WalletBalances;
  policy: RefundPolicy;
}

export type RefundPlan =
  | { ok: true; principalDebitFen: number; bonusDebitFen: number; cashFen: number; deductedFen: number }
  | { ok: false; code: 'WALLET_TOP_UP_PRINCIPAL_SPENT' | 'WALLET_TOP_UP_BONUS_SPENT' };

/**
 * What a top-up refund takes out of the wallet and hands back (退充值).
 *
 * The whole principal leaves the wallet, so the principal balance must still hold it. The released
 * bonus comes back out of the bonus balance; when less than that is left (bonus already spent):
 * `refuse` refuses, `deduct_from_refund` takes what bonus is left and keeps the spent part out of
 * the money handed back (cash = principal − spent bonus), refusing only when that would go below 0.
 */
export function planRefund(input: RefundInput): RefundPlan {
  const { amountFen, releasedBonusFen, balances, policy } = input;
  if (balances.principalFen < amountFen) return { ok: false, code: 'WALLET_TOP_UP_PRINCIPAL_SPENT' };
  const bonusDebitFen = Math.min(releasedBonusFen, balances.bonusFen);
  const deductedFen = releasedBonusFen - bonusDebitFen;
  if (deductedFen > 0 && (policy === 'refuse' || deductedFen > amountFen)) return { ok: false, code: 'WALLET_TOP_UP_BONUS_SPENT' };
  return { ok: true, principalDebitFen: amountFen, bonusDebitFen, cashFen: amountFen - deductedFen, deductedFen };
}
