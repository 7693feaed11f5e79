// A real merchant client against the simulator: wechatpay-node-v3 with an injected HTTP client that
// sends to the simulator instead of api.mch.weixin.qq.com, plus a local HTTP server that receives
// notifications, and direct signed calls for what the library lacks (codepay, reverse).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WxPay from 'wechatpay-node-v3';
import type { IPayRequest } from 'wechatpay-node-v3/dist/lib/pay-request.interface';
import type { Output } from 'wechatpay-node-v3/dist/lib/interface-v2';
import {
  buildAuthorization,
  generateApiV3Key,
  generateMerchantCredentials,
  startWechatSim,
  WECHAT_PAY_BASE_URL,
  type MerchantCredentials,
  type WechatSim,
  type WechatSimOptions,
} from '../../src';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** IPayRequest that sends the library's requests to the simulator and keeps the raw answers for signature checks. */
export class SimPayHttpClient implements IPayRequest {
  readonly responses: RawResponse[] = [];

  constructor(private readonly baseUrl: string) {}

  get last(): RawResponse {
    return this.responses[this.responses.length - 1];
  }

  private target(url: string): string {
    return url.startsWith(WECHAT_PAY_BASE_URL) ? this.baseUrl + url.slice(WECHAT_PAY_BASE_URL.length) : url;
  }

  async post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<Output> {
    // The library signs JSON.stringify(params): the body must be exactly that string.
    return this.send('POST', url, headers, JSON.stringify(params));
  }

  async get(url: string, headers: Record<string, string>): Promise<Output> {
    return this.send('GET', url, headers);
  }

  upload(): Promise<Output> {
    throw new Error('not simulated');
  }

  private async send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<Output> {
    const res = await fetch(this.target(url), { method, headers: { ...headers, 'Accept-Encoding': 'identity' }, body });
    const text = await res.text();
    this.responses.push({ status: res.status, headers: res.headers, text });
    const json = text && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text;
    return res.ok ? { status: res.status, data: json } : { status: res.status, error: text, data: json };
  }
}

export interface ReceivedNotification {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** The merchant's notify endpoint: records every delivery and answers with the next queued status (default 200). */
export class NotifyReceiver {
  readonly received: ReceivedNotification[] = [];
  readonly statuses: number[] = [];
  private server!: Server;
  url = '';
  private waiters: { count: number; resolve: () => void }[] = [];

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
        const status = this.statuses.shift() ?? 200;
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/json');
        res.end(status === 200 || status === 204 ? '' : JSON.stringify({ code: 'FAIL', message: '失败' }));
        this.waiters = this.waiters.filter((w) => {
          if (this.received.length >= w.count) w.resolve();
          return this.received.length < w.count;
        });
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/wechat/notify`;
    return this;
  }

  /** Resolves once `count` deliveries arrived in all. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${this.received.length} of ${count} notifications arrived`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}

export interface MerchantWorld {
  sim: WechatSim;
  creds: MerchantCredentials;
  apiV3Key: string;
  mchid: string;
  appid: string;
  secret: string;
  pay: WxPay;
  http: SimPayHttpClient;
  receiver: NotifyReceiver;
  /** A user of the mini-program with an openid. */
  openid: string;
  /** Signed request to the simulator the way WeChat requires, for calls the library lacks. */
  call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<RawResponse & { json: Record<string, unknown> | null }>;
  close(): Promise<void>;
}

let credsCache: MerchantCredentials | null = null;

/** A merchant, its mini-program, one user and a notify endpoint, against a fresh simulator. */
export async function merchantWorld(options: WechatSimOptions & { platformMode?: 'certificate' | 'public_key' } = {}): Promise<MerchantWorld> {
  const mchid = '1900000109';
  const appid = 'wxd678efh567hg6787';
  const secret = '0123456789abcdef0123456789abcdef';
  // Key generation costs ~100 ms; one merchant identity serves every world of a test file.
  const creds = (credsCache ??= generateMerchantCredentials({ mchid, merchantName: '测试连锁' }));
  const apiV3Key = generateApiV3Key();
  const sim = await startWechatSim({
    notify: { retryScheduleMs: [50, 50, 100, 100, 200], timeoutMs: 2000 },
    refund: { processingMs: 30 },
    ...options,
    apps: [{ appid, secret, name: '测试会员', templates: [{ templateId: 'TPL_BALANCE_CHANGE_000000000000000000000001', title: '储值余额变动提醒', keywords: ['thing1', 'amount2', 'time3'] }] }, ...(options.apps ?? [])],
    merchants: [{ mchid, name: '测试连锁', appids: [appid], apiV3Key, certificatePem: creds.certificatePem, platformMode: options.platformMode }, ...(options.merchants ?? [])],
  });
  const http = new SimPayHttpClient(sim.baseUrl);
  const pay = new WxPay({ appid, mchid, publicKey: Buffer.from(creds.certificatePem), privateKey: Buffer.from(creds.privateKeyPem), key: apiV3Key, userAgent: 'chaincard-test' });
  pay.createHttp(http);
  const receiver = await new NotifyReceiver().start();
  const user = sim.control.createUser({ appid, phone: '13800138000' });
  const call: MerchantWorld['call'] = async (method, path, body) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const authorization = buildAuthorization({ mchid, serialNo: creds.serialNo, privateKey: creds.privateKeyPem, method, url: path, body: text });
    const res = await fetch(sim.baseUrl + path, {
      method,
      headers: { Authorization: authorization, Accept: 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'chaincard-test' },
      body: method === 'GET' ? undefined : text,
    });
    const resText = await res.text();
    const json = resText && (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(resText) as Record<string, unknown>) : null;
    return { status: res.status, headers: res.headers, text: resText, json };
  };
  return {
    sim,
    creds,
    apiV3Key,
    mchid,
    appid,
    secret,
    pay,
    http,
    receiver,
    openid: user.openid,
    call,
    close: async () => {
      await sim.close();
      await receiver.stop();
    },
  };
}

export function jsapiOrder(w: MerchantWorld, outTradeNo: string, totalFen = 100, extra: Record<string, unknown> = {}) {
  return {
    description: 'ChainCard 储值充值',
    out_trade_no: outTradeNo,
    notify_url: w.receiver.url,
    amount: { total: totalFen, currency: 'CNY' },
    payer: { openid: w.openid },
    ...extra,
  };
}
