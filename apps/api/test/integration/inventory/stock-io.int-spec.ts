import { makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { inventoryApi } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

describe('other inbound and outbound', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Auth;
  let manager: Auth;
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    manager = (await signedIn(t.ds, t.http, 'store_manager', [store.id])).auth;
    api = inventoryApi(t.http);
  });
  afterAll(() => t.close());

  const stockOf = async (skuId: string) => {
    const [row] = await t.ds.query('SELECT quantity, avg_cost_fen FROM stock WHERE store_id = $1 AND sku_id = $2', [store.id, skuId]);
    return { quantity: row?.quantity ?? 0, avgCostFen: row ? Number(row.avg_cost_fen) : null };
  };
  const create = (auth: Auth, body: object, k = api.key()) => t.http.post(`/api/stores/${store.id}/stock-ios`).set(auth).set('Idempotency-Key', k).send(body);
  const approve = (auth: Auth, id: string) => t.http.post(`/api/stock-ios/${id}/approve`).set(auth).set('Idempotency-Key', api.key()).send({ note: '同意' });
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };

  it('waits for HQ’s approval of outbound (the default) and posts inbound at once, at its cost', async () => {
    const bottle = await makeSku(t.ds, { name: '玻璃瓶饮料', costFen: 400 });
    await giveStock(store.id, bottle.id, 10);
    expect((await t.http.get('/api/inventory/settings').set(manager).expect(200)).body).toMatchObject({ inboundNeedsApproval: false, outboundNeedsApproval: true });

    const damage = await create(manager, { direction: 'out', reason: 'damage', note: '搬运摔碎', lines: [{ skuId: bottle.id, quantity: 2 }] }).expect(201);
    expect(damage.body).toMatchObject({ status: 'pending', no: expect.stringMatching(/^IO-/), valueFen: null, lines: [{ skuId: bottle.id, quantity: 2, unitCostFen: null }] });
    expect((await stockOf(bottle.id)).quantity).toBe(10);
    await approve(manager, damage.body.id).expect(403);
    const approved = await approve(owner, damage.body.id).expect(200);
    expect(approved.body).toMatchObject({ status: 'posted', valueFen: 800, decisionNote: '同意', decidedBy: expect.any(String), postedAt: expect.any(String) });
    expect((await stockOf(bottle.id)).quantity).toBe(8);
    expect((await approve(owner, damage.body.id).expect(409)).body.error.code).toBe('INVENTORY_STOCK_IO_STATUS');

    // A gift from the supplier comes in at a stated cost of 0: the average drops.
    const gift = await create(manager, { direction: 'in', reason: 'gift', note: '供应商赠品', lines: [{ skuId: bottle.id, quantity: 8, unitCostFen: 0 }] }).expect(201);
    expect(gift.body).toMatchObject({ status: 'posted', valueFen: 0 });
    expect(await stockOf(bottle.id)).toEqual({ quantity: 16, avgCostFen: 200 });
    const moves = await t.ds.query(`SELECT reason, delta, note FROM stock_movement WHERE ref_type = 'stock_io' AND sku_id = $1 ORDER BY id`, [bottle.id]);
    expect(moves).toEqual([
      { reason: 'other_out', delta: -2, note: 'damage: 搬运摔碎' },
      { reason: 'other_in', delta: 8, note: 'gift: 供应商赠品' },
    ]);
    await expectReconciled();
  });

  it('refuses what makes no sense, and leaves a pending outbound pending when the stock is gone', async () => {
    const item = await makeSku(t.ds, { name: '一次性手套' });
    await giveStock(store.id, item.id, 3);
    const inDamage = await create(manager, { direction: 'in', reason: 'damage', lines: [{ skuId: item.id, quantity: 1 }] }).expect(400);
    expect(inDamage.body.error.details[0].field).toBe('reason');
    const costedOut = await create(manager, { direction: 'out', reason: 'internal_use', lines: [{ skuId: item.id, quantity: 1, unitCostFen: 5 }] }).expect(400);
    expect(costedOut.body.error.details[0].field).toBe('lines[0].unitCostFen');
    await create(manager, { direction: 'sideways', reason: 'gift', lines: [] }).expect(400);
    await t.http.post(`/api/stores/${store.id}/stock-ios`).set(manager).send({ direction: 'out', reason: 'gift', lines: [{ skuId: item.id, quantity: 1 }] }).expect(400);

    const use = await create(manager, { direction: 'out', reason: 'internal_use', lines: [{ skuId: item.id, quantity: 3 }] }).expect(201);
    await create(manager, { direction: 'in', reason: 'adjustment', lines: [{ skuId: item.id, quantity: 1 }] }).expect(201); // posted: 4
    const other = await create(manager, { direction: 'out', reason: 'gift', lines: [{ skuId: item.id, quantity: 2 }] }).expect(201);
    await approve(owner, other.body.id).expect(200); // 2 left
    const short = await approve(owner, use.body.id).expect(409);
    expect(short.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', details: { available: 2, requested: 3 } });
    expect((await t.http.get(`/api/stock-ios/${use.body.id}`).set(manager).expect(200)).body.status).toBe('pending');
    expect((await t.http.post(`/api/stock-ios/${use.body.id}/reject`).set(manager).send({ note: '不批' }).expect(403)).body.error.code).toBe('FORBIDDEN');
    const rejected = await t.http.post(`/api/stock-ios/${use.body.id}/reject`).set(owner).send({ note: '数量不对，重新提交' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionNote: '数量不对，重新提交' });
    const withdrawn = await create(manager, { direction: 'out', reason: 'damage', lines: [{ skuId: item.id, quantity: 1 }] }).expect(201);
    expect((await t.http.post(`/api/stock-ios/${withdrawn.body.id}/cancel`).set(manager).send({}).expect(200)).body.status).toBe('cancelled');
    expect((await stockOf(item.id)).quantity).toBe(2);
    const list = await t.http.get(`/api/stores/${store.id}/stock-ios`).query({ status: 'pending' }).set(manager).expect(200);
    expect(list.body.items).toEqual([]);
    await expectReconciled();
  });

  it('follows HQ’s approval settings, which a manager cannot change', async () => {
    const item = await makeSku(t.ds, { name: '打包袋' });
    await giveStock(store.id, item.id, 5);
    await t.http.patch('/api/inventory/settings').set(manager).send({ outboundNeedsApproval: false }).expect(403);
    await t.http.patch('/api/inventory/settings').set(owner).send({ outboundNeedsApproval: false, inboundNeedsApproval: true }).expect(200);
    try {
      expect((await create(manager, { direction: 'out', reason: 'internal_use', lines: [{ skuId: item.id, quantity: 1 }] }).expect(201)).body.status).toBe('posted');
      expect((await create(manager, { direction: 'in', reason: 'other', lines: [{ skuId: item.id, quantity: 1 }] }).expect(201)).body.status).toBe('pending');
    } finally {
      await t.http.patch('/api/inventory/settings').set(owner).send({ outboundNeedsApproval: true, inboundNeedsApproval: false }).expect(200);
    }
    const audit = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'inventory.settings.update' ORDER BY id`);
    expect(audit[0]).toEqual({ before: { inboundNeedsApproval: false, outboundNeedsApproval: true }, after: { inboundNeedsApproval: true, outboundNeedsApproval: false } });
  });

  it('posts a document once when approvals race, and applies an outbound once per Idempotency-Key', async () => {
    const item = await makeSku(t.ds, { name: '吸管' });
    await giveStock(store.id, item.id, 10);
    const doc = await create(manager, { direction: 'out', reason: 'damage', lines: [{ skuId: item.id, quantity: 4 }] }).expect(201);
    const results = await Promise.all(Array.from({ length: 5 }, () => approve(owner, doc.body.id)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await stockOf(item.id)).quantity).toBe(6);
    await t.http.patch('/api/inventory/settings').set(owner).send({ outboundNeedsApproval: false }).expect(200);
    try {
      const k = api.key();
      const first = await create(manager, { direction: 'out', reason: 'internal_use', lines: [{ skuId: item.id, quantity: 1 }] }, k).expect(201);
      const again = await create(manager, { direction: 'out', reason: 'internal_use', lines: [{ skuId: item.id, quantity: 1 }] }, k).expect(201);
      expect(again.body.id).toBe(first.body.id);
      expect((await stockOf(item.id)).quantity).toBe(5);
      const burst = await Promise.all(Array.from({ length: 8 }, () => create(manager, { direction: 'out', reason: 'internal_use', lines: [{ skuId: item.id, quantity: 1 }] })));
      expect(burst.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
      expect((await stockOf(item.id)).quantity).toBe(0);
    } finally {
      await t.http.patch('/api/inventory/settings').set(owner).send({ outboundNeedsApproval: true }).expect(200);
    }
    await expectReconciled();
  });
});
