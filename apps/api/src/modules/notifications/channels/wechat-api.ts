import { httpCall } from './http';

/** WeChat server APIs answer errors as HTTP 200 with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat errcode ${errcode}: ${errmsg}`);
  }
}

/** errcodes that mean the access token itself is not (or no longer) valid. */
export const TOKEN_REJECTED = new Set([40001, 40014, 42001]);

/**
 * The mini-program's access token (接口调用凭证) from POST /cgi-bin/stable_token, cached in this
 * process until shortly before it expires. stable_token (unlike /cgi-bin/token) hands every caller
 * the same token while it is valid, so several API instances each keeping their own cache do not
 * invalidate one another. When WeChat refuses a token (40001/42001/40014) it is fetched again;
 * only when that still returns the refused token is force_refresh used (WeChat rate-limits it).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
 */
export class WechatAccessTokens {
  private cached: { token: string; expiresAt: number } | null = null;
  private readonly pending = new Map<boolean, Promise<string>>();

  constructor(
    private readonly cfg: { apiBase: string; appId: string; appSecret: string },
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.now()) return this.cached.token;
    return this.fetch(false);
  }

  /** A new token after WeChat refused `rejected`. */
  async renew(rejected: string): Promise<string> {
    if (this.cached && this.cached.token !== rejected && this.cached.expiresAt > this.now()) return this.cached.token;
    this.cached = null;
    const fresh = await this.fetch(false);
    if (fresh !== rejected) return fresh;
    this.cached = null;
    return this.fetch(true);
  }

  private fetch(force: boolean): Promise<string> {
    const running = this.pending.get(force);
    if (running) return running;
    const call = (async () => {
      const answer = await httpCall(`${this.cfg.apiBase}/cgi-bin/stable_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credential', appid: this.cfg.appId, secret: this.cfg.appSecret, force_refresh: force }),
      });
      const body = (answer.json ?? {}) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
      if (!body.access_token) throw new WechatApiError(body.errcode ?? -1, body.errmsg ?? `HTTP ${answer.status}`);
      // Five minutes early, so that a token is never used in its last moments.
      const lifetime = Math.max((body.expires_in ?? 7200) - 300, 60);
      this.cached = { token: body.access_token, expiresAt: this.now() + lifetime * 1000 };
      return body.access_token;
    })();
    this.pending.set(force, call);
    return call.finally(() => this.pending.delete(force));
  }
}
