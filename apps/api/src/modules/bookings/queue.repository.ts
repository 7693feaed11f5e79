import { Injectable } from '@nestjs/common';
import type { QueueTicketStatus } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';

export interface QueueTicketRow {
  id: string;
  storeId: string;
  storeName: string;
  timeZone: string;
  businessDay: string;
  number: number;
  memberId: string | null;
  customerName: string | null;
  partySize: number;
  skuId: string | null;
  note: string;
  status: QueueTicketStatus;
  callCount: number;
  calledAt: Date | null;
  staffId: string | null;
  staffName: string | null;
  closedAt: Date | null;
  createdAt: Date;
  aheadCount: number;
}

const VIEW = `SELECT q.*, q.business_day::text AS day_text, st.name AS store_name, st.time_zone, sf.name AS staff_name,
                     (SELECT count(*)::int FROM queue_ticket w WHERE w.store_id = q.store_id AND w.business_day = q.business_day
                         AND w.status = 'waiting' AND w.number < q.number) AS ahead_count
                FROM queue_ticket q JOIN store st ON st.id = q.store_id LEFT JOIN staff sf ON sf.id = q.staff_id`;

/** The only SQL over queue_counter and queue_ticket. */
@Injectable()
export class QueueRepository {
  /**
   * The next number of a store's day: one upsert, atomic under concurrency (the counter row is
   * locked by the update until the transaction ends, so numbers are handed out once and in order).
   */
  async nextNumber(m: EntityManager, storeId: string, businessDay: string): Promise<number> {
    const [row]: { last_number: number }[] = await m.query(
      `INSERT INTO queue_counter (store_id, business_day, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (store_id, business_day) DO UPDATE SET last_number = queue_counter.last_number + 1 RETURNING last_number`,
      [storeId, businessDay],
    );
    return row.last_number;
  }

  async insert(m: EntityManager, t: { storeId: string; businessDay: string; number: number; memberId: string | null; customerName: string | null; partySize: number; skuId: string | null; note: string }): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO queue_ticket (store_id, business_day, number, member_id, customer_name, party_size, sku_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [t.storeId, t.businessDay, t.number, t.memberId, t.customerName, t.partySize, t.skuId, t.note],
    );
    return row.id;
  }

  /**
   * Calls the lowest waiting number of the day (叫号). SKIP LOCKED: two counters calling at once
   * get two different tickets instead of one waiting for the other and calling the same.
   */
  async callNext(m: EntityManager, storeId: string, businessDay: string, by: { calledBy: string; staffId: string | null }): Promise<string | null> {
    // node-postgres through TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE queue_ticket SET status = 'called', call_count = call_count + 1, called_at = clock_timestamp(), called_by_staff_id = $3, staff_id = COALESCE($4, staff_id)
        WHERE id = (SELECT id FROM queue_ticket WHERE store_id = $1 AND business_day = $2 AND status = 'waiting' ORDER BY number LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [storeId, businessDay, by.calledBy, by.staffId],
    );
    return rows[0]?.id ?? null;
  }

  /** Moves a ticket from one of `from` to `to`; false when its status was not one of them. */
  async transition(m: EntityManager, id: string, from: QueueTicketStatus[], to: QueueTicketStatus, set: { staffId?: string | null; calledBy?: string; recall?: boolean } = {}): Promise<boolean> {
    const closing = to === 'served' || to === 'skipped' || to === 'cancelled';
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE queue_ticket SET status = $3,
              staff_id = COALESCE($4, staff_id),
              call_count = call_count + CASE WHEN $5 THEN 1 ELSE 0 END,
              called_at = CASE WHEN $5 THEN clock_timestamp() ELSE called_at END,
              called_by_staff_id = COALESCE($6, called_by_staff_id),
              closed_at = CASE WHEN $7 THEN clock_timestamp() ELSE NULL END
        WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
      [id, from, to, set.staffId ?? null, set.recall ?? false, set.calledBy ?? null, closing],
    );
    return rows.length > 0;
  }

  /** A member's personal data is deleted (PIPL): his waiting numbers are cancelled and his name and notes blanked. */
  async eraseMember(m: EntityManager, memberId: string): Promise<void> {
    await m.query(
      `UPDATE queue_ticket SET customer_name = NULL, note = '',
              status = CASE WHEN status IN ('waiting', 'called') THEN 'cancelled' ELSE status END,
              closed_at = CASE WHEN status IN ('waiting', 'called') THEN clock_timestamp() ELSE closed_at END
        WHERE member_id = $1`,
      [memberId],
    );
  }

  async view(m: EntityManager, id: string): Promise<QueueTicketRow | null> {
    const rows = await m.query(`${VIEW} WHERE q.id = $1`, [id]);
    return rows.length ? toRow(rows[0]) : null;
  }

  async ofDay(m: EntityManager, storeId: string, businessDay: string): Promise<QueueTicketRow[]> {
    const rows = await m.query(`${VIEW} WHERE q.store_id = $1 AND q.business_day = $2 ORDER BY q.number`, [storeId, businessDay]);
    return rows.map(toRow);
  }

  async ofMember(m: EntityManager, memberId: string, since: Date): Promise<QueueTicketRow[]> {
    const rows = await m.query(`${VIEW} WHERE q.member_id = $1 AND q.created_at >= $2 ORDER BY q.created_at DESC`, [memberId, since]);
    return rows.map(toRow);
  }
}

function toRow(r: Record<string, unknown>): QueueTicketRow {
  return {
    id: r.id as string,
    storeId: r.store_id as string,
    storeName: r.store_name as string,
    timeZone: r.time_zone as string,
    businessDay: r.day_text as string,
    number: r.number as number,
    memberId: (r.member_id as string | null) ?? null,
    customerName: (r.customer_name as string | null) ?? null,
    partySize: r.party_size as number,
    skuId: (r.sku_id as string | null) ?? null,
    note: r.note as string,
    status: r.status as QueueTicketStatus,
    callCount: r.call_count as number,
    calledAt: (r.called_at as Date | null) ?? null,
    staffId: (r.staff_id as string | null) ?? null,
    staffName: (r.staff_name as string | null) ?? null,
    closedAt: (r.closed_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    aheadCount: r.ahead_count as number,
  };
}
