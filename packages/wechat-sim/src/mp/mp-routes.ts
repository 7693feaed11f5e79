// Mini-program server APIs (小程序服务端接口). They answer every error with HTTP 200 and
// `{ errcode, errmsg }`, errmsg ending in WeChat's `rid:` trace id.
//   code2Session   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
//   stable_token   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
//   subscribe send https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
//   phone number   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
//   wxacode        https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
import QRCode from 'qrcode';
import { jsonObject, send, sendJson, type Ctx, type Router } from '../http/router';
import type { Sim } from '../sim';
import type { AccessToken, MiniApp } from '../state';
import { beijingDate } from '../time';
import { checkTemplateData } from './subscribe-rules';

class MpError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

export function registerMpRoutes(sim: Sim, router: Router): void {
  const route = (method: 'GET' | 'POST', pattern: string, handler: (ctx: Ctx) => Promise<Record<string, unknown> | Buffer> | Record<string, unknown> | Buffer) =>
    router.on(method, pattern, async (ctx) => {
      try {
        const result = await handler(ctx);
        if (Buffer.isBuffer(result)) return send(ctx.res, 200, result, { 'Content-Type': 'image/png' });
        return sendJson(ctx.res, 200, result);
      } catch (e) {
        if (e instanceof MpError) return sendJson(ctx.res, 200, { errcode: e.errcode, errmsg: `${e.message}, rid: ${sim.ids.rid()}` });
        sim.opts.log(`mp API error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        return sendJson(ctx.res, 200, { errcode: -1, errmsg: `system error, rid: ${sim.ids.rid()}` });
      }
    });

  route('GET', '/sns/jscode2session', (ctx) => code2Session(sim, ctx.query));
  route('GET', '/cgi-bin/token', (ctx) => {
    const app = appWithSecret(sim, ctx.query.get('grant_type'), ctx.query.get('appid'), ctx.query.get('secret'));
    return issueToken(sim, app, 'token');
  });
  route('POST', '/cgi-bin/stable_token', (ctx) => {
    const body = jsonObject(ctx.rawBody);
    if (!body) throw new MpError(47001, 'data format error');
    const app = appWithSecret(sim, strOrNull(body.grant_type), strOrNull(body.appid), strOrNull(body.secret));
    return stableToken(sim, app, body.force_refresh === true);
  });
  route('POST', '/cgi-bin/message/subscribe/send', (ctx) => sendSubscribeMessage(sim, appForToken(sim, ctx.query), ctx.rawBody));
  route('POST', '/wxa/business/getuserphonenumber', (ctx) => phoneNumber(sim, appForToken(sim, ctx.query), ctx.rawBody));
  route('POST', '/wxa/getwxacodeunlimit', (ctx) => wxacodeUnlimit(sim, appForToken(sim, ctx.query), ctx.rawBody));
}

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function appWithSecret(sim: Sim, grantType: string | null, appid: string | null, secret: string | null): MiniApp {
  if (grantType !== 'client_credential') throw new MpError(40002, 'invalid grant_type');
  const app = appid ? sim.app(appid) : undefined;
  if (!app) throw new MpError(40013, 'invalid appid');
  if (secret !== app.secret) throw new MpError(40125, 'invalid appsecret');
  return app;
}

function code2Session(sim: Sim, q: URLSearchParams): Record<string, unknown> {
  const app = sim.app(q.get('appid') ?? '');
  if (!app) throw new MpError(40013, 'invalid appid');
  if (q.get('secret') !== app.secret) throw new MpError(40125, 'invalid appsecret');
  if (q.get('grant_type') !== 'authorization_code') throw new MpError(40002, 'invalid grant_type');
  const jsCode = q.get('js_code');
  if (!jsCode) throw new MpError(41008, 'missing code');
  const code = sim.state.loginCodes[jsCode];
  if (!code || code.appid !== app.appid || code.expiresAt <= sim.now()) throw new MpError(40029, 'invalid code');
  if (code.usedAt !== null) throw new MpError(40163, 'code been used');
  code.usedAt = sim.now();
  sim.changed();
  const user = sim.userByOpenid(code.openid)!;
  return { session_key: code.sessionKey, unionid: user.unionid, openid: user.openid };
}

/** GET /cgi-bin/token issues a new token each call; the previous ones stay valid 5 more minutes. */
function issueToken(sim: Sim, app: MiniApp, kind: 'token'): Record<string, unknown> {
  const now = sim.now();
  for (const t of Object.values(sim.state.tokens)) {
    if (t.appid === app.appid && t.kind === kind) t.expiresAt = Math.min(t.expiresAt, now + 300_000);
  }
  const t = newToken(sim, app, kind);
  return { access_token: t.token, expires_in: sim.opts.accessTokenTtlSeconds };
}

function newToken(sim: Sim, app: MiniApp, kind: AccessToken['kind']): AccessToken {
  const now = sim.now();
  const t: AccessToken = { token: sim.ids.accessToken(), appid: app.appid, kind, issuedAt: now, expiresAt: now + sim.opts.accessTokenTtlSeconds * 1000 };
  sim.state.tokens[t.token] = t;
  sim.changed();
  return t;
}

/**
 * POST /cgi-bin/stable_token: the same token while it is valid (independent of /cgi-bin/token's);
 * force_refresh issues a new one and ends the old at once, at most 20 times a day.
 */
function stableToken(sim: Sim, app: MiniApp, forceRefresh: boolean): Record<string, unknown> {
  const now = sim.now();
  const current = Object.values(sim.state.tokens).find((t) => t.appid === app.appid && t.kind === 'stable' && t.expiresAt > now);
  if (current && !forceRefresh) return { access_token: current.token, expires_in: Math.floor((current.expiresAt - now) / 1000) };
  if (forceRefresh) {
    const day = beijingDate(now);
    if (app.stableForceRefresh.day !== day) app.stableForceRefresh = { day, count: 0 };
    if (app.stableForceRefresh.count >= 20) throw new MpError(45009, 'reach max api daily quota limit');
    app.stableForceRefresh.count += 1;
    if (current) current.expiresAt = now;
  }
  const t = newToken(sim, app, 'stable');
  return { access_token: t.token, expires_in: sim.opts.accessTokenTtlSeconds };
}

function appForToken(sim: Sim, q: URLSearchParams): MiniApp {
  const token = q.get('access_token');
  if (!token) throw new MpError(41001, 'access_token missing');
  const t = sim.state.tokens[token];
  if (!t) throw new MpError(40001, 'invalid credential, access_token is invalid or not latest');
  if (t.expiresAt <= sim.now()) {
    // A stable token ended by force_refresh is "not latest"; one that ran out of time is "expired".
    if (t.kind === 'stable' && Object.values(sim.state.tokens).some((o) => o.appid === t.appid && o.kind === 'stable' && o.issuedAt > t.issuedAt)) {
      throw new MpError(40001, 'invalid credential, access_token is invalid or not latest');
    }
    throw new MpError(42001, 'access_token expired');
  }
  return sim.app(t.appid)!;
}

function bodyOf(raw: Buffer): Record<string, unknown> {
  const body = jsonObject(raw);
  if (!body) throw new MpError(47001, 'data format error');
  return body;
}

/** Sends one subscribe message, consuming one of the user's one-time consents for the template. */
function sendSubscribeMessage(sim: Sim, app: MiniApp, raw: Buffer): Record<string, unknown> {
  const body = bodyOf(raw);
  const touser = strOrNull(body.touser) ?? '';
  const templateId = strOrNull(body.template_id) ?? '';
  const record = (errcode: number, errmsg: string, msgid: number | null) =>
    sim.state.messages.push({
      msgid,
      appid: app.appid,
      touser,
      templateId,
      page: strOrNull(body.page),
      data: body.data,
      miniprogramState: strOrNull(body.miniprogram_state),
      lang: strOrNull(body.lang),
      at: sim.now(),
      errcode,
      errmsg,
    });
  const fail = (errcode: number, errmsg: string): never => {
    record(errcode, errmsg, null);
    sim.changed();
    throw new MpError(errcode, errmsg);
  };
  const user = sim.userByOpenid(touser);
  if (!user || user.appid !== app.appid) return fail(40003, 'invalid openid');
  const template = app.templates[templateId];
  if (!template) return fail(40037, 'invalid template id');
  const state = body.miniprogram_state;
  if (state !== undefined && state !== 'developer' && state !== 'trial' && state !== 'formal') return fail(47003, 'argument invalid! miniprogram_state invalid');
  const dataError = checkTemplateData(template.keywords, body.data);
  if (dataError) return fail(47003, dataError);
  const left = user.subscriptions[templateId] ?? 0;
  if (left <= 0 || user.rejectedTemplates.includes(templateId)) return fail(43101, 'user refuse to accept the msg');
  user.subscriptions[templateId] = left - 1;
  const msgid = sim.state.nextMsgid++;
  record(0, 'ok', msgid);
  sim.changed();
  return { errcode: 0, errmsg: 'ok', msgid };
}

function phoneNumber(sim: Sim, app: MiniApp, raw: Buffer): Record<string, unknown> {
  const body = bodyOf(raw);
  const code = sim.state.phoneCodes[strOrNull(body.code) ?? ''];
  if (!code || code.appid !== app.appid || code.usedAt !== null || code.expiresAt <= sim.now()) throw new MpError(40029, 'invalid code');
  code.usedAt = sim.now();
  sim.changed();
  const m = /^\+?(\d{1,3})[- ](.+)$/.exec(code.phone);
  const countryCode = m ? m[1] : '86';
  const pure = m ? m[2].replace(/\D/g, '') : code.phone;
  return {
    errcode: 0,
    errmsg: 'ok',
    phone_info: {
      // Numbers outside mainland China carry their country code.
      phoneNumber: countryCode === '86' ? pure : `+${countryCode} ${pure}`,
      purePhoneNumber: pure,
      countryCode,
      watermark: { timestamp: Math.floor(sim.now() / 1000), appid: app.appid },
    },
  };
}

const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/** A PNG of a QR code encoding the scene (WeChat draws a round 小程序码; a QR code is what a test or a phone camera can read). */
async function wxacodeUnlimit(sim: Sim, app: MiniApp, raw: Buffer): Promise<Buffer> {
  const body = bodyOf(raw);
  const scene = strOrNull(body.scene);
  if (scene === null || !SCENE.test(scene)) throw new MpError(40169, 'invalid length for scene, or the data is not json string');
  const page = strOrNull(body.page);
  const envVersion = body.env_version ?? 'release';
  if (envVersion !== 'release' && envVersion !== 'trial' && envVersion !== 'develop') throw new MpError(40097, 'invalid args');
  if (page !== null && page !== '') {
    if (page.startsWith('/')) throw new MpError(41030, 'invalid page');
    // check_path (default true) requires a released page; only checked for release codes, like WeChat.
    if (body.check_path !== false && envVersion === 'release' && app.pages && !app.pages.includes(page)) throw new MpError(41030, 'invalid page');
  }
  const width = typeof body.width === 'number' ? Math.min(1280, Math.max(280, Math.round(body.width))) : 430;
  const line = body.line_color as { r?: unknown; g?: unknown; b?: unknown } | undefined;
  const hex = (v: unknown) => Math.min(255, Math.max(0, Number(v) || 0)).toString(16).padStart(2, '0');
  const dark = body.auto_color !== true && line && typeof line === 'object' ? `#${hex(line.r)}${hex(line.g)}${hex(line.b)}ff` : '#000000ff';
  const light = body.is_hyaline === true ? '#00000000' : '#ffffffff';
  return QRCode.toBuffer(sim.opts.wxacodeContent(scene, page || null, app.appid), { type: 'png', width, margin: 2, errorCorrectionLevel: 'M', color: { dark, light } });
}
