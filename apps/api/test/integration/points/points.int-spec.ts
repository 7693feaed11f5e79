import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { PointsService } from '../../../src/modules/points/points.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

const key = () => `k-${randomUUID()}`;

describe('points', () => {
  let t: TestApp;
  let storeA: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let points: PointsService;
  let tx: TransactionHost;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    points = t.app.get(PointsService);
    tx = t.app.get(TransactionHost);
  });
  afterAll(() => t.close());

  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
    expect(res.body.ok).toBe(true);
  };
  const balance = async (memberId: string) => (await t.http.get(`/api/members/${memberId}/points`).set(cashier.auth).expect(200)).body.balance as number;
  const walletBonus = async (memberId: string) => {
    const [row] = await t.ds.query(`SELECT balance FROM account WHERE member_id = $1 AND kind = 'wallet_bonus'`, [memberId]);
    return Number(row?.balance ?? 0);
  };
  const earn = (memberId: string, eligibleAmountFen: number, over: { at?: Date; tierMultiplierBps?: number; refId?: string } = {}) =>
    tx.run((m) =>
      points.earn(m, { memberId, storeId: storeA.id, eligibleAmountFen, tierMultiplierBps: over.tierMultiplierBps ?? 10_000, refType: 'order', refId: over.refId ?? randomUUID(), at: over.at }),
    );
  const setRules = (body: Record<string, unknown>) => t.http.patch('/api/points/settings').set(owner.auth).send(body).expect(200);

  it('lets HQ change the rules, audits the change, and refuses store staff', async () => {
    const before = await t.http.get('/api/points/settings').set(cashier.auth).expect(200);
    expect(before.body).toMatchObject({ earnPoints: 1, earnPerFen: 100, stageRates: [], expiryPolicy: 'end_of_next_year', exchangeEnabled: false });
    const res = await setRules({ stageRates: [{ fromFen: 50000, rateBps: 15000 }], birthdayMultiplierBps: 20000, referralBonusPoints: 100 });
    expect(res.body).toMatchObject({ stageRates: [{ fromFen: 50000, rateBps: 15000 }], birthdayMultiplierBps: 20000, referralBonusPoints: 100 });
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'points.settings.update' ORDER BY id DESC LIMIT 1`);
    expect(audit.before).toMatchObject({ birthdayMultiplierBps: 10000, referralBonusPoints: 0 });
    expect(audit.after).toMatchObject({ birthdayMultiplierBps: 20000, referralBonusPoints: 100 });
    await t.http.patch('/api/points/settings').set(manager.auth).send({ earnPerFen: 1 }).expect(403);
  });

  it('refuses malformed rules with the offending fields and changes nothing', async () => {
    const before = (await t.http.get('/api/points/settings').set(owner.auth).expect(200)).body;
    const bad = await t.http
      .patch('/api/points/settings')
      .set(owner.auth)
      .send({ earnPerFen: 0, expiryPolicy: 'sometimes', stageRates: [{ fromFen: -1, rateBps: 15000 }], excludedCategoryIds: ['x'] })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['earnPerFen', 'excludedCategoryIds', 'expiryPolicy', 'stageRates[0].fromFen']);
    const dup = await t.http.patch('/api/points/settings').set(owner.auth).send({ stageRates: [{ fromFen: 100, rateBps: 1 }, { fromFen: 100, rateBps: 2 }] }).expect(400);
    expect(dup.body.error.details[0].field).toBe('stageRates');
    expect((await t.http.get('/api/points/settings').set(owner.auth).expect(200)).body).toEqual(before);
  });

  it('earns by stage rates and tier multiplier, doubles on the birthday, and never earns twice for one purchase', async () => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    const orderId = randomUUID();
    // 800 yuan: 500 at 1× + 300 at 1.5× = 950, × tier 1.2 = 1140.
    const first = await earn(member.id, 80_000, { tierMultiplierBps: 12_000, refId: orderId, at: new Date('2026-05-01T04:00:00Z') });
    expect(first).toMatchObject({ points: 1140, posted: true, birthday: false });
    const again = await earn(member.id, 80_000, { tierMultiplierBps: 12_000, refId: orderId });
    expect(again).toMatchObject({ points: 1140, posted: false, earningId: first.earningId });
    expect(await balance(member.id)).toBe(1140);

    await t.ds.query(`UPDATE member SET birthday = '1990-06-15' WHERE id = $1`, [member.id]);
    // 23:30 UTC on 14 June is already 15 June in Shanghai: the birthday counts in the chain's time zone.
    const bday = await earn(member.id, 10_000, { at: new Date('2026-06-14T16:30:00Z') });
    expect(bday).toMatchObject({ points: 200, birthday: true });
    const dayAfter = await earn(member.id, 10_000, { at: new Date('2026-06-15T16:30:00Z') });
    expect(dayAfter).toMatchObject({ points: 100, birthday: false });
    expect(await balance(member.id)).toBe(1440);
    const entries = await t.http.get(`/api/members/${member.id}/points/entries`).set(cashier.auth).expect(200);
    expect(entries.body.total).toBe(3);
    expect(entries.body.items[0]).toMatchObject({ points: 100, balanceAfter: 1440, reason: 'earn', refType: 'point_earning', memo: expect.stringMatching(/^order:/) });
    await expectReconciled();
  });

  it('pays the referral bonus to the referrer once, on the referred member’s first purchase that earns points', async () => {
    const referrer = await makeMember(t.ds, { homeStoreId: storeA.id });
    const referred = await makeMember(t.ds, { homeStoreId: storeA.id });
    await t.ds.query('UPDATE member SET referrer_id = $1 WHERE id = $2', [referrer.id, referred.id]);
    const tiny = await earn(referred.id, 50);
    expect(tiny).toMatchObject({ points: 0, referralBonus: null });
    const first = await earn(referred.id, 10_000);
    expect(first.referralBonus).toEqual({ referrerId: referrer.id, points: 100 });
    const second = await earn(referred.id, 10_000);
    expect(second.referralBonus).toBeNull();
    expect(await balance(referrer.id)).toBe(100);
    expect(await balance(referred.id)).toBe(200);
    await expectReconciled();
  });

  it('takes earned points back on a refund, and reports what was already spent instead of going negative', async () => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    const orderId = randomUUID();
    await earn(member.id, 30_000, { refId: orderId });
    const partial = await tx.run((m) => points.reverseEarn(m, { refType: 'order', refId: orderId, points: 100, storeId: storeA.id }));
    expect(partial).toEqual({ reversedPoints: 100, shortfallPoints: 0 });
    await t.http.post(`/api/members/${member.id}/points/adjustments`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, points: -150, reason: '测试消耗' }).expect(201);
    expect(await balance(member.id)).toBe(50);
    const rest = await tx.run((m) => points.reverseEarn(m, { refType: 'order', refId: orderId, storeId: storeA.id }));
    expect(rest).toEqual({ reversedPoints: 50, shortfallPoints: 150 });
    expect(await balance(member.id)).toBe(0);
    const none = await tx.run((m) => points.reverseEarn(m, { refType: 'order', refId: randomUUID(), storeId: storeA.id }));
    expect(none).toEqual({ reversedPoints: 0, shortfallPoints: 0 });
    await expectReconciled();
  });

  it('spends the oldest lot first and expires each year’s remainder at the end of the next year, once', async () => {
    await setRules({ stageRates: [], birthdayMultiplierBps: 10000 });
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    await earn(member.id, 30_000, { at: new Date('2024-03-01T04:00:00Z') }); // 300 in the 2024 lot
    await earn(member.id, 50_000, { at: new Date('2025-03-01T04:00:00Z') }); // 500 in the 2025 lot
    await t.http.post(`/api/members/${member.id}/points/adjustments`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, points: -200, reason: '兑换' }).expect(201);

    const view = await points.memberPoints(member.id, new Date('2025-06-01T00:00:00Z'));
    expect(view.balance).toBe(600);
    expect(view.lots).toEqual([
      { year: 2024, points: 100, expiresAt: '2025-12-31T16:00:00.000Z' },
      { year: 2025, points: 500, expiresAt: '2026-12-31T16:00:00.000Z' },
    ]);
    expect(view.expiringSoon).toEqual({ points: 100, expiresAt: '2025-12-31T16:00:00.000Z' });

    // One second before midnight in Shanghai nothing of 2024 has lapsed yet.
    const early = await points.expirePoints(new Date('2025-12-31T15:59:59Z'));
    expect(await balance(member.id)).toBe(600);
    expect(early.points).toBe(0);
    const run = await points.expirePoints(new Date('2025-12-31T16:00:00Z'));
    expect(run.points).toBeGreaterThanOrEqual(100);
    expect(await balance(member.id)).toBe(500);
    const rerun = await points.expirePoints(new Date('2025-12-31T16:00:00Z'));
    expect(rerun).toEqual({ lots: 0, points: 0 });
    expect(await balance(member.id)).toBe(500);
    const entries = await t.http.get(`/api/members/${member.id}/points/entries`).set(cashier.auth).expect(200);
    expect(entries.body.items.filter((e: { reason: string }) => e.reason === 'expire').map((e: { points: number }) => e.points)).toEqual([-100]);

    await points.expirePoints(new Date('2026-12-31T16:00:00Z'));
    expect(await balance(member.id)).toBe(0);
    await expectReconciled();
  });

  it('keeps points forever under the never policy, and expires them once HQ switches to end of next year', async () => {
    await setRules({ expiryPolicy: 'never' });
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    await earn(member.id, 10_000, { at: new Date('2020-01-01T04:00:00Z') });
    expect(await points.expirePoints(new Date('2030-01-01T00:00:00Z'))).toEqual({ lots: 0, points: 0 });
    expect(await balance(member.id)).toBe(100);
    expect((await points.memberPoints(member.id)).expiringSoon).toBeNull();
    await setRules({ expiryPolicy: 'end_of_next_year' });
    // HQ can run the job by hand; store staff cannot.
    await t.http.post('/api/points/expiry-runs').set(manager.auth).set('Idempotency-Key', key()).send({}).expect(403);
    const run = await t.http.post('/api/points/expiry-runs').set(owner.auth).set('Idempotency-Key', key()).send({}).expect(200);
    expect(run.body.lots).toBeGreaterThanOrEqual(1);
    expect(await balance(member.id)).toBe(0);
  });

  it('lets a manager adjust points with a reason, audited, replays a repeated key, and refuses what would go negative', async () => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    const k = key();
    const body = { storeId: storeA.id, points: 500, reason: '补录漏积分' };
    const res = await t.http.post(`/api/members/${member.id}/points/adjustments`).set(manager.auth).set('Idempotency-Key', k).send(body).expect(201);
    expect(res.body).toMatchObject({ points: 500, balanceAfter: 500, reason: '补录漏积分', storeId: storeA.id });
    const replay = await t.http.post(`/api/members/${member.id}/points/adjustments`).set(manager.auth).set('Idempotency-Key', k).send(body).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(res.body);
    expect(await balance(member.id)).toBe(500);
    const [audit] = await t.ds.query(`SELECT before, after, reason FROM audit_log WHERE action = 'points.adjust' AND entity_id = $1`, [member.id]);
    expect(audit).toMatchObject({ before: { points: 0 }, after: { points: 500, change: 500 }, reason: '补录漏积分' });

    const short = await t.http
      .post(`/api/members/${member.id}/points/adjustments`)
      .set(manager.auth)
      .set('Idempotency-Key', key())
      .send({ storeId: storeA.id, points: -501, reason: '扣减' })
      .expect(409);
    expect(short.body.error.code).toBe('POINTS_INSUFFICIENT');
    await t.http.post(`/api/members/${member.id}/points/adjustments`).set(cashier.auth).set('Idempotency-Key', key()).send(body).expect(403);
    await t.http.post(`/api/members/${member.id}/points/adjustments`).set(manager.auth).send(body).expect(400);
    const bad = await t.http
      .post(`/api/members/${member.id}/points/adjustments`)
      .set(manager.auth)
      .set('Idempotency-Key', key())
      .send({ storeId: 'nope', points: 0, reason: '' })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['points', 'reason', 'storeId']);
    await t.http.post(`/api/members/${randomUUID()}/points/adjustments`).set(manager.auth).set('Idempotency-Key', key()).send(body).expect(404);
    expect(await balance(member.id)).toBe(500);
    const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM point_adjustment WHERE member_id = $1', [member.id]);
    expect(n).toBe(1);
    await expectReconciled();
  });

  it('exchanges points for bonus stored value when HQ allows it, in whole exchange units', async () => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    await earn(member.id, 100_000); // 1000 points
    const off = await t.http.post(`/api/members/${member.id}/points/exchanges`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, points: 100 }).expect(409);
    expect(off.body.error.code).toBe('POINTS_EXCHANGE_DISABLED');
    await setRules({ exchangeEnabled: true, exchangePoints: 100, exchangeFen: 100 });
    const odd = await t.http.post(`/api/members/${member.id}/points/exchanges`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, points: 150 }).expect(400);
    expect(odd.body.error.code).toBe('POINTS_EXCHANGE_NOT_MULTIPLE');
    const res = await t.http.post(`/api/members/${member.id}/points/exchanges`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, points: 300 }).expect(201);
    expect(res.body).toMatchObject({ points: 300, valueFen: 300, pointsBalanceAfter: 700, storeId: storeA.id });
    expect(await walletBonus(member.id)).toBe(300);
    const [{ n }] = await t.ds.query('SELECT count(DISTINCT operation_id)::int AS n FROM ledger_entry WHERE ref_type = $1 AND ref_id = $2', ['point_exchange', res.body.id]);
    expect(n).toBe(1);

    const session = await t.app.get(AuthService).issueMemberSession(member.id);
    const me = { Authorization: `Bearer ${session.accessToken}` };
    const mine = await t.http.post('/api/me/points/exchanges').set(me).set('Idempotency-Key', key()).send({ points: 200 }).expect(201);
    expect(mine.body).toMatchObject({ points: 200, valueFen: 200, pointsBalanceAfter: 500, storeId: null });
    const tooMuch = await t.http.post('/api/me/points/exchanges').set(me).set('Idempotency-Key', key()).send({ points: 600 }).expect(409);
    expect(tooMuch.body.error.code).toBe('POINTS_INSUFFICIENT');
    await t.http.post('/api/me/points/exchanges').set(me).set('Idempotency-Key', key()).send({ points: -100 }).expect(400);
    const view = await t.http.get('/api/me/points').set(me).expect(200);
    expect(view.body).toMatchObject({ memberId: member.id, balance: 500 });
    const entries = await t.http.get('/api/me/points/entries').set(me).expect(200);
    expect(entries.body.items.map((e: { reason: string; points: number }) => [e.reason, e.points])).toEqual([
      ['exchange', -200],
      ['exchange', -300],
      ['earn', 1000],
    ]);
    expect(await walletBonus(member.id)).toBe(500);
    await t.http.get('/api/me/points').set(cashier.auth).expect(403);
    await expectReconciled();
  });

  it('never takes a member below zero under 64 parallel exchanges', async () => {
    await setRules({ exchangeEnabled: true, exchangePoints: 100, exchangeFen: 100 });
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    await earn(member.id, 100_000, { at: new Date('2025-05-01T00:00:00Z') }); // 1000 points in 2025
    await earn(member.id, 100_000); // 1000 points this year
    const results = await Promise.all(
      Array.from({ length: 64 }, () => t.http.post(`/api/members/${member.id}/points/exchanges`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, points: 100 })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(20);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === 'POINTS_INSUFFICIENT')).toBe(true);
    expect(await balance(member.id)).toBe(0);
    expect(await walletBonus(member.id)).toBe(2000);
    expect(ok.map((r) => r.body.pointsBalanceAfter).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    await expectReconciled();
  });
});
