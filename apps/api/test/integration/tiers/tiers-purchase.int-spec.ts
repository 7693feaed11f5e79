import { hashPassword } from '../../../src/common/auth/password';
import { TierEvaluationService } from '../../../src/modules/tiers/tier-evaluation.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { DAY, at, postFixture } from '../../factories/tiers';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('tier changes and purchases', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let storeA: { id: string };
  let storeB: { id: string };
  const tier: Record<'base' | 'vip' | 'svip' | 'black', string> = { base: '', vip: '', svip: '', black: '' };
  let keySeq = 0;
  const key = () => `tier-buy-${process.pid}-${++keySeq}`;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    // Counter money needs an open shift (交班).
    for (const [session, storeId] of [[cashier, storeA.id], [manager, storeA.id], [owner, storeA.id], [owner, storeB.id]] as const) await openShift(t.http, session, storeId);
    const create = async (body: object) => (await t.http.post('/api/tiers').set(owner.auth).send(body).expect(201)).body.id as string;
    tier.base = await create({ name: '普通会员', level: 1 });
    tier.vip = await create({ name: 'VIP', level: 2, priceFen: 9900, validityDays: 30 });
    tier.svip = await create({ name: 'SVIP', level: 3, priceFen: 19900, validityDays: 365 });
    tier.black = await create({ name: '黑卡', level: 4 });
  });
  afterAll(() => t.close());

  const newMember = async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await t.ds.query('UPDATE member SET tier_id = $2 WHERE id = $1', [m.id, tier.base]);
    return m.id;
  };
  const tierOf = async (memberId: string) => (await t.ds.query('SELECT tier_id FROM member WHERE id = $1', [memberId]))[0].tier_id as string;
  const buy = (memberId: string, body: object, k: string | null = key(), who = cashier) => {
    const req = t.http.post(`/api/members/${memberId}/tier-purchases`).set(who.auth);
    return (k ? req.set('Idempotency-Key', k) : req).send(body);
  };
  const balances = async (memberId: string) =>
    Object.fromEntries(
      (await t.ds.query(`SELECT kind, balance FROM account WHERE member_id = $1 AND kind LIKE 'wallet%'`, [memberId])).map((r: { kind: string; balance: string }) => [
        r.kind,
        Number(r.balance),
      ]),
    );

  it('changes a tier by hand only with a reason, and audits it', async () => {
    const id = await newMember();
    const noReason = await t.http.post(`/api/members/${id}/tier`).set(manager.auth).send({ tierId: tier.black }).expect(400);
    expect(noReason.body.error.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
    await t.http.post(`/api/members/${id}/tier`).set(cashier.auth).send({ tierId: tier.black, reason: '老客户' }).expect(403);
    expect(await tierOf(id)).toBe(tier.base);
    const res = await t.http.post(`/api/members/${id}/tier`).set(manager.auth).send({ tierId: tier.black, reason: '老客户补偿' }).expect(200);
    expect(res.body.tier).toMatchObject({ id: tier.black, name: '黑卡' });
    const history = await t.http.get(`/api/members/${id}/tier-changes`).set(cashier.auth).expect(200);
    expect(history.body.items[0]).toMatchObject({ fromTierId: tier.base, toTierId: tier.black, source: 'manual', reason: '老客户补偿', staffId: manager.id });
    const [audit] = await t.ds.query(`SELECT actor_id, before, after, reason FROM audit_log WHERE action = 'member.tier.manual' AND entity_id = $1`, [id]);
    expect(audit).toEqual({
      actor_id: manager.id,
      before: { tierId: tier.base, tierName: '普通会员' },
      after: { tierId: tier.black, tierName: '黑卡', source: 'manual', expiresAt: null },
      reason: '老客户补偿',
    });
    const down = await t.http.post(`/api/members/${id}/tier`).set(owner.auth).send({ tierId: tier.base, reason: '误操作回退' }).expect(200);
    expect(down.body.tier.id).toBe(tier.base);
  });

  it('sells a tier for cash, extends it when bought again, and refuses what cannot be sold', async () => {
    const id = await newMember();
    const before = Date.now();
    const first = await buy(id, { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
    expect(first.body).toMatchObject({ memberId: id, tierId: tier.vip, storeId: storeA.id, priceFen: 9900, paymentMethod: 'cash', principalFen: 0, bonusFen: 0, validityDays: 30 });
    const firstEnd = new Date(first.body.expiresAt).getTime();
    expect(firstEnd).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(firstEnd).toBeLessThan(Date.now() + 30 * DAY + 1000);
    const second = await buy(id, { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'bank_card' }).expect(201);
    expect(new Date(second.body.expiresAt).getTime()).toBe(firstEnd + 30 * DAY);
    const status = await t.http.get(`/api/members/${id}/tier`).set(cashier.auth).expect(200);
    expect(status.body).toMatchObject({ tier: { id: tier.vip }, expiresAt: second.body.expiresAt });
    const history = await t.http.get(`/api/members/${id}/tier-changes`).set(cashier.auth).expect(200);
    expect(history.body.items.map((c: { source: string; expiresAt: string | null }) => [c.source, c.expiresAt])).toEqual([
      ['purchase', second.body.expiresAt],
      ['purchase', first.body.expiresAt],
    ]);
    expect((await buy(id, { tierId: tier.base, storeId: storeA.id, paymentMethod: 'cash' }).expect(409)).body.error.code).toBe('TIER_NOT_PURCHASABLE');
    await buy(id, { tierId: tier.svip, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
    expect((await buy(id, { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'cash' }).expect(409)).body.error.code).toBe('TIER_BELOW_CURRENT');
    expect(await tierOf(id)).toBe(tier.svip);
  });

  it('lets a bought tier lapse in the daily job at its expiry, back to the tier the member qualifies for', async () => {
    const id = await newMember();
    const bought = await buy(id, { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
    const end = new Date(bought.body.expiresAt);
    const job = t.app.get(TierEvaluationService);
    await job.evaluateAll(at(end, -60_000));
    expect(await tierOf(id)).toBe(tier.vip);
    await job.evaluateAll(at(end, 60_000));
    expect(await tierOf(id)).toBe(tier.base);
    expect(await t.ds.query('SELECT 1 FROM member_paid_tier WHERE member_id = $1', [id])).toEqual([]);
    const history = await t.http.get(`/api/members/${id}/tier-changes`).set(cashier.auth).expect(200);
    expect(history.body.items[0]).toMatchObject({ fromTierId: tier.vip, toTierId: tier.base, source: 'expiry' });
    expect((await t.http.get(`/api/members/${id}/tier`).set(cashier.auth).expect(200)).body.expiresAt).toBeNull();
  });

  it('takes stored value for a tier in the chain’s consumption order, only with the member’s payment password', async () => {
    await t.http.patch('/api/wallet/settings').set(owner.auth).send({ consumptionOrder: 'principal_first' }).expect(200);
    const id = await newMember();
    await t.ds.query('UPDATE member SET pay_password_hash = $2 WHERE id = $1', [id, await hashPassword('246810')]);
    await postFixture(t, id, [
      { kind: 'wallet_principal', amount: 5000, reason: 'top_up' },
      { kind: 'wallet_bonus', amount: 10000, reason: 'top_up_bonus' },
    ]);
    const body = { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'wallet' };
    expect((await buy(id, body).expect(400)).body.error.code).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    expect((await buy(id, { ...body, password: '000000' }).expect(400)).body.error.code).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await balances(id)).toEqual({ wallet_principal: 5000, wallet_bonus: 10000 });
    const ok = await buy(id, { ...body, password: '246810' }).expect(201);
    expect(ok.body).toMatchObject({ priceFen: 9900, principalFen: 5000, bonusFen: 4900 });
    expect(await balances(id)).toEqual({ wallet_principal: 0, wallet_bonus: 5100 });
    const entries = await t.ds.query(`SELECT kind, amount, reason, ref_type, ref_id, store_id FROM ledger_entry WHERE ref_type = 'tier_purchase' AND member_id = $1 ORDER BY kind`, [id]);
    expect(entries).toEqual([
      { kind: 'wallet_bonus', amount: '-4900', reason: 'spend', ref_type: 'tier_purchase', ref_id: ok.body.id, store_id: storeA.id },
      { kind: 'wallet_principal', amount: '-5000', reason: 'spend', ref_type: 'tier_purchase', ref_id: ok.body.id, store_id: storeA.id },
    ]);
    const short = await buy(id, { ...body, tierId: tier.svip, password: '246810' }).expect(409);
    expect(short.body.error.code).toBe('WALLET_INSUFFICIENT_BALANCE');
    expect(await tierOf(id)).toBe(tier.vip);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM tier_purchase WHERE member_id = $1', [id])).toEqual([{ n: 1 }]);
    expect(await balances(id)).toEqual({ wallet_principal: 0, wallet_bonus: 5100 });
  });

  it('replays a repeated Idempotency-Key and requires one', async () => {
    const id = await newMember();
    const body = { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'cash' };
    expect((await buy(id, body, null).expect(400)).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    const k = key();
    const first = await buy(id, body, k).expect(201);
    const again = await buy(id, body, k).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM tier_purchase WHERE member_id = $1', [id])).toEqual([{ n: 1 }]);
  });

  it('applies 20 concurrent purchases with the same key once', async () => {
    const id = await newMember();
    await postFixture(t, id, [{ kind: 'wallet_principal', amount: 100000, reason: 'top_up' }]);
    const k = key();
    const body = { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'wallet' };
    const results = await Promise.all(Array.from({ length: 20 }, () => buy(id, body, k)));
    expect(results.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === 'IDEMPOTENCY_KEY_IN_FLIGHT'))).toBe(true);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM tier_purchase WHERE member_id = $1', [id])).toEqual([{ n: 1 }]);
    expect(await balances(id)).toEqual({ wallet_principal: 100000 - 9900 });
  });

  it('never overdraws stored value under concurrent purchases with different keys', async () => {
    const id = await newMember();
    await postFixture(t, id, [{ kind: 'wallet_principal', amount: 3 * 9900 + 100, reason: 'top_up' }]);
    const body = { tierId: tier.vip, storeId: storeA.id, paymentMethod: 'wallet' };
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 10 }, () => buy(id, body)));
    const statuses = results.map((r) => (r.status === 201 ? 'ok' : r.body.error.code)).sort();
    expect(statuses).toEqual([...Array(7).fill('WALLET_INSUFFICIENT_BALANCE'), 'ok', 'ok', 'ok']);
    expect(await balances(id)).toEqual({ wallet_principal: 100 });
    const [paid] = await t.ds.query('SELECT expires_at FROM member_paid_tier WHERE member_id = $1', [id]);
    expect(paid.expires_at.getTime()).toBeGreaterThanOrEqual(started + 90 * DAY);
    expect(paid.expires_at.getTime()).toBeLessThan(Date.now() + 90 * DAY + 1000);
  });

  it('refuses bad input with the offending fields and changes nothing', async () => {
    const id = await newMember();
    const bad = await buy(id, { tierId: 'x', storeId: 'y', paymentMethod: 'wechat', extra: 1 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'paymentMethod', 'storeId', 'tierId']);
    const foreign = await buy(id, { tierId: tier.vip, storeId: storeB.id, paymentMethod: 'cash' }).expect(404);
    expect(foreign.body.error.code).toBe('STORE_NOT_FOUND');
    const badChange = await t.http.post(`/api/members/${id}/tier`).set(manager.auth).send({ tierId: 'nope', reason: '' }).expect(400);
    expect(badChange.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['reason', 'tierId']);
    expect(await tierOf(id)).toBe(tier.base);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM tier_purchase WHERE member_id = $1', [id])).toEqual([{ n: 0 }]);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM member_tier_change WHERE member_id = $1', [id])).toEqual([{ n: 0 }]);
  });

  it('leaves the ledger reconciled', async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.ok).toBe(true);
  });
});
