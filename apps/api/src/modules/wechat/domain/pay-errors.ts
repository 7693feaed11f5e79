// WeChat Pay error codes. WeChat mixes spellings across API versions and documents both for some
// calls (ORDERNOTEXIST / ORDER_NOT_EXIST, USERPAYING / USER_PAYING, NOTENOUGH / NOT_ENOUGH, …): we
// fold every spelling to one canonical code before deciding anything on it.

const ALIASES: Record<string, string> = {
  ORDERNOTEXIST: 'ORDER_NOT_EXIST',
  USERPAYING: 'USER_PAYING',
  NOTENOUGH: 'NOT_ENOUGH',
  ORDERPAID: 'ORDER_PAID',
  ORDERCLOSED: 'ORDER_CLOSED',
  ORDERREVERSED: 'ORDER_REVERSED',
  SYSTEMERROR: 'SYSTEM_ERROR',
  BANKERROR: 'BANK_ERROR',
  AUTHCODEEXPIRE: 'AUTH_CODE_EXPIRE',
  AUTH_CODE_ERROR: 'AUTH_CODE_INVALID',
  AUTHCODEINVALID: 'AUTH_CODE_INVALID',
  BUYER_MISMATCH: 'BUYER_MISMATCH',
  FREQUENCYLIMITED: 'FREQUENCY_LIMITED',
  FREQUENCY_LIMIT_EXCEED: 'FREQUENCY_LIMITED',
  RESOURCENOTEXISTS: 'RESOURCE_NOT_EXISTS',
};

export function canonicalPayCode(code: string | null | undefined): string {
  if (!code) return 'UNKNOWN';
  const upper = code.trim().toUpperCase();
  return ALIASES[upper] ?? upper;
}

/** Codes after which the same request may succeed later: the outcome is unknown, ask again. */
export const TRANSIENT_PAY_CODES = new Set(['SYSTEM_ERROR', 'BANK_ERROR', 'FREQUENCY_LIMITED', 'USER_PAYING', 'UNKNOWN']);

/** Trade states of a transaction (trade_state). */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

/** A trade_state as WeChat spells it, folded like error codes (USER_PAYING appears in some answers). */
export function canonicalTradeState(state: string | null | undefined): TradeState | 'UNKNOWN' {
  const s = (state ?? '').trim().toUpperCase().replace(/_/g, '');
  const known: TradeState[] = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'];
  return (known as string[]).includes(s) ? (s as TradeState) : 'UNKNOWN';
}
