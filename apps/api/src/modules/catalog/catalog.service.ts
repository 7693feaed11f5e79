import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, pgErrorCode, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page, type PageQuery } from '../../common/http/pagination';
import { CatalogRepository, type CategoryRow, type ProductRow, type SkuLabelRow, type StoreItemRow, type StorePriceRow } from './catalog.repository';

export type { SkuLabelRow } from './catalog.repository';
import { buildTree, wouldCycle, type Tree } from './domain/category-tree';
import { searchKeys } from './domain/pinyin';
import { productGrams } from './domain/search-grams';
import type {
  CatalogSearchQuery,
  CatalogSettingsResponse,
  CategoryResponse,
  CreateCategoryRequest,
  CreateProductRequest,
  ListCategoriesQuery,
  ListProductsQuery,
  ProductResponse,
  SetStorePriceRequest,
  SkuInput,
  SkuResponse,
  StoreItemResponse,
  StorePriceResponse,
  UpdateCatalogSettingsRequest,
  UpdateCategoryRequest,
  UpdateProductRequest,
  UpdateSkuRequest,
} from './dto/catalog.dto';
import type { ProductEntity, ProductKind, SkuEntity } from './entities/catalog.entity';

/** What the pricing engine needs of one SKU at one store (the contract with pricing and orders). */
export interface PricingItem {
  skuId: string;
  productId: string;
  productName: string;
  skuName: string | null;
  kind: 'goods' | 'service';
  categoryId: string | null;
  /** The category and its ancestors, nearest first, for scope matching. */
  categoryIds: string[];
  unit: string;
  barcode: string | null;
  /** Store override applied. */
  priceFen: number;
  /** Store override applied. */
  memberPriceFen: number | null;
  /** The store's moving-average cost when it has kept stock of the SKU, else the catalog's cost. */
  costFen: number;
  durationMinutes: number | null;
  trackStock: boolean;
  /** The product's code: for services, what count cards cover (count_card_template.service_codes). */
  productCode: string | null;
}

const DEFAULT_UNIT: Record<ProductKind, string> = { goods: '件', service: '次' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unique indexes whose violation is the caller's conflict, each with its own code. */
const UNIQUE_CODES = {
  category_sibling_name_unique: 'CATALOG_CATEGORY_NAME_TAKEN',
  product_code_unique: 'CATALOG_PRODUCT_CODE_TAKEN',
  sku_active_barcode_unique: 'CATALOG_BARCODE_TAKEN',
} as const;

/**
 * The chain's catalog (商品 / 服务项目): a category tree, products and services sold as SKUs with
 * the chain's prices, and each store's own prices (门店价格). HQ manages the catalog; a store's
 * manager may set his store's prices when his role allows it. Every price change is audited.
 */
@Injectable()
export class CatalogService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: CatalogRepository,
    private readonly audit: AuditService,
  ) {}

  // ---- categories ----

  async categories(q: ListCategoriesQuery): Promise<CategoryResponse[]> {
    const rows = await this.repo.categories(this.tx.manager);
    const tree = buildTree(rows);
    return q.status ? pruneByStatus(tree, q.status) : tree;
  }

  createCategory(input: CreateCategoryRequest): Promise<CategoryResponse> {
    return this.write(async (m) => {
      if (input.parentId && !(await this.repo.findCategory(m, input.parentId))) throw new AppError('CATALOG_CATEGORY_NOT_FOUND', { parentId: input.parentId });
      const c = await this.repo.saveCategory(m, { name: input.name.trim(), parentId: input.parentId ?? null, sortOrder: input.sortOrder ?? 0, status: input.status ?? 'active' });
      const after = { id: c.id, parentId: c.parentId, name: c.name, sortOrder: c.sortOrder, status: c.status };
      await this.audit.record(m, { action: 'catalog.category.create', entityType: 'category', entityId: c.id, after });
      return { ...after, productCount: 0, children: [] };
    });
  }

  updateCategory(categoryId: string, input: UpdateCategoryRequest): Promise<CategoryResponse> {
    return this.write(async (m) => {
      const c = await this.repo.findCategory(m, categoryId);
      if (!c) throw new AppError('CATALOG_CATEGORY_NOT_FOUND');
      const before = { parentId: c.parentId, name: c.name, sortOrder: c.sortOrder, status: c.status };
      if (input.parentId !== undefined && input.parentId !== c.parentId) {
        await this.repo.lockTree(m);
        const parents = await this.repo.parentMap(m);
        if (input.parentId !== null && !parents.has(input.parentId)) throw new AppError('CATALOG_CATEGORY_NOT_FOUND', { parentId: input.parentId });
        if (wouldCycle(categoryId, input.parentId, parents)) throw new AppError('CATALOG_CATEGORY_CYCLE');
        c.parentId = input.parentId;
      }
      if (input.name !== undefined) c.name = input.name.trim();
      if (input.sortOrder !== undefined) c.sortOrder = input.sortOrder;
      if (input.status !== undefined) c.status = input.status;
      await this.repo.saveCategory(m, c);
      const after = { parentId: c.parentId, name: c.name, sortOrder: c.sortOrder, status: c.status };
      await this.audit.record(m, { action: 'catalog.category.update', entityType: 'category', entityId: categoryId, ...diff(before, after) });
      const row = (await this.repo.categories(m)).find((x) => x.id === categoryId)!;
      return { ...row, children: [] };
    });
  }

  // ---- products and SKUs ----

  async products(q: ListProductsQuery): Promise<Page<ProductResponse>> {
    const [rows, total] = await this.repo.searchProducts(this.tx.manager, q, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(await this.withSkus(this.tx.manager, rows), total, q);
  }

  async product(productId: string): Promise<ProductResponse> {
    return this.requireProduct(this.tx.manager, productId);
  }

  createProduct(input: CreateProductRequest): Promise<ProductResponse> {
    return this.write(async (m) => {
      checkDuration(input.kind, input.durationMinutes);
      input.skus.forEach((s, i) => checkMemberPrice(s.priceFen, s.memberPriceFen ?? null, `skus[${i}].memberPriceFen`));
      if (input.categoryId && !(await this.repo.findCategory(m, input.categoryId))) throw new AppError('CATALOG_CATEGORY_NOT_FOUND', { categoryId: input.categoryId });
      const keys = searchKeys(input.name);
      const p = await this.repo.saveProduct(m, {
        name: input.name.trim(),
        kind: input.kind,
        categoryId: input.categoryId ?? null,
        code: input.code ?? null,
        description: input.description ?? '',
        durationMinutes: input.kind === 'service' ? input.durationMinutes! : null,
        status: input.status ?? 'active',
        sortOrder: input.sortOrder ?? 0,
        pinyinInitials: keys.initials,
        pinyinFull: keys.full,
        pinyinSearch: keys.search,
        searchGrams: productGrams(input.name.trim(), keys),
      });
      for (const [i, s] of input.skus.entries()) await this.repo.saveSku(m, newSku(p, s, i));
      const after = await this.requireProduct(m, p.id);
      await this.audit.record(m, { action: 'catalog.product.create', entityType: 'product', entityId: p.id, after: { ...after } });
      return after;
    });
  }

  updateProduct(productId: string, input: UpdateProductRequest): Promise<ProductResponse> {
    return this.write(async (m) => {
      const p = await this.repo.findProduct(m, productId);
      if (!p) throw new AppError('CATALOG_PRODUCT_NOT_FOUND');
      const before = productFields(p);
      if (input.durationMinutes !== undefined) checkDuration(p.kind, input.durationMinutes);
      if (input.categoryId && !(await this.repo.findCategory(m, input.categoryId))) throw new AppError('CATALOG_CATEGORY_NOT_FOUND', { categoryId: input.categoryId });
      if (input.name !== undefined) {
        p.name = input.name.trim();
        const keys = searchKeys(p.name);
        p.pinyinInitials = keys.initials;
        p.pinyinFull = keys.full;
        p.pinyinSearch = keys.search;
        p.searchGrams = productGrams(p.name, keys);
      }
      for (const key of ['categoryId', 'code', 'description', 'durationMinutes', 'status', 'sortOrder'] as const) {
        if (input[key] !== undefined) (p as unknown as Record<string, unknown>)[key] = input[key];
      }
      const { categoryName: _, ...entity } = p;
      await this.repo.saveProduct(m, entity);
      const after = await this.requireProduct(m, productId);
      await this.audit.record(m, { action: 'catalog.product.update', entityType: 'product', entityId: productId, ...diff(before, productFields(after)) });
      return after;
    });
  }

  addSku(productId: string, input: SkuInput): Promise<SkuResponse> {
    return this.write(async (m) => {
      const p = await this.repo.findProduct(m, productId);
      if (!p) throw new AppError('CATALOG_PRODUCT_NOT_FOUND');
      checkMemberPrice(input.priceFen, input.memberPriceFen ?? null, 'memberPriceFen');
      const count = (await this.repo.skusOf(m, [productId])).length;
      const sku = toSkuResponse(await this.repo.saveSku(m, newSku(p, input, count)));
      await this.audit.record(m, { action: 'catalog.sku.create', entityType: 'sku', entityId: sku.id, after: { ...sku } });
      return sku;
    });
  }

  /** Edits a SKU; a change of the chain's prices (or cost) is in the audit entry's before/after. */
  updateSku(skuId: string, input: UpdateSkuRequest): Promise<SkuResponse> {
    return this.write(async (m) => {
      const sku = await this.repo.findSku(m, skuId);
      if (!sku) throw new AppError('CATALOG_SKU_NOT_FOUND');
      const before = toSkuResponse(sku);
      for (const key of ['specName', 'barcode', 'unit', 'trackStock', 'status', 'sortOrder'] as const) {
        if (input[key] !== undefined) (sku as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (input.costFen !== undefined) sku.costFen = String(input.costFen);
      if (input.priceFen !== undefined) sku.priceFen = String(input.priceFen);
      if (input.memberPriceFen !== undefined) sku.memberPriceFen = input.memberPriceFen === null ? null : String(input.memberPriceFen);
      checkMemberPrice(Number(sku.priceFen), sku.memberPriceFen === null ? null : Number(sku.memberPriceFen), 'memberPriceFen');
      const after = toSkuResponse(await this.repo.saveSku(m, sku));
      const changes = diff(before, after);
      delete changes.before.updatedAt;
      delete changes.after.updatedAt;
      const priceChanged = ['priceFen', 'memberPriceFen', 'costFen'].some((k) => k in changes.after);
      await this.audit.record(m, { action: priceChanged ? 'catalog.sku.price' : 'catalog.sku.update', entityType: 'sku', entityId: skuId, ...changes });
      return after;
    });
  }

  // ---- a store's view and its own prices ----

  /** What the store sells, as the cashier searches it: active SKUs, the store's prices, its stock. */
  async storeItems(storeId: string, q: CatalogSearchQuery): Promise<Page<StoreItemResponse>> {
    const [rows, total] = await this.repo.storeItems(this.tx.manager, storeId, { ...q, sellableOnly: true }, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toStoreItemResponse), total, q);
  }

  async storePrices(storeId: string, q: PageQuery): Promise<Page<StorePriceResponse>> {
    const [rows, total] = await this.repo.storePrices(this.tx.manager, storeId, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toStorePriceResponse), total, q);
  }

  /** Sets the store's own price pair (HQ, or the store's manager with catalog.store_price); audited. */
  setStorePrice(actor: StaffActor, storeId: string, skuId: string, input: SetStorePriceRequest): Promise<StorePriceResponse> {
    return this.write(async (m) => {
      if (!(await this.repo.findSku(m, skuId))) throw new AppError('CATALOG_SKU_NOT_FOUND');
      const memberPriceFen = input.memberPriceFen ?? null;
      checkMemberPrice(input.priceFen, memberPriceFen, 'memberPriceFen');
      const before = await this.repo.lockStorePrice(m, storeId, skuId);
      await this.repo.upsertStorePrice(m, storeId, skuId, input.priceFen, memberPriceFen, actor.id);
      const [[row]] = await this.repo.storePrices(m, storeId, 0, 1, skuId);
      await this.audit.record(m, {
        action: 'catalog.store_price.set',
        entityType: 'sku_store_price',
        entityId: skuId,
        storeId,
        before,
        after: { priceFen: input.priceFen, memberPriceFen },
      });
      return toStorePriceResponse(row);
    });
  }

  /** Removes the store's own prices: the chain's apply again. */
  removeStorePrice(storeId: string, skuId: string): Promise<void> {
    return this.write(async (m) => {
      const before = await this.repo.lockStorePrice(m, storeId, skuId);
      if (!before) throw new AppError('CATALOG_STORE_PRICE_NOT_FOUND');
      await this.repo.deleteStorePrice(m, storeId, skuId);
      await this.audit.record(m, { action: 'catalog.store_price.remove', entityType: 'sku_store_price', entityId: skuId, storeId, before, after: null });
    });
  }

  /**
   * The SKUs of a cart as the pricing engine sees them at a store: the store's own prices applied,
   * the category with its ancestors. Unknown SKUs are CATALOG_SKU_NOT_FOUND; a SKU that is not on
   * sale (it or its product inactive) is CATALOG_SKU_INACTIVE. Items come in the order asked for,
   * once each.
   */
  async itemsForPricing(m: EntityManager, storeId: string, skuIds: string[]): Promise<PricingItem[]> {
    const wanted = [...new Set(skuIds)];
    const valid = wanted.filter((id) => UUID.test(id));
    const [rows] = valid.length ? await this.repo.storeItems(m, storeId, { skuIds: valid }, 0, valid.length) : [[] as StoreItemRow[]];
    const byId = new Map(rows.map((r) => [r.skuId, r]));
    const missing = wanted.filter((id) => !byId.has(id));
    if (missing.length) throw new AppError('CATALOG_SKU_NOT_FOUND', { skuIds: missing });
    const inactive = rows.filter((r) => r.skuStatus !== 'active' || r.productStatus !== 'active').map((r) => r.skuId);
    if (inactive.length) throw new AppError('CATALOG_SKU_INACTIVE', { skuIds: inactive });
    const lineages = await this.repo.lineages(m, [...new Set(rows.map((r) => r.categoryId).filter((c): c is string => !!c))]);
    return wanted.map((id) => {
      const r = byId.get(id)!;
      return {
        skuId: r.skuId,
        productId: r.productId,
        productName: r.productName,
        skuName: r.specName,
        kind: r.kind,
        categoryId: r.categoryId,
        categoryIds: r.categoryId ? (lineages.get(r.categoryId) ?? [r.categoryId]) : [],
        unit: r.unit,
        barcode: r.barcode,
        priceFen: r.priceFen,
        memberPriceFen: r.memberPriceFen,
        costFen: r.costFen,
        durationMinutes: r.durationMinutes,
        trackStock: r.trackStock,
        productCode: r.code,
      };
    });
  }

  /** Labels of SKUs by id (unknown ids are simply absent), for documents of other capabilities. */
  async skuLabels(m: EntityManager, skuIds: string[]): Promise<Map<string, SkuLabelRow>> {
    const valid = [...new Set(skuIds)].filter((id) => UUID.test(id));
    if (!valid.length) return new Map();
    return new Map((await this.repo.skuLabels(m, { skuIds: valid })).map((r) => [r.skuId, r]));
  }

  /** Active SKUs by barcode (a barcode is unique among active SKUs), e.g. for a stocktake's scans. */
  async skusByBarcode(m: EntityManager, barcodes: string[]): Promise<Map<string, SkuLabelRow>> {
    const wanted = [...new Set(barcodes)];
    if (!wanted.length) return new Map();
    return new Map((await this.repo.skuLabels(m, { barcodes: wanted })).map((r) => [r.barcode!, r]));
  }

  /** The ids among these that are categories. */
  async existingCategories(m: EntityManager, ids: string[]): Promise<Set<string>> {
    const valid = ids.filter((id) => UUID.test(id));
    return new Set(valid.length ? await this.repo.categoriesExist(m, valid) : []);
  }

  // ---- settings ----

  async settings(): Promise<CatalogSettingsResponse> {
    return this.tx.run(async (m) => toSettingsResponse(await this.repo.settings(m)));
  }

  updateSettings(input: UpdateCatalogSettingsRequest): Promise<CatalogSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m, true);
      const before = toSettingsResponse(s);
      if (input.allowNegativeStock !== undefined) {
        // The row lock waits for every sale that read "allowed" (they share-lock it), so this count is final.
        if (!input.allowNegativeStock && s.allowNegativeStock) {
          const negative = await this.repo.negativeStockRows(m);
          if (negative > 0) throw new AppError('CATALOG_NEGATIVE_STOCK_EXISTS', { rows: negative });
        }
        s.allowNegativeStock = input.allowNegativeStock;
      }
      const after = toSettingsResponse(await this.repo.saveSettings(m, s));
      const { updatedAt: _b, ...b } = before;
      const { updatedAt: _a, ...a } = after;
      await this.audit.record(m, { action: 'catalog.settings.update', entityType: 'catalog_settings', entityId: '1', ...diff(b, a) });
      return after;
    });
  }

  // ---- helpers ----

  /** A write use case whose unique-index conflicts answer with their own codes. */
  private async write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tx.run(fn);
    } catch (err) {
      const constraint = pgErrorCode(err) === '23505' ? pgConstraint(err) : undefined;
      if (constraint && constraint in UNIQUE_CODES) throw new AppError(UNIQUE_CODES[constraint as keyof typeof UNIQUE_CODES]);
      throw err;
    }
  }

  private async requireProduct(m: EntityManager, productId: string): Promise<ProductResponse> {
    const p = await this.repo.findProduct(m, productId);
    if (!p) throw new AppError('CATALOG_PRODUCT_NOT_FOUND');
    return (await this.withSkus(m, [p]))[0];
  }

  private async withSkus(m: EntityManager, rows: ProductRow[]): Promise<ProductResponse[]> {
    const skus = await this.repo.skusOf(m, rows.map((r) => r.id));
    return rows.map((p) => toProductResponse(p, skus.filter((s) => s.productId === p.id)));
  }
}

function checkDuration(kind: ProductKind, minutes: number | undefined): void {
  if (kind === 'service' && minutes === undefined) throw new AppError('VALIDATION_FAILED', [{ field: 'durationMinutes', errors: ['a service needs its duration in minutes'] }]);
  if (kind === 'goods' && minutes !== undefined) throw new AppError('VALIDATION_FAILED', [{ field: 'durationMinutes', errors: ['goods have no duration'] }]);
}

function checkMemberPrice(priceFen: number, memberPriceFen: number | null, field: string): void {
  if (memberPriceFen !== null && memberPriceFen > priceFen) throw new AppError('VALIDATION_FAILED', [{ field, errors: ['the member price cannot be above the price'] }]);
}

function newSku(p: ProductEntity, s: SkuInput, index: number): Partial<SkuEntity> {
  return {
    productId: p.id,
    specName: s.specName ?? null,
    barcode: s.barcode ?? null,
    unit: s.unit ?? DEFAULT_UNIT[p.kind],
    costFen: String(s.costFen ?? 0),
    priceFen: String(s.priceFen),
    memberPriceFen: s.memberPriceFen === undefined || s.memberPriceFen === null ? null : String(s.memberPriceFen),
    status: s.status ?? 'active',
    trackStock: s.trackStock ?? p.kind === 'goods',
    sortOrder: s.sortOrder ?? index,
  };
}

function pruneByStatus(nodes: Tree<CategoryRow>[], status: CategoryRow['status']): Tree<CategoryRow>[] {
  return nodes.filter((n) => n.status === status).map((n) => ({ ...n, children: pruneByStatus(n.children, status) }));
}

function productFields(p: ProductRow | ProductResponse) {
  return { name: p.name, categoryId: p.categoryId, code: p.code, description: p.description, durationMinutes: p.durationMinutes, status: p.status, sortOrder: p.sortOrder };
}

function toSkuResponse(s: SkuEntity): SkuResponse {
  return {
    id: s.id,
    productId: s.productId,
    specName: s.specName,
    barcode: s.barcode,
    unit: s.unit,
    costFen: Number(s.costFen),
    priceFen: Number(s.priceFen),
    memberPriceFen: s.memberPriceFen === null ? null : Number(s.memberPriceFen),
    status: s.status,
    trackStock: s.trackStock,
    sortOrder: s.sortOrder,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

function toProductResponse(p: ProductRow, skus: SkuEntity[]): ProductResponse {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    categoryId: p.categoryId,
    categoryName: p.categoryName,
    code: p.code,
    description: p.description,
    durationMinutes: p.durationMinutes,
    status: p.status,
    sortOrder: p.sortOrder,
    pinyinInitials: p.pinyinInitials,
    pinyinFull: p.pinyinFull,
    skus: skus.map(toSkuResponse),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function toStoreItemResponse(r: StoreItemRow): StoreItemResponse {
  return {
    skuId: r.skuId,
    productId: r.productId,
    productName: r.productName,
    specName: r.specName,
    kind: r.kind,
    categoryId: r.categoryId,
    code: r.code,
    barcode: r.barcode,
    unit: r.unit,
    priceFen: r.priceFen,
    memberPriceFen: r.memberPriceFen,
    storePrice: r.storePrice,
    durationMinutes: r.durationMinutes,
    trackStock: r.trackStock,
    stock: r.stock,
  };
}

function toStorePriceResponse(r: StorePriceRow): StorePriceResponse {
  return { ...r, updatedAt: r.updatedAt.toISOString() };
}

function toSettingsResponse(s: { allowNegativeStock: boolean; updatedAt: Date }): CatalogSettingsResponse {
  return { allowNegativeStock: s.allowNegativeStock, updatedAt: s.updatedAt.toISOString() };
}
