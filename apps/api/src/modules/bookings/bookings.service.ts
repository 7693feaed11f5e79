import { randomUUID } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { addDays, businessDay, clockText, daysBetween, minutesOfDay, wallClockText, zonedInstant, type BookingStatus } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { CatalogService, type PricingItem } from '../catalog/catalog.service';
import { CatalogSearchQuery } from '../catalog/dto/catalog.dto';
import { MemberDataService } from '../members/member-data.service';
import { MembersService } from '../members/members.service';
import { intersectIntervals } from '../schedules/domain/working-hours';
import { SchedulesService } from '../schedules/schedules.service';
import type { StoreResponse } from '../stores/dto/store.dto';
import { StoresService } from '../stores/stores.service';
import { WalletService } from '../wallet/wallet.service';
import { BookingNotices } from './booking-notices';
import { BookingsRepository, type BookingRow } from './bookings.repository';
import { QueueRepository } from './queue.repository';
import { allowed, memberMayCancel, nextStatus, withinWindow, type BookingAction } from './domain/booking-rules';
import { fits, slotsByStart, type Span, type StaffAvailability } from './domain/slots';
import type {
  BookableServiceResponse,
  BookingResponse,
  BookingSettingsResponse,
  CancelBookingRequest,
  CheckoutCartResponse,
  CreateBookingRequest,
  ListBookingsQuery,
  MyBookingRequest,
  MyBookingsQuery,
  RescheduleBookingRequest,
  SetStaffServicesRequest,
  SlotsQuery,
  SlotsResponse,
  StaffServicesResponse,
  UpdateBookingSettingsRequest,
} from './dto/booking.dto';
import type { BookingSettingsEntity } from './entities/booking.entity';

/** Ledger ref types of a deposit (定金) paid from stored value and returned to it. */
const DEPOSIT_REF = 'booking_deposit';
const DEPOSIT_RETURN_REF = 'booking_deposit_return';
const MAX_LIST_DAYS = 92;

/** The cart a booking starts at checkout with: its service SKU and technician (the shape of the quote's cart). */
export interface BookingCart {
  bookingId: string;
  storeId: string;
  memberId: string;
  lines: { skuId: string; quantity: number; servingStaffIds: string[] }[];
}

interface Start {
  store: StoreResponse;
  item: PricingItem;
  startsAt: Date;
  endsAt: Date;
  /** Staff to try, best first (all free as far as committed bookings show). */
  staffIds: string[];
}

/**
 * Bookings (预约): technicians' services booked into their schedules. A member books a free slot
 * in the app (optionally paying a deposit from stored value); staff book for members, confirm,
 * reschedule, cancel, check in and mark no-shows; checkout turns a booking into an order. No
 * technician is ever double-booked: the database's exclusion constraint decides every race.
 */
@Injectable()
export class BookingsService implements OnModuleInit {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: BookingsRepository,
    private readonly schedules: SchedulesService,
    private readonly stores: StoresService,
    private readonly catalog: CatalogService,
    private readonly members: MembersService,
    private readonly wallet: WalletService,
    private readonly notices: BookingNotices,
    private readonly audit: AuditService,
    private readonly memberData: MemberDataService,
    private readonly queue: QueueRepository,
  ) {}

  /** A member's deletion (PIPL) reaches his bookings and queue numbers in its transaction. */
  onModuleInit(): void {
    this.memberData.registerErasureHook({
      onMemberErased: async (m, memberId) => {
        const cancelled = await this.repo.eraseMember(m, memberId);
        await this.queue.eraseMember(m, memberId);
        for (const b of cancelled) await this.audit.record(m, { action: 'booking.cancel', entityType: 'booking', entityId: b.id, storeId: b.storeId, reason: '会员注销', after: { status: 'cancelled' } });
      },
    });
  }

  // ── settings ────────────────────────────────────────────────────────────────

  async settings(): Promise<BookingSettingsResponse> {
    return toSettingsResponse(await this.repo.settings(this.tx.manager));
  }

  updateSettings(input: UpdateBookingSettingsRequest): Promise<BookingSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m, true);
      const before = toSettingsResponse(s);
      for (const [k, v] of Object.entries(input)) if (v !== undefined) (s as unknown as Record<string, unknown>)[k] = v;
      const after = toSettingsResponse(await this.repo.saveSettings(m, s));
      const { updatedAt: _b, ...b } = before;
      const { updatedAt: _a, ...a } = after;
      await this.audit.record(m, { action: 'booking.settings.update', entityType: 'booking_settings', entityId: '1', ...diff(b, a) });
      return after;
    });
  }

  // ── who performs which service ───────────────────────────────────────────────

  async staffServices(staffId: string): Promise<StaffServicesResponse> {
    const ids = await this.repo.servicesOf(this.tx.manager, staffId);
    const services = [];
    for (const id of ids) {
      const p = await this.catalog.product(id);
      services.push({ productId: p.id, name: p.name, durationMinutes: p.durationMinutes, status: p.status });
    }
    return { staffId, services };
  }

  /** Sets the services a staff member performs (服务技能); only services (kind service) qualify. */
  setStaffServices(staffId: string, input: SetStaffServicesRequest): Promise<StaffServicesResponse> {
    return this.tx.run(async (m) => {
      for (const productId of input.productIds) {
        const p = await this.catalog.product(productId);
        if (p.kind !== 'service') throw new AppError('SCHEDULE_SERVICE_INVALID', { productId });
      }
      const before = await this.repo.servicesOf(m, staffId);
      await this.repo.replaceServices(m, staffId, input.productIds);
      const after = await this.staffServices(staffId);
      await this.audit.record(m, { action: 'staff.services.set', entityType: 'staff', entityId: staffId, before: { productIds: before }, after: { productIds: input.productIds } });
      return after;
    });
  }

  /** Services bookable at a store: on sale there and performed by at least one of its active staff. */
  async bookableServices(storeId: string): Promise<BookableServiceResponse[]> {
    await this.stores.get(storeId);
    const staff = await this.repo.servicesAtStore(this.tx.manager, storeId);
    const q = Object.assign(new CatalogSearchQuery(), { kind: 'service', page: 1, pageSize: 200 });
    const items = (await this.catalog.storeItems(storeId, q)).items.filter((i) => staff.has(i.productId) && i.durationMinutes);
    const out = new Map<string, BookableServiceResponse>();
    for (const i of items) {
      const entry = out.get(i.productId) ?? { productId: i.productId, name: i.productName, durationMinutes: i.durationMinutes!, skus: [], staff: staff.get(i.productId)! };
      entry.skus.push({ skuId: i.skuId, specName: i.specName, priceFen: i.priceFen, memberPriceFen: i.memberPriceFen });
      out.set(i.productId, entry);
    }
    return [...out.values()];
  }

  // ── free slots ──────────────────────────────────────────────────────────────

  /**
   * Free slots of a service at a store on a day: every start on the chain's grid where a technician
   * who performs the service is working (schedule ∩ opening hours) for the whole duration and has no
   * active booking. Members see only starts at least the lead time ahead, within the horizon.
   */
  async slots(storeId: string, skuId: string, q: SlotsQuery, byMember: boolean, now = new Date()): Promise<SlotsResponse> {
    const m = this.tx.manager;
    const settings = await this.repo.settings(m);
    const store = await this.openStore(storeId);
    const item = await this.serviceItem(m, storeId, skuId);
    const day = q.day ?? businessDay(now, store.timeZone);
    const capable = await this.repo.staffForService(m, item.productId, storeId);
    if (q.staffId && !capable.some((s) => s.id === q.staffId)) throw new AppError('BOOKING_STAFF_CANNOT_SERVE', { staffId: q.staffId });
    const staffIds = q.staffId ? [q.staffId] : capable.map((s) => s.id);
    const base = { storeId, skuId, serviceName: serviceName(item), day, timeZone: store.timeZone, durationMinutes: item.durationMinutes!, stepMinutes: settings.slotStepMinutes, staff: capable };
    const daysAhead = daysBetween(businessDay(now, store.timeZone), day);
    if (daysAhead < 0 || daysAhead > settings.maxDaysAhead) return { ...base, slots: [] };
    const plan = await this.dayPlan(m, store, day, staffIds);
    const earliest = now.getTime() + (byMember ? settings.minLeadMinutes * 60_000 : 0);
    const slots = slotsByStart(grid(day, settings.slotStepMinutes, store.timeZone), item.durationMinutes! * 60_000, plan, earliest);
    return {
      ...base,
      slots: slots.map((s) => ({
        startsAt: new Date(s.start).toISOString(),
        endsAt: new Date(s.start + item.durationMinutes! * 60_000).toISOString(),
        time: clockText(minutesOfDay(new Date(s.start), store.timeZone)),
        staffIds: s.staffIds,
      })),
    };
  }

  // ── bookings ────────────────────────────────────────────────────────────────

  /** Staff book for a member (代客预约, e.g. by phone): confirmed at once, no deposit. */
  createByStaff(actor: StaffActor, input: CreateBookingRequest, now = new Date()): Promise<BookingResponse> {
    return this.tx.run(async (m) => {
      const member = await this.members.get(input.memberId);
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const settings = await this.repo.settings(m);
      const start = await this.resolveStart(m, settings, { storeId: input.storeId, skuId: input.skuId, staffId: input.staffId, startsAt: new Date(input.startsAt) }, false, now);
      const row = await this.insertFirst(m, start, {
        id: randomUUID(),
        memberId: input.memberId,
        status: 'confirmed',
        source: 'staff',
        note: input.note ?? '',
        depositFen: 0,
        depositSpendId: null,
        createdByStaffId: actor.id,
        confirmedAt: now,
      }, !!input.staffId);
      await this.audit.record(m, { action: 'booking.create', entityType: 'booking', entityId: row.id, storeId: row.storeId, after: auditView(row) });
      await this.notices.confirmed(m, row, settings.reminderMinutes, now);
      return toResponse(row, settings, now);
    });
  }

  /**
   * A member books a free slot in the app (会员预约). Members are serialised one by one (advisory
   * lock) so that the limit of open bookings holds; a deposit, when the chain asks one, is paid
   * from stored value in the same transaction (payment password as for any stored-value payment).
   */
  createByMember(member: MemberActor, input: MyBookingRequest, now = new Date()): Promise<BookingResponse> {
    return this.tx.run(async (m) => {
      const profile = await this.members.get(member.id);
      if (profile.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      await this.repo.lockMember(m, member.id);
      const settings = await this.repo.settings(m);
      const open = await this.repo.openFutureCount(m, member.id, now);
      if (open >= settings.maxActivePerMember) throw new AppError('BOOKING_TOO_MANY_ACTIVE', { limit: settings.maxActivePerMember });
      const start = await this.resolveStart(m, settings, { storeId: input.storeId, skuId: input.skuId, staffId: input.staffId, startsAt: new Date(input.startsAt) }, true, now);
      const id = randomUUID();
      let depositSpendId: string | null = null;
      if (settings.depositFen > 0) {
        const spend = await this.wallet.spend(m, {
          memberId: member.id,
          storeId: input.storeId,
          amountFen: settings.depositFen,
          refType: DEPOSIT_REF,
          refId: id,
          password: input.password,
          memo: `预约定金 ${serviceName(start.item)}`,
          // A deposit is not a purchase: it does not move the member's tier.
          evaluateTier: false,
        });
        depositSpendId = spend.id;
      }
      const status: BookingStatus = settings.autoConfirm ? 'confirmed' : 'pending';
      const row = await this.insertFirst(m, start, {
        id,
        memberId: member.id,
        status,
        source: 'member',
        note: input.note ?? '',
        depositFen: depositSpendId ? settings.depositFen : 0,
        depositSpendId,
        createdByStaffId: null,
        confirmedAt: status === 'confirmed' ? now : null,
      }, !!input.staffId);
      await this.audit.record(m, { action: 'booking.create', entityType: 'booking', entityId: row.id, storeId: row.storeId, after: auditView(row) });
      if (status === 'confirmed') await this.notices.confirmed(m, row, settings.reminderMinutes, now);
      return toResponse(row, settings, now);
    });
  }

  /** The store confirms a pending booking (确认预约); the member is told and reminded. */
  confirm(bookingId: string, now = new Date()): Promise<BookingResponse> {
    return this.transition(bookingId, 'confirm', now, async (m, b, settings) => {
      await this.repo.update(m, b.id, { status: 'confirmed', confirmedAt: now });
      const after = (await this.repo.view(m, b.id))!;
      await this.notices.confirmed(m, after, settings.reminderMinutes, now);
      return after;
    });
  }

  /**
   * Moves a booking to another time and/or technician (改约). The new time is checked like a staff
   * booking; the database refuses an overlap (BOOKING_SLOT_TAKEN). A confirmed booking's member is
   * told the new time; the old reminder is withdrawn.
   */
  reschedule(bookingId: string, input: RescheduleBookingRequest, now = new Date()): Promise<BookingResponse> {
    return this.transition(bookingId, 'reschedule', now, async (m, b, settings) => {
      const start = await this.resolveStart(m, settings, { storeId: b.storeId, skuId: b.skuId, staffId: input.staffId ?? b.staffId, startsAt: new Date(input.startsAt), exceptBookingId: b.id }, false, now);
      try {
        await this.repo.reschedule(m, b.id, { staffId: start.staffIds[0], startsAt: start.startsAt, endsAt: start.endsAt });
      } catch (err) {
        if (pgConstraint(err) === 'booking_no_double_booking') throw new AppError('BOOKING_SLOT_TAKEN');
        throw err;
      }
      const after = (await this.repo.view(m, b.id))!;
      await this.notices.withdraw(m, b);
      if (after.status === 'confirmed') await this.notices.confirmed(m, after, settings.reminderMinutes, now);
      return after;
    }, input.reason);
  }

  /** The store cancels (取消预约): the deposit goes back to stored value unless keepDeposit. */
  cancelByStaff(bookingId: string, input: CancelBookingRequest, now = new Date()): Promise<BookingResponse> {
    return this.transition(bookingId, 'cancel', now, async (m, b) => this.cancel(m, b, 'staff', input.reason, input.keepDeposit ?? false, now), input.reason);
  }

  /** A member cancels in the app until the chain's deadline before the start; the deposit goes back to stored value. */
  cancelByMember(memberId: string, bookingId: string, reason: string | undefined, now = new Date()): Promise<BookingResponse> {
    return this.transition(bookingId, 'cancel', now, async (m, b, settings) => {
      if (b.memberId !== memberId) throw new AppError('BOOKING_NOT_FOUND');
      if (b.status === 'arrived' || !memberMayCancel(b.startsAt.getTime(), now.getTime(), settings.cancelDeadlineMinutes)) {
        throw new AppError('BOOKING_CANCEL_DEADLINE_PASSED', { deadlineMinutes: settings.cancelDeadlineMinutes });
      }
      return this.cancel(m, b, 'member', reason ?? '会员取消', false, now);
    }, reason, memberId);
  }

  /**
   * The member arrived (到店签到). A deposit has done its job and goes back to stored value, so
   * checkout charges the service as usual.
   */
  arrive(bookingId: string, now = new Date()): Promise<BookingResponse> {
    return this.transition(bookingId, 'arrive', now, async (m, b) => {
      await this.returnDeposit(m, b, '到店退还预约定金');
      await this.repo.update(m, b.id, { status: 'arrived', arrivedAt: now });
      return (await this.repo.view(m, b.id))!;
    });
  }

  /** The member did not come (爽约), once the start has passed: a deposit is kept. */
  noShow(bookingId: string, now = new Date()): Promise<BookingResponse> {
    return this.transition(bookingId, 'no_show', now, async (m, b) => {
      if (now.getTime() < b.startsAt.getTime()) throw new AppError('BOOKING_NOT_STARTED', { startsAt: b.startsAt.toISOString() });
      await this.repo.update(m, b.id, { status: 'no_show', noShowAt: now, ...(b.depositStatus === 'held' ? { depositStatus: 'forfeited' } : {}) });
      await this.notices.withdraw(m, b);
      return (await this.repo.view(m, b.id))!;
    });
  }

  async get(bookingId: string, now = new Date()): Promise<BookingResponse> {
    const row = await this.repo.view(this.tx.manager, bookingId);
    if (!row) throw new AppError('BOOKING_NOT_FOUND');
    return toResponse(row, await this.repo.settings(this.tx.manager), now);
  }

  async getMine(memberId: string, bookingId: string, now = new Date()): Promise<BookingResponse> {
    const row = await this.repo.view(this.tx.manager, bookingId);
    if (!row || row.memberId !== memberId) throw new AppError('BOOKING_NOT_FOUND');
    return toResponse(row, await this.repo.settings(this.tx.manager), now);
  }

  /** Bookings of the caller's stores, by start time; days are read in the store's time zone (HQ without a store: the chain's). */
  async list(actor: StaffActor, q: ListBookingsQuery, now = new Date()): Promise<Page<BookingResponse>> {
    const m = this.tx.manager;
    const timeZone = q.storeId ? (await this.stores.get(q.storeId)).timeZone : 'Asia/Shanghai';
    const from = q.day ?? q.from;
    const to = q.day ?? q.to;
    if (from && to && (to < from || daysBetween(from, to) > MAX_LIST_DAYS)) throw new AppError('VALIDATION_FAILED', [{ field: 'to', errors: [`to must be from … from + ${MAX_LIST_DAYS} days`] }]);
    const [rows, total] = await this.repo.list(m, {
      storeIds: q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds,
      memberId: q.memberId,
      staffId: q.staffId,
      statuses: q.status ? [q.status] : undefined,
      from: from ? zonedInstant(from, 0, timeZone) : undefined,
      to: to ? zonedInstant(addDays(to, 1), 0, timeZone) : undefined,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    const settings = await this.repo.settings(m);
    return pageOf(rows.map((r) => toResponse(r, settings, now)), total, q);
  }

  async listMine(memberId: string, q: MyBookingsQuery, now = new Date()): Promise<Page<BookingResponse>> {
    const m = this.tx.manager;
    const upcoming: BookingStatus[] = ['pending', 'confirmed', 'arrived'];
    const [rows, total] = await this.repo.list(m, {
      storeIds: null,
      memberId,
      statuses: q.when === 'upcoming' ? upcoming : q.when === 'past' ? ['completed', 'cancelled', 'no_show'] : undefined,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
      order: q.when === 'upcoming' ? 'asc' : 'desc',
    });
    const settings = await this.repo.settings(m);
    return pageOf(rows.map((r) => toResponse(r, settings, now)), total, q);
  }

  async checkoutCart(bookingId: string): Promise<CheckoutCartResponse> {
    return this.cartFor(this.tx.manager, bookingId);
  }

  // ── seams for checkout and reports ───────────────────────────────────────────

  /**
   * The cart a booking starts checkout with (its service SKU, one unit, its technician as the
   * serving staff). Checkout (orders) calls it and then completeForOrder in its transaction.
   */
  async cartFor(m: EntityManager, bookingId: string): Promise<BookingCart> {
    const b = await this.repo.view(m, bookingId);
    if (!b) throw new AppError('BOOKING_NOT_FOUND');
    if (!allowed('complete', b.status)) throw new AppError('BOOKING_STATUS_INVALID', { status: b.status, action: 'checkout' });
    return { bookingId: b.id, storeId: b.storeId, memberId: b.memberId, lines: [{ skuId: b.skuId, quantity: 1, servingStaffIds: [b.staffId] }] };
  }

  /**
   * Checkout names a booking: locked first (right after the cashier's shift, before any payment
   * lock, so that a check-in racing the checkout cannot close a deadlock cycle through the wallet),
   * and checked to be open and of the cart's store and member.
   */
  async lockForCheckout(m: EntityManager, bookingId: string, ref: { storeId: string; memberId: string | null }): Promise<void> {
    const b = await this.repo.lock(m, bookingId);
    if (!b || b.storeId !== ref.storeId || b.memberId !== ref.memberId) throw new AppError('BOOKING_NOT_FOUND');
    if (!allowed('complete', b.status)) throw new AppError('BOOKING_STATUS_INVALID', { status: b.status, action: 'checkout' });
  }

  /**
   * The order that completed a booking was cancelled (its WeChat payment failed): the booking is
   * open again, as checked in, for another checkout. A deposit already returned stays returned.
   */
  async orderCancelled(m: EntityManager, orderId: string): Promise<void> {
    const id = await this.repo.byOrder(m, orderId);
    if (!id) return;
    const b = (await this.repo.lock(m, id))!;
    if (b.status !== 'completed') return;
    await this.repo.update(m, b.id, { status: 'arrived', completedAt: null, orderId: null });
    await this.audit.record(m, { action: 'booking.reopen', entityType: 'booking', entityId: b.id, storeId: b.storeId, before: { status: 'completed', orderId }, after: { status: 'arrived', orderId: null } });
  }

  /**
   * Marks a booking completed by the order that settled it, in the order's transaction (called by
   * checkout; bookings never import orders). A deposit still held goes back to stored value first,
   * as at check-in. BOOKING_STATUS_INVALID when it is no longer open; another store's order is refused.
   */
  async completeForOrder(m: EntityManager, bookingId: string, ref: { orderId: string; storeId: string; memberId?: string | null }, now = new Date()): Promise<void> {
    const b = await this.repo.lock(m, bookingId);
    if (!b) throw new AppError('BOOKING_NOT_FOUND');
    if (b.storeId !== ref.storeId || (ref.memberId !== undefined && ref.memberId !== b.memberId)) throw new AppError('BOOKING_NOT_FOUND');
    if (!allowed('complete', b.status)) throw new AppError('BOOKING_STATUS_INVALID', { status: b.status, action: 'complete' });
    await this.returnDeposit(m, b, '结账退还预约定金');
    await this.repo.update(m, b.id, { status: nextStatus('complete', b.status), completedAt: now, orderId: ref.orderId, ...(b.arrivedAt ? {} : { arrivedAt: now }) });
    await this.notices.withdraw(m, b);
    await this.audit.record(m, { action: 'booking.complete', entityType: 'booking', entityId: b.id, storeId: b.storeId, before: { status: b.status }, after: { status: 'completed', orderId: ref.orderId } });
  }

  /** Bookings served (arrived or completed) per staff member, for the performance report. */
  servedCounts(m: EntityManager, f: { storeIds: string[] | null; from: Date; to: Date }): Promise<Map<string, number>> {
    return this.repo.servedCounts(m, f);
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  /** Locks the booking, checks the action is allowed from its state, applies it and audits before/after. */
  private transition(
    bookingId: string,
    action: BookingAction,
    now: Date,
    apply: (m: EntityManager, b: BookingRow, settings: BookingSettingsEntity) => Promise<BookingRow>,
    reason?: string,
    memberId?: string,
  ): Promise<BookingResponse> {
    return this.tx.run(async (m) => {
      const b = await this.repo.lock(m, bookingId);
      if (!b || (memberId && b.memberId !== memberId)) throw new AppError('BOOKING_NOT_FOUND');
      if (!allowed(action, b.status)) throw new AppError('BOOKING_STATUS_INVALID', { status: b.status, action });
      const settings = await this.repo.settings(m);
      const after = await apply(m, b, settings);
      const change = diff(auditView(b), auditView(after));
      await this.audit.record(m, { action: `booking.${action}`, entityType: 'booking', entityId: b.id, storeId: b.storeId, reason: reason ?? null, ...change });
      return toResponse(after, settings, now);
    });
  }

  private async cancel(m: EntityManager, b: BookingRow, by: 'member' | 'staff', reason: string, keepDeposit: boolean, now: Date): Promise<BookingRow> {
    if (keepDeposit && b.depositStatus === 'held') await this.repo.update(m, b.id, { depositStatus: 'forfeited' });
    else await this.returnDeposit(m, b, `取消预约退还定金：${reason}`);
    await this.repo.update(m, b.id, { status: 'cancelled', cancelledAt: now, cancelReason: reason, cancelledBy: by });
    await this.notices.withdraw(m, b);
    return (await this.repo.view(m, b.id))!;
  }

  /** Gives a held deposit back to the member's stored value (reverses its spend). */
  private async returnDeposit(m: EntityManager, b: BookingRow, reason: string): Promise<void> {
    if (b.depositStatus !== 'held' || !b.depositSpendId) return;
    await this.wallet.reverseSpend(m, b.depositSpendId, { reason, refType: DEPOSIT_RETURN_REF, refId: b.id });
    await this.repo.update(m, b.id, { depositStatus: 'returned' });
  }

  private async openStore(storeId: string): Promise<StoreResponse> {
    const store = await this.stores.get(storeId);
    if (store.status !== 'open') throw new AppError('BOOKING_STORE_CLOSED', { status: store.status });
    return store;
  }

  private async serviceItem(m: EntityManager, storeId: string, skuId: string): Promise<PricingItem> {
    const [item] = await this.catalog.itemsForPricing(m, storeId, [skuId]);
    if (item.kind !== 'service' || !item.durationMinutes) throw new AppError('BOOKING_NOT_A_SERVICE', { skuId });
    return item;
  }

  /**
   * Checks a requested start and lists the technicians who can take it, best first. Members must
   * pick a start on the slot grid, at least the lead time ahead; everyone stays within the horizon
   * and the technician's working time that day (schedule ∩ opening hours).
   */
  private async resolveStart(
    m: EntityManager,
    settings: BookingSettingsEntity,
    req: { storeId: string; skuId: string; staffId?: string; startsAt: Date; exceptBookingId?: string },
    byMember: boolean,
    now: Date,
  ): Promise<Start> {
    const store = await this.openStore(req.storeId);
    const item = await this.serviceItem(m, req.storeId, req.skuId);
    const startsAt = req.startsAt;
    const durationMs = item.durationMinutes! * 60_000;
    const endsAt = new Date(startsAt.getTime() + durationMs);
    const day = businessDay(startsAt, store.timeZone);
    const daysAhead = daysBetween(businessDay(now, store.timeZone), day);
    const unavailable = (reason: string) => new AppError('BOOKING_SLOT_UNAVAILABLE', { reason, startsAt: startsAt.toISOString() });
    if (startsAt.getUTCSeconds() !== 0 || startsAt.getUTCMilliseconds() !== 0) throw unavailable('not_whole_minute');
    if (!withinWindow(startsAt.getTime(), now.getTime(), daysAhead, settings, byMember)) throw unavailable(startsAt < now ? 'in_the_past' : daysAhead > settings.maxDaysAhead ? 'too_far_ahead' : 'too_soon');
    if (byMember && minutesOfDay(startsAt, store.timeZone) % settings.slotStepMinutes !== 0) throw unavailable('not_on_slot_grid');
    const capable = await this.repo.staffForService(m, item.productId, req.storeId);
    if (req.staffId && !capable.some((s) => s.id === req.staffId)) throw new AppError('BOOKING_STAFF_CANNOT_SERVE', { staffId: req.staffId });
    const candidates = req.staffId ? [req.staffId] : capable.map((s) => s.id);
    const plan = await this.dayPlan(m, store, day, candidates, req.exceptBookingId);
    const working = plan.filter((p) => fits(startsAt.getTime(), durationMs, p.windows, []));
    if (!working.length) throw unavailable('outside_working_hours');
    const free = working.filter((p) => fits(startsAt.getTime(), durationMs, p.windows, p.busy));
    if (!free.length) throw new AppError(req.staffId ? 'BOOKING_SLOT_TAKEN' : 'BOOKING_NO_STAFF_AVAILABLE');
    // The least booked technician that day first; ties by the order of names.
    const staffIds = free.map((p, i) => ({ id: p.staffId, load: p.busy.length, i })).sort((a, b) => a.load - b.load || a.i - b.i).map((x) => x.id);
    return { store, item, startsAt, endsAt, staffIds };
  }

  /** Tries the candidates in order until the database accepts one (the others were booked meanwhile). */
  private async insertFirst(
    m: EntityManager,
    start: Start,
    b: { id: string; memberId: string; status: BookingStatus; source: 'member' | 'staff'; note: string; depositFen: number; depositSpendId: string | null; createdByStaffId: string | null; confirmedAt: Date | null },
    staffChosen: boolean,
  ): Promise<BookingRow> {
    for (const staffId of start.staffIds) {
      const inserted = await this.repo.insert(m, {
        ...b,
        storeId: start.store.id,
        staffId,
        productId: start.item.productId,
        skuId: start.item.skuId,
        serviceName: serviceName(start.item),
        durationMinutes: start.item.durationMinutes!,
        startsAt: start.startsAt,
        endsAt: start.endsAt,
        depositStatus: b.depositSpendId ? 'held' : 'none',
      });
      if (inserted) return (await this.repo.view(m, b.id))!;
    }
    throw new AppError(staffChosen ? 'BOOKING_SLOT_TAKEN' : 'BOOKING_NO_STAFF_AVAILABLE');
  }

  /** Each staff member's windows (working time ∩ opening hours) and busy spans on a day, as instants. */
  private async dayPlan(m: EntityManager, store: StoreResponse, day: string, staffIds: string[], exceptBookingId?: string): Promise<StaffAvailability[]> {
    const opening = this.schedules.openingHours(store, day);
    const time = await this.schedules.workingTime(m, { storeId: store.id, from: day, to: day, staffIds });
    const busy = await this.repo.busy(m, staffIds, zonedInstant(day, 0, store.timeZone), zonedInstant(day, 1440, store.timeZone), exceptBookingId);
    const span = (minutes: { start: number; end: number }): Span => ({ start: zonedInstant(day, minutes.start, store.timeZone).getTime(), end: zonedInstant(day, minutes.end, store.timeZone).getTime() });
    return staffIds.map((staffId) => ({
      staffId,
      windows: intersectIntervals(time.get(staffId)?.get(day) ?? [], opening).map(span),
      busy: busy.filter((x) => x.staffId === staffId).map((x) => ({ start: x.startsAt.getTime(), end: x.endsAt.getTime() })),
    }));
  }
}

/** Slot starts every `step` minutes from the day's local midnight. */
function grid(day: string, step: number, timeZone: string): number[] {
  const out: number[] = [];
  for (let minute = 0; minute < 1440; minute += step) out.push(zonedInstant(day, minute, timeZone).getTime());
  return out;
}

function serviceName(item: PricingItem): string {
  return item.skuName ? `${item.productName} ${item.skuName}` : item.productName;
}

function auditView(b: BookingRow): Record<string, unknown> {
  return {
    status: b.status,
    staffId: b.staffId,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    memberId: b.memberId,
    skuId: b.skuId,
    depositFen: b.depositFen,
    depositStatus: b.depositStatus,
    orderId: b.orderId,
  };
}

function toSettingsResponse(s: BookingSettingsEntity): BookingSettingsResponse {
  return {
    maxDaysAhead: s.maxDaysAhead,
    minLeadMinutes: s.minLeadMinutes,
    cancelDeadlineMinutes: s.cancelDeadlineMinutes,
    slotStepMinutes: s.slotStepMinutes,
    depositFen: s.depositFen,
    autoConfirm: s.autoConfirm,
    reminderMinutes: s.reminderMinutes,
    maxActivePerMember: s.maxActivePerMember,
    updatedAt: s.updatedAt.toISOString(),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toResponse(b: BookingRow, settings: Pick<BookingSettingsEntity, 'cancelDeadlineMinutes'>, now: Date): BookingResponse {
  return {
    id: b.id,
    storeId: b.storeId,
    storeName: b.storeName,
    memberId: b.memberId,
    memberName: b.memberName,
    memberNo: b.memberNo,
    staffId: b.staffId,
    staffName: b.staffName,
    productId: b.productId,
    skuId: b.skuId,
    serviceName: b.serviceName,
    durationMinutes: b.durationMinutes,
    startsAt: b.startsAt.toISOString(),
    endsAt: b.endsAt.toISOString(),
    startTime: wallClockText(b.startsAt, b.timeZone),
    status: b.status,
    source: b.source,
    note: b.note,
    depositFen: b.depositFen,
    depositStatus: b.depositStatus,
    rescheduleCount: b.rescheduleCount,
    confirmedAt: iso(b.confirmedAt),
    arrivedAt: iso(b.arrivedAt),
    completedAt: iso(b.completedAt),
    orderId: b.orderId,
    cancelledAt: iso(b.cancelledAt),
    cancelReason: b.cancelReason,
    cancelledBy: b.cancelledBy,
    noShowAt: iso(b.noShowAt),
    cancellableOnline: (b.status === 'pending' || b.status === 'confirmed') && memberMayCancel(b.startsAt.getTime(), now.getTime(), settings.cancelDeadlineMinutes),
    createdAt: b.createdAt.toISOString(),
  };
}
