import { Inject, Injectable } from '@nestjs/common';
import { wallClockText } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { BookingRow } from './bookings.repository';

/** The booking messages of the notification capability's event list. */
export type BookingEvent = 'booking.confirmed' | 'booking.reminder';

/**
 * The outbox as bookings use it: NotificationsService.enqueue / cancel have this shape. A message
 * is written in the booking's transaction (it commits or rolls back with the booking), once per
 * dedupe key; a reminder carries sendAt and is withdrawn when the booking is cancelled or moved.
 */
export interface BookingOutbox {
  enqueue(m: EntityManager, input: { event: BookingEvent; memberId: string; storeId: string | null; data: Record<string, unknown>; dedupeKey: string; sendAt?: Date }): Promise<string | null>;
  cancel(m: EntityManager, dedupeKey: string): Promise<boolean>;
}

export const BOOKING_OUTBOX = Symbol('bookings.outbox');

/** Builds the booking confirmation and reminder (预约成功 / 预约提醒) and keeps them in step with the booking. */
@Injectable()
export class BookingNotices {
  constructor(@Inject(BOOKING_OUTBOX) private readonly outbox: BookingOutbox) {}

  /** A confirmed booking (or one moved to a new time): the confirmation now, the reminder before the start. */
  async confirmed(m: EntityManager, b: BookingRow, reminderMinutes: number, now: Date): Promise<void> {
    const data = this.data(b);
    const at = b.startsAt.toISOString();
    await this.outbox.enqueue(m, { event: 'booking.confirmed', memberId: b.memberId, storeId: b.storeId, data, dedupeKey: `booking:${b.id}:confirmed:${at}` });
    if (reminderMinutes <= 0) return;
    const sendAt = new Date(b.startsAt.getTime() - reminderMinutes * 60_000);
    // Booked closer to the start than the reminder lead: the confirmation says it all.
    if (sendAt.getTime() <= now.getTime()) return;
    await this.outbox.enqueue(m, { event: 'booking.reminder', memberId: b.memberId, storeId: b.storeId, data, dedupeKey: this.reminderKey(b), sendAt });
  }

  /** The booking no longer happens at this time (cancelled, no-show, moved): its reminder is withdrawn. */
  async withdraw(m: EntityManager, b: Pick<BookingRow, 'id' | 'startsAt'>): Promise<void> {
    await this.outbox.cancel(m, this.reminderKey(b));
  }

  private reminderKey(b: Pick<BookingRow, 'id' | 'startsAt'>): string {
    return `booking:${b.id}:reminder:${b.startsAt.toISOString()}`;
  }

  private data(b: BookingRow): Record<string, unknown> {
    return {
      bookingId: b.id,
      serviceName: b.serviceName,
      startTime: wallClockText(b.startsAt, b.timeZone),
      startsAt: b.startsAt.toISOString(),
      staffName: b.staffName,
      storeName: b.storeName,
      depositFen: b.depositFen,
    };
  }
}
