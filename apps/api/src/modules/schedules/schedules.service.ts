import { Injectable } from '@nestjs/common';
import { addDays, businessDay, clockMinutes, clockText, daysBetween, isoWeekday } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { pgConstraint, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import type { StoreResponse } from '../stores/dto/store.dto';
import { StoresService } from '../stores/stores.service';
import { openingIntervals, overlappingPairs, workingIntervals, type Interval, type OpeningHours } from './domain/working-hours';
import type {
  AddScheduleExceptionRequest,
  MyScheduleResponse,
  RosterResponse,
  ScheduleDayResponse,
  ScheduleExceptionResponse,
  ScheduleRangeQuery,
  SetWeeklyScheduleRequest,
  StaffScheduleResponse,
} from './dto/schedule.dto';
import { SchedulesRepository, type ExceptionRow, type WeeklyRow } from './schedules.repository';

export type { Interval } from './domain/working-hours';

const MAX_RANGE_DAYS = 62;

/** Working time per staff member and day: staffId → day (YYYY-MM-DD) → intervals (minutes after local midnight). */
export type WorkingTime = Map<string, Map<string, Interval[]>>;

/**
 * Work schedules (排班): each staff member's weekly schedule per store, with leave and extra shifts
 * on given days. Bookings plan with it (free slots), attendance compares clock-ins with it.
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: SchedulesRepository,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
  ) {}

  // ── the seam for bookings and attendance ──────────────────────────────────────

  /**
   * Working time at a store for each day of [from, to]: weekly schedule − leave + extra shifts, for
   * the given staff (default: everyone scheduled there). Days without working time are left out.
   */
  async workingTime(m: EntityManager, q: { storeId: string; from: string; to: string; staffIds?: string[] }): Promise<WorkingTime> {
    const staffIds = q.staffIds ?? (await this.repo.staffOfStore(m, q.storeId, q.from, q.to));
    const out: WorkingTime = new Map();
    if (!staffIds.length) return out;
    const weekly = await this.repo.weekly(m, { storeId: q.storeId, staffIds });
    const exceptions = await this.repo.exceptions(m, { storeId: q.storeId, staffIds, from: q.from, to: q.to });
    for (const staffId of staffIds) {
      const days = new Map<string, Interval[]>();
      for (let day = q.from; day <= q.to; day = addDays(day, 1)) {
        const weekday = isoWeekday(day);
        const intervals = workingIntervals(
          weekly.filter((w) => w.staffId === staffId && w.weekday === weekday).map((w) => ({ start: w.startMinute, end: w.endMinute })),
          exceptions.filter((e) => e.staffId === staffId && e.day === day).map((e) => ({ kind: e.kind, start: e.startMinute, end: e.endMinute })),
        );
        if (intervals.length) days.set(day, intervals);
      }
      if (days.size) out.set(staffId, days);
    }
    return out;
  }

  /** A store's opening hours on a day (minutes after local midnight; unlimited when the store set none). */
  openingHours(store: Pick<StoreResponse, 'businessHours'>, day: string): Interval[] {
    return openingIntervals(toOpeningHours(store), isoWeekday(day));
  }

  // ── use cases ─────────────────────────────────────────────────────────────────

  /** The store's roster (排班表) for a range of days: opening hours and every scheduled staff member. */
  async roster(storeId: string, q: ScheduleRangeQuery): Promise<RosterResponse> {
    const m = this.tx.manager;
    const store = await this.stores.get(storeId);
    const { from, to } = range(q, store.timeZone);
    const staffIds = await this.repo.staffOfStore(m, storeId, from, to);
    const staff = await this.staffSchedules(m, store, staffIds, from, to);
    const openingHours: ScheduleDayResponse[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) openingHours.push(dayResponse(day, this.openingHours(store, day)));
    return { storeId, timeZone: store.timeZone, from, to, openingHours, staff };
  }

  /** The caller's own schedule at every store where he has one. */
  async mine(actor: StaffActor, q: ScheduleRangeQuery): Promise<MyScheduleResponse> {
    const m = this.tx.manager;
    const probe = q.from ? null : await this.firstStoreZone(m, actor);
    const { from, to } = range(q, probe ?? 'Asia/Shanghai');
    const out: StaffScheduleResponse[] = [];
    for (const storeId of await this.repo.storesOfStaff(m, actor.id, from, to)) {
      const store = await this.stores.get(storeId);
      out.push(...(await this.staffSchedules(m, store, [actor.id], from, to)));
    }
    return { from, to, stores: out };
  }

  /**
   * Replaces a staff member's weekly schedule at a store. He must work at the store; his intervals
   * may not overlap each other nor his schedule at another store (SCHEDULE_OVERLAP: checked here
   * for a clear answer, and by the exclusion constraint for concurrent changes).
   */
  setWeekly(storeId: string, staffId: string, input: SetWeeklyScheduleRequest): Promise<StaffScheduleResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.get(storeId);
      await this.requireStaffInStore(m, staffId, storeId);
      const intervals = input.intervals.map((i, index) => ({ index, weekday: i.weekday, start: clockMinutes(i.start), end: clockMinutes(i.end) }));
      const bad = intervals.filter((i) => i.start >= i.end);
      if (bad.length) throw new AppError('VALIDATION_FAILED', bad.map((i) => ({ field: `intervals[${i.index}].end`, errors: ['end must be after start'] })));
      await this.repo.lockStaff(m, staffId);
      const others = (await this.repo.weekly(m, { staffIds: [staffId] })).filter((w) => w.storeId !== storeId);
      const clash = overlappingPairs([...intervals.map((i) => ({ ...i, storeId })), ...others.map((w) => ({ index: -1, weekday: w.weekday, start: w.startMinute, end: w.endMinute, storeId: w.storeId }))]);
      if (clash.length) {
        const [a, b] = clash[0];
        throw new AppError('SCHEDULE_OVERLAP', { weekday: a.weekday, intervals: [a, b].map((x) => ({ storeId: x.storeId, start: clockText(x.start), end: clockText(x.end) })) });
      }
      const before = (await this.repo.weekly(m, { storeId, staffIds: [staffId] })).map(weeklyResponse);
      try {
        await this.repo.replaceWeekly(m, staffId, storeId, intervals.map((i) => ({ weekday: i.weekday, startMinute: i.start, endMinute: i.end })));
      } catch (err) {
        if (pgConstraint(err) === 'work_schedule_no_overlap') throw new AppError('SCHEDULE_OVERLAP');
        throw err;
      }
      const today = businessDay(new Date(), store.timeZone);
      const [after] = await this.staffSchedules(m, store, [staffId], today, addDays(today, 6), true);
      await this.audit.record(m, { action: 'schedule.weekly.set', entityType: 'staff', entityId: staffId, storeId, before: { weekly: before }, after: { weekly: after.weekly } });
      return after;
    });
  }

  /** Adds leave (请假) or an extra shift (加班) for one day. */
  addException(actor: StaffActor, storeId: string, staffId: string, input: AddScheduleExceptionRequest): Promise<ScheduleExceptionResponse> {
    return this.tx.run(async (m) => {
      await this.stores.get(storeId);
      await this.requireStaffInStore(m, staffId, storeId);
      const hasStart = input.start !== undefined;
      if (hasStart !== (input.end !== undefined)) throw new AppError('VALIDATION_FAILED', [{ field: hasStart ? 'end' : 'start', errors: ['start and end go together'] }]);
      if (input.kind === 'extra' && !hasStart) throw new AppError('VALIDATION_FAILED', [{ field: 'start', errors: ['an extra shift needs start and end'] }]);
      const start = hasStart ? clockMinutes(input.start!) : null;
      const end = hasStart ? clockMinutes(input.end!) : null;
      if (start !== null && end !== null && start >= end) throw new AppError('VALIDATION_FAILED', [{ field: 'end', errors: ['end must be after start'] }]);
      await this.repo.lockStaff(m, staffId);
      if (input.kind === 'extra') await this.assertNoOtherStoreOverlap(m, staffId, storeId, input.day, { start: start!, end: end! });
      const id = await this.repo.insertException(m, { staffId, storeId, day: input.day, kind: input.kind, startMinute: start, endMinute: end, reason: input.reason ?? '', createdBy: actor.id });
      const row = (await this.repo.exception(m, id))!;
      const response = exceptionResponse(row);
      await this.audit.record(m, { action: `schedule.${input.kind}.add`, entityType: 'schedule_exception', entityId: id, storeId, after: { ...response } });
      return response;
    });
  }

  removeException(exceptionId: string): Promise<void> {
    return this.tx.run(async (m) => {
      const row = await this.repo.exception(m, exceptionId);
      if (!row) throw new AppError('SCHEDULE_EXCEPTION_NOT_FOUND');
      await this.repo.deleteException(m, exceptionId);
      await this.audit.record(m, { action: `schedule.${row.kind}.remove`, entityType: 'schedule_exception', entityId: exceptionId, storeId: row.storeId, before: { ...exceptionResponse(row) } });
    });
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  async requireStaffInStore(m: EntityManager, staffId: string, storeId: string): Promise<void> {
    if (!(await this.repo.staffInStore(m, staffId, storeId))) throw new AppError('STAFF_NOT_IN_STORE', { staffId, storeId });
  }

  /** An extra shift may not overlap the staff member's working time at another store that day. */
  private async assertNoOtherStoreOverlap(m: EntityManager, staffId: string, storeId: string, day: string, extra: Interval): Promise<void> {
    for (const other of await this.repo.storesOfStaff(m, staffId, day, day)) {
      if (other === storeId) continue;
      const time = (await this.workingTime(m, { storeId: other, from: day, to: day, staffIds: [staffId] })).get(staffId)?.get(day) ?? [];
      const hit = time.find((i) => i.start < extra.end && extra.start < i.end);
      if (hit) throw new AppError('SCHEDULE_OVERLAP', { day, storeId: other, start: clockText(hit.start), end: clockText(hit.end) });
    }
  }

  private async firstStoreZone(m: EntityManager, actor: StaffActor): Promise<string | null> {
    const storeId = actor.storeIds[0];
    return storeId ? (await this.stores.get(storeId)).timeZone : null;
  }

  private async staffSchedules(m: EntityManager, store: StoreResponse, staffIds: string[], from: string, to: string, keepEmpty = false): Promise<StaffScheduleResponse[]> {
    if (!staffIds.length) return [];
    const names = await this.repo.staffNames(m, staffIds);
    const weekly = await this.repo.weekly(m, { storeId: store.id, staffIds });
    const exceptions = await this.repo.exceptions(m, { storeId: store.id, staffIds, from, to });
    const time = await this.workingTime(m, { storeId: store.id, from, to, staffIds });
    return staffIds
      .map((staffId) => {
        const days: ScheduleDayResponse[] = [];
        for (let day = from; day <= to; day = addDays(day, 1)) days.push(dayResponse(day, time.get(staffId)?.get(day) ?? []));
        return {
          staffId,
          staffName: names.get(staffId) ?? '',
          storeId: store.id,
          storeName: store.name,
          weekly: weekly.filter((w) => w.staffId === staffId).map(weeklyResponse),
          exceptions: exceptions.filter((e) => e.staffId === staffId).map(exceptionResponse),
          days,
        };
      })
      .filter((s) => keepEmpty || s.weekly.length || s.exceptions.length)
      .sort((a, b) => a.staffName.localeCompare(b.staffName, 'zh-CN') || a.staffId.localeCompare(b.staffId));
  }
}

function range(q: ScheduleRangeQuery, timeZone: string): { from: string; to: string } {
  const from = q.from ?? businessDay(new Date(), timeZone);
  const to = q.to ?? addDays(from, 6);
  if (to < from) throw new AppError('VALIDATION_FAILED', [{ field: 'to', errors: ['to must not be before from'] }]);
  if (daysBetween(from, to) >= MAX_RANGE_DAYS) throw new AppError('VALIDATION_FAILED', [{ field: 'to', errors: [`at most ${MAX_RANGE_DAYS} days`] }]);
  return { from, to };
}

function toOpeningHours(store: Pick<StoreResponse, 'businessHours'>): OpeningHours[] {
  return store.businessHours.map((h) => ({ weekday: h.weekday, open: clockMinutes(h.open), close: clockMinutes(h.close) }));
}

function dayResponse(day: string, intervals: Interval[]): ScheduleDayResponse {
  return { day, weekday: isoWeekday(day), intervals: intervals.map((i) => ({ start: clockText(i.start), end: clockText(i.end) })) };
}

function weeklyResponse(w: WeeklyRow) {
  return { weekday: w.weekday, start: clockText(w.startMinute), end: clockText(w.endMinute) };
}

function exceptionResponse(e: ExceptionRow): ScheduleExceptionResponse {
  return {
    id: e.id,
    staffId: e.staffId,
    storeId: e.storeId,
    day: e.day,
    kind: e.kind,
    start: e.startMinute === null ? null : clockText(e.startMinute),
    end: e.endMinute === null ? null : clockText(e.endMinute),
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
  };
}
