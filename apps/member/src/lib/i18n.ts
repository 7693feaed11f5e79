import Taro from '@tarojs/taro';
import type { Locale } from '@chaincard/shared';

// zh-CN first; English for members whose phone is set to English.
const zh = {
  'tab.card': '会员卡', 'tab.mall': '积分商城', 'tab.mine': '我的',
  loading: '加载中…', empty: '暂无记录', retry: '重试', 'error.generic': '加载失败',
  'card.no': '卡号', 'card.tier': '等级', 'card.noTier': '普通会员',
  'balance.total': '储值余额', 'balance.principal': '本金', 'balance.bonus': '赠送',
  points: '积分', coupons: '优惠券', countCards: '次卡',
  'code.title': '会员码', 'code.hint': '向收银员出示此码', 'code.refreshIn': '{s} 秒后刷新', 'code.refresh': '刷新',
  'wallet.title': '余额明细', 'points.title': '积分明细', 'coupons.title': '我的优惠券', 'countCards.title': '我的次卡',
  'countCards.left': '剩余 {n} {unit}', 'validUntil': '有效期至 {d}', 'noExpiry': '长期有效',
  'mall.title': '积分商城', 'mall.exchange': '兑换', 'mall.points': '{n} 积分', 'mall.stock': '库存 {n}',
  'mall.confirm': '确认用 {n} 积分兑换「{name}」？', 'mall.done': '兑换成功', 'mall.pickup': '取货码',
  'mall.mine': '我的兑换', 'mall.soldOut': '已兑完',
  'login.title': '会员登录', 'login.wechat': '微信一键登录', 'login.link': '请从门店二维码或会员链接进入',
  'login.signedOut': '已退出登录', logout: '退出登录',
  'mine.title': '我的', 'status.unused': '未使用', 'status.used': '已使用', 'status.expired': '已过期', 'status.voided': '已作废',
  'redemption.pending': '待取货', 'redemption.fulfilled': '已取货', 'redemption.cancelled': '已取消',
  'coupon.threshold': '满 {t} 可用', 'coupon.noThreshold': '无门槛',
  'unit.uses': '次', 'unit.minutes': '分钟', 'unit.days': '天', 'coupon.rate': '{r}折',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  'tab.card': 'Card', 'tab.mall': 'Points mall', 'tab.mine': 'Me',
  loading: 'Loading…', empty: 'Nothing here yet', retry: 'Retry', 'error.generic': 'Could not load',
  'card.no': 'Card no.', 'card.tier': 'Tier', 'card.noTier': 'Member',
  'balance.total': 'Balance', 'balance.principal': 'Principal', 'balance.bonus': 'Bonus',
  points: 'Points', coupons: 'Coupons', countCards: 'Count cards',
  'code.title': 'Member code', 'code.hint': 'Show this code at the counter', 'code.refreshIn': 'Refreshes in {s} s', 'code.refresh': 'Refresh',
  'wallet.title': 'Balance history', 'points.title': 'Points history', 'coupons.title': 'My coupons', 'countCards.title': 'My count cards',
  'countCards.left': '{n} {unit} left', validUntil: 'Valid until {d}', noExpiry: 'No expiry',
  'mall.title': 'Points mall', 'mall.exchange': 'Exchange', 'mall.points': '{n} points', 'mall.stock': '{n} in stock',
  'mall.confirm': 'Exchange {n} points for “{name}”?', 'mall.done': 'Exchanged', 'mall.pickup': 'Pickup code',
  'mall.mine': 'My exchanges', 'mall.soldOut': 'Sold out',
  'login.title': 'Member sign-in', 'login.wechat': 'Sign in with WeChat', 'login.link': 'Open this app from a store QR code or a member link',
  'login.signedOut': 'Signed out', logout: 'Sign out',
  'mine.title': 'Me', 'status.unused': 'Unused', 'status.used': 'Used', 'status.expired': 'Expired', 'status.voided': 'Voided',
  'redemption.pending': 'To pick up', 'redemption.fulfilled': 'Picked up', 'redemption.cancelled': 'Cancelled',
  'coupon.threshold': 'Spend {t} or more', 'coupon.noThreshold': 'No minimum',
  'unit.uses': 'uses', 'unit.minutes': 'minutes', 'unit.days': 'days', 'coupon.rate': '{r}% of the price',
};

let current: Locale | null = null;

export function locale(): Locale {
  if (current) return current;
  let lang = 'zh-CN';
  try {
    lang = (Taro.getStorageSync('locale') as string) || Taro.getSystemInfoSync().language || 'zh-CN';
  } catch {
    /* storage unavailable: stay on zh-CN */
  }
  current = lang.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
  return current;
}

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = (locale() === 'en' ? en : zh)[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export type MessageKey = Key;
