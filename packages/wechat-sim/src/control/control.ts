// The control API: what tests and demos make the simulated users, phones and WeChat do. The same
// class serves in-process callers (`startWechatSim().control`) and the HTTP routes under /__control.
import { payParamsSignMessage, rsaVerify } from '../crypto/wechatpay-crypto';
import type { AppOptions, MerchantOptions, TemplateOptions } from '../options';
import { notifyCustom, releaseHeld, attempt, notifyRefund, notifyTransaction, type NotifyOptions } from '../pay/notifier';
import { finishRefund, refundedFen } from '../pay/refunds';
import { findOrder, findOrderByPrepayId, paymentFails, UserActionError, userCancels, userPays, type PayOptions } from '../pay/transactions';
import type { Sim } from '../sim';
import type {
  DeliveryAttempt,
  Merchant,
  MiniApp,
  NotificationRecord,
  Order,
  PaymentCodeBehaviour,
  PlatformMode,
  Refund,
  RefundOutcome,
  ResponseTamper,
  SentMessage,
  SimUser,
} from '../state';

/** A control call that cannot be done in the simulated world (HTTP 400/404/409 on the control API). */
export class ControlError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface MerchantView {
  mchid: string;
  name: string;
  appids: string[];
  apiV3Key: string;
  merchantCertificateSerials: string[];
  platformMode: PlatformMode;
  /** What the merchant trusts in certificate mode (also served, encrypted, by GET /v3/certificates). */
  platformCertificates: { serialNo: string; certificatePem: string; effectiveTime: string; expireTime: string }[];
  /** What the merchant trusts in public-key mode (`pub_key.pem` and its id, shown on the merchant platform). */
  platformPublicKey: { id: string; publicKeyPem: string };
  balanceFen: number | null;
  feeRateBps: number;
  /** Only for a merchant the simulator created itself: the API key and certificate it would download. */
  generatedKeys: { privateKeyPem: string; certificatePem: string; serialNo: string } | null;
}

export interface OrderView extends Order {
  refundedFen: number;
  refunds: Refund[];
}

export type SubscribeResult = 'accept' | 'reject' | 'ban';

export class Control {
  constructor(private readonly sim: Sim) {}

  // --- merchants and apps ----------------------------------------------------------------------

  merchants(): MerchantView[] {
    return Object.values(this.sim.state.merchants).map((m) => this.merchantView(m));
  }

  merchant(mchid?: string): MerchantView {
    return this.merchantView(this.pickMerchant(mchid));
  }

  registerMerchant(o: MerchantOptions): MerchantView {
    if (!o || typeof o.mchid !== 'string' || !Array.isArray(o.appids) || typeof o.apiV3Key !== 'string' || !o.certificatePem) {
      throw new ControlError(400, 'mchid, appids, apiV3Key and certificatePem are required');
    }
    try {
      return this.merchantView(this.sim.registerMerchant(o));
    } catch (e) {
      throw new ControlError(400, e instanceof Error ? e.message : String(e));
    }
  }

  /** Switch between platform-certificate and public-key signing, and/or rotate the platform certificate. */
  setPlatform(input: { mchid?: string; mode?: PlatformMode; rotateCertificate?: boolean }): MerchantView {
    const m = this.pickMerchant(input.mchid);
    if (input.mode) {
      if (input.mode !== 'certificate' && input.mode !== 'public_key') throw new ControlError(400, 'mode must be certificate or public_key');
      m.platformMode = input.mode;
    }
    if (input.rotateCertificate) this.sim.rotatePlatformCertificate(m);
    this.sim.changed();
    return this.merchantView(m);
  }

  setMerchantBalance(input: { mchid?: string; balanceFen: number | null }): MerchantView {
    const m = this.pickMerchant(input.mchid);
    m.balanceFen = input.balanceFen;
    this.sim.changed();
    return this.merchantView(m);
  }

  /** The next refunds of the merchant end with these outcomes, in order (PROCESSING: until completeRefund). */
  queueRefundOutcomes(input: { mchid?: string; outcomes: RefundOutcome[] }): void {
    const m = this.pickMerchant(input.mchid);
    for (const o of input.outcomes) if (!['SUCCESS', 'ABNORMAL', 'CLOSED', 'PROCESSING'].includes(o)) throw new ControlError(400, `unknown refund outcome ${o}`);
    m.refundOutcomes.push(...input.outcomes);
    this.sim.changed();
  }

  /** The next pay API answers to the merchant are signed wrongly, in order. */
  tamperNextResponses(input: { mchid?: string; tampers: ResponseTamper[] }): void {
    const m = this.pickMerchant(input.mchid);
    for (const t of input.tampers) if (!['forged', 'signtest', 'wrong_serial', 'stale'].includes(t)) throw new ControlError(400, `unknown tamper ${t}`);
    m.responseTampers.push(...input.tampers);
    this.sim.changed();
  }

  apps(): MiniApp[] {
    return Object.values(this.sim.state.apps);
  }

  registerApp(o: AppOptions): MiniApp {
    if (!o || typeof o.appid !== 'string' || typeof o.secret !== 'string') throw new ControlError(400, 'appid and secret are required');
    return this.sim.registerApp(o);
  }

  addTemplate(input: TemplateOptions & { appid?: string }): { templateId: string } {
    const app = this.pickApp(input.appid);
    if (!Array.isArray(input.keywords) || input.keywords.length === 0) throw new ControlError(400, 'keywords must be a non-empty array such as ["thing1","amount2"]');
    return { templateId: this.sim.addTemplate(app, input) };
  }

  /** Every access token of the app expires now (the next call gets 42001). */
  expireTokens(input: { appid?: string } = {}): void {
    const app = this.pickApp(input.appid);
    const now = this.sim.now();
    for (const t of Object.values(this.sim.state.tokens)) if (t.appid === app.appid) t.expiresAt = Math.min(t.expiresAt, now);
    this.sim.changed();
  }

  // --- users -----------------------------------------------------------------------------------

  users(): SimUser[] {
    return Object.values(this.sim.state.users);
  }

  createUser(input: { appid?: string; openid?: string; unionid?: string; phone?: string | null; nickname?: string | null; balanceFen?: number | null } = {}): SimUser {
    const app = this.pickApp(input.appid);
    if (input.openid && this.sim.userByOpenid(input.openid)) throw new ControlError(409, `openid ${input.openid} already exists`);
    return this.sim.createUser({ ...input, appid: app.appid });
  }

  updateUser(openid: string, input: { phone?: string | null; nickname?: string | null; balanceFen?: number | null }): SimUser {
    const user = this.user(openid);
    if (input.phone !== undefined) user.phone = input.phone;
    if (input.nickname !== undefined) user.nickname = input.nickname;
    if (input.balanceFen !== undefined) user.balanceFen = input.balanceFen;
    this.sim.changed();
    return user;
  }

  user(openid: string): SimUser {
    const user = this.sim.userByOpenid(openid);
    if (!user) throw new ControlError(404, `no simulated user with openid ${openid}`);
    return user;
  }

  /**
   * What `wx.login()` gives the mini-program: a code for jscode2session. Without an openid a new
   * user is created (a first-time visitor); the code lives codeTtlSeconds and works once.
   */
  wxLogin(input: { appid?: string; openid?: string; phone?: string | null } = {}): { code: string; openid: string; unionid: string; appid: string } {
    const user = input.openid ? this.user(input.openid) : this.createUser({ appid: input.appid, phone: input.phone });
    const code = this.sim.ids.loginCode();
    this.sim.state.loginCodes[code] = {
      code,
      appid: user.appid,
      openid: user.openid,
      sessionKey: this.sim.ids.sessionKey(),
      expiresAt: this.sim.now() + this.sim.opts.codeTtlSeconds * 1000,
      usedAt: null,
    };
    this.sim.changed();
    return { code, openid: user.openid, unionid: user.unionid, appid: user.appid };
  }

  /** What the getPhoneNumber button gives the mini-program when the user allows it: a code for getuserphonenumber. */
  phoneCode(openid: string, input: { phone?: string } = {}): { code: string; phone: string } {
    const user = this.user(openid);
    if (input.phone) user.phone = input.phone;
    if (!user.phone) throw new ControlError(409, 'the simulated user has no phone number; pass one');
    const code = this.sim.ids.loginCode();
    this.sim.state.phoneCodes[code] = { code, appid: user.appid, openid, phone: user.phone, expiresAt: this.sim.now() + this.sim.opts.codeTtlSeconds * 1000, usedAt: null };
    this.sim.changed();
    return { code, phone: user.phone };
  }

  /**
   * The user's answer to `wx.requestSubscribeMessage`: accept grants one send per template (one-time
   * subscription), reject grants none, ban means "always reject" until accepted again.
   * Returns what requestSubscribeMessage's success callback receives.
   */
  subscribe(openid: string, input: { templateIds: string[]; result?: SubscribeResult; results?: Record<string, SubscribeResult> }): Record<string, string> {
    const user = this.user(openid);
    const app = this.sim.app(user.appid)!;
    const out: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
    for (const id of input.templateIds) {
      if (!app.templates[id]) throw new ControlError(400, `template ${id} is not a template of ${app.appid}`);
      const result = input.results?.[id] ?? input.result ?? 'accept';
      if (result === 'accept') {
        user.subscriptions[id] = (user.subscriptions[id] ?? 0) + 1;
        user.rejectedTemplates = user.rejectedTemplates.filter((t) => t !== id);
      } else if (result === 'ban') {
        if (!user.rejectedTemplates.includes(id)) user.rejectedTemplates.push(id);
      } else if (result !== 'reject') {
        throw new ControlError(400, `result must be accept, reject or ban`);
      }
      out[id] = result;
    }
    this.sim.changed();
    return out;
  }

  /** Subscribe messages sent (errcode 0) and refused (other errcodes), oldest first. */
  messages(filter: { openid?: string; templateId?: string; appid?: string; sentOnly?: boolean } = {}): SentMessage[] {
    return this.sim.state.messages.filter(
      (m) =>
        (!filter.openid || m.touser === filter.openid) &&
        (!filter.templateId || m.templateId === filter.templateId) &&
        (!filter.appid || m.appid === filter.appid) &&
        (!filter.sentOnly || m.errcode === 0),
    );
  }

  /**
   * The payment code (付款码) the user's WeChat shows: 18 digits, valid paymentCodeTtlSeconds, once.
   * behaviour: `pay` pays at once; `password` answers USERPAYING and pays after passwordDelayMs
   * (or when told: pay / cancel / fail); `insufficient` fails with NOT_ENOUGH.
   */
  paymentCode(openid: string, input: { behaviour?: PaymentCodeBehaviour; passwordDelayMs?: number | null } = {}): { authCode: string; expiresAt: string } {
    const user = this.user(openid);
    const behaviour = input.behaviour ?? 'pay';
    if (!['pay', 'password', 'insufficient'].includes(behaviour)) throw new ControlError(400, 'behaviour must be pay, password or insufficient');
    const authCode = `13${this.sim.ids.digits(16)}`;
    const expiresAt = this.sim.now() + this.sim.opts.paymentCodeTtlSeconds * 1000;
    this.sim.state.paymentCodes[authCode] = { code: authCode, openid, appid: user.appid, behaviour, passwordDelayMs: input.passwordDelayMs ?? null, expiresAt, usedAt: null };
    this.sim.changed();
    return { authCode, expiresAt: new Date(expiresAt).toISOString() };
  }

  // --- orders ----------------------------------------------------------------------------------

  orders(filter: { mchid?: string; state?: string } = {}): OrderView[] {
    return Object.values(this.sim.state.orders)
      .filter((o) => (!filter.mchid || o.mchid === filter.mchid) && (!filter.state || o.state === filter.state))
      .map((o) => this.orderView(o));
  }

  order(outTradeNo: string, mchid?: string): OrderView {
    return this.orderView(this.findOrder(outTradeNo, mchid));
  }

  /** The user pays: pay sheet 支付 for a JSAPI order, the password entered for a USERPAYING code payment. */
  async pay(outTradeNo: string, o: PayOptions & { mchid?: string } = {}): Promise<OrderView> {
    const order = this.findOrder(outTradeNo, o.mchid);
    await this.guard(() => userPays(this.sim, order, o));
    return this.orderView(order);
  }

  async payByPrepayId(prepayId: string, o: PayOptions = {}): Promise<OrderView> {
    const order = this.orderByPrepay(prepayId);
    await this.guard(() => userPays(this.sim, order, o));
    return this.orderView(order);
  }

  /** The user closes the pay sheet (JSAPI order stays NOTPAY) or cancels the password (code payment → PAYERROR). */
  cancel(outTradeNo: string, mchid?: string): OrderView {
    const order = this.findOrder(outTradeNo, mchid);
    this.guard(() => userCancels(this.sim, order));
    return this.orderView(order);
  }

  cancelByPrepayId(prepayId: string): OrderView {
    const order = this.orderByPrepay(prepayId);
    this.guard(() => userCancels(this.sim, order));
    return this.orderView(order);
  }

  /** The payment fails: a bank refusal, or a code payment whose password never came (trade_state PAYERROR). */
  fail(outTradeNo: string, input: { mchid?: string; desc?: string } = {}): OrderView {
    const order = this.findOrder(outTradeNo, input.mchid);
    this.guard(() => paymentFails(this.sim, order, input.desc ?? '支付失败，用户未在规定时间内完成支付'));
    return this.orderView(order);
  }

  /**
   * What `wx.requestPayment` does with the parameters the merchant's server signed: WeChat checks
   * paySign against the merchant's certificate ("支付验证签名失败" otherwise), then shows the pay
   * sheet; action is the user's button.
   */
  async requestPayment(
    params: { appId: string; timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string },
    action: 'pay' | 'cancel' = 'pay',
    o: PayOptions = {},
  ): Promise<{ errMsg: string; order: OrderView }> {
    const prepayId = /^prepay_id=(.+)$/.exec(params.package ?? '')?.[1];
    if (!prepayId) throw new ControlError(400, 'requestPayment:fail package 格式应为 prepay_id=…');
    const order = this.orderByPrepay(prepayId);
    if (params.appId !== order.appid) throw new ControlError(400, 'requestPayment:fail appId 与下单的 appid 不一致');
    if (params.signType !== 'RSA') throw new ControlError(400, 'requestPayment:fail signType 应为 RSA');
    const merchant = this.sim.merchant(order.mchid)!;
    const message = payParamsSignMessage(params.appId, params.timeStamp, params.nonceStr, params.package);
    if (!merchant.certificates.some((c) => rsaVerify(message, params.paySign, c.publicKeyPem))) throw new ControlError(400, 'requestPayment:fail 支付验证签名失败');
    if (action === 'cancel') {
      this.cancelByPrepayId(prepayId);
      return { errMsg: 'requestPayment:fail cancel', order: this.orderView(order) };
    }
    await this.guard(() => userPays(this.sim, order, o));
    return { errMsg: 'requestPayment:ok', order: this.orderView(order) };
  }

  // --- refunds ---------------------------------------------------------------------------------

  refunds(filter: { mchid?: string; outTradeNo?: string } = {}): Refund[] {
    return Object.values(this.sim.state.refunds).filter((r) => (!filter.mchid || r.mchid === filter.mchid) && (!filter.outTradeNo || r.outTradeNo === filter.outTradeNo));
  }

  /** A PROCESSING refund ends now with this status, and its notification goes out. */
  async completeRefund(outRefundNo: string, input: NotifyOptions & { mchid?: string; status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED' } = {}): Promise<Refund> {
    const r = this.findRefund(outRefundNo, input.mchid);
    if (r.status !== 'PROCESSING') throw new ControlError(409, `refund ${outRefundNo} is ${r.status}, not PROCESSING`);
    await finishRefund(this.sim, r, input.status ?? 'SUCCESS', input);
    return r;
  }

  // --- notifications ---------------------------------------------------------------------------

  notifications(filter: { mchid?: string; ref?: string; kind?: NotificationRecord['kind'] } = {}): NotificationRecord[] {
    return this.sim.state.notifications.filter(
      (n) => (!filter.mchid || n.mchid === filter.mchid) && (!filter.ref || n.ref === filter.ref) && (!filter.kind || n.kind === filter.kind),
    );
  }

  /** Sends the payment notification of a paid order (again), e.g. forged, tampered, stale, late or with another amount. */
  async notifyOrder(outTradeNo: string, o: NotifyOptions & { mchid?: string } = {}): Promise<NotificationRecord> {
    const order = this.findOrder(outTradeNo, o.mchid);
    if (order.successAt === null) throw new ControlError(409, `order ${outTradeNo} has not been paid`);
    if (!order.notifyUrl) throw new ControlError(409, `order ${outTradeNo} has no notify_url`);
    return (await notifyTransaction(this.sim, order, { ...o, notify: o.notify === 'none' ? 'normal' : o.notify }))!;
  }

  async notifyRefund(outRefundNo: string, o: NotifyOptions & { mchid?: string } = {}): Promise<NotificationRecord> {
    const r = this.findRefund(outRefundNo, o.mchid);
    if (r.status === 'PROCESSING') throw new ControlError(409, `refund ${outRefundNo} is still PROCESSING`);
    if (!r.notifyUrl) throw new ControlError(409, `refund ${outRefundNo} has no notify_url`);
    return (await notifyRefund(this.sim, r, { ...o, notify: o.notify === 'none' ? 'normal' : o.notify }))!;
  }

  /** A correctly encrypted and signed notification with any resource, e.g. for an order that does not exist. */
  async sendNotification(
    input: NotifyOptions & { mchid?: string; url: string; eventType?: string; originalType?: string; summary?: string; resource: unknown },
  ): Promise<NotificationRecord> {
    const m = this.pickMerchant(input.mchid);
    if (!input.url) throw new ControlError(400, 'url is required');
    return (await notifyCustom(
      this.sim,
      m,
      { url: input.url, eventType: input.eventType ?? 'TRANSACTION.SUCCESS', originalType: input.originalType ?? 'transaction', summary: input.summary, resource: input.resource },
      input,
    ))!;
  }

  /** One more delivery of a notification: freshly signed, or (replay) with the headers of its last attempt. */
  async redeliver(id: string, input: { replay?: boolean } = {}): Promise<DeliveryAttempt> {
    const rec = this.sim.state.notifications.find((n) => n.id === id);
    if (!rec) throw new ControlError(404, `no notification ${id}`);
    return attempt(this.sim, rec, { duplicate: true, replayHeaders: input.replay === true });
  }

  /** From now on notifications wait until released (then in the order asked: out of order if newest first). */
  holdNotifications(): void {
    this.sim.state.holdNotifications = true;
    this.sim.changed();
  }

  releaseNotifications(input: { order?: 'oldest_first' | 'newest_first' } = {}): Promise<NotificationRecord[]> {
    return releaseHeld(this.sim, input.order ?? 'oldest_first');
  }

  /** The next `count` delivery attempts fail as if the merchant's notify endpoint were unreachable; retries follow the schedule. */
  failNextDeliveries(count: number): void {
    if (!Number.isInteger(count) || count < 0) throw new ControlError(400, 'count must be a non-negative integer');
    this.sim.state.failNextDeliveries = count;
    this.sim.changed();
  }

  /** Resolves when no notification is pending or held-in-flight any more (or after timeoutMs). */
  async settled(timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const busy = this.sim.state.notifications.some((n) => n.state === 'pending') || Object.values(this.sim.state.refunds).some((r) => r.status === 'PROCESSING' && r.outcome !== 'PROCESSING');
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Runs a user action; what the simulated world refuses (checked before anything changes) becomes a 409. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof UserActionError) throw new ControlError(409, e.message);
      throw e;
    }
  }

  private pickMerchant(mchid?: string): Merchant {
    if (mchid) {
      const m = this.sim.merchant(mchid);
      if (!m) throw new ControlError(404, `no merchant ${mchid}`);
      return m;
    }
    const all = Object.values(this.sim.state.merchants);
    if (all.length !== 1) throw new ControlError(400, all.length === 0 ? 'no merchant registered' : 'several merchants: pass mchid');
    return all[0];
  }

  private pickApp(appid?: string): MiniApp {
    if (appid) {
      const a = this.sim.app(appid);
      if (!a) throw new ControlError(404, `no mini-program ${appid}`);
      return a;
    }
    const all = Object.values(this.sim.state.apps);
    if (all.length !== 1) throw new ControlError(400, all.length === 0 ? 'no mini-program registered' : 'several mini-programs: pass appid');
    return all[0];
  }

  private findOrder(outTradeNo: string, mchid?: string): Order {
    const order = mchid ? findOrder(this.sim, mchid, outTradeNo) : Object.values(this.sim.state.orders).find((o) => o.outTradeNo === outTradeNo);
    if (!order) throw new ControlError(404, `no order ${outTradeNo}`);
    return order;
  }

  private orderByPrepay(prepayId: string): Order {
    const order = findOrderByPrepayId(this.sim, prepayId);
    if (!order) throw new ControlError(404, `no order with prepay_id ${prepayId}`);
    return order;
  }

  private findRefund(outRefundNo: string, mchid?: string): Refund {
    const r = Object.values(this.sim.state.refunds).find((x) => x.outRefundNo === outRefundNo && (!mchid || x.mchid === mchid));
    if (!r) throw new ControlError(404, `no refund ${outRefundNo}`);
    return r;
  }

  private orderView(o: Order): OrderView {
    return { ...o, refundedFen: refundedFen(this.sim, o), refunds: this.refunds({ mchid: o.mchid, outTradeNo: o.outTradeNo }) };
  }

  private merchantView(m: Merchant): MerchantView {
    const gen = this.sim.state.generatedMerchantKeys[m.mchid];
    return {
      mchid: m.mchid,
      name: m.name,
      appids: m.appids,
      apiV3Key: m.apiV3Key,
      merchantCertificateSerials: m.certificates.map((c) => c.serialNo),
      platformMode: m.platformMode,
      platformCertificates: m.platformCertificates.map((c) => ({
        serialNo: c.serialNo,
        certificatePem: c.certificatePem,
        effectiveTime: new Date(c.effectiveAt).toISOString(),
        expireTime: new Date(c.expireAt).toISOString(),
      })),
      platformPublicKey: { id: m.platformPublicKey.id, publicKeyPem: m.platformPublicKey.publicKeyPem },
      balanceFen: m.balanceFen,
      feeRateBps: m.feeRateBps,
      generatedKeys: gen ? { privateKeyPem: gen.privateKeyPem, certificatePem: gen.certificatePem, serialNo: gen.serialNo } : null,
    };
  }
}
