import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { PAY_ORDER_PURPOSES, PAY_ORDER_STATUSES, PAY_ORDER_TRADE_TYPES, PAY_REFUND_STATUSES, type PayOrderPurpose, type PayOrderStatus, type PayOrderTradeType, type PayRefundStatus } from '../entities/wechat.entity';

export class MemberTopUpRequest {
  @ApiProperty({ description: 'Amount to top up in fen (within the chain’s top-up range)', example: 10000 })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountFen!: number;
}

export class RequestPaymentParamsResponse {
  @ApiProperty() appId!: string;
  @ApiProperty() timeStamp!: string;
  @ApiProperty() nonceStr!: string;
  @ApiProperty({ example: 'prepay_id=wx2017033010242291fcfe0db70013231072' }) package!: string;
  @ApiProperty({ enum: ['RSA'] }) signType!: 'RSA';
  @ApiProperty() paySign!: string;
}

export class PayOrderResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Our order number at WeChat (商户订单号)' }) outTradeNo!: string;
  @ApiProperty({ enum: PAY_ORDER_PURPOSES }) purpose!: PayOrderPurpose;
  @ApiProperty({ enum: PAY_ORDER_TRADE_TYPES }) tradeType!: PayOrderTradeType;
  @ApiProperty({ enum: PAY_ORDER_STATUSES }) status!: PayOrderStatus;
  @ApiProperty({ nullable: true, type: String }) memberId!: string | null;
  @ApiProperty() storeId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty() refundedFen!: number;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: String, description: 'WeChat’s transaction id (微信支付订单号) once paid' }) transactionId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The top-up credited for this payment' }) topUpId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orderPaymentId!: string | null;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ nullable: true, type: String }) paidAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) failure!: string | null;
  @ApiProperty() createdAt!: string;
}

export class MemberTopUpPaymentResponse extends PayOrderResponse {
  @ApiProperty({ type: RequestPaymentParamsResponse, description: 'Pass to Taro.requestPayment / wx.requestPayment (in H5: open the simulator’s pay sheet)' })
  requestPayment!: RequestPaymentParamsResponse;
}

export class WechatRefundResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Our refund number (商户退款单号)' }) outRefundNo!: string;
  @ApiProperty() payOrderId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: PAY_REFUND_STATUSES, description: 'pending: not yet accepted by WeChat (sent again by a job or by retry); processing; succeeded; abnormal and closed: failed, retry' })
  status!: PayRefundStatus;
  @ApiProperty({ nullable: true, type: String }) refundId!: string | null;
  @ApiProperty({ nullable: true, type: String }) topUpId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orderRefundRef!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ nullable: true, type: String }) userReceivedAccount!: string | null;
  @ApiProperty({ nullable: true, type: String }) succeededAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PayOrderDetailResponse extends PayOrderResponse {
  @ApiProperty({ type: [WechatRefundResponse] }) refunds!: WechatRefundResponse[];
}

export class PayOrderPageResponse {
  @ApiProperty({ type: [PayOrderResponse] }) items!: PayOrderResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class WechatRefundPageResponse {
  @ApiProperty({ type: [WechatRefundResponse] }) items!: WechatRefundResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ListPayOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Collecting store; omitted = every store the caller reaches' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional({ enum: PAY_ORDER_STATUSES }) @IsOptional() @IsIn(PAY_ORDER_STATUSES) status?: PayOrderStatus;
  @ApiPropertyOptional({ enum: PAY_ORDER_PURPOSES }) @IsOptional() @IsIn(PAY_ORDER_PURPOSES) purpose?: PayOrderPurpose;
}

export class ListRefundsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Store of the refunded payment; omitted = every store the caller reaches' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ enum: PAY_REFUND_STATUSES }) @IsOptional() @IsIn(PAY_REFUND_STATUSES) status?: PayRefundStatus;
}

export class CounterCodeTopUpRequest {
  @ApiProperty({ description: 'The store collecting the money (the cashier’s open shift there)' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: 10000 }) @IsInt() @Min(1) @Max(100_000_000) amountFen!: number;
  @ApiProperty({ description: 'The 18 digits of the member’s WeChat payment code (付款码), scanned', example: '134567890123456789' })
  @IsString()
  @Matches(/^\d{18}$/)
  authCode!: string;
}

export class AuthCodeRequest {
  @ApiProperty({ description: 'The 18 digits of the member’s WeChat payment code (付款码), scanned', example: '134567890123456789' })
  @IsString()
  @Matches(/^\d{18}$/)
  authCode!: string;
}

export class WechatRefundTopUpRequest {
  @ApiProperty({ example: '顾客要求退款' }) @IsString() @Length(1, 80) reason!: string;
}

export class ReconcileRequest {
  @ApiProperty({ description: 'The Beijing day of the bill (WeChat publishes it after 10:00 the next day)', example: '2026-11-22' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  billDate!: string;
}

export class ReconciliationItemResponse {
  @ApiProperty({ enum: ['payment', 'refund'] }) kind!: 'payment' | 'refund';
  @ApiProperty({ description: 'out_trade_no of a payment, out_refund_no of a refund' }) key!: string;
  @ApiProperty({ enum: ['matched', 'missing_ours', 'missing_wechat', 'amount_mismatch'] }) result!: 'matched' | 'missing_ours' | 'missing_wechat' | 'amount_mismatch';
  @ApiProperty({ nullable: true, type: Number }) oursFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) wechatFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) transactionId!: string | null;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
}

export class ReconciliationResponse {
  @ApiProperty() id!: string;
  @ApiProperty() billDate!: string;
  @ApiProperty({ enum: ['done', 'no_bill', 'failed'] }) status!: 'done' | 'no_bill' | 'failed';
  @ApiProperty() matched!: number;
  @ApiProperty() missingOurs!: number;
  @ApiProperty() missingWechat!: number;
  @ApiProperty() amountMismatch!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() runAt!: string;
}

export class ReconciliationDetailResponse extends ReconciliationResponse {
  @ApiProperty({ type: [ReconciliationItemResponse] }) items!: ReconciliationItemResponse[];
}

export class ReconciliationPageResponse {
  @ApiProperty({ type: [ReconciliationResponse] }) items!: ReconciliationResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
