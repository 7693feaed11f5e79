// The API against a local WeChat simulator started in the test: a merchant and a mini-program with
// keys made here, the simulator posting notifications to the API listening on a real port.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiV3Key, generateMerchantCredentials, startWechatSim, type MerchantCredentials, type WechatSim, type WechatSimOptions } from '@chaincard/wechat-sim';
import { createTestApp, type TestApp } from './test-app';

export const MCHID = '1900000109';
export const APPID = 'wxd678efh567hg6787';
export const APP_SECRET = '0123456789abcdef0123456789abcdef';
/** A subscribe-message template of the simulated mini-program (储值余额变动提醒). */
export const BALANCE_TEMPLATE = 'tmpl-balance-change';

export interface WechatWorld {
  t: TestApp;
  sim: WechatSim;
  creds: MerchantCredentials;
  apiV3Key: string;
  notifyUrl: string;
  close(): Promise<void>;
}

let credsCache: MerchantCredentials | null = null;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A simulator with one merchant and mini-program, and the API environment pointing at it. */
export async function simulatorEnv(options: { platformMode?: 'certificate' | 'public_key'; sim?: WechatSimOptions; notifyUrl?: string } = {}) {
  const creds = (credsCache ??= generateMerchantCredentials({ mchid: MCHID, merchantName: '测试连锁' }));
  const apiV3Key = generateApiV3Key();
  const sim = await startWechatSim({
    createDefaults: false,
    notify: { retryScheduleMs: [150, 300, 600, 1200], timeoutMs: 3000 },
    refund: { processingMs: 100 },
    ...options.sim,
    apps: [{ appid: APPID, secret: APP_SECRET, name: '测试会员', templates: [{ templateId: BALANCE_TEMPLATE, title: '储值余额变动提醒', keywords: ['amount1', 'amount2', 'thing3', 'time4'] }] }],
    merchants: [{ mchid: MCHID, name: '测试连锁', appids: [APPID], apiV3Key, certificatePem: creds.certificatePem, platformMode: options.platformMode }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'chaincard-wechat-'));
  writeFileSync(join(dir, 'apiclient_key.pem'), creds.privateKeyPem);
  writeFileSync(join(dir, 'apiclient_cert.pem'), creds.certificatePem);
  const env: Record<string, string> = {
    WECHAT_API_BASE: sim.baseUrl,
    WECHAT_PAY_BASE: sim.baseUrl,
    WECHAT_APP_ID: APPID,
    WECHAT_APP_SECRET: APP_SECRET,
    WECHATPAY_MCHID: MCHID,
    WECHATPAY_PRIVATE_KEY_FILE: join(dir, 'apiclient_key.pem'),
    WECHATPAY_CERT_FILE: join(dir, 'apiclient_cert.pem'),
    WECHATPAY_APIV3_KEY: apiV3Key,
    WECHATPAY_NOTIFY_URL: options.notifyUrl ?? 'http://127.0.0.1:9/api/wechat/pay/notify',
    WECHATPAY_CODEPAY_TIMEOUT_SECONDS: '2',
    WECHATPAY_CODEPAY_POLL_MS: '100',
  };
  if (options.platformMode === 'public_key') {
    const pub = sim.control.merchant(MCHID).platformPublicKey;
    writeFileSync(join(dir, 'pub_key.pem'), pub.publicKeyPem);
    env.WECHATPAY_PUBLIC_KEY_ID = pub.id;
    env.WECHATPAY_PUBLIC_KEY_FILE = join(dir, 'pub_key.pem');
  }
  return { sim, creds, apiV3Key, env };
}

export async function wechatWorld(
  options: { platformMode?: 'certificate' | 'public_key'; sim?: WechatSimOptions; env?: Record<string, string> } = {},
): Promise<WechatWorld> {
  const port = await freePort();
  const notifyUrl = `http://127.0.0.1:${port}/api/wechat/pay/notify`;
  const { sim, creds, apiV3Key, env } = await simulatorEnv({ ...options, notifyUrl });
  const t = await createTestApp({ ...env, ...options.env });
  await t.app.listen(port, '127.0.0.1');
  return {
    t,
    sim,
    creds,
    apiV3Key,
    notifyUrl,
    close: async () => {
      await sim.close();
      await t.close();
    },
  };
}

/** Polls until `check` holds (the simulator delivers notifications asynchronously). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
