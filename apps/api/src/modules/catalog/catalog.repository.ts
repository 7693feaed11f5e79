import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { normaliseSearchTerm } from './domain/pinyin';
import { foldForSearch, termGrams } from './domain/search-grams';
import {
  CatalogSettingsEntity,
  CategoryEntity,
  ProductEntity,
  SkuEntity,
  type CatalogStatus,
  type ProductKind,
} from './entities/catalog.entity';

export interface CatalogFilter {
  q?: string;
  barcode?: string;
  categoryId?: string;
  kind?: ProductKind;
  status?: CatalogStatus;
}

export interface ProductRow extends ProductEntity {
  categoryName: string | null;
}

export interface CategoryRow {
  id: string;
  parentId: string | null;
  name: string;
  sortOrder: number;
  status: CatalogStatus;
  productCount: number;
}

/** A SKU with its product and the prices that apply at one store. */
export interface StoreItemRow {
  skuId: string;
  productId: string;
  productName: string;
  specName: string | null;
  kind: ProductKind;
  categoryId: string | null;
  code: string | null;
  barcode: string | null;
  unit: string;
  costFen: number;
  priceFen: number;
  memberPriceFen: number | null;
  storePrice: boolean;
  durationMinutes: number | null;
  trackStock: boolean;
  skuStatus: CatalogStatus;
  productStatus: CatalogStatus;
  stock: number | null;
}

/** A SKU as other capabilities label it (inventory documents, reports). */
export interface SkuLabelRow {
  skuId: string;
  productId: string;
  productName: string;
  specName: string | null;
  barcode: string | null;
  unit: string;
  costFen: number;
  categoryId: string | null;
  trackStock: boolean;
  onSale: boolean;
}

export interface StorePriceRow {
  storeId: string;
  skuId: string;
  productName: string;
  specName: string | null;
  priceFen: number;
  memberPriceFen: number | null;
  chainPriceFen: number;
  chainMemberPriceFen: number | null;
  updatedAt: Date;
}

const likeEscape = (s: string) => s.replace(/[%_\\]/g, (c) => '\\' + c);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Positional parameters for hand-built SQL: add() returns the placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The catalog's search conditions over product `p` (and SKU `s` when the rows are SKUs). A term
 * matches a name containing it, pinyin initials containing it, full pinyin from the start of a
 * syllable, a product code or a barcode. Each way is its own indexed SELECT (the grams' GIN index,
 * the code's and the barcode's b-trees), joined by UNION: an OR across them would make PostgreSQL
 * give up the indexes and scan. `rank()` gives an ORDER BY prefix ('' without a term).
 */
export function catalogConditions(params: SqlParams, f: CatalogFilter, skuAlias: 's' | null): { where: string[]; rank: () => string } {
  const where: string[] = [];
  const barcodeMatch = (ph: string) => (skuAlias ? `${skuAlias}.barcode = ${ph}` : `EXISTS (SELECT 1 FROM sku bs WHERE bs.product_id = p.id AND bs.barcode = ${ph})`);
  if (f.status) where.push(`p.status = ${params.add(f.status)}`);
  if (f.kind) where.push(`p.kind = ${params.add(f.kind)}`);
  if (f.barcode) where.push(barcodeMatch(params.add(f.barcode)));
  if (f.categoryId) {
    // The category and every category below it; UNION (not ALL) stops even on a corrupt cycle.
    where.push(
      `p.category_id IN (WITH RECURSIVE sub(id) AS (SELECT ${params.add(f.categoryId)}::uuid UNION SELECT c.id FROM category c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub)`,
    );
  }
  let rank = () => '';
  const q = f.q?.trim();
  if (q) {
    const folded = foldForSearch(q);
    const exact = params.add(q);
    const byName = `lower(normalize(name, NFKC)) LIKE ${params.add(`%${likeEscape(folded)}%`)}`;
    const ways = [`SELECT id FROM product WHERE search_grams @> ${params.add(termGrams('name', folded))}::text[] AND ${byName}`, `SELECT id FROM product WHERE code = ${exact}`];
    const key = normaliseSearchTerm(q);
    if (key) {
      ways.push(`SELECT id FROM product WHERE search_grams @> ${params.add(termGrams('initials', key))}::text[] AND pinyin_initials LIKE ${params.add(`%${key}%`)}`);
      // One letter is a syllable's start exactly when it is an initial: the initials cover it.
      if (key.length > 1) ways.push(`SELECT id FROM product WHERE search_grams @> ${params.add(termGrams('pinyin', key))}::text[] AND pinyin_search LIKE ${params.add(`% ${key}%`)}`);
    }
    const products = ways.join(' UNION ');
    where.push(
      skuAlias
        ? `${skuAlias}.id IN (SELECT id FROM sku WHERE product_id IN (${products}) UNION SELECT id FROM sku WHERE barcode = ${exact})`
        : `p.id IN (${products} UNION SELECT product_id FROM sku WHERE barcode = ${exact})`,
    );
    // Exact barcode or code first, then names (or their pinyin) that start with the term. Its
    // parameters are added only when asked for, after the count query has taken its own.
    rank = () => {
      const starts = [`lower(normalize(p.name, NFKC)) LIKE ${params.add(`${likeEscape(folded)}%`)}`];
      if (key) starts.push(`p.pinyin_initials LIKE ${params.add(`${key}%`)}`, `p.pinyin_search LIKE ${params.add(` ${key}%`)}`);
      return `CASE WHEN ${barcodeMatch(exact)} OR p.code = ${exact} THEN 0 WHEN ${starts.join(' OR ')} THEN 1 ELSE 2 END, `;
    };
  }
  return { where, rank };
}

const whereSql = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

/** The only SQL over the catalog's tables (categories, products, SKUs, store prices, settings). */
@Injectable()
export class CatalogRepository {
  // ---- categories ----

  findCategory(m: EntityManager, id: string): Promise<CategoryEntity | null> {
    return m.findOne(CategoryEntity, { where: { id } });
  }

  saveCategory(m: EntityManager, c: Partial<CategoryEntity>): Promise<CategoryEntity> {
    return m.save(CategoryEntity, m.create(CategoryEntity, c));
  }

  async categories(m: EntityManager): Promise<CategoryRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT c.id, c.parent_id, c.name, c.sort_order, c.status, (SELECT count(*)::int FROM product p WHERE p.category_id = c.id) AS product_count
         FROM category c ORDER BY c.sort_order, c.name, c.id`,
    );
    return rows.map((r) => ({
      id: r.id as string,
      parentId: (r.parent_id as string) ?? null,
      name: r.name as string,
      sortOrder: r.sort_order as number,
      status: r.status as CatalogStatus,
      productCount: r.product_count as number,
    }));
  }

  /** Every category's parent; the tree is small (hundreds), so moves and lineages read it whole. */
  async parentMap(m: EntityManager): Promise<Map<string, string | null>> {
    const rows: { id: string; parent_id: string | null }[] = await m.query('SELECT id, parent_id FROM category');
    return new Map(rows.map((r) => [r.id, r.parent_id]));
  }

  /** Serialises moves in the category tree, so that two concurrent moves cannot build a cycle. */
  async lockTree(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('catalog.category_tree'))`);
  }

  // ---- products and SKUs ----

  async findProduct(m: EntityManager, id: string): Promise<ProductRow | null> {
    const [rows, total] = await this.searchProducts(m, {}, 0, 1, id);
    return total ? rows[0] : null;
  }

  saveProduct(m: EntityManager, p: Partial<ProductEntity>): Promise<ProductEntity> {
    return m.save(ProductEntity, m.create(ProductEntity, p));
  }

  async searchProducts(m: EntityManager, f: CatalogFilter, offset: number, limit: number, id?: string): Promise<[ProductRow[], number]> {
    const params = new SqlParams();
    const { where, rank } = catalogConditions(params, f, null);
    if (id) where.push(`p.id = ${params.add(id)}`);
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM product p ${whereSql(where)}`, [...params.values]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT p.id FROM product p ${whereSql(where)} ORDER BY ${rank()}p.sort_order, p.name, p.id OFFSET ${params.add(offset)} LIMIT ${params.add(limit)}`,
      params.values,
    );
    const ids = rows.map((r) => r.id as string);
    if (!ids.length) return [[], n];
    const { entities, raw } = await m
      .createQueryBuilder(ProductEntity, 'p')
      .leftJoin(CategoryEntity, 'c', 'c.id = p.category_id')
      .addSelect('c.name', 'category_name')
      .where('p.id IN (:...ids)', { ids })
      .getRawAndEntities();
    const byId = new Map(entities.map((e, i) => [e.id, Object.assign(e, { categoryName: (raw[i] as { category_name: string | null }).category_name ?? null })]));
    return [ids.map((x) => byId.get(x)!), n];
  }

  findSku(m: EntityManager, id: string): Promise<SkuEntity | null> {
    return m.findOne(SkuEntity, { where: { id } });
  }

  saveSku(m: EntityManager, s: Partial<SkuEntity>): Promise<SkuEntity> {
    return m.save(SkuEntity, m.create(SkuEntity, s));
  }

  skusOf(m: EntityManager, productIds: string[]): Promise<SkuEntity[]> {
    if (!productIds.length) return Promise.resolve([]);
    return m
      .createQueryBuilder(SkuEntity, 's')
      .where('s.product_id IN (:...productIds)', { productIds })
      .orderBy('s.sort_order', 'ASC')
      .addOrderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  // ---- a store's view ----

  /** SKUs with the prices that apply at the store (its own pair when set) and its stock. */
  async storeItems(
    m: EntityManager,
    storeId: string,
    f: CatalogFilter & { skuIds?: string[]; sellableOnly?: boolean },
    offset: number,
    limit: number,
  ): Promise<[StoreItemRow[], number]> {
    const params = new SqlParams();
    const store = params.add(storeId);
    const { where, rank } = catalogConditions(params, f, 's');
    if (f.skuIds) where.push(`s.id = ANY(${params.add(f.skuIds)}::uuid[])`);
    if (f.sellableOnly) where.push(`s.status = 'active' AND p.status = 'active'`);
    const from = `FROM sku s JOIN product p ON p.id = s.product_id
      LEFT JOIN sku_store_price sp ON sp.sku_id = s.id AND sp.store_id = ${store}
      LEFT JOIN stock st ON st.sku_id = s.id AND st.store_id = ${store}`;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n ${from} ${whereSql(where)}`, [...params.values]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT s.id AS sku_id, p.id AS product_id, p.name AS product_name, s.spec_name, p.kind, p.category_id, p.code, s.barcode, s.unit, COALESCE(st.avg_cost_fen, s.cost_fen) AS cost_fen,
              CASE WHEN sp.sku_id IS NULL THEN s.price_fen ELSE sp.price_fen END AS price_fen,
              CASE WHEN sp.sku_id IS NULL THEN s.member_price_fen ELSE sp.member_price_fen END AS member_price_fen,
              sp.sku_id IS NOT NULL AS store_price, p.duration_minutes, s.track_stock, s.status AS sku_status, p.status AS product_status,
              CASE WHEN s.track_stock THEN COALESCE(st.quantity, 0) END AS stock
         ${from} ${whereSql(where)}
        ORDER BY ${rank()}p.sort_order, p.name, s.sort_order, s.id OFFSET ${params.add(offset)} LIMIT ${params.add(limit)}`,
      params.values,
    );
    return [
      rows.map((r) => ({
        skuId: r.sku_id as string,
        productId: r.product_id as string,
        productName: r.product_name as string,
        specName: (r.spec_name as string) ?? null,
        kind: r.kind as ProductKind,
        categoryId: (r.category_id as string) ?? null,
        code: (r.code as string) ?? null,
        barcode: (r.barcode as string) ?? null,
        unit: r.unit as string,
        costFen: Number(r.cost_fen),
        priceFen: Number(r.price_fen),
        memberPriceFen: num(r.member_price_fen),
        storePrice: r.store_price as boolean,
        durationMinutes: num(r.duration_minutes),
        trackStock: r.track_stock as boolean,
        skuStatus: r.sku_status as CatalogStatus,
        productStatus: r.product_status as CatalogStatus,
        stock: num(r.stock),
      })),
      n,
    ];
  }

  /** What other capabilities show of SKUs: names, barcode, unit, the catalog's cost, category, stock keeping, status. */
  async skuLabels(m: EntityManager, f: { skuIds?: string[]; barcodes?: string[] }): Promise<SkuLabelRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT s.id, s.product_id, p.name AS product_name, s.spec_name, s.barcode, s.unit, s.cost_fen, p.category_id, s.track_stock,
              s.status = 'active' AND p.status = 'active' AS on_sale
         FROM sku s JOIN product p ON p.id = s.product_id
        WHERE ${f.skuIds ? 's.id = ANY($1::uuid[])' : `s.barcode = ANY($1::text[]) AND s.status = 'active'`}`,
      [f.skuIds ?? f.barcodes ?? []],
    );
    return rows.map((r) => ({
      skuId: r.id as string,
      productId: r.product_id as string,
      productName: r.product_name as string,
      specName: (r.spec_name as string) ?? null,
      barcode: (r.barcode as string) ?? null,
      unit: r.unit as string,
      costFen: Number(r.cost_fen),
      categoryId: (r.category_id as string) ?? null,
      trackStock: r.track_stock as boolean,
      onSale: r.on_sale as boolean,
    }));
  }

  async categoriesExist(m: EntityManager, ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await m.query('SELECT id FROM category WHERE id = ANY($1::uuid[])', [ids]);
    return rows.map((r) => r.id);
  }

  /** Each category with its ancestors, nearest first (the tree is guarded against cycles; depth caps a corrupt one). */
  async lineages(m: EntityManager, categoryIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!categoryIds.length) return out;
    const rows: { start_id: string; id: string }[] = await m.query(
      `WITH RECURSIVE up(start_id, id, parent_id, depth) AS (
         SELECT c.id, c.id, c.parent_id, 0 FROM category c WHERE c.id = ANY($1::uuid[])
         UNION ALL
         SELECT up.start_id, c.id, c.parent_id, up.depth + 1 FROM category c JOIN up ON c.id = up.parent_id WHERE up.depth < 64
       ) SELECT start_id, id FROM up ORDER BY start_id, depth`,
      [categoryIds],
    );
    for (const r of rows) out.set(r.start_id, [...(out.get(r.start_id) ?? []), r.id]);
    return out;
  }

  async storePrices(m: EntityManager, storeId: string, offset: number, limit: number, skuId?: string): Promise<[StorePriceRow[], number]> {
    const params = [storeId, ...(skuId ? [skuId] : [])];
    const cond = `sp.store_id = $1${skuId ? ' AND sp.sku_id = $2' : ''}`;
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM sku_store_price sp WHERE ${cond}`, params);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT sp.store_id, sp.sku_id, p.name AS product_name, s.spec_name, sp.price_fen, sp.member_price_fen, s.price_fen AS chain_price_fen,
              s.member_price_fen AS chain_member_price_fen, sp.updated_at
         FROM sku_store_price sp JOIN sku s ON s.id = sp.sku_id JOIN product p ON p.id = s.product_id
        WHERE ${cond} ORDER BY p.sort_order, p.name, s.sort_order, s.id OFFSET ${offset} LIMIT ${limit}`,
      params,
    );
    return [
      rows.map((r) => ({
        storeId: r.store_id as string,
        skuId: r.sku_id as string,
        productName: r.product_name as string,
        specName: (r.spec_name as string) ?? null,
        priceFen: Number(r.price_fen),
        memberPriceFen: num(r.member_price_fen),
        chainPriceFen: Number(r.chain_price_fen),
        chainMemberPriceFen: num(r.chain_member_price_fen),
        updatedAt: r.updated_at as Date,
      })),
      n,
    ];
  }

  /** The store's pair before the change (locked), or null when it had none. */
  async lockStorePrice(m: EntityManager, storeId: string, skuId: string): Promise<{ priceFen: number; memberPriceFen: number | null } | null> {
    const [row]: { price_fen: string; member_price_fen: string | null }[] = await m.query(
      'SELECT price_fen, member_price_fen FROM sku_store_price WHERE store_id = $1 AND sku_id = $2 FOR UPDATE',
      [storeId, skuId],
    );
    return row ? { priceFen: Number(row.price_fen), memberPriceFen: num(row.member_price_fen) } : null;
  }

  async upsertStorePrice(m: EntityManager, storeId: string, skuId: string, priceFen: number, memberPriceFen: number | null, staffId: string | null): Promise<void> {
    await m.query(
      `INSERT INTO sku_store_price (store_id, sku_id, price_fen, member_price_fen, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (store_id, sku_id) DO UPDATE SET price_fen = EXCLUDED.price_fen, member_price_fen = EXCLUDED.member_price_fen,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [storeId, skuId, priceFen, memberPriceFen, staffId],
    );
  }

  async deleteStorePrice(m: EntityManager, storeId: string, skuId: string): Promise<void> {
    await m.query('DELETE FROM sku_store_price WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
  }

  // ---- settings ----

  /** The one settings row (the migration seeds it; a restored old dump gets it on first read). */
  async settings(m: EntityManager, lock = false): Promise<CatalogSettingsEntity> {
    await m.query('INSERT INTO catalog_settings (id) VALUES (1) ON CONFLICT (id) DO NOTHING');
    const qb = m.createQueryBuilder(CatalogSettingsEntity, 's').where('s.id = 1');
    if (lock) qb.setLock('pessimistic_write');
    return (await qb.getOne())!;
  }

  saveSettings(m: EntityManager, s: CatalogSettingsEntity): Promise<CatalogSettingsEntity> {
    return m.save(CatalogSettingsEntity, s);
  }

  async negativeStockRows(m: EntityManager): Promise<number> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM stock WHERE quantity < 0');
    return n;
  }
}
