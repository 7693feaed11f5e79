import { locale } from './i18n';

// Ledger reasons as members read them; unknown reasons show as sent.
const zh: Record<string, string> = {
  top_up: '充值', topup: '充值', top_up_bonus: '充值赠送', spend: '消费', spend_reversal: '消费撤销', refund: '退款',
  opening_balance: '期初余额', adjustment: '调整', earn: '消费积分', earn_reversal: '积分撤销', redeem: '积分兑换',
  redemption: '积分兑换', redemption_cancel: '兑换取消', expire: '积分过期', exchange: '积分换储值', referral: '推荐奖励', review: '评价奖励',
  import: '导入', bonus_instalment: '分期赠送', card_refund: '退卡',
};

export function reasonText(reason: string): string {
  return locale() === 'en' ? reason.replace(/_/g, ' ') : zh[reason] ?? reason;
}
