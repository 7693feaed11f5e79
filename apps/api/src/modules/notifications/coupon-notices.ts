import { Injectable, OnModuleInit } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import { CouponsService } from '../coupons/coupons.service';
import { MembersService } from '../members/members.service';
import { daysBetween } from './domain/calendar';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * Coupons in notifications: the birthday greeting's coupon benefit (生日券) and the coupon expiry
 * reminder (优惠券到期提醒), both through CouponsService. Notifications use coupons, never the other
 * way round; the greeting and the reminder job see them only through the registration seams, so
 * they work the same with or without the coupons capability.
 */
@Injectable()
export class CouponNotices implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly coupons: CouponsService,
    private readonly members: MembersService,
    private readonly repo: NotificationsRepository,
  ) {}

  onModuleInit(): void {
    this.notifications.registerBirthdayCouponGranter({
      templateExists: (m, templateId) => this.coupons.couponTemplateExists(m, templateId),
      grantBirthdayCoupon: (m, cmd) => this.coupons.grantBirthdayCoupon(m, cmd),
    });
    this.notifications.registerReminderSource({ event: 'coupon.expiring', dueBetween: (now, until, after, limit) => this.expiring(now, until, after, limit) });
  }

  private async expiring(now: Date, until: Date, afterKey: string | null, limit: number) {
    const rows = await this.coupons.expiringBetween(now, until, afterKey, limit);
    if (!rows.length) return [];
    const { timeZone } = await this.repo.chain(this.notifications.manager);
    const today = businessDay(now, timeZone);
    const homes = await this.members.homeStores(this.notifications.manager, [...new Set(rows.map((r) => r.memberId))]);
    return rows.map((r) => {
      // validUntil is the first instant it no longer works: the day before is the last day.
      const lastDay = businessDay(new Date(r.validUntil.getTime() - 1), timeZone);
      return {
        key: r.couponId,
        memberId: r.memberId,
        storeId: r.issuedStoreId ?? homes.get(r.memberId) ?? null,
        data: { couponName: r.name, expiryDate: lastDay, daysLeft: daysBetween(today, lastDay), couponId: r.couponId },
      };
    });
  }
}
