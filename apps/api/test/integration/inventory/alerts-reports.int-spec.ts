import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { StockService } from '../../../src/modules/catalog/stock.service';
import { makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { inventoryApi, makeSupplier } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

describe('low-stock alerts, replenishment and inventory reports', () => {
  let t: TestApp;
  let store: { id: string };
  let other: { id: string };
  let owner: Auth;
  let manager: Auth;
  let cashier: Auth;
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    other = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    manager = (await signedIn(t.ds, t.http, 'store_manager', [store.id])).auth;
    cashier = (await signedIn(t.ds, t.http, 'cashier', [store.id])).auth;
    api = inventoryApi(t.http);
  });
  afterAll(() => t.close());

  const move = (skuId: string, delta: number, storeId = store.id) =>
    t.app.get(TransactionHost).run((m) => t.app.get(StockService).move(m, [{ storeId, skuId, delta, reason: delta < 0 ? 'sale' : 'refund', refType: 'order', refId: randomUUID() }]));
  const alerts = async (status?: string) =>
    (await t.http.get(`/api/stores/${store.id}/stock-alerts`).query(status ? { status } : {}).set(manager).expect(200)).body.items as {
      id: string;
      skuId: string;
      status: string;
      quantity: number;
      currentQuantity: number;
      resolution: string | null;
      notifiedCount: number;
      acknowledgedAt: string | null;
    }[];
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
    expect(res.body.checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['stock_alerts_follow_lines', 'transfer_in_transit_consistent', 'stock_cost_follows_movements']));
  };

  it('raises one alert when stock falls to the line, resolves it when restocked, and feeds the replenishment suggestion', async () => {
    const supplier = await makeSupplier(t.ds, { leadTimeDays: 4 });
    const tea = await makeSku(t.ds, { name: '柠檬茶', costFen: 280 });
    await api.purchase(manager, store.id, supplier.id, [{ skuId: tea.id, quantity: 10, unitCostFen: 300 }]);

    await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${tea.id}`).set(cashier).send({ minQuantity: 5 }).expect(403);
    await t.http.put(`/api/stores/${other.id}/stock-alert-lines/${tea.id}`).set(manager).send({ minQuantity: 5 }).expect(404);
    await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${tea.id}`).set(manager).send({ minQuantity: -1 }).expect(400);
    const line = await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${tea.id}`).set(manager).send({ minQuantity: 5 }).expect(200);
    expect(line.body).toMatchObject({ skuId: tea.id, productName: '柠檬茶', minQuantity: 5, quantity: 10, low: false });
    expect(await alerts()).toEqual([]);

    await move(tea.id, -6);
    await move(tea.id, -1);
    await move(tea.id, 1); // a refund: still low
    const open = await alerts('open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ skuId: tea.id, status: 'open', quantity: 4, currentQuantity: 4, notifiedCount: 0 });
    const seen = await t.http.post(`/api/stock-alerts/${open[0].id}/acknowledge`).set(manager).expect(200);
    expect(seen.body).toMatchObject({ status: 'open', acknowledgedAt: expect.any(String) });
    await expectReconciled();

    // Sold 7 − 1 refunded = 6 in the window; 4 days' lead time; the line is the safety stock.
    // ⌈6 × 4 / 28⌉ + 5 − 4 on hand = 2.
    const suggestion = await t.http.get(`/api/stores/${store.id}/inventory/replenishment`).query({ supplierId: supplier.id }).set(manager).expect(200);
    expect(suggestion.body.items).toEqual([
      expect.objectContaining({ skuId: tea.id, soldInWindow: 6, averageDailySales: 0.21, safetyStock: 5, onHand: 4, inTransit: 0, onOrder: 0, leadTimeDays: 4, suggestedQuantity: 2, unitCostFen: 300 }),
    ]);
    // A window that ended before the sales knows none of them.
    const before = await t.http.get(`/api/stores/${store.id}/inventory/replenishment`).query({ asOf: '2020-01-01T00:00:00Z', leadTimeDays: 7 }).set(manager).expect(200);
    expect(before.body.items).toEqual([expect.objectContaining({ skuId: tea.id, soldInWindow: 0, suggestedQuantity: 1 })]);

    // Exported as a draft order; what is on order then counts.
    const draft = await t.http.post(`/api/stores/${store.id}/inventory/replenishment/purchase-orders`).set(manager).send({ supplierId: supplier.id }).expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', source: 'replenishment', supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 2, unitCostFen: 300 }] });
    await api.submit(manager, draft.body.id);
    const after = await t.http.get(`/api/stores/${store.id}/inventory/replenishment`).query({ supplierId: supplier.id }).set(manager).expect(200);
    expect(after.body.items).toEqual([]);
    expect((await t.http.post(`/api/stores/${store.id}/inventory/replenishment/purchase-orders`).set(manager).send({ supplierId: supplier.id }).expect(409)).body.error.code).toBe('INVENTORY_NOTHING_TO_ORDER');

    // The goods arrive: above the line, the alert is resolved.
    await api.receive(manager, draft.body.id, { lines: [{ skuId: tea.id, quantity: 2 }] });
    const resolved = await alerts();
    expect(resolved).toEqual([expect.objectContaining({ id: open[0].id, status: 'resolved', resolution: 'restocked', currentQuantity: 6 })]);
    await expectReconciled();
  });

  it('applies a new or changed line at once, and resolves the alert of a removed line', async () => {
    const soap = await makeSku(t.ds, { name: '洗手液' });
    await giveStock(store.id, soap.id, 3);
    const set = await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${soap.id}`).set(manager).send({ minQuantity: 3 }).expect(200);
    expect(set.body.low).toBe(true);
    expect((await alerts('open')).filter((a) => a.skuId === soap.id)).toHaveLength(1);
    await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${soap.id}`).set(manager).send({ minQuantity: 2 }).expect(200);
    expect((await alerts('open')).filter((a) => a.skuId === soap.id)).toHaveLength(0);
    await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${soap.id}`).set(manager).send({ minQuantity: 4 }).expect(200);
    await t.http.delete(`/api/stores/${store.id}/stock-alert-lines/${soap.id}`).set(manager).expect(204);
    expect((await t.http.delete(`/api/stores/${store.id}/stock-alert-lines/${soap.id}`).set(manager).expect(404)).body.error.code).toBe('INVENTORY_ALERT_LINE_NOT_FOUND');
    const mine = (await alerts()).filter((a) => a.skuId === soap.id);
    expect(mine.map((a) => a.resolution)).toEqual(['line_removed', 'restocked']);
    const lines = await t.http.get(`/api/stores/${store.id}/stock-alert-lines`).set(manager).expect(200);
    expect(lines.body.items.find((l: { skuId: string }) => l.skuId === soap.id)).toBeUndefined();
    const audit = await t.ds.query(`SELECT action FROM audit_log WHERE entity_type = 'stock_alert_line' AND entity_id = $1 ORDER BY id`, [soap.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['inventory.alert_line.set', 'inventory.alert_line.set', 'inventory.alert_line.set', 'inventory.alert_line.remove']);
    await expectReconciled();
  });

  it('tells the store’s managers through the notification outbox, once per alert', async () => {
    const shop = await makeStore(t.ds);
    const boss = await signedIn(t.ds, t.http, 'store_manager', [shop.id]);
    await signedIn(t.ds, t.http, 'cashier', [shop.id]); // no inventory.alert: not told
    await signedIn(t.ds, t.http, 'store_manager', [other.id]); // another store's: not told
    await t.http
      .put('/api/notifications/templates')
      .set(owner)
      .send({ event: 'stock.low', channel: 'sms', enabled: true, externalId: 'SMS_STOCK_LOW', fields: [{ name: 'product', value: '{{productName}}' }, { name: 'quantity', value: '{{quantity}}' }] })
      .expect(200);
    const oil = await makeSku(t.ds, { name: '护发精油', specName: '100ml' });
    await giveStock(shop.id, oil.id, 6);
    await t.http.put(`/api/stores/${shop.id}/stock-alert-lines/${oil.id}`).set(boss.auth).send({ minQuantity: 3 }).expect(200);
    await move(oil.id, -3, shop.id);
    await move(oil.id, -1, shop.id); // still the same alert: no second message
    const [alert] = (await t.http.get(`/api/stores/${shop.id}/stock-alerts`).set(boss.auth).expect(200)).body.items;
    expect(alert).toMatchObject({ status: 'open', quantity: 3, notifiedCount: 1 });
    const messages = await t.ds.query(`SELECT event, staff_id, store_id, dedupe_key, data FROM notification_message WHERE event = 'stock.low' AND store_id = $1`, [shop.id]);
    expect(messages).toEqual([
      { event: 'stock.low', staff_id: boss.id, store_id: shop.id, dedupe_key: `stock-alert:${alert.id}:${boss.id}`, data: expect.objectContaining({ productName: '护发精油 100ml', quantity: 3, minQuantity: 3 }) },
    ]);
    // Restocked and low again: a new alert, a new message.
    await giveStock(shop.id, oil.id, 5);
    await move(oil.id, -6, shop.id);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM notification_message WHERE event = 'stock.low' AND store_id = $1`, [shop.id]))[0].n).toBe(2);
    await expectReconciled();
  });

  it('raises exactly one alert when many sales cross the line at once', async () => {
    const cup = await makeSku(t.ds, { name: '杯盖' });
    await giveStock(store.id, cup.id, 20);
    await t.http.put(`/api/stores/${store.id}/stock-alert-lines/${cup.id}`).set(manager).send({ minQuantity: 10 }).expect(200);
    await Promise.all(Array.from({ length: 15 }, () => move(cup.id, -1)));
    const open = (await alerts('open')).filter((a) => a.skuId === cup.id);
    expect(open).toHaveLength(1);
    expect(open[0].quantity).toBe(10);
    await expectReconciled();
  });

  it('reports the journal, stock at cost and slow-moving stock, to the store’s managers and HQ only', async () => {
    const s = await makeStore(t.ds);
    const boss = (await signedIn(t.ds, t.http, 'store_manager', [s.id])).auth;
    const fast = await makeSku(t.ds, { name: '热销饮料', costFen: 150 });
    const slow = await makeSku(t.ds, { name: '滞销礼盒', costFen: 5000 });
    await giveStock(s.id, fast.id, 10);
    await giveStock(s.id, slow.id, 2);
    await move(fast.id, -3, s.id);

    const journal = await t.http.get(`/api/stores/${s.id}/inventory/movements`).query({ reason: 'sale' }).set(boss).expect(200);
    expect(journal.body.items).toEqual([expect.objectContaining({ skuId: fast.id, productName: '热销饮料', delta: -3, quantityAfter: 7, reason: 'sale', unitCostFen: 150, valueFen: -450 })]);
    const all = await t.http.get(`/api/stores/${s.id}/inventory/movements`).set(boss).expect(200);
    expect(all.body.total).toBe(3);
    await t.http.get(`/api/stores/${s.id}/inventory/movements`).query({ from: 'yesterday' }).set(boss).expect(400);

    const valuation = await t.http.get(`/api/stores/${s.id}/inventory/valuation`).set(boss).expect(200);
    expect(valuation.body).toMatchObject({ skuCount: 2, quantity: 9, valueFen: 7 * 150 + 2 * 5000, total: 2 });
    expect(valuation.body.items.find((i: { skuId: string }) => i.skuId === slow.id)).toMatchObject({ quantity: 2, avgCostFen: 5000, valueFen: 10000 });

    const slowMoving = await t.http.get(`/api/stores/${s.id}/inventory/slow-moving`).query({ days: 30 }).set(boss).expect(200);
    expect(slowMoving.body.items.map((i: { skuId: string }) => i.skuId)).toEqual([slow.id]);
    expect(slowMoving.body.items[0]).toMatchObject({ lastSaleAt: null, valueFen: 10000, lastInboundAt: expect.any(String) });

    await t.http.get(`/api/stores/${s.id}/inventory/valuation`).set(manager).expect(404);
    await t.http.get(`/api/stores/${store.id}/inventory/valuation`).set(cashier).expect(403);
    const chain = await t.http.get('/api/inventory/valuation').set(owner).expect(200);
    expect(chain.body.stores.find((x: { storeId: string }) => x.storeId === s.id)).toMatchObject({ skuCount: 2, quantity: 9, valueFen: 11050 });
  });
});
