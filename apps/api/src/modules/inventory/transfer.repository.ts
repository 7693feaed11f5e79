import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TransferLineState } from './domain/transfer';
import { TransferEntity, type TransferStatus } from './entities/transfer.entity';

export interface TransferRow extends TransferEntity {
  fromStoreCode: string;
  fromStoreName: string;
  toStoreCode: string;
  toStoreName: string;
}

export interface TransferLineRow extends TransferLineState {
  unitCostFen: number | null;
  differenceNote: string;
}

export interface InTransitRow {
  transferId: string;
  transferNo: string;
  fromStoreId: string;
  fromStoreName: string;
  toStoreId: string;
  toStoreName: string;
  skuId: string;
  quantity: number;
  unitCostFen: number;
  shippedAt: Date;
}

const WITH_STORES = `SELECT t.*, fs.code AS from_code, fs.name AS from_name, ts.code AS to_code, ts.name AS to_name
  FROM transfer t JOIN store fs ON fs.id = t.from_store_id JOIN store ts ON ts.id = t.to_store_id`;

function toTransferRow(r: Record<string, unknown>): TransferRow {
  return {
    id: r.id as string,
    no: r.no as string,
    fromStoreId: r.from_store_id as string,
    toStoreId: r.to_store_id as string,
    fromStoreCode: r.from_code as string,
    fromStoreName: r.from_name as string,
    toStoreCode: r.to_code as string,
    toStoreName: r.to_name as string,
    status: r.status as TransferStatus,
    note: r.note as string,
    requestedBy: (r.requested_by as string) ?? null,
    approvedBy: (r.approved_by as string) ?? null,
    approvedAt: (r.approved_at as Date) ?? null,
    shippedBy: (r.shipped_by as string) ?? null,
    shippedAt: (r.shipped_at as Date) ?? null,
    receivedBy: (r.received_by as string) ?? null,
    receivedAt: (r.received_at as Date) ?? null,
    closingNote: r.closing_note as string,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** The only SQL over transfers and their lines. */
@Injectable()
export class TransferRepository {
  async insert(m: EntityManager, t: Partial<TransferEntity>, lines: { skuId: string; quantity: number }[]): Promise<string> {
    const saved = await m.getRepository(TransferEntity).save(t);
    await m.query(
      `INSERT INTO transfer_line (transfer_id, sku_id, requested_quantity, sort_order)
       SELECT $1, sku_id, quantity, ord - 1 FROM unnest($2::uuid[], $3::int[]) WITH ORDINALITY AS l(sku_id, quantity, ord)`,
      [saved.id, lines.map((l) => l.skuId), lines.map((l) => l.quantity)],
    );
    return saved.id;
  }

  async storeExists(m: EntityManager, storeId: string): Promise<boolean> {
    const rows = await m.query('SELECT 1 FROM store WHERE id = $1', [storeId]);
    return rows.length > 0;
  }

  /** The transfer under a row lock: its steps take turns (and a ship cannot race a cancel). */
  lock(m: EntityManager, id: string): Promise<TransferEntity | null> {
    return m.getRepository(TransferEntity).createQueryBuilder('t').where('t.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  async update(m: EntityManager, id: string, patch: Partial<TransferEntity>): Promise<void> {
    await m.getRepository(TransferEntity).update({ id }, patch);
  }

  async find(m: EntityManager, id: string): Promise<TransferRow | null> {
    const [row] = await m.query(`${WITH_STORES} WHERE t.id = $1`, [id]);
    return row ? toTransferRow(row) : null;
  }

  async list(m: EntityManager, storeId: string, f: { status?: TransferStatus; direction?: 'in' | 'out' | 'all' }, offset: number, limit: number): Promise<[TransferRow[], number]> {
    const params: unknown[] = [storeId];
    const side = f.direction === 'in' ? 't.to_store_id = $1' : f.direction === 'out' ? 't.from_store_id = $1' : '(t.from_store_id = $1 OR t.to_store_id = $1)';
    const where = [side];
    if (f.status) where.push(`t.status = $${params.push(f.status)}`);
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM transfer t WHERE ${where.join(' AND ')}`, params);
    const rows: Record<string, unknown>[] = await m.query(`${WITH_STORES} WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC, t.id OFFSET $${params.length + 1} LIMIT $${params.length + 2}`, [
      ...params,
      offset,
      limit,
    ]);
    return [rows.map(toTransferRow), n];
  }

  async lines(m: EntityManager, ids: string[]): Promise<Map<string, TransferLineRow[]>> {
    const out = new Map<string, TransferLineRow[]>(ids.map((id) => [id, []]));
    if (!ids.length) return out;
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT transfer_id, sku_id, requested_quantity, approved_quantity, shipped_quantity, received_quantity, unit_cost_fen, difference_note
         FROM transfer_line WHERE transfer_id = ANY($1::uuid[]) ORDER BY sort_order, sku_id`,
      [ids],
    );
    for (const r of rows) {
      out.get(r.transfer_id as string)!.push({
        skuId: r.sku_id as string,
        requestedQuantity: r.requested_quantity as number,
        approvedQuantity: (r.approved_quantity as number) ?? null,
        shippedQuantity: (r.shipped_quantity as number) ?? null,
        receivedQuantity: (r.received_quantity as number) ?? null,
        unitCostFen: r.unit_cost_fen === null ? null : Number(r.unit_cost_fen),
        differenceNote: r.difference_note as string,
      });
    }
    return out;
  }

  async setApproved(m: EntityManager, id: string, quantities: Map<string, number>): Promise<void> {
    await m.query(
      `UPDATE transfer_line l SET approved_quantity = q.n FROM unnest($2::uuid[], $3::int[]) AS q(sku_id, n) WHERE l.transfer_id = $1 AND l.sku_id = q.sku_id`,
      [id, [...quantities.keys()], [...quantities.values()]],
    );
  }

  async setShipped(m: EntityManager, id: string, lines: { skuId: string; quantity: number; unitCostFen: number | null }[]): Promise<void> {
    await m.query(
      `UPDATE transfer_line l SET shipped_quantity = q.n, unit_cost_fen = q.cost
         FROM unnest($2::uuid[], $3::int[], $4::bigint[]) AS q(sku_id, n, cost) WHERE l.transfer_id = $1 AND l.sku_id = q.sku_id`,
      [id, lines.map((l) => l.skuId), lines.map((l) => l.quantity), lines.map((l) => l.unitCostFen)],
    );
  }

  async setReceived(m: EntityManager, id: string, lines: { skuId: string; quantity: number; note: string }[]): Promise<void> {
    await m.query(
      `UPDATE transfer_line l SET received_quantity = q.n, difference_note = q.note
         FROM unnest($2::uuid[], $3::int[], $4::text[]) AS q(sku_id, n, note) WHERE l.transfer_id = $1 AND l.sku_id = q.sku_id`,
      [id, lines.map((l) => l.skuId), lines.map((l) => l.quantity), lines.map((l) => l.note)],
    );
  }

  /** Lines on the road: of transfers in transit, to or from a store (or everywhere), oldest first. */
  async inTransit(m: EntityManager, storeId: string | null): Promise<InTransitRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT t.id, t.no, t.from_store_id, fs.name AS from_name, t.to_store_id, ts.name AS to_name, l.sku_id, l.shipped_quantity, l.unit_cost_fen, t.shipped_at
         FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id JOIN store fs ON fs.id = t.from_store_id JOIN store ts ON ts.id = t.to_store_id
        WHERE t.status = 'in_transit' AND l.shipped_quantity > 0 AND ($1::uuid IS NULL OR $1 IN (t.from_store_id, t.to_store_id))
        ORDER BY t.shipped_at, t.id, l.sort_order`,
      [storeId],
    );
    return rows.map((r) => ({
      transferId: r.id as string,
      transferNo: r.no as string,
      fromStoreId: r.from_store_id as string,
      fromStoreName: r.from_name as string,
      toStoreId: r.to_store_id as string,
      toStoreName: r.to_name as string,
      skuId: r.sku_id as string,
      quantity: r.shipped_quantity as number,
      unitCostFen: Number(r.unit_cost_fen ?? 0),
      shippedAt: r.shipped_at as Date,
    }));
  }

  /** Units on their way to a store, per SKU. */
  async incoming(m: EntityManager, storeId: string): Promise<Map<string, number>> {
    const rows: { sku_id: string; n: number }[] = await m.query(
      `SELECT l.sku_id, sum(l.shipped_quantity)::int AS n FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id
        WHERE t.status = 'in_transit' AND t.to_store_id = $1 GROUP BY l.sku_id`,
      [storeId],
    );
    return new Map(rows.map((r) => [r.sku_id, r.n]));
  }

  /** Per store: units and value at cost shipped to it and not yet received. */
  async incomingByStore(m: EntityManager): Promise<Map<string, { quantity: number; valueFen: number }>> {
    const rows: { store_id: string; n: string; v: string }[] = await m.query(
      `SELECT t.to_store_id AS store_id, sum(l.shipped_quantity) AS n, sum(l.shipped_quantity * COALESCE(l.unit_cost_fen, 0)) AS v
         FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id WHERE t.status = 'in_transit' GROUP BY t.to_store_id`,
    );
    return new Map(rows.map((r) => [r.store_id, { quantity: Number(r.n), valueFen: Number(r.v) }]));
  }
}
