import { WalletService } from '../../../src/modules/wallet/wallet.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { balance, expectReconciled, idemKey, pointsOf, refund, setSettings, spend, topUp } from './wallet-helpers';

describe('wallet top-up refunds', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashierA: Awaited<ReturnType<typeof signedIn>>;
  let cashierB: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    // Counter money needs an open shift (交班): each cashier and HQ at both stores.
    for (const [session, storeId] of [[cashierA, storeA.id], [cashierB, storeB.id], [owner, storeA.id], [owner, storeB.id]] as const) await openShift(t.http, session, storeId);
    await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '充100送20', thresholdFen: 10000, bonusFen: 2000, bonusPoints: 50 }).expect(201);
    await t.http
      .post('/api/wallet/bonus-rules')
      .set(owner.auth)
      .send({ name: '充1000送600 分3期', thresholdFen: 100000, bonusFen: 60000, instalments: 3, intervalMonths: 2 })
      .expect(201);
  });
  afterAll(() => t.close());

  const fundedAt = async (storeId: string, auth: { Authorization: string }, amountFen = 10000) => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const tu = await topUp(t, auth, m.id, { storeId, amountFen }).expect(201);
    return { m, tu: tu.body };
  };

  it('refunds a top-up in full once: principal, bonus and bonus points out of the wallet', async () => {
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth);
    expect(await pointsOf(t, m.id)).toBe(50);
    const res = await refund(t, cashierA.auth, tu.id, '顾客搬家').expect(200);
    expect(res.body).toMatchObject({ status: 'refunded', refundReason: '顾客搬家', refundCashFen: 10000, refundBonusFen: 2000, balance: { principalFen: 0, bonusFen: 0 } });
    expect(await pointsOf(t, m.id)).toBe(0);
    const again = await refund(t, cashierA.auth, tu.id).expect(409);
    expect(again.body.error.code).toBe('WALLET_TOP_UP_ALREADY_REFUNDED');
    const legs = await t.ds.query(`SELECT kind, amount, store_id FROM ledger_entry WHERE ref_id = $1 AND reason = 'top_up_refund' ORDER BY kind`, [tu.id]);
    expect(legs.map((l: { kind: string; amount: string; store_id: string }) => [l.kind, Number(l.amount), l.store_id])).toEqual([
      ['points', -50, storeA.id],
      ['wallet_bonus', -2000, storeA.id],
      ['wallet_principal', -10000, storeA.id],
    ]);
    const [audit] = await t.ds.query(`SELECT reason, after FROM audit_log WHERE action = 'wallet.top_up.refund' AND entity_id = $1`, [tu.id]);
    expect(audit).toMatchObject({ reason: '顾客搬家', after: { cashFen: 10000, bonusDebitFen: 2000 } });
    await expectReconciled(t, owner.auth);
  });

  it('refuses the refund when bonus was spent under the refuse policy, and changes nothing', async () => {
    await setSettings(t, owner.auth, { refundPolicy: 'refuse', consumptionOrder: 'bonus_first' });
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth);
    await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 500 }).expect(201);
    const res = await refund(t, cashierA.auth, tu.id).expect(409);
    expect(res.body.error).toMatchObject({ code: 'WALLET_TOP_UP_BONUS_SPENT', details: { releasedBonusFen: 2000, bonusFen: 1500, policy: 'refuse' } });
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ principalFen: 10000, bonusFen: 1500 });
    expect((await t.http.get(`/api/wallet/top-ups/${tu.id}`).set(cashierA.auth).expect(200)).body.status).toBe('completed');
  });

  it('takes the spent bonus out of the money handed back under the deduct policy', async () => {
    await setSettings(t, owner.auth, { refundPolicy: 'deduct_from_refund', consumptionOrder: 'bonus_first' });
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth);
    await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 500 }).expect(201);
    const res = await refund(t, cashierA.auth, tu.id).expect(200);
    expect(res.body).toMatchObject({ refundCashFen: 9500, refundBonusFen: 1500, balance: { principalFen: 0, bonusFen: 0, totalFen: 0 } });
    await setSettings(t, owner.auth, { refundPolicy: 'refuse' });
    await expectReconciled(t, owner.auth);
  });

  it('refuses the refund when the principal was spent', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'principal_first' });
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth);
    await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 1 }).expect(201);
    expect((await refund(t, cashierA.auth, tu.id).expect(409)).body.error.code).toBe('WALLET_TOP_UP_PRINCIPAL_SPENT');
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first' });
  });

  it('refuses the refund when the bonus points were used', async () => {
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth);
    const svc = t.app.get(WalletService);
    // Points are spent by the points capability through the ledger; a direct posting stands in for it here.
    await svc['tx'].run((mgr) => svc['ledger'].post(mgr, { legs: [{ memberId: m.id, kind: 'points', amount: -10, reason: 'exchange' }], refType: 'test', refId: 'x', storeId: null }));
    expect((await refund(t, cashierA.auth, tu.id).expect(409)).body.error.code).toBe('WALLET_TOP_UP_POINTS_SPENT');
  });

  it('cancels the bonus instalments not yet released and takes back only what was released', async () => {
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth, 100000);
    expect(tu.balance).toMatchObject({ principalFen: 100000, bonusFen: 20000, pendingBonusFen: 40000 });
    const job = t.app.get(WalletService);
    expect(await job.releaseDueInstalments(new Date(tu.instalments[1].dueAt))).toBe(1);
    const res = await refund(t, cashierA.auth, tu.id).expect(200);
    expect(res.body).toMatchObject({ refundCashFen: 100000, refundBonusFen: 40000, balance: { principalFen: 0, bonusFen: 0, pendingBonusFen: 0 } });
    expect(res.body.instalments.map((i: { status: string }) => i.status)).toEqual(['released', 'released', 'cancelled']);
    expect(await job.releaseDueInstalments(new Date(tu.instalments[2].dueAt))).toBe(0);
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ totalFen: 0 });
    await expectReconciled(t, owner.auth);
  });

  it('hides another store’s top-up from a cashier: 404 to see or refund it', async () => {
    const { m, tu } = await fundedAt(storeB.id, cashierB.auth);
    const seen = await t.http.get(`/api/wallet/top-ups/${tu.id}`).set(cashierA.auth).expect(404);
    expect(seen.body.error.code).toBe('WALLET_TOP_UP_NOT_FOUND');
    expect((await refund(t, cashierA.auth, tu.id).expect(404)).body.error.code).toBe('WALLET_TOP_UP_NOT_FOUND');
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ principalFen: 10000 });
    await refund(t, cashierB.auth, tu.id).expect(200);
  });

  it('rejects a refund without a reason, and a WeChat Pay top-up at the counter', async () => {
    const { tu } = await fundedAt(storeA.id, cashierA.auth);
    const bad = await t.http.post(`/api/wallet/top-ups/${tu.id}/refund`).set(cashierA.auth).set('Idempotency-Key', idemKey()).send({ reason: '' }).expect(400);
    expect(bad.body.error.details[0].field).toBe('reason');
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const svc = t.app.get(WalletService);
    const wx = await svc['tx'].run((mgr) => svc.topUp(mgr, { memberId: m.id, storeId: storeA.id, amountFen: 3000, paymentMethod: 'wechat', paymentRef: 'wx-1' }));
    expect((await refund(t, cashierA.auth, wx.id).expect(409)).body.error.code).toBe('WALLET_TOP_UP_REFUND_NEEDS_WECHAT');
    const done = await svc['tx'].run((mgr) => svc.refundTopUp(mgr, wx.id, { reason: '微信退款成功', viaPaymentProvider: true }));
    expect(done).toMatchObject({ status: 'refunded', refundCashFen: 3000 });
  });

  it('refunds once under 16 parallel refund requests', async () => {
    const { m, tu } = await fundedAt(storeA.id, cashierA.auth);
    const results = await Promise.all(Array.from({ length: 16 }, () => refund(t, cashierA.auth, tu.id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === 'WALLET_TOP_UP_ALREADY_REFUNDED')).toBe(true);
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ totalFen: 0 });
    await expectReconciled(t, owner.auth);
  });
});
