import { Injectable } from '@nestjs/common';
import { parseFen, type CashMovementKind, type PaymentMethod, type ShiftStatus } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { MovementSum, TakingSum } from './domain/shift-figures';
import { ShiftCashMovementEntity, ShiftEntity, ShiftTakingEntity } from './entities/shift.entity';

export interface ShiftRow extends ShiftEntity {
  storeName: string;
  staffName: string;
  closedByName: string | null;
}

export interface MovementRow extends ShiftCashMovementEntity {
  staffName: string;
}

export interface ShiftFilter {
  storeIds: string[] | null;
  staffId?: string;
  status?: ShiftStatus;
  businessDay?: string;
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

// business_day as text: node-postgres would turn a date into a JS Date at local midnight.
const VIEW = `SELECT s.*, s.business_day::text AS business_day_text, st.name AS store_name, sf.name AS staff_name, cb.name AS closed_by_name
                FROM shift s JOIN store st ON st.id = s.store_id JOIN staff sf ON sf.id = s.staff_id
                LEFT JOIN staff cb ON cb.id = s.closed_by_staff_id`;

/** The only SQL over the shift tables. */
@Injectable()
export class ShiftsRepository {
  /**
   * Opens a shift unless the staff member already has one open at the store: the partial unique
   * index decides between concurrent opens, without aborting the transaction. null = already open.
   */
  async insertOpen(m: EntityManager, s: { storeId: string; staffId: string; floatFen: number; businessDay: string; openNote: string | null }): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO shift (store_id, staff_id, float_fen, business_day, open_note) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (staff_id, store_id) WHERE status = 'open' DO NOTHING RETURNING id`,
      [s.storeId, s.staffId, s.floatFen, s.businessDay, s.openNote],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * The shift row, locked. `share` for takings: many payments of one shift go on side by side,
   * while a close (`update`) waits for them and they wait for it, then see it closed.
   */
  lock(m: EntityManager, id: string, mode: 'share' | 'update'): Promise<ShiftEntity | null> {
    return m
      .createQueryBuilder(ShiftEntity, 's')
      .where('s.id = :id', { id })
      .setLock(mode === 'share' ? 'pessimistic_read' : 'pessimistic_write')
      .getOne();
  }

  /** The open shift of a staff member at a store, share-locked until the transaction ends. */
  async lockOpenShiftOf(m: EntityManager, staffId: string, storeId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM shift WHERE staff_id = $1 AND store_id = $2 AND status = 'open' FOR SHARE`, [staffId, storeId]);
    return rows[0]?.id ?? null;
  }

  async openShiftOf(m: EntityManager, staffId: string, storeId: string): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM shift WHERE staff_id = $1 AND store_id = $2 AND status = 'open'`, [staffId, storeId]);
    return rows[0]?.id ?? null;
  }

  async view(m: EntityManager, id: string): Promise<ShiftRow | null> {
    const rows = await m.query(`${VIEW} WHERE s.id = $1`, [id]);
    return rows.length ? toShiftRow(rows[0]) : null;
  }

  async list(m: EntityManager, f: ShiftFilter): Promise<[ShiftRow[], number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.storeIds) add('s.store_id = ANY(?::uuid[])', f.storeIds);
    if (f.staffId) add('s.staff_id = ?', f.staffId);
    if (f.status) add('s.status = ?', f.status);
    if (f.businessDay) add('s.business_day = ?', f.businessDay);
    if (f.from) add('s.business_day >= ?', f.from);
    if (f.to) add('s.business_day <= ?', f.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM shift s ${clause}`, params);
    const rows = await m.query(`${VIEW} ${clause} ORDER BY s.opened_at DESC, s.id LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`, params);
    return [rows.map(toShiftRow), n];
  }

  async ofDay(m: EntityManager, storeId: string, businessDay: string): Promise<ShiftRow[]> {
    const rows = await m.query(`${VIEW} WHERE s.store_id = $1 AND s.business_day = $2 ORDER BY s.opened_at, s.id`, [storeId, businessDay]);
    return rows.map(toShiftRow);
  }

  /** Takings per shift and method, money in and out apart. */
  async takingSums(m: EntityManager, shiftIds: string[]): Promise<Map<string, TakingSum[]>> {
    const out = new Map<string, TakingSum[]>(shiftIds.map((id) => [id, []]));
    if (!shiftIds.length) return out;
    const rows: { shift_id: string; method: PaymentMethod; in_fen: string; out_fen: string; n: number }[] = await m.query(
      `SELECT shift_id, method,
              COALESCE(sum(amount_fen) FILTER (WHERE amount_fen > 0), 0) AS in_fen,
              COALESCE(-sum(amount_fen) FILTER (WHERE amount_fen < 0), 0) AS out_fen,
              count(*)::int AS n
         FROM shift_taking WHERE shift_id = ANY($1::uuid[]) GROUP BY shift_id, method`,
      [shiftIds],
    );
    for (const r of rows) out.get(r.shift_id)!.push({ method: r.method, inFen: parseFen(r.in_fen), outFen: parseFen(r.out_fen), count: r.n });
    return out;
  }

  async movementSums(m: EntityManager, shiftIds: string[]): Promise<Map<string, MovementSum[]>> {
    const out = new Map<string, MovementSum[]>(shiftIds.map((id) => [id, []]));
    if (!shiftIds.length) return out;
    const rows: { shift_id: string; kind: CashMovementKind; amount_fen: string }[] = await m.query(
      `SELECT shift_id, kind, sum(amount_fen) AS amount_fen FROM shift_cash_movement WHERE shift_id = ANY($1::uuid[]) GROUP BY shift_id, kind`,
      [shiftIds],
    );
    for (const r of rows) out.get(r.shift_id)!.push({ kind: r.kind, amountFen: parseFen(r.amount_fen) });
    return out;
  }

  async movements(m: EntityManager, shiftId: string): Promise<MovementRow[]> {
    const rows = await m.query(
      `SELECT mv.*, sf.name AS staff_name FROM shift_cash_movement mv JOIN staff sf ON sf.id = mv.staff_id WHERE mv.shift_id = $1 ORDER BY mv.created_at, mv.id`,
      [shiftId],
    );
    return rows.map(
      (r: Record<string, unknown>): MovementRow => ({
        id: r.id as string,
        shiftId: r.shift_id as string,
        storeId: r.store_id as string,
        kind: r.kind as CashMovementKind,
        amountFen: parseFen(r.amount_fen as string),
        reason: r.reason as string,
        staffId: r.staff_id as string,
        staffName: r.staff_name as string,
        createdAt: r.created_at as Date,
      }),
    );
  }

  async takings(m: EntityManager, shiftId: string, f: { method?: PaymentMethod; offset: number; limit: number }): Promise<[ShiftTakingEntity[], number]> {
    const qb = m.createQueryBuilder(ShiftTakingEntity, 't').where('t.shift_id = :shiftId', { shiftId });
    if (f.method) qb.andWhere('t.method = :method', { method: f.method });
    return qb.orderBy('t.created_at', 'ASC').addOrderBy('t.id', 'ASC').offset(f.offset).limit(f.limit).getManyAndCount();
  }

  /**
   * created_at is the wall clock at the insert, not the transaction's start: a payment whose
   * transaction began before the shift opened still lands inside [opened_at, closed_at].
   */
  async insertTaking(m: EntityManager, t: { shiftId: string; storeId: string; method: PaymentMethod; amountFen: number; refType: string; refId: string }): Promise<void> {
    await m.query(
      `INSERT INTO shift_taking (shift_id, store_id, method, amount_fen, ref_type, ref_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())`,
      [t.shiftId, t.storeId, t.method, t.amountFen, t.refType, t.refId],
    );
  }

  async insertMovement(m: EntityManager, mv: { shiftId: string; storeId: string; kind: CashMovementKind; amountFen: number; reason: string; staffId: string }): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO shift_cash_movement (shift_id, store_id, kind, amount_fen, reason, staff_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp()) RETURNING id`,
      [mv.shiftId, mv.storeId, mv.kind, mv.amountFen, mv.reason, mv.staffId],
    );
    return row.id;
  }

  /** Closes a locked open shift; closed_at is taken after the lock, so it follows every taking. */
  async close(m: EntityManager, id: string, c: { closedBy: string; countedCashFen: number; expectedCashFen: number; differenceFen: number; note: string | null }): Promise<void> {
    await m.query(
      `UPDATE shift SET status = 'closed', closed_at = clock_timestamp(), closed_by_staff_id = $2, counted_cash_fen = $3, expected_cash_fen = $4, difference_fen = $5, close_note = $6
        WHERE id = $1 AND status = 'open'`,
      [id, c.closedBy, c.countedCashFen, c.expectedCashFen, c.differenceFen, c.note],
    );
  }
}

function toShiftRow(r: Record<string, unknown>): ShiftRow {
  const fen = (v: unknown) => (v === null || v === undefined ? null : parseFen(String(v)));
  return {
    id: r.id as string,
    storeId: r.store_id as string,
    storeName: r.store_name as string,
    staffId: r.staff_id as string,
    staffName: r.staff_name as string,
    status: r.status as ShiftStatus,
    floatFen: fen(r.float_fen)!,
    businessDay: r.business_day_text as string,
    openedAt: r.opened_at as Date,
    openNote: (r.open_note as string | null) ?? null,
    closedAt: (r.closed_at as Date | null) ?? null,
    closedByStaffId: (r.closed_by_staff_id as string | null) ?? null,
    closedByName: (r.closed_by_name as string | null) ?? null,
    countedCashFen: fen(r.counted_cash_fen),
    expectedCashFen: fen(r.expected_cash_fen),
    differenceFen: fen(r.difference_fen),
    closeNote: (r.close_note as string | null) ?? null,
  };
}
