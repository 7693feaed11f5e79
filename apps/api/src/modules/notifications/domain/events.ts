/**
 * What ChainCard tells members about (消息通知), as data: each event has a kind (what a member opts
 * out of), the variables its templates may use and a default zh-CN text for channels that send
 * free text (e-mail, and the log SMS provider). WeChat subscribe messages and Aliyun/Tencent SMS
 * need templates approved by WeChat or the SMS provider, configured per chain (notification_template).
 */
export const CHANNELS = ['wechat', 'sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const EVENT_KINDS = ['balance', 'points', 'birthday', 'expiry', 'booking', 'stock'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const EVENT_KIND_NAMES: Record<EventKind, string> = {
  balance: '储值变动与消费',
  points: '积分变动',
  birthday: '生日祝福',
  expiry: '到期提醒',
  booking: '预约通知',
  stock: '库存预警（店长）',
};

export interface EventDefinition {
  kind: EventKind;
  /** zh-CN name shown in the console. */
  name: string;
  /** Variables a template may use as {{name}}, with what they hold. */
  variables: Record<string, string>;
  subject: string;
  body: string;
}

/** Every event has these, filled in when the message is sent. */
export const COMMON_VARIABLES: Record<string, string> = {
  memberName: '会员姓名',
  memberNo: '会员号',
  storeName: '门店名称',
  chainName: '品牌名称',
  time: '事件时间（门店时区，yyyy-MM-dd HH:mm）',
};

const balance = {
  amountYuan: '变动金额（元，不带符号）',
  balanceYuan: '变动后储值余额（本金 + 赠送金，元）',
  reasonText: '变动原因',
};

export const EVENTS = {
  'wallet.top_up': {
    kind: 'balance',
    name: '充值成功',
    variables: { ...balance, bonusYuan: '赠送金额（元）', bonusPoints: '赠送积分' },
    subject: '充值成功通知',
    body: '{{memberName}}您好，您于{{time}}在{{storeName}}充值{{amountYuan}}元，赠送{{bonusYuan}}元，当前储值余额{{balanceYuan}}元。',
  },
  'wallet.spend': {
    kind: 'balance',
    name: '储值消费',
    variables: balance,
    subject: '储值消费通知',
    body: '{{memberName}}您好，您于{{time}}在{{storeName}}使用储值消费{{amountYuan}}元，当前储值余额{{balanceYuan}}元。',
  },
  'wallet.refund': {
    kind: 'balance',
    name: '储值退款',
    variables: { ...balance, directionText: '退回 或 扣除' },
    subject: '储值退款通知',
    body: '{{memberName}}您好，您的储值于{{time}}因{{reasonText}}{{directionText}}{{amountYuan}}元，当前储值余额{{balanceYuan}}元。',
  },
  'wallet.changed': {
    kind: 'balance',
    name: '储值变动',
    variables: { ...balance, changeYuan: '带符号的变动金额（元），如 +20.00' },
    subject: '储值变动通知',
    body: '{{memberName}}您好，您的储值于{{time}}{{reasonText}}{{changeYuan}}元，当前储值余额{{balanceYuan}}元。',
  },
  'points.changed': {
    kind: 'points',
    name: '积分变动',
    variables: { pointsChange: '带符号的积分变动，如 +120', pointsBalance: '变动后积分', reasonText: '变动原因' },
    subject: '积分变动通知',
    body: '{{memberName}}您好，您的积分于{{time}}{{reasonText}}{{pointsChange}}分，当前积分{{pointsBalance}}分。',
  },
  'member.birthday': {
    kind: 'birthday',
    name: '生日祝福',
    variables: { benefitText: '生日礼遇说明，如“已赠送 200 积分”', benefitPoints: '赠送积分（无则为 0）' },
    subject: '生日快乐',
    body: '{{memberName}}，祝您生日快乐！{{benefitText}}',
  },
  'membership.expiring': {
    kind: 'expiry',
    name: '会员到期提醒',
    variables: { expiryDate: '到期日（yyyy-MM-dd）', daysLeft: '剩余天数' },
    subject: '会员即将到期',
    body: '{{memberName}}您好，您的会员资格将于{{expiryDate}}到期（剩余{{daysLeft}}天），请及时续期。',
  },
  'points.expiring': {
    kind: 'expiry',
    name: '积分到期提醒',
    variables: { points: '即将过期的积分', expiryDate: '过期日（yyyy-MM-dd）', daysLeft: '剩余天数' },
    subject: '积分即将过期',
    body: '{{memberName}}您好，您有{{points}}积分将于{{expiryDate}}过期，请尽快使用。',
  },
  'coupon.expiring': {
    kind: 'expiry',
    name: '优惠券到期提醒',
    variables: { couponName: '优惠券名称', expiryDate: '到期日（yyyy-MM-dd）', daysLeft: '剩余天数' },
    subject: '优惠券即将到期',
    body: '{{memberName}}您好，您的优惠券「{{couponName}}」将于{{expiryDate}}到期，请尽快使用。',
  },
  'booking.confirmed': {
    kind: 'booking',
    name: '预约成功',
    variables: { serviceName: '服务项目', startTime: '开始时间（yyyy-MM-dd HH:mm）', staffName: '服务人员（可为空）' },
    subject: '预约成功',
    body: '{{memberName}}您好，您已成功预约{{storeName}}的{{serviceName}}，时间：{{startTime}}。',
  },
  'booking.reminder': {
    kind: 'booking',
    name: '预约提醒',
    variables: { serviceName: '服务项目', startTime: '开始时间（yyyy-MM-dd HH:mm）', staffName: '服务人员（可为空）' },
    subject: '预约提醒',
    body: '{{memberName}}您好，您预约的{{serviceName}}将于{{startTime}}在{{storeName}}开始，期待您的光临。',
  },
  // To staff, not members: the store's managers (inventory.alert) when an item falls to its alert line.
  'stock.low': {
    kind: 'stock',
    name: '库存预警',
    variables: { productName: '商品名称（含规格）', quantity: '当前库存', minQuantity: '预警线' },
    subject: '库存预警',
    body: '{{memberName}}您好，{{storeName}}的{{productName}}库存仅剩{{quantity}}，已达到预警线{{minQuantity}}，请及时补货。',
  },
} satisfies Record<string, EventDefinition>;

export type NotificationEvent = keyof typeof EVENTS;
export const EVENT_NAMES = Object.keys(EVENTS) as NotificationEvent[];

export function isEvent(value: string): value is NotificationEvent {
  return Object.prototype.hasOwnProperty.call(EVENTS, value);
}

export function eventDefinition(event: NotificationEvent): EventDefinition {
  return EVENTS[event];
}

/** Every variable a template of the event may name. */
export function variablesOf(event: NotificationEvent): string[] {
  return [...Object.keys(COMMON_VARIABLES), ...Object.keys(EVENTS[event].variables)];
}

/** Opt-out rows name a channel or 'all', and a kind or 'all'. */
export const OPT_OUT_CHANNELS = [...CHANNELS, 'all'] as const;
export type OptOutChannel = (typeof OPT_OUT_CHANNELS)[number];
/** What a member may opt out of: the member-facing kinds (staff alerts such as stock are not theirs). */
export const OPT_OUT_KINDS = ['balance', 'points', 'birthday', 'expiry', 'booking', 'all'] as const;
export type OptOutKind = (typeof OPT_OUT_KINDS)[number];

export function optedOut(optOuts: readonly { channel: OptOutChannel; kind: OptOutKind }[], channel: Channel, kind: EventKind): boolean {
  return optOuts.some((o) => (o.channel === channel || o.channel === 'all') && (o.kind === kind || o.kind === 'all'));
}
