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

/** A day off (请假, whole day or part of it) or time added (加班) to a staff member's weekly schedule. */
export const SCHEDULE_EXCEPTION_KINDS = ['leave', 'extra'] as const;
export type ScheduleExceptionKind = (typeof SCHEDULE_EXCEPTION_KINDS)[number];

/**
 * Booking (预约) states. pending → confirmed → arrived → completed; pending/confirmed → cancelled
 * or no_show; arrived → cancelled (left before being served). Active (holding the technician's
 * time): pending, confirmed, arrived.
 */
export const BOOKING_STATUSES = ['pending', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const ACTIVE_BOOKING_STATUSES = ['pending', 'confirmed', 'arrived'] as const satisfies readonly BookingStatus[];

export const BOOKING_SOURCES = ['member', 'staff'] as const;
export type BookingSource = (typeof BOOKING_SOURCES)[number];

/** A booking deposit (定金) paid from stored value: held, returned to stored value, or kept on a no-show. */
export const BOOKING_DEPOSIT_STATUSES = ['none', 'held', 'returned', 'forfeited'] as const;
export type BookingDepositStatus = (typeof BOOKING_DEPOSIT_STATUSES)[number];

/** A walk-in's queue number (排队号): waiting → called → served, or skipped (过号) / cancelled. */
export const QUEUE_TICKET_STATUSES = ['waiting', 'called', 'served', 'skipped', 'cancelled'] as const;
export type QueueTicketStatus = (typeof QUEUE_TICKET_STATUSES)[number];

/** What earns commission (提成): services and products sold, count cards sold, top-ups, cards issued (办卡). */
export const COMMISSION_SOURCES = ['service', 'product', 'count_card', 'top_up', 'card_issue'] as const;
export type CommissionSource = (typeof COMMISSION_SOURCES)[number];

/** fixed: an amount per unit; percent: basis points of the amount sold. */
export const COMMISSION_MODES = ['fixed', 'percent'] as const;
export type CommissionMode = (typeof COMMISSION_MODES)[number];

/** Several staff on one sale: share one commission between them, or each earns it in full. */
export const COMMISSION_SPLITS = ['share', 'each'] as const;
export type CommissionSplit = (typeof COMMISSION_SPLITS)[number];

export const WAGE_ADJUSTMENT_KINDS = ['bonus', 'deduction'] as const;
export type WageAdjustmentKind = (typeof WAGE_ADJUSTMENT_KINDS)[number];

export const PAYROLL_MONTH_STATUSES = ['open', 'closed'] as const;
export type PayrollMonthStatus = (typeof PAYROLL_MONTH_STATUSES)[number];

/** A staff member's day at a store, against the schedule: off, worked as planned, late, left early, both, absent, or worked unscheduled. */
export const ATTENDANCE_DAY_STATUSES = ['off', 'normal', 'late', 'early', 'late_and_early', 'absent', 'unscheduled', 'upcoming'] as const;
export type AttendanceDayStatus = (typeof ATTENDANCE_DAY_STATUSES)[number];
