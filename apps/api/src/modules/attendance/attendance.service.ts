import { Injectable } from '@nestjs/common';
import { businessDay, clockText, daysOfMonth, minutesOfDay, zonedInstant } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { SchedulesService } from '../schedules/schedules.service';
import type { StoreResponse } from '../stores/dto/store.dto';
import { StoresService } from '../stores/stores.service';
import { AttendanceRepository, type RecordRow } from './attendance.repository';
import { evaluateDay, summarize } from './domain/attendance-day';
import type {
  AttendanceDayResponse,
  AttendanceMonthQuery,
  AttendanceRecordResponse,
  AttendanceReportResponse,
  AttendanceSettingsResponse,
  AttendanceStatusResponse,
  ClockInRequest,
  ClockOutRequest,
  CorrectionRequest,
  MyAttendanceQuery,
  MyAttendanceResponse,
  StaffAttendanceResponse,
  UpdateAttendanceSettingsRequest,
  UpdateRecordRequest,
} from './dto/attendance.dto';
import type { AttendanceSettingsEntity } from './entities/attendance.entity';

/**
 * Attendance (考勤): clock-in and clock-out at a store, corrections by a manager (补卡), and the
 * monthly report against the work schedule — late, early, absent, worked on a day off.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: AttendanceRepository,
    private readonly schedules: SchedulesService,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
  ) {}

  async settings(): Promise<AttendanceSettingsResponse> {
    return toSettings(await this.repo.settings(this.tx.manager));
  }

  updateSettings(input: UpdateAttendanceSettingsRequest): Promise<AttendanceSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m, true);
      const before = toSettings(s);
      if (input.lateGraceMinutes !== undefined) s.lateGraceMinutes = input.lateGraceMinutes;
      if (input.earlyGraceMinutes !== undefined) s.earlyGraceMinutes = input.earlyGraceMinutes;
      const after = toSettings(await this.repo.saveSettings(m, s));
      await this.audit.record(m, { action: 'attendance.settings.update', entityType: 'attendance_settings', entityId: '1', ...diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' }) });
      return after;
    });
  }

  /** Clocks the caller in at a store he works at (上班打卡); ATTENDANCE_ALREADY_CLOCKED_IN while clocked in anywhere. */
  clockIn(actor: StaffActor, input: ClockInRequest, now = new Date()): Promise<AttendanceRecordResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.get(input.storeId);
      if (actor.scope !== 'chain' && !(await this.repo.staffInStore(m, actor.id, input.storeId))) throw new AppError('STAFF_NOT_IN_STORE', { storeId: input.storeId });
      const id = await this.repo.insert(m, { staffId: actor.id, storeId: input.storeId, businessDay: businessDay(now, store.timeZone), clockInAt: now, clockOutAt: null, source: 'clock', note: input.note ?? '', createdBy: actor.id });
      if (!id) {
        const open = await this.repo.openOf(m, actor.id);
        throw new AppError('ATTENDANCE_ALREADY_CLOCKED_IN', open ? { recordId: open.id, storeId: open.storeId, clockInAt: open.clockInAt.toISOString() } : undefined);
      }
      const row = toRecord((await this.repo.view(m, id))!);
      await this.audit.record(m, { action: 'attendance.clock_in', entityType: 'attendance_record', entityId: id, storeId: input.storeId, after: { clockInAt: row.clockInAt } });
      return row;
    });
  }

  /** Clocks the caller out (下班打卡) of his open record, wherever it is. */
  clockOut(actor: StaffActor, input: ClockOutRequest, now = new Date()): Promise<AttendanceRecordResponse> {
    return this.tx.run(async (m) => {
      const id = await this.repo.clockOut(m, actor.id, now, input.note ?? null);
      if (!id) throw new AppError('ATTENDANCE_NOT_CLOCKED_IN');
      const row = toRecord((await this.repo.view(m, id))!);
      await this.audit.record(m, { action: 'attendance.clock_out', entityType: 'attendance_record', entityId: id, storeId: row.storeId, after: { clockInAt: row.clockInAt, clockOutAt: row.clockOutAt } });
      return row;
    });
  }

  async status(actor: StaffActor): Promise<AttendanceStatusResponse> {
    const open = await this.repo.openOf(this.tx.manager, actor.id);
    return { open: open ? toRecord(open) : null };
  }

  /** A manager enters a forgotten stretch of work (补卡). */
  correct(actor: StaffActor, input: CorrectionRequest, now = new Date()): Promise<AttendanceRecordResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.get(input.storeId);
      if (!(await this.repo.staffInStore(m, input.staffId, input.storeId))) throw new AppError('STAFF_NOT_IN_STORE', { staffId: input.staffId, storeId: input.storeId });
      const clockInAt = new Date(input.clockInAt);
      const clockOutAt = new Date(input.clockOutAt);
      checkTimes(clockInAt, clockOutAt, now);
      const id = await this.repo.insert(m, { staffId: input.staffId, storeId: input.storeId, businessDay: businessDay(clockInAt, store.timeZone), clockInAt, clockOutAt, source: 'correction', note: input.reason, createdBy: actor.id });
      if (!id) throw new AppError('ATTENDANCE_RECORD_OVERLAP');
      const row = toRecord((await this.repo.view(m, id))!);
      await this.audit.record(m, { action: 'attendance.correction.add', entityType: 'attendance_record', entityId: id, storeId: input.storeId, reason: input.reason, after: { staffId: input.staffId, clockInAt: row.clockInAt, clockOutAt: row.clockOutAt } });
      return row;
    });
  }

  /** A manager changes a record's times, e.g. closes one left open (漏打卡). */
  update(actor: StaffActor, recordId: string, input: UpdateRecordRequest, now = new Date()): Promise<AttendanceRecordResponse> {
    return this.tx.run(async (m) => {
      const row = await this.repo.view(m, recordId);
      if (!row) throw new AppError('ATTENDANCE_RECORD_NOT_FOUND');
      const store = await this.stores.get(row.storeId);
      const clockInAt = input.clockInAt ? new Date(input.clockInAt) : row.clockInAt;
      const clockOutAt = input.clockOutAt ? new Date(input.clockOutAt) : row.clockOutAt;
      checkTimes(clockInAt, clockOutAt, now);
      try {
        await this.repo.updateTimes(m, recordId, { clockInAt, clockOutAt, businessDay: businessDay(clockInAt, store.timeZone), note: [row.note, input.reason].filter(Boolean).join('；') });
      } catch (err) {
        if (pgConstraint(err) === 'attendance_record_no_overlap') throw new AppError('ATTENDANCE_RECORD_OVERLAP');
        throw err;
      }
      const after = toRecord((await this.repo.view(m, recordId))!);
      const before = toRecord(row);
      await this.audit.record(m, { action: 'attendance.correction.update', entityType: 'attendance_record', entityId: recordId, storeId: row.storeId, reason: input.reason, ...diff({ clockInAt: before.clockInAt, clockOutAt: before.clockOutAt }, { clockInAt: after.clockInAt, clockOutAt: after.clockOutAt }) });
      return after;
    });
  }

  /** The monthly attendance report of a store (月度考勤报表): every staff member scheduled or clocked in there. */
  async report(actor: StaffActor, q: AttendanceMonthQuery, now = new Date()): Promise<AttendanceReportResponse> {
    const m = this.tx.manager;
    const store = await this.stores.get(storeOf(actor, q.storeId));
    const month = q.month ?? businessDay(now, store.timeZone).slice(0, 7);
    const staff = await this.monthOf(m, store, month, q.staffId, now);
    return { storeId: store.id, month, timeZone: store.timeZone, staff };
  }

  /** The caller's own month at every store where he was scheduled or clocked in. */
  async mine(actor: StaffActor, q: MyAttendanceQuery, now = new Date()): Promise<MyAttendanceResponse> {
    const m = this.tx.manager;
    const month = q.month ?? businessDay(now).slice(0, 7);
    const days = daysOfMonth(month);
    const records = await this.repo.ofRange(m, { staffId: actor.id, from: days[0], to: days[days.length - 1] });
    const storeIds = new Set([...actor.storeIds, ...records.map((r) => r.storeId)]);
    const out: StaffAttendanceResponse[] = [];
    for (const storeId of storeIds) {
      const rows = await this.monthOf(m, await this.stores.get(storeId), month, actor.id, now);
      out.push(...rows.filter((r) => r.summary.scheduledDays > 0 || r.summary.workedDays > 0));
    }
    return { month, stores: out };
  }

  private async monthOf(m: EntityManager, store: StoreResponse, month: string, staffId: string | undefined, now: Date): Promise<StaffAttendanceResponse[]> {
    const days = daysOfMonth(month);
    const from = days[0];
    const to = days[days.length - 1];
    const settings = await this.repo.settings(m);
    const time = await this.schedules.workingTime(m, { storeId: store.id, from, to, staffIds: staffId ? [staffId] : undefined });
    const records = await this.repo.ofRange(m, { storeId: store.id, staffId, from, to });
    const staffIds = [...new Set([...time.keys(), ...records.map((r) => r.staffId)])];
    const names = await this.repo.staffNames(m, staffIds);
    const today = businessDay(now, store.timeZone);
    const rows = staffIds.map((id) => {
      const dayResults: AttendanceDayResponse[] = days.map((day) => {
        const scheduled = time.get(id)?.get(day) ?? [];
        const mine = records.filter((r) => r.staffId === id && r.businessDay === day);
        const midnight = zonedInstant(day, 0, store.timeZone).getTime();
        const minute = (d: Date) => Math.round((d.getTime() - midnight) / 60_000);
        const result = evaluateDay({
          scheduled,
          punches: mine.map((r) => ({ in: minute(r.clockInAt), out: r.clockOutAt ? minute(r.clockOutAt) : null })),
          when: day < today ? 'past' : day === today ? 'today' : 'future',
          nowMinute: day === today ? minutesOfDay(now, store.timeZone) : undefined,
          lateGraceMinutes: settings.lateGraceMinutes,
          earlyGraceMinutes: settings.earlyGraceMinutes,
        });
        return { day, ...result, scheduled: scheduled.map((i) => ({ start: clockText(i.start), end: clockText(i.end) })), records: mine.map(toRecord) };
      });
      return { staffId: id, staffName: names.get(id) ?? '', storeId: store.id, storeName: store.name, summary: summarize(dayResults), days: dayResults };
    });
    return rows.sort((a, b) => a.staffName.localeCompare(b.staffName, 'zh-CN') || a.staffId.localeCompare(b.staffId));
  }
}

function checkTimes(clockInAt: Date, clockOutAt: Date | null, now: Date): void {
  if (clockOutAt && clockOutAt.getTime() <= clockInAt.getTime()) throw new AppError('ATTENDANCE_RECORD_INVALID', [{ field: 'clockOutAt', errors: ['clockOutAt must be after clockInAt'] }]);
  if ((clockOutAt ?? clockInAt).getTime() > now.getTime()) throw new AppError('ATTENDANCE_RECORD_INVALID', [{ field: 'clockOutAt', errors: ['times cannot be in the future'] }]);
  if (clockOutAt && clockOutAt.getTime() - clockInAt.getTime() > 24 * 3600_000) throw new AppError('ATTENDANCE_RECORD_INVALID', [{ field: 'clockOutAt', errors: ['a record lasts at most 24 hours'] }]);
}

/** The store asked for, or the caller's only store; a caller of several stores must name one. */
function storeOf(actor: StaffActor, storeId: string | undefined): string {
  if (storeId) return storeId;
  if (actor.scope === 'store' && actor.storeIds.length === 1) return actor.storeIds[0];
  throw new AppError('VALIDATION_FAILED', [{ field: 'storeId', errors: ['storeId is required for staff of several stores'] }]);
}

function toSettings(s: AttendanceSettingsEntity): AttendanceSettingsResponse {
  return { lateGraceMinutes: s.lateGraceMinutes, earlyGraceMinutes: s.earlyGraceMinutes, updatedAt: s.updatedAt.toISOString() };
}

function toRecord(r: RecordRow): AttendanceRecordResponse {
  return {
    id: r.id,
    staffId: r.staffId,
    staffName: r.staffName,
    storeId: r.storeId,
    storeName: r.storeName,
    businessDay: r.businessDay,
    clockInAt: r.clockInAt.toISOString(),
    clockOutAt: r.clockOutAt ? r.clockOutAt.toISOString() : null,
    source: r.source,
    note: r.note,
  };
}
