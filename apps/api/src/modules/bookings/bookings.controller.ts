import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { BookingsService } from './bookings.service';
import {
  BookableServiceResponse,
  BookingPageResponse,
  BookingResponse,
  BookingSettingsResponse,
  CancelBookingRequest,
  CheckoutCartResponse,
  CreateBookingRequest,
  ListBookingsQuery,
  RescheduleBookingRequest,
  SetStaffServicesRequest,
  SlotsQuery,
  SlotsResponse,
  StaffServicesResponse,
  UpdateBookingSettingsRequest,
} from './dto/booking.dto';

/** Bookings (预约) at the counter and in the console: rules, skills, free slots, the booking lifecycle. */
@ApiTags('bookings')
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Get('booking-settings')
  @ApiOperation({ summary: 'The chain’s booking rules (how far ahead, lead time, cancel deadline, slot grid, deposit, reminder)' })
  @ApiResult(BookingSettingsResponse)
  @ApiErrors()
  @RequirePermissions('booking.read')
  settings(): Promise<BookingSettingsResponse> {
    return this.bookings.settings();
  }

  @Patch('booking-settings')
  @RequireChainScope()
  @ApiOperation({ summary: 'Change the booking rules (HQ)' })
  @ApiResult(BookingSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('booking.settings.write')
  updateSettings(@Body() body: UpdateBookingSettingsRequest): Promise<BookingSettingsResponse> {
    return this.bookings.updateSettings(body);
  }

  @Get('staff/:staffId/services')
  @ApiOperation({ summary: 'The services a staff member performs (服务技能)' })
  @ApiResult(StaffServicesResponse)
  @ApiErrors('STAFF_NOT_FOUND')
  @RequirePermissions('schedule.read')
  staffServices(@Param('staffId') staffId: string): Promise<StaffServicesResponse> {
    return this.bookings.staffServices(staffId);
  }

  @Put('staff/:staffId/services')
  @ApiOperation({ summary: 'Set the services a staff member performs (replaces the list)' })
  @ApiResult(StaffServicesResponse)
  @ApiErrors('STAFF_NOT_FOUND', 'CATALOG_PRODUCT_NOT_FOUND', 'SCHEDULE_SERVICE_INVALID')
  @RequirePermissions('schedule.write')
  setStaffServices(@Param('staffId') staffId: string, @Body() body: SetStaffServicesRequest): Promise<StaffServicesResponse> {
    return this.bookings.setStaffServices(staffId, body);
  }

  @Get('stores/:storeId/bookable-services')
  @ApiOperation({ summary: 'Services bookable at the store, with their SKUs, duration and the staff who perform them' })
  @ApiResult([BookableServiceResponse])
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('booking.read')
  bookableServices(@Param('storeId') storeId: string): Promise<BookableServiceResponse[]> {
    return this.bookings.bookableServices(storeId);
  }

  @Get('stores/:storeId/services/:serviceSkuId/slots')
  @ApiOperation({ summary: 'Free slots of a service at the store on a day (可预约时段), optionally of one technician' })
  @ApiResult(SlotsResponse)
  @ApiErrors('STORE_NOT_FOUND', 'CATALOG_SKU_NOT_FOUND', 'CATALOG_SKU_INACTIVE', 'BOOKING_NOT_A_SERVICE', 'BOOKING_STAFF_CANNOT_SERVE', 'BOOKING_STORE_CLOSED')
  @RequirePermissions('booking.read')
  slots(@Param('storeId') storeId: string, @Param('serviceSkuId') skuId: string, @Query() q: SlotsQuery): Promise<SlotsResponse> {
    return this.bookings.slots(storeId, skuId, q, false);
  }

  @Get('bookings')
  @ApiOperation({ summary: 'Bookings of the caller’s stores by start time (预约列表)' })
  @ApiResult(BookingPageResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('booking.read')
  list(@CurrentStaff() actor: StaffActor, @Query() q: ListBookingsQuery): Promise<BookingPageResponse> {
    return this.bookings.list(actor, q);
  }

  @Post('bookings')
  @ApiOperation({ summary: 'Book for a member (代客预约): confirmed at once, no deposit' })
  @ApiResult(BookingResponse, 201)
  @ApiErrors(
    'STORE_NOT_FOUND',
    'MEMBER_NOT_FOUND',
    'MEMBER_NOT_ACTIVE',
    'CATALOG_SKU_NOT_FOUND',
    'BOOKING_NOT_A_SERVICE',
    'BOOKING_STORE_CLOSED',
    'BOOKING_STAFF_CANNOT_SERVE',
    'BOOKING_SLOT_UNAVAILABLE',
    'BOOKING_SLOT_TAKEN',
    'BOOKING_NO_STAFF_AVAILABLE',
  )
  @RequirePermissions('booking.write')
  create(@CurrentStaff() actor: StaffActor, @Body() body: CreateBookingRequest): Promise<BookingResponse> {
    return this.bookings.createByStaff(actor, body);
  }

  @Get('bookings/:bookingId')
  @ApiOperation({ summary: 'One booking' })
  @ApiResult(BookingResponse)
  @ApiErrors('BOOKING_NOT_FOUND')
  @RequirePermissions('booking.read')
  get(@Param('bookingId') bookingId: string): Promise<BookingResponse> {
    return this.bookings.get(bookingId);
  }

  @Get('bookings/:bookingId/checkout-cart')
  @ApiOperation({ summary: 'The cart a booking starts checkout with: its service SKU and technician (开单)' })
  @ApiResult(CheckoutCartResponse)
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID')
  @RequirePermissions('booking.read')
  checkoutCart(@Param('bookingId') bookingId: string): Promise<CheckoutCartResponse> {
    return this.bookings.checkoutCart(bookingId);
  }

  @Post('bookings/:bookingId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a pending booking (确认); the member is told and reminded' })
  @ApiResult(BookingResponse)
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID')
  @RequirePermissions('booking.write')
  confirm(@Param('bookingId') bookingId: string): Promise<BookingResponse> {
    return this.bookings.confirm(bookingId);
  }

  @Post('bookings/:bookingId/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move a booking to another time or technician (改约)' })
  @ApiResult(BookingResponse)
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID', 'BOOKING_STAFF_CANNOT_SERVE', 'BOOKING_SLOT_UNAVAILABLE', 'BOOKING_SLOT_TAKEN')
  @RequirePermissions('booking.write')
  reschedule(@Param('bookingId') bookingId: string, @Body() body: RescheduleBookingRequest): Promise<BookingResponse> {
    return this.bookings.reschedule(bookingId, body);
  }

  @Post('bookings/:bookingId/cancel')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'Cancel a booking (取消); a deposit goes back to stored value unless keepDeposit' })
  @ApiResult(BookingResponse)
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('booking.write')
  cancel(@Param('bookingId') bookingId: string, @Body() body: CancelBookingRequest): Promise<BookingResponse> {
    return this.bookings.cancelByStaff(bookingId, body);
  }

  @Post('bookings/:bookingId/arrive')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({ summary: 'The member arrived (到店); a deposit goes back to stored value' })
  @ApiResult(BookingResponse)
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID', 'IDEMPOTENCY_KEY_REQUIRED')
  @RequirePermissions('booking.write')
  arrive(@Param('bookingId') bookingId: string): Promise<BookingResponse> {
    return this.bookings.arrive(bookingId);
  }

  @Post('bookings/:bookingId/no-show')
  @HttpCode(200)
  @ApiOperation({ summary: 'The member did not come (爽约), after the start; a deposit is kept' })
  @ApiResult(BookingResponse)
  @ApiErrors('BOOKING_NOT_FOUND', 'BOOKING_STATUS_INVALID', 'BOOKING_NOT_STARTED')
  @RequirePermissions('booking.write')
  noShow(@Param('bookingId') bookingId: string): Promise<BookingResponse> {
    return this.bookings.noShow(bookingId);
  }
}
