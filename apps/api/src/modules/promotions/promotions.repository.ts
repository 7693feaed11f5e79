import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FlashSaleTakeEntity, PromotionEntity, type PromotionKind, type PromotionStatus } from './entities/promotion.entity';

/** The only SQL over the promotion tables. */
@Injectable()
export class PromotionsRepository {
  list(
    m: EntityManager,
    f: { kind?: PromotionKind; status?: PromotionStatus; storeId?: string; reachableStoreIds?: string[]; offset: number; limit: number },
  ): Promise<[PromotionEntity[], number]> {
    const qb = m.createQueryBuilder(PromotionEntity, 'p');
    if (f.reachableStoreIds) qb.andWhere(`(p.store_ids = '{}' OR p.store_ids && :reachable::uuid[])`, { reachable: f.reachableStoreIds });
    if (f.kind) qb.andWhere('p.kind = :kind', { kind: f.kind });
    if (f.status) qb.andWhere('p.status = :status', { status: f.status });
    if (f.storeId) qb.andWhere(`(p.store_ids = '{}' OR :storeId = ANY(p.store_ids))`, { storeId: f.storeId });
    return qb.orderBy('p.priority', 'DESC').addOrderBy('p.created_at', 'DESC').addOrderBy('p.id', 'ASC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  get(m: EntityManager, id: string): Promise<PromotionEntity | null> {
    return m.findOne(PromotionEntity, { where: { id } });
  }

  lock(m: EntityManager, id: string): Promise<PromotionEntity | null> {
    return m.createQueryBuilder(PromotionEntity, 'p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
  }

  save(m: EntityManager, p: Partial<PromotionEntity>): Promise<PromotionEntity> {
    return m.save(PromotionEntity, m.create(PromotionEntity, p));
  }

  async missingStores(m: EntityManager, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await m.query('SELECT id FROM store WHERE id = ANY($1::uuid[])', [ids]);
    return ids.filter((id) => !rows.some((r) => r.id === id));
  }

  /** Active promotions of this store whose window holds `at`; days and hours are the engine's to check. */
  forStore(m: EntityManager, storeId: string, at: Date): Promise<PromotionEntity[]> {
    return m
      .createQueryBuilder(PromotionEntity, 'p')
      .where(`p.status = 'active'`)
      .andWhere(`(p.store_ids = '{}' OR :storeId = ANY(p.store_ids))`, { storeId })
      .andWhere('(p.starts_at IS NULL OR p.starts_at <= :at) AND (p.ends_at IS NULL OR p.ends_at > :at)', { at })
      .orderBy('p.id')
      .getMany();
  }

  async memberUnits(m: EntityManager, memberId: string, promotionIds: string[]): Promise<Map<string, number>> {
    if (!promotionIds.length) return new Map();
    const rows: { promotion_id: string; quantity: number }[] = await m.query(
      'SELECT promotion_id, quantity FROM flash_sale_member WHERE member_id = $1 AND promotion_id = ANY($2::uuid[])',
      [memberId, promotionIds],
    );
    return new Map(rows.map((r) => [r.promotion_id, r.quantity]));
  }

  /**
   * Takes `n` units of a flash sale's own stock only if they are there: the row lock of the UPDATE
   * serialises concurrent orders and the WHERE decides, so the last unit goes to one order only.
   */
  async takeStock(m: EntityManager, promotionId: string, n: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE promotion SET flash_sold = flash_sold + $2, updated_at = now() WHERE id = $1 AND kind = 'flash_sale' AND flash_sold + $2 <= flash_stock`,
      [promotionId, n],
    );
    return affected === 1;
  }

  async giveBackStock(m: EntityManager, promotionId: string, n: number): Promise<void> {
    await m.query(`UPDATE promotion SET flash_sold = flash_sold - $2, updated_at = now() WHERE id = $1`, [promotionId, n]);
  }

  /**
   * Counts `n` more units for the member only if the limit allows it. A first purchase inserts the
   * row; a concurrent first purchase waits on the primary key, then updates under the same WHERE.
   */
  async addMemberUnits(m: EntityManager, promotionId: string, memberId: string, n: number, limit: number | null): Promise<boolean> {
    if (limit !== null && n > limit) return false;
    const rows: unknown[] = await m.query(
      `INSERT INTO flash_sale_member (promotion_id, member_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT (promotion_id, member_id) DO UPDATE SET quantity = flash_sale_member.quantity + EXCLUDED.quantity
        WHERE $4::int IS NULL OR flash_sale_member.quantity + EXCLUDED.quantity <= $4::int
       RETURNING quantity`,
      [promotionId, memberId, n, limit],
    );
    return rows.length === 1;
  }

  async giveBackMemberUnits(m: EntityManager, promotionId: string, memberId: string, n: number): Promise<void> {
    await m.query('UPDATE flash_sale_member SET quantity = quantity - $3 WHERE promotion_id = $1 AND member_id = $2', [promotionId, memberId, n]);
  }

  async insertTakes(m: EntityManager, rows: Partial<FlashSaleTakeEntity>[]): Promise<void> {
    if (rows.length) await m.insert(FlashSaleTakeEntity, rows);
  }

  /** An order's takes, locked in id order: concurrent refunds of one order give units back one at a time. */
  lockTakes(m: EntityManager, orderId: string): Promise<FlashSaleTakeEntity[]> {
    return m.createQueryBuilder(FlashSaleTakeEntity, 't').setLock('pessimistic_write').where('t.order_id = :orderId', { orderId }).orderBy('t.id').getMany();
  }

  async release(m: EntityManager, takeId: string, n: number): Promise<void> {
    await m.query('UPDATE flash_sale_take SET released_quantity = released_quantity + $2 WHERE id = $1', [takeId, n]);
  }
}
