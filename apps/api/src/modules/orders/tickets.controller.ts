import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { CartLineRequest, OrderResponse } from './dto/order.dto';
import { CancelTicketRequest, ListTicketsQuery, OpenTicketRequest, SettleTicketRequest, TicketPageResponse, TicketResponse, UpdateTicketRequest } from './dto/ticket.dto';
import { TicketsService } from './tickets.service';

/** Open tickets (开单) and parked sales (挂单 / 取单), shared by every cashier of the store. */
@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @ApiOperation({ summary: 'Open a ticket when the customer arrives (开单), or park a cart (挂单)' })
  @ApiResult(TicketResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'ORDER_STAFF_INVALID')
  @RequirePermissions('orders.ticket')
  open(@CurrentStaff() actor: StaffActor, @Body() body: OpenTicketRequest): Promise<TicketResponse> {
    return this.tickets.open(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'Tickets of the caller’s stores (default: the open ones)' })
  @ApiResult(TicketPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('orders.ticket')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListTicketsQuery): Promise<TicketPageResponse> {
    return this.tickets.list(actor, q);
  }

  @Get(':ticketId')
  @ApiOperation({ summary: 'One ticket with its lines' })
  @ApiResult(TicketResponse)
  @ApiErrors('TICKET_NOT_FOUND')
  @RequirePermissions('orders.ticket')
  get(@Param('ticketId') ticketId: string): Promise<TicketResponse> {
    return this.tickets.get(ticketId);
  }

  @Patch(':ticketId')
  @ApiOperation({ summary: 'Change the ticket’s member, label, coupons or points to use' })
  @ApiResult(TicketResponse)
  @ApiErrors('TICKET_NOT_FOUND', 'TICKET_NOT_OPEN', 'MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE')
  @RequirePermissions('orders.ticket')
  update(@Param('ticketId') ticketId: string, @Body() body: UpdateTicketRequest): Promise<TicketResponse> {
    return this.tickets.update(ticketId, body);
  }

  @Post(':ticketId/lines')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a service or item as it is done, with its technician' })
  @ApiResult(TicketResponse)
  @ApiErrors('TICKET_NOT_FOUND', 'TICKET_NOT_OPEN', 'ORDER_STAFF_INVALID')
  @RequirePermissions('orders.ticket')
  addLine(@CurrentStaff() actor: StaffActor, @Param('ticketId') ticketId: string, @Body() body: CartLineRequest): Promise<TicketResponse> {
    return this.tickets.addLine(actor, ticketId, body);
  }

  @Delete(':ticketId/lines/:ticketLineId')
  @ApiOperation({ summary: 'Remove a line from an open ticket' })
  @ApiResult(TicketResponse)
  @ApiErrors('TICKET_NOT_FOUND', 'TICKET_NOT_OPEN', 'TICKET_LINE_NOT_FOUND')
  @RequirePermissions('orders.ticket')
  removeLine(@Param('ticketId') ticketId: string, @Param('ticketLineId') lineId: string): Promise<TicketResponse> {
    return this.tickets.removeLine(ticketId, lineId);
  }

  @Post(':ticketId/settle')
  @Idempotent()
  @ApiOperation({ summary: 'Settle the ticket through the checkout (结账): exactly one order per ticket' })
  @ApiResult(OrderResponse, 201)
  @ApiErrors('TICKET_NOT_FOUND', 'TICKET_NOT_OPEN', 'TICKET_EMPTY', 'ORDER_QUOTE_CHANGED', 'ORDER_PAYMENT_MISMATCH', 'WALLET_INSUFFICIENT_BALANCE', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('orders.checkout')
  settle(@CurrentStaff() actor: StaffActor, @Param('ticketId') ticketId: string, @Body() body: SettleTicketRequest): Promise<OrderResponse> {
    return this.tickets.settle(actor, ticketId, body);
  }

  @Post(':ticketId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a parked cart back to the till (取单): the ticket closes and returns its lines' })
  @ApiResult(TicketResponse)
  @ApiErrors('TICKET_NOT_FOUND', 'TICKET_NOT_OPEN')
  @RequirePermissions('orders.checkout')
  resume(@CurrentStaff() actor: StaffActor, @Param('ticketId') ticketId: string): Promise<TicketResponse> {
    return this.tickets.resume(actor, ticketId);
  }

  @Post(':ticketId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an open ticket (nothing was charged)' })
  @ApiResult(TicketResponse)
  @ApiErrors('TICKET_NOT_FOUND', 'TICKET_NOT_OPEN')
  @RequirePermissions('orders.ticket')
  cancel(@CurrentStaff() actor: StaffActor, @Param('ticketId') ticketId: string, @Body() body: CancelTicketRequest): Promise<TicketResponse> {
    return this.tickets.cancel(actor, ticketId, body);
  }
}
