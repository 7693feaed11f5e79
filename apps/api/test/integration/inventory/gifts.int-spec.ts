import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { StockService } from '../../../src/modules/catalog/stock.service';
import { PointsService } from '../../../src/modules/points/points.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { inventoryApi } from '../../factories/inventory';
import { createTestApp, type TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

/** Points-mall gifts that are catalog items take their stock from the stock ledger, like a sale. */
describe('points-mall gifts on the stock ledger', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Auth;
  let managerA: Auth;
  let managerB: Auth;
  let api: ReturnType<typeof inventoryApi>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = (await signedIn(t.ds, t.http, 'owner')).auth;
    managerA = (await signedIn(t.ds, t.http, 'store_manager', [storeA.id])).auth;
    managerB = (await signedIn(t.ds, t.http, 'store_manager', [storeB.id])).auth;
    api = inventoryApi(t.http);
  });
  afterAll(() => t.close());

  const key = () => `k-${randomUUID()}`;
  const quantityOf = async (storeId: string, skuId: string) => {
    const [row] = await t.ds.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
    return row?.quantity ?? 0;
  };
  const memberWith = async (points: number) => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    await t.app
      .get(TransactionHost)
      .run((m) => t.app.get(PointsService).earn(m, { memberId: member.id, storeId: storeA.id, eligibleAmountFen: points * 100, tierMultiplierBps: 10_000, refType: 'order', refId: randomUUID() }));
    const session = await t.app.get(AuthService).issueMemberSession(member.id);
    return { ...member, auth: { Authorization: `Bearer ${session.accessToken}` } };
  };
  const redeem = (auth: Auth, giftId: string, storeId: string) => t.http.post('/api/me/mall/redemptions').set(auth).set('Idempotency-Key', key()).send({ giftId, storeId });
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
    expect(res.body.checks.map((c: { name: string }) => c.name)).toContain('gift_redemptions_match_stock_movements');
  };

  it('redeems from the store’s stock ledger, returns on cancel, and moves with a transfer like any goods', async () => {
    const cup = await makeSku(t.ds, { name: '品牌保温杯', costFen: 3000 });
    const service = await makeSku(t.ds, { kind: 'service' });
    expect((await t.http.post('/api/mall/gifts').set(owner).send({ name: '保温杯', pointsPrice: 800, skuId: service.id }).expect(409)).body.error.code).toBe('STOCK_NOT_TRACKED');
    expect((await t.http.post('/api/mall/gifts').set(owner).send({ name: '保温杯', pointsPrice: 800, skuId: randomUUID() }).expect(404)).body.error.code).toBe('CATALOG_SKU_NOT_FOUND');
    const gift = (await t.http.post('/api/mall/gifts').set(owner).send({ name: '保温杯', pointsPrice: 800, skuId: cup.id }).expect(201)).body;
    expect(gift.skuId).toBe(cup.id);
    await giveStock(storeA.id, cup.id, 2);

    // Its stock is the ledger's: set and adjusted with inventory, not the mall.
    const refused = await t.http.put(`/api/stores/${storeA.id}/mall/stock/${gift.id}`).set(managerA).set('Idempotency-Key', key()).send({ quantity: 9 }).expect(409);
    expect(refused.body.error.code).toBe('MALL_GIFT_STOCK_IN_INVENTORY');
    expect((await t.http.get(`/api/mall/gifts/${gift.id}`).query({ storeId: storeA.id }).set(managerA).expect(200)).body.stock).toBe(2);
    const shown = await t.http.get(`/api/stores/${storeA.id}/mall/stock`).set(managerA).expect(200);
    expect(shown.body.find((s: { giftId: string }) => s.giftId === gift.id)).toMatchObject({ quantity: 2 });

    const member = await memberWith(5000);
    const first = await redeem(member.auth, gift.id, storeA.id).expect(201);
    await redeem(member.auth, gift.id, storeA.id).expect(201);
    expect((await redeem(member.auth, gift.id, storeA.id).expect(409)).body.error.code).toBe('MALL_STOCK_INSUFFICIENT');
    expect(await quantityOf(storeA.id, cup.id)).toBe(0);
    const moves = await t.ds.query(`SELECT reason, delta, unit_cost_fen FROM stock_movement WHERE ref_type = 'mall_redemption' AND ref_id = $1`, [first.body.id]);
    expect(moves).toEqual([{ reason: 'gift_redemption', delta: -1, unit_cost_fen: '3000' }]);
    await t.http.post(`/api/me/mall/redemptions/${first.body.id}/cancel`).set(member.auth).set('Idempotency-Key', key()).send({}).expect(200);
    expect(await quantityOf(storeA.id, cup.id)).toBe(1);

    // A transfer brings B its cups; B's members redeem them there.
    const tr = await api.requestTransfer(managerB, storeB.id, { fromStoreId: storeA.id, lines: [{ skuId: cup.id, quantity: 1 }] });
    await api.approve(managerA, tr.id);
    await api.ship(managerA, tr.id);
    await api.receiveTransfer(managerB, tr.id);
    await redeem(member.auth, gift.id, storeB.id).expect(201);
    expect(await quantityOf(storeB.id, cup.id)).toBe(0);
    await expectReconciled();
  });

  it('never gives the last unit twice when redemptions and sales race for it', async () => {
    const bag = await makeSku(t.ds, { name: '帆布袋' });
    const gift = (await t.http.post('/api/mall/gifts').set(owner).send({ name: '帆布袋', pointsPrice: 100, skuId: bag.id }).expect(201)).body;
    await giveStock(storeA.id, bag.id, 3);
    const members = await Promise.all(Array.from({ length: 5 }, () => memberWith(1000)));
    const sale = () =>
      t.app
        .get(TransactionHost)
        .run((m) => t.app.get(StockService).move(m, [{ storeId: storeA.id, skuId: bag.id, delta: -1, reason: 'sale', refType: 'order', refId: randomUUID() }]))
        .then(
          () => 201,
          () => 409,
        );
    const results = await Promise.all([...members.map((mb) => redeem(mb.auth, gift.id, storeA.id).then((r) => r.status)), sale(), sale(), sale()]);
    expect(results.filter((s) => s === 201)).toHaveLength(3);
    expect(await quantityOf(storeA.id, bag.id)).toBe(0);
    await expectReconciled();
  });

  it('links a gift to an item only once its own stock is counted out', async () => {
    const pen = await makeSku(t.ds, { name: '签字笔' });
    const gift = (await t.http.post('/api/mall/gifts').set(owner).send({ name: '签字笔', pointsPrice: 50 }).expect(201)).body;
    await t.http.put(`/api/stores/${storeA.id}/mall/stock/${gift.id}`).set(owner).set('Idempotency-Key', key()).send({ quantity: 4 }).expect(200);
    expect((await t.http.patch(`/api/mall/gifts/${gift.id}`).set(owner).send({ skuId: pen.id }).expect(409)).body.error.code).toBe('MALL_GIFT_HAS_OWN_STOCK');
    await t.http.put(`/api/stores/${storeA.id}/mall/stock/${gift.id}`).set(owner).set('Idempotency-Key', key()).send({ quantity: 0 }).expect(200);
    expect((await t.http.patch(`/api/mall/gifts/${gift.id}`).set(owner).send({ skuId: pen.id }).expect(200)).body.skuId).toBe(pen.id);
    await expectReconciled();
  });
});
