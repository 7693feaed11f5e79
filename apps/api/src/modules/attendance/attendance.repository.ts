import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AttendanceSettingsEntity } from './entities/attendance.entity';

export interface RecordRow {
  id: string;
  staffId: string;
  staffName: string;
  storeId: string;
  storeName: string;
  businessDay: string;
  clockInAt: Date;
  clockOutAt: Date | null;
  source: 'clock' | 'correction';
  note: string;
}

const VIEW = `SELECT r.*, r.business_day::text AS day_text, sf.name AS staff_name, st.name AS store_name
                FROM attendance_record r JOIN staff sf ON sf.id = r.staff_id JOIN store st ON st.id = r.store_id`;

/** The only SQL over attendance_record and attendance_settings. */
@Injectable()
export class AttendanceRepository {
  async settings(m: EntityManager, lock = false): Promise<AttendanceSettingsEntity> {
    const qb = m.createQueryBuilder(AttendanceSettingsEntity, 's').where('s.id = 1');
    if (lock) qb.setLock('pessimistic_write');
    return (await qb.getOne())!;
  }

  saveSettings(m: EntityManager, s: AttendanceSettingsEntity): Promise<AttendanceSettingsEntity> {
    return m.save(AttendanceSettingsEntity, s);
  }

  async staffInStore(m: EntityManager, staffId: string, storeId: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM staff_store WHERE staff_id = $1 AND store_id = $2`, [staffId, storeId])).length > 0;
  }

  /**
   * Inserts a record unless it overlaps one of the staff member's (an open record counts as lasting
   * forever): the exclusion constraint decides, concurrent clock-ins included. null = overlap.
   */
  async insert(m: EntityManager, r: { staffId: string; storeId: string; businessDay: string; clockInAt: Date; clockOutAt: Date | null; source: 'clock' | 'correction'; note: string; createdBy: string }): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO attendance_record (staff_id, store_id, business_day, clock_in_at, clock_out_at, source, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING id`,
      [r.staffId, r.storeId, r.businessDay, r.clockInAt, r.clockOutAt, r.source, r.note, r.createdBy],
    );
    return rows[0]?.id ?? null;
  }

  async openOf(m: EntityManager, staffId: string): Promise<RecordRow | null> {
    const rows = await m.query(`${VIEW} WHERE r.staff_id = $1 AND r.clock_out_at IS NULL`, [staffId]);
    return rows.length ? toRow(rows[0]) : null;
  }

  /** Closes the staff member's open record; null when he is not clocked in. */
  async clockOut(m: EntityManager, staffId: string, at: Date, note: string | null): Promise<string | null> {
    // node-postgres through TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE attendance_record SET clock_out_at = GREATEST($2, clock_in_at + interval '1 second'), note = CASE WHEN $3::text IS NULL THEN note ELSE concat_ws('；', NULLIF(note, ''), $3::text) END, updated_at = now()
        WHERE staff_id = $1 AND clock_out_at IS NULL RETURNING id`,
      [staffId, at, note],
    );
    return rows[0]?.id ?? null;
  }

  async view(m: EntityManager, id: string): Promise<RecordRow | null> {
    const rows = await m.query(`${VIEW} WHERE r.id = $1`, [id]);
    return rows.length ? toRow(rows[0]) : null;
  }

  /** Changes a record's times (a manager's correction); the exclusion constraint refuses an overlap (an error). */
  async updateTimes(m: EntityManager, id: string, t: { clockInAt: Date; clockOutAt: Date | null; businessDay: string; note: string }): Promise<void> {
    await m.query(`UPDATE attendance_record SET clock_in_at = $2, clock_out_at = $3, business_day = $4, note = $5, source = 'correction', updated_at = now() WHERE id = $1`, [
      id,
      t.clockInAt,
      t.clockOutAt,
      t.businessDay,
      t.note,
    ]);
  }

  async ofRange(m: EntityManager, f: { storeId?: string; staffId?: string; from: string; to: string }): Promise<RecordRow[]> {
    const rows = await m.query(
      `${VIEW} WHERE r.business_day BETWEEN $1 AND $2 AND ($3::uuid IS NULL OR r.store_id = $3) AND ($4::uuid IS NULL OR r.staff_id = $4) ORDER BY r.clock_in_at, r.id`,
      [f.from, f.to, f.storeId ?? null, f.staffId ?? null],
    );
    return rows.map(toRow);
  }

  async staffNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM staff WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

function toRow(r: Record<string, unknown>): RecordRow {
  return {
    id: r.id as string,
    staffId: r.staff_id as string,
    staffName: r.staff_name as string,
    storeId: r.store_id as string,
    storeName: r.store_name as string,
    businessDay: r.day_text as string,
    clockInAt: r.clock_in_at as Date,
    clockOutAt: (r.clock_out_at as Date | null) ?? null,
    source: r.source as 'clock' | 'correction',
    note: r.note as string,
  };
}
