import { Module } from '@nestjs/common';
import { CouponsModule } from '../coupons/coupons.module';
import { MembersModule } from '../members/members.module';
import { PointsModule } from '../points/points.module';
import { StaffModule } from '../staff/staff.module';
import { StoresModule } from '../stores/stores.module';
import { CouponNotices } from './coupon-notices';
import { NotificationTriggers } from './notification-triggers';
import { NotificationWorker } from './notification.worker';
import { MemberNotificationPreferencesController, MyNotificationsController, NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * Notifications (消息通知): the outbox, its worker and channels, the triggers. Exports
 * NotificationsService: bookings (and later capabilities) enqueue their messages through it.
 * Balance changes are observed on the ledger, so wallet and points do not import this module;
 * coupons are used through CouponsService (the birthday coupon, expiry reminders).
 */
@Module({
  imports: [MembersModule, StoresModule, StaffModule, PointsModule, CouponsModule],
  controllers: [NotificationsController, MemberNotificationPreferencesController, MyNotificationsController],
  providers: [NotificationsService, NotificationsRepository, NotificationWorker, NotificationTriggers, CouponNotices],
  exports: [NotificationsService, NotificationWorker, NotificationTriggers],
})
export class NotificationsModule {}
