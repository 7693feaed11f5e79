import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { StockService } from '../../../src/modules/catalog/stock.service';
import { makeStore, signedIn } from '../../factories';
import { makeSku } from '../../factories/catalog';
import { inventoryApi, makeSupplier } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };
type Op =
  | { kind: 'sale'; store: number; sku: number; n: number }
  | { kind: 'refund'; store: number; sku: number; n: number }
  | { kind: 'receipt'; store: number; sku: number; n: number; cost: number }
  | { kind: 'ship'; from: number; sku: number; n: number }
  | { kind: 'receive'; pick: number; lose: number }
  | { kind: 'stocktake'; store: number; sku: number; before: number; counted: number; after: number };

/**
 * Random sequences of sales, refunds, purchase receipts, transfers (shipped, then received with or
 * without a loss) and stocktakes with sales around the count, against a model of what each store
 * should hold and what is on the road. After every sequence: the ledger equals the model, goods in
 * transit are counted once, and every reconcile check holds.
 */
describe('inventory under random sequences of operations', () => {
  let t: TestApp;
  let stores: { id: string }[];
  let owner: Auth;
  let supplier: { id: string };
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    stores = [await makeStore(t.ds), await makeStore(t.ds)];
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    supplier = await makeSupplier(t.ds);
    api = inventoryApi(t.http);
  });
  afterAll(() => t.close());

  const n = (max: number) => fc.integer({ min: 1, max });
  const store = fc.integer({ min: 0, max: 1 });
  const sku = fc.integer({ min: 0, max: 1 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('sale' as const), store, sku, n: n(4) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('refund' as const), store, sku, n: n(2) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('receipt' as const), store, sku, n: n(8), cost: fc.integer({ min: 0, max: 900 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ship' as const), from: store, sku, n: n(5) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('receive' as const), pick: fc.nat(10), lose: fc.nat(2) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('stocktake' as const), store, sku, before: fc.nat(2), counted: fc.nat(12), after: fc.nat(3) }) },
  );

  const move = (storeId: string, skuId: string, delta: number) =>
    t.app.get(TransactionHost).run((m) => t.app.get(StockService).move(m, [{ storeId, skuId, delta, reason: delta < 0 ? 'sale' : 'refund', refType: 'order', refId: randomUUID() }]));
  /** A sale the model expects to pass exactly when the stock is there. */
  const sale = async (onHand: number[][], s: number, skuIds: string[], k: number, qty: number) => {
    const outcome = await move(stores[s].id, skuIds[k], -qty).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    expect(outcome).toBe(onHand[s][k] >= qty ? 'ok' : 'STOCK_INSUFFICIENT');
    if (outcome === 'ok') onHand[s][k] -= qty;
  };

  it('keeps every store’s stock equal to the model, transit counted once, and every invariant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 18 }), async (ops) => {
        const skuIds = [(await makeSku(t.ds, { costFen: 100 })).id, (await makeSku(t.ds, { costFen: 200 })).id];
        const onHand = [
          [0, 0],
          [0, 0],
        ];
        const road: { id: string; to: number; sku: number; n: number }[] = [];
        let lost = 0;
        let inflow = 0; // receipts and refunds
        let outflow = 0; // sales and stocktake adjustments (negative when a gain)

        for (const o of ops) {
          if (o.kind === 'sale') {
            const before = onHand[o.store][o.sku];
            await sale(onHand, o.store, skuIds, o.sku, o.n);
            outflow += before - onHand[o.store][o.sku];
          } else if (o.kind === 'refund') {
            await move(stores[o.store].id, skuIds[o.sku], o.n);
            onHand[o.store][o.sku] += o.n;
            inflow += o.n;
          } else if (o.kind === 'receipt') {
            await api.purchase(owner, stores[o.store].id, supplier.id, [{ skuId: skuIds[o.sku], quantity: o.n, unitCostFen: o.cost }]);
            onHand[o.store][o.sku] += o.n;
            inflow += o.n;
          } else if (o.kind === 'ship') {
            const to = 1 - o.from;
            const tr = await api.requestTransfer(owner, stores[to].id, { fromStoreId: stores[o.from].id, lines: [{ skuId: skuIds[o.sku], quantity: o.n }] });
            await api.approve(owner, tr.id);
            const res = await t.http.post(`/api/transfers/${tr.id}/ship`).set(owner).set('Idempotency-Key', api.key()).send({});
            if (onHand[o.from][o.sku] >= o.n) {
              expect(res.status).toBe(200);
              onHand[o.from][o.sku] -= o.n;
              road.push({ id: tr.id, to, sku: o.sku, n: o.n });
            } else {
              expect(res.body.error?.code).toBe('STOCK_INSUFFICIENT');
              await t.http.post(`/api/transfers/${tr.id}/cancel`).set(owner).send({ note: '库存不足' }).expect(200);
            }
          } else if (o.kind === 'receive') {
            if (!road.length) continue;
            const [r] = road.splice(o.pick % road.length, 1);
            const received = Math.max(0, r.n - o.lose);
            await api.receiveTransfer(owner, r.id, { lines: [{ skuId: skuIds[r.sku], quantity: received }] });
            onHand[r.to][r.sku] += received;
            lost += r.n - received;
          } else {
            const st = await t.http.post(`/api/stores/${stores[o.store].id}/stocktakes`).set(owner).send({ scope: 'full' }).expect(201);
            const before = onHand[o.store][o.sku];
            if (o.before) await sale(onHand, o.store, skuIds, o.sku, o.before);
            const expected = onHand[o.store][o.sku];
            await t.http.put(`/api/stocktakes/${st.body.id}/counts`).set(owner).send({ lines: [{ skuId: skuIds[o.sku], quantity: o.counted }] }).expect(200);
            if (o.after) await sale(onHand, o.store, skuIds, o.sku, o.after);
            const final = onHand[o.store][o.sku] + o.counted - expected;
            const posted = await t.http.post(`/api/stocktakes/${st.body.id}/post`).set(owner).set('Idempotency-Key', api.key()).send({ uncounted: 'ignore' });
            if (final >= 0) {
              expect(posted.status).toBe(200);
              onHand[o.store][o.sku] = final;
            } else {
              // More was sold after the count than was counted: the count was wrong, posting is refused.
              expect(posted.body.error?.code).toBe('STOCK_INSUFFICIENT');
              await t.http.post(`/api/stocktakes/${st.body.id}/cancel`).set(owner).send({}).expect(200);
            }
            outflow += before - onHand[o.store][o.sku];
          }
        }

        for (const [s, st] of stores.entries()) {
          for (const [k, skuId] of skuIds.entries()) {
            const [row] = await t.ds.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [st.id, skuId]);
            expect({ store: s, sku: k, quantity: row?.quantity ?? 0 }).toEqual({ store: s, sku: k, quantity: onHand[s][k] });
          }
        }
        // Goods in transit are on the road, in neither store, and nothing vanished: on hand + in
        // transit + recorded transit losses = what came in − what went out.
        const onRoad = road.reduce((sum, r) => sum + r.n, 0);
        const [{ n: dbRoad }] = await t.ds.query(
          `SELECT COALESCE(sum(l.shipped_quantity), 0)::int AS n FROM transfer t JOIN transfer_line l ON l.transfer_id = t.id WHERE t.status = 'in_transit' AND l.sku_id = ANY($1::uuid[])`,
          [skuIds],
        );
        expect(dbRoad).toBe(onRoad);
        const held = onHand.flat().reduce((a, b) => a + b, 0);
        expect(held + onRoad + lost).toBe(inflow - outflow);
        const reconcile = await t.http.get('/api/reconcile').set(owner).expect(200);
        expect(reconcile.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
        // Leave nothing on the road for the next run's reconcile.
        for (const r of road) await api.receiveTransfer(owner, r.id);
      }),
      { numRuns: 30 },
    );
  });
});
