import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, Public, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery } from '../../common/http/pagination';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  AuthCodeRequest,
  CounterCodeTopUpRequest,
  ListPayOrdersQuery,
  ListRefundsQuery,
  MemberTopUpPaymentResponse,
  MemberTopUpRequest,
  PayOrderDetailResponse,
  PayOrderPageResponse,
  PayOrderResponse,
  ReconcileRequest,
  ReconciliationDetailResponse,
  ReconciliationPageResponse,
  WechatRefundPageResponse,
  WechatRefundResponse,
  WechatRefundTopUpRequest,
} from './dto/wechat-pay.dto';
import { WechatPayService } from './wechat-pay.service';
import { WechatReconcileService } from './wechat-reconcile.service';

/** WeChat Pay's calls to us (支付/退款结果通知). Signed by WeChat, not by a bearer token. */
@ApiTags('wechat')
@Controller('wechat/pay')
export class WechatNotifyController {
  constructor(private readonly pay: WechatPayService) {}

  @Post('notify')
  @Public()
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'WeChat Pay payment and refund notifications (verified, decrypted, applied once); WeChat retries on any non-2xx' })
  @ApiErrors('WECHAT_NOTIFICATION_REJECTED', 'WECHAT_NOT_CONFIGURED')
  notify(@Req() req: Request & { rawBody?: Buffer }): Promise<void> {
    return this.pay.handleNotification(req.headers, req.rawBody?.toString('utf8') ?? '');
  }
}

/** Top-ups paid with WeChat Pay in the member app (小程序充值). */
@ApiTags('me')
@Controller('me/wallet/top-ups')
export class MyWechatTopUpController {
  constructor(private readonly pay: WechatPayService) {}

  @Post()
  @MemberRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Top up my stored value with WeChat Pay: returns the parameters of wx.requestPayment; credited when WeChat confirms' })
  @ApiResult(MemberTopUpPaymentResponse, 201)
  @ApiErrors('WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', 'MEMBER_NOT_ACTIVE', 'WECHAT_ACCOUNT_REQUIRED', 'WECHAT_PAY_FAILED', 'WECHAT_UNAVAILABLE', 'WECHAT_NOT_CONFIGURED')
  create(@CurrentMember() member: MemberActor, @Body() body: MemberTopUpRequest): Promise<MemberTopUpPaymentResponse> {
    return this.pay.createMemberTopUp(member, body.amountFen);
  }

  @Get(':payOrderId')
  @MemberRoute()
  @ApiOperation({ summary: 'A WeChat top-up of mine (checked with WeChat while it is open)' })
  @ApiResult(PayOrderResponse)
  @ApiErrors('WECHAT_PAY_ORDER_NOT_FOUND')
  get(@CurrentMember() member: MemberActor, @Param('payOrderId') payOrderId: string): Promise<PayOrderResponse> {
    return this.pay.memberPayOrder(member, payOrderId);
  }
}

/** The WeChat part of a cashier's order, paid by the member in the mini-program (JSAPI). */
@ApiTags('me')
@Controller('me/orders/:orderId/wechat-pay')
export class MyOrderWechatPayController {
  constructor(private readonly pay: WechatPayService) {}

  @Post()
  @MemberRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Pay the WeChat part of my order in the mini-program: returns the parameters of wx.requestPayment; the order completes when WeChat confirms' })
  @ApiResult(MemberTopUpPaymentResponse, 201)
  @ApiErrors('ORDER_NOT_FOUND', 'WECHAT_PAY_ORDER_NOT_PENDING', 'WECHAT_ACCOUNT_REQUIRED', 'WECHAT_PAY_FAILED', 'WECHAT_UNAVAILABLE', 'WECHAT_NOT_CONFIGURED')
  create(@CurrentMember() member: MemberActor, @Param('orderId') orderId: string): Promise<MemberTopUpPaymentResponse> {
    return this.pay.payOrderInApp(member, orderId);
  }
}

/** The WeChat part of an order, paid at the counter with the member's payment code (付款码). */
@ApiTags('orders')
@Controller('orders/:orderId/wechat')
export class OrderWechatController {
  constructor(private readonly pay: WechatPayService) {}

  @Post('codepay')
  @Idempotent()
  @ApiOperation({ summary: 'Scan the payment code for the WeChat part of a pending order: paid (order completed), failed (order cancelled) or user_paying (poll the pay order)' })
  @ApiResult(PayOrderResponse, 201)
  @ApiErrors('ORDER_NOT_FOUND', 'WECHAT_PAY_ORDER_NOT_PENDING', 'WECHAT_AUTH_CODE_INVALID', 'WECHAT_NOT_CONFIGURED')
  @RequirePermissions('orders.checkout')
  codepay(@CurrentStaff() actor: StaffActor, @Param('orderId') orderId: string, @Body() body: AuthCodeRequest): Promise<PayOrderResponse> {
    return this.pay.codepayForOrder(actor, orderId, body.authCode);
  }
}

/** A counter top-up paid by scanning the member's WeChat payment code (付款码充值). */
@ApiTags('wallet')
@Controller('members/:memberId/wallet/wechat-top-ups')
export class CounterWechatTopUpController {
  constructor(private readonly pay: WechatPayService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Top up at the counter with the member’s WeChat payment code: paid, failed, or user_paying (poll the pay order)' })
  @ApiResult(PayOrderResponse, 201)
  @ApiErrors('SHIFT_NOT_OPEN', 'WECHAT_AUTH_CODE_INVALID', 'WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', 'MEMBER_NOT_ACTIVE', 'WECHAT_NOT_CONFIGURED')
  @RequirePermissions('wallet.top_up')
  create(@CurrentStaff() actor: StaffActor, @Param('memberId') memberId: string, @Body() body: CounterCodeTopUpRequest): Promise<PayOrderResponse> {
    return this.pay.counterTopUpByCode(actor, memberId, body);
  }
}

/** WeChat Pay orders, refunds and reconciliation for staff (微信支付). */
@ApiTags('wechat')
@Controller('wechat')
export class WechatPayController {
  constructor(
    private readonly pay: WechatPayService,
    private readonly reconciliation: WechatReconcileService,
  ) {}

  @Get('pay-orders')
  @ApiOperation({ summary: 'WeChat Pay orders of the caller’s stores' })
  @ApiResult(PayOrderPageResponse)
  @RequirePermissions('wechat.read')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListPayOrdersQuery): Promise<PayOrderPageResponse> {
    return this.pay.listPayOrders(actor, q);
  }

  @Get('pay-orders/:payOrderId')
  @ApiOperation({ summary: 'A WeChat Pay order with its refunds' })
  @ApiResult(PayOrderDetailResponse)
  @ApiErrors('WECHAT_PAY_ORDER_NOT_FOUND')
  @RequirePermissions('wechat.read')
  get(@Param('payOrderId') payOrderId: string): Promise<PayOrderDetailResponse> {
    return this.pay.payOrderDetail(payOrderId);
  }

  @Post('pay-orders/:payOrderId/sync')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask WeChat about an open order now and apply the answer (credit, close, reverse)' })
  @ApiResult(PayOrderDetailResponse)
  @ApiErrors('WECHAT_PAY_ORDER_NOT_FOUND', 'WECHAT_UNAVAILABLE')
  @RequirePermissions('wechat.read')
  sync(@Param('payOrderId') payOrderId: string): Promise<PayOrderDetailResponse> {
    return this.pay.syncForStaff(payOrderId);
  }

  @Post('top-ups/:topUpId/refund')
  @Idempotent()
  @ApiOperation({ summary: 'Refund a WeChat-paid top-up through WeChat Pay (退充值原路退回); completes on WeChat’s notification' })
  @ApiResult(WechatRefundResponse, 201)
  @ApiErrors('WECHAT_TOP_UP_NOT_WECHAT', 'WALLET_TOP_UP_ALREADY_REFUNDED', 'WALLET_TOP_UP_PRINCIPAL_SPENT', 'WALLET_TOP_UP_BONUS_SPENT', 'WECHAT_PAY_FAILED')
  @RequirePermissions('wallet.refund')
  refundTopUp(@CurrentStaff() actor: StaffActor, @Param('topUpId') topUpId: string, @Body() body: WechatRefundTopUpRequest): Promise<WechatRefundResponse> {
    return this.pay.refundTopUp(actor, topUpId, body.reason);
  }

  @Get('refunds')
  @ApiOperation({ summary: 'Refunds through WeChat Pay of the caller’s stores (failed ones to retry)' })
  @ApiResult(WechatRefundPageResponse)
  @RequirePermissions('wechat.read')
  refunds(@CurrentStaff() actor: StaffActor, @Query() q: ListRefundsQuery): Promise<WechatRefundPageResponse> {
    return this.pay.listRefunds(actor, q);
  }

  @Post('refunds/:wechatRefundId/retry')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a refund again: not accepted yet (same number), ABNORMAL (abnormal-refund retry) or CLOSED (a new number)' })
  @ApiResult(WechatRefundResponse)
  @ApiErrors('WECHAT_REFUND_NOT_FOUND', 'WECHAT_REFUND_NOT_RETRYABLE', 'WECHAT_PAY_FAILED')
  @RequirePermissions('wallet.refund')
  retry(@CurrentStaff() actor: StaffActor, @Param('wechatRefundId') wechatRefundId: string): Promise<WechatRefundResponse> {
    return this.pay.retryRefund(actor, wechatRefundId);
  }

  @Post('reconciliations')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reconcile a day’s WeChat Pay bill against our payments and refunds (对账; also daily at 10:30 for yesterday)' })
  @ApiResult(ReconciliationDetailResponse)
  @ApiErrors('WECHAT_BILL_NOT_READY', 'WECHAT_NOT_CONFIGURED')
  @RequirePermissions('wechat.reconcile')
  @RequireChainScope()
  reconcile(@CurrentStaff() actor: StaffActor, @Body() body: ReconcileRequest): Promise<ReconciliationDetailResponse> {
    return this.reconciliation.run(body.billDate, actor);
  }

  @Get('reconciliations')
  @ApiOperation({ summary: 'Reconciliation runs, newest bill day first' })
  @ApiResult(ReconciliationPageResponse)
  @RequirePermissions('wechat.reconcile')
  @RequireChainScope()
  reconciliations(@Query() q: PageQuery): Promise<ReconciliationPageResponse> {
    return this.reconciliation.list(q);
  }

  @Get('reconciliations/:reconciliationId')
  @ApiOperation({ summary: 'A reconciliation with every payment and refund: matched, missing_ours, missing_wechat, amount_mismatch' })
  @ApiResult(ReconciliationDetailResponse)
  @ApiErrors('WECHAT_RECONCILIATION_NOT_FOUND')
  @RequirePermissions('wechat.reconcile')
  @RequireChainScope()
  reconciliationDetail(@Param('reconciliationId') id: string): Promise<ReconciliationDetailResponse> {
    return this.reconciliation.get(id);
  }
}
