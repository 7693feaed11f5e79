import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { PointsModule } from '../points/points.module';
import { StaffModule } from '../staff/staff.module';
import { StoresModule } from '../stores/stores.module';
import { NotificationTriggers } from './notification-triggers';
import { NotificationWorker } from './notification.worker';
import { MemberNotificationPreferencesController, MyNotificationsController, NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * Notifications (消息通知): the outbox, its worker and channels, the triggers. Exports
 * NotificationsService: bookings (and later capabilities) enqueue their messages through it;
 * coupons register the birthday coupon and their expiry reminders with it. Balance changes are
 * observed on the ledger, so wallet and points do not import this module.
 */
@Module({
  imports: [MembersModule, StoresModule, StaffModule, PointsModule],
  controllers: [NotificationsController, MemberNotificationPreferencesController, MyNotificationsController],
  providers: [NotificationsService, NotificationsRepository, NotificationWorker, NotificationTriggers],
  exports: [NotificationsService, NotificationWorker, NotificationTriggers],
})
export class NotificationsModule {}
