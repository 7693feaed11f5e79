import { randomUUID } from 'node:crypto';
import { WalletService } from '../../../src/modules/wallet/wallet.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { balance, expectReconciled, idemKey, pointsOf, setSettings, setTier, topUp } from './wallet-helpers';

describe('wallet top-ups and bonus rules', () => {
  let t: TestApp;
  let storeA: { id: string; name: string };
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
  });
  afterAll(() => t.close());

  const rule = (body: Record<string, unknown>) => t.http.post('/api/wallet/bonus-rules').set(owner.auth).send(body).expect(201).then((r) => r.body);
  const clearRules = () => t.ds.query('UPDATE wallet_bonus_rule SET active = false');

  it('lets HQ read and change the settings, audited, and refuses store staff', async () => {
    const before = await t.http.get('/api/wallet/settings').set(cashierA.auth).expect(200);
    expect(before.body).toMatchObject({ consumptionOrder: 'bonus_first', refundPolicy: 'refuse', minTopUpFen: 100, maxTopUpFen: 10_000_000 });
    await t.http.patch('/api/wallet/settings').set(cashierA.auth).send({ consumptionOrder: 'proportional' }).expect(403);
    const res = await t.http.patch('/api/wallet/settings').set(owner.auth).send({ consumptionOrder: 'proportional', minTopUpFen: 1000 }).expect(200);
    expect(res.body).toMatchObject({ consumptionOrder: 'proportional', minTopUpFen: 1000 });
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'wallet.settings.update' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ before: { consumptionOrder: 'bonus_first', minTopUpFen: 100 }, after: { consumptionOrder: 'proportional', minTopUpFen: 1000 } });
    const bad = await t.http.patch('/api/wallet/settings').set(owner.auth).send({ consumptionOrder: 'random', minTopUpFen: -1 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['consumptionOrder', 'minTopUpFen']);
    const crossed = await t.http.patch('/api/wallet/settings').set(owner.auth).send({ maxTopUpFen: 500 }).expect(400);
    expect(crossed.body.error.details[0].field).toBe('maxTopUpFen');
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first', minTopUpFen: 100 });
  });

  it('manages bonus rules for HQ only and rejects bad rules with the offending fields', async () => {
    await t.http.post('/api/wallet/bonus-rules').set(cashierA.auth).send({ name: 'x', thresholdFen: 100, bonusFen: 10 }).expect(403);
    const bad = await t.http
      .post('/api/wallet/bonus-rules')
      .set(owner.auth)
      .send({ name: '', thresholdFen: 0, bonusFen: -1, instalments: 0, storeId: 'nope', validFrom: 'tomorrow' })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['bonusFen', 'instalments', 'name', 'storeId', 'thresholdFen', 'validFrom']);
    const nothing = await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '空', thresholdFen: 100 }).expect(400);
    expect(nothing.body.error.details[0].field).toBe('bonusFen');
    const window = await t.http
      .post('/api/wallet/bonus-rules')
      .set(owner.auth)
      .send({ name: '倒挂', thresholdFen: 100, bonusFen: 1, validFrom: '2026-02-01T00:00:00Z', validTo: '2026-01-01T00:00:00Z' })
      .expect(400);
    expect(window.body.error.details[0].field).toBe('validTo');
    expect(Number((await t.ds.query('SELECT count(*) AS n FROM wallet_bonus_rule'))[0].n)).toBe(0);

    const r = await rule({ name: '充100送20', thresholdFen: 10000, bonusFen: 2000 });
    const upd = await t.http.patch(`/api/wallet/bonus-rules/${r.id}`).set(owner.auth).send({ bonusFen: 2500, priority: 3 }).expect(200);
    expect(upd.body).toMatchObject({ bonusFen: 2500, priority: 3, storeId: null, active: true });
    await t.http.get(`/api/wallet/bonus-rules/${r.id}`).set(owner.auth).expect(200);
    await t.http.get(`/api/wallet/bonus-rules/${randomUUID()}`).set(owner.auth).expect(404);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'wallet.bonus_rule.update' AND entity_id = $1`, [r.id]);
    expect(audit).toEqual({ before: { bonusFen: 2000, priority: 0 }, after: { bonusFen: 2500, priority: 3 } });
    await clearRules();
  });

  it('tops up at the counter with the best HQ rule: principal, bonus and bonus points in one posting', async () => {
    await rule({ name: '充100送20', thresholdFen: 10000, bonusFen: 2000 });
    await rule({ name: '充500送150', thresholdFen: 50000, bonusFen: 15000, bonusPoints: 300 });
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });

    const res = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 60000, paymentMethod: 'bank_card', memo: '刷卡' }).expect(201);
    expect(res.body).toMatchObject({
      memberId: m.id,
      storeId: storeA.id,
      storeName: storeA.name,
      amountFen: 60000,
      bonusFen: 15000,
      bonusPoints: 300,
      ruleName: '充500送150',
      paymentMethod: 'bank_card',
      operatorId: cashierA.id,
      status: 'completed',
      balance: { principalFen: 60000, bonusFen: 15000, totalFen: 75000, pendingBonusFen: 0 },
    });
    expect(await pointsOf(t, m.id)).toBe(300);
    const entries = await t.ds.query(`SELECT kind, amount, reason, ref_type, ref_id, store_id, operation_id FROM ledger_entry WHERE member_id = $1 ORDER BY kind`, [m.id]);
    expect(entries.map((e: { kind: string; amount: string; reason: string }) => [e.kind, Number(e.amount), e.reason])).toEqual([
      ['points', 300, 'top_up_bonus'],
      ['wallet_bonus', 15000, 'top_up_bonus'],
      ['wallet_principal', 60000, 'top_up'],
    ]);
    expect(new Set(entries.map((e: { operation_id: string }) => e.operation_id)).size).toBe(1);
    expect(entries.every((e: { ref_type: string; ref_id: string; store_id: string }) => e.ref_type === 'wallet_top_up' && e.ref_id === res.body.id && e.store_id === storeA.id)).toBe(true);

    const small = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 49999 }).expect(201);
    expect(small.body).toMatchObject({ bonusFen: 2000, ruleName: '充100送20' });
    const none = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 9999 }).expect(201);
    expect(none.body).toMatchObject({ bonusFen: 0, ruleId: null });
    const [audit] = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'wallet.top_up' AND entity_id = $1`, [res.body.id]);
    expect(audit.after).toMatchObject({ amountFen: 60000, bonusFen: 15000 });
    await expectReconciled(t, owner.auth);
    await clearRules();
  });

  it('uses only a store’s own rules where it has some in force, and tier rules only for that tier', async () => {
    const tierRow = async (name: string, level: number) =>
      (await t.ds.query(`INSERT INTO tier (name, level, is_initial) VALUES ($1, $2, false) RETURNING id`, [name, level]))[0].id as string;
    const gold = await tierRow('金卡', 901);
    await rule({ name: 'HQ 充100送20', thresholdFen: 10000, bonusFen: 2000 });
    await rule({ name: 'HQ 金卡 充100送50', thresholdFen: 10000, bonusFen: 5000, tierId: gold });
    await rule({ name: 'B店 充300送90', thresholdFen: 30000, bonusFen: 9000, storeId: storeB.id });
    await rule({ name: 'B店 过期', thresholdFen: 100, bonusFen: 9999, storeId: storeB.id, validTo: '2020-01-01T00:00:00Z' });
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });

    expect((await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 30000 }).expect(201)).body.ruleName).toBe('HQ 充100送20');
    // At B only B's rules apply: 200 yuan does not reach B's threshold, and HQ's rule does not apply there.
    expect((await topUp(t, cashierB.auth, m.id, { storeId: storeB.id, amountFen: 20000 }).expect(201)).body).toMatchObject({ ruleId: null, bonusFen: 0 });
    expect((await topUp(t, cashierB.auth, m.id, { storeId: storeB.id, amountFen: 30000 }).expect(201)).body.ruleName).toBe('B店 充300送90');

    await setTier(t, m.id, gold);
    // Same threshold: the larger bonus wins.
    expect((await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 10000 }).expect(201)).body.ruleName).toBe('HQ 金卡 充100送50');
    await setTier(t, m.id, await tierRow('银卡', 902));
    expect((await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 10000 }).expect(201)).body.ruleName).toBe('HQ 充100送20');

    // Store staff see HQ's rules and their own store's overrides, never another store's.
    const seen = await t.http.get('/api/wallet/bonus-rules').set(cashierA.auth).query({ pageSize: 100 }).expect(200);
    expect(seen.body.items.every((r: { storeId: string | null }) => r.storeId === null)).toBe(true);
    const seenB = await t.http.get('/api/wallet/bonus-rules').set(cashierB.auth).query({ pageSize: 100, active: 'true' }).expect(200);
    expect(seenB.body.items.filter((r: { storeId: string | null }) => r.storeId === storeB.id)).toHaveLength(2);
    await expectReconciled(t, owner.auth);
    await clearRules();
  });

  it('releases an instalment bonus month by month through the job, each part exactly once', async () => {
    await rule({ name: '充1200送1200 分12个月', thresholdFen: 120000, bonusFen: 120000, instalments: 12, intervalMonths: 1 });
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const res = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 120000 }).expect(201);
    expect(res.body.balance).toEqual({ memberId: m.id, principalFen: 120000, bonusFen: 10000, totalFen: 130000, pendingBonusFen: 110000 });
    expect(res.body.instalments).toHaveLength(12);
    expect(res.body.instalments[0]).toMatchObject({ seq: 1, amountFen: 10000, status: 'released' });
    expect(res.body.instalments.slice(1).every((i: { status: string; amountFen: number }) => i.status === 'pending' && i.amountFen === 10000)).toBe(true);

    const job = t.app.get(WalletService);
    const created = new Date(res.body.createdAt);
    const due3 = new Date(res.body.instalments[2].dueAt);
    expect(await job.releaseDueInstalments(created)).toBe(0);
    expect(await job.releaseDueInstalments(due3)).toBe(2);
    expect(await job.releaseDueInstalments(due3)).toBe(0);
    // Two jobs at once still release each part once.
    const due6 = new Date(res.body.instalments[5].dueAt);
    const [a, b] = await Promise.all([job.releaseDueInstalments(due6), job.releaseDueInstalments(due6)]);
    expect(a + b).toBe(3);
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ bonusFen: 60000, pendingBonusFen: 60000 });
    const entries = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE member_id = $1 AND reason = 'bonus_instalment' AND store_id = $2`, [m.id, storeA.id]);
    expect(entries[0].n).toBe(5);
    await expectReconciled(t, owner.auth);
    await clearRules();
  });

  it('replays the original result for a repeated Idempotency-Key and applies the top-up once', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const key = idemKey();
    const first = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 5000 }, key).expect(201);
    const again = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 5000 }, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ principalFen: 5000, totalFen: 5000 });
    await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 6000 }, key).expect(422);
    const missing = await t.http.post(`/api/members/${m.id}/wallet/top-ups`).set(cashierA.auth).send({ storeId: storeA.id, amountFen: 5000, paymentMethod: 'cash' }).expect(400);
    expect(missing.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('rejects bad top-ups with the offending fields and changes nothing', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const bad = await topUp(t, cashierA.auth, m.id, { storeId: 'x', amountFen: 12.5, paymentMethod: 'wechat', extra: 1 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['amountFen', 'extra', 'paymentMethod', 'storeId']);
    const small = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 99 }).expect(400);
    expect(small.body.error).toMatchObject({ code: 'WALLET_TOP_UP_AMOUNT_OUT_OF_RANGE', details: { minFen: 100, maxFen: 10_000_000 } });
    await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 10_000_001 }).expect(400);
    await topUp(t, cashierA.auth, m.id, { storeId: storeB.id, amountFen: 1000 }).expect(404);
    await topUp(t, cashierA.auth, randomUUID(), { storeId: storeA.id, amountFen: 1000 }).expect(404);
    await t.ds.query(`UPDATE member SET status = 'frozen' WHERE id = $1`, [m.id]);
    expect((await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 1000 }).expect(409)).body.error.code).toBe('MEMBER_NOT_ACTIVE');
    expect(Number((await t.ds.query('SELECT count(*) AS n FROM wallet_top_up WHERE member_id = $1', [m.id]))[0].n)).toBe(0);
    expect(Number((await t.ds.query('SELECT count(*) AS n FROM ledger_entry WHERE member_id = $1', [m.id]))[0].n)).toBe(0);
  });

  it('takes a WeChat Pay top-up through the service seam once per payment reference', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const svc = t.app.get(WalletService);
    const input = { memberId: m.id, storeId: storeA.id, amountFen: 8800, paymentMethod: 'wechat' as const, paymentRef: 'wx-4200001' };
    const first = await svc['tx'].run((mgr) => svc.topUp(mgr, input));
    const second = await svc['tx'].run((mgr) => svc.topUp(mgr, input));
    expect(second.id).toBe(first.id);
    expect(await balance(t, cashierA.auth, m.id)).toMatchObject({ principalFen: 8800 });
    const [row] = await t.ds.query('SELECT operator_kind FROM wallet_top_up WHERE id = $1', [first.id]);
    expect(row.operator_kind).toBe('system');
  });

  it('lists top-ups of the caller’s stores by period, and hides other stores’ top-ups', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const a = await topUp(t, cashierA.auth, m.id, { storeId: storeA.id, amountFen: 1234 }).expect(201);
    const b = await topUp(t, cashierB.auth, m.id, { storeId: storeB.id, amountFen: 4321 }).expect(201);
    const listA = await t.http.get('/api/wallet/top-ups').set(cashierA.auth).query({ memberId: m.id }).expect(200);
    expect(listA.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id]);
    await t.http.get('/api/wallet/top-ups').set(cashierA.auth).query({ storeId: storeB.id }).expect(404);
    await t.http.get(`/api/wallet/top-ups/${b.body.id}`).set(cashierA.auth).expect(404);
    const hq = await t.http.get('/api/wallet/top-ups').set(owner.auth).query({ memberId: m.id, from: a.body.createdAt }).expect(200);
    expect(hq.body.items.map((x: { id: string }) => x.id).sort()).toEqual([a.body.id, b.body.id].sort());
    const before = await t.http.get('/api/wallet/top-ups').set(owner.auth).query({ memberId: m.id, to: a.body.createdAt }).expect(200);
    expect(before.body.total).toBe(0);
    await t.http.get('/api/wallet/top-ups').set(owner.auth).query({ from: 'yesterday' }).expect(400);
  });
});
