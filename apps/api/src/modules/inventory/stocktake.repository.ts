import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StocktakeEntity, type StocktakeStatus } from './entities/stocktake.entity';

export interface StocktakeLineRow {
  skuId: string;
  snapshotQuantity: number;
  snapshotCostFen: number;
  countedQuantity: number | null;
  expectedQuantity: number | null;
  countedAt: Date | null;
  postedDelta: number | null;
  postedCostFen: number | null;
}

export interface StocktakeTotalsRow {
  lines: number;
  countedLines: number;
  gainQuantity: number;
  gainValueFen: number;
  lossQuantity: number;
  lossValueFen: number;
  snapshotValueFen: number;
}

export type LineFilter = 'all' | 'counted' | 'uncounted' | 'variance';

const LINE_FILTERS: Record<LineFilter, string> = {
  all: 'true',
  counted: 'counted_quantity IS NOT NULL',
  uncounted: 'counted_quantity IS NULL',
  variance: 'counted_quantity IS NOT NULL AND counted_quantity <> expected_quantity',
};

function toLine(r: Record<string, unknown>): StocktakeLineRow {
  return {
    skuId: r.sku_id as string,
    snapshotQuantity: r.snapshot_quantity as number,
    snapshotCostFen: Number(r.snapshot_cost_fen),
    countedQuantity: (r.counted_quantity as number) ?? null,
    expectedQuantity: (r.expected_quantity as number) ?? null,
    countedAt: (r.counted_at as Date) ?? null,
    postedDelta: (r.posted_delta as number) ?? null,
    postedCostFen: r.posted_cost_fen === null ? null : Number(r.posted_cost_fen),
  };
}

/** The only SQL over stocktakes, their lines and count entries. */
@Injectable()
export class StocktakeRepository {
  /** Inserts the stocktake and its snapshot lines (one row per SKU in scope). */
  async insert(m: EntityManager, st: Partial<StocktakeEntity>, snapshot: { skuId: string; quantity: number; avgCostFen: number }[]): Promise<StocktakeEntity> {
    const saved = await m.getRepository(StocktakeEntity).save(st);
    await m.query(
      `INSERT INTO stocktake_line (stocktake_id, sku_id, snapshot_quantity, snapshot_cost_fen) SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::bigint[])`,
      [saved.id, snapshot.map((l) => l.skuId), snapshot.map((l) => l.quantity), snapshot.map((l) => l.avgCostFen)],
    );
    return saved;
  }

  find(m: EntityManager, id: string): Promise<StocktakeEntity | null> {
    return m.getRepository(StocktakeEntity).findOne({ where: { id } });
  }

  /**
   * The stocktake under a row lock: counts take it shared (batches from several handhelds run side
   * by side, each line's own UPDATE serialising them), posting and cancelling take it exclusively
   * and so wait for counts in flight, and no count lands after the posting.
   */
  lock(m: EntityManager, id: string, mode: 'share' | 'update'): Promise<StocktakeEntity | null> {
    return m
      .getRepository(StocktakeEntity)
      .createQueryBuilder('st')
      .where('st.id = :id', { id })
      .setLock(mode === 'share' ? 'pessimistic_read' : 'pessimistic_write')
      .getOne();
  }

  async update(m: EntityManager, id: string, patch: Partial<Pick<StocktakeEntity, 'status' | 'closedBy' | 'closedAt' | 'uncounted'>>): Promise<void> {
    await m.getRepository(StocktakeEntity).update({ id }, patch);
  }

  list(m: EntityManager, storeId: string, status: StocktakeStatus | undefined, offset: number, limit: number): Promise<[StocktakeEntity[], number]> {
    const qb = m.getRepository(StocktakeEntity).createQueryBuilder('st').where('st.store_id = :storeId', { storeId });
    if (status) qb.andWhere('st.status = :status', { status });
    return qb.orderBy('st.created_at', 'DESC').addOrderBy('st.id').offset(offset).limit(limit).getManyAndCount();
  }

  /** Lines of these SKUs (absent ones are not in the stocktake), locked for update in SKU order. */
  async lockLines(m: EntityManager, id: string, skuIds: string[]): Promise<Map<string, StocktakeLineRow>> {
    const rows: Record<string, unknown>[] = await m.query(
      'SELECT * FROM stocktake_line WHERE stocktake_id = $1 AND sku_id = ANY($2::uuid[]) ORDER BY sku_id FOR UPDATE',
      [id, skuIds],
    );
    return new Map(rows.map((r) => [r.sku_id as string, toLine(r)]));
  }

  async allLines(m: EntityManager, id: string): Promise<StocktakeLineRow[]> {
    const rows: Record<string, unknown>[] = await m.query('SELECT * FROM stocktake_line WHERE stocktake_id = $1 ORDER BY sku_id', [id]);
    return rows.map(toLine);
  }

  async lines(m: EntityManager, id: string, filter: LineFilter, offset: number, limit: number): Promise<[StocktakeLineRow[], number]> {
    const where = `stocktake_id = $1 AND ${LINE_FILTERS[filter]}`;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM stocktake_line WHERE ${where}`, [id]);
    const rows: Record<string, unknown>[] = await m.query(`SELECT * FROM stocktake_line WHERE ${where} ORDER BY sku_id OFFSET $2 LIMIT $3`, [id, offset, limit]);
    return [rows.map(toLine), n];
  }

  async setCount(m: EntityManager, id: string, skuId: string, counted: number, expected: number): Promise<void> {
    await m.query('UPDATE stocktake_line SET counted_quantity = $3, expected_quantity = $4, counted_at = now() WHERE stocktake_id = $1 AND sku_id = $2', [id, skuId, counted, expected]);
  }

  async insertCounts(m: EntityManager, id: string, staffId: string | null, entries: { skuId: string; mode: 'add' | 'set'; quantity: number; countedAfter: number; expected: number }[]): Promise<void> {
    await m.query(
      `INSERT INTO stocktake_count (stocktake_id, sku_id, mode, quantity, counted_after, expected_quantity, staff_id)
       SELECT $1, sku_id, mode, quantity, counted_after, expected, $2 FROM unnest($3::uuid[], $4::text[], $5::int[], $6::int[], $7::int[]) AS e(sku_id, mode, quantity, counted_after, expected)`,
      [id, staffId, entries.map((e) => e.skuId), entries.map((e) => e.mode), entries.map((e) => e.quantity), entries.map((e) => e.countedAfter), entries.map((e) => e.expected)],
    );
  }

  async setPosted(m: EntityManager, id: string, lines: { skuId: string; delta: number; unitCostFen: number }[]): Promise<void> {
    if (!lines.length) return;
    await m.query(
      `UPDATE stocktake_line l SET posted_delta = q.delta, posted_cost_fen = q.cost
         FROM unnest($2::uuid[], $3::int[], $4::bigint[]) AS q(sku_id, delta, cost) WHERE l.stocktake_id = $1 AND l.sku_id = q.sku_id`,
      [id, lines.map((l) => l.skuId), lines.map((l) => l.delta), lines.map((l) => l.unitCostFen)],
    );
  }

  /**
   * The variance report's totals. Variances are valued at the cost they were posted at, and while
   * open at the snapshot's cost. Once posted, what posting did is the variance (uncounted lines
   * zeroed included).
   */
  async totals(m: EntityManager, ids: string[]): Promise<Map<string, StocktakeTotalsRow>> {
    if (!ids.length) return new Map();
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT stocktake_id, count(*)::int AS lines, count(counted_quantity)::int AS counted,
              COALESCE(sum(GREATEST(v, 0)), 0)::bigint AS gain_q, COALESCE(sum(GREATEST(v, 0) * cost), 0)::bigint AS gain_v,
              COALESCE(sum(GREATEST(-v, 0)), 0)::bigint AS loss_q, COALESCE(sum(GREATEST(-v, 0) * cost), 0)::bigint AS loss_v,
              COALESCE(sum(snapshot_quantity * snapshot_cost_fen), 0)::bigint AS snapshot_v
         FROM (SELECT *, COALESCE(posted_delta, counted_quantity - expected_quantity) AS v, COALESCE(posted_cost_fen, snapshot_cost_fen) AS cost
                 FROM stocktake_line WHERE stocktake_id = ANY($1::uuid[])) l
        GROUP BY stocktake_id`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.stocktake_id as string,
        {
          lines: r.lines as number,
          countedLines: r.counted as number,
          gainQuantity: Number(r.gain_q),
          gainValueFen: Number(r.gain_v),
          lossQuantity: Number(r.loss_q),
          lossValueFen: Number(r.loss_v),
          snapshotValueFen: Number(r.snapshot_v),
        },
      ]),
    );
  }
}
