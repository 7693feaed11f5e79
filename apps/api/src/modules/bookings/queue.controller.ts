import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { CallNextRequest, QueueBoardQuery, QueueBoardResponse, QueueTicketResponse, ServeTicketRequest, TakeQueueNumberRequest } from './dto/booking.dto';
import { QueueService } from './queue.service';

/** The walk-in queue at the counter (排队叫号). */
@ApiTags('queue')
@Controller()
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  @Post('stores/:storeId/queue')
  @ApiOperation({ summary: 'Hand out the next queue number of today (取号)' })
  @ApiResult(QueueTicketResponse, 201)
  @ApiErrors('STORE_NOT_FOUND', 'BOOKING_STORE_CLOSED', 'MEMBER_NOT_FOUND', 'MEMBER_NOT_ACTIVE', 'CATALOG_SKU_NOT_FOUND')
  @RequirePermissions('queue.operate')
  take(@Param('storeId') storeId: string, @Body() body: TakeQueueNumberRequest): Promise<QueueTicketResponse> {
    return this.queue.take(storeId, body);
  }

  @Get('stores/:storeId/queue')
  @ApiOperation({ summary: 'The store’s queue of a business day (default today): who waits, who was called' })
  @ApiResult(QueueBoardResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('queue.operate')
  board(@Param('storeId') storeId: string, @Query() q: QueueBoardQuery): Promise<QueueBoardResponse> {
    return this.queue.board(storeId, q);
  }

  @Post('stores/:storeId/queue/call-next')
  @HttpCode(200)
  @ApiOperation({ summary: 'Call the lowest waiting number (叫号)' })
  @ApiResult(QueueTicketResponse)
  @ApiErrors('STORE_NOT_FOUND', 'QUEUE_EMPTY')
  @RequirePermissions('queue.operate')
  callNext(@CurrentStaff() actor: StaffActor, @Param('storeId') storeId: string, @Body() body: CallNextRequest): Promise<QueueTicketResponse> {
    return this.queue.callNext(actor, storeId, body.staffId);
  }

  @Post('queue-tickets/:queueTicketId/recall')
  @HttpCode(200)
  @ApiOperation({ summary: 'Call a ticket again (重新叫号)' })
  @ApiResult(QueueTicketResponse)
  @ApiErrors('QUEUE_TICKET_NOT_FOUND', 'QUEUE_TICKET_STATUS_INVALID')
  @RequirePermissions('queue.operate')
  recall(@CurrentStaff() actor: StaffActor, @Param('queueTicketId') id: string): Promise<QueueTicketResponse> {
    return this.queue.recall(actor, id);
  }

  @Post('queue-tickets/:queueTicketId/serve')
  @HttpCode(200)
  @ApiOperation({ summary: 'The walk-in is being served (开始服务)' })
  @ApiResult(QueueTicketResponse)
  @ApiErrors('QUEUE_TICKET_NOT_FOUND', 'QUEUE_TICKET_STATUS_INVALID')
  @RequirePermissions('queue.operate')
  serve(@Param('queueTicketId') id: string, @Body() body: ServeTicketRequest): Promise<QueueTicketResponse> {
    return this.queue.serve(id, body.staffId);
  }

  @Post('queue-tickets/:queueTicketId/skip')
  @HttpCode(200)
  @ApiOperation({ summary: 'Called but not there (过号)' })
  @ApiResult(QueueTicketResponse)
  @ApiErrors('QUEUE_TICKET_NOT_FOUND', 'QUEUE_TICKET_STATUS_INVALID')
  @RequirePermissions('queue.operate')
  skip(@Param('queueTicketId') id: string): Promise<QueueTicketResponse> {
    return this.queue.skip(id);
  }

  @Post('queue-tickets/:queueTicketId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a queue number' })
  @ApiResult(QueueTicketResponse)
  @ApiErrors('QUEUE_TICKET_NOT_FOUND', 'QUEUE_TICKET_STATUS_INVALID')
  @RequirePermissions('queue.operate')
  cancel(@Param('queueTicketId') id: string): Promise<QueueTicketResponse> {
    return this.queue.cancel(id);
  }
}
