import { Injectable } from '@nestjs/common';
import { parseFen, type BookingDepositStatus, type BookingSource, type BookingStatus } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import { BookingSettingsEntity, StaffServiceEntity } from './entities/booking.entity';

export interface BookingRow {
  id: string;
  storeId: string;
  storeName: string;
  timeZone: string;
  memberId: string;
  memberName: string;
  memberPhone: string | null;
  memberNo: string;
  staffId: string;
  staffName: string;
  productId: string;
  skuId: string;
  serviceName: string;
  durationMinutes: number;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  source: BookingSource;
  note: string;
  depositFen: number;
  depositStatus: BookingDepositStatus;
  depositSpendId: string | null;
  createdByStaffId: string | null;
  rescheduleCount: number;
  confirmedAt: Date | null;
  arrivedAt: Date | null;
  completedAt: Date | null;
  orderId: string | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  cancelledBy: 'member' | 'staff' | null;
  noShowAt: Date | null;
  createdAt: Date;
}

export interface NewBooking {
  id: string;
  storeId: string;
  memberId: string;
  staffId: string;
  productId: string;
  skuId: string;
  serviceName: string;
  durationMinutes: number;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  source: BookingSource;
  note: string;
  depositFen: number;
  depositStatus: BookingDepositStatus;
  depositSpendId: string | null;
  createdByStaffId: string | null;
  confirmedAt: Date | null;
}

export interface BookingFilter {
  storeIds: string[] | null;
  memberId?: string;
  staffId?: string;
  statuses?: BookingStatus[];
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
  order?: 'asc' | 'desc';
}

const VIEW = `SELECT b.*, st.name AS store_name, st.time_zone, mb.name AS member_name, mb.phone AS member_phone, mb.member_no, sf.name AS staff_name
                FROM booking b JOIN store st ON st.id = b.store_id JOIN member mb ON mb.id = b.member_id JOIN staff sf ON sf.id = b.staff_id`;

const ACTIVE = `('pending', 'confirmed', 'arrived')`;

/** The only SQL over booking, booking_settings and staff_service. */
@Injectable()
export class BookingsRepository {
  async settings(m: EntityManager, lock = false): Promise<BookingSettingsEntity> {
    const qb = m.createQueryBuilder(BookingSettingsEntity, 's').where('s.id = 1');
    if (lock) qb.setLock('pessimistic_write');
    return (await qb.getOne())!;
  }

  saveSettings(m: EntityManager, s: BookingSettingsEntity): Promise<BookingSettingsEntity> {
    return m.save(BookingSettingsEntity, s);
  }

  // ── who performs which service ──────────────────────────────────────────────

  async servicesOf(m: EntityManager, staffId: string): Promise<string[]> {
    const rows: { product_id: string }[] = await m.query(`SELECT product_id FROM staff_service WHERE staff_id = $1 ORDER BY created_at, product_id`, [staffId]);
    return rows.map((r) => r.product_id);
  }

  async replaceServices(m: EntityManager, staffId: string, productIds: string[]): Promise<void> {
    await m.query(`DELETE FROM staff_service WHERE staff_id = $1 AND NOT (product_id = ANY($2::uuid[]))`, [staffId, productIds]);
    if (productIds.length) {
      await m.createQueryBuilder().insert().into(StaffServiceEntity).values(productIds.map((productId) => ({ staffId, productId }))).orIgnore().execute();
    }
  }

  /** Active staff of the store who perform the service, by name. */
  async staffForService(m: EntityManager, productId: string, storeId: string): Promise<{ id: string; name: string }[]> {
    return m.query(
      `SELECT sf.id, sf.name FROM staff_service ss JOIN staff sf ON sf.id = ss.staff_id JOIN staff_store so ON so.staff_id = sf.id
        WHERE ss.product_id = $1 AND so.store_id = $2 AND sf.status = 'active' ORDER BY sf.name, sf.id`,
      [productId, storeId],
    );
  }

  /** Services performed by at least one active staff member of the store, with those staff. */
  async servicesAtStore(m: EntityManager, storeId: string): Promise<Map<string, { id: string; name: string }[]>> {
    const rows: { product_id: string; id: string; name: string }[] = await m.query(
      `SELECT ss.product_id, sf.id, sf.name FROM staff_service ss JOIN staff sf ON sf.id = ss.staff_id JOIN staff_store so ON so.staff_id = sf.id
        WHERE so.store_id = $1 AND sf.status = 'active' ORDER BY sf.name, sf.id`,
      [storeId],
    );
    const out = new Map<string, { id: string; name: string }[]>();
    for (const r of rows) out.set(r.product_id, [...(out.get(r.product_id) ?? []), { id: r.id, name: r.name }]);
    return out;
  }

  // ── bookings ────────────────────────────────────────────────────────────────

  /** Serialises one member's bookings through the app (the per-member limit is counted under it). */
  async lockMember(m: EntityManager, memberId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('booking-member:' || $1, 0))`, [memberId]);
  }

  /**
   * Inserts a booking unless it overlaps an active booking of the same staff member: the exclusion
   * constraint decides, also between concurrent inserts (ON CONFLICT DO NOTHING waits for the
   * other transaction and then skips), without aborting this transaction. false = taken.
   */
  async insert(m: EntityManager, b: NewBooking): Promise<boolean> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO booking (id, store_id, member_id, staff_id, product_id, sku_id, service_name, duration_minutes, starts_at, ends_at, status, source, note,
                            deposit_fen, deposit_status, deposit_spend_id, created_by_staff_id, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT DO NOTHING RETURNING id`,
      [b.id, b.storeId, b.memberId, b.staffId, b.productId, b.skuId, b.serviceName, b.durationMinutes, b.startsAt, b.endsAt, b.status, b.source, b.note,
       b.depositFen, b.depositStatus, b.depositSpendId, b.createdByStaffId, b.confirmedAt],
    );
    return rows.length > 0;
  }

  async lock(m: EntityManager, id: string): Promise<BookingRow | null> {
    const rows = await m.query(`SELECT id FROM booking WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length ? this.view(m, id) : null;
  }

  async byOrder(m: EntityManager, orderId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM booking WHERE order_id = $1`, [orderId]);
    return rows[0]?.id ?? null;
  }

  async view(m: EntityManager, id: string): Promise<BookingRow | null> {
    const rows = await m.query(`${VIEW} WHERE b.id = $1`, [id]);
    return rows.length ? toRow(rows[0]) : null;
  }

  async list(m: EntityManager, f: BookingFilter): Promise<[BookingRow[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.storeIds) add('b.store_id = ANY(?::uuid[])', f.storeIds);
    if (f.memberId) add('b.member_id = ?', f.memberId);
    if (f.staffId) add('b.staff_id = ?', f.staffId);
    if (f.statuses?.length) add('b.status = ANY(?::text[])', f.statuses);
    if (f.from) add('b.starts_at >= ?', f.from);
    if (f.to) add('b.starts_at < ?', f.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM booking b ${clause}`, params);
    const dir = f.order === 'desc' ? 'DESC' : 'ASC';
    const rows = await m.query(`${VIEW} ${clause} ORDER BY b.starts_at ${dir}, b.id LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`, params);
    return [rows.map(toRow), n];
  }

  /** Active bookings of these staff that overlap [from, to), as busy spans. */
  async busy(m: EntityManager, staffIds: string[], from: Date, to: Date, exceptId?: string): Promise<{ id: string; staffId: string; startsAt: Date; endsAt: Date }[]> {
    if (!staffIds.length) return [];
    const rows: { id: string; staff_id: string; starts_at: Date; ends_at: Date }[] = await m.query(
      `SELECT id, staff_id, starts_at, ends_at FROM booking
        WHERE staff_id = ANY($1::uuid[]) AND status IN ${ACTIVE} AND starts_at < $3 AND ends_at > $2 AND ($4::uuid IS NULL OR id <> $4)`,
      [staffIds, from, to, exceptId ?? null],
    );
    return rows.map((r) => ({ id: r.id, staffId: r.staff_id, startsAt: r.starts_at, endsAt: r.ends_at }));
  }

  /** The member's open bookings (pending or confirmed) that have not started yet. */
  async openFutureCount(m: EntityManager, memberId: string, now: Date): Promise<number> {
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM booking WHERE member_id = $1 AND status IN ('pending', 'confirmed') AND starts_at > $2`, [memberId, now]);
    return n;
  }

  async update(m: EntityManager, id: string, set: Partial<Record<'status' | 'depositStatus' | 'confirmedAt' | 'arrivedAt' | 'completedAt' | 'orderId' | 'cancelledAt' | 'cancelReason' | 'cancelledBy' | 'noShowAt', unknown>>): Promise<void> {
    const columns: Record<string, string> = {
      status: 'status',
      depositStatus: 'deposit_status',
      confirmedAt: 'confirmed_at',
      arrivedAt: 'arrived_at',
      completedAt: 'completed_at',
      orderId: 'order_id',
      cancelledAt: 'cancelled_at',
      cancelReason: 'cancel_reason',
      cancelledBy: 'cancelled_by',
      noShowAt: 'no_show_at',
    };
    const keys = Object.keys(set);
    if (!keys.length) return;
    await m.query(`UPDATE booking SET ${keys.map((k, i) => `${columns[k]} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [id, ...keys.map((k) => set[k as keyof typeof set])]);
  }

  /**
   * Moves a booking to another time or staff member. The exclusion constraint refuses an overlap
   * (an error: an UPDATE has no ON CONFLICT), which the service answers as BOOKING_SLOT_TAKEN.
   */
  async reschedule(m: EntityManager, id: string, to: { staffId: string; startsAt: Date; endsAt: Date }): Promise<void> {
    await m.query(`UPDATE booking SET staff_id = $2, starts_at = $3, ends_at = $4, reschedule_count = reschedule_count + 1, updated_at = now() WHERE id = $1`, [
      id,
      to.staffId,
      to.startsAt,
      to.endsAt,
    ]);
  }

  /**
   * A member's personal data is deleted (PIPL): his open bookings are cancelled (a deposit still
   * held is kept, as his balances are at deletion), and the notes he or the counter wrote are blanked.
   */
  async eraseMember(m: EntityManager, memberId: string): Promise<{ id: string; storeId: string }[]> {
    const [cancelled]: [{ id: string; store_id: string }[], number] = await m.query(
      `UPDATE booking SET status = 'cancelled', cancelled_at = now(), cancel_reason = '会员注销', cancelled_by = 'staff',
              deposit_status = CASE WHEN deposit_status = 'held' THEN 'forfeited' ELSE deposit_status END, updated_at = now()
        WHERE member_id = $1 AND status IN ${ACTIVE} RETURNING id, store_id`,
      [memberId],
    );
    await m.query(`UPDATE booking SET note = '' WHERE member_id = $1 AND note <> ''`, [memberId]);
    return cancelled.map((r) => ({ id: r.id, storeId: r.store_id }));
  }

  /** Bookings served (arrived or completed) per staff member, by when the member arrived. */
  async servedCounts(m: EntityManager, f: { storeIds: string[] | null; from: Date; to: Date }): Promise<Map<string, number>> {
    const rows: { staff_id: string; n: number }[] = await m.query(
      `SELECT staff_id, count(*)::int AS n FROM booking
        WHERE status IN ('arrived', 'completed') AND arrived_at >= $1 AND arrived_at < $2 AND ($3::uuid[] IS NULL OR store_id = ANY($3::uuid[]))
        GROUP BY staff_id`,
      [f.from, f.to, f.storeIds],
    );
    return new Map(rows.map((r) => [r.staff_id, r.n]));
  }
}

function toRow(r: Record<string, unknown>): BookingRow {
  return {
    id: r.id as string,
    storeId: r.store_id as string,
    storeName: r.store_name as string,
    timeZone: r.time_zone as string,
    memberId: r.member_id as string,
    memberName: r.member_name as string,
    memberPhone: (r.member_phone as string | null) ?? null,
    memberNo: r.member_no as string,
    staffId: r.staff_id as string,
    staffName: r.staff_name as string,
    productId: r.product_id as string,
    skuId: r.sku_id as string,
    serviceName: r.service_name as string,
    durationMinutes: r.duration_minutes as number,
    startsAt: r.starts_at as Date,
    endsAt: r.ends_at as Date,
    status: r.status as BookingStatus,
    source: r.source as BookingSource,
    note: r.note as string,
    depositFen: parseFen(r.deposit_fen as string),
    depositStatus: r.deposit_status as BookingDepositStatus,
    depositSpendId: (r.deposit_spend_id as string | null) ?? null,
    createdByStaffId: (r.created_by_staff_id as string | null) ?? null,
    rescheduleCount: r.reschedule_count as number,
    confirmedAt: (r.confirmed_at as Date | null) ?? null,
    arrivedAt: (r.arrived_at as Date | null) ?? null,
    completedAt: (r.completed_at as Date | null) ?? null,
    orderId: (r.order_id as string | null) ?? null,
    cancelledAt: (r.cancelled_at as Date | null) ?? null,
    cancelReason: (r.cancel_reason as string | null) ?? null,
    cancelledBy: (r.cancelled_by as 'member' | 'staff' | null) ?? null,
    noShowAt: (r.no_show_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
  };
}
