import { TransactionHost } from '../../../src/common/db/transaction-host';
import { CatalogService } from '../../../src/modules/catalog/catalog.service';
import { makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };
interface Sku {
  id: string;
  specName: string | null;
  barcode: string | null;
  unit: string;
  priceFen: number;
  memberPriceFen: number | null;
  trackStock: boolean;
  status: string;
}
interface Product {
  id: string;
  name: string;
  kind: string;
  pinyinInitials: string;
  skus: Sku[];
}

describe('catalog', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Auth;
  let managerA: Auth;
  let cashierA: Auth;
  const cat: Record<string, string> = {};
  const prod: Record<string, Product> = {};

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    managerA = (await signedIn(t.ds, t.http, 'store_manager', [storeA.id])).auth;
    cashierA = (await signedIn(t.ds, t.http, 'cashier', [storeA.id])).auth;
  });
  afterAll(() => t.close());

  const category = (body: object, auth = owner) => t.http.post('/api/catalog/categories').set(auth).send(body);
  const product = async (body: object) => {
    const res = await t.http.post('/api/catalog/products').set(owner).send(body);
    if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Product;
  };
  const search = async (query: Record<string, string | number>, auth = cashierA) => (await t.http.get('/api/catalog/products').set(auth).query(query).expect(200)).body;
  const names = (page: { items: { name: string }[] }) => page.items.map((p) => p.name).sort();
  const fields = (res: { body: { error: { details: { field: string }[] } } }) => res.body.error.details.map((d) => d.field).sort();

  it('lets HQ build the category tree, and refuses cycles, duplicate siblings and store staff', async () => {
    for (const [key, body] of [
      ['drinks', { name: '饮品', sortOrder: 1 }],
      ['snacks', { name: '零食', sortOrder: 2 }],
      ['salon', { name: '美发', sortOrder: 3 }],
    ] as const) {
      cat[key] = (await category(body).expect(201)).body.id;
    }
    cat.milkTea = (await category({ name: '奶茶', parentId: cat.drinks, sortOrder: 1 }).expect(201)).body.id;
    cat.fruitTea = (await category({ name: '果茶', parentId: cat.drinks, sortOrder: 2 }).expect(201)).body.id;
    cat.pearl = (await category({ name: '珍珠系列', parentId: cat.milkTea }).expect(201)).body.id;

    expect((await category({ name: '奶茶', parentId: cat.drinks })).body.error.code).toBe('CATALOG_CATEGORY_NAME_TAKEN');
    expect((await category({ name: '零食' })).body.error.code).toBe('CATALOG_CATEGORY_NAME_TAKEN');
    await category({ name: '奶茶' }).expect(201); // the same name elsewhere in the tree is fine
    expect((await category({ name: '新品', parentId: '00000000-0000-4000-8000-000000000000' })).body.error.code).toBe('CATALOG_CATEGORY_NOT_FOUND');
    await category({ name: '店长的分类' }, managerA).expect(403);
    const bad = await category({ name: '', sortOrder: -1, extra: 1 });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['extra', 'name', 'sortOrder']);

    const cycle = await t.http.patch(`/api/catalog/categories/${cat.drinks}`).set(owner).send({ parentId: cat.pearl }).expect(409);
    expect(cycle.body.error.code).toBe('CATALOG_CATEGORY_CYCLE');
    await t.http.patch(`/api/catalog/categories/${cat.drinks}`).set(owner).send({ parentId: cat.drinks }).expect(409);
    const moved = await t.http.patch(`/api/catalog/categories/${cat.fruitTea}`).set(owner).send({ parentId: null, sortOrder: 9 }).expect(200);
    expect(moved.body).toMatchObject({ id: cat.fruitTea, parentId: null, sortOrder: 9 });
    await t.http.patch(`/api/catalog/categories/${cat.fruitTea}`).set(owner).send({ parentId: cat.drinks, sortOrder: 2 }).expect(200);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'catalog.category.update' AND entity_id = $1 ORDER BY id LIMIT 1`, [cat.fruitTea]);
    expect(audit).toEqual({ before: { parentId: cat.drinks, sortOrder: 2 }, after: { parentId: null, sortOrder: 9 } });

    const tree = (await t.http.get('/api/catalog/categories').set(cashierA).expect(200)).body;
    const drinks = tree.find((c: { id: string }) => c.id === cat.drinks);
    expect(drinks.children.map((c: { name: string }) => c.name)).toEqual(['奶茶', '果茶']);
    expect(drinks.children[0].children.map((c: { name: string }) => c.name)).toEqual(['珍珠系列']);

    await t.http.patch(`/api/catalog/categories/${cat.salon}`).set(owner).send({ status: 'inactive' }).expect(200);
    const active = (await t.http.get('/api/catalog/categories').set(cashierA).query({ status: 'active' }).expect(200)).body;
    expect(active.map((c: { id: string }) => c.id)).not.toContain(cat.salon);
    await t.http.patch(`/api/catalog/categories/${cat.salon}`).set(owner).send({ status: 'active' }).expect(200);
  });

  it('adds goods and services with their SKUs, defaults by kind, and refuses bad input', async () => {
    prod.pearl = await product({
      name: '珍珠奶茶',
      kind: 'goods',
      categoryId: cat.pearl,
      skus: [
        { specName: '中杯', unit: '杯', priceFen: 1500, memberPriceFen: 1300, costFen: 400, trackStock: false },
        { specName: '大杯', unit: '杯', priceFen: 1800, memberPriceFen: 1600, costFen: 500, trackStock: false },
      ],
    });
    expect(prod.pearl).toMatchObject({ name: '珍珠奶茶', kind: 'goods', pinyinInitials: 'zznc', pinyinFull: 'zhenzhunaicha', categoryName: '珍珠系列', durationMinutes: null });
    expect(prod.pearl.skus.map((s) => [s.specName, s.priceFen, s.memberPriceFen, s.trackStock])).toEqual([
      ['中杯', 1500, 1300, false],
      ['大杯', 1800, 1600, false],
    ]);
    prod.assam = await product({ name: '阿萨姆奶茶', kind: 'goods', categoryId: cat.milkTea, skus: [{ priceFen: 1200 }] });
    prod.mango = await product({ name: '杨枝甘露', kind: 'goods', categoryId: cat.fruitTea, skus: [{ priceFen: 2200, memberPriceFen: 2000 }] });
    prod.candy = await product({ name: '大白兔奶糖', kind: 'goods', categoryId: cat.snacks, skus: [{ specName: '200g', barcode: '6901234567892', priceFen: 1590, costFen: 900 }] });
    expect(prod.candy.skus[0]).toMatchObject({ unit: '件', trackStock: true, status: 'active', memberPriceFen: null });
    prod.cut = await product({ name: '洗剪吹', kind: 'service', code: 'wash_cut', categoryId: cat.salon, durationMinutes: 45, skus: [{ priceFen: 8800, memberPriceFen: 6800 }] });
    expect(prod.cut).toMatchObject({ kind: 'service', durationMinutes: 45, code: 'wash_cut' });
    expect(prod.cut.skus[0]).toMatchObject({ unit: '次', trackStock: false });

    const noDuration = await t.http.post('/api/catalog/products').set(owner).send({ name: '精油按摩', kind: 'service', skus: [{ priceFen: 19800 }] }).expect(400);
    expect(fields(noDuration)).toEqual(['durationMinutes']);
    const goodsDuration = await t.http.post('/api/catalog/products').set(owner).send({ name: '矿泉水', kind: 'goods', durationMinutes: 5, skus: [{ priceFen: 300 }] }).expect(400);
    expect(fields(goodsDuration)).toEqual(['durationMinutes']);
    const memberAbove = await t.http.post('/api/catalog/products').set(owner).send({ name: '矿泉水', kind: 'goods', skus: [{ priceFen: 300 }, { priceFen: 300, memberPriceFen: 301 }] }).expect(400);
    expect(fields(memberAbove)).toEqual(['skus[1].memberPriceFen']);
    const invalid = await t.http.post('/api/catalog/products').set(owner).send({ name: '矿泉水', kind: 'drink', skus: [{ priceFen: 1.5, barcode: 'a b' }] }).expect(400);
    expect(fields(invalid)).toEqual(['kind', 'skus[0].barcode', 'skus[0].priceFen']);
    expect(fields(await t.http.post('/api/catalog/products').set(owner).send({ name: '矿泉水', kind: 'goods', skus: [] }).expect(400))).toEqual(['skus']);
    const dupCode = await t.http.post('/api/catalog/products').set(owner).send({ name: '洗剪吹(新)', kind: 'service', code: 'wash_cut', durationMinutes: 30, skus: [{ priceFen: 1 }] }).expect(409);
    expect(dupCode.body.error.code).toBe('CATALOG_PRODUCT_CODE_TAKEN');
    await t.http.post('/api/catalog/products').set(managerA).send({ name: '矿泉水', kind: 'goods', skus: [{ priceFen: 300 }] }).expect(403);
    const missingCat = await t.http.post('/api/catalog/products').set(owner).send({ name: '矿泉水', kind: 'goods', categoryId: '00000000-0000-4000-8000-000000000000', skus: [{ priceFen: 300 }] }).expect(404);
    expect(missingCat.body.error.code).toBe('CATALOG_CATEGORY_NOT_FOUND');

    const created = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'catalog.product.create' AND entity_id = $1`, [prod.pearl.id]);
    expect(created[0].after.skus.map((s: { priceFen: number }) => s.priceFen)).toEqual([1500, 1800]);
  });

  it('keeps a barcode unique among active SKUs only', async () => {
    const dup = await t.http.post('/api/catalog/products').set(owner).send({ name: '大白兔奶糖 新装', kind: 'goods', skus: [{ barcode: '6901234567892', priceFen: 1690 }] }).expect(409);
    expect(dup.body.error.code).toBe('CATALOG_BARCODE_TAKEN');
    const extra = await t.http.post(`/api/catalog/products/${prod.candy.id}/skus`).set(owner).send({ specName: '500g', barcode: '6901234567908', priceFen: 3500 }).expect(201);
    expect(extra.body).toMatchObject({ specName: '500g', trackStock: true, sortOrder: 1 });
    const clash = await t.http.patch(`/api/catalog/skus/${extra.body.id}`).set(owner).send({ barcode: '6901234567892' }).expect(409);
    expect(clash.body.error.code).toBe('CATALOG_BARCODE_TAKEN');
    // Retiring the old SKU frees its barcode for its successor.
    await t.http.patch(`/api/catalog/skus/${prod.candy.skus[0].id}`).set(owner).send({ status: 'inactive' }).expect(200);
    await t.http.patch(`/api/catalog/skus/${extra.body.id}`).set(owner).send({ barcode: '6901234567892' }).expect(200);
    const back = await t.http.patch(`/api/catalog/skus/${prod.candy.skus[0].id}`).set(owner).send({ status: 'active' }).expect(409);
    expect(back.body.error.code).toBe('CATALOG_BARCODE_TAKEN');
    await t.http.patch(`/api/catalog/skus/${extra.body.id}`).set(owner).send({ barcode: '6901234567908' }).expect(200);
    await t.http.patch(`/api/catalog/skus/${prod.candy.skus[0].id}`).set(owner).send({ status: 'active' }).expect(200);
  });

  it('searches by barcode, name, pinyin initials and full pinyin, category with sub-categories, kind and status, page by page', async () => {
    expect(names(await search({ q: 'nc' }))).toEqual(['珍珠奶茶', '阿萨姆奶茶']);
    expect(names(await search({ q: 'NC' }))).toEqual(['珍珠奶茶', '阿萨姆奶茶']);
    expect(names(await search({ q: 'zznc' }))).toEqual(['珍珠奶茶']);
    expect(names(await search({ q: 'naicha' }))).toEqual(['珍珠奶茶', '阿萨姆奶茶']);
    expect(names(await search({ q: 'nt' }))).toEqual(['大白兔奶糖']); // 奶糖 nai tang
    expect(names(await search({ q: '奶茶' }))).toEqual(['珍珠奶茶', '阿萨姆奶茶']);
    expect(names(await search({ q: '甘露' }))).toEqual(['杨枝甘露']);
    expect(names(await search({ q: '6901234567892' }))).toEqual(['大白兔奶糖']);
    expect(names(await search({ barcode: '6901234567892' }))).toEqual(['大白兔奶糖']);
    expect(names(await search({ barcode: '6901234567' }))).toEqual([]);
    expect(names(await search({ q: 'wash_cut' }))).toEqual(['洗剪吹']);
    expect(names(await search({ q: '100%' }))).toEqual([]);
    expect(names(await search({ categoryId: cat.drinks }))).toEqual(['杨枝甘露', '珍珠奶茶', '阿萨姆奶茶'].sort());
    expect(names(await search({ categoryId: cat.milkTea }))).toEqual(['珍珠奶茶', '阿萨姆奶茶']);
    expect(names(await search({ categoryId: cat.drinks, q: 'zz' }))).toEqual(['珍珠奶茶']);
    expect(names(await search({ kind: 'service' }))).toEqual(['洗剪吹']);

    // Initials that start the name come before those inside it.
    const ranked = await search({ q: 'a' });
    expect(ranked.items[0].name).toBe('阿萨姆奶茶');

    const page1 = await search({ categoryId: cat.drinks, pageSize: 2 });
    const page2 = await search({ categoryId: cat.drinks, pageSize: 2, page: 2 });
    expect(page1).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page2.items).toHaveLength(1);
    expect(new Set([...page1.items, ...page2.items].map((p: { id: string }) => p.id)).size).toBe(3);

    // A rename recomputes the pinyin keys; an inactive product is found by status.
    const renamed = await t.http.patch(`/api/catalog/products/${prod.assam.id}`).set(owner).send({ name: '锡兰红茶', status: 'inactive' }).expect(200);
    expect(renamed.body).toMatchObject({ pinyinInitials: 'xlhc', pinyinFull: 'xilanhongcha', status: 'inactive' });
    expect(names(await search({ q: 'xlhc' }))).toEqual(['锡兰红茶']);
    expect(names(await search({ q: 'nc' }))).toEqual(['珍珠奶茶']);
    expect(names(await search({ status: 'inactive' }))).toEqual(['锡兰红茶']);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'catalog.product.update' AND entity_id = $1`, [prod.assam.id]);
    expect(audit).toEqual({ before: { name: '阿萨姆奶茶', status: 'active' }, after: { name: '锡兰红茶', status: 'inactive' } });

    const bad = await t.http.get('/api/catalog/products').set(cashierA).query({ kind: 'x', categoryId: 'nope', pageSize: 500 }).expect(400);
    expect(fields(bad)).toEqual(['categoryId', 'kind', 'pageSize']);
    await t.http.get(`/api/catalog/products/${prod.cut.id}`).set(cashierA).expect(200);
    await t.http.get('/api/catalog/products/00000000-0000-4000-8000-000000000000').set(cashierA).expect(404);
  });

  it('audits every change of the chain’s prices', async () => {
    const sku = prod.mango.skus[0];
    await t.http.patch(`/api/catalog/skus/${sku.id}`).set(owner).send({ priceFen: 2300, memberPriceFen: null }).expect(200);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'catalog.sku.price' AND entity_id = $1`, [sku.id]);
    expect(audit).toEqual({ before: { priceFen: 2200, memberPriceFen: 2000 }, after: { priceFen: 2300, memberPriceFen: null } });
    const above = await t.http.patch(`/api/catalog/skus/${sku.id}`).set(owner).send({ memberPriceFen: 2400 }).expect(400);
    expect(fields(above)).toEqual(['memberPriceFen']);
    await t.http.patch(`/api/catalog/skus/${sku.id}`).set(owner).send({ priceFen: 2200, memberPriceFen: 2000 }).expect(200);
    await t.http.patch(`/api/catalog/skus/${sku.id}`).set(managerA).send({ priceFen: 1 }).expect(403);
    await t.http.patch(`/api/catalog/skus/${sku.id}`).set(owner).send({ specName: '标准' }).expect(200);
    const kinds = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [sku.id]);
    expect(kinds.map((r: { action: string }) => r.action)).toEqual(['catalog.sku.price', 'catalog.sku.price', 'catalog.sku.update']);
  });

  it('lets a store’s manager set his store’s own prices, which apply only there', async () => {
    const large = prod.pearl.skus[1];
    const set = await t.http.put(`/api/stores/${storeA.id}/catalog/prices/${large.id}`).set(managerA).send({ priceFen: 2000, memberPriceFen: 1800 }).expect(200);
    expect(set.body).toMatchObject({ storeId: storeA.id, skuId: large.id, productName: '珍珠奶茶', specName: '大杯', priceFen: 2000, memberPriceFen: 1800, chainPriceFen: 1800, chainMemberPriceFen: 1600 });
    await t.http.put(`/api/stores/${storeB.id}/catalog/prices/${large.id}`).set(managerA).send({ priceFen: 1 }).expect(404);
    await t.http.put(`/api/stores/${storeA.id}/catalog/prices/${large.id}`).set(cashierA).send({ priceFen: 1 }).expect(403);
    const above = await t.http.put(`/api/stores/${storeA.id}/catalog/prices/${large.id}`).set(managerA).send({ priceFen: 1000, memberPriceFen: 1200 }).expect(400);
    expect(fields(above)).toEqual(['memberPriceFen']);
    await t.http.put(`/api/stores/${storeA.id}/catalog/prices/00000000-0000-4000-8000-000000000000`).set(managerA).send({ priceFen: 1 }).expect(404);

    const at = async (storeId: string, auth: Auth) =>
      (await t.http.get(`/api/stores/${storeId}/catalog/items`).set(auth).query({ q: 'zznc' }).expect(200)).body.items.find((i: { skuId: string }) => i.skuId === large.id);
    expect(await at(storeA.id, cashierA)).toMatchObject({ priceFen: 2000, memberPriceFen: 1800, storePrice: true, productName: '珍珠奶茶', specName: '大杯', stock: null, trackStock: false });
    expect(await at(storeB.id, owner)).toMatchObject({ priceFen: 1800, memberPriceFen: 1600, storePrice: false });
    const prices = (await t.http.get(`/api/stores/${storeA.id}/catalog/prices`).set(cashierA).expect(200)).body;
    expect(prices).toMatchObject({ total: 1, items: [{ skuId: large.id, priceFen: 2000 }] });
    expect((await t.http.get(`/api/stores/${storeB.id}/catalog/prices`).set(owner).expect(200)).body.total).toBe(0);

    // A store price without a member price means none at that store.
    await t.http.put(`/api/stores/${storeA.id}/catalog/prices/${large.id}`).set(managerA).send({ priceFen: 1900 }).expect(200);
    expect(await at(storeA.id, cashierA)).toMatchObject({ priceFen: 1900, memberPriceFen: null });
    const audits = await t.ds.query(`SELECT action, store_id, before, after FROM audit_log WHERE entity_type = 'sku_store_price' AND entity_id = $1 ORDER BY id`, [large.id]);
    expect(audits).toEqual([
      { action: 'catalog.store_price.set', store_id: storeA.id, before: null, after: { priceFen: 2000, memberPriceFen: 1800 } },
      { action: 'catalog.store_price.set', store_id: storeA.id, before: { priceFen: 2000, memberPriceFen: 1800 }, after: { priceFen: 1900, memberPriceFen: null } },
    ]);

    await t.http.delete(`/api/stores/${storeA.id}/catalog/prices/${large.id}`).set(managerA).expect(204);
    expect(await at(storeA.id, cashierA)).toMatchObject({ priceFen: 1800, memberPriceFen: 1600, storePrice: false });
    const gone = await t.http.delete(`/api/stores/${storeA.id}/catalog/prices/${large.id}`).set(managerA).expect(404);
    expect(gone.body.error.code).toBe('CATALOG_STORE_PRICE_NOT_FOUND');
    // HQ sets any store's prices.
    await t.http.put(`/api/stores/${storeB.id}/catalog/prices/${large.id}`).set(owner).send({ priceFen: 2100, memberPriceFen: 1900 }).expect(200);
  });

  it('lists what a store sells: active items only, searchable, with stock for goods that keep it', async () => {
    const items = (await t.http.get(`/api/stores/${storeA.id}/catalog/items`).set(cashierA).query({ pageSize: 100 }).expect(200)).body.items as { productName: string; specName: string | null; stock: number | null }[];
    const labels = items.map((i) => `${i.productName}${i.specName ? `/${i.specName}` : ''}`).sort();
    expect(labels).toEqual(['大白兔奶糖/200g', '大白兔奶糖/500g', '杨枝甘露/标准', '洗剪吹', '珍珠奶茶/中杯', '珍珠奶茶/大杯'].sort());
    expect(items.find((i) => i.productName === '大白兔奶糖')!.stock).toBe(0);
    const byBarcode = (await t.http.get(`/api/stores/${storeA.id}/catalog/items`).set(cashierA).query({ barcode: '6901234567908' }).expect(200)).body.items;
    expect(byBarcode.map((i: { specName: string }) => i.specName)).toEqual(['500g']);
  });

  it('gives the pricing engine each SKU with the store’s prices and its category’s ancestors', async () => {
    const catalog = t.app.get(CatalogService);
    const tx = t.app.get(TransactionHost);
    const [medium, large] = prod.pearl.skus;
    const items = await tx.run((m) => catalog.itemsForPricing(m, storeB.id, [large.id, prod.cut.skus[0].id, large.id, medium.id]));
    expect(items.map((i) => i.skuId)).toEqual([large.id, prod.cut.skus[0].id, medium.id]);
    expect(items[0]).toEqual({
      skuId: large.id,
      productId: prod.pearl.id,
      productName: '珍珠奶茶',
      skuName: '大杯',
      kind: 'goods',
      categoryId: cat.pearl,
      categoryIds: [cat.pearl, cat.milkTea, cat.drinks],
      unit: '杯',
      barcode: null,
      priceFen: 2100,
      memberPriceFen: 1900,
      costFen: 500,
      durationMinutes: null,
      trackStock: false,
      productCode: null,
    });
    expect(items[1]).toMatchObject({ kind: 'service', durationMinutes: 45, categoryIds: [cat.salon], priceFen: 8800, memberPriceFen: 6800, trackStock: false, productCode: 'wash_cut' });
    expect(items[2]).toMatchObject({ priceFen: 1500, memberPriceFen: 1300 });
    const atA = await tx.run((m) => catalog.itemsForPricing(m, storeA.id, [large.id]));
    expect(atA[0]).toMatchObject({ priceFen: 1800, memberPriceFen: 1600 });

    await expect(tx.run((m) => catalog.itemsForPricing(m, storeA.id, [large.id, '00000000-0000-4000-8000-000000000000', 'junk']))).rejects.toMatchObject({
      code: 'CATALOG_SKU_NOT_FOUND',
      details: { skuIds: ['00000000-0000-4000-8000-000000000000', 'junk'] },
    });
    // The product was made inactive above (锡兰红茶): its SKU is not on sale.
    await expect(tx.run((m) => catalog.itemsForPricing(m, storeA.id, [prod.assam.skus[0].id]))).rejects.toMatchObject({ code: 'CATALOG_SKU_INACTIVE' });
    await t.http.patch(`/api/catalog/skus/${medium.id}`).set(owner).send({ status: 'inactive' }).expect(200);
    await expect(tx.run((m) => catalog.itemsForPricing(m, storeA.id, [medium.id, large.id]))).rejects.toMatchObject({ code: 'CATALOG_SKU_INACTIVE', details: { skuIds: [medium.id] } });
    expect(await tx.run((m) => catalog.itemsForPricing(m, storeA.id, []))).toEqual([]);
  });
});
