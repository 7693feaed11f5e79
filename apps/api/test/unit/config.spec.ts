import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config/config';

const cwd = () => mkdtempSync(join(tmpdir(), 'chaincard-config-'));

describe('configuration', () => {
  it('starts with defaults and a generated development secret kept across restarts', () => {
    const dir = cwd();
    const a = loadConfig({}, dir);
    expect(a).toMatchObject({ port: 3000, databaseUrl: null, demoData: true, idempotencyTtlHours: 72, bodyLimitBytes: 1024 * 1024 });
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}, dir).jwtSecret).toBe(a.jwtSecret);
    expect(a.embeddedPg.dataDir).toBe(join(dir, '.data/postgres'));
  });

  it('stops with every bad variable named', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', IDEMPOTENCY_TTL_HOURS: '24', DATABASE_URL: 'mysql://x', BODY_LIMIT: '10gb', DEMO_DATA: 'maybe' }, cwd());
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'LOG_LEVEL', 'IDEMPOTENCY_TTL_HOURS', 'DATABASE_URL', 'BODY_LIMIT', 'DEMO_DATA']) expect(problems).toContain(name);
    }
  });

  it('requires a real JWT secret in production and turns demo data off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, cwd())).toThrow(/JWT_SECRET is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' }, cwd())).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) }, cwd())).toThrow(/MEMBER_PII_KEY is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), MEMBER_PII_KEY: 'c2hvcnQ=' }, cwd())).toThrow(/exactly 32 bytes/);
    const secrets = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), MEMBER_PII_KEY: Buffer.alloc(32, 7).toString('base64'), MEMBER_CODE_SECRET: 'c'.repeat(40), DATABASE_URL: 'postgres://db/chaincard' };
    expect(() => loadConfig(secrets, cwd())).toThrow(/BACKUP_KEY is required in production/);
    const prod = loadConfig({ ...secrets, BACKUP_KEY: Buffer.alloc(32, 3).toString('base64') }, cwd());
    expect(prod.demoData).toBe(false);
    expect(prod.backup.key).toEqual(Buffer.alloc(32, 3));
  });

  it('reads the backup settings: key, schedule, retention and S3', () => {
    const dir = cwd();
    const dev = loadConfig({}, dir);
    expect(dev.backup).toMatchObject({ dir: join(dir, '.data/backups'), schedule: { daily: '02:30' }, keep: { daily: 7, weekly: 4, monthly: 12 }, s3: null });
    expect(dev.backup.key).toHaveLength(32);
    expect(loadConfig({}, dir).backup.key).toEqual(dev.backup.key); // the development key is kept in .data, not in BACKUP_DIR
    expect(readFileSync(join(dir, '.data/dev-backup-key'), 'utf8').trim()).toBe(dev.backup.key.toString('base64'));
    expect(loadConfig({ BACKUP_SCHEDULE: 'every 60' }, dir).backup.schedule).toEqual({ everyMinutes: 60 });
    expect(loadConfig({ BACKUP_SCHEDULE: 'off' }, dir).backup.schedule).toBeNull();
    const s3 = loadConfig({ BACKUP_S3_BUCKET: 'b', BACKUP_S3_ENDPOINT: 'https://oss-cn-shanghai.aliyuncs.com', BACKUP_S3_PREFIX: 'cc', BACKUP_S3_ACCESS_KEY_ID: 'k', BACKUP_S3_SECRET_ACCESS_KEY: 's' }, dir);
    expect(s3.backup.s3).toEqual({ bucket: 'b', prefix: 'cc/', endpoint: 'https://oss-cn-shanghai.aliyuncs.com', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true });
    for (const [env, problem] of [
      [{ BACKUP_KEY: 'c2hvcnQ=' }, /BACKUP_KEY must be base64 of exactly 32 bytes/],
      [{ BACKUP_SCHEDULE: 'hourly' }, /BACKUP_SCHEDULE/],
      [{ BACKUP_SCHEDULE: 'daily 25:00' }, /BACKUP_SCHEDULE/],
      [{ BACKUP_KEEP_DAILY: '-1' }, /BACKUP_KEEP_DAILY/],
      [{ BACKUP_S3_BUCKET: 'b', BACKUP_S3_ACCESS_KEY_ID: 'k' }, /go together/],
      [{ BACKUP_S3_BUCKET: 'b', BACKUP_S3_ENDPOINT: 'oss.example.com' }, /BACKUP_S3_ENDPOINT/],
    ] as const) expect(() => loadConfig(env, dir)).toThrow(problem);
  });

  it('gives development a WeChat merchant and mini-program of its own, pointed at the simulator and kept across restarts', () => {
    const dir = cwd();
    const a = loadConfig({}, dir);
    expect(a.wechat.development).toBe(true);
    expect(a.wechat.miniProgram).toMatchObject({ apiBase: 'http://127.0.0.1:4010' });
    expect(a.wechat.pay).toMatchObject({ baseUrl: 'http://127.0.0.1:4010', notifyUrl: 'http://127.0.0.1:3000/api/wechat/pay/notify', codepayTimeoutSeconds: 45 });
    expect(a.wechat.pay!.mchid).toMatch(/^\d{10}$/);
    expect(a.wechat.pay!.certificateSerial).toMatch(/^[0-9A-F]+$/);
    const b = loadConfig({}, dir);
    expect(b.wechat.pay!.mchid).toBe(a.wechat.pay!.mchid);
    expect(b.wechat.pay!.apiV3Key).toBe(a.wechat.pay!.apiV3Key);
    // Tests configure WeChat themselves: nothing is generated for them.
    expect(loadConfig({ NODE_ENV: "test" }, cwd()).wechat).toMatchObject({ miniProgram: null, pay: null, development: false });
  });

  it('requires the real WeChat keys in production and refuses the development ones', () => {
    const dir = cwd();
    const dev = loadConfig({}, dir);
    const base = { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), MEMBER_PII_KEY: Buffer.alloc(32, 7).toString('base64'), MEMBER_CODE_SECRET: 'c'.repeat(40), BACKUP_KEY: Buffer.alloc(32, 9).toString('base64') };
    // Without WeChat configured, production starts with WeChat off.
    expect(loadConfig(base, cwd()).wechat).toMatchObject({ miniProgram: null, pay: null });
    expect(() => loadConfig({ ...base, WECHATPAY_MCHID: '1900000109' }, dir)).toThrow(/WECHATPAY_PRIVATE_KEY_FILE is required[\s\S]*WECHATPAY_NOTIFY_URL is required/);
    const devFiles = {
      WECHAT_APP_ID: dev.wechat.pay!.appId,
      WECHAT_APP_SECRET: 's'.repeat(32),
      WECHATPAY_MCHID: dev.wechat.pay!.mchid,
      WECHATPAY_PRIVATE_KEY_FILE: join(dir, '.data/wechat-dev/apiclient_key.pem'),
      WECHATPAY_CERT_FILE: join(dir, '.data/wechat-dev/apiclient_cert.pem'),
      WECHATPAY_APIV3_KEY: dev.wechat.pay!.apiV3Key,
      WECHATPAY_NOTIFY_URL: 'https://api.example.com/api/wechat/pay/notify',
    };
    expect(() => loadConfig({ ...base, ...devFiles }, cwd())).toThrow(/development certificate/);
    expect(() => loadConfig({ ...base, ...devFiles, WECHAT_PAY_BASE: 'http://127.0.0.1:4010', WECHATPAY_NOTIFY_URL: 'http://x/notify' }, cwd())).toThrow(/WECHAT_PAY_BASE must be https[\s\S]*WECHATPAY_NOTIFY_URL must be https/);
    expect(() => loadConfig({ ...base, ...devFiles, WECHATPAY_APIV3_KEY: 'short', WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_1' }, cwd())).toThrow(/32 bytes[\s\S]*go together/);
  });

  it('is documented variable by variable in the README', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    for (const v of CONFIG_VARIABLES) expect({ variable: v.name, documented: readme.includes(`\`${v.name}\``) }).toEqual({ variable: v.name, documented: true });
  });
});
