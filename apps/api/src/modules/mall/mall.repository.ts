import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { GiftEntity, MallRedemptionEntity, type GiftStatus, type RedemptionStatus } from './entities/mall.entity';

export interface GiftRow extends GiftEntity {
  stock: number | null;
}

export interface RedemptionRow extends MallRedemptionEntity {
  giftName: string;
}

export interface MovementRow {
  id: string;
  delta: number;
  quantityAfter: number;
  reason: string;
  note: string;
  refType: string | null;
  refId: string | null;
  createdAt: Date;
}

/** The only SQL over the mall's tables. */
@Injectable()
export class MallRepository {
  findGift(m: EntityManager, id: string): Promise<GiftEntity | null> {
    return m.findOne(GiftEntity, { where: { id } });
  }

  saveGift(m: EntityManager, gift: Partial<GiftEntity>): Promise<GiftEntity> {
    return m.save(GiftEntity, m.create(GiftEntity, gift));
  }

  async listGifts(
    m: EntityManager,
    f: { storeId?: string; status?: GiftStatus; category?: string; offset: number; limit: number },
  ): Promise<[GiftRow[], number]> {
    const qb = m.createQueryBuilder(GiftEntity, 'g');
    if (f.storeId) {
      qb.leftJoin('gift_stock', 'gs', 'gs.gift_id = g.id AND gs.store_id = :storeId', { storeId: f.storeId }).addSelect('COALESCE(gs.quantity, 0)', 'stock');
    }
    if (f.status) qb.andWhere('g.status = :status', { status: f.status });
    if (f.category) qb.andWhere('g.category = :category', { category: f.category });
    const total = await qb.getCount();
    const { entities, raw } = await qb.orderBy('g.sort_order', 'ASC').addOrderBy('g.created_at', 'DESC').offset(f.offset).limit(f.limit).getRawAndEntities();
    return [entities.map((g, i) => Object.assign(g, { stock: f.storeId ? Number((raw[i] as { stock: number }).stock) : null })), total];
  }

  async stockOf(m: EntityManager, giftId: string, storeId: string): Promise<number> {
    const rows: { quantity: number }[] = await m.query('SELECT quantity FROM gift_stock WHERE gift_id = $1 AND store_id = $2', [giftId, storeId]);
    return rows[0]?.quantity ?? 0;
  }

  async storeExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM store WHERE id = $1', [id])).length > 0;
  }

  /** The stock row of a gift at a store, created at 0 if missing, locked for this transaction. */
  async lockStock(m: EntityManager, giftId: string, storeId: string): Promise<number> {
    await m.query('INSERT INTO gift_stock (gift_id, store_id, quantity) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING', [giftId, storeId]);
    const [row]: { quantity: number }[] = await m.query('SELECT quantity FROM gift_stock WHERE gift_id = $1 AND store_id = $2 FOR UPDATE', [giftId, storeId]);
    return row.quantity;
  }

  /**
   * Moves the stock by `delta` only if it stays non-negative: the row lock of the UPDATE
   * serialises concurrent redemptions and the WHERE clause decides, so stock is never oversold.
   * Returns the new quantity, or null when there is not enough.
   */
  async moveStock(m: EntityManager, giftId: string, storeId: string, delta: number): Promise<number | null> {
    const [rows]: [{ quantity: number }[], number] = await m.query(
      'UPDATE gift_stock SET quantity = quantity + $3, updated_at = now() WHERE gift_id = $1 AND store_id = $2 AND quantity + $3 >= 0 RETURNING quantity',
      [giftId, storeId, delta],
    );
    return rows.length ? rows[0].quantity : null;
  }

  async insertMovement(
    m: EntityManager,
    mv: { giftId: string; storeId: string; delta: number; quantityAfter: number; reason: string; note?: string; refType?: string; refId?: string; operatorKind: string; operatorId: string | null },
  ): Promise<void> {
    await m.query(
      `INSERT INTO gift_stock_movement (gift_id, store_id, delta, quantity_after, reason, note, ref_type, ref_id, operator_kind, operator_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [mv.giftId, mv.storeId, mv.delta, mv.quantityAfter, mv.reason, mv.note ?? '', mv.refType ?? null, mv.refId ?? null, mv.operatorKind, mv.operatorId],
    );
  }

  /** Stores where the gift holds some of its own stock (gift_stock), locked: it cannot be linked to a SKU meanwhile. */
  async ownStockHeld(m: EntityManager, giftId: string): Promise<number> {
    const rows = await m.query('SELECT 1 FROM gift_stock WHERE gift_id = $1 AND quantity <> 0 FOR UPDATE', [giftId]);
    return rows.length;
  }

  /** Gifts that use a catalog SKU's stock. */
  async linkedGifts(m: EntityManager): Promise<{ giftId: string; giftName: string; skuId: string }[]> {
    const rows: { id: string; name: string; sku_id: string }[] = await m.query('SELECT id, name, sku_id FROM gift WHERE sku_id IS NOT NULL ORDER BY sort_order, name');
    return rows.map((r) => ({ giftId: r.id, giftName: r.name, skuId: r.sku_id }));
  }

  async storeStock(m: EntityManager, storeId: string): Promise<{ giftId: string; giftName: string; storeId: string; quantity: number; updatedAt: Date }[]> {
    const rows: { gift_id: string; name: string; store_id: string; quantity: number; updated_at: Date }[] = await m.query(
      'SELECT gs.gift_id, g.name, gs.store_id, gs.quantity, gs.updated_at FROM gift_stock gs JOIN gift g ON g.id = gs.gift_id WHERE gs.store_id = $1 AND g.sku_id IS NULL ORDER BY g.sort_order, g.name',
      [storeId],
    );
    return rows.map((r) => ({ giftId: r.gift_id, giftName: r.name, storeId: r.store_id, quantity: r.quantity, updatedAt: r.updated_at }));
  }

  async movements(m: EntityManager, giftId: string, storeId: string, offset: number, limit: number): Promise<[MovementRow[], number]> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM gift_stock_movement WHERE gift_id = $1 AND store_id = $2', [giftId, storeId]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id, delta, quantity_after, reason, note, ref_type, ref_id, created_at FROM gift_stock_movement
        WHERE gift_id = $1 AND store_id = $2 ORDER BY id DESC OFFSET $3 LIMIT $4`,
      [giftId, storeId, offset, limit],
    );
    return [
      rows.map((r) => ({
        id: String(r.id),
        delta: r.delta as number,
        quantityAfter: r.quantity_after as number,
        reason: r.reason as string,
        note: r.note as string,
        refType: (r.ref_type as string) ?? null,
        refId: (r.ref_id as string) ?? null,
        createdAt: r.created_at as Date,
      })),
      n,
    ];
  }

  async activeRedemptions(m: EntityManager, memberId: string, giftId: string): Promise<number> {
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM mall_redemption WHERE member_id = $1 AND gift_id = $2 AND status <> 'cancelled'`, [memberId, giftId]);
    return n;
  }

  /** Inserts the redemption unless its pickup code collides with an open one; false on collision. */
  async insertRedemption(m: EntityManager, r: Partial<MallRedemptionEntity>): Promise<boolean> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO mall_redemption (id, member_id, gift_id, store_id, points, cash_fen, payment_method, pickup_code, created_by_kind, created_by_id, sku_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (pickup_code) WHERE status = 'pending' DO NOTHING RETURNING id`,
      [r.id, r.memberId, r.giftId, r.storeId, r.points, r.cashFen, r.paymentMethod, r.pickupCode, r.createdByKind, r.createdById, r.skuId ?? null],
    );
    return rows.length > 0;
  }

  /** Hands the gift over: only an open redemption of that store with that code. */
  async fulfil(m: EntityManager, storeId: string, code: string, staffId: string): Promise<string | null> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE mall_redemption SET status = 'fulfilled', fulfilled_at = now(), fulfilled_by_staff_id = $3
        WHERE store_id = $1 AND pickup_code = $2 AND status = 'pending' RETURNING id`,
      [storeId, code, staffId],
    );
    return rows[0]?.id ?? null;
  }

  /** Cancels an open redemption (of this member, when given); the status check makes a second cancel a no-op. */
  async cancel(m: EntityManager, id: string, memberId: string | null, by: { kind: string; id: string | null }, reason: string | null): Promise<boolean> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE mall_redemption SET status = 'cancelled', cancelled_at = now(), cancelled_by_kind = $3, cancelled_by_id = $4, cancel_reason = $5
        WHERE id = $1 AND status = 'pending' AND ($2::uuid IS NULL OR member_id = $2) RETURNING id`,
      [id, memberId, by.kind, by.id, reason],
    );
    return rows.length > 0;
  }

  async findRedemption(m: EntityManager, id: string, memberId?: string): Promise<RedemptionRow | null> {
    const qb = this.redemptionQuery(m).where('r.id = :id', { id });
    if (memberId) qb.andWhere('r.member_id = :memberId', { memberId });
    const { entities, raw } = await qb.getRawAndEntities();
    return entities[0] ? Object.assign(entities[0], { giftName: (raw[0] as { gift_name: string }).gift_name }) : null;
  }

  async listRedemptions(
    m: EntityManager,
    f: { storeId?: string; memberId?: string; status?: RedemptionStatus; offset: number; limit: number },
  ): Promise<[RedemptionRow[], number]> {
    const qb = this.redemptionQuery(m);
    if (f.storeId) qb.andWhere('r.store_id = :storeId', { storeId: f.storeId });
    if (f.memberId) qb.andWhere('r.member_id = :memberId', { memberId: f.memberId });
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    const total = await qb.getCount();
    const { entities, raw } = await qb.orderBy('r.created_at', 'DESC').addOrderBy('r.id', 'DESC').offset(f.offset).limit(f.limit).getRawAndEntities();
    return [entities.map((e, i) => Object.assign(e, { giftName: (raw[i] as { gift_name: string }).gift_name })), total];
  }

  private redemptionQuery(m: EntityManager) {
    return m.createQueryBuilder(MallRedemptionEntity, 'r').innerJoin('r.gift', 'g').addSelect('g.name', 'gift_name');
  }
}
