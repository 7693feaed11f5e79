import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrderLineState } from './domain/purchase';
import { PurchaseOrderEntity, type PurchaseOrderStatus } from './entities/purchase.entity';

export interface PurchaseOrderRow extends PurchaseOrderEntity {
  supplierName: string;
  orderedFen: number;
  receivedFen: number;
  returnedFen: number;
}

export interface DocumentRow {
  id: string;
  no: string;
  text: string;
  createdBy: string | null;
  createdAt: Date;
  lines: { skuId: string; quantity: number; unitCostFen: number }[];
}

// expected_date as text: node-postgres would turn a date into a local-midnight Date.
const SUMMARY = `SELECT po.*, to_char(po.expected_date, 'YYYY-MM-DD') AS expected_day, s.name AS supplier_name,
    (SELECT COALESCE(sum(l.quantity * l.unit_cost_fen), 0) FROM purchase_order_line l WHERE l.purchase_order_id = po.id)::bigint AS ordered_fen,
    (SELECT COALESCE(sum(rl.quantity * rl.unit_cost_fen), 0) FROM purchase_receipt r JOIN purchase_receipt_line rl ON rl.receipt_id = r.id WHERE r.purchase_order_id = po.id)::bigint AS received_fen,
    (SELECT COALESCE(sum(tl.quantity * tl.unit_cost_fen), 0) FROM purchase_return t JOIN purchase_return_line tl ON tl.return_id = t.id WHERE t.purchase_order_id = po.id)::bigint AS returned_fen
  FROM purchase_order po JOIN supplier s ON s.id = po.supplier_id`;

function toOrderRow(r: Record<string, unknown>): PurchaseOrderRow {
  return {
    id: r.id as string,
    no: r.no as string,
    storeId: r.store_id as string,
    supplierId: r.supplier_id as string,
    supplierName: r.supplier_name as string,
    status: r.status as PurchaseOrderStatus,
    expectedDate: (r.expected_day as string) ?? null,
    note: r.note as string,
    source: r.source as string,
    createdBy: (r.created_by as string) ?? null,
    orderedAt: (r.ordered_at as Date) ?? null,
    finishedAt: (r.finished_at as Date) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    orderedFen: Number(r.ordered_fen),
    receivedFen: Number(r.received_fen),
    returnedFen: Number(r.returned_fen),
  };
}

/** The only SQL over purchase orders, their lines, receipts and returns. */
@Injectable()
export class PurchaseRepository {
  insertOrder(m: EntityManager, po: Partial<PurchaseOrderEntity>): Promise<PurchaseOrderEntity> {
    return m.getRepository(PurchaseOrderEntity).save(po);
  }

  async updateOrder(m: EntityManager, id: string, patch: Partial<Pick<PurchaseOrderEntity, 'status' | 'supplierId' | 'expectedDate' | 'note' | 'orderedAt' | 'finishedAt'>>): Promise<void> {
    await m.getRepository(PurchaseOrderEntity).update({ id }, patch);
  }

  /** The order under a row lock: receipts, returns and status changes of one order take turns. */
  async lockOrder(m: EntityManager, id: string): Promise<PurchaseOrderEntity | null> {
    return m.getRepository(PurchaseOrderEntity).createQueryBuilder('po').where('po.id = :id', { id }).setLock('pessimistic_write').getOne();
  }

  async findOrder(m: EntityManager, id: string): Promise<PurchaseOrderRow | null> {
    const [row] = await m.query(`${SUMMARY} WHERE po.id = $1`, [id]);
    return row ? toOrderRow(row) : null;
  }

  async listOrders(m: EntityManager, storeId: string, f: { status?: PurchaseOrderStatus; supplierId?: string }, offset: number, limit: number): Promise<[PurchaseOrderRow[], number]> {
    const params: unknown[] = [storeId];
    const where = ['po.store_id = $1'];
    if (f.status) where.push(`po.status = $${params.push(f.status)}`);
    if (f.supplierId) where.push(`po.supplier_id = $${params.push(f.supplierId)}`);
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM purchase_order po WHERE ${where.join(' AND ')}`, params);
    const rows: Record<string, unknown>[] = await m.query(`${SUMMARY} WHERE ${where.join(' AND ')} ORDER BY po.created_at DESC, po.id OFFSET $${params.length + 1} LIMIT $${params.length + 2}`, [...params, offset, limit]);
    return [rows.map(toOrderRow), n];
  }

  async lines(m: EntityManager, orderId: string): Promise<OrderLineState[]> {
    const rows: Record<string, unknown>[] = await m.query(
      'SELECT sku_id, quantity, unit_cost_fen, received_quantity, returned_quantity FROM purchase_order_line WHERE purchase_order_id = $1 ORDER BY sort_order, sku_id',
      [orderId],
    );
    return rows.map((r) => ({
      skuId: r.sku_id as string,
      quantity: r.quantity as number,
      unitCostFen: Number(r.unit_cost_fen),
      receivedQuantity: r.received_quantity as number,
      returnedQuantity: r.returned_quantity as number,
    }));
  }

  async replaceLines(m: EntityManager, orderId: string, lines: { skuId: string; quantity: number; unitCostFen: number }[]): Promise<void> {
    await m.query('DELETE FROM purchase_order_line WHERE purchase_order_id = $1', [orderId]);
    await m.query(
      `INSERT INTO purchase_order_line (purchase_order_id, sku_id, quantity, unit_cost_fen, sort_order)
       SELECT $1, sku_id, quantity, unit_cost_fen, ord - 1 FROM unnest($2::uuid[], $3::int[], $4::bigint[]) WITH ORDINALITY AS l(sku_id, quantity, unit_cost_fen, ord)`,
      [orderId, lines.map((l) => l.skuId), lines.map((l) => l.quantity), lines.map((l) => l.unitCostFen)],
    );
  }

  /**
   * Adds received units to a line unless that passes the ordered quantity: the WHERE decides (the
   * order row lock already serialises receipts; this is the last line of defence with the CHECK).
   */
  async addReceived(m: EntityManager, orderId: string, skuId: string, quantity: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE purchase_order_line SET received_quantity = received_quantity + $3
        WHERE purchase_order_id = $1 AND sku_id = $2 AND received_quantity + $3 <= quantity`,
      [orderId, skuId, quantity],
    );
    return affected === 1;
  }

  async addReturned(m: EntityManager, orderId: string, skuId: string, quantity: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE purchase_order_line SET returned_quantity = returned_quantity + $3
        WHERE purchase_order_id = $1 AND sku_id = $2 AND returned_quantity + $3 <= received_quantity`,
      [orderId, skuId, quantity],
    );
    return affected === 1;
  }

  async insertReceipt(
    m: EntityManager,
    r: { id: string; no: string; orderId: string; storeId: string; note: string; createdBy: string | null },
    lines: { skuId: string; quantity: number; unitCostFen: number }[],
  ): Promise<void> {
    await m.query('INSERT INTO purchase_receipt (id, no, purchase_order_id, store_id, note, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [
      r.id,
      r.no,
      r.orderId,
      r.storeId,
      r.note,
      r.createdBy,
    ]);
    await m.query(
      `INSERT INTO purchase_receipt_line (receipt_id, sku_id, quantity, unit_cost_fen) SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::bigint[])`,
      [r.id, lines.map((l) => l.skuId), lines.map((l) => l.quantity), lines.map((l) => l.unitCostFen)],
    );
  }

  async insertReturn(
    m: EntityManager,
    r: { id: string; no: string; orderId: string; storeId: string; reason: string; createdBy: string | null },
    lines: { skuId: string; quantity: number; unitCostFen: number }[],
  ): Promise<void> {
    await m.query('INSERT INTO purchase_return (id, no, purchase_order_id, store_id, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6)', [
      r.id,
      r.no,
      r.orderId,
      r.storeId,
      r.reason,
      r.createdBy,
    ]);
    await m.query(
      `INSERT INTO purchase_return_line (return_id, sku_id, quantity, unit_cost_fen) SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::bigint[])`,
      [r.id, lines.map((l) => l.skuId), lines.map((l) => l.quantity), lines.map((l) => l.unitCostFen)],
    );
  }

  async receipts(m: EntityManager, orderId: string): Promise<DocumentRow[]> {
    return this.documents(m, 'purchase_receipt', 'purchase_receipt_line', 'receipt_id', 'note', orderId);
  }

  async returns(m: EntityManager, orderId: string): Promise<DocumentRow[]> {
    return this.documents(m, 'purchase_return', 'purchase_return_line', 'return_id', 'reason', orderId);
  }

  private async documents(m: EntityManager, table: string, lineTable: string, key: string, text: string, orderId: string): Promise<DocumentRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT d.id, d.no, d.${text} AS text, d.created_by, d.created_at,
              json_agg(json_build_object('skuId', l.sku_id, 'quantity', l.quantity, 'unitCostFen', l.unit_cost_fen) ORDER BY l.sku_id) AS lines
         FROM ${table} d JOIN ${lineTable} l ON l.${key} = d.id WHERE d.purchase_order_id = $1 GROUP BY d.id ORDER BY d.created_at, d.id`,
      [orderId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      no: r.no as string,
      text: r.text as string,
      createdBy: (r.created_by as string) ?? null,
      createdAt: r.created_at as Date,
      lines: (r.lines as { skuId: string; quantity: number; unitCostFen: number | string }[]).map((l) => ({ skuId: l.skuId, quantity: l.quantity, unitCostFen: Number(l.unitCostFen) })),
    }));
  }

  /** Units a store's open orders still expect, per SKU (on order, 在途采购). */
  async onOrder(m: EntityManager, storeId: string): Promise<Map<string, number>> {
    const rows: { sku_id: string; n: number }[] = await m.query(
      `SELECT l.sku_id, sum(l.quantity - l.received_quantity)::int AS n
         FROM purchase_order po JOIN purchase_order_line l ON l.purchase_order_id = po.id
        WHERE po.store_id = $1 AND po.status IN ('ordered', 'partially_received') GROUP BY l.sku_id`,
      [storeId],
    );
    return new Map(rows.map((r) => [r.sku_id, r.n]));
  }

  /** The last cost paid to a supplier for each SKU (its latest receipt, else its latest order line). */
  async lastCosts(m: EntityManager, supplierId: string, skuIds: string[]): Promise<Map<string, number>> {
    if (!skuIds.length) return new Map();
    const rows: { sku_id: string; cost: string }[] = await m.query(
      `SELECT DISTINCT ON (sku_id) sku_id, cost FROM (
         SELECT rl.sku_id, rl.unit_cost_fen AS cost, r.created_at AS at, 0 AS pref
           FROM purchase_receipt r JOIN purchase_receipt_line rl ON rl.receipt_id = r.id JOIN purchase_order po ON po.id = r.purchase_order_id
          WHERE po.supplier_id = $1 AND rl.sku_id = ANY($2::uuid[])
         UNION ALL
         SELECT l.sku_id, l.unit_cost_fen, po.created_at, 1
           FROM purchase_order po JOIN purchase_order_line l ON l.purchase_order_id = po.id
          WHERE po.supplier_id = $1 AND l.sku_id = ANY($2::uuid[]) AND po.status <> 'cancelled'
       ) x ORDER BY sku_id, pref, at DESC`,
      [supplierId, skuIds],
    );
    return new Map(rows.map((r) => [r.sku_id, Number(r.cost)]));
  }
}
