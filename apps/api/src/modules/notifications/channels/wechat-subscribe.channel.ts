import type { NotificationsConfig } from '../../../config/config';
import { describe, type Delivery, type LookupResult, type NotificationChannel, type SendResult } from './channel';
import { httpCall, networkFailure, type HttpAnswer } from './http';
import { TOKEN_REJECTED, WechatAccessTokens, WechatApiError } from './wechat-api';

/** errcodes that say this member cannot get this message: try the next channel. */
const RECIPIENT: Record<number, string> = {
  43101: 'the member has not subscribed (or used up the consent) (43101)',
  40003: 'invalid openid (40003)',
};
/** errcodes of WeChat's own trouble or flow control: try again later. */
const TRANSIENT = new Set([-1, 45009, 45011, 45047]);
/** Token errcodes that our configuration causes (wrong AppID/secret, server IP not whitelisted). */
const TOKEN_CONFIG = new Set([40013, 40125, 40164, 41002, 41004, 40002]);

/**
 * WeChat mini-program subscribe messages (小程序订阅消息):
 * POST {WECHAT_API_BASE}/cgi-bin/message/subscribe/send?access_token=… with the template id and
 * keyword data configured per event. WeChat has no idempotency key and no way to ask whether a
 * message went out, so an in-doubt message is sent again (at least once).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 */
export class WechatSubscribeChannel implements NotificationChannel {
  readonly channel = 'wechat' as const;
  readonly dedupe = 'none' as const;
  readonly provider = 'wechat';
  readonly settleMs = 0;
  private readonly tokens: WechatAccessTokens | null;

  constructor(private readonly cfg: NotificationsConfig['wechat']) {
    this.tokens = cfg.appId && cfg.appSecret ? new WechatAccessTokens({ apiBase: cfg.apiBase, appId: cfg.appId, appSecret: cfg.appSecret }) : null;
  }

  unavailable(): string | null {
    return this.tokens ? null : 'WeChat AppID/AppSecret not configured';
  }

  async send(d: Delivery): Promise<SendResult> {
    if (d.content.channel !== 'wechat') throw new Error(`WeChat channel got ${d.content.channel} content`);
    if (!this.tokens) return { kind: 'failed', provider: this.provider, error: 'WeChat is not configured', response: null };
    const body = JSON.stringify({
      touser: d.address,
      template_id: d.content.templateId,
      ...(d.content.page ? { page: d.content.page } : {}),
      data: d.content.data,
      miniprogram_state: this.cfg.miniprogramState,
      lang: 'zh_CN',
    });
    let token: string;
    try {
      token = await this.tokens.get();
    } catch (err) {
      return tokenFailure(err);
    }
    let answer: HttpAnswer;
    try {
      answer = await this.post(token, body);
      if (TOKEN_REJECTED.has(errcodeOf(answer))) {
        try {
          token = await this.tokens.renew(token);
        } catch (err) {
          return tokenFailure(err);
        }
        answer = await this.post(token, body);
      }
    } catch (err) {
      return networkFailure(this.provider, err);
    }
    return classifyWechat(answer);
  }

  async lookup(): Promise<LookupResult> {
    return { kind: 'unsupported' };
  }

  private post(token: string, body: string): Promise<HttpAnswer> {
    return httpCall(`${this.cfg.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
  }
}

function errcodeOf(answer: HttpAnswer): number {
  const code = (answer.json as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code : Number(code ?? NaN);
}

export function classifyWechat(answer: HttpAnswer): SendResult {
  const body = (answer.json ?? null) as { errcode?: number; errmsg?: string; msgid?: number | string } | null;
  if (!body || typeof body !== 'object') {
    return { kind: 'retry', provider: 'wechat', error: `HTTP ${answer.status}`, response: answer.text.slice(0, 500), inDoubt: answer.status >= 500 || answer.status === 200 };
  }
  const code = errcodeOf(answer);
  if (code === 0 || (body.errcode === undefined && answer.status === 200)) {
    return { kind: 'sent', provider: 'wechat', providerMessageId: body.msgid !== undefined ? String(body.msgid) : null, response: body };
  }
  const error = `${code}: ${body.errmsg ?? ''}`;
  if (RECIPIENT[code]) return { kind: 'rejected', provider: 'wechat', reason: RECIPIENT[code], response: body, consentGone: code === 43101 };
  if (TRANSIENT.has(code) || TOKEN_REJECTED.has(code)) return { kind: 'retry', provider: 'wechat', error, response: body, inDoubt: false };
  return { kind: 'failed', provider: 'wechat', error, response: body };
}

function tokenFailure(err: unknown): SendResult {
  if (err instanceof WechatApiError) {
    const error = `access token: ${err.message}`;
    if (TOKEN_CONFIG.has(err.errcode)) return { kind: 'failed', provider: 'wechat', error, response: { errcode: err.errcode, errmsg: err.errmsg } };
    return { kind: 'retry', provider: 'wechat', error, response: { errcode: err.errcode, errmsg: err.errmsg }, inDoubt: false };
  }
  // The token call sends no message: never in doubt.
  return { kind: 'retry', provider: 'wechat', error: `access token: ${describe(err)}`, response: null, inDoubt: false };
}
