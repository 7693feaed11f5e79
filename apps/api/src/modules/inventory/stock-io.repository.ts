import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StockIoEntity, type StockIoDirection, type StockIoStatus } from './entities/stock-io.entity';

export interface StockIoLineRow {
  skuId: string;
  quantity: number;
  unitCostFen: number | null;
}

/** The only SQL over stock_io and its lines. */
@Injectable()
export class StockIoRepository {
  async insert(m: EntityManager, io: Partial<StockIoEntity>, lines: StockIoLineRow[]): Promise<StockIoEntity> {
    const saved = await m.getRepository(StockIoEntity).save(io);
    await m.query(
      `INSERT INTO stock_io_line (stock_io_id, sku_id, quantity, unit_cost_fen) SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::bigint[])`,
      [saved.id, lines.map((l) => l.skuId), lines.map((l) => l.quantity), lines.map((l) => l.unitCostFen)],
    );
    return saved;
  }

  find(m: EntityManager, id: string): Promise<StockIoEntity | null> {
    return m.getRepository(StockIoEntity).findOne({ where: { id } });
  }

  /** The document under a row lock: an approval and a cancellation cannot both win. */
  lock(m: EntityManager, id: string): Promise<StockIoEntity | null> {
    return m.getRepository(StockIoEntity).createQueryBuilder('io').where('io.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  async update(m: EntityManager, id: string, patch: Partial<Pick<StockIoEntity, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote' | 'postedAt' | 'valueFen'>>): Promise<void> {
    await m.getRepository(StockIoEntity).update({ id }, patch);
  }

  async lines(m: EntityManager, ids: string[]): Promise<Map<string, StockIoLineRow[]>> {
    const out = new Map<string, StockIoLineRow[]>(ids.map((id) => [id, []]));
    if (!ids.length) return out;
    const rows: Record<string, unknown>[] = await m.query('SELECT stock_io_id, sku_id, quantity, unit_cost_fen FROM stock_io_line WHERE stock_io_id = ANY($1::uuid[]) ORDER BY sku_id', [ids]);
    for (const r of rows) {
      out.get(r.stock_io_id as string)!.push({ skuId: r.sku_id as string, quantity: r.quantity as number, unitCostFen: r.unit_cost_fen === null ? null : Number(r.unit_cost_fen) });
    }
    return out;
  }

  list(m: EntityManager, storeId: string, f: { status?: StockIoStatus; direction?: StockIoDirection }, offset: number, limit: number): Promise<[StockIoEntity[], number]> {
    const qb = m.getRepository(StockIoEntity).createQueryBuilder('io').where('io.store_id = :storeId', { storeId });
    if (f.status) qb.andWhere('io.status = :status', { status: f.status });
    if (f.direction) qb.andWhere('io.direction = :direction', { direction: f.direction });
    return qb.orderBy('io.created_at', 'DESC').addOrderBy('io.id').offset(offset).limit(limit).getManyAndCount();
  }
}
