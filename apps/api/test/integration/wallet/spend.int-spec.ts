import { randomUUID } from 'node:crypto';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { WalletService } from '../../../src/modules/wallet/wallet.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { balance, expectReconciled, idemKey, reverse, setPayPassword, setSettings, spend, topUp } from './wallet-helpers';

describe('wallet spends', () => {
  let t: TestApp;
  let storeA: { id: string; name: string };
  let storeB: { id: string; name: string };
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
    await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '充100送20', thresholdFen: 10000, bonusFen: 2000 }).expect(201);
  });
  afterAll(() => t.close());

  /** A member with 10000 principal and 2000 bonus, topped up at store A. */
  const funded = async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 10000 }).expect(201);
    return m;
  };

  it('takes the bonus first by default, to the fen', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first' });
    const m = await funded();
    const res = await spend(t, cashierB.auth, m.id, { storeId: storeB.id, amountFen: 3001 }).expect(201);
    expect(res.body).toMatchObject({ amountFen: 3001, principalFen: 1001, bonusFen: 2000, refType: 'wallet_spend', refId: res.body.id, status: 'completed' });
    expect(res.body.balance).toMatchObject({ principalFen: 8999, bonusFen: 0, totalFen: 8999 });
    // The spend is recorded at the store where it happened, the top-up at the store that collected it.
    const stores = await t.ds.query(`SELECT reason, store_id FROM ledger_entry WHERE member_id = $1 GROUP BY reason, store_id ORDER BY reason`, [m.id]);
    expect(stores).toEqual([
      { reason: 'spend', store_id: storeB.id },
      { reason: 'top_up', store_id: storeA.id },
      { reason: 'top_up_bonus', store_id: storeA.id },
    ]);
  });

  it('takes the principal first when HQ says so', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'principal_first' });
    const m = await funded();
    const first = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 9999 }).expect(201);
    expect(first.body).toMatchObject({ principalFen: 9999, bonusFen: 0 });
    const second = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 5 }).expect(201);
    expect(second.body).toMatchObject({ principalFen: 1, bonusFen: 4 });
    expect(second.body.balance).toMatchObject({ principalFen: 0, bonusFen: 1996 });
  });

  it('splits in proportion to the balances, exact to the fen', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'proportional' });
    const m = await funded();
    // 1001 × 10000/12000 = 834.17 and × 2000/12000 = 166.83: the odd fen goes to the larger remainder.
    const res = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 1001 }).expect(201);
    expect(res.body).toMatchObject({ principalFen: 834, bonusFen: 167 });
    const rest = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 10999 }).expect(201);
    expect(rest.body).toMatchObject({ principalFen: 9166, bonusFen: 1833, balance: { totalFen: 0 } });
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first' });
    await expectReconciled(t, owner.auth);
  });

  it('asks for the payment password when the member has one, and refuses a wrong one', async () => {
    const m = await funded();
    await setPayPassword(t, m.id, '246810');
    const missing = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 100 }).expect(400);
    expect(missing.body.error.code).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    const wrong = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 100, password: '135790' }).expect(400);
    expect(wrong.body.error.code).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect((await balance(t, cashierA.auth, m.id)).totalFen).toBe(12000);
    await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 100, password: '246810' }).expect(201);
    // A dynamic member code stands in for the password (the checkout passes verifiedByCode).
    const svc = t.app.get(WalletService);
    const byCode = await svc['tx'].run((mgr) => svc.spend(mgr, { memberId: m.id, storeId: storeA.id, amountFen: 100, refType: 'order', refId: 'o-1', verifiedByCode: true }));
    expect(byCode).toMatchObject({ refType: 'order', refId: 'o-1', amountFen: 100 });
    expect((await balance(t, cashierA.auth, m.id)).totalFen).toBe(11800);
  });

  it('refuses more than the balance and changes nothing', async () => {
    const m = await funded();
    const res = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 12001 }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'WALLET_INSUFFICIENT_BALANCE', details: { requestedFen: 12001, availableFen: 12000 } });
    expect((await balance(t, cashierA.auth, m.id)).totalFen).toBe(12000);
    expect(Number((await t.ds.query('SELECT count(*) AS n FROM wallet_spend WHERE member_id = $1', [m.id]))[0].n)).toBe(0);
  });

  it('rejects bad spends with the offending fields', async () => {
    const m = await funded();
    const bad = await spend(t, cashierA.auth, m.id, { storeId: 'nope', amountFen: 0, password: 12, memo: '' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['amountFen', 'memo', 'password', 'storeId']);
    await spend(t, cashierA.auth, m.id, { storeId: storeB.id, amountFen: 100 }).expect(404);
    await spend(t, cashierA.auth, randomUUID(), { storeId: storeA.id, amountFen: 100 }).expect(404);
    const tech = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    await spend(t, tech.auth, m.id, { storeId: storeA.id, amountFen: 100 }).expect(403);
    expect((await balance(t, cashierA.auth, m.id)).totalFen).toBe(12000);
  });

  it('reverses exactly what a spend took, in parts or whole, and only once', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first' });
    const m = await funded();
    const s = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 5000 }).expect(201);
    expect(s.body).toMatchObject({ principalFen: 3000, bonusFen: 2000 });
    const part = await reverse(t, cashierA.auth, s.body.id, { amountFen: 1000, reason: '部分退' }).expect(200);
    expect(part.body).toMatchObject({ status: 'partially_reversed', reversedPrincipalFen: 600, reversedBonusFen: 400 });
    const rest = await reverse(t, cashierA.auth, s.body.id).expect(200);
    expect(rest.body).toMatchObject({ status: 'reversed', reversedPrincipalFen: 3000, reversedBonusFen: 2000 });
    expect(rest.body.balance).toMatchObject({ principalFen: 10000, bonusFen: 2000 });
    expect((await reverse(t, cashierA.auth, s.body.id).expect(409)).body.error.code).toBe('WALLET_SPEND_ALREADY_REVERSED');
    const s2 = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 100 }).expect(201);
    expect((await reverse(t, cashierA.auth, s2.body.id, { amountFen: 101 }).expect(409)).body.error.code).toBe('WALLET_SPEND_REVERSE_EXCEEDS');
    // Another store's cashier does not see the spend.
    await reverse(t, cashierB.auth, s2.body.id).expect(404);
    const entries = await t.ds.query(`SELECT kind, amount FROM ledger_entry WHERE member_id = $1 AND reason = 'spend_reversal' ORDER BY id`, [m.id]);
    expect(entries.map((e: { kind: string; amount: string }) => [e.kind, Number(e.amount)])).toEqual(
      expect.arrayContaining([
        ['wallet_principal', 600],
        ['wallet_bonus', 400],
        ['wallet_principal', 2400],
        ['wallet_bonus', 1600],
      ]),
    );
    await expectReconciled(t, owner.auth);
  });

  it('leaves an order’s spend to the order refund', async () => {
    const m = await funded();
    const svc = t.app.get(WalletService);
    const s = await svc['tx'].run((mgr) => svc.spend(mgr, { memberId: m.id, storeId: storeA.id, amountFen: 700, refType: 'order', refId: randomUUID() }));
    expect((await reverse(t, cashierA.auth, s.id).expect(409)).body.error.code).toBe('WALLET_SPEND_NOT_REVERSIBLE_HERE');
    const back = await svc['tx'].run((mgr) => svc.reverseSpend(mgr, s.id, { refType: 'order_refund', refId: 'r-1' }));
    expect(back).toMatchObject({ status: 'reversed', balance: { totalFen: 12000 } });
  });

  it('never overdraws under 64 parallel spends and leaves exact totals', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'proportional' });
    // 10000 principal + 2000 bonus, less a 2000 spend in proportion: 8333 principal + 1667 bonus.
    const m = await funded();
    await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 2000 }).expect(201);
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ principalFen: 8333, bonusFen: 1667, totalFen: 10000 });

    const results = await Promise.all(Array.from({ length: 64 }, () => spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 300 })));
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(33);
    expect(refused.every((r) => r.status === 409 && r.body.error.code === 'WALLET_INSUFFICIENT_BALANCE')).toBe(true);
    const b = await balance(t, cashierA.auth, m.id);
    expect(b.totalFen).toBe(100);
    const taken = ok.reduce((s, r) => ({ p: s.p + r.body.principalFen, b: s.b + r.body.bonusFen }), { p: 0, b: 0 });
    expect({ principalFen: 8333 - taken.p, bonusFen: 1667 - taken.b }).toEqual({ principalFen: b.principalFen, bonusFen: b.bonusFen });
    const [neg] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE member_id = $1 AND balance_after < 0`, [m.id]);
    expect(neg.n).toBe(0);
    await expectReconciled(t, owner.auth);

    // And 64 parallel reversals of one spend give it back once.
    const one = ok[0].body;
    const backs = await Promise.all(Array.from({ length: 64 }, () => reverse(t, cashierA.auth, one.id)));
    expect(backs.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await balance(t, cashierA.auth, m.id)).totalFen).toBe(400);
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first' });
    await expectReconciled(t, owner.auth);
  });

  it('shows the member’s ledger lines with store names, to staff and to the member himself', async () => {
    const m = await funded();
    await spend(t, cashierB.auth, m.id, { storeId: storeB.id, amountFen: 2500 }).expect(201);
    const page = await t.http.get(`/api/members/${m.id}/wallet/entries`).set(cashierA.auth).query({ pageSize: 2 }).expect(200);
    expect(page.body.total).toBe(4);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0]).toMatchObject({ reason: 'spend', storeId: storeB.id, storeName: storeB.name });
    const bonusOnly = await t.http.get(`/api/members/${m.id}/wallet/entries`).set(cashierA.auth).query({ kind: 'wallet_bonus' }).expect(200);
    expect(bonusOnly.body.items.map((e: { amountFen: number; balanceAfterFen: number }) => [e.amountFen, e.balanceAfterFen])).toEqual([
      [-2000, 0],
      [2000, 2000],
    ]);
    await t.http.get(`/api/members/${m.id}/wallet/entries`).set(cashierA.auth).query({ kind: 'points', pageSize: 1000 }).expect(400);

    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    const auth = { Authorization: `Bearer ${session.accessToken}` };
    expect((await t.http.get('/api/me/wallet').set(auth).expect(200)).body).toEqual({ memberId: m.id, principalFen: 9500, bonusFen: 0, totalFen: 9500, pendingBonusFen: 0 });
    const mine = await t.http.get('/api/me/wallet/entries').set(auth).expect(200);
    // Newest first; the legs of one posting come in account order, so the top-up's two are compared as a set.
    const reasons = mine.body.items.map((e: { reason: string }) => e.reason);
    expect(reasons.slice(0, 2)).toEqual(['spend', 'spend']);
    expect(reasons.slice(2).sort()).toEqual(['top_up', 'top_up_bonus']);
    await t.http.get('/api/me/wallet').set(cashierA.auth).expect(403);
    await t.http.get(`/api/members/${m.id}/wallet`).set(auth).expect(403);
  });

  it('replays a repeated spend instead of spending twice', async () => {
    const m = await funded();
    const key = idemKey();
    const a = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 700 }, key).expect(201);
    const b = await spend(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 700 }, key).expect(201);
    expect(b.body).toEqual(a.body);
    expect((await balance(t, cashierA.auth, m.id)).totalFen).toBe(11300);
  });
});
