import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import type { JsonLogger } from '../../common/logger';
import { requestContext } from '../../common/request-context';
import { OrdersService } from '../orders/orders.service';
import { ShiftsService } from '../shifts/shifts.service';
import { WalletService } from '../wallet/wallet.service';
import { isWechatAuthCode, newMerchantNumber } from './domain/numbers';
import type {
  CounterCodeTopUpRequest,
  ListPayOrdersQuery,
  ListRefundsQuery,
  MemberTopUpPaymentResponse,
  PayOrderDetailResponse,
  PayOrderResponse,
  WechatRefundResponse,
} from './dto/wechat-pay.dto';
import type { WechatPayOrderEntity, WechatRefundEntity } from './entities/wechat.entity';
import { WECHAT_PAY_GATEWAY, NotificationRejected, WechatPayError, WechatPaySignatureError, type PayRefund, type PayTransaction, type WechatPayGateway } from './wechat-pay.gateway';
import { WechatRepository } from './wechat.repository';

type Outcome =
  | 'credited'
  | 'duplicate'
  | 'unknown_order'
  | 'foreign_merchant'
  | 'amount_mismatch'
  | 'not_success'
  | 'late_after_close'
  | 'closed'
  | 'reversed'
  | 'failed'
  | 'still_open'
  | 'refund_succeeded'
  | 'refund_abnormal'
  | 'refund_closed'
  | 'unknown_refund'
  | 'ignored';

const OPEN: WechatPayOrderEntity['status'][] = ['pending', 'user_paying'];

/**
 * WeChat Pay as money coming in and going back: member top-ups (JSAPI in the mini-program),
 * counter payments by payment code, their notifications, the job that settles orders WeChat never
 * told us about, and refunds through WeChat. Every change of a pay order happens with its row
 * locked and only from an open state, so notifications, the job and manual syncs racing on one
 * order apply its outcome once; the wallet's unique payment reference is the second guard.
 */
@Injectable()
export class WechatPayService implements OnModuleInit, OnModuleDestroy {
  private readonly pollers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: WechatRepository,
    private readonly wallet: WalletService,
    private readonly shifts: ShiftsService,
    private readonly orders: OrdersService,
    private readonly audit: AuditService,
    private readonly scheduler: JobScheduler,
    @Inject(WECHAT_PAY_GATEWAY) private readonly gateway: WechatPayGateway | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    // Refunds of orders paid with WeChat send the WeChat part back through here (orders does not import us).
    this.orders.registerExternalRefunder({ refund: (m, input) => this.refundOrderPayment(m, input) });
    if (!this.gateway) return;
    this.scheduler.register({ name: 'wechat.settle-open-orders', schedule: { everyMinutes: 1 }, run: (now) => this.settleOpenOrders(now) });
    this.scheduler.register({ name: 'wechat.settle-open-refunds', schedule: { everyMinutes: 5 }, run: (now) => this.settleOpenRefunds(now) });
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const t of this.pollers) clearTimeout(t);
    this.pollers.clear();
  }


  // ── member top-up (小程序充值) ───────────────────────────────────────────────

  /**
   * Places a JSAPI order for a top-up of the member's stored value at his home store and returns
   * the signed parameters of wx.requestPayment. Nothing is credited here: the verified
   * notification (or the job's query) does it, once.
   */
  createMemberTopUp(actor: MemberActor, amountFen: number): Promise<MemberTopUpPaymentResponse> {
    const pay = this.requirePay();
    return this.tx.run(async (m) => {
      const settings = await this.wallet.settings();
      if (amountFen < settings.minTopUpFen || amountFen > settings.maxTopUpFen) {
        throw new AppError('WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', { minFen: settings.minTopUpFen, maxFen: settings.maxTopUpFen });
      }
      const member = await this.repo.memberNoAndHome(m, actor.id);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      const status = await this.memberStatus(m, actor.id);
      if (status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const openid = await this.repo.openidOf(m, actor.id, pay.appId);
      if (!openid) throw new AppError('WECHAT_ACCOUNT_REQUIRED');
      const now = new Date();
      const order = await this.repo.insertPayOrder(m, {
        outTradeNo: newMerchantNumber('T', now),
        purpose: 'top_up',
        tradeType: 'JSAPI',
        status: 'pending',
        memberId: actor.id,
        storeId: member.homeStoreId,
        amountFen,
        description: `会员储值充值 ${member.memberNo}`,
        appid: pay.appId,
        mchid: pay.mchid,
        openid,
        expiresAt: new Date(now.getTime() + this.payConfig().orderTtlMinutes * 60_000),
      });
      const { prepayId } = await this.call(() => pay.jsapiPrepay({ outTradeNo: order.outTradeNo, description: order.description, amountFen, openid, expiresAt: order.expiresAt }));
      await this.repo.updatePayOrder(m, order.id, { prepayId });
      await this.audit.record(m, { action: 'wechat.top_up.create', entityType: 'wechat_pay_order', entityId: order.id, storeId: order.storeId, after: { outTradeNo: order.outTradeNo, amountFen, memberId: actor.id } });
      return { ...toPayOrderResponse({ ...order, prepayId }), requestPayment: pay.requestPaymentParams(prepayId) };
    });
  }

  /** The app asks after wx.requestPayment returned: a still-open order is checked with WeChat at once. */
  async memberPayOrder(actor: MemberActor, payOrderId: string): Promise<PayOrderResponse> {
    const order = await this.repo.payOrderOfMember(this.tx.manager, payOrderId, actor.id);
    if (!order) throw new AppError('WECHAT_PAY_ORDER_NOT_FOUND');
    if (OPEN.includes(order.status) && this.gateway) await this.syncPayOrder(order.id).catch((e: unknown) => this.logger.write('warn', 'wechat sync failed', { payOrderId, err: String(e) }));
    return toPayOrderResponse((await this.repo.payOrder(this.tx.manager, payOrderId))!);
  }

  // ── counter payment by payment code (付款码) ──────────────────────────────────

  /**
   * A top-up at the counter paid by scanning the member's WeChat payment code: the money is taken
   * by WeChat (codepay), then the top-up is credited and recorded in the cashier's shift. A code
   * that waits for the payer's password answers `user_paying`; the order is then polled and, if
   * the password never comes within WECHATPAY_CODEPAY_TIMEOUT_SECONDS, reversed (撤销).
   */
  counterTopUpByCode(actor: StaffActor, memberId: string, input: CounterCodeTopUpRequest): Promise<PayOrderResponse> {
    const pay = this.requirePay();
    if (!isWechatAuthCode(input.authCode)) throw new AppError('WECHAT_AUTH_CODE_INVALID');
    return this.tx.run(async (m) => {
      const { shiftId } = await this.shifts.requireOpenShift(m, { staffId: actor.id, storeId: input.storeId });
      const settings = await this.wallet.settings();
      if (input.amountFen < settings.minTopUpFen || input.amountFen > settings.maxTopUpFen) {
        throw new AppError('WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', { minFen: settings.minTopUpFen, maxFen: settings.maxTopUpFen });
      }
      if ((await this.memberStatus(m, memberId)) !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const now = new Date();
      const order = await this.repo.insertPayOrder(m, {
        outTradeNo: newMerchantNumber('C', now),
        purpose: 'top_up',
        tradeType: 'MICROPAY',
        status: 'pending',
        memberId,
        storeId: input.storeId,
        amountFen: input.amountFen,
        description: '会员储值充值',
        appid: pay.appId,
        mchid: pay.mchid,
        staffId: actor.id,
        shiftId,
        expiresAt: new Date(now.getTime() + this.payConfig().codepayTimeoutSeconds * 1000),
      });
      await this.audit.record(m, { action: 'wechat.codepay.create', entityType: 'wechat_pay_order', entityId: order.id, storeId: order.storeId, after: { outTradeNo: order.outTradeNo, amountFen: order.amountFen, memberId } });
      return this.runCodepay(m, pay, order, input.authCode);
    });
  }

  /** One payment-code charge (POST /v3/pay/transactions/codepay) and what its answer means for the pay order. */
  private async runCodepay(m: EntityManager, pay: WechatPayGateway, order: WechatPayOrderEntity, authCode: string): Promise<PayOrderResponse> {
    let outcome;
    try {
      outcome = await pay.codepay({ outTradeNo: order.outTradeNo, description: order.description, amountFen: order.amountFen, authCode, storeId: order.storeId });
    } catch (e) {
      if (e instanceof WechatPayError && e.verified && !['SYSTEM_ERROR', 'BANK_ERROR', 'UNKNOWN'].includes(e.code)) {
        // WeChat refused (no money, expired code…): nothing was taken, the payment ends here.
        await this.end(m, order, 'failed', `${e.code}: ${e.message}`);
        return toPayOrderResponse((await this.repo.payOrder(m, order.id))!);
      }
      // Unknown outcome (timeout, system error): the order stays open; polling and the job query it.
      this.logger.write('warn', 'codepay outcome unknown', { outTradeNo: order.outTradeNo, err: String(e) });
      await this.repo.updatePayOrder(m, order.id, { status: 'user_paying' });
      this.startPolling(order.id);
      return toPayOrderResponse({ ...order, status: 'user_paying' });
    }
    if (outcome.status === 'paid') {
      await this.applyPaid(m, order, outcome.transaction);
      return toPayOrderResponse((await this.repo.payOrder(m, order.id))!);
    }
    await this.repo.updatePayOrder(m, order.id, { status: 'user_paying' });
    this.startPolling(order.id);
    return toPayOrderResponse({ ...order, status: 'user_paying' });
  }

  /** Polls a payment code waiting for the password until it ends (paid, failed) or its time is up (reversed). */
  private startPolling(payOrderId: string): void {
    const tick = () => {
      const t = setTimeout(() => {
        this.pollers.delete(t);
        if (this.stopped) return;
        // A fresh context: the timer was set inside the request, whose transaction is gone by now.
        void requestContext
          .run({ requestId: `wechat:codepay-poll:${payOrderId}`, ip: '' }, () => this.syncPayOrder(payOrderId))
          .then((status) => {
            if (status === 'user_paying' || status === 'pending' || status === null) tick();
          })
          .catch((e: unknown) => {
            this.logger.write('warn', 'codepay poll failed', { payOrderId, err: String(e) });
            tick();
          });
      }, this.payConfig().codepayPollMs);
      t.unref();
      this.pollers.add(t);
    };
    tick();
  }

  // ── a cashier's order paid with WeChat (收银台微信支付) ─────────────────────────

  /**
   * The member pays the WeChat part of his order in the mini-program (JSAPI): one pay order per
   * order payment (asking again answers the same prepay with fresh requestPayment parameters).
   */
  payOrderInApp(actor: MemberActor, orderId: string): Promise<MemberTopUpPaymentResponse> {
    const pay = this.requirePay();
    return this.tx.run(async (m) => {
      const order = await this.orders.myOrder(actor.id, orderId);
      const payment = this.pendingWechatPart(order);
      const existing = await this.repo.payOrderByPayment(m, payment.id);
      if (existing) {
        if (existing.tradeType !== 'JSAPI' || existing.status !== 'pending' || !existing.prepayId || existing.memberId !== actor.id) throw new AppError('WECHAT_PAY_ORDER_NOT_PENDING', { status: existing.status });
        return { ...toPayOrderResponse(existing), requestPayment: pay.requestPaymentParams(existing.prepayId) };
      }
      const openid = await this.repo.openidOf(m, actor.id, pay.appId);
      if (!openid) throw new AppError('WECHAT_ACCOUNT_REQUIRED');
      const now = new Date();
      const row = await this.repo.insertPayOrder(m, {
        outTradeNo: newMerchantNumber('O', now),
        purpose: 'order',
        tradeType: 'JSAPI',
        status: 'pending',
        memberId: actor.id,
        storeId: order.storeId,
        amountFen: payment.amountFen,
        description: `订单 ${order.orderNo}`,
        appid: pay.appId,
        mchid: pay.mchid,
        openid,
        orderPaymentId: payment.id,
        expiresAt: new Date(now.getTime() + this.payConfig().orderTtlMinutes * 60_000),
      });
      const { prepayId } = await this.call(() => pay.jsapiPrepay({ outTradeNo: row.outTradeNo, description: row.description, amountFen: row.amountFen, openid, expiresAt: row.expiresAt }));
      await this.repo.updatePayOrder(m, row.id, { prepayId });
      await this.audit.record(m, { action: 'wechat.order_pay.create', entityType: 'wechat_pay_order', entityId: row.id, storeId: row.storeId, after: { outTradeNo: row.outTradeNo, orderId, amountFen: row.amountFen } });
      return { ...toPayOrderResponse({ ...row, prepayId }), requestPayment: pay.requestPaymentParams(prepayId) };
    });
  }

  /**
   * The cashier scans the member's payment code for the WeChat part of an order (付款码): paid →
   * the order completes; refused → the order is cancelled; waiting for the password → polled, and
   * reversed (the order cancelled) if it never comes.
   */
  codepayForOrder(actor: StaffActor, orderId: string, authCode: string): Promise<PayOrderResponse> {
    const pay = this.requirePay();
    if (!isWechatAuthCode(authCode)) throw new AppError('WECHAT_AUTH_CODE_INVALID');
    return this.tx.run(async (m) => {
      const order = await this.orders.get(orderId);
      const payment = this.pendingWechatPart(order);
      if (await this.repo.payOrderByPayment(m, payment.id)) throw new AppError('WECHAT_PAY_ORDER_NOT_PENDING');
      const now = new Date();
      const row = await this.repo.insertPayOrder(m, {
        outTradeNo: newMerchantNumber('C', now),
        purpose: 'order',
        tradeType: 'MICROPAY',
        status: 'pending',
        memberId: order.memberId,
        storeId: order.storeId,
        amountFen: payment.amountFen,
        description: `订单 ${order.orderNo}`,
        appid: pay.appId,
        mchid: pay.mchid,
        staffId: actor.id,
        orderPaymentId: payment.id,
        expiresAt: new Date(now.getTime() + this.payConfig().codepayTimeoutSeconds * 1000),
      });
      await this.audit.record(m, { action: 'wechat.codepay.create', entityType: 'wechat_pay_order', entityId: row.id, storeId: row.storeId, after: { outTradeNo: row.outTradeNo, orderId, amountFen: row.amountFen } });
      return this.runCodepay(m, pay, row, authCode);
    });
  }

  private pendingWechatPart(order: { status: string; payments: { id: string; method: string; status: string; amountFen: number }[] }) {
    const payment = order.payments.find((p) => p.method === 'wechat' && p.status === 'pending');
    if (order.status !== 'pending_payment' || !payment) throw new AppError('WECHAT_PAY_ORDER_NOT_PENDING', { status: order.status });
    return payment;
  }

  /**
   * Sends an order's WeChat part back (the orders capability's refund calls this in its
   * transaction). Payments WeChat never took through us (none on record) have nothing to send.
   */
  private async refundOrderPayment(m: EntityManager, input: { orderId: string; refundId: string; refundNo: string; orderPaymentId: string; amountFen: number; reason: string }): Promise<void> {
    const found = await this.repo.payOrderByPayment(m, input.orderPaymentId);
    if (!found || found.status !== 'paid') {
      this.logger.write('warn', 'order refund of a WeChat part with no WeChat payment on record', { orderId: input.orderId, orderPaymentId: input.orderPaymentId });
      return;
    }
    const pay = this.requirePay();
    const order = (await this.repo.lockPayOrder(m, found.id))!;
    if (!(await this.repo.reserveRefund(m, order.id, input.amountFen))) throw new AppError('WECHAT_REFUND_EXCEEDS_PAYMENT', { amountFen: input.amountFen, left: order.amountFen - order.refundedFen });
    const actor = requestContext.get()?.actor;
    const refund = await this.repo.insertRefund(m, {
      outRefundNo: newMerchantNumber('R'),
      payOrderId: order.id,
      storeId: order.storeId,
      amountFen: input.amountFen,
      reason: input.reason.slice(0, 80),
      status: 'pending',
      orderRefundRef: input.refundNo,
      requestedBy: actor?.kind === 'staff' ? actor.id : null,
    });
    await this.audit.record(m, { action: 'wechat.refund.create', entityType: 'wechat_refund', entityId: refund.id, storeId: refund.storeId, reason: input.reason, after: { outRefundNo: refund.outRefundNo, amountFen: input.amountFen, orderRefund: input.refundNo } });
    await this.sendRefund(m, pay, refund, order, true);
  }

  // ── notifications (支付/退款结果通知) ──────────────────────────────────────────

  /**
   * POST /api/wechat/pay/notify. Refused (4xx, so WeChat sends it again later) unless signed by
   * WeChat Pay, fresh (≤ 5 min), not a probe and decryptable with its tag; a verified notification
   * is acknowledged whatever it says, duplicates and unknown orders included: its effect is
   * decided by our order's state, never by how often it arrives.
   */
  async handleNotification(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<void> {
    const pay = this.requirePay();
    let n;
    try {
      n = await pay.parseNotification(headers, rawBody);
    } catch (e) {
      const reason = e instanceof NotificationRejected ? e.reason : 'error';
      this.logger.write('warn', 'wechat notification refused', { reason });
      throw new AppError('WECHAT_NOTIFICATION_REJECTED', { reason });
    }
    if (n.kind === 'transaction') {
      const first = await this.repo.recordNotification(this.tx.manager, { notificationId: n.id, eventType: n.eventType, outTradeNo: n.transaction.outTradeNo, outRefundNo: null });
      const outcome = await this.tx.run(async (m) => {
        const order = await this.repo.lockPayOrderByNo(m, n.transaction.outTradeNo);
        if (!order) return 'unknown_order' as const;
        if (n.eventType !== 'TRANSACTION.SUCCESS') return 'ignored' as const;
        return this.applyPaid(m, order, n.transaction);
      });
      await this.repo.notificationOutcome(this.tx.manager, n.id, first ? outcome : `redelivery:${outcome}`);
      if (outcome !== 'credited' && outcome !== 'duplicate') this.logger.write('warn', 'wechat payment notification not credited', { outTradeNo: n.transaction.outTradeNo, outcome });
    } else if (n.kind === 'refund') {
      await this.repo.recordNotification(this.tx.manager, { notificationId: n.id, eventType: n.eventType, outTradeNo: n.refund.outTradeNo, outRefundNo: n.refund.outRefundNo });
      const outcome = n.refund.mchid && n.refund.mchid !== pay.mchid ? ('foreign_merchant' as const) : await this.applyRefundOutcome(n.refund);
      await this.repo.notificationOutcome(this.tx.manager, n.id, outcome);
      // A refund is sent inside the transaction that records it: its notification can beat that
      // commit. Not acknowledging makes WeChat deliver it again a little later.
      if (outcome === 'unknown_refund') throw new AppError('SERVICE_UNAVAILABLE', { reason: 'unknown_refund' });
    } else {
      await this.repo.recordNotification(this.tx.manager, { notificationId: n.id, eventType: n.eventType, outTradeNo: null, outRefundNo: null });
    }
  }

  /**
   * A transaction WeChat says is paid, for our order (row locked by the caller). Credits only when
   * it is ours (mchid, appid), of the amount we asked, SUCCESS with a transaction id, and the
   * order is still open. A paid order seen again is a duplicate; a closed one stays closed (a late
   * success after our close is never credited: reconciliation shows it).
   */
  private async applyPaid(m: EntityManager, order: WechatPayOrderEntity, t: PayTransaction): Promise<Outcome> {
    if (t.mchid !== order.mchid || t.appid !== order.appid) return this.reject(m, order, 'foreign_merchant', t);
    if (t.tradeState !== 'SUCCESS' || !t.transactionId) return 'not_success';
    if (t.totalFen !== order.amountFen || (t.currency !== null && t.currency !== 'CNY')) return this.reject(m, order, 'amount_mismatch', t);
    if (order.status === 'paid') return order.transactionId === t.transactionId ? 'duplicate' : this.reject(m, order, 'amount_mismatch', t);
    if (!OPEN.includes(order.status)) return this.reject(m, order, 'late_after_close', t);
    const paidAt = t.successTime ? new Date(t.successTime) : new Date();
    await this.repo.updatePayOrder(m, order.id, { status: 'paid', transactionId: t.transactionId, paidAt: Number.isNaN(paidAt.getTime()) ? new Date() : paidAt, failure: null });
    if (order.purpose === 'top_up') {
      const topUp = await this.wallet.topUp(m, {
        memberId: order.memberId!,
        storeId: order.storeId,
        amountFen: order.amountFen,
        paymentMethod: 'wechat',
        paymentRef: t.transactionId,
        memo: `微信支付 ${t.transactionId}`,
      });
      await this.repo.updatePayOrder(m, order.id, { topUpId: topUp.id });
      if (order.shiftId) await this.recordShiftTaking(m, order, topUp.id);
    } else if (order.orderPaymentId) {
      // The order completes in this transaction: points, tiers, the WeChat taking in its shift.
      await this.orders.completeExternalPayment({ paymentId: order.orderPaymentId, providerRef: t.transactionId, amountFen: order.amountFen, at: paidAt });
    }
    await this.audit.record(m, {
      action: 'wechat.pay.paid',
      entityType: 'wechat_pay_order',
      entityId: order.id,
      storeId: order.storeId,
      before: { status: order.status },
      after: { status: 'paid', transactionId: t.transactionId, amountFen: order.amountFen },
    });
    return 'credited';
  }

  /** A counter payment-code top-up completed after the request: its money joins the cashier's shift if that is still open. */
  private async recordShiftTaking(m: EntityManager, order: WechatPayOrderEntity, topUpId: string): Promise<void> {
    await m.query('SAVEPOINT wechat_taking');
    try {
      await this.shifts.recordTakings(m, { shiftId: order.shiftId!, storeId: order.storeId, method: 'wechat', amountFen: order.amountFen, refType: 'wallet_top_up', refId: topUpId });
      await m.query('RELEASE SAVEPOINT wechat_taking');
    } catch (e) {
      // The shift closed while the payer typed the password: the money is WeChat's to settle, not
      // the drawer's; the top-up stands and the shift report simply does not list it.
      await m.query('ROLLBACK TO SAVEPOINT wechat_taking');
      if (!(e instanceof AppError)) throw e;
      this.logger.write('warn', 'codepay taking not recorded in the shift', { payOrderId: order.id, shiftId: order.shiftId, code: e.code });
    }
  }

  private async reject(m: EntityManager, order: WechatPayOrderEntity, outcome: Outcome, t: PayTransaction): Promise<Outcome> {
    await this.audit.record(m, {
      action: 'wechat.pay.rejected',
      entityType: 'wechat_pay_order',
      entityId: order.id,
      storeId: order.storeId,
      reason: outcome,
      before: { status: order.status, amountFen: order.amountFen, mchid: order.mchid, appid: order.appid },
      after: { tradeState: t.tradeState, transactionId: t.transactionId, totalFen: t.totalFen, mchid: t.mchid, appid: t.appid },
    });
    this.logger.write('error', 'wechat payment not credited', { outTradeNo: order.outTradeNo, outcome, transactionId: t.transactionId });
    return outcome;
  }

  // ── settling open orders (query, close, reverse) ─────────────────────────────

  /**
   * Asks WeChat about one open order and applies the answer: paid → credit; still unpaid after its
   * time → close (JSAPI) or reverse (payment code); failed → closed. Returns the order's status.
   */
  async syncPayOrder(payOrderId: string, now = new Date()): Promise<WechatPayOrderEntity['status'] | null> {
    const pay = this.requirePay();
    const order = await this.repo.payOrder(this.tx.manager, payOrderId);
    if (!order) return null;
    if (!OPEN.includes(order.status)) return order.status;
    const t = await pay.query(order.outTradeNo);
    if (t?.tradeState === 'SUCCESS' || t?.tradeState === 'REFUND') return this.settle(order.id, (m, o) => this.applyPaid(m, o, t));
    const expired = now.getTime() >= order.expiresAt.getTime();
    if (order.tradeType === 'MICROPAY') {
      if (t?.tradeState === 'PAYERROR' || t?.tradeState === 'CLOSED' || t?.tradeState === 'REVOKED') {
        return this.settle(order.id, (m, o) => this.end(m, o, t.tradeState === 'REVOKED' ? 'reversed' : 'failed', t.tradeStateDesc ?? t.tradeState));
      }
      if (!expired) return order.status;
      // The password never came: reverse, which also returns the money should the payer have paid
      // between our query and now, so that nothing is taken without a credit.
      if (t) await pay.reverse(order.outTradeNo);
      return this.settle(order.id, (m, o) => this.end(m, o, 'reversed', '付款码支付超时未输入密码，已撤销'));
    }
    if (t === null) return expired ? this.settle(order.id, (m, o) => this.end(m, o, 'closed', 'WeChat has no such order')) : order.status;
    if (t.tradeState === 'CLOSED' || t.tradeState === 'REVOKED' || t.tradeState === 'PAYERROR') return this.settle(order.id, (m, o) => this.end(m, o, 'closed', t.tradeStateDesc ?? t.tradeState));
    if (!expired || t.tradeState === 'USERPAYING') return order.status;
    const closed = await pay.close(order.outTradeNo);
    if (closed === 'paid') {
      const again = await pay.query(order.outTradeNo);
      return again ? this.settle(order.id, (m, o) => this.applyPaid(m, o, again)) : order.status;
    }
    if (closed === 'user_paying') return order.status;
    return this.settle(order.id, (m, o) => this.end(m, o, 'closed', '超时未支付，已关单'));
  }

  private async settle(payOrderId: string, apply: (m: EntityManager, order: WechatPayOrderEntity) => Promise<unknown>): Promise<WechatPayOrderEntity['status'] | null> {
    return this.tx.run(async (m) => {
      const order = await this.repo.lockPayOrder(m, payOrderId);
      if (!order) return null;
      await apply(m, order);
      return (await this.repo.payOrder(m, payOrderId))!.status;
    });
  }

  private async end(m: EntityManager, order: WechatPayOrderEntity, status: 'closed' | 'failed' | 'reversed', why: string): Promise<Outcome> {
    if (!OPEN.includes(order.status)) return 'duplicate';
    await this.repo.updatePayOrder(m, order.id, { status, closedAt: new Date(), failure: why });
    // The order is cancelled and everything it applied undone (orders' failExternalPayment).
    if (order.purpose === 'order' && order.orderPaymentId) await this.orders.failExternalPayment({ paymentId: order.orderPaymentId, reason: why });
    await this.audit.record(m, { action: `wechat.pay.${status}`, entityType: 'wechat_pay_order', entityId: order.id, storeId: order.storeId, reason: why, before: { status: order.status }, after: { status } });
    return status;
  }

  /** The job: every open order older than a minute is asked about (missed notifications), expired ones closed or reversed. */
  async settleOpenOrders(now = new Date()): Promise<{ checked: number; failed: number }> {
    if (!this.gateway) return { checked: 0, failed: 0 };
    let checked = 0;
    let failed = 0;
    for (const id of await this.repo.openPayOrderIds(this.tx.dataSource.manager, now, 200)) {
      checked++;
      await this.syncPayOrder(id, now).catch((e: unknown) => {
        failed++;
        this.logger.write('warn', 'wechat order settlement failed', { payOrderId: id, err: String(e) });
      });
    }
    // An order waiting for its WeChat part that nobody started paying (no pay order: the member
    // never opened it, the cashier never scanned) times out like an unpaid one: cancelled.
    const before = new Date(now.getTime() - this.payConfig().orderTtlMinutes * 60_000);
    for (const paymentId of await this.orders.stalePendingWechatPayments(before)) {
      if (await this.repo.payOrderByPayment(this.tx.dataSource.manager, paymentId)) continue;
      checked++;
      await this.orders.failExternalPayment({ paymentId, reason: '微信支付超时未付款' }).catch((e: unknown) => {
        failed++;
        this.logger.write('warn', 'timing out an unpaid WeChat part failed', { paymentId, err: String(e) });
      });
    }
    return { checked, failed };
  }

  // ── refunds (退款) ────────────────────────────────────────────────────────────

  /**
   * Refunds a WeChat-paid top-up through WeChat. The wallet side (principal, released bonus, bonus
   * points taken back under the chain's refund rules) is applied first, in the same transaction as
   * the refund row, so the member cannot spend what is being returned; then WeChat is asked.
   * WeChat refusing outright rolls both back; WeChat not answering leaves the refund `pending`
   * for the job to send again under the same out_refund_no (WeChat answers the same refund).
   * The refund completes on WeChat's notification (or the job's query).
   */
  refundTopUp(actor: StaffActor, topUpId: string, reason: string): Promise<WechatRefundResponse> {
    const pay = this.requirePay();
    return this.tx.run(async (m) => {
      const order = await this.repo.payOrderByTopUp(m, topUpId);
      if (!order) throw new AppError('WECHAT_TOP_UP_NOT_WECHAT');
      const locked = (await this.repo.lockPayOrder(m, order.id))!;
      if (!(await this.repo.reserveRefund(m, locked.id, locked.amountFen))) throw new AppError('WALLET_TOP_UP_ALREADY_REFUNDED');
      const result = await this.wallet.refundTopUp(m, topUpId, { reason, viaPaymentProvider: true });
      const cashFen = result.refundCashFen ?? locked.amountFen;
      if (cashFen <= 0) throw new AppError('WALLET_TOP_UP_BONUS_SPENT');
      // deduct_from_refund hands back less than was paid: only that part goes back to the payer.
      if (cashFen < locked.amountFen) await m.query('UPDATE wechat_pay_order SET refunded_fen = refunded_fen - $2 WHERE id = $1', [locked.id, locked.amountFen - cashFen]);
      const refund = await this.repo.insertRefund(m, {
        outRefundNo: newMerchantNumber('R'),
        payOrderId: locked.id,
        storeId: locked.storeId,
        amountFen: cashFen,
        reason,
        status: 'pending',
        topUpId,
        requestedBy: actor.id,
      });
      await this.audit.record(m, { action: 'wechat.refund.create', entityType: 'wechat_refund', entityId: refund.id, storeId: refund.storeId, reason, after: { outRefundNo: refund.outRefundNo, amountFen: cashFen, topUpId } });
      return toRefundResponse(await this.sendRefund(m, pay, refund, locked, true));
    });
  }

  /**
   * Sends a refund to WeChat and records the answer. With `firstTime`, a verified refusal is
   * thrown (the caller's transaction rolls everything back); later attempts record it instead.
   */
  private async sendRefund(m: EntityManager, pay: WechatPayGateway, refund: WechatRefundEntity, order: WechatPayOrderEntity, firstTime: boolean): Promise<WechatRefundEntity> {
    const attempts = refund.attempts + 1;
    try {
      const r = await pay.refund({ outTradeNo: order.outTradeNo, outRefundNo: refund.outRefundNo, refundFen: refund.amountFen, totalFen: order.amountFen, reason: refund.reason });
      await this.repo.updateRefund(m, refund.id, { status: 'processing', refundId: r.refundId, attempts, lastError: null });
      if (r.status === 'SUCCESS' || r.status === 'ABNORMAL' || r.status === 'CLOSED') await this.applyRefundOutcomeIn(m, r);
    } catch (e) {
      if (firstTime && e instanceof WechatPayError && e.verified && !['SYSTEM_ERROR', 'FREQUENCY_LIMITED', 'UNKNOWN'].includes(e.code)) {
        throw new AppError('WECHAT_PAY_FAILED', { code: e.code, message: e.message });
      }
      await this.repo.updateRefund(m, refund.id, { attempts, lastError: String(e instanceof Error ? e.message : e) });
      this.logger.write('warn', 'wechat refund not accepted yet', { outRefundNo: refund.outRefundNo, err: String(e) });
    }
    return (await this.repo.refund(m, refund.id))!;
  }

  /** Sends a refund again: one WeChat never accepted (same number), or one that ended ABNORMAL (WeChat's abnormal-refund retry). */
  retryRefund(actor: StaffActor, wechatRefundId: string): Promise<WechatRefundResponse> {
    const pay = this.requirePay();
    return this.tx.run(async (m) => {
      const refund = await this.repo.lockRefund(m, wechatRefundId);
      if (!refund) throw new AppError('WECHAT_REFUND_NOT_FOUND');
      const order = (await this.repo.payOrder(m, refund.payOrderId))!;
      if (refund.status === 'pending') {
        const sent = await this.sendRefund(m, pay, refund, order, false);
        await this.audit.record(m, { action: 'wechat.refund.retry', entityType: 'wechat_refund', entityId: refund.id, storeId: refund.storeId, after: { status: sent.status } });
        return toRefundResponse(sent);
      }
      if (refund.status === 'abnormal' && refund.refundId) {
        const r = await this.call(() => pay.applyAbnormalRefund(refund.refundId!, refund.outRefundNo));
        await this.repo.updateRefund(m, refund.id, { status: 'processing', attempts: refund.attempts + 1, lastError: null });
        if (r.status === 'SUCCESS') await this.applyRefundOutcomeIn(m, r);
        await this.audit.record(m, { action: 'wechat.refund.retry', entityType: 'wechat_refund', entityId: refund.id, storeId: refund.storeId, before: { status: 'abnormal' }, after: { status: r.status } });
        return toRefundResponse((await this.repo.refund(m, refund.id))!);
      }
      if (refund.status === 'closed') {
        // WeChat closed it for good: the money is still owed, so it goes out again under a new number.
        const again = await this.repo.insertRefund(m, { outRefundNo: newMerchantNumber('R'), payOrderId: refund.payOrderId, storeId: refund.storeId, amountFen: refund.amountFen, reason: refund.reason, status: 'pending', topUpId: refund.topUpId, orderRefundRef: refund.orderRefundRef, requestedBy: actor.id });
        await this.repo.updateRefund(m, refund.id, { lastError: `re-sent as ${again.outRefundNo}` });
        await this.audit.record(m, { action: 'wechat.refund.retry', entityType: 'wechat_refund', entityId: again.id, storeId: again.storeId, before: { outRefundNo: refund.outRefundNo, status: 'closed' }, after: { outRefundNo: again.outRefundNo } });
        return toRefundResponse(await this.sendRefund(m, pay, again, order, false));
      }
      throw new AppError('WECHAT_REFUND_NOT_RETRYABLE', { status: refund.status });
    });
  }

  private applyRefundOutcome(r: PayRefund): Promise<Outcome> {
    return this.tx.run((m) => this.applyRefundOutcomeIn(m, r));
  }

  /** WeChat's final word on a refund (notification or query): SUCCESS completes it; ABNORMAL and CLOSED make it visible and retryable. */
  private async applyRefundOutcomeIn(m: EntityManager, r: PayRefund): Promise<Outcome> {
    const refund = await this.repo.lockRefundByNo(m, r.outRefundNo);
    if (!refund) return 'unknown_refund';
    if (r.refundFen !== null && r.refundFen !== refund.amountFen) {
      this.logger.write('error', 'wechat refund amount differs', { outRefundNo: r.outRefundNo, ours: refund.amountFen, wechat: r.refundFen });
      return 'amount_mismatch';
    }
    const next = r.status === 'SUCCESS' ? 'succeeded' : r.status === 'ABNORMAL' ? 'abnormal' : r.status === 'CLOSED' ? 'closed' : null;
    if (!next) return 'still_open';
    if (refund.status === next || refund.status === 'succeeded') return 'duplicate';
    const at = r.successTime ? new Date(r.successTime) : new Date();
    await this.repo.updateRefund(m, refund.id, {
      status: next,
      refundId: r.refundId ?? refund.refundId,
      succeededAt: next === 'succeeded' ? (Number.isNaN(at.getTime()) ? new Date() : at) : null,
      userReceivedAccount: r.userReceivedAccount,
      lastError: next === 'succeeded' ? null : `WeChat: ${r.status}`,
    });
    await this.audit.record(m, { action: `wechat.refund.${next}`, entityType: 'wechat_refund', entityId: refund.id, storeId: refund.storeId, before: { status: refund.status }, after: { status: next, refundId: r.refundId } });
    return next === 'succeeded' ? 'refund_succeeded' : next === 'abnormal' ? 'refund_abnormal' : 'refund_closed';
  }

  /** The job: refunds WeChat never accepted are sent again; quiet processing ones are asked about. */
  async settleOpenRefunds(now = new Date()): Promise<{ checked: number }> {
    const pay = this.gateway;
    if (!pay) return { checked: 0 };
    const ids = await this.repo.openRefundIds(this.tx.dataSource.manager, now, 100);
    for (const id of ids) {
      await this.tx
        .run(async (m) => {
          const refund = await this.repo.lockRefund(m, id);
          if (!refund) return;
          if (refund.status === 'pending') {
            await this.sendRefund(m, pay, refund, (await this.repo.payOrder(m, refund.payOrderId))!, false);
            return;
          }
          const r = await pay.queryRefund(refund.outRefundNo);
          if (r) await this.applyRefundOutcomeIn(m, r);
          else await this.repo.updateRefund(m, id, { status: 'pending' });
        })
        .catch((e: unknown) => this.logger.write('warn', 'wechat refund settlement failed', { refundId: id, err: String(e) }));
    }
    return { checked: ids.length };
  }

  // ── staff views ─────────────────────────────────────────────────────────────

  async listPayOrders(actor: StaffActor, q: ListPayOrdersQuery): Promise<Page<PayOrderResponse>> {
    const storeIds = q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds;
    const [rows, total] = await this.repo.listPayOrders(this.tx.manager, { storeIds, memberId: q.memberId, status: q.status, purpose: q.purpose, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map(toPayOrderResponse), total, q);
  }

  async payOrderDetail(payOrderId: string): Promise<PayOrderDetailResponse> {
    const m = this.tx.manager;
    const order = await this.repo.payOrder(m, payOrderId);
    if (!order) throw new AppError('WECHAT_PAY_ORDER_NOT_FOUND');
    return { ...toPayOrderResponse(order), refunds: (await this.repo.refundsOf(m, order.id)).map(toRefundResponse) };
  }

  /** "Check with WeChat now" (a cashier whose customer says he paid; a payment code waiting). */
  async syncForStaff(payOrderId: string): Promise<PayOrderDetailResponse> {
    this.requirePay();
    await this.call(() => this.syncPayOrder(payOrderId));
    return this.payOrderDetail(payOrderId);
  }

  async listRefunds(actor: StaffActor, q: ListRefundsQuery): Promise<Page<WechatRefundResponse>> {
    const storeIds = q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds;
    const [rows, total] = await this.repo.listRefunds(this.tx.manager, { storeIds, status: q.status, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(rows.map(toRefundResponse), total, q);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────

  private requirePay(): WechatPayGateway {
    if (!this.gateway) throw new AppError('WECHAT_NOT_CONFIGURED');
    return this.gateway;
  }

  private payConfig() {
    return this.config.wechat.pay!;
  }

  private async memberStatus(m: EntityManager, memberId: string): Promise<string | null> {
    const rows: { status: string }[] = await m.query('SELECT status FROM member WHERE id = $1', [memberId]);
    return rows[0]?.status ?? null;
  }

  /** A WeChat call whose failure is the caller's answer: refusals become WECHAT_PAY_FAILED, silence WECHAT_UNAVAILABLE. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (e instanceof WechatPayError && e.verified) throw new AppError('WECHAT_PAY_FAILED', { code: e.code, message: e.message });
      this.logger.write('warn', 'wechat pay call failed', { err: String(e), signature: e instanceof WechatPaySignatureError });
      throw new AppError('WECHAT_UNAVAILABLE');
    }
  }
}

export function toPayOrderResponse(o: WechatPayOrderEntity): PayOrderResponse {
  return {
    id: o.id,
    outTradeNo: o.outTradeNo,
    purpose: o.purpose,
    tradeType: o.tradeType,
    status: o.status,
    memberId: o.memberId,
    storeId: o.storeId,
    amountFen: o.amountFen,
    refundedFen: o.refundedFen ?? 0,
    description: o.description,
    transactionId: o.transactionId ?? null,
    topUpId: o.topUpId ?? null,
    orderPaymentId: o.orderPaymentId ?? null,
    expiresAt: o.expiresAt.toISOString(),
    paidAt: o.paidAt ? o.paidAt.toISOString() : null,
    closedAt: o.closedAt ? o.closedAt.toISOString() : null,
    failure: o.failure ?? null,
    createdAt: (o.createdAt ?? new Date()).toISOString(),
  };
}

export function toRefundResponse(r: WechatRefundEntity): WechatRefundResponse {
  return {
    id: r.id,
    outRefundNo: r.outRefundNo,
    payOrderId: r.payOrderId,
    storeId: r.storeId,
    amountFen: r.amountFen,
    reason: r.reason,
    status: r.status,
    refundId: r.refundId,
    topUpId: r.topUpId,
    orderRefundRef: r.orderRefundRef,
    attempts: r.attempts,
    lastError: r.lastError,
    userReceivedAccount: r.userReceivedAccount,
    succeededAt: r.succeededAt ? r.succeededAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}
