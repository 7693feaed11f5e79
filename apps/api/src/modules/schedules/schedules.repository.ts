import { Injectable } from '@nestjs/common';
import type { ScheduleExceptionKind } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import { ScheduleExceptionEntity, WorkScheduleEntity } from './entities/schedule.entity';

export interface WeeklyRow {
  staffId: string;
  storeId: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface ExceptionRow {
  id: string;
  staffId: string;
  storeId: string;
  day: string;
  kind: ScheduleExceptionKind;
  startMinute: number | null;
  endMinute: number | null;
  reason: string;
  createdAt: Date;
}

/** The only SQL over work_schedule and schedule_exception. */
@Injectable()
export class SchedulesRepository {
  /** Serialises schedule changes of one staff member (the exclusion constraint backs it up). */
  async lockStaff(m: EntityManager, staffId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('schedule:' || $1, 0))`, [staffId]);
  }

  async staffInStore(m: EntityManager, staffId: string, storeId: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM staff_store WHERE staff_id = $1 AND store_id = $2`, [staffId, storeId]);
    return rows.length > 0;
  }

  async staffNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM staff WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async storeNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM store WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async weekly(m: EntityManager, f: { storeId?: string; staffIds?: string[] }): Promise<WeeklyRow[]> {
    const qb = m.createQueryBuilder(WorkScheduleEntity, 'w');
    if (f.storeId) qb.andWhere('w.store_id = :storeId', { storeId: f.storeId });
    if (f.staffIds) qb.andWhere('w.staff_id = ANY(:staffIds)', { staffIds: f.staffIds });
    const rows = await qb.orderBy('w.weekday').addOrderBy('w.start_minute').getMany();
    return rows.map((r) => ({ staffId: r.staffId, storeId: r.storeId, weekday: r.weekday, startMinute: r.startMinute, endMinute: r.endMinute }));
  }

  async replaceWeekly(m: EntityManager, staffId: string, storeId: string, intervals: { weekday: number; startMinute: number; endMinute: number }[]): Promise<void> {
    await m.query(`DELETE FROM work_schedule WHERE staff_id = $1 AND store_id = $2`, [staffId, storeId]);
    if (!intervals.length) return;
    await m.insert(
      WorkScheduleEntity,
      intervals.map((i) => ({ staffId, storeId, weekday: i.weekday, startMinute: i.startMinute, endMinute: i.endMinute })),
    );
  }

  async exceptions(m: EntityManager, f: { storeId?: string; staffIds?: string[]; from: string; to: string }): Promise<ExceptionRow[]> {
    const where = ['day BETWEEN $1 AND $2'];
    const params: unknown[] = [f.from, f.to];
    if (f.storeId) {
      params.push(f.storeId);
      where.push(`store_id = $${params.length}`);
    }
    if (f.staffIds) {
      params.push(f.staffIds);
      where.push(`staff_id = ANY($${params.length}::uuid[])`);
    }
    const rows = await m.query(
      `SELECT id, staff_id, store_id, day::text AS day, kind, start_minute, end_minute, reason, created_at FROM schedule_exception
        WHERE ${where.join(' AND ')} ORDER BY day, start_minute NULLS FIRST, created_at`,
      params,
    );
    return rows.map(toExceptionRow);
  }

  async exception(m: EntityManager, id: string): Promise<ExceptionRow | null> {
    const rows = await m.query(
      `SELECT id, staff_id, store_id, day::text AS day, kind, start_minute, end_minute, reason, created_at FROM schedule_exception WHERE id = $1`,
      [id],
    );
    return rows.length ? toExceptionRow(rows[0]) : null;
  }

  async insertException(m: EntityManager, e: Omit<ExceptionRow, 'id' | 'createdAt'> & { createdBy: string | null }): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO schedule_exception (staff_id, store_id, day, kind, start_minute, end_minute, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [e.staffId, e.storeId, e.day, e.kind, e.startMinute, e.endMinute, e.reason, e.createdBy],
    );
    return row.id;
  }

  async deleteException(m: EntityManager, id: string): Promise<void> {
    await m.delete(ScheduleExceptionEntity, { id });
  }

  /** Staff with a weekly schedule at the store, or an exception there within the range. */
  async staffOfStore(m: EntityManager, storeId: string, from: string, to: string): Promise<string[]> {
    const rows: { staff_id: string }[] = await m.query(
      `SELECT staff_id FROM work_schedule WHERE store_id = $1
       UNION SELECT staff_id FROM schedule_exception WHERE store_id = $1 AND day BETWEEN $2 AND $3`,
      [storeId, from, to],
    );
    return rows.map((r) => r.staff_id);
  }

  /** Stores where the staff member has a weekly schedule or an exception within the range. */
  async storesOfStaff(m: EntityManager, staffId: string, from: string, to: string): Promise<string[]> {
    const rows: { store_id: string }[] = await m.query(
      `SELECT store_id FROM work_schedule WHERE staff_id = $1
       UNION SELECT store_id FROM schedule_exception WHERE staff_id = $1 AND day BETWEEN $2 AND $3`,
      [staffId, from, to],
    );
    return rows.map((r) => r.store_id);
  }
}

function toExceptionRow(r: Record<string, unknown>): ExceptionRow {
  return {
    id: r.id as string,
    staffId: r.staff_id as string,
    storeId: r.store_id as string,
    day: r.day as string,
    kind: r.kind as ScheduleExceptionKind,
    startMinute: (r.start_minute as number | null) ?? null,
    endMinute: (r.end_minute as number | null) ?? null,
    reason: r.reason as string,
    createdAt: r.created_at as Date,
  };
}
