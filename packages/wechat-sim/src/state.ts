// The simulator's whole world, kept in memory as plain JSON-able data so it can be written to a
// file and read back (keys included: a restarted simulator keeps the merchant's trust).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type PlatformMode = 'certificate' | 'public_key';

export interface PlatformCertificate {
  serialNo: string;
  certificatePem: string;
  privateKeyPem: string;
  effectiveAt: number;
  expireAt: number;
}

export interface PlatformPublicKey {
  /** `PUB_KEY_ID_…`, sent as Wechatpay-Serial in public-key mode. */
  id: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

export interface MerchantCertificate {
  serialNo: string;
  certificatePem: string;
  publicKeyPem: string;
}

export type RefundOutcome = 'SUCCESS' | 'ABNORMAL' | 'CLOSED' | 'PROCESSING';
export type ResponseTamper = 'forged' | 'signtest' | 'wrong_serial' | 'stale';

export interface Merchant {
  mchid: string;
  name: string;
  appids: string[];
  apiV3Key: string;
  certificates: MerchantCertificate[];
  platformMode: PlatformMode;
  /** Oldest first; the newest signs. */
  platformCertificates: PlatformCertificate[];
  platformPublicKey: PlatformPublicKey;
  /** Funds refunds can draw on; null = unlimited. */
  balanceFen: number | null;
  /** Fee rate in basis points (60 = 0.60%), printed in the bill. */
  feeRateBps: number;
  /** The refund notify URL configured on the merchant platform, used when a refund names none. */
  refundNotifyUrl: string | null;
  /** Outcomes the next refunds take, consumed first in first out; empty = refundOutcome option. */
  refundOutcomes: RefundOutcome[];
  /** Tampering applied to the next pay API responses, consumed first in first out. */
  responseTampers: ResponseTamper[];
}

export type TradeState = 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'REVOKED' | 'PAYERROR';
export type TradeType = 'JSAPI' | 'MICROPAY';

export interface Order {
  mchid: string;
  appid: string;
  outTradeNo: string;
  tradeType: TradeType;
  description: string;
  attach: string | null;
  goodsTag: string | null;
  notifyUrl: string | null;
  totalFen: number;
  currency: string;
  payerOpenid: string | null;
  authCode: string | null;
  prepayId: string | null;
  prepayExpiresAt: number | null;
  timeExpire: number | null;
  sceneInfo: unknown;
  /** Canonical JSON of the fields that make a repeated create "the same order". */
  fingerprint: string;
  state: TradeState;
  stateDesc: string | null;
  transactionId: string | null;
  bankType: string | null;
  createdAt: number;
  successAt: number | null;
  closedAt: number | null;
  /** A USERPAYING codepay order pays itself at this time (simulated password entry). */
  autoPayAt: number | null;
}

export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

export interface Refund {
  mchid: string;
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  reason: string | null;
  notifyUrl: string | null;
  refundFen: number;
  totalFen: number;
  fundsAccount: string;
  status: RefundStatus;
  /** What the refund ends as once processed. */
  outcome: RefundOutcome;
  createdAt: number;
  successAt: number | null;
  /** revoke: money returned by reversing a paid payment-code order (not a refund API call). */
  kind: 'refund' | 'revoke';
}

export interface SimUser {
  userId: string;
  appid: string;
  openid: string;
  unionid: string;
  phone: string | null;
  nickname: string | null;
  /** What the user's WeChat wallet holds; null = unlimited. */
  balanceFen: number | null;
  /** One-time subscribe consents left per template id (each accept allows one send). */
  subscriptions: Record<string, number>;
  /** Templates the user chose "always reject" for. */
  rejectedTemplates: string[];
}

export type KeywordType =
  | 'thing'
  | 'number'
  | 'letter'
  | 'symbol'
  | 'character_string'
  | 'time'
  | 'date'
  | 'amount'
  | 'phone_number'
  | 'car_number'
  | 'name'
  | 'phrase';

export interface SubscribeTemplate {
  templateId: string;
  title: string;
  /** Keyword names such as `thing1`, `amount2`: the type is the name without its trailing digits. */
  keywords: string[];
}

export interface MiniApp {
  appid: string;
  secret: string;
  name: string;
  /** Released pages for getwxacodeunlimit's check_path; null accepts any page. */
  pages: string[] | null;
  templates: Record<string, SubscribeTemplate>;
  stableForceRefresh: { day: string; count: number };
}

export interface AccessToken {
  token: string;
  appid: string;
  kind: 'token' | 'stable';
  issuedAt: number;
  expiresAt: number;
}

export interface LoginCode {
  code: string;
  appid: string;
  openid: string;
  sessionKey: string;
  expiresAt: number;
  usedAt: number | null;
}

export interface PhoneCode {
  code: string;
  appid: string;
  openid: string;
  phone: string;
  expiresAt: number;
  usedAt: number | null;
}

export type PaymentCodeBehaviour = 'pay' | 'password' | 'insufficient';

export interface PaymentCode {
  code: string;
  openid: string;
  appid: string;
  behaviour: PaymentCodeBehaviour;
  /** For behaviour=password: the user enters the password this long after the scan (null: never by itself). */
  passwordDelayMs: number | null;
  expiresAt: number;
  usedAt: number | null;
}

export interface SentMessage {
  msgid: number | null;
  appid: string;
  touser: string;
  templateId: string;
  page: string | null;
  data: unknown;
  miniprogramState: string | null;
  lang: string | null;
  at: number;
  errcode: number;
  errmsg: string;
}

export type NotificationVariant = 'normal' | 'forged' | 'signtest' | 'tampered' | 'stale' | 'wrong_serial';

export interface DeliveryAttempt {
  at: number;
  ok: boolean;
  status: number | null;
  error: string | null;
  /** The attempt was failed on purpose by the control API without contacting the merchant. */
  simulated: boolean;
}

export interface NotificationRecord {
  id: string;
  mchid: string;
  kind: 'transaction' | 'refund' | 'custom';
  /** out_trade_no or out_refund_no. */
  ref: string;
  url: string;
  eventType: string;
  variant: NotificationVariant;
  /** The decrypted resource, for tests that want to see what was sent. */
  resource: unknown;
  body: string;
  headers: Record<string, string>;
  state: 'pending' | 'held' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
  nextAttemptAt: number | null;
  /** Index into the retry schedule of the next retry. */
  retryIndex: number;
  createdAt: number;
}

export interface BillFile {
  token: string;
  mchid: string;
  base64: string;
  contentType: string;
  expiresAt: number;
}

/** Keys of a merchant the simulator created itself (the demo merchant): what the merchant would download. */
export interface GeneratedMerchantKeys {
  mchid: string;
  privateKeyPem: string;
  certificatePem: string;
  serialNo: string;
}

export interface SimState {
  version: 1;
  rngCounter: number;
  generatedMerchantKeys: Record<string, GeneratedMerchantKeys>;
  merchants: Record<string, Merchant>;
  apps: Record<string, MiniApp>;
  users: Record<string, SimUser>;
  /** key `${mchid}:${outTradeNo}` */
  orders: Record<string, Order>;
  /** key `${mchid}:${outRefundNo}` */
  refunds: Record<string, Refund>;
  tokens: Record<string, AccessToken>;
  loginCodes: Record<string, LoginCode>;
  phoneCodes: Record<string, PhoneCode>;
  paymentCodes: Record<string, PaymentCode>;
  messages: SentMessage[];
  nextMsgid: number;
  notifications: NotificationRecord[];
  /** While true, new notifications wait (state `held`) until released, in any order. */
  holdNotifications: boolean;
  /** The next N delivery attempts fail as if the merchant's endpoint were down. */
  failNextDeliveries: number;
  bills: Record<string, BillFile>;
}

export function emptyState(): SimState {
  return {
    version: 1,
    rngCounter: 0,
    generatedMerchantKeys: {},
    merchants: {},
    apps: {},
    users: {},
    orders: {},
    refunds: {},
    tokens: {},
    loginCodes: {},
    phoneCodes: {},
    paymentCodes: {},
    messages: [],
    nextMsgid: 1_000_000_001,
    notifications: [],
    holdNotifications: false,
    failNextDeliveries: 0,
    bills: {},
  };
}

export function loadState(file: string): SimState | null {
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as SimState;
  if (parsed.version !== 1) throw new Error(`${file}: unsupported simulator state version ${String(parsed.version)}`);
  return { ...emptyState(), ...parsed };
}

/** Writes through a temporary file so a crash mid-write leaves the previous state intact. */
export function saveState(file: string, state: SimState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 1));
  renameSync(tmp, file);
}
