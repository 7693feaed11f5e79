import type { TradeState } from './domain/pay-errors';

/**
 * The WeChat Pay adapter the rest of the module talks to (one implementation: WechatPayV3Client,
 * over wechatpay-node-v3). Every answer it hands back had a valid platform signature; every
 * notification it parses was signed, fresh and decrypted with its GCM tag checked.
 */
export interface WechatPayGateway {
  readonly mchid: string;
  readonly appId: string;
  /** JSAPI / mini-program order (统一下单); the same order placed again answers the same prepay_id. */
  jsapiPrepay(input: { outTradeNo: string; description: string; amountFen: number; openid: string; expiresAt: Date; attach?: string }): Promise<{ prepayId: string }>;
  /** The parameters of wx.requestPayment, signed with the merchant key (paySign). */
  requestPaymentParams(prepayId: string): RequestPaymentParams;
  /** Payment-code payment (付款码支付, POST /v3/pay/transactions/codepay). */
  codepay(input: { outTradeNo: string; description: string; amountFen: number; authCode: string; storeId: string; deviceId?: string }): Promise<CodepayOutcome>;
  /** Null when WeChat has no such order (ORDER_NOT_EXIST, verified). */
  query(outTradeNo: string): Promise<PayTransaction | null>;
  /** Closes an unpaid order; 'paid' when WeChat says it was paid meanwhile. */
  close(outTradeNo: string): Promise<'closed' | 'paid' | 'user_paying'>;
  /** Reverses (撤销) a payment-code order: closes it, or gives the money back if it was paid. */
  reverse(outTradeNo: string): Promise<void>;
  refund(input: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason: string }): Promise<PayRefund>;
  queryRefund(outRefundNo: string): Promise<PayRefund | null>;
  /** A refund that ended ABNORMAL (e.g. the payer's card was closed) is sent again (异常退款). */
  applyAbnormalRefund(refundId: string, outRefundNo: string): Promise<PayRefund>;
  /** The trade bill of a Beijing day as CSV (its SHA1 checked), or null when WeChat has none (NO_STATEMENT_EXIST). */
  tradeBill(billDate: string): Promise<string | null>;
  /** Verifies, checks freshness and decrypts a notification (支付/退款结果通知); throws NotificationRejected. */
  parseNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<PayNotification>;
}

export const WECHAT_PAY_GATEWAY = Symbol('WECHAT_PAY_GATEWAY');

export interface RequestPaymentParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** A transaction as WeChat answers it (query, codepay, payment notification). */
export interface PayTransaction {
  appid: string;
  mchid: string;
  outTradeNo: string;
  transactionId: string | null;
  tradeType: string | null;
  tradeState: TradeState | 'UNKNOWN';
  tradeStateDesc: string | null;
  successTime: string | null;
  payerOpenid: string | null;
  totalFen: number | null;
  payerTotalFen: number | null;
  currency: string | null;
}

export type CodepayOutcome =
  | { status: 'paid'; transaction: PayTransaction }
  /** 202 USERPAYING / USER_PAYING: the payer must enter the password; poll the order. */
  | { status: 'user_paying' };

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface PayRefund {
  refundId: string | null;
  outRefundNo: string;
  outTradeNo: string | null;
  transactionId: string | null;
  status: RefundStatus | 'UNKNOWN';
  refundFen: number | null;
  successTime: string | null;
  userReceivedAccount: string | null;
}

export type PayNotification =
  | { id: string; eventType: string; kind: 'transaction'; transaction: PayTransaction; createTime: string | null }
  | { id: string; eventType: string; kind: 'refund'; refund: PayRefund & { mchid: string }; createTime: string | null }
  | { id: string; eventType: string; kind: 'other'; createTime: string | null };

/** An error answer of WeChat Pay, code folded to one spelling (domain/pay-errors.ts). */
export class WechatPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** False when the answer carried no platform signature: never act on it beyond "try again". */
    readonly verified: boolean,
    readonly detail: unknown = null,
  ) {
    super(`WeChat Pay ${status} ${code}: ${message}`);
  }
}

/** The answer's signature failed, was missing, stale or a probe: treat like no answer at all. */
export class WechatPaySignatureError extends Error {}

/** Why a notification was refused (answered with an error status so WeChat sends it again). */
export class NotificationRejected extends Error {
  constructor(readonly reason: 'missing_headers' | 'signtest' | 'stale' | 'unknown_serial' | 'bad_signature' | 'malformed' | 'decryption_failed') {
    super(`notification refused: ${reason}`);
  }
}
