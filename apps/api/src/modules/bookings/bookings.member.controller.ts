import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor } from '../../common/auth/actor';
import { CurrentMember, MemberRoute } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { BookingsService } from './bookings.service';
import {
  BookableServiceResponse,
  BookableServicesQuery,
  BookingPageResponse,
  BookingResponse,
  BookingSettingsResponse,
  MyBookingRequest,
  MyBookingsQuery,
  MyCancelBookingRequest,
  MyQueueNumberRequest,
  MyQueueResponse,
  MySlotsQuery,
  QueueTicketResponse,
  SlotsResponse,
} from './dto/booking.dto';
import { QueueService } from './queue.service';

/** Bookings and queue numbers in the member mini-program. */
@ApiTags('me')
@Controller('me')
export class MyBookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly queue: QueueService,
  ) {}

  @Get('booking-rules')
  @MemberRoute()
  @ApiOperation({ summary: 'The chain’s booking rules: deposit, cancel deadline, how far ahead (member app)' })
  @ApiResult(BookingSettingsResponse)
  @ApiErrors('UNAUTHENTICATED')
  rules(): Promise<BookingSettingsResponse> {
    return this.bookings.settings();
  }

  @Get('booking-services')
  @MemberRoute()
  @ApiOperation({ summary: 'Services I can book at a store, with their technicians (member app)' })
  @ApiResult([BookableServiceResponse])
  @ApiErrors('UNAUTHENTICATED', 'STORE_NOT_FOUND')
  services(@Query() q: BookableServicesQuery): Promise<BookableServiceResponse[]> {
    return this.bookings.bookableServices(q.storeId);
  }

  @Get('booking-slots')
  @MemberRoute()
  @ApiOperation({ summary: 'Free slots of a service at a store on a day (member app)' })
  @ApiResult(SlotsResponse)
  @ApiErrors('UNAUTHENTICATED', 'STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'BOOKING_NOT_A_SERVICE', 'BOOKING_STAFF_CANNOT_SERVE', 'BOOKING_STORE_CLOSED')
  slots(@Query() q: MySlotsQuery): Promise<SlotsResponse> {
    return this.bookings.slots(q.storeId, q.skuId, q, true);
  }

  @Get('bookings')
  @MemberRoute()
  @ApiOperation({ summary: 'My bookings (member app)' })
  @ApiResult(BookingPageResponse)
  @ApiErrors('UNAUTHENTICATED')
  list(@CurrentMember() member: MemberActor, @Query() q: MyBookingsQuery): Promise<BookingPageResponse> {
    return this.bookings.listMine(member.id, q);
  }

  @Post('bookings')
  @MemberRoute()
  @Idempotent()
  @ApiOperation({ summary: 'Book a free slot (member app); a deposit, when the chain asks one, is paid from stored value' })
  @ApiResult(BookingResponse, 201)
  @ApiErrors(
    'UNAUTHENTICATED',
    'MEMBER_NOT_ACTIVE',
    'STORE_NOT_FOUND',
    'CATALOG_SKU_NOT_FOUND',
    'BOOKING_NOT_A_SERVICE',
    'BOOKING_STORE_CLOSED',
    'BOOKING_STAFF_CANNOT_SERVE',
    'BOOKING_SLOT_UNAVAILABLE',
    'BOOKING_SLOT_TAKEN',
    'BOOKING_NO_STAFF_AVAILABLE',
    'BOOKING_TOO_MANY_ACTIVE',
    'WALLET_INSUFFICIENT_BALANCE',
    'MEMBER_PAY_PASSWORD_REQUIRED',
    'MEMBER_PAY_PASSWORD_WRONG',
    'IDEMPOTENCY_KEY_REQUIRED',
  )
  create(@CurrentMember() member: MemberActor, @Body() body: MyBookingRequest): Promise<BookingResponse> {
    return this.bookings.createByMember(member, body);
  }

  @Get('bookings/:bookingId')
  @MemberRoute()
  @ApiOperation({ summary: 'One of my bookings (member app)' })
  @ApiResult(BookingResponse)
  @ApiErrors('UNAUTHENTICATED', 'BOOKING_NOT_FOUND')
  get(@CurrentMember() member: MemberActor, @Param('bookingId') bookingId: string): Promise<BookingResponse> {
    return this.bookings.getMine(member.id, bookingId);
  }

  @Post('bookings/:bookingId/cancel')
  @MemberRoute()
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Cancel my booking before the deadline (member app); a deposit goes back to stored value' })
  @ApiResult(BookingResponse)
  @ApiErrors('UNAUTHENTICATED', 'BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID', 'BOOKING_CANCEL_DEADLINE_PASSED', 'IDEMPOTENCY_KEY_REQUIRED')
  cancel(@CurrentMember() member: MemberActor, @Param('bookingId') bookingId: string, @Body() body: MyCancelBookingRequest): Promise<BookingResponse> {
    return this.bookings.cancelByMember(member.id, bookingId, body.reason);
  }

  @Get('queue')
  @MemberRoute()
  @ApiOperation({ summary: 'My queue numbers of today, with how many wait before me (member app)' })
  @ApiResult(MyQueueResponse)
  @ApiErrors('UNAUTHENTICATED')
  myQueue(@CurrentMember() member: MemberActor): Promise<MyQueueResponse> {
    return this.queue.mine(member);
  }

  @Post('queue')
  @MemberRoute()
  @ApiOperation({ summary: 'Take a queue number at a store (取号, member app)' })
  @ApiResult(QueueTicketResponse, 201)
  @ApiErrors('UNAUTHENTICATED', 'STORE_NOT_FOUND', 'BOOKING_STORE_CLOSED', 'MEMBER_NOT_ACTIVE')
  takeNumber(@CurrentMember() member: MemberActor, @Body() body: MyQueueNumberRequest): Promise<QueueTicketResponse> {
    return this.queue.takeAsMember(member, body);
  }

  @Post('queue/:queueTicketId/cancel')
  @MemberRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Give up my queue number (member app)' })
  @ApiResult(QueueTicketResponse)
  @ApiErrors('UNAUTHENTICATED', 'QUEUE_TICKET_NOT_FOUND', 'QUEUE_TICKET_STATUS_INVALID')
  cancelNumber(@CurrentMember() member: MemberActor, @Param('queueTicketId') id: string): Promise<QueueTicketResponse> {
    return this.queue.cancel(id, member.id);
  }
}
