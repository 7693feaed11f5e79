/**
 * Which notice one ledger posting makes for one member (储值/积分变动通知). A posting is one
 * business operation (a top-up, a spend, a refund, an earning, an expiry…), so a member gets at
 * most one notice per posting, chosen in this order:
 *   1. a wallet leg of reason top_up → wallet.top_up (its bonus and bonus points are in it);
 *   2. a wallet leg of reason spend → wallet.spend;
 *   3. a wallet leg of a refund reason → wallet.refund;
 *   4. any points leg → points.changed (a points exchange also names the stored value it bought);
 *   5. any other wallet leg → wallet.changed (bonus instalments released, …).
 * Count-card legs notify nothing here. Postings that move balances for bookkeeping rather than for
 * the member (opening balances of an import, a merge, a deletion) or whose own notice already
 * tells of them (the birthday greeting's points) notify nothing.
 */
export interface PostedLeg {
  kind: 'wallet_principal' | 'wallet_bonus' | 'points' | 'count_card';
  amount: number;
  reason: string;
  balanceAfter: number;
}

export type LedgerNotice =
  | {
      event: 'wallet.top_up' | 'wallet.spend' | 'wallet.refund' | 'wallet.changed';
      data: {
        amountFen: number;
        changeFen: number;
        bonusFen: number;
        bonusPoints: number;
        reason: string;
        reasonText: string;
        directionText: string;
      };
    }
  | { event: 'points.changed'; data: { pointsChange: number; pointsBalance: number; walletChangeFen: number; reason: string; reasonText: string } };

export const SILENT_REASONS = new Set(['opening_balance', 'merge_in', 'merge_out', 'forfeit_on_deletion']);
export const SILENT_REF_TYPES = new Set(['member_import', 'member_merge', 'member_deletion', 'birthday_greeting']);

const REFUND_REASONS = new Set(['spend_reversal', 'top_up_refund', 'card_return', 'card_return_forfeit']);

export const REASON_TEXT: Record<string, string> = {
  top_up: '充值',
  top_up_bonus: '充值赠送',
  spend: '消费',
  spend_reversal: '消费撤销',
  top_up_refund: '充值退款',
  card_return: '退卡',
  card_return_forfeit: '退卡',
  bonus_instalment: '分期赠送金到账',
  points_exchange: '积分兑换',
  earn: '消费获得',
  earn_reversal: '退款扣回',
  referral: '推荐奖励',
  review: '评价奖励',
  adjust: '人工调整',
  exchange: '兑换储值',
  redeem: '兑换礼品',
  redeem_cancel: '礼品兑换取消退回',
  expire: '过期',
  birthday: '生日礼遇',
};

export function ledgerNotice(refType: string, legs: readonly PostedLeg[]): LedgerNotice | null {
  if (SILENT_REF_TYPES.has(refType)) return null;
  const live = legs.filter((l) => l.kind !== 'count_card' && l.amount !== 0 && !SILENT_REASONS.has(l.reason));
  if (!live.length) return null;
  const wallet = live.filter((l) => l.kind === 'wallet_principal' || l.kind === 'wallet_bonus');
  const points = live.filter((l) => l.kind === 'points');
  const sum = (ls: readonly PostedLeg[]) => ls.reduce((s, l) => s + l.amount, 0);
  const changeFen = sum(wallet);
  const pointsChange = sum(points);
  const text = (reason: string) => REASON_TEXT[reason] ?? '变动';

  type WalletEvent = 'wallet.top_up' | 'wallet.spend' | 'wallet.refund' | 'wallet.changed';
  const walletNotice = (event: WalletEvent, reason: string, amountFen = Math.abs(changeFen)): LedgerNotice => {
    const topUp = event === 'wallet.top_up';
    return {
      event,
      data: {
        amountFen,
        changeFen,
        bonusFen: topUp ? sum(wallet.filter((l) => l.kind === 'wallet_bonus' && l.amount > 0)) : 0,
        bonusPoints: topUp ? Math.max(pointsChange, 0) : 0,
        reason,
        reasonText: text(reason),
        directionText: changeFen >= 0 ? '退回' : '扣除',
      },
    };
  };

  const principal = wallet.filter((l) => l.reason === 'top_up');
  if (principal.length) return walletNotice('wallet.top_up', 'top_up', Math.abs(sum(principal)));
  if (wallet.some((l) => l.reason === 'spend')) return walletNotice('wallet.spend', 'spend');
  const refund = wallet.find((l) => REFUND_REASONS.has(l.reason));
  if (refund) return walletNotice('wallet.refund', refund.reason);
  if (points.length && pointsChange !== 0) {
    return {
      event: 'points.changed',
      data: {
        pointsChange,
        // Legs of one account are posted in order, so the last points leg holds the balance after.
        pointsBalance: points[points.length - 1].balanceAfter,
        walletChangeFen: changeFen,
        reason: points[0].reason,
        reasonText: text(points[0].reason),
      },
    };
  }
  if (changeFen === 0) return null;
  return walletNotice('wallet.changed', wallet[0].reason);
}
