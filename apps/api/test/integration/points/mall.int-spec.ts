import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { PointsService } from '../../../src/modules/points/points.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

const key = () => `k-${randomUUID()}`;

describe('points mall', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let managerA: Awaited<ReturnType<typeof signedIn>>;
  let cashierA: Awaited<ReturnType<typeof signedIn>>;
  let cashierB: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    managerA = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    // Counter money needs an open shift (交班).
    for (const [session, storeId] of [[cashierA, storeA.id], [cashierB, storeB.id], [managerA, storeA.id], [owner, storeA.id], [owner, storeB.id]] as const) await openShift(t.http, session, storeId);
  });
  afterAll(() => t.close());

  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };
  /** A member holding `points` (earned through the points service, so that lots and ledger agree). */
  const memberWith = async (points: number) => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    if (points > 0) {
      await t.app
        .get(TransactionHost)
        .run((m) => t.app.get(PointsService).earn(m, { memberId: member.id, storeId: storeA.id, eligibleAmountFen: points * 100, tierMultiplierBps: 10_000, refType: 'order', refId: randomUUID() }));
    }
    const session = await t.app.get(AuthService).issueMemberSession(member.id);
    return { ...member, auth: { Authorization: `Bearer ${session.accessToken}` } };
  };
  const gift = async (over: Record<string, unknown> = {}) =>
    (await t.http.post('/api/mall/gifts').set(owner.auth).send({ name: '定制保温杯', category: '生活用品', pointsPrice: 500, ...over }).expect(201)).body as { id: string };
  const setStock = (storeId: string, giftId: string, quantity: number, auth = owner.auth) =>
    t.http.put(`/api/stores/${storeId}/mall/stock/${giftId}`).set(auth).set('Idempotency-Key', key()).send({ quantity });
  const stock = async (storeId: string, giftId: string) => {
    const [row] = await t.ds.query('SELECT quantity FROM gift_stock WHERE gift_id = $1 AND store_id = $2', [giftId, storeId]);
    return row?.quantity ?? 0;
  };
  const pointsOf = async (memberId: string) => (await t.http.get(`/api/members/${memberId}/points`).set(cashierA.auth).expect(200)).body.balance as number;
  const redeem = (auth: { Authorization: string }, giftId: string, storeId: string, k = key()) =>
    t.http.post('/api/me/mall/redemptions').set(auth).set('Idempotency-Key', k).send({ giftId, storeId });

  it('lets HQ define gifts, refuses store staff and bad input', async () => {
    const g = await gift({ description: '304 不锈钢', imageUrl: 'https://cdn.example.com/cup.jpg', perMemberLimit: 2 });
    expect(g).toMatchObject({ name: '定制保温杯', pointsPrice: 500, cashFen: 0, status: 'on_sale', perMemberLimit: 2, stock: null });
    await t.http.post('/api/mall/gifts').set(managerA.auth).send({ name: 'x', pointsPrice: 1 }).expect(403);
    const bad = await t.http.post('/api/mall/gifts').set(owner.auth).send({ name: '', pointsPrice: -1, imageUrl: 'not a url', cashFen: 1.5 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['cashFen', 'imageUrl', 'name', 'pointsPrice']);
    const free = await t.http.post('/api/mall/gifts').set(owner.auth).send({ name: '白送', pointsPrice: 0 }).expect(400);
    expect(free.body.error.details[0].field).toBe('pointsPrice');
    const upd = await t.http.patch(`/api/mall/gifts/${g.id}`).set(owner.auth).send({ pointsPrice: 600 }).expect(200);
    expect(upd.body.pointsPrice).toBe(600);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'mall.gift.update' AND entity_id = $1`, [g.id]);
    expect(audit).toMatchObject({ before: { pointsPrice: 500 }, after: { pointsPrice: 600 } });
  });

  it('keeps each store’s stock through recorded movements, never below zero, and only for the store’s own manager', async () => {
    const g = await gift();
    const set = await setStock(storeA.id, g.id, 5, managerA.auth).expect(200);
    expect(set.body).toMatchObject({ quantity: 5, storeId: storeA.id });
    await t.http.post(`/api/stores/${storeA.id}/mall/stock/${g.id}/adjustments`).set(managerA.auth).set('Idempotency-Key', key()).send({ delta: 3, note: '到货' }).expect(201);
    const under = await t.http.post(`/api/stores/${storeA.id}/mall/stock/${g.id}/adjustments`).set(managerA.auth).set('Idempotency-Key', key()).send({ delta: -9, note: '报损' }).expect(409);
    expect(under.body.error.code).toBe('MALL_STOCK_INSUFFICIENT');
    const foreign = await setStock(storeB.id, g.id, 5, managerA.auth).expect(404);
    expect(foreign.body.error.code).toBe('STORE_NOT_FOUND');
    await setStock(storeA.id, g.id, 5, cashierA.auth).expect(403);
    const badAdj = await t.http.post(`/api/stores/${storeA.id}/mall/stock/${g.id}/adjustments`).set(managerA.auth).set('Idempotency-Key', key()).send({ delta: 0 }).expect(400);
    expect(badAdj.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['delta', 'note']);
    expect(await stock(storeA.id, g.id)).toBe(8);
    expect(await stock(storeB.id, g.id)).toBe(0);
    const movements = await t.http.get(`/api/stores/${storeA.id}/mall/stock/${g.id}/movements`).set(managerA.auth).expect(200);
    expect(movements.body.items.map((mv: { reason: string; delta: number; quantityAfter: number }) => [mv.reason, mv.delta, mv.quantityAfter])).toEqual([
      ['adjust', 3, 8],
      ['set', 5, 5],
    ]);
    const list = await t.http.get(`/api/stores/${storeA.id}/mall/stock`).set(cashierA.auth).expect(200);
    expect(list.body).toEqual(expect.arrayContaining([expect.objectContaining({ giftId: g.id, quantity: 8 })]));
    await expectReconciled();
  });

  it('redeems in the member app, hands over against the pickup code at that store, and refuses a second pickup', async () => {
    const g = await gift({ pointsPrice: 300 });
    await setStock(storeA.id, g.id, 2).expect(200);
    const member = await memberWith(1000);
    const catalogue = await t.http.get('/api/me/mall/gifts').set(member.auth).query({ storeId: storeA.id }).expect(200);
    expect(catalogue.body.items.find((x: { id: string }) => x.id === g.id)).toMatchObject({ stock: 2, pointsPrice: 300 });

    const res = await redeem(member.auth, g.id, storeA.id).expect(201);
    expect(res.body).toMatchObject({ giftId: g.id, giftName: '定制保温杯', storeId: storeA.id, points: 300, cashFen: 0, status: 'pending', pickupCode: expect.stringMatching(/^\d{8}$/) });
    expect(await pointsOf(member.id)).toBe(700);
    expect(await stock(storeA.id, g.id)).toBe(1);

    const mine = await t.http.get('/api/me/mall/redemptions').set(member.auth).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: res.body.id, pickupCode: res.body.pickupCode })]);
    const storeList = await t.http.get(`/api/stores/${storeA.id}/mall/redemptions`).set(cashierA.auth).query({ status: 'pending' }).expect(200);
    expect(storeList.body.items.find((r: { id: string }) => r.id === res.body.id)).toMatchObject({ pickupCode: null, status: 'pending' });

    const wrong = await t.http.post('/api/mall/redemptions/pickup').set(cashierA.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, code: '99999999' });
    expect(wrong.status === 404 || res.body.pickupCode === '99999999').toBe(true);
    const picked = await t.http.post('/api/mall/redemptions/pickup').set(cashierA.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, code: res.body.pickupCode }).expect(200);
    expect(picked.body).toMatchObject({ id: res.body.id, status: 'fulfilled', fulfilledAt: expect.any(String) });
    await t.http.post('/api/mall/redemptions/pickup').set(cashierA.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, code: res.body.pickupCode }).expect(404);
    const late = await t.http.post(`/api/me/mall/redemptions/${res.body.id}/cancel`).set(member.auth).set('Idempotency-Key', key()).send({}).expect(409);
    expect(late.body.error.code).toBe('MALL_REDEMPTION_NOT_PENDING');
    const bad = await t.http.post('/api/mall/redemptions/pickup').set(cashierA.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, code: '12ab' }).expect(400);
    expect(bad.body.error.details[0].field).toBe('code');
    await expectReconciled();
  });

  it('returns points to their lots and the gift to stock when the member or staff cancel before pickup', async () => {
    const g = await gift({ pointsPrice: 400 });
    await setStock(storeA.id, g.id, 3).expect(200);
    const member = await memberWith(1000);
    const lotsBefore = await t.ds.query('SELECT year, remaining FROM point_lot WHERE member_id = $1 ORDER BY year', [member.id]);
    const r1 = await redeem(member.auth, g.id, storeA.id).expect(201);
    const r2 = await redeem(member.auth, g.id, storeA.id).expect(201);
    expect(await pointsOf(member.id)).toBe(200);
    expect(await stock(storeA.id, g.id)).toBe(1);

    const own = await t.http.post(`/api/me/mall/redemptions/${r1.body.id}/cancel`).set(member.auth).set('Idempotency-Key', key()).send({ reason: '不想要了' }).expect(200);
    expect(own.body).toMatchObject({ status: 'cancelled', cancelReason: '不想要了' });
    const byStaff = await t.http.post(`/api/mall/redemptions/${r2.body.id}/cancel`).set(cashierA.auth).set('Idempotency-Key', key()).send({}).expect(200);
    expect(byStaff.body.status).toBe('cancelled');
    const twice = await t.http.post(`/api/mall/redemptions/${r2.body.id}/cancel`).set(cashierA.auth).set('Idempotency-Key', key()).send({}).expect(409);
    expect(twice.body.error.code).toBe('MALL_REDEMPTION_NOT_PENDING');

    expect(await pointsOf(member.id)).toBe(1000);
    expect(await stock(storeA.id, g.id)).toBe(3);
    expect(await t.ds.query('SELECT year, remaining FROM point_lot WHERE member_id = $1 ORDER BY year', [member.id])).toEqual(lotsBefore);
    const other = await memberWith(0);
    await t.http.post(`/api/me/mall/redemptions/${r1.body.id}/cancel`).set(other.auth).set('Idempotency-Key', key()).send({}).expect(404);
    await expectReconciled();
  });

  it('takes the cash part of a gift only at the counter, and keeps to the per-member limit', async () => {
    const mixed = await gift({ name: '积分+现金 面膜', pointsPrice: 100, cashFen: 990 });
    await setStock(storeA.id, mixed.id, 5).expect(200);
    const member = await memberWith(1000);
    const inApp = await redeem(member.auth, mixed.id, storeA.id).expect(409);
    expect(inApp.body.error.code).toBe('MALL_GIFT_NEEDS_PAYMENT');
    const noMethod = await t.http.post(`/api/members/${member.id}/mall/redemptions`).set(cashierA.auth).set('Idempotency-Key', key()).send({ giftId: mixed.id, storeId: storeA.id }).expect(400);
    expect(noMethod.body.error.code).toBe('MALL_PAYMENT_METHOD_REQUIRED');
    const counter = await t.http
      .post(`/api/members/${member.id}/mall/redemptions`)
      .set(cashierA.auth)
      .set('Idempotency-Key', key())
      .send({ giftId: mixed.id, storeId: storeA.id, paymentMethod: 'cash' })
      .expect(201);
    expect(counter.body).toMatchObject({ points: 100, cashFen: 990, paymentMethod: 'cash', pickupCode: expect.stringMatching(/^\d{8}$/) });
    const atCounter = await t.http.post(`/api/me/mall/redemptions/${counter.body.id}/cancel`).set(member.auth).set('Idempotency-Key', key()).send({}).expect(409);
    expect(atCounter.body.error.code).toBe('MALL_CANCEL_AT_COUNTER');

    const limited = await gift({ name: '限兑一次', pointsPrice: 10, perMemberLimit: 1 });
    await setStock(storeA.id, limited.id, 5).expect(200);
    await redeem(member.auth, limited.id, storeA.id).expect(201);
    const again = await redeem(member.auth, limited.id, storeA.id).expect(409);
    expect(again.body.error.code).toBe('MALL_LIMIT_REACHED');
    await t.http.patch(`/api/mall/gifts/${limited.id}`).set(owner.auth).send({ status: 'off_sale' }).expect(200);
    const off = await redeem((await memberWith(100)).auth, limited.id, storeA.id).expect(409);
    expect(off.body.error.code).toBe('MALL_GIFT_OFF_SALE');
    expect(await pointsOf(member.id)).toBe(1000 - 100 - 10);
    expect(await stock(storeA.id, limited.id)).toBe(4);
    await expectReconciled();
  });

  it('refuses a redemption without enough points or stock and changes nothing', async () => {
    const g = await gift({ pointsPrice: 800 });
    await setStock(storeA.id, g.id, 1).expect(200);
    const poor = await memberWith(500);
    const short = await redeem(poor.auth, g.id, storeA.id).expect(409);
    expect(short.body.error.code).toBe('POINTS_INSUFFICIENT');
    const empty = await redeem((await memberWith(1000)).auth, g.id, storeB.id).expect(409);
    expect(empty.body.error.code).toBe('MALL_STOCK_INSUFFICIENT');
    const bad = await t.http.post('/api/me/mall/redemptions').set(poor.auth).set('Idempotency-Key', key()).send({ giftId: 'x' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['giftId', 'storeId']);
    await redeem(poor.auth, randomUUID(), storeA.id).expect(404);
    expect(await pointsOf(poor.id)).toBe(500);
    expect(await stock(storeA.id, g.id)).toBe(1);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM mall_redemption WHERE member_id = $1', [poor.id]);
    expect(n).toBe(0);
  });

  it('replays a repeated redemption request instead of redeeming twice', async () => {
    const g = await gift({ pointsPrice: 100 });
    await setStock(storeA.id, g.id, 5).expect(200);
    const member = await memberWith(1000);
    const k = key();
    const first = await redeem(member.auth, g.id, storeA.id, k).expect(201);
    const again = await redeem(member.auth, g.id, storeA.id, k).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await pointsOf(member.id)).toBe(900);
    expect(await stock(storeA.id, g.id)).toBe(4);
  });

  it('never oversells: of 64 parallel redemptions of a gift with stock 10 exactly 10 succeed, and points stay exact', async () => {
    const g = await gift({ name: '限量公仔', pointsPrice: 250 });
    await setStock(storeA.id, g.id, 10).expect(200);
    const members = await Promise.all(Array.from({ length: 16 }, () => memberWith(1000)));
    const results = await Promise.all(members.flatMap((mb) => Array.from({ length: 4 }, () => redeem(mb.auth, g.id, storeA.id))));
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(10);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === 'MALL_STOCK_INSUFFICIENT')).toBe(true);
    expect(await stock(storeA.id, g.id)).toBe(0);
    const codes = new Set(ok.map((r) => r.body.pickupCode));
    expect(codes.size).toBe(10);
    let total = 0;
    for (const mb of members) {
      const won = ok.filter((r) => r.body.memberId === mb.id).length;
      const balance = await pointsOf(mb.id);
      expect({ member: mb.id, balance }).toEqual({ member: mb.id, balance: 1000 - 250 * won });
      total += balance;
    }
    expect(total).toBe(16 * 1000 - 10 * 250);
    await expectReconciled();
  });

  it('keeps each store’s redemptions from other stores’ staff', async () => {
    const g = await gift({ pointsPrice: 50 });
    await setStock(storeB.id, g.id, 3).expect(200);
    const member = await memberWith(500);
    const atB = await redeem(member.auth, g.id, storeB.id).expect(201);
    expect((await t.http.get(`/api/mall/redemptions/${atB.body.id}`).set(cashierA.auth).expect(404)).body.error.code).toBe('MALL_REDEMPTION_NOT_FOUND');
    await t.http.get(`/api/mall/redemptions/${atB.body.id}`).set(cashierB.auth).expect(200);
    await t.http.get(`/api/stores/${storeB.id}/mall/redemptions`).set(cashierA.auth).expect(404);
    await t.http.post(`/api/mall/redemptions/${atB.body.id}/cancel`).set(cashierA.auth).set('Idempotency-Key', key()).send({}).expect(404);
    await t.http.post('/api/mall/redemptions/pickup').set(cashierA.auth).set('Idempotency-Key', key()).send({ storeId: storeB.id, code: atB.body.pickupCode }).expect(404);
    // A's staff cannot hand over B's gift by naming their own store either.
    await t.http.post('/api/mall/redemptions/pickup').set(cashierA.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, code: atB.body.pickupCode }).expect(404);
    const listA = await t.http.get(`/api/stores/${storeA.id}/mall/redemptions`).set(cashierA.auth).expect(200);
    expect(JSON.stringify(listA.body)).not.toContain(atB.body.id);
    const [row] = await t.ds.query('SELECT status FROM mall_redemption WHERE id = $1', [atB.body.id]);
    expect(row.status).toBe('pending');
    await t.http.post('/api/mall/redemptions/pickup').set(cashierB.auth).set('Idempotency-Key', key()).send({ storeId: storeB.id, code: atB.body.pickupCode }).expect(200);
    await expectReconciled();
  });
});
