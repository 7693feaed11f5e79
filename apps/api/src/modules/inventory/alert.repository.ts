import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StockAlertEntity, type StockAlertStatus } from './entities/stock-alert.entity';

export interface AlertLineRow {
  storeId: string;
  skuId: string;
  minQuantity: number;
  updatedAt: Date;
}

/** The only SQL over stock_alert_line and stock_alert. */
@Injectable()
export class AlertRepository {
  /** Lines of the (store, sku) pairs just moved: one indexed lookup per batch of moves. */
  async linesFor(m: EntityManager, pairs: { storeId: string; skuId: string }[]): Promise<AlertLineRow[]> {
    if (!pairs.length) return [];
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT l.store_id, l.sku_id, l.min_quantity, l.updated_at FROM stock_alert_line l
         JOIN unnest($1::uuid[], $2::uuid[]) AS p(store_id, sku_id) ON p.store_id = l.store_id AND p.sku_id = l.sku_id`,
      [pairs.map((p) => p.storeId), pairs.map((p) => p.skuId)],
    );
    return rows.map(toLineRow);
  }

  async listLines(m: EntityManager, storeId: string, offset: number, limit: number): Promise<[AlertLineRow[], number]> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM stock_alert_line WHERE store_id = $1', [storeId]);
    const rows: Record<string, unknown>[] = await m.query('SELECT * FROM stock_alert_line WHERE store_id = $1 ORDER BY sku_id OFFSET $2 LIMIT $3', [storeId, offset, limit]);
    return [rows.map(toLineRow), n];
  }

  async allLines(m: EntityManager, storeId: string): Promise<Map<string, number>> {
    const rows: { sku_id: string; min_quantity: number }[] = await m.query('SELECT sku_id, min_quantity FROM stock_alert_line WHERE store_id = $1', [storeId]);
    return new Map(rows.map((r) => [r.sku_id, r.min_quantity]));
  }

  async findLine(m: EntityManager, storeId: string, skuId: string): Promise<AlertLineRow | null> {
    const [row] = await m.query('SELECT * FROM stock_alert_line WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return row ? toLineRow(row) : null;
  }

  async upsertLine(m: EntityManager, storeId: string, skuId: string, minQuantity: number, staffId: string | null): Promise<void> {
    await m.query(
      `INSERT INTO stock_alert_line (store_id, sku_id, min_quantity, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id, sku_id) DO UPDATE SET min_quantity = EXCLUDED.min_quantity, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [storeId, skuId, minQuantity, staffId],
    );
  }

  async deleteLine(m: EntityManager, storeId: string, skuId: string): Promise<void> {
    await m.query('DELETE FROM stock_alert_line WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
  }

  /** Raises an alert unless one is open for the pair (partial unique index); the new alert's id, or null. */
  async raise(m: EntityManager, storeId: string, skuId: string, minQuantity: number, quantity: number): Promise<string | null> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO stock_alert (store_id, sku_id, min_quantity, quantity) VALUES ($1, $2, $3, $4)
       ON CONFLICT (store_id, sku_id) WHERE status = 'open' DO NOTHING RETURNING id`,
      [storeId, skuId, minQuantity, quantity],
    );
    return row?.id ?? null;
  }

  async resolve(m: EntityManager, storeId: string, skuId: string, resolution: 'restocked' | 'line_removed'): Promise<void> {
    await m.query(`UPDATE stock_alert SET status = 'resolved', resolved_at = now(), resolution = $3 WHERE store_id = $1 AND sku_id = $2 AND status = 'open'`, [
      storeId,
      skuId,
      resolution,
    ]);
  }

  async setNotified(m: EntityManager, id: string, count: number): Promise<void> {
    await m.query('UPDATE stock_alert SET notified_count = $2 WHERE id = $1', [id, count]);
  }

  async openSkus(m: EntityManager, storeId: string, skuIds: string[]): Promise<Set<string>> {
    const rows: { sku_id: string }[] = await m.query(`SELECT sku_id FROM stock_alert WHERE store_id = $1 AND sku_id = ANY($2::uuid[]) AND status = 'open'`, [storeId, skuIds]);
    return new Set(rows.map((r) => r.sku_id));
  }

  find(m: EntityManager, id: string): Promise<StockAlertEntity | null> {
    return m.getRepository(StockAlertEntity).findOne({ where: { id } });
  }

  async acknowledge(m: EntityManager, id: string, staffId: string): Promise<void> {
    await m.query('UPDATE stock_alert SET acknowledged_by = $2, acknowledged_at = now() WHERE id = $1 AND acknowledged_at IS NULL', [id, staffId]);
  }

  list(m: EntityManager, storeId: string, status: StockAlertStatus | undefined, offset: number, limit: number): Promise<[StockAlertEntity[], number]> {
    const qb = m.getRepository(StockAlertEntity).createQueryBuilder('a').where('a.store_id = :storeId', { storeId });
    if (status) qb.andWhere('a.status = :status', { status });
    return qb.orderBy('a.raised_at', 'DESC').addOrderBy('a.id').offset(offset).limit(limit).getManyAndCount();
  }
}

function toLineRow(r: Record<string, unknown>): AlertLineRow {
  return { storeId: r.store_id as string, skuId: r.sku_id as string, minQuantity: r.min_quantity as number, updatedAt: r.updated_at as Date };
}
