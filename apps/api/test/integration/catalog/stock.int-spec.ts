import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { StockService, type StockMove } from '../../../src/modules/catalog/stock.service';
import { makeStore, signedIn } from '../../factories';
import { giveStock, makeSku, type SkuRow } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };
const key = () => `k-${randomUUID()}`;

describe('stock ledger', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Auth;
  let managerA: Auth;
  let cashierA: Auth;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    managerA = (await signedIn(t.ds, t.http, 'store_manager', [storeA.id])).auth;
    cashierA = (await signedIn(t.ds, t.http, 'cashier', [storeA.id])).auth;
  });
  afterAll(() => t.close());

  const stockOf = async (storeId: string, skuId: string) => {
    const [row] = await t.ds.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return row?.quantity ?? 0;
  };
  const adjust = (storeId: string, skuId: string, body: object, auth = managerA, k = key()) =>
    t.http.post(`/api/stores/${storeId}/stock/${skuId}/adjustments`).set(auth).set('Idempotency-Key', k).send(body);
  const move = (moves: StockMove[]) => t.app.get(TransactionHost).run((m) => t.app.get(StockService).move(m, moves));
  const sale = (storeId: string, skuId: string, delta: number, refId = randomUUID()): StockMove => ({ storeId, skuId, delta, reason: delta < 0 ? 'sale' : 'refund', refType: 'order', refId });
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
    expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['stock_equals_movements', 'no_negative_stock_unless_allowed', 'stock_running_quantity_consistent']));
  };

  it('takes opening stock and corrections from the store’s manager, with a reason, once per key, audited', async () => {
    const tea = await makeSku(t.ds, { name: '茉莉绿茶 500ml', barcode: '6900000000017' });
    const opening = await adjust(storeA.id, tea.id, { type: 'opening', delta: 24, reason: '开业期初库存' }).expect(201);
    expect(opening.body).toMatchObject({ storeId: storeA.id, skuId: tea.id, productName: '茉莉绿茶 500ml', barcode: '6900000000017', quantity: 24, updatedAt: expect.any(String) });

    const k = key();
    const first = await adjust(storeA.id, tea.id, { type: 'adjustment', delta: -4, reason: '破损报废' }, managerA, k).expect(201);
    const replay = await adjust(storeA.id, tea.id, { type: 'adjustment', delta: -4, reason: '破损报废' }, managerA, k).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await stockOf(storeA.id, tea.id)).toBe(20);

    const short = await adjust(storeA.id, tea.id, { type: 'adjustment', delta: -21, reason: '盘亏' }).expect(409);
    expect(short.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { storeId: storeA.id, skuId: tea.id, available: 20, requested: 21 } });
    const bad = await adjust(storeA.id, tea.id, { type: 'gift', delta: 0 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['delta', 'reason', 'type']);
    const noKey = await t.http.post(`/api/stores/${storeA.id}/stock/${tea.id}/adjustments`).set(managerA).send({ type: 'adjustment', delta: 1, reason: 'x' }).expect(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    await adjust(storeA.id, tea.id, { type: 'adjustment', delta: 1, reason: 'x' }, cashierA).expect(403);
    const foreign = await adjust(storeB.id, tea.id, { type: 'adjustment', delta: 1, reason: 'x' }).expect(404);
    expect(foreign.body.error.code).toBe('STORE_NOT_FOUND');
    const service = await makeSku(t.ds, { name: '头皮护理', kind: 'service' });
    expect((await adjust(storeA.id, service.id, { type: 'opening', delta: 1, reason: 'x' }).expect(409)).body.error.code).toBe('STOCK_NOT_TRACKED');
    const missing = await adjust(storeA.id, randomUUID(), { type: 'opening', delta: 1, reason: 'x' }).expect(404);
    expect(missing.body.error.code).toBe('CATALOG_SKU_NOT_FOUND');
    await adjust(storeB.id, tea.id, { type: 'opening', delta: 6, reason: '开业期初库存' }, owner).expect(201);

    const audits = await t.ds.query(`SELECT action, store_id, before, after, reason FROM audit_log WHERE entity_type = 'stock' AND entity_id = $1 ORDER BY id`, [tea.id]);
    expect(audits.map((a: { action: string; before: { quantity: number }; after: { quantity: number }; reason: string }) => [a.action, a.before.quantity, a.after.quantity, a.reason])).toEqual([
      ['stock.opening', 0, 24, '开业期初库存'],
      ['stock.adjustment', 24, 20, '破损报废'],
      ['stock.opening', 0, 6, '开业期初库存'],
    ]);

    const movements = await t.http.get(`/api/stores/${storeA.id}/stock/${tea.id}/movements`).set(cashierA).expect(200);
    expect(movements.body.total).toBe(2);
    expect(movements.body.items.map((mv: { reason: string; delta: number; quantityAfter: number; note: string; refType: string; operatorKind: string }) => [mv.reason, mv.delta, mv.quantityAfter, mv.note, mv.refType, mv.operatorKind])).toEqual([
      ['adjustment', -4, 20, '破损报废', 'stock_adjustment', 'staff'],
      ['opening', 24, 24, '开业期初库存', 'stock_adjustment', 'staff'],
    ]);
    await t.http.get(`/api/stores/${storeB.id}/stock/${tea.id}/movements`).set(cashierA).expect(404);
    await expectReconciled();
  });

  it('lists a store’s stock of every item that keeps stock, searchable, paged', async () => {
    const store = await makeStore(t.ds);
    const candy = await makeSku(t.ds, { name: '大白兔奶糖', barcode: '6900000000024' });
    const chips = await makeSku(t.ds, { name: '乐事薯片' });
    const retired = await makeSku(t.ds, { name: '旧款奶糖', status: 'inactive' });
    await makeSku(t.ds, { name: '洗剪吹', kind: 'service' });
    await giveStock(store.id, candy.id, 12);
    const list = async (query: Record<string, string | number> = {}) =>
      (await t.http.get(`/api/stores/${store.id}/stock`).set(owner).query({ pageSize: 200, ...query }).expect(200)).body as { total: number; items: { skuId: string; quantity: number; updatedAt: string | null }[] };
    const all = await list();
    expect(all.items.find((i) => i.skuId === candy.id)).toMatchObject({ quantity: 12, updatedAt: expect.any(String) });
    expect(all.items.find((i) => i.skuId === chips.id)).toMatchObject({ quantity: 0, updatedAt: null });
    expect(all.items.find((i) => i.skuId === retired.id)).toBeUndefined();
    expect(all.items.every((i) => i.skuId !== undefined)).toBe(true);
    expect((await list({ q: 'dbt' })).items.map((i) => i.skuId)).toEqual([candy.id]);
    expect((await list({ q: '6900000000024' })).items.map((i) => i.skuId)).toEqual([candy.id]);
    expect((await list({ q: 'shupian' })).items.map((i) => i.skuId)).toEqual([chips.id]);
    const page = await list({ pageSize: 1, page: 2 });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(all.total);
    // A retired item still shows while the store holds stock of it.
    await t.ds.query(`UPDATE sku SET status = 'active' WHERE id = $1`, [retired.id]);
    await giveStock(store.id, retired.id, 2);
    await t.ds.query(`UPDATE sku SET status = 'inactive' WHERE id = $1`, [retired.id]);
    expect((await list()).items.find((i) => i.skuId === retired.id)).toMatchObject({ quantity: 2 });
    await t.http.get(`/api/stores/${store.id}/stock`).set(cashierA).expect(404);
  });

  it('moves stock for a sale and its refund in one call each, skipping items that keep no stock', async () => {
    const cup = await makeSku(t.ds, { name: '随行杯' });
    const bag = await makeSku(t.ds, { name: '帆布袋' });
    const massage = await makeSku(t.ds, { name: '精油按摩', kind: 'service' });
    await giveStock(storeA.id, cup.id, 10);
    await giveStock(storeA.id, bag.id, 5);
    const order = randomUUID();
    // Two lines of the same cup, a bag and a service: one movement per sku.
    await move([sale(storeA.id, cup.id, -2, order), sale(storeA.id, massage.id, -1, order), sale(storeA.id, bag.id, -1, order), sale(storeA.id, cup.id, -1, order)]);
    expect(await stockOf(storeA.id, cup.id)).toBe(7);
    expect(await stockOf(storeA.id, bag.id)).toBe(4);
    expect((await t.ds.query('SELECT count(*)::int AS n FROM stock WHERE sku_id = $1', [massage.id]))[0].n).toBe(0);
    const rows = await t.ds.query(`SELECT sku_id, delta, quantity_after, reason, ref_type, ref_id, operator_kind FROM stock_movement WHERE ref_id = $1 ORDER BY id`, [order]);
    expect(rows).toHaveLength(2);
    expect(rows.find((r: { sku_id: string }) => r.sku_id === cup.id)).toMatchObject({ delta: -3, quantity_after: 7, reason: 'sale', ref_type: 'order', operator_kind: 'system' });
    await move([sale(storeA.id, cup.id, 1, order)]);
    expect(await stockOf(storeA.id, cup.id)).toBe(8);

    // A cart that cannot be served changes nothing at all.
    const short = move([sale(storeA.id, bag.id, -1), sale(storeA.id, cup.id, -9)]);
    await expect(short).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { storeId: storeA.id, skuId: cup.id, available: 8, requested: 9 } });
    expect(await stockOf(storeA.id, bag.id)).toBe(4);
    // Stock is per store: none at B.
    await expect(move([sale(storeB.id, cup.id, -1)])).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { available: 0, requested: 1 } });
    await expect(move([sale(storeA.id, randomUUID(), -1)])).rejects.toMatchObject({ code: 'CATALOG_SKU_NOT_FOUND' });
    await move([]);
    await expectReconciled();
  });

  it('lets stock go below zero only while the chain allows it, and will not forbid it while some is negative', async () => {
    const milk = await makeSku(t.ds, { name: '鲜牛奶' });
    await giveStock(storeA.id, milk.id, 1);
    await t.http.get('/api/catalog/settings').set(managerA).expect(403);
    expect((await t.http.get('/api/catalog/settings').set(owner).expect(200)).body.allowNegativeStock).toBe(false);
    await t.http.patch('/api/catalog/settings').set(owner).send({ allowNegativeStock: true }).expect(200);
    await move([sale(storeA.id, milk.id, -3)]);
    expect(await stockOf(storeA.id, milk.id)).toBe(-2);
    await expectReconciled();

    const refused = await t.http.patch('/api/catalog/settings').set(owner).send({ allowNegativeStock: false }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'CATALOG_NEGATIVE_STOCK_EXISTS', details: { rows: 1 } });
    // Goods booked in bring it back up, even past a shortfall.
    await adjust(storeA.id, milk.id, { type: 'adjustment', delta: 2, reason: '补录入库' }).expect(201);
    const off = await t.http.patch('/api/catalog/settings').set(owner).send({ allowNegativeStock: false }).expect(200);
    expect(off.body.allowNegativeStock).toBe(false);
    await expect(move([sale(storeA.id, milk.id, -1)])).rejects.toMatchObject({ code: 'STOCK_INSUFFICIENT' });
    const audits = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'catalog.settings.update' ORDER BY id`);
    expect(audits).toEqual([
      { before: { allowNegativeStock: false }, after: { allowNegativeStock: true } },
      { before: { allowNegativeStock: true }, after: { allowNegativeStock: false } },
    ]);
    await expectReconciled();
  });

  describe('under concurrency', () => {
    let last: SkuRow;

    it('sells the last units exactly once when many sales race for them', async () => {
      last = await makeSku(t.ds, { name: '限量月饼礼盒' });
      await giveStock(storeA.id, last.id, 5);
      const results = await Promise.allSettled(Array.from({ length: 16 }, () => move([sale(storeA.id, last.id, -1)])));
      const sold = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(sold).toBe(5);
      expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(11).fill('STOCK_INSUFFICIENT'));
      expect(await stockOf(storeA.id, last.id)).toBe(0);
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM stock_movement WHERE sku_id = $1 AND reason = 'sale'`, [last.id]);
      expect(n).toBe(5);
      await expectReconciled();
    });

    it('never deadlocks carts that take the same items in opposite orders', async () => {
      const a = await makeSku(t.ds, { name: '柠檬片' });
      const b = await makeSku(t.ds, { name: '蜂蜜' });
      await giveStock(storeA.id, a.id, 100);
      await giveStock(storeA.id, b.id, 100);
      const carts = Array.from({ length: 20 }, (_, i) => {
        const order = randomUUID();
        return i % 2 ? [sale(storeA.id, a.id, -1, order), sale(storeA.id, b.id, -2, order)] : [sale(storeA.id, b.id, -2, order), sale(storeA.id, a.id, -1, order)];
      });
      await Promise.all(carts.map((c) => move(c)));
      expect(await stockOf(storeA.id, a.id)).toBe(80);
      expect(await stockOf(storeA.id, b.id)).toBe(60);
      await expectReconciled();
    });

    it('applies parallel adjustments through the API without losing or overdrawing any', async () => {
      const item = await makeSku(t.ds, { name: '纸巾' });
      await adjust(storeA.id, item.id, { type: 'opening', delta: 3, reason: '期初' }).expect(201);
      const results = await Promise.all(Array.from({ length: 8 }, () => adjust(storeA.id, item.id, { type: 'adjustment', delta: -1, reason: '领用' })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
      const more = await Promise.all(Array.from({ length: 6 }, () => adjust(storeA.id, item.id, { type: 'adjustment', delta: 2, reason: '到货' })));
      expect(more.every((r) => r.status === 201)).toBe(true);
      expect(await stockOf(storeA.id, item.id)).toBe(12);
      await expectReconciled();
    });
  });

  it('keeps movements append-only, and reconcile names stock changed behind the ledger', async () => {
    const soap = await makeSku(t.ds, { name: '手工皂' });
    await giveStock(storeB.id, soap.id, 4);
    await expect(t.ds.query('UPDATE stock_movement SET delta = 40 WHERE sku_id = $1', [soap.id])).rejects.toThrow(/append-only/);
    await expect(t.ds.query('DELETE FROM stock_movement WHERE sku_id = $1', [soap.id])).rejects.toThrow(/append-only/);
    await t.ds.query('UPDATE stock SET quantity = quantity + 1 WHERE sku_id = $1', [soap.id]);
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    const broken = res.body.checks.find((c: { name: string }) => c.name === 'stock_equals_movements');
    expect(broken).toMatchObject({ violations: 1, samples: [{ store_id: storeB.id, sku_id: soap.id, quantity: 5, movements_sum: '4' }] });
    await t.ds.query('UPDATE stock SET quantity = -1 WHERE sku_id = $1', [soap.id]);
    const negative = (await t.http.get('/api/reconcile').set(owner).expect(200)).body.checks.find((c: { name: string }) => c.name === 'no_negative_stock_unless_allowed');
    expect(negative.violations).toBe(1);
    // A movement written around StockService breaks the running quantity.
    await t.ds.query(
      `INSERT INTO stock_movement (store_id, sku_id, delta, quantity_after, reason, ref_type, ref_id, operator_kind) VALUES ($1, $2, 1, 9, 'adjustment', 'test', 'x', 'system')`,
      [storeB.id, soap.id],
    );
    const running = (await t.http.get('/api/reconcile').set(owner).expect(200)).body.checks.find((c: { name: string }) => c.name === 'stock_running_quantity_consistent');
    expect(running).toMatchObject({ violations: 1, samples: [{ sku_id: soap.id, quantity_after: 9, running: '5' }] });
  });
});
