// The simulator core: state, clock, identifiers and timers, shared by the pay API, the
// mini-program API, the control API and the pay sheet.
import { certificatePublicKey, certificateSerial, generateApiV3Key, generateMerchantCredentials, generateRsaKeyPair, selfSignedCertificate } from './crypto/certificates';
import type { AppOptions, MerchantOptions, ResolvedOptions, TemplateOptions } from './options';
import { createRng, Ids } from './rng';
import { emptyState, loadState, saveState, type Merchant, type MiniApp, type PlatformCertificate, type SimState, type SimUser } from './state';

export class Sim {
  state: SimState;
  readonly ids: Ids;
  baseUrl = '';
  private readonly timers = new Set<NodeJS.Timeout>();
  private saveTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(readonly opts: ResolvedOptions) {
    const loaded = opts.stateFile ? loadState(opts.stateFile) : null;
    this.state = loaded ?? emptyState();
    const rng = createRng(opts.seed, this.state.rngCounter);
    const ids = new Ids(rng);
    this.ids = ids;
    this.counter = () => rng.counter();
  }

  private readonly counter: () => number;

  now(): number {
    return this.opts.now();
  }

  get publicBaseUrl(): string {
    return this.opts.publicBaseUrl ?? this.baseUrl;
  }

  /** Marks the state changed; with a state file it is written shortly after (coalesced). */
  changed(): void {
    if (!this.opts.stateFile || this.closed || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.flush();
    }, 50);
    this.saveTimer.unref();
  }

  flush(): void {
    if (!this.opts.stateFile) return;
    this.state.rngCounter = this.counter();
    saveState(this.opts.stateFile, this.state);
  }

  /** setTimeout that close() cancels. */
  later(ms: number, fn: () => unknown): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      Promise.resolve()
        .then(fn)
        .catch((e: unknown) => this.opts.log(`timer failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    }, Math.max(0, ms));
    this.timers.add(t);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.flush();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // --- merchants -------------------------------------------------------------------------------

  /** Registers (or updates) a merchant; platform keys are created once and kept. */
  registerMerchant(o: MerchantOptions): Merchant {
    const pems = Array.isArray(o.certificatePem) ? o.certificatePem : [o.certificatePem];
    const certificates = pems.map((pem) => ({ serialNo: certificateSerial(pem), certificatePem: pem, publicKeyPem: certificatePublicKey(pem) }));
    if (Buffer.from(o.apiV3Key, 'utf8').length !== 32) throw new Error('apiV3Key must be 32 bytes');
    const existing = this.state.merchants[o.mchid];
    const merchant: Merchant = existing
      ? { ...existing }
      : {
          mchid: o.mchid,
          name: o.name ?? `商户${o.mchid}`,
          appids: [],
          apiV3Key: o.apiV3Key,
          certificates: [],
          platformMode: 'certificate',
          platformCertificates: [this.newPlatformCertificate(o.mchid)],
          platformPublicKey: this.newPlatformPublicKey(o.mchid),
          balanceFen: null,
          feeRateBps: 60,
          refundNotifyUrl: null,
          refundOutcomes: [],
          responseTampers: [],
        };
    merchant.name = o.name ?? merchant.name;
    merchant.appids = [...o.appids];
    merchant.apiV3Key = o.apiV3Key;
    merchant.certificates = certificates;
    merchant.platformMode = o.platformMode ?? merchant.platformMode;
    if (o.balanceFen !== undefined) merchant.balanceFen = o.balanceFen;
    if (o.feeRateBps !== undefined) merchant.feeRateBps = o.feeRateBps;
    if (o.refundNotifyUrl !== undefined) merchant.refundNotifyUrl = o.refundNotifyUrl;
    this.state.merchants[o.mchid] = merchant;
    this.changed();
    return merchant;
  }

  /** WeChat rotates platform certificates; the new one signs from now on and both are listed. */
  rotatePlatformCertificate(merchant: Merchant): PlatformCertificate {
    const cert = this.newPlatformCertificate(merchant.mchid);
    merchant.platformCertificates.push(cert);
    this.changed();
    return cert;
  }

  private newPlatformCertificate(mchid: string): PlatformCertificate {
    const keys = generateRsaKeyPair();
    const notBefore = new Date(this.now() - 3600 * 1000);
    const cert = selfSignedCertificate(
      keys,
      { commonName: `Tenpay.com Root CA (simulated) ${mchid}`, organization: '财付通支付科技有限公司', organizationalUnit: '财付通支付科技有限公司CA中心', country: 'CN', locality: 'Shenzhen' },
      { notBefore, days: 5 * 365, serialBytes: this.ids.bytes(20) },
    );
    return {
      serialNo: cert.serialNo,
      certificatePem: cert.certificatePem,
      privateKeyPem: keys.privateKeyPem,
      effectiveAt: cert.notBefore.getTime(),
      expireAt: cert.notAfter.getTime(),
    };
  }

  private newPlatformPublicKey(mchid: string): Merchant['platformPublicKey'] {
    const keys = generateRsaKeyPair();
    // Real ids look like PUB_KEY_ID_0114232134912410000000000000: "01", the merchant id, digits.
    const id = `PUB_KEY_ID_01${mchid}${this.ids.digits(Math.max(4, 26 - mchid.length))}`;
    return { id, publicKeyPem: keys.publicKeyPem, privateKeyPem: keys.privateKeyPem };
  }

  /** The key and serial WeChat signs this merchant's responses and notifications with. */
  signingKey(merchant: Merchant): { serial: string; privateKeyPem: string } {
    if (merchant.platformMode === 'public_key') {
      return { serial: merchant.platformPublicKey.id, privateKeyPem: merchant.platformPublicKey.privateKeyPem };
    }
    const newest = merchant.platformCertificates[merchant.platformCertificates.length - 1];
    return { serial: newest.serialNo, privateKeyPem: newest.privateKeyPem };
  }

  merchant(mchid: string): Merchant | undefined {
    return this.state.merchants[mchid];
  }

  // --- mini-programs ---------------------------------------------------------------------------

  registerApp(o: AppOptions): MiniApp {
    const existing = this.state.apps[o.appid];
    const app: MiniApp = existing
      ? { ...existing, secret: o.secret, name: o.name ?? existing.name, pages: o.pages ?? existing.pages }
      : { appid: o.appid, secret: o.secret, name: o.name ?? `小程序${o.appid}`, pages: o.pages ?? null, templates: {}, stableForceRefresh: { day: '', count: 0 } };
    this.state.apps[o.appid] = app;
    for (const t of o.templates ?? []) this.addTemplate(app, t);
    this.changed();
    return app;
  }

  addTemplate(app: MiniApp, t: TemplateOptions): string {
    const templateId = t.templateId ?? this.ids.templateId();
    app.templates[templateId] = { templateId, title: t.title, keywords: [...t.keywords] };
    this.changed();
    return templateId;
  }

  app(appid: string): MiniApp | undefined {
    return this.state.apps[appid];
  }

  // --- users -----------------------------------------------------------------------------------

  createUser(input: { appid: string; openid?: string; unionid?: string; phone?: string | null; nickname?: string | null; balanceFen?: number | null }): SimUser {
    if (input.openid && this.userByOpenid(input.openid)) throw new Error(`openid ${input.openid} already exists`);
    const n = Object.keys(this.state.users).length + 1;
    const user: SimUser = {
      userId: `u${String(n).padStart(4, '0')}`,
      appid: input.appid,
      openid: input.openid ?? this.ids.openid(),
      unionid: input.unionid ?? this.ids.unionid(),
      phone: input.phone ?? null,
      nickname: input.nickname ?? null,
      balanceFen: input.balanceFen ?? null,
      subscriptions: {},
      rejectedTemplates: [],
    };
    this.state.users[user.userId] = user;
    this.changed();
    return user;
  }

  userByOpenid(openid: string): SimUser | undefined {
    return Object.values(this.state.users).find((u) => u.openid === openid);
  }

  // --- defaults --------------------------------------------------------------------------------

  /** A demo merchant, mini-program and subscribe template, for a simulator started with nothing configured. */
  createDefaultWorld(): void {
    const appid = this.ids.appid();
    const mchid = this.ids.mchid();
    const creds = generateMerchantCredentials({ mchid, merchantName: 'ChainCard 演示商户' });
    this.state.generatedMerchantKeys[mchid] = { mchid, privateKeyPem: creds.privateKeyPem, certificatePem: creds.certificatePem, serialNo: creds.serialNo };
    this.registerApp({
      appid,
      secret: this.ids.appSecret(),
      name: 'ChainCard 会员',
      templates: [
        { title: '储值余额变动提醒', keywords: ['thing1', 'amount2', 'amount3', 'time4'] },
        { title: '充值成功通知', keywords: ['amount1', 'amount2', 'time3', 'thing4'] },
        { title: '预约成功通知', keywords: ['thing1', 'time2', 'thing3', 'name4'] },
      ],
    });
    this.registerMerchant({ mchid, name: 'ChainCard 演示商户', appids: [appid], apiV3Key: generateApiV3Key((n) => this.ids.bytes(n)), certificatePem: creds.certificatePem });
  }
}
