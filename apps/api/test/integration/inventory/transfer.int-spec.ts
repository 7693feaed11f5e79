import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { StockService } from '../../../src/modules/catalog/stock.service';
import { makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { inventoryApi, makeSupplier } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

describe('transfers between stores', () => {
  let t: TestApp;
  let storeA: { id: string; name: string };
  let storeB: { id: string; name: string };
  let storeC: { id: string };
  let owner: Auth;
  let managerA: Auth;
  let managerB: Auth;
  let managerC: Auth;
  let cashierB: Auth;
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds, { name: '甲店' });
    storeB = await makeStore(t.ds, { name: '乙店' });
    storeC = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    managerA = (await signedIn(t.ds, t.http, 'store_manager', [storeA.id])).auth;
    managerB = (await signedIn(t.ds, t.http, 'store_manager', [storeB.id])).auth;
    managerC = (await signedIn(t.ds, t.http, 'store_manager', [storeC.id])).auth;
    cashierB = (await signedIn(t.ds, t.http, 'cashier', [storeB.id])).auth;
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

  it('runs request → approve → ship (in transit) → receive with a difference, each step by the right store', async () => {
    const supplier = await makeSupplier(t.ds);
    const cola = await makeSku(t.ds, { name: '可乐 330ml', barcode: '6900000002001', costFen: 200 });
    await api.purchase(owner, storeA.id, supplier.id, [{ skuId: cola.id, quantity: 30, unitCostFen: 220 }]);
    await giveStock(storeB.id, cola.id, 2); // B holds 2 at the catalog's 2.00

    // B looks at what the others hold (quantities only), then asks A.
    const seen = await t.http.get(`/api/stores/${storeB.id}/inventory/availability`).query({ q: '6900000002001' }).set(managerB).expect(200);
    expect(seen.body.items).toEqual([
      { skuId: cola.id, productName: '可乐 330ml', specName: null, barcode: '6900000002001', unit: '件', quantity: 2, elsewhere: [{ storeId: storeA.id, storeCode: expect.any(String), storeName: '甲店', quantity: 30 }] },
    ]);
    await t.http.get(`/api/stores/${storeB.id}/inventory/availability`).set(cashierB).expect(403);

    const requested = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, note: '周末活动', lines: [{ skuId: cola.id, quantity: 12 }] });
    expect(requested).toMatchObject({ status: 'requested', no: expect.stringMatching(/^TR-/), fromStore: { id: storeA.id, name: '甲店' }, toStore: { id: storeB.id, name: '乙店' } });
    // Only the sending store (or HQ) approves; a third store does not even see it.
    expect((await t.http.post(`/api/transfers/${requested.id}/approve`).set(managerB).send({}).expect(403)).body.error.code).toBe('INVENTORY_TRANSFER_WRONG_SIDE');
    expect((await t.http.get(`/api/transfers/${requested.id}`).set(managerC).expect(404)).body.error.code).toBe('INVENTORY_TRANSFER_NOT_FOUND');
    expect((await t.http.post(`/api/transfers/${requested.id}/ship`).set(managerA).set('Idempotency-Key', api.key()).send({}).expect(409)).body.error.code).toBe('INVENTORY_TRANSFER_STATUS');
    expect((await t.http.post(`/api/transfers/${requested.id}/approve`).set(managerA).send({ lines: [{ skuId: cola.id, quantity: 13 }] }).expect(409)).body.error.code).toBe(
      'INVENTORY_APPROVE_EXCEEDS_REQUESTED',
    );
    const approved = await api.approve(managerA, requested.id, { lines: [{ skuId: cola.id, quantity: 10 }] });
    expect(approved.lines[0]).toMatchObject({ requestedQuantity: 12, approvedQuantity: 10 });
    expect((await t.http.post(`/api/transfers/${requested.id}/ship`).set(managerB).set('Idempotency-Key', api.key()).send({}).expect(403)).body.error.code).toBe('INVENTORY_TRANSFER_WRONG_SIDE');
    expect((await t.http.post(`/api/transfers/${requested.id}/ship`).set(managerA).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: cola.id, quantity: 11 }] }).expect(409)).body.error.code).toBe(
      'INVENTORY_SHIP_EXCEEDS_APPROVED',
    );

    const shipped = await api.ship(managerA, requested.id);
    expect(shipped).toMatchObject({ status: 'in_transit', inTransitValueFen: 2200, lines: [{ shippedQuantity: 10, inTransitQuantity: 10, unitCostFen: 220 }] });
    expect(await stockOf(storeA.id, cola.id)).toEqual({ quantity: 20, avgCostFen: 220 });
    expect(await stockOf(storeB.id, cola.id)).toEqual({ quantity: 2, avgCostFen: 200 });
    // In transit is visible to both stores and to HQ, and counted once.
    const road = await t.http.get(`/api/stores/${storeB.id}/inventory/in-transit`).set(managerB).expect(200);
    expect(road.body).toMatchObject({ quantity: 10, valueFen: 2200, items: [{ transferId: requested.id, skuId: cola.id, fromStoreId: storeA.id, toStoreId: storeB.id, quantity: 10 }] });
    const valueA = await t.http.get(`/api/stores/${storeA.id}/inventory/valuation`).set(managerA).expect(200);
    expect(valueA.body).toMatchObject({ quantity: 20, valueFen: 4400, inTransit: { outgoingQuantity: 10, outgoingValueFen: 2200, incomingQuantity: 0 } });
    const chain = await t.http.get('/api/inventory/valuation').set(owner).expect(200);
    expect(chain.body).toMatchObject({ quantity: 22, inTransitQuantity: 10, inTransitValueFen: 2200 });
    await t.http.get('/api/inventory/valuation').set(managerA).expect(403);
    await expectReconciled();

    // Receiving more than was shipped is refused with nothing changed; fewer is a recorded difference.
    const over = await t.http.post(`/api/transfers/${requested.id}/receive`).set(managerB).set('Idempotency-Key', api.key()).send({ lines: [{ skuId: cola.id, quantity: 11 }] }).expect(409);
    expect(over.body.error).toMatchObject({ code: 'INVENTORY_RECEIVE_EXCEEDS_SHIPPED', details: { lines: [{ skuId: cola.id, requested: 11, allowed: 10 }] } });
    expect((await t.http.post(`/api/transfers/${requested.id}/receive`).set(managerA).set('Idempotency-Key', api.key()).send({}).expect(403)).body.error.code).toBe('INVENTORY_TRANSFER_WRONG_SIDE');
    expect(await stockOf(storeB.id, cola.id)).toEqual({ quantity: 2, avgCostFen: 200 });
    const received = await api.receiveTransfer(managerB, requested.id, { lines: [{ skuId: cola.id, quantity: 9, note: '1 罐压坏' }] });
    expect(received).toMatchObject({ status: 'done', inTransitValueFen: 0, lines: [{ shippedQuantity: 10, receivedQuantity: 9, differenceQuantity: 1, inTransitQuantity: 0, differenceNote: '1 罐压坏' }] });
    expect(await stockOf(storeB.id, cola.id)).toEqual({ quantity: 11, avgCostFen: 216 }); // (2 × 200 + 9 × 220) / 11 = 216.36
    expect((await t.http.post(`/api/transfers/${requested.id}/receive`).set(managerB).set('Idempotency-Key', api.key()).send({}).expect(409)).body.error.code).toBe('INVENTORY_TRANSFER_STATUS');
    expect((await t.http.get(`/api/stores/${storeB.id}/inventory/in-transit`).set(managerB).expect(200)).body.items).toEqual([]);

    const audit = await t.ds.query(`SELECT action, store_id, after FROM audit_log WHERE entity_id = $1 ORDER BY id`, [requested.id]);
    expect(audit.map((a: { action: string; store_id: string }) => [a.action, a.store_id])).toEqual([
      ['inventory.transfer.request', storeB.id],
      ['inventory.transfer.approve', storeA.id],
      ['inventory.transfer.ship', storeA.id],
      ['inventory.transfer.receive', storeB.id],
    ]);
    expect(audit[3].after.differences).toEqual([{ skuId: cola.id, shipped: 10, received: 9, difference: 1, note: '1 罐压坏' }]);
    const lists = await t.http.get(`/api/stores/${storeA.id}/transfers`).query({ direction: 'out' }).set(managerA).expect(200);
    expect(lists.body.items.map((x: { id: string }) => x.id)).toContain(requested.id);
    expect((await t.http.get(`/api/stores/${storeA.id}/transfers`).query({ direction: 'in' }).set(managerA).expect(200)).body.items).toEqual([]);
    await expectReconciled();
  });

  it('refuses bad requests with nothing changed, and withdraws only before shipping', async () => {
    const item = await makeSku(t.ds, { name: '纸巾' });
    const service = await makeSku(t.ds, { kind: 'service' });
    await giveStock(storeA.id, item.id, 5);
    const same = await t.http.post(`/api/stores/${storeA.id}/transfers`).set(managerA).send({ fromStoreId: storeA.id, lines: [{ skuId: item.id, quantity: 1 }] }).expect(400);
    expect(same.body.error.details[0].field).toBe('fromStoreId');
    expect((await t.http.post(`/api/stores/${storeB.id}/transfers`).set(managerB).send({ fromStoreId: randomUUID(), lines: [{ skuId: item.id, quantity: 1 }] }).expect(404)).body.error.code).toBe('STORE_NOT_FOUND');
    await t.http.post(`/api/stores/${storeB.id}/transfers`).set(managerB).send({ fromStoreId: storeA.id, lines: [{ skuId: item.id, quantity: 0 }] }).expect(400);
    await t.http.post(`/api/stores/${storeB.id}/transfers`).set(managerB).send({ fromStoreId: storeA.id, lines: [{ skuId: service.id, quantity: 1 }] }).expect(409);
    // A store asks only for itself: B's manager cannot request into A.
    await t.http.post(`/api/stores/${storeA.id}/transfers`).set(managerB).send({ fromStoreId: storeB.id, lines: [{ skuId: item.id, quantity: 1 }] }).expect(404);

    const tr = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: item.id, quantity: 2 }] });
    await api.approve(managerA, tr.id);
    const cancelled = await t.http.post(`/api/transfers/${tr.id}/cancel`).set(managerB).send({ note: '不需要了' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', closingNote: '不需要了' });
    const rejected = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: item.id, quantity: 2 }] });
    expect((await t.http.post(`/api/transfers/${rejected.id}/reject`).set(managerA).send({ note: '本店也缺货' }).expect(200)).body.status).toBe('rejected');

    const shipped = await api.requestTransfer(owner, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: item.id, quantity: 2 }] });
    await api.approve(owner, shipped.id);
    await api.ship(owner, shipped.id);
    expect((await t.http.post(`/api/transfers/${shipped.id}/cancel`).set(managerA).send({ note: '撤回' }).expect(409)).body.error.code).toBe('INVENTORY_TRANSFER_STATUS');
    expect(await stockOf(storeA.id, item.id)).toMatchObject({ quantity: 3 });
    await api.receiveTransfer(owner, shipped.id);
    expect(await stockOf(storeB.id, item.id)).toMatchObject({ quantity: 2 });
    await expectReconciled();
  });

  describe('under concurrency', () => {
    it('never lets shipments and sales take the last units twice', async () => {
      const cake = await makeSku(t.ds, { name: '限量蛋糕' });
      await giveStock(storeA.id, cake.id, 3);
      const transfers = [];
      for (let i = 0; i < 3; i++) {
        const tr = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: cake.id, quantity: 1 }] });
        await api.approve(managerA, tr.id);
        transfers.push(tr.id);
      }
      const ships = transfers.map((id) => t.http.post(`/api/transfers/${id}/ship`).set(managerA).set('Idempotency-Key', api.key()).send({}));
      const sales = Array.from({ length: 6 }, () => sell(storeA.id, cake.id, 1).then(() => 'sold', (e: { code?: string }) => e.code));
      const [shipResults, saleResults] = await Promise.all([Promise.all(ships), Promise.all(sales)]);
      const shippedCount = shipResults.filter((r) => r.status === 200).length;
      const soldCount = saleResults.filter((r) => r === 'sold').length;
      expect(shippedCount + soldCount).toBe(3);
      expect(shipResults.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === 'STOCK_INSUFFICIENT')).toBe(true);
      expect(saleResults.filter((r) => r !== 'sold').every((r) => r === 'STOCK_INSUFFICIENT')).toBe(true);
      expect(await stockOf(storeA.id, cake.id)).toMatchObject({ quantity: 0 });
      const inTransit = await t.ds.query(`SELECT count(*)::int AS n FROM transfer WHERE id = ANY($1::uuid[]) AND status = 'in_transit'`, [transfers]);
      expect(inTransit[0].n).toBe(shippedCount);
      await expectReconciled();
    });

    it('ships only what is there even while the chain lets sales go below zero', async () => {
      const milk = await makeSku(t.ds, { name: '鲜奶' });
      await giveStock(storeA.id, milk.id, 1);
      const tr = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: milk.id, quantity: 2 }] });
      await api.approve(managerA, tr.id);
      await t.http.patch('/api/catalog/settings').set(owner).send({ allowNegativeStock: true }).expect(200);
      try {
        const short = await t.http.post(`/api/transfers/${tr.id}/ship`).set(managerA).set('Idempotency-Key', api.key()).send({}).expect(409);
        expect(short.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { available: 1, requested: 2 } });
        await sell(storeA.id, milk.id, 3); // the counter may sell below zero
        expect(await stockOf(storeA.id, milk.id)).toMatchObject({ quantity: -2 });
        await giveStock(storeA.id, milk.id, 2);
      } finally {
        await t.http.patch('/api/catalog/settings').set(owner).send({ allowNegativeStock: false }).expect(200);
      }
    });

    it('receives a shipment once when two receipts race', async () => {
      const soap = await makeSku(t.ds, { name: '香皂' });
      await giveStock(storeA.id, soap.id, 4);
      const tr = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: soap.id, quantity: 4 }] });
      await api.approve(managerA, tr.id);
      await api.ship(managerA, tr.id);
      const results = await Promise.all(Array.from({ length: 4 }, () => t.http.post(`/api/transfers/${tr.id}/receive`).set(managerB).set('Idempotency-Key', api.key()).send({})));
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
      expect(await stockOf(storeB.id, soap.id)).toMatchObject({ quantity: 4 });
      await expectReconciled();
    });
  });
});
