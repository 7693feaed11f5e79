import { randomUUID } from 'node:crypto';
import { PromotionsService } from '../../../src/modules/promotions/promotions.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { expectReconciled } from '../wallet/wallet-helpers';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('promotions', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let managerA: Signed;
  let cashierA: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    managerA = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>, auth = owner.auth) => t.http.post('/api/promotions').set(auth).send(body);
  const flashSale = (over: Record<string, unknown> = {}) =>
    create({ name: '午间秒杀', kind: 'flash_sale', flashSkuId: randomUUID(), flashPriceFen: 990, flashStock: 3, flashPerMemberLimit: 1, ...over }).expect(201);

  it('lets HQ define each kind, and explains what a kind misses', async () => {
    const reduction = await create({ name: '满200减30 满300减50', kind: 'full_reduction', reductionMode: 'amount', steps: [{ thresholdFen: 30000, amountOffFen: 5000 }, { thresholdFen: 20000, amountOffFen: 3000 }] }).expect(201);
    expect(reduction.body.steps).toEqual([
      { thresholdFen: 20000, amountOffFen: 3000, discountBps: null },
      { thresholdFen: 30000, amountOffFen: 5000, discountBps: null },
    ]);
    const day = await create({ name: '周三会员日', kind: 'member_day', discountBps: 8800, weekdays: [3], membersOnly: false }).expect(201);
    expect(day.body).toMatchObject({ membersOnly: true, weekdays: [3], discountBps: 8800 });
    const flash = await flashSale();
    expect(flash.body).toMatchObject({ flashSold: 0, flashStock: 3, flashPerMemberLimit: 1 });
    const bad = await create({ name: '坏', kind: 'member_day', discountBps: 8800 }).expect(400);
    expect(bad.body.error.details).toEqual([{ field: 'weekdays', errors: ['a member day needs weekdays or monthDays'] }]);
    const badSteps = await create({ name: '坏', kind: 'full_reduction', reductionMode: 'rate', steps: [{ thresholdFen: 100, amountOffFen: 10 }] }).expect(400);
    expect(badSteps.body.error.details.map((d: { field: string }) => d.field)).toEqual(['steps[0].discountBps', 'steps[0].amountOffFen']);
    await create({ name: '坏', kind: 'full_reduction', reductionMode: 'amount', steps: [{ thresholdFen: 100, amountOffFen: 10 }], storeIds: [randomUUID()] }).expect(400);
  });

  it('keeps promotions HQ’s to change, readable by the stores they run at', async () => {
    await create({ name: '店长活动', kind: 'full_reduction', reductionMode: 'amount', steps: [{ thresholdFen: 100, amountOffFen: 10 }] }, managerA.auth).expect(403);
    const own = await create({ name: 'B店专享', kind: 'full_reduction', reductionMode: 'amount', steps: [{ thresholdFen: 100, amountOffFen: 10 }], storeIds: [storeB.id] }).expect(201);
    const atA = await t.http.get(`/api/promotions?storeId=${storeA.id}&pageSize=200`).set(cashierA.auth).expect(200);
    expect(atA.body.items.map((p: { id: string }) => p.id)).not.toContain(own.body.id);
    // Another store's own promotion is its business: 404 to store A's staff, as for one that does not exist.
    await t.http.get(`/api/promotions/${own.body.id}`).set(cashierA.auth).expect(404);
    await t.http.get(`/api/promotions/${own.body.id}`).set(owner.auth).expect(200);
    await t.http.patch(`/api/promotions/${own.body.id}`).set(managerA.auth).send({ status: 'disabled' }).expect(403);
    const paused = await t.http.patch(`/api/promotions/${own.body.id}`).set(owner.auth).send({ status: 'disabled', endsAt: '2027-01-01T00:00:00+08:00' }).expect(200);
    expect(paused.body).toMatchObject({ status: 'disabled', endsAt: '2026-12-31T16:00:00.000Z' });
    const audit = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'promotion.update' AND entity_id = $1`, [own.body.id]);
    expect(audit).toEqual([{ before: { status: 'active', endsAt: null }, after: { status: 'disabled', endsAt: '2026-12-31T16:00:00.000Z' } }]);
  });

  describe('flash-sale stock', () => {
    const take = (promotionId: string, memberId: string | null, quantity = 1, limit: number | null = 1, orderId = randomUUID()) =>
      t.ds.transaction((m) => t.app.get(PromotionsService).takeFlashSales(m, { orderId, memberId, storeId: storeA.id, takes: [{ promotionId, lineNo: 1, quantity, perMemberLimit: limit }] })).then(() => orderId);

    it('sells the last units to as many orders as there are units, however many race', async () => {
      const flash = await flashSale({ flashStock: 3, flashPerMemberLimit: null });
      const members = await Promise.all(Array.from({ length: 10 }, () => makeMember(t.ds, { homeStoreId: storeA.id })));
      const results = await Promise.allSettled(members.map((mb) => take(flash.body.id, mb.id, 1, null)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill('PROMOTION_FLASH_SALE_SOLD_OUT'));
      expect((await t.http.get(`/api/promotions/${flash.body.id}`).set(owner.auth).expect(200)).body.flashSold).toBe(3);
      await expectReconciled(t, owner.auth);
    });

    it('keeps one member to the limit however many of his orders race', async () => {
      const flash = await flashSale({ flashStock: 100, flashPerMemberLimit: 2 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => take(flash.body.id, member.id, 1, 2)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(4).fill('PROMOTION_FLASH_SALE_LIMIT_REACHED'));
      // A refused order took no stock (its transaction rolled back).
      expect((await t.http.get(`/api/promotions/${flash.body.id}`).set(owner.auth).expect(200)).body.flashSold).toBe(2);
      await expect(take(flash.body.id, null, 1, 2)).rejects.toMatchObject({ code: 'PROMOTION_FLASH_SALE_LIMIT_REACHED' });
      await expectReconciled(t, owner.auth);
    });

    it('gives units back on refunds, once, so the member may buy again', async () => {
      const flash = await flashSale({ flashStock: 5, flashPerMemberLimit: 3 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const orderId = await take(flash.body.id, member.id, 3, 3);
      const promotions = t.app.get(PromotionsService);
      const partial = await t.ds.transaction((m) => promotions.releaseFlashSales(m, { orderId, lines: [{ lineNo: 1, quantity: 1 }] }));
      expect(partial).toEqual([{ promotionId: flash.body.id, lineNo: 1, quantity: 1 }]);
      // Two full refunds racing give back the remaining two units once.
      const full = await Promise.all([0, 1].map(() => t.ds.transaction((m) => promotions.releaseFlashSales(m, { orderId }))));
      expect(full.map((r) => r.reduce((a, x) => a + x.quantity, 0)).sort()).toEqual([0, 2]);
      expect((await t.http.get(`/api/promotions/${flash.body.id}`).set(owner.auth).expect(200)).body.flashSold).toBe(0);
      await take(flash.body.id, member.id, 3, 3);
      await expectReconciled(t, owner.auth);
    });

    it('refuses to lower the stock below what was sold', async () => {
      const flash = await flashSale({ flashStock: 5, flashPerMemberLimit: null });
      await take(flash.body.id, null, 2, null);
      const res = await t.http.patch(`/api/promotions/${flash.body.id}`).set(owner.auth).send({ flashStock: 1 }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'PROMOTION_FLASH_STOCK_BELOW_SOLD', details: { flashSold: 2 } });
      await t.http.patch(`/api/promotions/${flash.body.id}`).set(owner.auth).send({ flashStock: 2 }).expect(200);
      await expect(take(flash.body.id, null, 1, null)).rejects.toMatchObject({ code: 'PROMOTION_FLASH_SALE_SOLD_OUT' });
    });
  });
});
