import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import { TransactionHost } from '../../common/db/transaction-host';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import type { JsonLogger } from '../../common/logger';
import { LedgerService, type PostedEntry, type Posting } from '../ledger/ledger.service';
import { MemberDataService } from '../members/member-data.service';
import { MembersService } from '../members/members.service';
import { PointsService } from '../points/points.service';
import { addDays, birthdayMonthDays, daysBetween } from './domain/calendar';
import { ledgerNotice } from './domain/ledger-notice';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

const PAGE = 200;

/**
 * Where messages come from (通知触发):
 * - balance changes: every ledger posting, observed in its own transaction (LedgerService
 *   registerPostingObserver), so that wallet and points never import notifications;
 * - birthdays (daily 09:00): the greeting and its benefit (points, or a coupon through the coupons
 *   capability's registered granter), once per member and year;
 * - expiry reminders (daily 10:00): membership validity, points, and whatever registered an
 *   ExpiryReminderSource (coupons), N days ahead per the chain's settings;
 * - bookings call NotificationsService.enqueue themselves (booking.confirmed, booking.reminder).
 */
@Injectable()
export class NotificationTriggers implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly notifications: NotificationsService,
    private readonly repo: NotificationsRepository,
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
    private readonly memberData: MemberDataService,
    private readonly points: PointsService,
    private readonly scheduler: JobScheduler,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.ledger.registerPostingObserver({ onPosted: (m, posting, posted) => this.onPosted(m, posting, posted.operationId, posted.entries) });
    this.memberData.registerErasureHook({ onMemberErased: (m, memberId) => this.notifications.onMemberErased(m, memberId) });
    this.scheduler.register({ name: 'notifications.birthdays', schedule: { daily: '09:00' }, run: (now) => this.greetBirthdays(now) });
    this.scheduler.register({ name: 'notifications.expiry-reminders', schedule: { daily: '10:00' }, run: (now) => this.remindExpiries(now) });
  }

  /** One notice per member per posting (domain/ledger-notice.ts), in the posting's transaction. */
  async onPosted(m: EntityManager, posting: Posting, operationId: string, entries: PostedEntry[]): Promise<void> {
    const byMember = new Map<string, PostedEntry[]>();
    for (const e of entries) byMember.set(e.memberId, [...(byMember.get(e.memberId) ?? []), e]);
    for (const [memberId, legs] of byMember) {
      const notice = ledgerNotice(posting.refType, legs);
      // Most chains enable few events: skip the balance read when nothing would be sent.
      if (!notice || !(await this.repo.hasEnabledTemplate(m, notice.event))) continue;
      const data: Record<string, unknown> = { ...notice.data, refType: posting.refType, refId: posting.refId, at: new Date().toISOString() };
      if (notice.event !== 'points.changed') {
        // The total after the posting, read in its transaction: both accounts, whichever moved.
        const balances = await this.ledger.balances(m, memberId);
        const of = (kind: string) => balances.find((b) => b.kind === kind && b.refId === null)?.balance ?? 0;
        data.balanceFen = of('wallet_principal') + of('wallet_bonus');
      }
      await this.notifications.enqueue(m, {
        event: notice.event,
        memberId,
        storeId: posting.storeId ?? (await this.members.homeStores(m, [memberId])).get(memberId) ?? null,
        data,
        dedupeKey: `ledger:${operationId}:${memberId}`,
      });
    }
  }

  // ── birthdays ───────────────────────────────────────────────────────────────

  /** Greets every active member whose birthday is today (chain time zone), with the benefit, once a year. */
  async greetBirthdays(now = new Date()): Promise<{ greeted: number; points: number; coupons: number }> {
    const chain = await this.repo.chain(this.tx.manager);
    const today = businessDay(now, chain.timeZone);
    const year = Number(today.slice(0, 4));
    const done = { greeted: 0, points: 0, coupons: 0 };
    let after: string | null = null;
    for (;;) {
      const page = await this.members.birthdaysOn(this.tx.manager, birthdayMonthDays(today), after, PAGE);
      if (!page.length) return done;
      for (const member of page) {
        after = member.id;
        // One transaction per member: a failure (a coupon run out) costs that member's greeting only, retried on the next run.
        const given = await this.tx.run((m) => this.greet(m, member.id, member.homeStoreId, year, now)).catch((err) => {
          this.logger.write('error', 'birthday greeting failed', { memberId: member.id, err: String(err) });
          return null;
        });
        if (!given) continue;
        done.greeted++;
        done.points += given.points;
        if (given.couponId) done.coupons++;
      }
    }
  }

  private async greet(m: EntityManager, memberId: string, homeStoreId: string, year: number, now: Date): Promise<{ points: number; couponId: string | null } | null> {
    const settings = await this.notifications.rules(m);
    const coupons = this.notifications.birthdayCoupons;
    // A coupon benefit without the coupons capability (removed since it was set) greets without it.
    const benefit = settings.birthdayBenefit === 'coupon' && !coupons ? 'none' : settings.birthdayBenefit;
    if (!(await this.repo.claimBirthday(m, memberId, year, benefit))) return null;
    let points = 0;
    let couponId: string | null = null;
    let couponName: string | null = null;
    if (benefit === 'points' && settings.birthdayPoints > 0) {
      points = settings.birthdayPoints;
      await this.points.credit(m, { memberId, storeId: null, points, reason: 'birthday', refType: 'birthday_greeting', refId: `${memberId}:${year}`, memo: `${year} 生日礼遇` }, now);
    } else if (benefit === 'coupon' && coupons && settings.birthdayCouponTemplateId) {
      // A template that cannot issue today (sold out, ended) leaves a greeting without the coupon.
      const granted = await coupons.grantBirthdayCoupon(m, { memberId, templateId: settings.birthdayCouponTemplateId, year });
      couponId = granted?.couponId ?? null;
      couponName = granted?.couponName ?? null;
    }
    await this.repo.recordBirthdayBenefit(m, memberId, year, { points, couponId });
    const benefitText = points ? `已为您赠送${points}积分。` : couponName ? `已为您送上「${couponName}」，请在会员中心查看。` : '';
    await this.notifications.enqueue(m, {
      event: 'member.birthday',
      memberId,
      storeId: homeStoreId,
      data: { benefitPoints: points, couponName, benefitText, year },
      dedupeKey: `birthday:${memberId}:${year}`,
    });
    return { points, couponId };
  }

  // ── expiry reminders ────────────────────────────────────────────────────────

  /** Reminds of what expires within the chain's reminder windows; each thing is reminded of once (dedupe key). */
  async remindExpiries(now = new Date()): Promise<{ membership: number; points: number; coupons: number }> {
    const settings = await this.notifications.rules(this.tx.manager);
    const chain = await this.repo.chain(this.tx.manager);
    const today = businessDay(now, chain.timeZone);
    const done = { membership: 0, points: 0, coupons: 0 };

    if (settings.membershipExpiryDays > 0) {
      let after: string | null = null;
      for (;;) {
        const page = await this.members.validityEndingBetween(this.tx.manager, today, addDays(today, settings.membershipExpiryDays), after, PAGE);
        if (!page.length) break;
        after = page[page.length - 1].id;
        done.membership += await this.enqueueAll(
          page.map((p) => ({
            event: 'membership.expiring' as const,
            memberId: p.id,
            storeId: p.homeStoreId,
            data: { expiryDate: p.validUntil, daysLeft: daysBetween(today, p.validUntil) },
            dedupeKey: `membership-expiring:${p.id}:${p.validUntil}`,
          })),
        );
      }
    }

    if (settings.pointsExpiryDays > 0) {
      let after: string | null = null;
      const until = new Date(now.getTime() + settings.pointsExpiryDays * 86_400_000);
      for (;;) {
        const page = await this.points.expiringBetween(now, until, after, PAGE);
        if (!page.length) break;
        after = page[page.length - 1].lotId;
        const homes = await this.members.homeStores(this.tx.manager, page.map((p) => p.memberId));
        done.points += await this.enqueueAll(
          page.map((p) => {
            // The last day the points can be used: the day before the instant they lapse.
            const lastDay = businessDay(new Date(p.expiresAt.getTime() - 1), chain.timeZone);
            return {
              event: 'points.expiring' as const,
              memberId: p.memberId,
              storeId: homes.get(p.memberId) ?? null,
              data: { points: p.points, expiryDate: lastDay, daysLeft: daysBetween(today, lastDay), year: p.year },
              dedupeKey: `points-expiring:${p.memberId}:${p.year}`,
            };
          }),
        );
      }
    }

    if (settings.couponExpiryDays > 0) {
      const until = new Date(now.getTime() + settings.couponExpiryDays * 86_400_000);
      for (const source of this.notifications.expiryReminderSources) {
        let after: string | null = null;
        for (;;) {
          const page = await source.dueBetween(now, until, after, PAGE);
          if (!page.length) break;
          after = page[page.length - 1].key;
          done.coupons += await this.enqueueAll(page.map((p) => ({ event: source.event, memberId: p.memberId, storeId: p.storeId, data: p.data, dedupeKey: `${source.event}:${p.key}` })));
        }
      }
    }
    return done;
  }

  private async enqueueAll(items: Parameters<NotificationsService['enqueue']>[1][]): Promise<number> {
    return this.tx.run(async (m) => {
      let n = 0;
      for (const item of items) if (await this.notifications.enqueue(m, item)) n++;
      return n;
    });
  }
}
