import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import {
  CreateOrderRequest,
  ListOrdersQuery,
  MyOrdersQuery,
  OrderPageResponse,
  OrderResponse,
  OrderSettingsResponse,
  QuickOrderRequest,
  ReceiptQuery,
  RefundRequest,
  RefundResponse,
  UpdateOrderSettingsRequest,
} from './dto/order.dto';
import { OrdersService } from './orders.service';

const PAY_ERRORS = [
  'STORE_NOT_FOUND',
  'MEMBER_NOT_FOUND',
  'MEMBER_NOT_ACTIVE',
  'ORDER_PAYMENT_MISMATCH',
  'ORDER_PAYMENT_DUPLICATE',
  'ORDER_CASH_TENDERED_SHORT',
  'ORDER_PAYMENT_NEEDS_MEMBER',
  'ORDER_COUNT_CARD_LINE_INVALID',
  'ORDER_MEMBER_CODE_MISMATCH',
  'MEMBER_PAY_PASSWORD_REQUIRED',
  'MEMBER_PAY_PASSWORD_WRONG',
  'MEMBER_PAY_PASSWORD_LOCKED',
  'MEMBER_CODE_INVALID',
  'MEMBER_CODE_EXPIRED',
  'MEMBER_CODE_USED',
  'WALLET_INSUFFICIENT_BALANCE',
  'POINTS_INSUFFICIENT',
  'COUNT_CARD_NOT_FOUND',
  'COUNT_CARD_NOT_MEMBERS',
  'COUNT_CARD_EXPIRED',
  'COUNT_CARD_NO_USES_LEFT',
  'COUNT_CARD_SERVICE_NOT_COVERED',
  'COUNT_CARD_DAILY_LIMIT_REACHED',
  'IDEMPOTENCY_KEY_REQUIRED',
] as const;

/** Checkout (收银), quick sales (快速消费), refunds (退款) and the order list. */
@ApiTags('orders')
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Idempotent()
  @ApiOperation({ summary: 'Check out a cart: re-priced by the server, paid by points, stored value, count cards, bank card, WeChat Pay and cash (收银)' })
  @ApiResult(OrderResponse, 201)
  @ApiErrors(...PAY_ERRORS, 'ORDER_QUOTE_CHANGED', 'ORDER_STAFF_INVALID')
  @RequirePermissions('orders.checkout')
  create(@CurrentStaff() actor: StaffActor, @Body() body: CreateOrderRequest): Promise<OrderResponse> {
    return this.orders.create(actor, body);
  }

  @Post('quick')
  @Idempotent()
  @ApiOperation({ summary: 'Quick sale: an amount without items, the same payments (快速消费)' })
  @ApiResult(OrderResponse, 201)
  @ApiErrors(...PAY_ERRORS)
  @RequirePermissions('orders.checkout')
  quick(@CurrentStaff() actor: StaffActor, @Body() body: QuickOrderRequest): Promise<OrderResponse> {
    return this.orders.quick(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'Orders of the caller’s stores by store, business day range, cashier, member, payment method and status' })
  @ApiResult(OrderPageResponse)
  @ApiErrors('FORBIDDEN', 'STORE_NOT_FOUND')
  @RequirePermissions('orders.read')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListOrdersQuery): Promise<OrderPageResponse> {
    return this.orders.list(actor, q);
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'One order with its lines, discounts, payments and refunds' })
  @ApiResult(OrderResponse)
  @ApiErrors('ORDER_NOT_FOUND')
  @RequirePermissions('orders.read')
  get(@Param('orderId') orderId: string): Promise<OrderResponse> {
    return this.orders.get(orderId);
  }

  @Get(':orderId/receipt')
  @ApiOperation({ summary: 'The receipt (小票): ESC/POS bytes for 58 / 80 mm printers (GB18030, QR code) or a printable HTML page' })
  @ApiProduces('application/octet-stream', 'text/html')
  @ApiResponse({ status: 200, description: 'escpos58 / escpos80: application/octet-stream; html: text/html', schema: { type: 'string', format: 'binary' } })
  @ApiErrors('ORDER_NOT_FOUND')
  @RequirePermissions('orders.read')
  receipt(@Param('orderId') orderId: string, @Query() q: ReceiptQuery): Promise<StreamableFile> {
    return this.orders.receipt(orderId, q.format ?? 'html', q.reprint === 'true');
  }

  @Post(':orderId/refunds')
  @Idempotent()
  @ApiOperation({ summary: 'Refund the whole order or some lines and quantities; every effect is reversed in proportion (退款)' })
  @ApiResult(RefundResponse, 201)
  @ApiErrors(
    'ORDER_NOT_FOUND',
    'ORDER_NOT_REFUNDABLE',
    'ORDER_REFUND_LINE_INVALID',
    'ORDER_REFUND_EXCEEDS',
    'ORDER_REFUND_POINTS_SPENT',
    'COUNT_CARD_EXPIRED',
    'COUNT_CARD_REFUNDED',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  @RequirePermissions('orders.refund')
  refund(@CurrentStaff() actor: StaffActor, @Param('orderId') orderId: string, @Body() body: RefundRequest): Promise<RefundResponse> {
    return this.orders.refund(actor, orderId, body);
  }
}

/** The chain's order rules (HQ). */
@ApiTags('orders')
@Controller('order-settings')
export class OrderSettingsController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @ApiOperation({ summary: 'Order rules: what a refund does when earned points were already spent' })
  @ApiResult(OrderSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('orders.read')
  settings(): Promise<OrderSettingsResponse> {
    return this.orders.settings();
  }

  @Patch()
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the order rules (HQ)' })
  @ApiResult(OrderSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('orders.settings.write')
  @RequireChainScope()
  update(@Body() body: UpdateOrderSettingsRequest): Promise<OrderSettingsResponse> {
    return this.orders.updateSettings(body);
  }
}

/** The member's own orders, for the member mini-program. */
@ApiTags('me')
@Controller('me/orders')
export class MyOrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  @MemberRoute()
  @ApiOperation({ summary: 'My orders, newest first (member app)' })
  @ApiResult(OrderPageResponse)
  @ApiErrors('UNAUTHENTICATED')
  list(@CurrentMember() member: MemberActor, @Query() q: MyOrdersQuery): Promise<OrderPageResponse> {
    return this.orders.mine(member.id, q);
  }

  @Get(':orderId')
  @MemberRoute()
  @ApiOperation({ summary: 'One of my orders (member app)' })
  @ApiResult(OrderResponse)
  @ApiErrors('UNAUTHENTICATED', 'ORDER_NOT_FOUND')
  get(@CurrentMember() member: MemberActor, @Param('orderId') orderId: string): Promise<OrderResponse> {
    return this.orders.myOrder(member.id, orderId);
  }
}
