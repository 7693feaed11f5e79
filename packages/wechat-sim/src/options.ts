import type { PlatformMode, RefundOutcome } from './state';

/** WeChat's retry schedule for a notification that was not acknowledged: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h (24h4m in all). */
export const WECHAT_NOTIFY_RETRY_SCHEDULE_MS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
].map((s) => s * 1000);

export interface MerchantOptions {
  mchid: string;
  name?: string;
  /** AppIDs bound to the merchant (商户号绑定的 AppID). */
  appids: string[];
  apiV3Key: string;
  /** The merchant API certificate(s) (`apiclient_cert.pem`) requests are verified against. */
  certificatePem: string | string[];
  /** How WeChat signs responses and notifications for this merchant (default `certificate`). */
  platformMode?: PlatformMode;
  balanceFen?: number | null;
  feeRateBps?: number;
  refundNotifyUrl?: string | null;
}

export interface TemplateOptions {
  /** Default: generated (43 characters, like WeChat's). */
  templateId?: string;
  title: string;
  /** Keyword names as the template lists them, e.g. `['thing1', 'amount2', 'time3']`. */
  keywords: string[];
}

export interface AppOptions {
  appid: string;
  secret: string;
  name?: string;
  /** Released pages that getwxacodeunlimit's check_path accepts; omitted = any page. */
  pages?: string[];
  templates?: TemplateOptions[];
}

export interface WechatSimOptions {
  /** 0 or omitted = an ephemeral port. */
  port?: number;
  host?: string;
  /** The origin the simulator is reached at from outside (download_url, pay sheet links); default http://host:port. */
  publicBaseUrl?: string;
  /** Seed for every generated identifier; same seed and same calls → same ids. Keys are always random unless loaded from stateFile. */
  seed?: string | number;
  /** Load the state from this JSON file when it exists, and write every change back. */
  stateFile?: string;
  /** Clock in epoch ms (default Date.now). */
  now?: () => number;
  merchants?: MerchantOptions[];
  apps?: AppOptions[];
  /** With no merchant or app configured (or loaded), create a demo merchant, app and template. Default true. */
  createDefaults?: boolean;
  notify?: {
    /** Delays between retries of an unacknowledged notification (default WeChat's, 15 retries over 24h4m). */
    retryScheduleMs?: number[];
    /** Delay before the first attempt (default 0). */
    firstDelayMs?: number;
    /** How long the merchant has to answer one attempt (default 5000). */
    timeoutMs?: number;
  };
  refund?: {
    /** How long a refund stays PROCESSING before it takes its outcome (default 1000). */
    processingMs?: number;
    /** The outcome refunds take unless the control API queued another (default SUCCESS). */
    outcome?: RefundOutcome;
  };
  /** Requests whose Authorization timestamp is further than this from now are refused (default 300). */
  timestampToleranceSeconds?: number;
  accessTokenTtlSeconds?: number;
  /** Lifetime of wx.login codes and phone-number codes (default 300). */
  codeTtlSeconds?: number;
  /** Lifetime of payment codes shown by the user's WeChat (default 60). */
  paymentCodeTtlSeconds?: number;
  prepayTtlSeconds?: number;
  billUrlTtlSeconds?: number;
  /**
   * Origin of the bill download_url. Default https://api.mch.weixin.qq.com, exactly what WeChat
   * answers: a client that maps WeChat's host to the simulator for every call (as it must for the
   * rest) then downloads from the simulator, and signs the path like it would with WeChat.
   */
  billDownloadBaseUrl?: string;
  /** WeChat serves a day's bill from 10:00 the next day; true also serves today's (for demos). */
  allowTodayBill?: boolean;
  /** The code of the 202 answer to a payment-code payment that waits for the password; WeChat documents both spellings. */
  userPayingCode?: 'USERPAYING' | 'USER_PAYING';
  /** What a getwxacodeunlimit QR code encodes (default: the scene itself). */
  wxacodeContent?: (scene: string, page: string | null, appid: string) => string;
  log?: (line: string) => void;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  publicBaseUrl: string | undefined;
  seed: string | number | undefined;
  stateFile: string | undefined;
  now: () => number;
  createDefaults: boolean;
  retryScheduleMs: number[];
  firstDelayMs: number;
  notifyTimeoutMs: number;
  refundProcessingMs: number;
  refundOutcome: RefundOutcome;
  timestampToleranceSeconds: number;
  accessTokenTtlSeconds: number;
  codeTtlSeconds: number;
  paymentCodeTtlSeconds: number;
  prepayTtlSeconds: number;
  billUrlTtlSeconds: number;
  billDownloadBaseUrl: string;
  allowTodayBill: boolean;
  userPayingCode: 'USERPAYING' | 'USER_PAYING';
  wxacodeContent: (scene: string, page: string | null, appid: string) => string;
  log: (line: string) => void;
}

export function resolveOptions(o: WechatSimOptions): ResolvedOptions {
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    publicBaseUrl: o.publicBaseUrl?.replace(/\/+$/, ''),
    seed: o.seed,
    stateFile: o.stateFile,
    now: o.now ?? Date.now,
    createDefaults: o.createDefaults ?? true,
    retryScheduleMs: o.notify?.retryScheduleMs ?? WECHAT_NOTIFY_RETRY_SCHEDULE_MS,
    firstDelayMs: o.notify?.firstDelayMs ?? 0,
    notifyTimeoutMs: o.notify?.timeoutMs ?? 5000,
    refundProcessingMs: o.refund?.processingMs ?? 1000,
    refundOutcome: o.refund?.outcome ?? 'SUCCESS',
    timestampToleranceSeconds: o.timestampToleranceSeconds ?? 300,
    accessTokenTtlSeconds: o.accessTokenTtlSeconds ?? 7200,
    codeTtlSeconds: o.codeTtlSeconds ?? 300,
    paymentCodeTtlSeconds: o.paymentCodeTtlSeconds ?? 60,
    prepayTtlSeconds: o.prepayTtlSeconds ?? 7200,
    billUrlTtlSeconds: o.billUrlTtlSeconds ?? 30,
    billDownloadBaseUrl: (o.billDownloadBaseUrl ?? 'https://api.mch.weixin.qq.com').replace(/\/+$/, ''),
    allowTodayBill: o.allowTodayBill ?? false,
    userPayingCode: o.userPayingCode ?? 'USERPAYING',
    wxacodeContent: o.wxacodeContent ?? ((scene) => scene),
    log: o.log ?? (() => undefined),
  };
}
