/** String-literal unions shared by the API and the apps. */
export const STORE_STATUSES = ['open', 'paused', 'closed'] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

export const STAFF_STATUSES = ['active', 'disabled'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

export type ActorKind = 'staff' | 'member' | 'system';

export const GENDERS = ['male', 'female', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/**
 * pending: signed in through WeChat but not yet a member (no phone number bound; 待激活).
 * anonymised: deleted on request (PIPL): the profile is blanked, the ledgers stay. merged: folded into another member.
 */
export const MEMBER_STATUSES = ['active', 'pending', 'frozen', 'anonymised', 'merged'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * How money is taken at the counter (收款方式). Shifts total their takings by these; receipts
 * print them. points and coupon are counted in the fen they took off the bill.
 */
export const PAYMENT_METHODS = ['cash', 'bank_card', 'wechat', 'stored_value', 'points', 'coupon', 'count_card'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, { zh: string; en: string }> = {
  cash: { zh: '现金', en: 'Cash' },
  bank_card: { zh: '银行卡', en: 'Bank card' },
  wechat: { zh: '微信支付', en: 'WeChat Pay' },
  stored_value: { zh: '储值', en: 'Stored value' },
  points: { zh: '积分抵现', en: 'Points' },
  coupon: { zh: '优惠券', en: 'Coupon' },
  count_card: { zh: '次卡', en: 'Count card' },
};

export const SHIFT_STATUSES = ['open', 'closed'] as const;
export type ShiftStatus = (typeof SHIFT_STATUSES)[number];

/** Cash put into (备用金补充) or taken out of (取款, 存银行) the drawer during a shift. */
export const CASH_MOVEMENT_KINDS = ['cash_in', 'cash_out'] as const;
export type CashMovementKind = (typeof CASH_MOVEMENT_KINDS)[number];
