import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  PointAdjustmentEntity,
  PointEarningEntity,
  PointExchangeEntity,
  PointsSettingsEntity,
  type EarningKind,
} from './entities/points.entity';

export interface LotRow {
  id: string;
  year: number;
  remaining: number;
}

/** The only SQL over the points tables. */
@Injectable()
export class PointsRepository {
  async settings(m: EntityManager): Promise<PointsSettingsEntity> {
    const found = await m.findOne(PointsSettingsEntity, { where: { id: 1 } });
    if (found) return found;
    // The migration seeds the row; a restored or hand-made database may lack it.
    await m.query('INSERT INTO points_settings (id) VALUES (1) ON CONFLICT DO NOTHING');
    return m.findOneOrFail(PointsSettingsEntity, { where: { id: 1 } });
  }

  saveSettings(m: EntityManager, s: PointsSettingsEntity): Promise<PointsSettingsEntity> {
    return m.save(PointsSettingsEntity, s);
  }

  async chainTimeZone(m: EntityManager): Promise<string> {
    const rows: { time_zone: string }[] = await m.query('SELECT time_zone FROM chain LIMIT 1');
    return rows[0]?.time_zone ?? 'Asia/Shanghai';
  }

  /**
   * Serialises every points operation of one member for the rest of the transaction. Taken before
   * the ledger locks the points account, so that a balance read after it stays true until commit
   * and the lots can be consumed without racing another spend.
   */
  async lockMember(m: EntityManager, memberId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('points:' || $1, 0))`, [memberId]);
  }

  async addToLot(m: EntityManager, memberId: string, year: number, amount: number, reason: string, refType: string, refId: string): Promise<string> {
    const [lot]: { id: string }[] = await m.query(
      `INSERT INTO point_lot (member_id, year, remaining) VALUES ($1, $2, $3)
       ON CONFLICT (member_id, year) DO UPDATE SET remaining = point_lot.remaining + EXCLUDED.remaining, updated_at = now()
       RETURNING id`,
      [memberId, year, amount],
    );
    await this.insertMove(m, lot.id, memberId, amount, reason, refType, refId);
    return lot.id;
  }

  /** Lots with points left, oldest first, locked for this transaction. */
  async openLots(m: EntityManager, memberId: string): Promise<LotRow[]> {
    const rows: { id: string; year: number; remaining: string }[] = await m.query(
      'SELECT id, year, remaining FROM point_lot WHERE member_id = $1 AND remaining > 0 ORDER BY year FOR UPDATE',
      [memberId],
    );
    return rows.map((r) => ({ id: r.id, year: r.year, remaining: Number(r.remaining) }));
  }

  async allLots(m: EntityManager, memberId: string): Promise<LotRow[]> {
    const rows: { id: string; year: number; remaining: string }[] = await m.query(
      'SELECT id, year, remaining FROM point_lot WHERE member_id = $1 AND remaining > 0 ORDER BY year',
      [memberId],
    );
    return rows.map((r) => ({ id: r.id, year: r.year, remaining: Number(r.remaining) }));
  }

  /** Takes `amount` from a lot; the WHERE clause keeps it non-negative whatever the caller read. */
  async takeFromLot(m: EntityManager, lotId: string, memberId: string, amount: number, reason: string, refType: string, refId: string): Promise<boolean> {
    const [rows] = await m.query('UPDATE point_lot SET remaining = remaining - $2, updated_at = now() WHERE id = $1 AND remaining >= $2 RETURNING id', [lotId, amount]);
    if (!rows.length) return false;
    await this.insertMove(m, lotId, memberId, -amount, reason, refType, refId);
    return true;
  }

  async returnToLot(m: EntityManager, lotId: string, memberId: string, amount: number, reason: string, refType: string, refId: string): Promise<void> {
    await m.query('UPDATE point_lot SET remaining = remaining + $2, updated_at = now() WHERE id = $1', [lotId, amount]);
    await this.insertMove(m, lotId, memberId, amount, reason, refType, refId);
  }

  /** Net points each lot gave to an operation (positive = still taken), for returning them. */
  async takenBy(m: EntityManager, memberId: string, refType: string, refId: string): Promise<{ lotId: string; taken: number }[]> {
    const rows: { lot_id: string; taken: string }[] = await m.query(
      `SELECT mv.lot_id, -sum(mv.amount) AS taken FROM point_lot_move mv JOIN point_lot l ON l.id = mv.lot_id
        WHERE mv.member_id = $1 AND mv.ref_type = $2 AND mv.ref_id = $3
        GROUP BY mv.lot_id, l.year HAVING sum(mv.amount) < 0 ORDER BY l.year DESC`,
      [memberId, refType, refId],
    );
    return rows.map((r) => ({ lotId: r.lot_id, taken: Number(r.taken) }));
  }

  /** Marks a lot's remaining points expired if it still holds exactly `amount` (else another operation moved it first). */
  async expireLot(m: EntityManager, lotId: string, memberId: string, amount: number): Promise<boolean> {
    const [rows] = await m.query(
      'UPDATE point_lot SET remaining = 0, expired = expired + $2, updated_at = now() WHERE id = $1 AND remaining = $2 RETURNING id',
      [lotId, amount],
    );
    if (!rows.length) return false;
    await this.insertMove(m, lotId, memberId, -amount, 'expire', 'point_lot', lotId);
    return true;
  }

  async lockLot(m: EntityManager, lotId: string): Promise<LotRow | null> {
    const rows: { id: string; year: number; remaining: string }[] = await m.query('SELECT id, year, remaining FROM point_lot WHERE id = $1 FOR UPDATE', [lotId]);
    return rows.length ? { id: rows[0].id, year: rows[0].year, remaining: Number(rows[0].remaining) } : null;
  }

  async expirableLots(m: EntityManager, maxYear: number, limit: number): Promise<{ id: string; memberId: string }[]> {
    const rows: { id: string; member_id: string }[] = await m.query(
      'SELECT id, member_id FROM point_lot WHERE year <= $1 AND remaining > 0 ORDER BY year, id LIMIT $2',
      [maxYear, limit],
    );
    return rows.map((r) => ({ id: r.id, memberId: r.member_id }));
  }

  /** Lots of one earning year that still hold points, in id order after `afterId` (keyset pages). */
  async lotsOfYear(m: EntityManager, year: number, afterId: string | null, limit: number): Promise<{ id: string; memberId: string; remaining: number }[]> {
    const rows: { id: string; member_id: string; remaining: string }[] = await m.query(
      'SELECT id, member_id, remaining FROM point_lot WHERE year = $1 AND remaining > 0 AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3',
      [year, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, memberId: r.member_id, remaining: Number(r.remaining) }));
  }

  private async insertMove(m: EntityManager, lotId: string, memberId: string, amount: number, reason: string, refType: string, refId: string) {
    await m.query('INSERT INTO point_lot_move (lot_id, member_id, amount, reason, ref_type, ref_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      lotId,
      memberId,
      amount,
      reason,
      refType,
      refId,
    ]);
  }

  findEarning(m: EntityManager, kind: EarningKind, sourceType: string, sourceId: string): Promise<PointEarningEntity | null> {
    return m.findOne(PointEarningEntity, { where: { kind, sourceType, sourceId } });
  }

  /** Inserts the earning unless one exists for the source; null when it did (a repeated call). */
  async insertEarning(m: EntityManager, e: Partial<PointEarningEntity>): Promise<PointEarningEntity | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO point_earning (member_id, store_id, kind, source_type, source_id, eligible_amount_fen, multiplier_bps, points)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (kind, source_type, source_id) DO NOTHING RETURNING id`,
      [e.memberId, e.storeId, e.kind, e.sourceType, e.sourceId, e.eligibleAmountFen, e.multiplierBps, e.points],
    );
    return rows.length ? m.findOneOrFail(PointEarningEntity, { where: { id: rows[0].id } }) : null;
  }

  async addReversed(m: EntityManager, earningId: string, points: number): Promise<void> {
    await m.query('UPDATE point_earning SET reversed_points = reversed_points + $2 WHERE id = $1', [earningId, points]);
  }

  async lockEarning(m: EntityManager, id: string): Promise<PointEarningEntity | null> {
    return m.getRepository(PointEarningEntity).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
  }

  insertAdjustment(m: EntityManager, a: Partial<PointAdjustmentEntity>): Promise<PointAdjustmentEntity> {
    return m.save(PointAdjustmentEntity, m.create(PointAdjustmentEntity, a));
  }

  insertExchange(m: EntityManager, e: Partial<PointExchangeEntity>): Promise<PointExchangeEntity> {
    return m.save(PointExchangeEntity, m.create(PointExchangeEntity, e));
  }
}
