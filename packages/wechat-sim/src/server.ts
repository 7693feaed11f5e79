import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Control } from './control/control';
import { CORS_HEADERS, registerControlRoutes } from './control/control-routes';
import { readBody, send, sendJson, Router, type Ctx } from './http/router';
import { registerMpRoutes } from './mp/mp-routes';
import { resolveOptions, type WechatSimOptions } from './options';
import { resumePending } from './pay/notifier';
import { registerPayRoutes } from './pay/pay-routes';
import { Sim } from './sim';
import type { SimState } from './state';
import { paySheet } from './ui/pay-sheet';

export interface WechatSim {
  /** `http://host:port`: the base URL of the pay API (instead of https://api.mch.weixin.qq.com) and of the mini-program API (instead of https://api.weixin.qq.com). */
  baseUrl: string;
  port: number;
  /** In-process control API (the same operations as HTTP /__control/...). */
  control: Control;
  /** The live state, for assertions. */
  readonly state: SimState;
  close(): Promise<void>;
}

export async function startWechatSim(options: WechatSimOptions = {}): Promise<WechatSim> {
  const opts = resolveOptions(options);
  const sim = new Sim(opts);
  for (const a of options.apps ?? []) sim.registerApp(a);
  for (const m of options.merchants ?? []) sim.registerMerchant(m);
  if (opts.createDefaults && Object.keys(sim.state.merchants).length === 0 && Object.keys(sim.state.apps).length === 0) sim.createDefaultWorld();

  const control = new Control(sim);
  const router = new Router();
  registerPayRoutes(sim, router);
  registerMpRoutes(sim, router);
  registerControlRoutes(sim, control, router);
  router.get('/pay-sheet', (ctx) => paySheet(sim, ctx));
  router.get('/', (ctx) => sendJson(ctx.res, 200, { name: 'ChainCard WeChat simulator', merchants: Object.keys(sim.state.merchants), apps: Object.keys(sim.state.apps), control: '/__control' }));

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse) {
    const rawUrl = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(rawUrl, 'http://sim.local');
    if (method === 'OPTIONS' && url.pathname.startsWith('/__control')) return send(res, 204, null, CORS_HEADERS);
    let rawBody: Buffer;
    try {
      rawBody = await readBody(req);
    } catch {
      return sendJson(res, 413, { code: 'PARAM_ERROR', message: '请求体过大' });
    }
    const match = router.match(method, url.pathname);
    if (match === null || match === 'method') {
      if (url.pathname.startsWith('/v3/')) return sendJson(res, 404, { code: 'NOT_FOUND', message: '请求的资源不存在' });
      return sendJson(res, match === 'method' ? 405 : 404, { error: `${method} ${url.pathname} is not simulated` });
    }
    const ctx: Ctx = { req, res, method, rawUrl, path: url.pathname, query: url.searchParams, params: match.params, rawBody };
    try {
      await match.handler(ctx);
    } catch (e) {
      opts.log(`unhandled: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'simulator error' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  sim.baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  resumePending(sim);
  opts.log(`WeChat simulator listening on ${sim.baseUrl}`);

  return {
    baseUrl: sim.baseUrl,
    port,
    control,
    get state() {
      return sim.state;
    },
    close: async () => {
      sim.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
