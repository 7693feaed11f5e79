import { AuthService } from '../../../src/modules/auth/auth.service';
import { TierEvaluationService } from '../../../src/modules/tiers/tier-evaluation.service';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler';
import { TIER_JOB } from '../../../src/modules/tiers/tier.job';
import { makeMember, makeStore, signedIn } from '../../factories';
import { DAY, at, insertSpendFact, postFixture } from '../../factories/tiers';
import { createTestApp, type TestApp } from '../../support/test-app';

const MINUTE = 60_000;

describe('tier evaluation', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let store: { id: string };
  let evaluation: TierEvaluationService;
  const tier: Record<'base' | 'silver' | 'gold' | 'platinum', string> = { base: '', silver: '', gold: '', platinum: '' };

  beforeAll(async () => {
    t = await createTestApp();
    evaluation = t.app.get(TierEvaluationService);
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    const create = async (body: object) => (await t.http.post('/api/tiers').set(owner.auth).send(body).expect(201)).body.id as string;
    tier.base = await create({ name: '普通会员', level: 1, benefits: ['会员价'] });
    tier.silver = await create({ name: '银卡', level: 2, discountBps: 9500, upgrade: { metric: 'spend', threshold: 10000, windowDays: 30, downgrade: true } });
    tier.gold = await create({ name: '金卡', level: 3, discountBps: 9000, upgrade: { metric: 'top_up', threshold: 50000, windowDays: 90 } });
    tier.platinum = await create({ name: '白金卡', level: 4, pointsMultiplierBps: 20000, upgrade: { metric: 'points', threshold: 1000, windowDays: 0 } });
  });
  afterAll(() => t.close());

  const member = async () => {
    const res = await t.http.post('/api/members').set(cashier.auth).send({ name: '测试会员' }).expect(201);
    return res.body.id as string;
  };
  const tierOf = async (memberId: string) => (await t.ds.query('SELECT tier_id FROM member WHERE id = $1', [memberId]))[0].tier_id as string;

  it('gives a new member the initial tier and records it', async () => {
    const res = await t.http.post('/api/members').set(cashier.auth).send({ name: '新会员' }).expect(201);
    expect(res.body.tierId).toBe(tier.base);
    const history = await t.http.get(`/api/members/${res.body.id}/tier-changes`).set(cashier.auth).expect(200);
    expect(history.body.items).toEqual([expect.objectContaining({ fromTierId: null, toTierId: tier.base, toTierName: '普通会员', source: 'auto' })]);
  });

  it('upgrades by wallet spend within the window and not by spend just outside it', async () => {
    const inside = await member();
    const outside = await member();
    let when = new Date();
    for (const id of [inside, outside]) {
      await postFixture(t, id, [{ kind: 'wallet_principal', amount: 20000, reason: 'top_up' }]);
      when = await postFixture(t, id, [{ kind: 'wallet_principal', amount: -10000, reason: 'spend' }]);
    }
    expect((await evaluation.evaluate(null, outside, at(when, 30 * DAY + MINUTE)))).toBeNull();
    expect(await tierOf(outside)).toBe(tier.base);
    expect((await evaluation.evaluate(null, inside, at(when, 30 * DAY - MINUTE)))?.id).toBe(tier.silver);
    expect(await tierOf(inside)).toBe(tier.silver);
    // An evaluation as of a time before the entries does not see them either.
    const early = await member();
    const first = await postFixture(t, early, [{ kind: 'wallet_principal', amount: 20000, reason: 'top_up' }, { kind: 'wallet_principal', amount: -10000, reason: 'spend' }]);
    expect(await evaluation.evaluate(null, early, at(first, -MINUTE))).toBeNull();
    const history = await t.http.get(`/api/members/${inside}/tier-changes`).set(cashier.auth).expect(200);
    expect(history.body.items[0]).toMatchObject({ fromTierId: tier.base, toTierId: tier.silver, source: 'auto', reason: expect.stringContaining('spend 10000 / 10000') });
    const audit = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'member.tier.auto' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [inside]);
    expect(audit).toEqual([{ before: { tierId: tier.base, tierName: '普通会员' }, after: { tierId: tier.silver, tierName: '银卡', source: 'auto', expiresAt: null } }]);
  });

  it('counts non-wallet order spend from member_spend_fact inside the window only', async () => {
    const now = new Date();
    const inside = await member();
    const outside = await member();
    await insertSpendFact(t.ds, inside, 6000, at(now, -29 * DAY));
    await insertSpendFact(t.ds, inside, 4000, at(now, -1 * DAY));
    await insertSpendFact(t.ds, outside, 6000, at(now, -31 * DAY));
    await insertSpendFact(t.ds, outside, 4000, at(now, -1 * DAY));
    await evaluation.evaluate(null, inside, now);
    await evaluation.evaluate(null, outside, now);
    expect(await tierOf(inside)).toBe(tier.silver);
    expect(await tierOf(outside)).toBe(tier.base);
  });

  it('upgrades by principal top-ups within the window, not counting the bonus', async () => {
    const inside = await member();
    const outside = await member();
    const bonusOnly = await member();
    let when = new Date();
    for (const id of [inside, outside]) when = await postFixture(t, id, [{ kind: 'wallet_principal', amount: 50000, reason: 'top_up' }]);
    await postFixture(t, bonusOnly, [{ kind: 'wallet_principal', amount: 40000, reason: 'top_up' }, { kind: 'wallet_bonus', amount: 10000, reason: 'top_up_bonus' }]);
    expect((await evaluation.evaluate(null, inside, at(when, 90 * DAY - MINUTE)))?.id).toBe(tier.gold);
    expect(await evaluation.evaluate(null, outside, at(when, 90 * DAY + MINUTE))).toBeNull();
    expect(await evaluation.evaluate(null, bonusOnly, at(when, MINUTE))).toBeNull();
    expect([await tierOf(inside), await tierOf(outside), await tierOf(bonusOnly)]).toEqual([tier.gold, tier.base, tier.base]);
  });

  it('upgrades by earned points over a lifetime window, not by other point credits', async () => {
    const earner = await member();
    const adjusted = await member();
    const when = await postFixture(t, earner, [{ kind: 'points', amount: 1000, reason: 'earn' }]);
    await postFixture(t, adjusted, [{ kind: 'points', amount: 5000, reason: 'adjust' }]);
    expect((await evaluation.evaluate(null, earner, at(when, 3000 * DAY)))?.id).toBe(tier.platinum);
    expect(await evaluation.evaluate(null, adjusted, at(when, DAY))).toBeNull();
  });

  it('never moves a member down when evaluating', async () => {
    const id = await member();
    await postFixture(t, id, [{ kind: 'wallet_principal', amount: 50000, reason: 'top_up' }]);
    await evaluation.evaluate(null, id);
    expect(await tierOf(id)).toBe(tier.gold);
    await postFixture(t, id, [{ kind: 'wallet_principal', amount: -10000, reason: 'spend' }]);
    expect(await evaluation.evaluate(null, id)).toBeNull();
    expect(await tierOf(id)).toBe(tier.gold);
  });

  it('shows the member their tier and the way to the next one', async () => {
    const id = await member();
    await postFixture(t, id, [{ kind: 'wallet_principal', amount: 10000, reason: 'top_up' }, { kind: 'wallet_principal', amount: -4000, reason: 'spend' }]);
    const token = (await t.app.get(AuthService).issueMemberSession(id)).accessToken;
    const mine = await t.http.get('/api/me/tier').set({ Authorization: `Bearer ${token}` }).expect(200);
    expect(mine.body).toMatchObject({
      memberId: id,
      tier: { id: tier.base, name: '普通会员' },
      expiresAt: null,
      next: { tier: { id: tier.silver }, metric: 'spend', windowDays: 30, value: 4000, threshold: 10000, remaining: 6000 },
    });
    const all = await t.http.get('/api/me/tiers').set({ Authorization: `Bearer ${token}` }).expect(200);
    expect(all.body.map((x: { name: string; benefits: string[] }) => [x.name, x.benefits])[0]).toEqual(['普通会员', ['会员价']]);
    await t.http.get('/api/me/tier').set(cashier.auth).expect(403);
    await t.http.get('/api/tiers').set({ Authorization: `Bearer ${token}` }).expect(403);
    const staffView = await t.http.get(`/api/members/${id}/tier`).set(cashier.auth).expect(200);
    expect(staffView.body).toEqual(mine.body);
  });

  it('downgrades only in the daily job, to the tier still met, and keeps tiers without downgrade', async () => {
    const silverHolder = await member();
    const goldHolder = await member();
    await postFixture(t, silverHolder, [{ kind: 'wallet_principal', amount: 10000, reason: 'top_up' }, { kind: 'wallet_principal', amount: -10000, reason: 'spend' }]);
    const when = await postFixture(t, goldHolder, [{ kind: 'wallet_principal', amount: 50000, reason: 'top_up' }]);
    // JS dates have milliseconds, PostgreSQL microseconds: evaluate a minute after the last entry.
    await evaluation.evaluate(null, silverHolder, at(when, MINUTE));
    await evaluation.evaluate(null, goldHolder, at(when, MINUTE));
    expect([await tierOf(silverHolder), await tierOf(goldHolder)]).toEqual([tier.silver, tier.gold]);
    const later = at(when, 100 * DAY);
    expect(await evaluation.evaluate(null, silverHolder, later)).toBeNull();
    expect(await tierOf(silverHolder)).toBe(tier.silver);
    const result = await evaluation.evaluateAll(later, 3);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM member WHERE status <> 'anonymised'`);
    expect(result.scanned).toBe(n);
    expect(result.downgraded).toBeGreaterThanOrEqual(1);
    expect(await tierOf(silverHolder)).toBe(tier.base);
    expect(await tierOf(goldHolder)).toBe(tier.gold);
    const history = await t.http.get(`/api/members/${silverHolder}/tier-changes`).set(cashier.auth).expect(200);
    expect(history.body.items[0]).toMatchObject({ fromTierId: tier.silver, toTierId: tier.base, source: 'downgrade' });
    // A second run the same day changes nothing.
    expect(await evaluation.evaluateAll(later, 3)).toMatchObject({ upgraded: 0, downgraded: 0, expired: 0 });
  });

  it('gives members without a tier the one they qualify for in the daily job', async () => {
    const store2 = await makeStore(t.ds);
    const raw = await makeMember(t.ds, { homeStoreId: store2.id });
    await postFixture(t, raw.id, [{ kind: 'points', amount: 2000, reason: 'earn' }]);
    expect(await tierOf(raw.id)).toBeNull();
    await evaluation.evaluateAll(new Date(Date.now() + MINUTE));
    expect(await tierOf(raw.id)).toBe(tier.platinum);
  });

  it('runs the daily job once per business day', async () => {
    const scheduler = t.app.get(JobScheduler);
    const job = { tick: async (now: Date) => (await scheduler.tick(now)).find((r) => r.job === TIER_JOB) ?? null };
    const day = new Date('2030-01-01T02:00:00Z');
    expect(await job.tick(day)).toMatchObject({ status: 'done' });
    expect(await job.tick(at(day, 3600_000))).toBeNull();
    expect(await job.tick(at(day, DAY))).not.toBeNull();
  });

  it('leaves the ledger reconciled', async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.ok).toBe(true);
  });
});
