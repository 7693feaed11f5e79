import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { catalogConditions, SqlParams, type CatalogFilter } from './catalog.repository';

export interface StockRow {
  storeId: string;
  skuId: string;
  productId: string;
  productName: string;
  specName: string | null;
  barcode: string | null;
  unit: string;
  quantity: number;
  /** The store's moving-average cost (the catalog's cost while it has none). */
  avgCostFen: number;
  updatedAt: Date | null;
}

export interface MovementRow {
  id: string;
  storeId: string;
  skuId: string;
  delta: number;
  quantityAfter: number;
  reason: string;
  note: string;
  refType: string;
  refId: string;
  operatorKind: string;
  operatorId: string | null;
  unitCostFen: number | null;
  avgCostAfterFen: number | null;
  createdAt: Date;
}

/** A movement in a store's journal, with its item. */
export interface JournalRow extends MovementRow {
  productName: string;
  specName: string | null;
  barcode: string | null;
  unit: string;
}

export interface JournalFilter {
  from?: Date;
  to?: Date;
  reasons?: string[];
  skuId?: string;
  refType?: string;
  refId?: string;
}

/** A SKU's quantity and moving-average cost at one store (0 and the catalog's cost when it never had any). */
export interface StockLevel {
  skuId: string;
  quantity: number;
  avgCostFen: number;
}

export interface ElsewhereRow {
  storeId: string;
  storeCode: string;
  storeName: string;
  skuId: string;
  quantity: number;
}

export interface StoreValueRow {
  storeId: string;
  storeCode: string;
  storeName: string;
  skuCount: number;
  quantity: number;
  valueFen: number;
}

export interface SlowMovingRow {
  skuId: string;
  productName: string;
  specName: string | null;
  barcode: string | null;
  unit: string;
  quantity: number;
  avgCostFen: number;
  lastSaleAt: Date | null;
  lastInboundAt: Date | null;
}

const MOVEMENT_COLUMNS = 'mv.id, mv.store_id, mv.sku_id, mv.delta, mv.quantity_after, mv.reason, mv.note, mv.ref_type, mv.ref_id, mv.operator_kind, mv.operator_id, mv.unit_cost_fen, mv.avg_cost_after_fen, mv.created_at';
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toMovementRow(r: Record<string, unknown>): MovementRow {
  return {
    id: String(r.id),
    storeId: r.store_id as string,
    skuId: r.sku_id as string,
    delta: r.delta as number,
    quantityAfter: r.quantity_after as number,
    reason: r.reason as string,
    note: r.note as string,
    refType: r.ref_type as string,
    refId: r.ref_id as string,
    operatorKind: r.operator_kind as string,
    operatorId: (r.operator_id as string) ?? null,
    unitCostFen: orNull(r.unit_cost_fen),
    avgCostAfterFen: orNull(r.avg_cost_after_fen),
    createdAt: r.created_at as Date,
  };
}

/** The only SQL over stock and stock_movement. */
@Injectable()
export class StockRepository {
  /** trackStock of each SKU asked for; a SKU missing from the map does not exist. */
  async tracking(m: EntityManager, skuIds: string[]): Promise<Map<string, boolean>> {
    const rows: { id: string; track_stock: boolean }[] = await m.query('SELECT id, track_stock FROM sku WHERE id = ANY($1::uuid[])', [skuIds]);
    return new Map(rows.map((r) => [r.id, r.track_stock]));
  }

  /**
   * Whether stock may go below zero. When it may, the settings row is share-locked: HQ switching
   * it off (which takes the row for update and then looks for negative stock) waits for every
   * sale that read "allowed", so none can slip a negative quantity past that check.
   */
  async allowNegative(m: EntityManager): Promise<boolean> {
    const [row]: { allow_negative_stock: boolean }[] = await m.query('SELECT allow_negative_stock FROM catalog_settings WHERE id = 1');
    if (!row?.allow_negative_stock) return false;
    const [locked]: { allow_negative_stock: boolean }[] = await m.query('SELECT allow_negative_stock FROM catalog_settings WHERE id = 1 FOR SHARE');
    return locked?.allow_negative_stock ?? false;
  }

  async ensureRow(m: EntityManager, storeId: string, skuId: string): Promise<void> {
    await m.query('INSERT INTO stock (store_id, sku_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [storeId, skuId]);
  }

  /**
   * Locks the stock row (inserted before) and reads its quantity and average cost (the catalog's
   * cost while the store has none): a costed inbound computes its new average from these.
   */
  async lockForCost(m: EntityManager, storeId: string, skuId: string): Promise<{ quantity: number; avgCostFen: number }> {
    const [row]: { quantity: number; avg_cost_fen: string }[] = await m.query(
      `SELECT st.quantity, COALESCE(st.avg_cost_fen, s.cost_fen) AS avg_cost_fen
         FROM stock st JOIN sku s ON s.id = st.sku_id WHERE st.store_id = $1 AND st.sku_id = $2 FOR UPDATE OF st`,
      [storeId, skuId],
    );
    return { quantity: row.quantity, avgCostFen: Number(row.avg_cost_fen) };
  }

  /**
   * Moves the stock by `delta`, unless that takes it below zero while negative stock is not
   * allowed: the UPDATE's row lock serialises concurrent sales and its WHERE decides, so the last
   * unit is sold once. Additions always pass. `newAvgCostFen` replaces the average (a costed
   * inbound); otherwise it stays, starting at the catalog's cost. Returns the new quantity and
   * average, or null when refused.
   */
  async apply(
    m: EntityManager,
    storeId: string,
    skuId: string,
    delta: number,
    allowNegative: boolean,
    newAvgCostFen: number | null = null,
  ): Promise<{ quantity: number; avgCostFen: number } | null> {
    const [rows]: [{ quantity: number; avg_cost_fen: string }[], number] = await m.query(
      `UPDATE stock SET quantity = quantity + $3, updated_at = now(),
              avg_cost_fen = COALESCE($5::bigint, avg_cost_fen, (SELECT cost_fen FROM sku WHERE id = $2))
        WHERE store_id = $1 AND sku_id = $2 AND ($3 > 0 OR $4::boolean OR quantity + $3 >= 0) RETURNING quantity, avg_cost_fen`,
      [storeId, skuId, delta, allowNegative, newAvgCostFen],
    );
    return rows.length ? { quantity: rows[0].quantity, avgCostFen: Number(rows[0].avg_cost_fen) } : null;
  }

  async quantity(m: EntityManager, storeId: string, skuId: string): Promise<number> {
    const [row]: { quantity: number }[] = await m.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return row?.quantity ?? 0;
  }

  async insertMovement(
    m: EntityManager,
    mv: {
      storeId: string;
      skuId: string;
      delta: number;
      quantityAfter: number;
      reason: string;
      note: string;
      refType: string;
      refId: string;
      operatorKind: string;
      operatorId: string | null;
      unitCostFen: number;
      avgCostAfterFen: number;
    },
  ): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO stock_movement (store_id, sku_id, delta, quantity_after, reason, note, ref_type, ref_id, operator_kind, operator_id, unit_cost_fen, avg_cost_after_fen)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [mv.storeId, mv.skuId, mv.delta, mv.quantityAfter, mv.reason, mv.note, mv.refType, mv.refId, mv.operatorKind, mv.operatorId, mv.unitCostFen, mv.avgCostAfterFen],
    );
    return String(row.id);
  }

  /**
   * A store's stock of every SKU that keeps stock: active ones at 0 when the store never had any,
   * inactive ones only while the store still holds a row for them.
   */
  async list(m: EntityManager, storeId: string, f: CatalogFilter & { onlyHeld?: boolean; skuIds?: string[] }, offset: number, limit: number, skuId?: string): Promise<[StockRow[], number]> {
    const params = new SqlParams();
    const store = params.add(storeId);
    const { where, rank } = catalogConditions(params, f, 's');
    where.push(`s.track_stock AND (st.sku_id IS NOT NULL OR (s.status = 'active' AND p.status = 'active'))`);
    if (f.onlyHeld) where.push('st.quantity <> 0');
    if (f.skuIds) where.push(`s.id = ANY(${params.add(f.skuIds)}::uuid[])`);
    if (skuId) where.push(`s.id = ${params.add(skuId)}`);
    const from = `FROM sku s JOIN product p ON p.id = s.product_id LEFT JOIN stock st ON st.sku_id = s.id AND st.store_id = ${store}`;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n ${from} WHERE ${where.join(' AND ')}`, [...params.values]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT s.id AS sku_id, p.id AS product_id, p.name AS product_name, s.spec_name, s.barcode, s.unit, COALESCE(st.quantity, 0) AS quantity,
              COALESCE(st.avg_cost_fen, s.cost_fen) AS avg_cost_fen, st.updated_at
         ${from} WHERE ${where.join(' AND ')}
        ORDER BY ${rank()}p.sort_order, p.name, s.sort_order, s.id OFFSET ${params.add(offset)} LIMIT ${params.add(limit)}`,
      params.values,
    );
    return [
      rows.map((r) => ({
        storeId,
        skuId: r.sku_id as string,
        productId: r.product_id as string,
        productName: r.product_name as string,
        specName: (r.spec_name as string) ?? null,
        barcode: (r.barcode as string) ?? null,
        unit: r.unit as string,
        quantity: r.quantity as number,
        avgCostFen: Number(r.avg_cost_fen),
        updatedAt: (r.updated_at as Date) ?? null,
      })),
      n,
    ];
  }

  async movements(m: EntityManager, storeId: string, skuId: string, offset: number, limit: number): Promise<[MovementRow[], number]> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM stock_movement WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${MOVEMENT_COLUMNS} FROM stock_movement mv WHERE mv.store_id = $1 AND mv.sku_id = $2 ORDER BY mv.id DESC OFFSET $3 LIMIT $4`,
      [storeId, skuId, offset, limit],
    );
    return [rows.map(toMovementRow), n];
  }

  /** Totals of a store's stock that a filter selects: how many SKUs are held, units, value at cost. */
  async totals(m: EntityManager, storeId: string, f: CatalogFilter): Promise<{ skuCount: number; quantity: number; valueFen: number }> {
    const params = new SqlParams();
    const store = params.add(storeId);
    const { where } = catalogConditions(params, f, 's');
    where.push('s.track_stock AND st.quantity <> 0');
    const [row] = await m.query(
      `SELECT count(*)::int AS n, COALESCE(sum(st.quantity), 0)::bigint AS quantity, COALESCE(sum(st.quantity * COALESCE(st.avg_cost_fen, s.cost_fen)), 0)::bigint AS value
         FROM sku s JOIN product p ON p.id = s.product_id JOIN stock st ON st.sku_id = s.id AND st.store_id = ${store} WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return { skuCount: row.n, quantity: Number(row.quantity), valueFen: Number(row.value) };
  }

  /**
   * Quantity and average cost of SKUs at a store. With `lock`, the rows are created if missing and
   * share-locked in sku order, so that no movement changes them until the caller commits.
   */
  async levels(m: EntityManager, storeId: string, skuIds: string[], lock: boolean): Promise<Map<string, StockLevel>> {
    const ids = [...new Set(skuIds)].sort();
    if (!ids.length) return new Map();
    if (lock) {
      await m.query(
        `INSERT INTO stock (store_id, sku_id) SELECT $1, s.id FROM sku s WHERE s.id = ANY($2::uuid[]) AND s.track_stock ORDER BY s.id ON CONFLICT DO NOTHING`,
        [storeId, ids],
      );
      await m.query('SELECT 1 FROM stock WHERE store_id = $1 AND sku_id = ANY($2::uuid[]) ORDER BY sku_id FOR SHARE', [storeId, ids]);
    }
    const rows: { sku_id: string; quantity: number; avg_cost_fen: string }[] = await m.query(
      `SELECT s.id AS sku_id, COALESCE(st.quantity, 0) AS quantity, COALESCE(st.avg_cost_fen, s.cost_fen) AS avg_cost_fen
         FROM sku s LEFT JOIN stock st ON st.sku_id = s.id AND st.store_id = $1 WHERE s.id = ANY($2::uuid[])`,
      [storeId, ids],
    );
    return new Map(rows.map((r) => [r.sku_id, { skuId: r.sku_id, quantity: r.quantity, avgCostFen: Number(r.avg_cost_fen) }]));
  }

  /**
   * Every SKU that keeps stock at a store (active ones, and retired ones the store still holds), in
   * the given categories and all below them when asked, with its quantity and average cost. One
   * statement: a consistent snapshot of the moment it runs.
   */
  async snapshot(m: EntityManager, storeId: string, categoryIds: string[] | null): Promise<StockLevel[]> {
    const params: unknown[] = [storeId];
    let inCategories = '';
    if (categoryIds) {
      params.push(categoryIds);
      inCategories = `AND p.category_id IN (WITH RECURSIVE sub(id) AS (SELECT unnest($2::uuid[]) UNION SELECT c.id FROM category c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)`;
    }
    const rows: { sku_id: string; quantity: number; avg_cost_fen: string }[] = await m.query(
      `SELECT s.id AS sku_id, COALESCE(st.quantity, 0) AS quantity, COALESCE(st.avg_cost_fen, s.cost_fen) AS avg_cost_fen
         FROM sku s JOIN product p ON p.id = s.product_id LEFT JOIN stock st ON st.sku_id = s.id AND st.store_id = $1
        WHERE s.track_stock AND (st.sku_id IS NOT NULL OR (s.status = 'active' AND p.status = 'active')) ${inCategories}
        ORDER BY s.id`,
      params,
    );
    return rows.map((r) => ({ skuId: r.sku_id, quantity: r.quantity, avgCostFen: Number(r.avg_cost_fen) }));
  }

  /** Quantities of these SKUs held at the other stores that are not closed (only where they hold some). */
  async elsewhere(m: EntityManager, storeId: string, skuIds: string[]): Promise<ElsewhereRow[]> {
    if (!skuIds.length) return [];
    const rows: { store_id: string; code: string; name: string; sku_id: string; quantity: number }[] = await m.query(
      `SELECT st.store_id, so.code, so.name, st.sku_id, st.quantity
         FROM stock st JOIN store so ON so.id = st.store_id
        WHERE st.sku_id = ANY($2::uuid[]) AND st.store_id <> $1 AND st.quantity > 0 AND so.status <> 'closed'
        ORDER BY so.code, st.sku_id`,
      [storeId, skuIds],
    );
    return rows.map((r) => ({ storeId: r.store_id, storeCode: r.code, storeName: r.name, skuId: r.sku_id, quantity: r.quantity }));
  }

  /** A store's movements of every SKU (库存流水), newest first, with the item's names. */
  async journal(m: EntityManager, storeId: string, f: JournalFilter, offset: number, limit: number): Promise<[JournalRow[], number]> {
    const params = new SqlParams();
    const where = [`mv.store_id = ${params.add(storeId)}`];
    if (f.from) where.push(`mv.created_at >= ${params.add(f.from)}`);
    if (f.to) where.push(`mv.created_at < ${params.add(f.to)}`);
    if (f.reasons?.length) where.push(`mv.reason = ANY(${params.add(f.reasons)}::text[])`);
    if (f.skuId) where.push(`mv.sku_id = ${params.add(f.skuId)}`);
    if (f.refType) where.push(`mv.ref_type = ${params.add(f.refType)}`);
    if (f.refId) where.push(`mv.ref_id = ${params.add(f.refId)}`);
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM stock_movement mv WHERE ${where.join(' AND ')}`, [...params.values]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${MOVEMENT_COLUMNS}, p.name AS product_name, s.spec_name, s.barcode, s.unit
         FROM stock_movement mv JOIN sku s ON s.id = mv.sku_id JOIN product p ON p.id = s.product_id
        WHERE ${where.join(' AND ')} ORDER BY mv.id DESC OFFSET ${params.add(offset)} LIMIT ${params.add(limit)}`,
      params.values,
    );
    return [rows.map((r) => ({ ...toMovementRow(r), productName: r.product_name as string, specName: (r.spec_name as string) ?? null, barcode: (r.barcode as string) ?? null, unit: r.unit as string })), n];
  }

  /** Units sold net of refunds per SKU at a store in [from, to): the sales velocity's numerator. */
  async netSales(m: EntityManager, storeId: string, from: Date, to: Date): Promise<Map<string, number>> {
    const rows: { sku_id: string; sold: string }[] = await m.query(
      `SELECT sku_id, -sum(delta) AS sold FROM stock_movement
        WHERE store_id = $1 AND reason IN ('sale', 'refund') AND created_at >= $2 AND created_at < $3 GROUP BY sku_id`,
      [storeId, from, to],
    );
    return new Map(rows.map((r) => [r.sku_id, Number(r.sold)]));
  }

  /** Each store's stock at cost: SKUs held, units and value. */
  async valueByStore(m: EntityManager): Promise<StoreValueRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT so.id, so.code, so.name, count(st.sku_id) FILTER (WHERE st.quantity <> 0)::int AS sku_count,
              COALESCE(sum(st.quantity), 0)::bigint AS quantity, COALESCE(sum(st.quantity * COALESCE(st.avg_cost_fen, s.cost_fen)), 0)::bigint AS value
         FROM store so LEFT JOIN stock st ON st.store_id = so.id LEFT JOIN sku s ON s.id = st.sku_id
        GROUP BY so.id ORDER BY so.code`,
    );
    return rows.map((r) => ({ storeId: r.id as string, storeCode: r.code as string, storeName: r.name as string, skuCount: r.sku_count as number, quantity: Number(r.quantity), valueFen: Number(r.value) }));
  }

  /** Goods a store holds that have not sold since `since` (呆滞库存), the longest idle first. */
  async slowMoving(m: EntityManager, storeId: string, since: Date, offset: number, limit: number): Promise<[SlowMovingRow[], number]> {
    const from = `FROM stock st JOIN sku s ON s.id = st.sku_id JOIN product p ON p.id = s.product_id
      LEFT JOIN LATERAL (SELECT max(created_at) FILTER (WHERE reason = 'sale') AS last_sale, max(created_at) FILTER (WHERE delta > 0) AS last_in
                           FROM stock_movement WHERE store_id = st.store_id AND sku_id = st.sku_id) mv ON true
     WHERE st.store_id = $1 AND st.quantity > 0 AND s.track_stock AND (mv.last_sale IS NULL OR mv.last_sale < $2)`;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n ${from}`, [storeId, since]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT s.id AS sku_id, p.name AS product_name, s.spec_name, s.barcode, s.unit, st.quantity, COALESCE(st.avg_cost_fen, s.cost_fen) AS avg_cost_fen,
              mv.last_sale, mv.last_in
         ${from} ORDER BY mv.last_sale NULLS FIRST, st.quantity * COALESCE(st.avg_cost_fen, s.cost_fen) DESC, s.id OFFSET $3 LIMIT $4`,
      [storeId, since, offset, limit],
    );
    return [
      rows.map((r) => ({
        skuId: r.sku_id as string,
        productName: r.product_name as string,
        specName: (r.spec_name as string) ?? null,
        barcode: (r.barcode as string) ?? null,
        unit: r.unit as string,
        quantity: r.quantity as number,
        avgCostFen: Number(r.avg_cost_fen),
        lastSaleAt: (r.last_sale as Date) ?? null,
        lastInboundAt: (r.last_in as Date) ?? null,
      })),
      n,
    ];
  }
}
