import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { MembersModule } from '../members/members.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { NotificationsService } from '../notifications/notifications.service';
import { SchedulesModule } from '../schedules/schedules.module';
import { StoresModule } from '../stores/stores.module';
import { WalletModule } from '../wallet/wallet.module';
import { BOOKING_OUTBOX, BookingNotices } from './booking-notices';
import { BookingsController } from './bookings.controller';
import { MyBookingsController } from './bookings.member.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { QueueController } from './queue.controller';
import { QueueRepository } from './queue.repository';
import { QueueService } from './queue.service';

/**
 * Bookings (预约) and the walk-in queue (排队叫号). Exports BookingsService: checkout calls
 * cartFor / completeForOrder, the performance report servedCounts. Bookings never import orders.
 * Confirmations and reminders go to the notification outbox (NotificationsService) in the booking's transaction.
 */
@Module({
  imports: [StoresModule, SchedulesModule, CatalogModule, MembersModule, WalletModule, NotificationsModule],
  controllers: [BookingsController, MyBookingsController, QueueController],
  providers: [BookingsService, BookingsRepository, QueueService, QueueRepository, BookingNotices, { provide: BOOKING_OUTBOX, useExisting: NotificationsService }],
  exports: [BookingsService],
})
export class BookingsModule {}
