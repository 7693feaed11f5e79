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
  createdAt: Date;
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
   * Moves the stock by `delta`, unless that takes it below zero while negative stock is not
   * allowed: the UPDATE's row lock serialises concurrent sales and its WHERE decides, so the last
   * unit is sold once. Additions always pass. Returns the new quantity, or null when refused.
   */
  async apply(m: EntityManager, storeId: string, skuId: string, delta: number, allowNegative: boolean): Promise<number | null> {
    const [rows]: [{ quantity: number }[], number] = await m.query(
      `UPDATE stock SET quantity = quantity + $3, updated_at = now()
        WHERE store_id = $1 AND sku_id = $2 AND ($3 > 0 OR $4::boolean OR quantity + $3 >= 0) RETURNING quantity`,
      [storeId, skuId, delta, allowNegative],
    );
    return rows.length ? rows[0].quantity : null;
  }

  async quantity(m: EntityManager, storeId: string, skuId: string): Promise<number> {
    const [row]: { quantity: number }[] = await m.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return row?.quantity ?? 0;
  }

  async insertMovement(
    m: EntityManager,
    mv: { storeId: string; skuId: string; delta: number; quantityAfter: number; reason: string; note: string; refType: string; refId: string; operatorKind: string; operatorId: string | null },
  ): Promise<void> {
    await m.query(
      `INSERT INTO stock_movement (store_id, sku_id, delta, quantity_after, reason, note, ref_type, ref_id, operator_kind, operator_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [mv.storeId, mv.skuId, mv.delta, mv.quantityAfter, mv.reason, mv.note, mv.refType, mv.refId, mv.operatorKind, mv.operatorId],
    );
  }

  /**
   * A store's stock of every SKU that keeps stock: active ones at 0 when the store never had any,
   * inactive ones only while the store still holds a row for them.
   */
  async list(m: EntityManager, storeId: string, f: CatalogFilter, offset: number, limit: number, skuId?: string): Promise<[StockRow[], number]> {
    const params = new SqlParams();
    const store = params.add(storeId);
    const { where, rank } = catalogConditions(params, f, 's');
    where.push(`s.track_stock AND (st.sku_id IS NOT NULL OR (s.status = 'active' AND p.status = 'active'))`);
    if (skuId) where.push(`s.id = ${params.add(skuId)}`);
    const from = `FROM sku s JOIN product p ON p.id = s.product_id LEFT JOIN stock st ON st.sku_id = s.id AND st.store_id = ${store}`;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n ${from} WHERE ${where.join(' AND ')}`, [...params.values]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT s.id AS sku_id, p.id AS product_id, p.name AS product_name, s.spec_name, s.barcode, s.unit, COALESCE(st.quantity, 0) AS quantity, st.updated_at
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
        updatedAt: (r.updated_at as Date) ?? null,
      })),
      n,
    ];
  }

  async movements(m: EntityManager, storeId: string, skuId: string, offset: number, limit: number): Promise<[MovementRow[], number]> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM stock_movement WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id, store_id, sku_id, delta, quantity_after, reason, note, ref_type, ref_id, operator_kind, operator_id, created_at
         FROM stock_movement WHERE store_id = $1 AND sku_id = $2 ORDER BY id DESC OFFSET $3 LIMIT $4`,
      [storeId, skuId, offset, limit],
    );
    return [
      rows.map((r) => ({
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
        createdAt: r.created_at as Date,
      })),
      n,
    ];
  }
}
