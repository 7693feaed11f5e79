import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { StockService } from '../../../src/modules/catalog/stock.service';
import { makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { inventoryApi, makeSupplier } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

describe('suppliers and purchase orders', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Auth;
  let managerA: Auth;
  let cashierA: Auth;
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    managerA = (await signedIn(t.ds, t.http, 'store_manager', [storeA.id])).auth;
    cashierA = (await signedIn(t.ds, t.http, 'cashier', [storeA.id])).auth;
    api = inventoryApi(t.http);
  });
  afterAll(() => t.close());

  const stockOf = async (storeId: string, skuId: string) => {
    const [row] = await t.ds.query('SELECT quantity, avg_cost_fen FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return { quantity: row?.quantity ?? 0, avgCostFen: row ? Number(row.avg_cost_fen) : null };
  };
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };
  const sell = (storeId: string, skuId: string, n: number) =>
    t.app.get(TransactionHost).run((m) => t.app.get(StockService).move(m, [{ storeId, skuId, delta: -n, reason: 'sale', refType: 'order', refId: randomUUID() }]));

  it('lets HQ keep the supplier list, which every store reads', async () => {
    const created = await t.http
      .post('/api/inventory/suppliers')
      .set(owner)
      .send({ code: 'FRESH01', name: '上海鲜饮供应链有限公司', contactName: '周经理', phone: '021-55550000', leadTimeDays: 2 })
      .expect(201);
    expect(created.body).toMatchObject({ code: 'FRESH01', leadTimeDays: 2, status: 'active' });
    expect((await t.http.post('/api/inventory/suppliers').set(owner).send({ code: 'FRESH01', name: '重复' }).expect(409)).body.error.code).toBe('INVENTORY_SUPPLIER_CODE_TAKEN');
    await t.http.post('/api/inventory/suppliers').set(managerA).send({ code: 'X1', name: '店长不能建' }).expect(403);
    const bad = await t.http.post('/api/inventory/suppliers').set(owner).send({ code: 'bad code!', name: '', leadTimeDays: -1 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['code', 'leadTimeDays', 'name']);
    const found = await t.http.get('/api/inventory/suppliers').query({ q: '鲜饮' }).set(managerA).expect(200);
    expect(found.body.items.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    const off = await t.http.patch(`/api/inventory/suppliers/${created.body.id}`).set(owner).send({ status: 'inactive' }).expect(200);
    expect(off.body.status).toBe('inactive');
    const refused = await t.http.post(`/api/stores/${storeA.id}/purchase-orders`).set(managerA).send({ supplierId: created.body.id, lines: [{ skuId: (await makeSku(t.ds)).id, quantity: 1, unitCostFen: 1 }] }).expect(409);
    expect(refused.body.error.code).toBe('INVENTORY_SUPPLIER_INACTIVE');
    const audit = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [created.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['inventory.supplier.create', 'inventory.supplier.update']);
  });

  it('takes an order from draft to fully received, moving stock and the moving-average cost, and returns goods', async () => {
    const supplier = await makeSupplier(t.ds);
    const juice = await makeSku(t.ds, { name: '橙汁 1L', costFen: 500, barcode: '6900000001001' });
    const water = await makeSku(t.ds, { name: '矿泉水', costFen: 100 });
    await giveStock(storeA.id, juice.id, 10); // at the catalog cost: 10 × 5.00

    const draft = await api.createOrder(managerA, storeA.id, {
      supplierId: supplier.id,
      expectedDate: '2026-12-01',
      note: '周末备货',
      lines: [{ skuId: juice.id, quantity: 20, unitCostFen: 600 }],
    });
    expect(draft).toMatchObject({ status: 'draft', no: expect.stringMatching(/^PO-\d{6}$/), expectedDate: '2026-12-01', orderedFen: 12000, supplierName: supplier.name });
    const edited = await t.http
      .patch(`/api/purchase-orders/${draft.id}`)
      .set(managerA)
      .send({ lines: [{ skuId: juice.id, quantity: 20, unitCostFen: 600 }, { skuId: water.id, quantity: 24, unitCostFen: 80 }] })
      .expect(200);
    expect(edited.body.orderedFen).toBe(12000 + 1920);
    // Nothing arrives against a draft.
    expect((await t.http.post(`/api/purchase-orders/${draft.id}/receipts`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: juice.id, quantity: 1 }] }).expect(409)).body.error.code).toBe(
      'INVENTORY_PURCHASE_ORDER_STATUS',
    );
    expect((await api.submit(managerA, draft.id)).status).toBe('ordered');

    // First delivery: 10 juice at the invoice's 7.00 (not the order's 6.00).
    const k = api.key();
    const first = await t.http.post(`/api/purchase-orders/${draft.id}/receipts`).set(managerA).set('Idempotency-Key', k).send({ lines: [{ skuId: juice.id, quantity: 10, unitCostFen: 700 }], note: '第一批' }).expect(201);
    const replay = await t.http.post(`/api/purchase-orders/${draft.id}/receipts`).set(managerA).set('Idempotency-Key', k).send({ lines: [{ skuId: juice.id, quantity: 10, unitCostFen: 700 }], note: '第一批' }).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(first.body.status).toBe('partially_received');
    expect(first.body.lines.find((l: { skuId: string }) => l.skuId === juice.id)).toMatchObject({ receivedQuantity: 10, outstandingQuantity: 10 });
    expect(first.body.receipts).toHaveLength(1);
    expect(first.body.receipts[0]).toMatchObject({ no: expect.stringMatching(/^GR-/), amountFen: 7000, lines: [{ skuId: juice.id, quantity: 10, unitCostFen: 700 }] });
    expect(await stockOf(storeA.id, juice.id)).toEqual({ quantity: 20, avgCostFen: 600 }); // (10 × 500 + 10 × 700) / 20

    // More than outstanding is refused and changes nothing.
    const over = await t.http.post(`/api/purchase-orders/${draft.id}/receipts`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: juice.id, quantity: 11 }] }).expect(409);
    expect(over.body.error).toMatchObject({ code: 'INVENTORY_RECEIVE_EXCEEDS_ORDERED', details: { lines: [{ skuId: juice.id, requested: 11, outstanding: 10 }] } });
    const bad = await t.http.post(`/api/purchase-orders/${draft.id}/receipts`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: juice.id, quantity: -2 }] }).expect(400);
    expect(bad.body.error.details[0].field).toBe('lines[0].quantity');
    const stranger = await makeSku(t.ds);
    expect((await t.http.post(`/api/purchase-orders/${draft.id}/receipts`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: stranger.id, quantity: 1 }] }).expect(409)).body.error.code).toBe(
      'INVENTORY_SKU_NOT_IN_DOCUMENT',
    );
    expect(await stockOf(storeA.id, juice.id)).toEqual({ quantity: 20, avgCostFen: 600 });

    const done = await api.receive(managerA, draft.id, { lines: [{ skuId: juice.id, quantity: 10 }, { skuId: water.id, quantity: 24 }] });
    expect(done).toMatchObject({ status: 'received', receivedFen: 7000 + 6000 + 1920, finishedAt: expect.any(String) });
    expect(await stockOf(storeA.id, juice.id)).toEqual({ quantity: 30, avgCostFen: 600 }); // (20 × 600 + 10 × 600) / 30
    expect(await stockOf(storeA.id, water.id)).toEqual({ quantity: 24, avgCostFen: 80 });

    // Sales leave at the average and leave it alone.
    await sell(storeA.id, juice.id, 26);
    expect(await stockOf(storeA.id, juice.id)).toEqual({ quantity: 4, avgCostFen: 600 });
    // Returns: at most what was received, and never more than the store still holds.
    const tooMany = await t.http.post(`/api/purchase-orders/${draft.id}/returns`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: juice.id, quantity: 5 }], reason: '临期' }).expect(409);
    expect(tooMany.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { available: 4, requested: 5 } });
    const overReturn = await t.http.post(`/api/purchase-orders/${draft.id}/returns`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: water.id, quantity: 25 }], reason: '临期' }).expect(409);
    expect(overReturn.body.error.code).toBe('INVENTORY_RETURN_EXCEEDS_RECEIVED');
    const returned = await t.http.post(`/api/purchase-orders/${draft.id}/returns`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: juice.id, quantity: 3 }], reason: '包装破损退回' }).expect(201);
    expect(returned.body).toMatchObject({ returnedFen: 1800, returns: [{ no: expect.stringMatching(/^PR-/), reason: '包装破损退回', amountFen: 1800 }] });
    expect(returned.body.lines.find((l: { skuId: string }) => l.skuId === juice.id)).toMatchObject({ returnedQuantity: 3, receivedQuantity: 20 });
    expect(await stockOf(storeA.id, juice.id)).toEqual({ quantity: 1, avgCostFen: 600 });

    const movements = await t.ds.query(`SELECT reason, delta, unit_cost_fen, avg_cost_after_fen FROM stock_movement WHERE sku_id = $1 AND store_id = $2 ORDER BY id`, [juice.id, storeA.id]);
    expect(movements.map((mv: { reason: string; delta: number; unit_cost_fen: string; avg_cost_after_fen: string }) => [mv.reason, mv.delta, Number(mv.unit_cost_fen), Number(mv.avg_cost_after_fen)])).toEqual([
      ['opening', 10, 500, 500],
      ['purchase', 10, 700, 600],
      ['purchase', 10, 600, 600],
      ['sale', -26, 600, 600],
      ['purchase_return', -3, 600, 600],
    ]);
    const audit = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [draft.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'inventory.purchase.create',
      'inventory.purchase.update',
      'inventory.purchase.submit',
      'inventory.purchase.receive',
      'inventory.purchase.receive',
      'inventory.purchase.return',
    ]);
    await expectReconciled();
  });

  it('closes a partly received order short, cancels only what has not arrived, and keeps stores apart', async () => {
    const supplier = await makeSupplier(t.ds);
    const tea = await makeSku(t.ds, { name: '茶包' });
    const po = await api.createOrder(owner, storeA.id, { supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 10, unitCostFen: 100 }] });
    await api.submit(owner, po.id);
    await api.receive(owner, po.id, { lines: [{ skuId: tea.id, quantity: 4 }] });
    expect((await t.http.post(`/api/purchase-orders/${po.id}/cancel`).set(managerA).send({ note: '不要了' }).expect(409)).body.error.code).toBe('INVENTORY_PURCHASE_ORDER_STATUS');
    const closed = await t.http.post(`/api/purchase-orders/${po.id}/close`).set(managerA).send({ note: '供应商缺货' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', lines: [{ receivedQuantity: 4, outstandingQuantity: 0 }] });
    const other = await api.createOrder(owner, storeA.id, { supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 1, unitCostFen: 100 }] });
    expect((await t.http.post(`/api/purchase-orders/${other.id}/cancel`).set(managerA).send({ note: '下错了' }).expect(200)).body.status).toBe('cancelled');

    // Store B's orders are not store A's business; a cashier has no purchasing.
    const atB = await api.createOrder(owner, storeB.id, { supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 1, unitCostFen: 100 }] });
    expect((await t.http.get(`/api/purchase-orders/${atB.id}`).set(managerA).expect(404)).body.error.code).toBe('INVENTORY_PURCHASE_ORDER_NOT_FOUND');
    await t.http.post(`/api/stores/${storeB.id}/purchase-orders`).set(managerA).send({ supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 1, unitCostFen: 1 }] }).expect(404);
    await t.http.post(`/api/stores/${storeA.id}/purchase-orders`).set(cashierA).send({ supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 1, unitCostFen: 1 }] }).expect(403);
    const list = await t.http.get(`/api/stores/${storeA.id}/purchase-orders`).query({ status: 'closed' }).set(managerA).expect(200);
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([po.id]);
    // Services keep no stock: they cannot be ordered.
    const service = await makeSku(t.ds, { kind: 'service' });
    const untracked = await t.http.post(`/api/stores/${storeA.id}/purchase-orders`).set(managerA).send({ supplierId: supplier.id, lines: [{ skuId: service.id, quantity: 1, unitCostFen: 1 }] }).expect(409);
    expect(untracked.body.error).toMatchObject({ code: 'STOCK_NOT_TRACKED', details: { skuIds: [service.id] } });
    const dup = await t.http.post(`/api/stores/${storeA.id}/purchase-orders`).set(managerA).send({ supplierId: supplier.id, lines: [{ skuId: tea.id, quantity: 1, unitCostFen: 1 }, { skuId: tea.id, quantity: 2, unitCostFen: 1 }] }).expect(400);
    expect(dup.body.error.code).toBe('VALIDATION_FAILED');
    await expectReconciled();
  });

  it('never receives more than ordered when receipts race', async () => {
    const supplier = await makeSupplier(t.ds);
    const cup = await makeSku(t.ds, { name: '纸杯' });
    const po = await api.createOrder(managerA, storeA.id, { supplierId: supplier.id, lines: [{ skuId: cup.id, quantity: 10, unitCostFen: 20 }] });
    await api.submit(managerA, po.id);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.http.post(`/api/purchase-orders/${po.id}/receipts`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: cup.id, quantity: 3 }] })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(await stockOf(storeA.id, cup.id)).toEqual({ quantity: 9, avgCostFen: 20 });
    const detail = await t.http.get(`/api/purchase-orders/${po.id}`).set(managerA).expect(200);
    expect(detail.body).toMatchObject({ status: 'partially_received', lines: [{ receivedQuantity: 9, outstandingQuantity: 1 }] });
    expect(detail.body.receipts).toHaveLength(3);
    await expectReconciled();
  });
});
