import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import {
  BOOKING_DEPOSIT_STATUSES,
  BOOKING_SOURCES,
  BOOKING_STATUSES,
  QUEUE_TICKET_STATUSES,
  type BookingDepositStatus,
  type BookingSource,
  type BookingStatus,
  type QueueTicketStatus,
} from '@chaincard/shared';
import { IsDay, IsInstant } from '../../../common/http/fields';
import { PageQuery } from '../../../common/http/pagination';

const MAX_FEN = 100_000_000_00;

// ── settings ────────────────────────────────────────────────────────────────

export class BookingSettingsResponse {
  @ApiProperty({ description: 'A booking’s day may be at most this many days after today' }) maxDaysAhead!: number;
  @ApiProperty({ description: 'Members book at least this many minutes before the start' }) minLeadMinutes!: number;
  @ApiProperty({ description: 'Members cancel online at least this many minutes before the start (取消截止)' }) cancelDeadlineMinutes!: number;
  @ApiProperty({ description: 'Free slots are offered every this many minutes from midnight' }) slotStepMinutes!: number;
  @ApiProperty({ description: 'Deposit (定金) a member pays from stored value when booking in the app; 0 = none' }) depositFen!: number;
  @ApiProperty({ description: 'Member bookings are confirmed at once; false = the store confirms each one' }) autoConfirm!: boolean;
  @ApiProperty({ description: 'The reminder is sent this many minutes before the start; 0 = none' }) reminderMinutes!: number;
  @ApiProperty({ description: 'Open future bookings a member may hold at once through the app' }) maxActivePerMember!: number;
  @ApiProperty() updatedAt!: string;
}

export class UpdateBookingSettingsRequest {
  @ApiPropertyOptional({ minimum: 0, maximum: 365 }) @IsOptional() @IsInt() @Min(0) @Max(365) maxDaysAhead?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 10080 }) @IsOptional() @IsInt() @Min(0) @Max(10080) minLeadMinutes?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 10080 }) @IsOptional() @IsInt() @Min(0) @Max(10080) cancelDeadlineMinutes?: number;
  @ApiPropertyOptional({ minimum: 5, maximum: 240 }) @IsOptional() @IsInt() @Min(5) @Max(240) slotStepMinutes?: number;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) depositFen?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoConfirm?: boolean;
  @ApiPropertyOptional({ minimum: 0, maximum: 10080 }) @IsOptional() @IsInt() @Min(0) @Max(10080) reminderMinutes?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 100 }) @IsOptional() @IsInt() @Min(1) @Max(100) maxActivePerMember?: number;
}

// ── who performs which service ─────────────────────────────────────────────────

export class SetStaffServicesRequest {
  @ApiProperty({ type: [String], description: 'Service products (kind service) the staff member performs; replaces the list' })
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  productIds!: string[];
}

export class StaffServiceResponse {
  @ApiProperty() productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ description: 'active: on sale' }) status!: string;
}

export class StaffServicesResponse {
  @ApiProperty() staffId!: string;
  @ApiProperty({ type: [StaffServiceResponse] }) services!: StaffServiceResponse[];
}

export class StaffRefResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class BookableSkuResponse {
  @ApiProperty() skuId!: string;
  @ApiProperty({ nullable: true, type: String }) specName!: string | null;
  @ApiProperty() priceFen!: number;
  @ApiProperty({ nullable: true, type: Number }) memberPriceFen!: number | null;
}

export class BookableServiceResponse {
  @ApiProperty() productId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty({ type: [BookableSkuResponse], description: 'The SKUs on sale (a booking names one)' }) skus!: BookableSkuResponse[];
  @ApiProperty({ type: [StaffRefResponse], description: 'Staff of the store who perform it' }) staff!: StaffRefResponse[];
}

export class BookableServicesQuery {
  @ApiProperty() @IsUUID('4') storeId!: string;
}

// ── slots ───────────────────────────────────────────────────────────────────

export class SlotsQuery {
  @ApiPropertyOptional({ example: '2026-11-24', description: 'Day in the store’s time zone; default today' }) @IsOptional() @IsDay() day?: string;
  @ApiPropertyOptional({ description: 'Only this technician' }) @IsOptional() @IsUUID('4') staffId?: string;
}

export class MySlotsQuery extends SlotsQuery {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiProperty({ description: 'The service SKU' }) @IsUUID('4') skuId!: string;
}

export class SlotResponse {
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty({ example: '10:00', description: 'Start on the store’s wall clock' }) time!: string;
  @ApiProperty({ type: [String], description: 'Technicians free for the whole service then' }) staffIds!: string[];
}

export class SlotsResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty() day!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty() stepMinutes!: number;
  @ApiProperty({ type: [StaffRefResponse], description: 'Technicians of the store who perform the service' }) staff!: StaffRefResponse[];
  @ApiProperty({ type: [SlotResponse] }) slots!: SlotResponse[];
}

// ── bookings ────────────────────────────────────────────────────────────────

export class CreateBookingRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiProperty() @IsUUID('4') memberId!: string;
  @ApiProperty({ description: 'The service SKU to ring up at checkout' }) @IsUUID('4') skuId!: string;
  @ApiPropertyOptional({ description: 'Omitted: the least busy technician free then' }) @IsOptional() @IsUUID('4') staffId?: string;
  @ApiProperty({ example: '2026-11-24T10:00:00+08:00' }) @IsInstant() startsAt!: string;
  @ApiPropertyOptional({ example: '电话预约' }) @IsOptional() @IsString() @Length(0, 500) note?: string;
}

export class MyBookingRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiProperty({ description: 'The service SKU' }) @IsUUID('4') skuId!: string;
  @ApiPropertyOptional({ description: 'Omitted: any technician free then' }) @IsOptional() @IsUUID('4') staffId?: string;
  @ApiProperty({ example: '2026-11-24T10:00:00+08:00', description: 'One of the free slots' }) @IsInstant() startsAt!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) note?: string;
  @ApiPropertyOptional({ description: 'The payment password, when the chain asks a deposit and one is set' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'password is 6 digits' })
  password?: string;
}

export class RescheduleBookingRequest {
  @ApiProperty({ example: '2026-11-24T14:00:00+08:00' }) @IsInstant() startsAt!: string;
  @ApiPropertyOptional({ description: 'Another technician; omitted = the same one' }) @IsOptional() @IsUUID('4') staffId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) reason?: string;
}

export class CancelBookingRequest {
  @ApiProperty({ example: '客人临时有事' }) @IsString() @Length(1, 200) reason!: string;
  @ApiPropertyOptional({ description: 'Keep the deposit (e.g. a very late cancellation); default: it goes back to stored value' }) @IsOptional() @IsBoolean() keepDeposit?: boolean;
}

export class MyCancelBookingRequest {
  @ApiPropertyOptional({ example: '临时有事' }) @IsOptional() @IsString() @Length(0, 200) reason?: string;
}

export class ListBookingsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '2026-11-24', description: 'Bookings starting on this day (store time zone)' }) @IsOptional() @IsDay() day?: string;
  @ApiPropertyOptional({ example: '2026-11-01' }) @IsOptional() @IsDay() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @IsOptional() @IsDay() to?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') staffId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional({ enum: BOOKING_STATUSES }) @IsOptional() @IsIn(BOOKING_STATUSES) status?: BookingStatus;
}

export class MyBookingsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'upcoming: pending, confirmed or arrived; past: the rest' }) @IsOptional() @IsIn(['upcoming', 'past']) when?: 'upcoming' | 'past';
}

export class BookingResponse {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() memberName!: string;
  @ApiProperty() memberNo!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() staffName!: string;
  @ApiProperty() productId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty() durationMinutes!: number;
  @ApiProperty() startsAt!: string;
  @ApiProperty() endsAt!: string;
  @ApiProperty({ example: '2026-11-24 10:00', description: 'Start on the store’s wall clock' }) startTime!: string;
  @ApiProperty({ enum: BOOKING_STATUSES }) status!: BookingStatus;
  @ApiProperty({ enum: BOOKING_SOURCES }) source!: BookingSource;
  @ApiProperty() note!: string;
  @ApiProperty() depositFen!: number;
  @ApiProperty({ enum: BOOKING_DEPOSIT_STATUSES }) depositStatus!: BookingDepositStatus;
  @ApiProperty() rescheduleCount!: number;
  @ApiProperty({ nullable: true, type: String }) confirmedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) arrivedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The order that settled it' }) orderId!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['member', 'staff'] }) cancelledBy!: 'member' | 'staff' | null;
  @ApiProperty({ nullable: true, type: String }) noShowAt!: string | null;
  @ApiProperty({ description: 'The member may still cancel it online (before the deadline)' }) cancellableOnline!: boolean;
  @ApiProperty() createdAt!: string;
}

export class BookingPageResponse {
  @ApiProperty({ type: [BookingResponse] }) items!: BookingResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class CheckoutCartLineResponse {
  @ApiProperty() skuId!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ type: [String] }) servingStaffIds!: string[];
}

export class CheckoutCartResponse {
  @ApiProperty() bookingId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty({ type: [CheckoutCartLineResponse], description: 'What the till starts with: the booked service with its technician' }) lines!: CheckoutCartLineResponse[];
}

// ── queue ───────────────────────────────────────────────────────────────────

export class TakeQueueNumberRequest {
  @ApiPropertyOptional({ description: 'A member, when known' }) @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional({ example: '王先生' }) @IsOptional() @IsString() @Length(1, 50) customerName?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(99) partySize?: number;
  @ApiPropertyOptional({ description: 'The service wanted' }) @IsOptional() @IsUUID('4') skuId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class MyQueueNumberRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @IsInt() @Min(1) @Max(99) partySize?: number;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') skuId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class CallNextRequest {
  @ApiPropertyOptional({ description: 'The staff member who will serve the walk-in' }) @IsOptional() @IsUUID('4') staffId?: string;
}

export class ServeTicketRequest {
  @ApiPropertyOptional({ description: 'The staff member serving the walk-in' }) @IsOptional() @IsUUID('4') staffId?: string;
}

export class QueueBoardQuery {
  @ApiPropertyOptional({ example: '2026-11-24', description: 'Business day; default today' }) @IsOptional() @IsDay() businessDay?: string;
}

export class QueueTicketResponse {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() businessDay!: string;
  @ApiProperty() number!: number;
  @ApiProperty({ example: '007', description: 'As called out and printed' }) label!: string;
  @ApiProperty({ nullable: true, type: String }) memberId!: string | null;
  @ApiProperty({ nullable: true, type: String }) customerName!: string | null;
  @ApiProperty() partySize!: number;
  @ApiProperty({ nullable: true, type: String }) skuId!: string | null;
  @ApiProperty() note!: string;
  @ApiProperty({ enum: QUEUE_TICKET_STATUSES }) status!: QueueTicketStatus;
  @ApiProperty() callCount!: number;
  @ApiProperty({ nullable: true, type: String }) calledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty({ nullable: true, type: String }) staffName!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ description: 'Tickets still waiting before this one' }) aheadCount!: number;
  @ApiProperty() createdAt!: string;
}

export class QueueBoardResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() businessDay!: string;
  @ApiProperty() waitingCount!: number;
  @ApiProperty({ type: QueueTicketResponse, nullable: true, description: 'The ticket called last' }) current!: QueueTicketResponse | null;
  @ApiProperty({ type: [QueueTicketResponse], description: 'Every ticket of the day, by number' }) tickets!: QueueTicketResponse[];
}

export class MyQueueResponse {
  @ApiProperty({ type: [QueueTicketResponse], description: 'My tickets of today (each store’s day)' }) tickets!: QueueTicketResponse[];
}

