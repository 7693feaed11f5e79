import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TransactionHost } from '../../src/common/db/transaction-host';
import { searchKeys } from '../../src/modules/catalog/domain/pinyin';
import { productGrams } from '../../src/modules/catalog/domain/search-grams';
import { StockService } from '../../src/modules/catalog/stock.service';
import { currentTestApp } from '../support/test-app';

export interface CategoryRow {
  id: string;
  name: string;
}

/** A category inserted directly (HTTP creation and the tree rules are tested in catalog). */
export async function makeCategory(ds: DataSource, over: { name?: string; parentId?: string | null } = {}): Promise<CategoryRow> {
  const name = over.name ?? `分类${randomBytes(3).toString('hex')}`;
  const [row] = await ds.query('INSERT INTO category (name, parent_id) VALUES ($1, $2) RETURNING id', [name, over.parentId ?? null]);
  return { id: row.id, name };
}

export interface SkuRow {
  id: string;
  productId: string;
  name: string;
}

/**
 * A product (or service) with one SKU, inserted directly with its pinyin keys, for tests of other
 * capabilities (pricing, orders). HTTP creation and validation are tested in catalog.
 */
export async function makeSku(
  ds: DataSource,
  over: Partial<{
    name: string;
    kind: 'goods' | 'service';
    categoryId: string | null;
    code: string | null;
    durationMinutes: number;
    specName: string | null;
    barcode: string | null;
    unit: string;
    costFen: number;
    priceFen: number;
    memberPriceFen: number | null;
    trackStock: boolean;
    status: 'active' | 'inactive';
  }> = {},
): Promise<SkuRow> {
  const kind = over.kind ?? 'goods';
  const name = over.name ?? `商品${randomBytes(3).toString('hex')}`;
  const keys = searchKeys(name);
  const [product] = await ds.query(
    `INSERT INTO product (name, kind, category_id, code, duration_minutes, pinyin_initials, pinyin_full, pinyin_search, search_grams) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [name, kind, over.categoryId ?? null, over.code ?? null, kind === 'service' ? (over.durationMinutes ?? 45) : null, keys.initials, keys.full, keys.search, productGrams(name, keys)],
  );
  const [sku] = await ds.query(
    `INSERT INTO sku (product_id, spec_name, barcode, unit, cost_fen, price_fen, member_price_fen, track_stock, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      product.id,
      over.specName ?? null,
      over.barcode ?? null,
      over.unit ?? (kind === 'goods' ? '件' : '次'),
      over.costFen ?? 0,
      over.priceFen ?? 1000,
      over.memberPriceFen ?? null,
      over.trackStock ?? kind === 'goods',
      over.status ?? 'active',
    ],
  );
  return { id: sku.id, productId: product.id, name };
}

/** Puts stock of a SKU at a store through the app's own stock ledger (reason opening, refType test_fixture). */
export async function giveStock(storeId: string, skuId: string, quantity: number): Promise<void> {
  const app = currentTestApp().app;
  await app.get(TransactionHost).run((m) =>
    app.get(StockService).move(m, [{ storeId, skuId, delta: quantity, reason: 'opening', refType: 'test_fixture', refId: randomUUID() }]),
  );
}
