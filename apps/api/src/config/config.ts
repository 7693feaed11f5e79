import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { developmentWechatCredentials, isDevelopmentCertificate } from './wechat-dev-credentials';

/**
 * The one place that reads process.env. Every variable is parsed and validated once at boot; a bad
 * value stops start-up with a message naming the variable. The README's configuration table lists
 * the same variables (a test keeps the two in step).
 */
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** External PostgreSQL; when absent the API runs its own embedded PostgreSQL. */
  databaseUrl: string | null;
  embeddedPg: { dataDir: string; port: number };
  /** Uploaded files (member imports) and generated exports. */
  filesDir: string;
  /** The member app's H5 build, served at /member/ when the folder exists. */
  memberH5Dir: string;
  dbPoolSize: number;
  jwtSecret: string;
  /** 32-byte key for member PII (ID-card numbers) at rest. */
  piiKey: Buffer;
  /** HMAC key of the dynamic member code (会员动态码). */
  memberCodeSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  login: { maxFailuresPerAccount: number; maxFailuresPerIp: number; windowMinutes: number; lockMinutes: number };
  idempotencyTtlHours: number;
  bodyLimitBytes: number;
  logLevel: LogLevel;
  demoData: boolean;
  corsOrigins: string[] | '*';
  trustProxy: boolean;
  wechat: WechatConfig;
  notifications: NotificationsConfig;
  backup: BackupConfig;
}

/**
 * WeChat (modules/wechat). Production points the base URLs at WeChat and gives the merchant's real
 * keys; development defaults to the local simulator (`npm start` runs it) with credentials made
 * into .data/wechat-dev; tests pass their own. Those are the only differences.
 */
export interface WechatConfig {
  /** WECHAT_API_BASE: the mini-program server API's base URL (also for subscribe messages). */
  apiBase: string;
  /** Mini-program server API (login, phone number, QR codes); null: not configured. */
  miniProgram: { apiBase: string; appId: string; appSecret: string } | null;
  /** WeChat Pay API v3 as a directly connected merchant (直连商户); null: not configured. */
  pay: WechatPayConfig | null;
  /** True when the credentials are the generated development ones (pointed at the simulator). */
  development: boolean;
}

export interface WechatPayConfig {
  baseUrl: string;
  mchid: string;
  /** The mini-program's AppID, bound to the merchant. */
  appId: string;
  /** apiclient_key.pem (PKCS#8). */
  privateKeyPem: string;
  /** apiclient_cert.pem (X.509): wechatpay-node-v3 needs it; its serial is the request's serial_no. */
  certificatePem: string;
  certificateSerial: string;
  apiV3Key: string;
  /** Platform certificates given by hand; otherwise downloaded from /v3/certificates. */
  platformCertificatePems: string[];
  /** WeChat Pay public key (微信支付公钥) and its id PUB_KEY_ID_…, for merchants in public-key mode. */
  publicKey: { id: string; pem: string } | null;
  notifyUrl: string;
  /** A payment code still waiting for the payer's password after this long is reversed. */
  codepayTimeoutSeconds: number;
  /** How often a waiting payment-code payment is queried. */
  codepayPollMs: number;
  /** An unpaid JSAPI order is closed after this long (the member app's payment window). */
  orderTtlMinutes: number;
  /** Responses and notifications whose Wechatpay-Timestamp is further from now are refused. */
  maxSignatureAgeSeconds: number;
}

export type SmsProviderName = 'log' | 'aliyun' | 'tencent';

/** Delivery of notifications: the outbox worker and the channels' providers (modules/notifications). */
export interface NotificationsConfig {
  /** The outbox worker runs inside the API process (off in tests, which drive it by hand). */
  workerEnabled: boolean;
  maxAttempts: number;
  leaseSeconds: number;
  wechat: {
    /** https://api.weixin.qq.com in production; the local simulator in development. */
    apiBase: string;
    appId: string | null;
    appSecret: string | null;
    /** miniprogram_state of subscribe messages: which build a tap on the message opens. */
    miniprogramState: 'formal' | 'trial' | 'developer';
  };
  sms: {
    provider: SmsProviderName;
    signName: string;
    aliyun: { endpoint: string; accessKeyId: string; accessKeySecret: string };
    tencent: { endpoint: string; secretId: string; secretKey: string; sdkAppId: string; region: string };
  };
  mail: {
    /** smtp(s)://user:pass@host:port; unset = messages are written to the log instead. */
    smtpUrl: string | null;
    from: string;
  };
}

/** Daily at HH:mm chain time, every N minutes, or no scheduled backups. */
export type BackupSchedule = { daily: string } | { everyMinutes: number } | null;

export interface BackupConfig {
  /** 32-byte AES-256-GCM key of backup files; never written beside them. */
  key: Buffer;
  dir: string;
  schedule: BackupSchedule;
  keep: { daily: number; weekly: number; monthly: number };
  /** S3-compatible copy of every backup, when a bucket is configured. */
  s3: {
    bucket: string;
    prefix: string;
    endpoint: string | null;
    region: string;
    accessKeyId: string | null;
    secretAccessKey: string | null;
    forcePathStyle: boolean;
  } | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Name, default and meaning of every variable: the README table is checked against this list. */
export const CONFIG_VARIABLES: { name: string; default: string; meaning: string }[] = [
  { name: 'NODE_ENV', default: 'development', meaning: 'development, production or test. Production refuses the built-in development secrets.' },
  { name: 'HOST', default: '0.0.0.0', meaning: 'Address the API listens on.' },
  { name: 'PORT', default: '3000', meaning: 'Port the API listens on.' },
  { name: 'DATABASE_URL', default: '(unset)', meaning: 'PostgreSQL connection URL. Unset: an embedded PostgreSQL is started and used.' },
  { name: 'PG_DATA_DIR', default: '.data/postgres', meaning: 'Data folder of the embedded PostgreSQL (kept across restarts; git-ignored).' },
  { name: 'FILES_DIR', default: '.data/files', meaning: 'Folder for uploaded import files while they are processed.' },
  { name: 'MEMBER_H5_DIR', default: 'apps/member/dist/h5', meaning: 'The member app\'s H5 build (npm start builds it), served at /member/ when the folder exists.' },
  { name: 'PG_PORT', default: '54320', meaning: 'Port of the embedded PostgreSQL (127.0.0.1 only).' },
  { name: 'DB_POOL_SIZE', default: '10', meaning: 'Connections in the API\'s database pool.' },
  { name: 'JWT_SECRET', default: '(generated into .data/dev-secret outside production)', meaning: 'Secret signing access tokens; at least 32 characters; required in production.' },
  { name: 'MEMBER_PII_KEY', default: '(generated into .data/dev-pii-key outside production)', meaning: 'Base64 of 32 random bytes: encrypts ID-card numbers (AES-256-GCM) and keys their lookup hash; required in production. Losing it loses those numbers.' },
  { name: 'MEMBER_CODE_SECRET', default: '(generated into .data/dev-member-code-secret outside production)', meaning: 'Secret of the rotating dynamic member code; at least 32 characters; required in production.' },
  { name: 'ACCESS_TOKEN_TTL_SECONDS', default: '900', meaning: 'Lifetime of an access token.' },
  { name: 'REFRESH_TOKEN_TTL_DAYS', default: '30', meaning: 'Lifetime of a refresh token family.' },
  { name: 'LOGIN_MAX_FAILURES', default: '5', meaning: 'Failed sign-ins per account within the window before the account is locked.' },
  { name: 'LOGIN_MAX_FAILURES_PER_IP', default: '30', meaning: 'Failed sign-ins per client IP within the window before that IP is locked.' },
  { name: 'LOGIN_WINDOW_MINUTES', default: '15', meaning: 'Window in which failed sign-ins are counted.' },
  { name: 'LOGIN_LOCK_MINUTES', default: '15', meaning: 'How long a locked account or IP stays locked.' },
  { name: 'IDEMPOTENCY_TTL_HOURS', default: '72', meaning: 'How long Idempotency-Key results are kept (at least 72).' },
  { name: 'BODY_LIMIT', default: '1mb', meaning: 'Largest accepted JSON body (e.g. 512kb, 2mb); larger bodies get 413.' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'debug, info, warn, error or silent. Logs are JSON lines on stdout.' },
  { name: 'DEMO_DATA', default: 'true (false in production)', meaning: 'Load the demo chain (3 stores, one account per role) into an empty database.' },
  { name: 'CORS_ORIGINS', default: '*', meaning: 'Comma-separated origins allowed to call the API from a browser, or *.' },
  { name: 'TRUST_PROXY', default: 'false', meaning: 'true when behind a reverse proxy, so the client IP comes from X-Forwarded-For.' },
  { name: 'WECHAT_API_BASE', default: 'https://api.weixin.qq.com (http://127.0.0.1:4010, the simulator, outside production)', meaning: 'Base URL of the WeChat mini-program server API (login, phone number, QR codes, access token, subscribe messages).' },
  { name: 'WECHAT_APP_ID', default: '(generated into .data/wechat-dev in development)', meaning: 'Mini-program AppID (also the AppID of WeChat Pay orders). Unset in production or test: WeChat login is off.' },
  { name: 'WECHAT_APP_SECRET', default: '(generated into .data/wechat-dev in development)', meaning: 'Mini-program AppSecret (for jscode2session and stable_token); required with WECHAT_APP_ID.' },
  { name: 'WECHAT_PAY_BASE', default: 'https://api.mch.weixin.qq.com (http://127.0.0.1:4010, the simulator, outside production)', meaning: 'Base URL of the WeChat Pay API v3.' },
  { name: 'WECHATPAY_MCHID', default: '(generated into .data/wechat-dev in development)', meaning: 'Merchant id (商户号). Unset in production or test: WeChat Pay is off; set: every WECHATPAY_ key below that is marked required must be set.' },
  { name: 'WECHATPAY_PRIVATE_KEY_FILE', default: '(.data/wechat-dev/apiclient_key.pem in development)', meaning: 'Merchant API private key apiclient_key.pem; required with WECHATPAY_MCHID.' },
  { name: 'WECHATPAY_CERT_FILE', default: '(.data/wechat-dev/apiclient_cert.pem in development)', meaning: 'Merchant API certificate apiclient_cert.pem (X.509); required with WECHATPAY_MCHID. Production refuses the development certificate.' },
  { name: 'WECHATPAY_CERT_SERIAL', default: '(read from the certificate)', meaning: 'Serial number of the merchant API certificate, if it must be given explicitly.' },
  { name: 'WECHATPAY_APIV3_KEY', default: '(generated into .data/wechat-dev in development)', meaning: 'APIv3 key (APIv3密钥, 32 characters): decrypts notifications and platform certificates; required with WECHATPAY_MCHID.' },
  { name: 'WECHATPAY_PLATFORM_CERT_FILE', default: '(unset: downloaded from /v3/certificates)', meaning: 'WeChat Pay platform certificate(s) (平台证书) PEM file to trust instead of downloading them.' },
  { name: 'WECHATPAY_PUBLIC_KEY_ID', default: '(unset)', meaning: 'Id of the WeChat Pay public key (PUB_KEY_ID_…), for merchants in public-key mode; needs WECHATPAY_PUBLIC_KEY_FILE.' },
  { name: 'WECHATPAY_PUBLIC_KEY_FILE', default: '(unset)', meaning: 'WeChat Pay public key pub_key.pem (微信支付公钥); needs WECHATPAY_PUBLIC_KEY_ID.' },
  { name: 'WECHATPAY_NOTIFY_URL', default: '(http://127.0.0.1:PORT/api/wechat/pay/notify outside production)', meaning: 'Public https URL WeChat posts payment and refund notifications to (this API\'s /api/wechat/pay/notify); required with WECHATPAY_MCHID in production.' },
  { name: 'WECHATPAY_CODEPAY_TIMEOUT_SECONDS', default: '45', meaning: 'A payment-code payment still waiting for the payer\'s password after this long is reversed (撤销).' },
  { name: 'WECHATPAY_CODEPAY_POLL_MS', default: '2000', meaning: 'How often a payment-code payment waiting for the password is queried.' },
  { name: 'WECHATPAY_ORDER_TTL_MINUTES', default: '30', meaning: 'An unpaid member-app payment is queried and closed after this many minutes.' },
  { name: 'WECHATPAY_MAX_SIGNATURE_AGE_SECONDS', default: '300', meaning: 'WeChat Pay answers and notifications signed longer ago than this are refused (replays).' },
  { name: 'BACKUP_KEY', default: '(generated into .data/dev-backup-key outside production)', meaning: 'Base64 of 32 random bytes: encrypts backups (AES-256-GCM); required in production. Keep it apart from the backups (a password manager): without it no backup can be restored.' },
  { name: 'BACKUP_DIR', default: '.data/backups', meaning: 'Folder where backups are written (scheduled ones are pruned by the retention below).' },
  { name: 'BACKUP_SCHEDULE', default: 'daily 02:30', meaning: '"daily HH:mm" (chain time zone), "every N" (minutes) or "off": when the API takes its scheduled backup.' },
  { name: 'BACKUP_KEEP_DAILY', default: '7', meaning: 'Scheduled backups kept: the newest of each of this many most recent days.' },
  { name: 'BACKUP_KEEP_WEEKLY', default: '4', meaning: 'Also kept: the newest of each of this many most recent weeks (Monday to Sunday).' },
  { name: 'BACKUP_KEEP_MONTHLY', default: '12', meaning: 'Also kept: the newest of each of this many most recent months.' },
  { name: 'BACKUP_S3_BUCKET', default: '(unset)', meaning: 'Bucket of an S3-compatible storage (AWS S3, Aliyun OSS, Tencent COS, MinIO) that receives a copy of every backup. Unset: local folder only.' },
  { name: 'BACKUP_S3_PREFIX', default: 'chaincard-backups/', meaning: 'Key prefix of the backups in the bucket.' },
  { name: 'BACKUP_S3_ENDPOINT', default: '(unset: AWS)', meaning: 'Endpoint URL of an S3-compatible service, e.g. https://oss-cn-shanghai.aliyuncs.com.' },
  { name: 'BACKUP_S3_REGION', default: 'us-east-1', meaning: 'Region of the bucket.' },
  { name: 'BACKUP_S3_ACCESS_KEY_ID', default: '(unset: SDK default chain)', meaning: 'Access key of the bucket; with BACKUP_S3_SECRET_ACCESS_KEY. Unset: the AWS SDK\'s default credentials (instance role, AWS_* variables).' },
  { name: 'BACKUP_S3_SECRET_ACCESS_KEY', default: '(unset)', meaning: 'Secret of BACKUP_S3_ACCESS_KEY_ID.' },
  { name: 'BACKUP_S3_FORCE_PATH_STYLE', default: 'true with an endpoint, else false', meaning: 'Address the bucket as endpoint/bucket (MinIO and most self-hosted servers) rather than bucket.endpoint.' },
  { name: 'NOTIFY_WORKER', default: 'true (false in test)', meaning: 'Run the notification outbox worker in this API process.' },
  { name: 'NOTIFY_MAX_ATTEMPTS', default: '8', meaning: 'Sends of one notification (with backoff) before it is marked failed.' },
  { name: 'NOTIFY_LEASE_SECONDS', default: '60', meaning: 'How long a worker holds a notification it is sending; after that another worker recovers it.' },
  { name: 'WECHAT_MINIPROGRAM_STATE', default: 'formal', meaning: 'Which build a tapped subscribe message opens: formal, trial or developer.' },
  { name: 'SMS_PROVIDER', default: 'log', meaning: 'log (writes SMS to the log), aliyun or tencent.' },
  { name: 'SMS_SIGN_NAME', default: 'ChainCard', meaning: 'The approved SMS signature (短信签名) sent with every SMS.' },
  { name: 'ALIYUN_SMS_ENDPOINT', default: 'https://dysmsapi.aliyuncs.com', meaning: 'Aliyun SMS API endpoint.' },
  { name: 'ALIYUN_ACCESS_KEY_ID', default: '(unset)', meaning: 'Aliyun AccessKey ID; required with SMS_PROVIDER=aliyun.' },
  { name: 'ALIYUN_ACCESS_KEY_SECRET', default: '(unset)', meaning: 'Aliyun AccessKey secret; required with SMS_PROVIDER=aliyun.' },
  { name: 'TENCENT_SMS_ENDPOINT', default: 'https://sms.tencentcloudapi.com', meaning: 'Tencent Cloud SMS API endpoint.' },
  { name: 'TENCENT_SECRET_ID', default: '(unset)', meaning: 'Tencent Cloud SecretId; required with SMS_PROVIDER=tencent.' },
  { name: 'TENCENT_SECRET_KEY', default: '(unset)', meaning: 'Tencent Cloud SecretKey; required with SMS_PROVIDER=tencent.' },
  { name: 'TENCENT_SMS_APP_ID', default: '(unset)', meaning: 'Tencent Cloud SMS SdkAppId; required with SMS_PROVIDER=tencent.' },
  { name: 'TENCENT_SMS_REGION', default: 'ap-guangzhou', meaning: 'Tencent Cloud region of the SMS API.' },
  { name: 'SMTP_URL', default: '(unset)', meaning: 'smtp:// or smtps:// URL (with user and password) of the mail server for e-mail notifications. Unset: e-mails are written to the log.' },
  { name: 'MAIL_FROM', default: 'ChainCard <no-reply@chaincard.local>', meaning: 'Sender of e-mail notifications.' },
];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const str = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = str(name, fallback);
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };

  const nodeEnv = oneOf<NodeEnv>('NODE_ENV', 'development', ['development', 'production', 'test']);
  const databaseUrl = env.DATABASE_URL ? env.DATABASE_URL : null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const dataDir = resolve(cwd, str('PG_DATA_DIR', '.data/postgres'));

  let jwtSecret = env.JWT_SECRET ?? '';
  if (jwtSecret && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');
  if (!jwtSecret) {
    if (nodeEnv === 'production') problems.push('JWT_SECRET is required in production');
    else jwtSecret = developmentSecret(resolve(cwd, '.data/dev-secret'));
  }

  let piiKey: Buffer = Buffer.alloc(0);
  const piiRaw = env.MEMBER_PII_KEY ?? '';
  if (piiRaw) {
    piiKey = Buffer.from(piiRaw, 'base64');
    if (piiKey.length !== 32) problems.push('MEMBER_PII_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32)');
  } else if (nodeEnv === 'production') problems.push('MEMBER_PII_KEY is required in production');
  else piiKey = Buffer.from(developmentSecret(resolve(cwd, '.data/dev-pii-key'), () => randomBytes(32).toString('base64')), 'base64');

  let memberCodeSecret = env.MEMBER_CODE_SECRET ?? '';
  if (memberCodeSecret && memberCodeSecret.length < 32) problems.push('MEMBER_CODE_SECRET must be at least 32 characters');
  if (!memberCodeSecret) {
    if (nodeEnv === 'production') problems.push('MEMBER_CODE_SECRET is required in production');
    else memberCodeSecret = developmentSecret(resolve(cwd, '.data/dev-member-code-secret'));
  }

  const bodyLimitRaw = str('BODY_LIMIT', '1mb');
  const bodyLimitBytes = parseSize(bodyLimitRaw);
  if (bodyLimitBytes === null) problems.push(`BODY_LIMIT must look like 512kb or 2mb, got "${bodyLimitRaw}"`);

  let backupKey: Buffer = Buffer.alloc(0);
  const backupKeyRaw = env.BACKUP_KEY ?? '';
  if (backupKeyRaw) {
    backupKey = Buffer.from(backupKeyRaw, 'base64');
    if (backupKey.length !== 32) problems.push('BACKUP_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32)');
  } else if (nodeEnv === 'production') problems.push('BACKUP_KEY is required in production');
  else backupKey = Buffer.from(developmentSecret(resolve(cwd, '.data/dev-backup-key'), () => randomBytes(32).toString('base64')), 'base64');

  const scheduleRaw = str('BACKUP_SCHEDULE', 'daily 02:30').trim();
  let schedule: BackupSchedule = { daily: '02:30' };
  const daily = /^daily\s+([01]\d|2[0-3]):([0-5]\d)$/i.exec(scheduleRaw);
  const every = /^every\s+(\d+)$/i.exec(scheduleRaw);
  if (/^off$/i.test(scheduleRaw)) schedule = null;
  else if (daily) schedule = { daily: `${daily[1]}:${daily[2]}` };
  else if (every && Number(every[1]) >= 5 && Number(every[1]) <= 7 * 24 * 60) schedule = { everyMinutes: Number(every[1]) };
  else problems.push(`BACKUP_SCHEDULE must be "daily HH:mm", "every N" (5 to 10080 minutes) or "off", got "${scheduleRaw}"`);

  const s3Bucket = str('BACKUP_S3_BUCKET', '');
  const s3Endpoint = str('BACKUP_S3_ENDPOINT', '') || null;
  if (s3Endpoint && !/^https?:\/\//.test(s3Endpoint)) problems.push('BACKUP_S3_ENDPOINT must start with http:// or https://');
  const s3KeyId = str('BACKUP_S3_ACCESS_KEY_ID', '') || null;
  const s3Secret = str('BACKUP_S3_SECRET_ACCESS_KEY', '') || null;
  if (!!s3KeyId !== !!s3Secret) problems.push('BACKUP_S3_ACCESS_KEY_ID and BACKUP_S3_SECRET_ACCESS_KEY go together');
  const s3Prefix = str('BACKUP_S3_PREFIX', 'chaincard-backups/');

  const corsRaw = str('CORS_ORIGINS', '*');
  const port = int('PORT', 3000, 0, 65535);
  const wechat = wechatConfig(env, nodeEnv, cwd, port, problems);
  const url = (name: string, fallback: string, protocols: string[]) => {
    const raw = str(name, fallback);
    let parsed: URL | null = null;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = null;
    }
    if (!parsed || !protocols.includes(parsed.protocol)) {
      problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL, got "${raw}"`);
      return fallback;
    }
    return raw.replace(/\/+$/, '');
  };
  const secret = (name: string, neededFor: string | null) => {
    const v = env[name] ?? '';
    if (!v && neededFor) problems.push(`${name} is required with ${neededFor}`);
    return v;
  };
  const smsProvider = oneOf<SmsProviderName>('SMS_PROVIDER', 'log', ['log', 'aliyun', 'tencent']);
  const smtpUrl = env.SMTP_URL ? url('SMTP_URL', '', ['smtp:', 'smtps:']) : null;
  const notifications: NotificationsConfig = {
    workerEnabled: bool('NOTIFY_WORKER', nodeEnv !== 'test'),
    maxAttempts: int('NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
    leaseSeconds: int('NOTIFY_LEASE_SECONDS', 60, 15, 3600),
    // One mini-program for sign-in and subscribe messages: the WeChat configuration's (read once, above).
    wechat: {
      apiBase: wechat.apiBase,
      appId: wechat.miniProgram?.appId ?? null,
      appSecret: wechat.miniProgram?.appSecret ?? null,
      miniprogramState: oneOf('WECHAT_MINIPROGRAM_STATE', 'formal', ['formal', 'trial', 'developer'] as const),
    },
    sms: {
      provider: smsProvider,
      signName: str('SMS_SIGN_NAME', 'ChainCard'),
      aliyun: {
        endpoint: url('ALIYUN_SMS_ENDPOINT', 'https://dysmsapi.aliyuncs.com', ['https:', 'http:']),
        accessKeyId: secret('ALIYUN_ACCESS_KEY_ID', smsProvider === 'aliyun' ? 'SMS_PROVIDER=aliyun' : null),
        accessKeySecret: secret('ALIYUN_ACCESS_KEY_SECRET', smsProvider === 'aliyun' ? 'SMS_PROVIDER=aliyun' : null),
      },
      tencent: {
        endpoint: url('TENCENT_SMS_ENDPOINT', 'https://sms.tencentcloudapi.com', ['https:', 'http:']),
        secretId: secret('TENCENT_SECRET_ID', smsProvider === 'tencent' ? 'SMS_PROVIDER=tencent' : null),
        secretKey: secret('TENCENT_SECRET_KEY', smsProvider === 'tencent' ? 'SMS_PROVIDER=tencent' : null),
        sdkAppId: secret('TENCENT_SMS_APP_ID', smsProvider === 'tencent' ? 'SMS_PROVIDER=tencent' : null),
        region: str('TENCENT_SMS_REGION', 'ap-guangzhou'),
      },
    },
    mail: { smtpUrl: smtpUrl || null, from: str('MAIL_FROM', 'ChainCard <no-reply@chaincard.local>') },
  };
  const config: AppConfig = {
    nodeEnv,
    host: str('HOST', '0.0.0.0'),
    port,
    databaseUrl,
    embeddedPg: { dataDir, port: int('PG_PORT', 54320, 1024, 65535) },
    filesDir: resolve(cwd, str('FILES_DIR', '.data/files')),
    memberH5Dir: resolve(cwd, str('MEMBER_H5_DIR', 'apps/member/dist/h5')),
    dbPoolSize: int('DB_POOL_SIZE', 10, 1, 200),
    jwtSecret,
    piiKey,
    memberCodeSecret,
    accessTokenTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    refreshTokenTtlDays: int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    login: {
      maxFailuresPerAccount: int('LOGIN_MAX_FAILURES', 5, 1, 100),
      maxFailuresPerIp: int('LOGIN_MAX_FAILURES_PER_IP', 30, 1, 10000),
      windowMinutes: int('LOGIN_WINDOW_MINUTES', 15, 1, 1440),
      lockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 1440),
    },
    idempotencyTtlHours: int('IDEMPOTENCY_TTL_HOURS', 72, 72, 24 * 365),
    bodyLimitBytes: bodyLimitBytes ?? 1024 * 1024,
    logLevel: oneOf<LogLevel>('LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent']),
    demoData: bool('DEMO_DATA', nodeEnv !== 'production'),
    corsOrigins: corsRaw === '*' ? '*' : corsRaw.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: bool('TRUST_PROXY', false),
    wechat,
    backup: {
      key: backupKey,
      dir: resolve(cwd, str('BACKUP_DIR', '.data/backups')),
      schedule,
      keep: {
        daily: int('BACKUP_KEEP_DAILY', 7, 0, 1000),
        weekly: int('BACKUP_KEEP_WEEKLY', 4, 0, 1000),
        monthly: int('BACKUP_KEEP_MONTHLY', 12, 0, 1000),
      },
      s3: s3Bucket
        ? {
            bucket: s3Bucket,
            prefix: s3Prefix === '' || s3Prefix.endsWith('/') ? s3Prefix : `${s3Prefix}/`,
            endpoint: s3Endpoint,
            region: str('BACKUP_S3_REGION', 'us-east-1'),
            accessKeyId: s3KeyId,
            secretAccessKey: s3Secret,
            forcePathStyle: bool('BACKUP_S3_FORCE_PATH_STYLE', !!s3Endpoint),
          }
        : null,
    },
    notifications,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const SIMULATOR = 'http://127.0.0.1:4010';

function wechatConfig(env: Env, nodeEnv: NodeEnv, cwd: string, port: number, problems: string[]): WechatConfig {
  const production = nodeEnv === 'production';
  const given = (name: string) => (env[name] === undefined || env[name] === '' ? null : env[name]!.trim());
  // Development gets a merchant and a mini-program of its own, pointed at the simulator, unless
  // the environment names real ones. Tests configure WeChat explicitly.
  const dev = nodeEnv === 'development' && !given('WECHATPAY_MCHID') && !given('WECHAT_APP_ID') ? developmentWechatCredentials(resolve(cwd, '.data/wechat-dev')) : null;
  const baseUrl = (name: string, real: string) => {
    const raw = given(name) ?? (production ? real : SIMULATOR);
    let parsed: URL | null = null;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = null;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) problems.push(`${name} must be an http(s) URL, got "${raw}"`);
    else if (production && parsed.protocol !== 'https:') problems.push(`${name} must be https in production, got "${raw}"`);
    return raw.replace(/\/+$/, '');
  };
  const file = (name: string, fallback: string | null): string | null => {
    const path = given(name) ?? fallback;
    if (!path) return null;
    try {
      return readFileSync(resolve(cwd, path), 'utf8');
    } catch {
      problems.push(`${name}: cannot read "${path}"`);
      return null;
    }
  };
  const seconds = (name: string, fallback: number, min: number, max: number) => {
    const raw = given(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };

  const apiBase = baseUrl('WECHAT_API_BASE', 'https://api.weixin.qq.com');
  const appId = given('WECHAT_APP_ID') ?? dev?.appId ?? null;
  const appSecret = given('WECHAT_APP_SECRET') ?? dev?.appSecret ?? null;
  if (appId && !appSecret) problems.push('WECHAT_APP_SECRET is required with WECHAT_APP_ID');
  const miniProgram = appId && appSecret ? { apiBase, appId, appSecret } : null;

  const payBase = baseUrl('WECHAT_PAY_BASE', 'https://api.mch.weixin.qq.com');
  const mchid = given('WECHATPAY_MCHID') ?? dev?.mchid ?? null;
  let pay: WechatPayConfig | null = null;
  if (mchid) {
    if (!/^\d{8,12}$/.test(mchid)) problems.push(`WECHATPAY_MCHID must be the merchant's digits, got "${mchid}"`);
    if (!appId) problems.push('WECHAT_APP_ID is required with WECHATPAY_MCHID (orders are placed for the mini-program)');
    const required = (name: string, value: string | null) => {
      if (!value) problems.push(`${name} is required with WECHATPAY_MCHID`);
      return value ?? '';
    };
    const privateKeyPem = required('WECHATPAY_PRIVATE_KEY_FILE', file('WECHATPAY_PRIVATE_KEY_FILE', dev?.privateKeyFile ?? null));
    const certificatePem = required('WECHATPAY_CERT_FILE', file('WECHATPAY_CERT_FILE', dev?.certificateFile ?? null));
    const apiV3Key = required('WECHATPAY_APIV3_KEY', given('WECHATPAY_APIV3_KEY') ?? dev?.apiV3Key ?? null);
    if (apiV3Key && Buffer.byteLength(apiV3Key, 'utf8') !== 32) problems.push('WECHATPAY_APIV3_KEY must be 32 bytes');
    let certificateSerial = given('WECHATPAY_CERT_SERIAL')?.toUpperCase() ?? '';
    if (certificatePem) {
      try {
        const cert = new X509Certificate(certificatePem);
        certificateSerial ||= cert.serialNumber.toUpperCase().replace(/^0+(?=.)/, '');
        if (production && isDevelopmentCertificate(certificatePem)) problems.push('WECHATPAY_CERT_FILE is the generated development certificate: production needs the merchant\'s real apiclient_cert.pem');
      } catch {
        problems.push('WECHATPAY_CERT_FILE is not a PEM X.509 certificate');
      }
    }
    const platformPem = file('WECHATPAY_PLATFORM_CERT_FILE', null);
    const platformCertificatePems = platformPem ? (platformPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) : [];
    if (platformPem && !platformCertificatePems.length) problems.push('WECHATPAY_PLATFORM_CERT_FILE holds no PEM certificate');
    const publicKeyId = given('WECHATPAY_PUBLIC_KEY_ID');
    const publicKeyPem = file('WECHATPAY_PUBLIC_KEY_FILE', null);
    if (!!publicKeyId !== !!publicKeyPem) problems.push('WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY_FILE go together');
    if (publicKeyId && !publicKeyId.startsWith('PUB_KEY_ID_')) problems.push(`WECHATPAY_PUBLIC_KEY_ID must start with PUB_KEY_ID_, got "${publicKeyId}"`);
    const notifyUrl = given('WECHATPAY_NOTIFY_URL') ?? (production ? null : `http://127.0.0.1:${port}/api/wechat/pay/notify`);
    if (!notifyUrl) problems.push('WECHATPAY_NOTIFY_URL is required with WECHATPAY_MCHID in production');
    else if (production && !notifyUrl.startsWith('https://')) problems.push('WECHATPAY_NOTIFY_URL must be https in production');
    pay = {
      baseUrl: payBase,
      mchid,
      appId: appId ?? '',
      privateKeyPem,
      certificatePem,
      certificateSerial,
      apiV3Key,
      platformCertificatePems,
      publicKey: publicKeyId && publicKeyPem ? { id: publicKeyId, pem: publicKeyPem } : null,
      notifyUrl: notifyUrl ?? '',
      codepayTimeoutSeconds: seconds('WECHATPAY_CODEPAY_TIMEOUT_SECONDS', 45, 1, 600),
      codepayPollMs: seconds('WECHATPAY_CODEPAY_POLL_MS', 2000, 10, 60_000),
      orderTtlMinutes: seconds('WECHATPAY_ORDER_TTL_MINUTES', 30, 1, 24 * 60),
      maxSignatureAgeSeconds: seconds('WECHATPAY_MAX_SIGNATURE_AGE_SECONDS', 300, 30, 3600),
    };
  }
  return { apiBase, miniProgram, pay, development: !!dev };
}

function parseSize(text: string): number | null {
  const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(text.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const n = Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  return n > 0 && n <= 100 * 1024 * 1024 ? n : null;
}

/** Outside production a random secret is made once and kept beside the embedded database. */
function developmentSecret(file: string, make = () => randomBytes(32).toString('base64url')): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = make();
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
