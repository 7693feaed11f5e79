import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { StockService } from '../../../src/modules/catalog/stock.service';
import { makeStore, signedIn } from '../../factories';
import { giveStock, makeCategory, makeSku } from '../../factories/catalog';
import { inventoryApi } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

describe('stocktakes', () => {
  let t: TestApp;
  let owner: Auth;
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    api = inventoryApi(t.http);
  });
  afterAll(() => t.close());

  const quantityOf = async (storeId: string, skuId: string) => {
    const [row] = await t.ds.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return row?.quantity ?? 0;
  };
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };
  const sell = (storeId: string, skuId: string, n: number) =>
    t.app.get(TransactionHost).run((m) => t.app.get(StockService).move(m, [{ storeId, skuId, delta: -n, reason: n > 0 ? 'sale' : 'refund', refType: 'order', refId: randomUUID() }]));
  const start = (auth: Auth, storeId: string, body: object) => t.http.post(`/api/stores/${storeId}/stocktakes`).set(auth).send(body);
  const lineOf = async (auth: Auth, id: string, skuId: string) => {
    const res = await t.http.get(`/api/stocktakes/${id}/lines`).query({ pageSize: 200 }).set(auth).expect(200);
    return res.body.items.find((l: { skuId: string }) => l.skuId === skuId);
  };
  const post = (auth: Auth, id: string, uncounted: 'ignore' | 'zero') => t.http.post(`/api/stocktakes/${id}/post`).set(auth).set('Idempotency-Key', api.key()).send({ uncounted });

  it('counts while the store sells: variance = counted − what the ledger held at the count, posted as an adjustment', async () => {
    const store = await makeStore(t.ds);
    const manager = (await signedIn(t.ds, t.http, 'store_manager', [store.id])).auth;
    const candy = await makeSku(t.ds, { name: '奶糖', costFen: 900, barcode: '6900000003001' });
    const chips = await makeSku(t.ds, { name: '薯片', costFen: 500, barcode: '6900000003002' });
    const gum = await makeSku(t.ds, { name: '口香糖', costFen: 300 });
    const retired = await makeSku(t.ds, { name: '停售旧品', status: 'inactive' });
    await makeSku(t.ds, { kind: 'service', name: '洗剪吹' });
    await giveStock(store.id, candy.id, 10);
    await giveStock(store.id, chips.id, 6);
    await giveStock(store.id, gum.id, 4);

    const started = await start(manager, store.id, { scope: 'full', note: '月末盘点' }).expect(201);
    expect(started.body).toMatchObject({ status: 'open', no: expect.stringMatching(/^ST-/), scope: 'full', totals: { lines: 3, countedLines: 0, snapshotValueFen: 10 * 900 + 6 * 500 + 4 * 300 } });
    const id = started.body.id;
    expect((await start(manager, store.id, { scope: 'full' }).expect(409)).body.error.code).toBe('INVENTORY_STOCKTAKE_OPEN_EXISTS');

    // Two sold before the count: they are in "expected", not a loss.
    await sell(store.id, candy.id, 2);
    const counted = await t.http.put(`/api/stocktakes/${id}/counts`).set(manager).send({ lines: [{ skuId: candy.id, quantity: 7 }] }).expect(200);
    expect(counted.body.lines[0]).toMatchObject({ skuId: candy.id, snapshotQuantity: 10, expectedQuantity: 8, movedSinceSnapshot: -2, countedQuantity: 7, varianceQuantity: -1, varianceValueFen: -900 });
    // One sold after the count: in the ledger, not in the count, and not a gain.
    await sell(store.id, candy.id, 1);

    // Scans come in batches and add up; a batch with an unknown barcode changes nothing.
    const unknown = await t.http.post(`/api/stocktakes/${id}/scans`).set(manager).send({ scans: [{ barcode: '6900000003002' }, { barcode: '0000000000' }] }).expect(404);
    expect(unknown.body.error).toMatchObject({ code: 'INVENTORY_BARCODE_NOT_FOUND', details: { barcodes: ['0000000000'] } });
    expect((await lineOf(manager, id, chips.id)).countedQuantity).toBeNull();
    await t.http.post(`/api/stocktakes/${id}/scans`).set(manager).send({ scans: [{ barcode: '6900000003002' }, { barcode: '6900000003002' }, { barcode: '6900000003002' }] }).expect(200);
    const second = await t.http.post(`/api/stocktakes/${id}/scans`).set(manager).send({ scans: [{ barcode: '6900000003002', quantity: 4 }] }).expect(200);
    expect(second.body.lines[0]).toMatchObject({ skuId: chips.id, countedQuantity: 7, expectedQuantity: 6, varianceQuantity: 1, varianceValueFen: 500 });
    const [{ n: entries }] = await t.ds.query('SELECT count(*)::int AS n FROM stocktake_count WHERE stocktake_id = $1', [id]);
    expect(entries).toBe(3);
    await expect(t.ds.query('DELETE FROM stocktake_count WHERE stocktake_id = $1', [id])).rejects.toThrow(/append-only/);

    // Out of the stocktake: a retired item the store never held, or nonsense.
    expect((await t.http.put(`/api/stocktakes/${id}/counts`).set(manager).send({ lines: [{ skuId: retired.id, quantity: 1 }] }).expect(409)).body.error.code).toBe('INVENTORY_STOCKTAKE_OUT_OF_SCOPE');
    const bad = await t.http.put(`/api/stocktakes/${id}/counts`).set(manager).send({ lines: [{ skuId: candy.id, quantity: -1 }] }).expect(400);
    expect(bad.body.error.details[0].field).toBe('lines[0].quantity');

    const report = await t.http.get(`/api/stocktakes/${id}`).set(manager).expect(200);
    expect(report.body.totals).toMatchObject({ lines: 3, countedLines: 2, gainQuantity: 1, gainValueFen: 500, lossQuantity: 1, lossValueFen: 900, netValueFen: -400 });
    const variance = await t.http.get(`/api/stocktakes/${id}/lines`).query({ filter: 'variance' }).set(manager).expect(200);
    expect(variance.body.items.map((l: { skuId: string }) => l.skuId).sort()).toEqual([candy.id, chips.id].sort());
    expect((await t.http.get(`/api/stocktakes/${id}/lines`).query({ filter: 'uncounted' }).set(manager).expect(200)).body.items.map((l: { skuId: string }) => l.skuId)).toEqual([gum.id]);

    const posted = await post(manager, id, 'zero').expect(200);
    expect(posted.body).toMatchObject({ status: 'posted', uncounted: 'zero', totals: { lossQuantity: 1 + 4, lossValueFen: 900 + 4 * 300, gainQuantity: 1 } });
    // candy: counted 7 + the sale after the count (−1) = 6; chips: 7; gum: none found.
    expect(await quantityOf(store.id, candy.id)).toBe(6);
    expect(await quantityOf(store.id, chips.id)).toBe(7);
    expect(await quantityOf(store.id, gum.id)).toBe(0);
    const movements = await t.ds.query(`SELECT sku_id, delta, unit_cost_fen FROM stock_movement WHERE ref_type = 'stocktake' AND ref_id = $1 ORDER BY sku_id`, [id]);
    expect(movements.map((mv: { sku_id: string; delta: number; unit_cost_fen: string }) => [mv.sku_id, mv.delta, Number(mv.unit_cost_fen)]).sort()).toEqual(
      [
        [candy.id, -1, 900],
        [chips.id, 1, 500],
        [gum.id, -4, 300],
      ].sort(),
    );
    expect((await post(manager, id, 'zero').expect(409)).body.error.code).toBe('INVENTORY_STOCKTAKE_STATUS');
    expect((await t.http.put(`/api/stocktakes/${id}/counts`).set(manager).send({ lines: [{ skuId: candy.id, quantity: 1 }] }).expect(409)).body.error.code).toBe('INVENTORY_STOCKTAKE_STATUS');
    const audit = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['inventory.stocktake.start', 'inventory.stocktake.post']);
    // A new one may start once this one is posted.
    await start(manager, store.id, { scope: 'full' }).expect(201);
    await expectReconciled();
  });

  it('counts only the chosen categories (with those below them), and leaves uncounted lines alone when asked', async () => {
    const store = await makeStore(t.ds);
    const drinks = await makeCategory(t.ds, { name: '饮料' });
    const juices = await makeCategory(t.ds, { name: '果汁', parentId: drinks.id });
    const snacks = await makeCategory(t.ds, { name: '零食' });
    const juice = await makeSku(t.ds, { name: '橙汁', categoryId: juices.id, barcode: '6900000004001' });
    const water = await makeSku(t.ds, { name: '水', categoryId: drinks.id });
    const nuts = await makeSku(t.ds, { name: '坚果', categoryId: snacks.id, barcode: '6900000004002' });
    for (const s of [juice, water, nuts]) await giveStock(store.id, s.id, 5);

    expect((await start(owner, store.id, { scope: 'categories' }).expect(400)).body.error.details[0].field).toBe('categoryIds');
    expect((await start(owner, store.id, { scope: 'full', categoryIds: [drinks.id] }).expect(400)).body.error.details[0].field).toBe('categoryIds');
    expect((await start(owner, store.id, { scope: 'categories', categoryIds: [randomUUID()] }).expect(404)).body.error.code).toBe('CATALOG_CATEGORY_NOT_FOUND');
    const st = await start(owner, store.id, { scope: 'categories', categoryIds: [drinks.id] }).expect(201);
    expect(st.body.totals.lines).toBe(2);
    const outside = await t.http.post(`/api/stocktakes/${st.body.id}/scans`).set(owner).send({ scans: [{ barcode: '6900000004002' }] }).expect(409);
    expect(outside.body.error).toMatchObject({ code: 'INVENTORY_STOCKTAKE_OUT_OF_SCOPE', details: { skuIds: [nuts.id] } });
    await t.http.post(`/api/stocktakes/${st.body.id}/scans`).set(owner).send({ scans: [{ barcode: '6900000004001', quantity: 3 }] }).expect(200);
    await post(owner, st.body.id, 'ignore').expect(200);
    expect(await quantityOf(store.id, juice.id)).toBe(3);
    expect(await quantityOf(store.id, water.id)).toBe(5);
    expect(await quantityOf(store.id, nuts.id)).toBe(5);

    const cancelled = await start(owner, store.id, { scope: 'full' }).expect(201);
    await t.http.put(`/api/stocktakes/${cancelled.body.id}/counts`).set(owner).send({ lines: [{ skuId: nuts.id, quantity: 0 }] }).expect(200);
    expect((await t.http.post(`/api/stocktakes/${cancelled.body.id}/cancel`).set(owner).send({ note: '重新盘' }).expect(200)).body.status).toBe('cancelled');
    expect(await quantityOf(store.id, nuts.id)).toBe(5);
    await expectReconciled();
  });

  it('keeps another store’s stocktakes out of reach', async () => {
    const a = await makeStore(t.ds);
    const b = await makeStore(t.ds);
    const managerA = (await signedIn(t.ds, t.http, 'store_manager', [a.id])).auth;
    const cashierA = (await signedIn(t.ds, t.http, 'cashier', [a.id])).auth;
    const atB = await start(owner, b.id, { scope: 'full' }).expect(201);
    expect((await t.http.get(`/api/stocktakes/${atB.body.id}`).set(managerA).expect(404)).body.error.code).toBe('INVENTORY_STOCKTAKE_NOT_FOUND');
    await post(managerA, atB.body.id, 'ignore').expect(404);
    await start(managerA, b.id, { scope: 'full' }).expect(404);
    await start(cashierA, a.id, { scope: 'full' }).expect(403);
  });

  it('posts once when postings race, and lets only one stocktake open per store', async () => {
    const store = await makeStore(t.ds);
    const item = await makeSku(t.ds, { name: '电池' });
    await giveStock(store.id, item.id, 10);
    const opened = await Promise.all(Array.from({ length: 4 }, () => start(owner, store.id, { scope: 'full' })));
    expect(opened.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const id = opened.find((r) => r.status === 201)!.body.id;
    await t.http.put(`/api/stocktakes/${id}/counts`).set(owner).send({ lines: [{ skuId: item.id, quantity: 8 }] }).expect(200);
    const results = await Promise.all(Array.from({ length: 5 }, () => post(owner, id, 'ignore')));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await quantityOf(store.id, item.id)).toBe(8);
    await expectReconciled();
  });
});
