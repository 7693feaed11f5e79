import { MAX_AMOUNT_FEN } from '@chaincard/shared';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order-status';
import { ORDER_PAYMENT_METHODS, TENDER_METHODS, type OrderPaymentMethod, type TenderMethod } from '../domain/payments';
import { LINE_KINDS, ORDER_KINDS, PAYMENT_STATUSES, POINTS_CLAWBACK_POLICIES, type LineKind, type OrderKind, type PaymentStatus, type PointsClawbackPolicy } from '../entities/order.entity';

export const MAX_FEN = MAX_AMOUNT_FEN;
const MAX_POINTS = 1_000_000_000;

/** One line of a cart: a SKU, how many, an optional manual discount and who served it. */
export class CartLineRequest {
  @ApiProperty() @IsUUID('4') skuId!: string;
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) @Max(9999) quantity!: number;
  @ApiPropertyOptional({ description: 'Manual discount on the line (改价), within the chain’s limit and the cashier’s permission' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  manualDiscountFen?: number;
  @ApiPropertyOptional({ type: [String], description: 'Serving staff (技师 / 导购) of the line, of this store' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  servingStaffIds?: string[];
}

/**
 * A payment of the amount due: stored value (password or a fresh dynamic member code when the
 * member has a password), a count card for a service line, bank card (terminal reference only),
 * WeChat Pay (left pending for the provider), cash (tendered, change). Points are the cart's
 * pointsToUse.
 */
export class PaymentRequest {
  @ApiProperty({ enum: TENDER_METHODS }) @IsIn(TENDER_METHODS) method!: TenderMethod;
  @ApiPropertyOptional({ description: 'Every method but count_card: the part it pays' })
  @ValidateIf((p: PaymentRequest) => p.method !== 'count_card')
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  amountFen?: number;
  @ApiPropertyOptional({ description: 'cash: the money handed over; the change is tendered − amount' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FEN)
  tenderedFen?: number;
  @ApiPropertyOptional({ description: 'bank_card: the terminal’s reference number (never card data)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  reference?: string;
  @ApiPropertyOptional({ description: 'stored_value: the member’s payment password' }) @IsOptional() @IsString() @Length(1, 32) password?: string;
  @ApiPropertyOptional({ description: 'stored_value: a fresh dynamic member code, instead of the password' }) @IsOptional() @IsString() @Length(1, 64) memberCode?: string;
  @ApiPropertyOptional({ description: 'count_card: the member’s card' }) @ValidateIf((p: PaymentRequest) => p.method === 'count_card') @IsUUID('4') countCardId?: string;
  @ApiPropertyOptional({ description: 'count_card: the service line it pays for (1-based, as in the cart)' })
  @ValidateIf((p: PaymentRequest) => p.method === 'count_card')
  @IsInt()
  @Min(1)
  @Max(200)
  lineNo?: number;
  @ApiPropertyOptional({ description: 'count_card: units of the line it pays for (default all)' }) @IsOptional() @IsInt() @Min(1) @Max(9999) quantity?: number;
}

export class CreateOrderRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiProperty({ type: [CartLineRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CartLineRequest)
  lines!: CartLineRequest[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsUUID('4', { each: true }) couponIds?: string[];
  @ApiPropertyOptional({ default: 0, description: 'Points to pay with (积分抵现)' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_POINTS) pointsToUse?: number;
  @ApiPropertyOptional({ description: 'The total the cashier showed; the order is refused with ORDER_QUOTE_CHANGED if the server’s total differs' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FEN)
  expectedTotalFen?: number;
  @ApiProperty({ type: [PaymentRequest] }) @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => PaymentRequest) payments!: PaymentRequest[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) memo?: string;
  @ApiPropertyOptional({ description: 'The booking this sale settles (预约结账): its cart is GET /api/bookings/{id}/checkout-cart; it completes with the order' })
  @IsOptional()
  @IsUUID('4')
  bookingId?: string;
}

export class QuickOrderRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiProperty({ example: 8800, description: 'The amount to charge (快速消费), before points' }) @IsInt() @Min(1) @Max(MAX_FEN) amountFen!: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX_POINTS) pointsToUse?: number;
  @ApiProperty({ type: [PaymentRequest] }) @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => PaymentRequest) payments!: PaymentRequest[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) memo?: string;
}

export class RefundLineRequest {
  @ApiProperty() @IsUUID('4') lineId!: string;
  @ApiPropertyOptional({ description: 'Goods and services: units to refund (default all left)' }) @IsOptional() @IsInt() @Min(1) @Max(9999) quantity?: number;
  @ApiPropertyOptional({ description: 'Quick sale: amount to refund (default all left)' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_FEN) amountFen?: number;
}

export class RefundRequest {
  @ApiProperty({ example: '顾客退货' }) @IsString() @Length(1, 200) reason!: string;
  @ApiPropertyOptional({ type: [RefundLineRequest], description: 'Lines and quantities to refund; omitted = everything left (full refund)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RefundLineRequest)
  lines?: RefundLineRequest[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '2026-11-01', description: 'First business day (store time zone), inclusive' })
  @IsOptional()
  @Matches(DAY)
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'Last business day (store time zone), inclusive' })
  @IsOptional()
  @Matches(DAY)
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') cashierId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional({ enum: ORDER_PAYMENT_METHODS }) @IsOptional() @IsIn(ORDER_PAYMENT_METHODS) paymentMethod?: OrderPaymentMethod;
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES) status?: OrderStatus;
  @ApiPropertyOptional({ enum: ORDER_KINDS }) @IsOptional() @IsIn(ORDER_KINDS) kind?: OrderKind;
  @ApiPropertyOptional({ description: 'Order number, exact' }) @IsOptional() @IsString() @Length(1, 40) orderNo?: string;
}

export class MyOrdersQuery extends PageQuery {}

export const RECEIPT_FORMATS = ['escpos58', 'escpos80', 'html'] as const;
export type ReceiptFormat = (typeof RECEIPT_FORMATS)[number];

export class ReceiptQuery {
  @ApiPropertyOptional({ enum: RECEIPT_FORMATS, default: 'html', description: 'ESC/POS bytes for 58 or 80 mm paper, or a printable page' })
  @IsOptional()
  @IsIn(RECEIPT_FORMATS)
  format?: ReceiptFormat;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Marks the receipt as a copy printed again (重打小票)' }) @IsOptional() @IsIn(['true', 'false']) reprint?: 'true' | 'false';
}

export class UpdateOrderSettingsRequest {
  @ApiPropertyOptional({ enum: POINTS_CLAWBACK_POLICIES, description: 'A refund meets earned points already spent: refuse, or record the rest as points debt' })
  @IsOptional()
  @IsIn(POINTS_CLAWBACK_POLICIES)
  pointsClawback?: PointsClawbackPolicy;
}

export class OrderSettingsResponse {
  @ApiProperty({ enum: POINTS_CLAWBACK_POLICIES }) pointsClawback!: PointsClawbackPolicy;
  @ApiProperty() updatedAt!: string;
}

export class DiscountResponse {
  @ApiProperty({ example: 'member_price' }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) ruleId!: string | null;
  @ApiProperty({ example: '会员价' }) label!: string;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}

export class CouponUseResponse {
  @ApiProperty() couponId!: string;
  @ApiProperty({ nullable: true, type: String }) code!: string | null;
  @ApiProperty() applied!: boolean;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
}

export class StaffRefResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class OrderLineResponse {
  @ApiProperty() id!: string;
  @ApiProperty() lineNo!: number;
  @ApiProperty({ enum: LINE_KINDS }) kind!: LineKind;
  @ApiProperty({ nullable: true, type: String }) skuId!: string | null;
  @ApiProperty({ nullable: true, type: String }) productId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitPriceFen!: number;
  @ApiProperty() originalFen!: number;
  @ApiProperty() discountFen!: number;
  @ApiProperty() totalFen!: number;
  @ApiProperty({ type: [DiscountResponse] }) discounts!: DiscountResponse[];
  @ApiProperty() pointsEligible!: boolean;
  @ApiProperty({ description: 'Units paid by a count card' }) coveredUnits!: number;
  @ApiProperty({ type: [StaffRefResponse] }) servingStaff!: StaffRefResponse[];
  @ApiProperty() refundedQuantity!: number;
  @ApiProperty() refundedFen!: number;
}

export class OrderPaymentResponse {
  @ApiProperty() id!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ enum: ORDER_PAYMENT_METHODS }) method!: OrderPaymentMethod;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status!: PaymentStatus;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ nullable: true, type: Number }) tenderedFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) changeFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'points: the points paid' }) points!: number | null;
  @ApiProperty({ nullable: true, type: String }) countCardId!: string | null;
  @ApiProperty({ nullable: true, type: String }) lineId!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'count_card: units (uses) paid' }) units!: number | null;
  @ApiProperty({ nullable: true, type: String }) walletSpendId!: string | null;
  @ApiProperty() refundedFen!: number;
}

export class RefundLineResponse {
  @ApiProperty() orderLineId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() amountFen!: number;
}

export class RefundPaymentResponse {
  @ApiProperty() orderPaymentId!: string;
  @ApiProperty({ enum: ORDER_PAYMENT_METHODS }) method!: OrderPaymentMethod;
  @ApiProperty() amountFen!: number;
  @ApiProperty({ description: 'points given back' }) points!: number;
  @ApiProperty({ description: 'count-card uses given back' }) units!: number;
}

export class RefundResponse {
  @ApiProperty() id!: string;
  @ApiProperty() refundNo!: string;
  @ApiProperty() orderId!: string;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Value of the refunded lines' }) amountFen!: number;
  @ApiProperty({ description: 'Points paid that came back' }) pointsReturned!: number;
  @ApiProperty({ description: 'Earned points this refund takes back' }) pointsEarnedBack!: number;
  @ApiProperty({ description: 'Of those, taken from the balance now' }) pointsEarnReversed!: number;
  @ApiProperty({ description: 'Of those, recorded as points debt (already spent)' }) pointsDebt!: number;
  @ApiProperty() fullRefund!: boolean;
  @ApiProperty({ type: [RefundLineResponse] }) lines!: RefundLineResponse[];
  @ApiProperty({ type: [RefundPaymentResponse] }) payments!: RefundPaymentResponse[];
  @ApiProperty() createdAt!: string;
}

export class OrderSummaryResponse {
  @ApiProperty() id!: string;
  @ApiProperty() orderNo!: string;
  @ApiProperty({ enum: ORDER_KINDS }) kind!: OrderKind;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: OrderStatus;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty({ nullable: true, type: String }) memberId!: string | null;
  @ApiProperty({ nullable: true, type: String }) memberNo!: string | null;
  @ApiProperty({ nullable: true, type: String }) memberName!: string | null;
  @ApiProperty({ nullable: true, type: String }) cashierId!: string | null;
  @ApiProperty({ nullable: true, type: String }) cashierName!: string | null;
  @ApiProperty() totalFen!: number;
  @ApiProperty() dueFen!: number;
  @ApiProperty() refundedFen!: number;
  @ApiProperty({ enum: ORDER_PAYMENT_METHODS, isArray: true }) paymentMethods!: OrderPaymentMethod[];
  @ApiProperty() createdAt!: string;
}

export class OrderPageResponse {
  @ApiProperty({ type: [OrderSummaryResponse] }) items!: OrderSummaryResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class MemberAfterResponse {
  @ApiProperty() balanceFen!: number;
  @ApiProperty() principalFen!: number;
  @ApiProperty() bonusFen!: number;
  @ApiProperty() points!: number;
  @ApiProperty() pointsEarned!: number;
}

export class OrderResponse extends OrderSummaryResponse {
  @ApiProperty({ nullable: true, type: String }) ticketId!: string | null;
  @ApiProperty() subtotalFen!: number;
  @ApiProperty() discountFen!: number;
  @ApiProperty() pointsUsed!: number;
  @ApiProperty() pointsOffsetFen!: number;
  @ApiProperty() pointsEarned!: number;
  @ApiProperty() pointsEarnReversed!: number;
  @ApiProperty({ nullable: true, type: Number }) tenderedFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) changeFen!: number | null;
  @ApiProperty({ type: [DiscountResponse] }) orderDiscounts!: DiscountResponse[];
  @ApiProperty({ type: [CouponUseResponse] }) coupons!: CouponUseResponse[];
  @ApiProperty({ type: [OrderLineResponse] }) lines!: OrderLineResponse[];
  @ApiProperty({ type: [OrderPaymentResponse] }) payments!: OrderPaymentResponse[];
  @ApiProperty({ type: [RefundResponse] }) refunds!: RefundResponse[];
  @ApiProperty({ nullable: true, type: MemberAfterResponse, description: 'The member’s balances right after the order' }) memberAfter!: MemberAfterResponse | null;
  @ApiProperty({ nullable: true, type: String }) memo!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt!: string | null;
}
