/**
 * The mini-program server API (小程序服务端接口) adapter: jscode2session, the access token,
 * getuserphonenumber and getwxacodeunlimit. WeChat answers errors as HTTP 200 with a non-zero
 * `errcode`, so every JSON answer is checked for it.
 */
export interface WechatMiniProgramGateway {
  readonly appId: string;
  /** wx.login code → openid (+ unionid); 40029 invalid code, 40163 used code. */
  code2Session(code: string): Promise<{ openid: string; unionid: string | null }>;
  /** The getPhoneNumber button's code → the phone number WeChat verified. */
  phoneNumber(code: string): Promise<{ phone: string; countryCode: string }>;
  /** A PNG of the mini-program code (小程序码) for a scene (≤ 32 visible characters). */
  wxacodeUnlimit(input: { scene: string; page?: string; checkPath?: boolean; envVersion?: 'release' | 'trial' | 'develop'; width?: number }): Promise<Buffer>;
  accessToken(): Promise<string>;
}

export const WECHAT_MP_GATEWAY = Symbol('WECHAT_MP_GATEWAY');

export class WechatMpError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${errcode}: ${errmsg}`);
  }
}

/** Token errors after which a fresh token is worth one retry: 40001 invalid/not latest, 42001 expired, 41001 missing. */
const TOKEN_ERRORS = new Set([40001, 42001, 41001]);
const TIMEOUT_MS = 10_000;

export class WechatMiniProgramClient implements WechatMiniProgramGateway {
  private cached: { token: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly cfg: { apiBase: string; appId: string; appSecret: string },
    private readonly now: () => number = Date.now,
  ) {}

  get appId(): string {
    return this.cfg.appId;
  }

  async code2Session(code: string): Promise<{ openid: string; unionid: string | null }> {
    const q = new URLSearchParams({ appid: this.cfg.appId, secret: this.cfg.appSecret, js_code: code, grant_type: 'authorization_code' });
    const body = await this.json(await this.fetch(`/sns/jscode2session?${q}`, { method: 'GET' }));
    if (typeof body.openid !== 'string' || !body.openid) throw new WechatMpError(-1, 'jscode2session answered without openid');
    // session_key is deliberately dropped: the phone number comes through getuserphonenumber, which
    // needs none, and a key we do not keep cannot leak.
    return { openid: body.openid, unionid: typeof body.unionid === 'string' ? body.unionid : null };
  }

  async phoneNumber(code: string): Promise<{ phone: string; countryCode: string }> {
    const body = await this.withToken((token) => this.fetch(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`, { method: 'POST', body: JSON.stringify({ code }) }));
    const info = (body.phone_info ?? {}) as { purePhoneNumber?: string; phoneNumber?: string; countryCode?: string };
    const phone = info.purePhoneNumber ?? info.phoneNumber;
    if (!phone) throw new WechatMpError(-1, 'getuserphonenumber answered without phone_info');
    return { phone, countryCode: info.countryCode ?? '86' };
  }

  async wxacodeUnlimit(input: { scene: string; page?: string; checkPath?: boolean; envVersion?: 'release' | 'trial' | 'develop'; width?: number }): Promise<Buffer> {
    const payload = JSON.stringify({
      scene: input.scene,
      ...(input.page ? { page: input.page } : {}),
      check_path: input.checkPath ?? false,
      env_version: input.envVersion ?? 'release',
      width: input.width ?? 430,
    });
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const res = await this.fetch(`/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, { method: 'POST', body: payload });
      // Success is the image itself; an error is JSON with errcode (still HTTP 200).
      if ((res.headers.get('content-type') ?? '').startsWith('image/')) return Buffer.from(await res.arrayBuffer());
      try {
        await this.json(res);
        throw new WechatMpError(-1, 'getwxacodeunlimit answered neither an image nor an error');
      } catch (e) {
        if (attempt === 0 && e instanceof WechatMpError && TOKEN_ERRORS.has(e.errcode)) {
          this.invalidate(token);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * POST /cgi-bin/stable_token, cached until five minutes before it expires. Unlike
   * /cgi-bin/token, stable_token hands every caller the same token while it is valid, so other
   * processes (or the notifications channel) asking too do not invalidate ours. force_refresh is
   * only used after WeChat rejected the token we hold (it is limited to 20 a day).
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
   */
  accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.cached && this.cached.expiresAt > this.now()) return Promise.resolve(this.cached.token);
    this.refreshing ??= (async () => {
      try {
        const body = await this.json(
          await this.fetch('/cgi-bin/stable_token', {
            method: 'POST',
            body: JSON.stringify({ grant_type: 'client_credential', appid: this.cfg.appId, secret: this.cfg.appSecret, force_refresh: forceRefresh }),
          }),
        );
        if (typeof body.access_token !== 'string') throw new WechatMpError(-1, 'stable_token answered without access_token');
        const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 7200;
        this.cached = { token: body.access_token, expiresAt: this.now() + Math.max(60, lifetime - 300) * 1000 };
        return body.access_token;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  /** Calls with the cached token; when WeChat rejects the token, once more with a forced fresh one. */
  private async withToken(call: (token: string) => Promise<Response>): Promise<Record<string, unknown>> {
    const token = await this.accessToken();
    try {
      return await this.json(await call(token));
    } catch (e) {
      if (!(e instanceof WechatMpError) || !TOKEN_ERRORS.has(e.errcode)) throw e;
      this.invalidate(token);
      return this.json(await call(await this.accessToken()));
    }
  }

  private fetch(pathAndQuery: string, init: { method: 'GET' | 'POST'; body?: string }): Promise<Response> {
    return fetch(this.cfg.apiBase + pathAndQuery, {
      ...init,
      headers: init.body !== undefined ? { 'Content-Type': 'application/json' } : undefined,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }

  private async json(res: Response): Promise<Record<string, unknown>> {
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new WechatMpError(-1, `HTTP ${res.status}: not JSON`);
    }
    if (typeof body.errcode === 'number' && body.errcode !== 0) throw new WechatMpError(body.errcode, String(body.errmsg ?? ''));
    if (!res.ok) throw new WechatMpError(-1, `HTTP ${res.status}`);
    return body;
  }
}
