import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('tier definitions', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let manager: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let store: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
  });
  afterAll(() => t.close());

  const tierCount = async () => (await t.ds.query('SELECT count(*)::int AS n FROM tier'))[0].n as number;

  it('makes the first tier the initial one and lists tiers in level order', async () => {
    const base = await t.http.post('/api/tiers').set(owner.auth).send({ name: '普通会员', nameEn: 'Member', level: 1, benefits: ['会员价'] }).expect(201);
    expect(base.body).toMatchObject({ isInitial: true, discountBps: 10000, pointsMultiplierBps: 10000, upgrade: null, priceFen: 0, purchasable: false });
    const gold = await t.http
      .post('/api/tiers')
      .set(owner.auth)
      .send({
        name: '金卡会员',
        nameEn: 'Gold',
        level: 3,
        discountBps: 9000,
        pointsMultiplierBps: 15000,
        benefits: ['9折', '1.5倍积分'],
        upgrade: { metric: 'top_up', threshold: 100000, windowDays: 365, downgrade: true },
        priceFen: 29900,
        validityDays: 365,
      })
      .expect(201);
    expect(gold.body).toMatchObject({ isInitial: false, upgrade: { metric: 'top_up', threshold: 100000, windowDays: 365, downgrade: true }, purchasable: true });
    await t.http.post('/api/tiers').set(owner.auth).send({ name: '银卡会员', level: 2, discountBps: 9500 }).expect(201);
    const list = await t.http.get('/api/tiers').set(cashier.auth).expect(200);
    expect(list.body.map((x: { name: string }) => x.name)).toEqual(['普通会员', '银卡会员', '金卡会员']);
    const [audit] = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'tier.create' AND entity_id = $1`, [gold.body.id]);
    expect(audit.after).toMatchObject({ discountBps: 9000, priceFen: 29900 });
  });

  it('keeps levels unique', async () => {
    const before = await tierCount();
    const res = await t.http.post('/api/tiers').set(owner.auth).send({ name: '重复', level: 2 }).expect(409);
    expect(res.body.error.code).toBe('TIER_LEVEL_TAKEN');
    const [gold] = await t.ds.query(`SELECT id FROM tier WHERE level = 3`);
    const patch = await t.http.patch(`/api/tiers/${gold.id}`).set(owner.auth).send({ level: 2 }).expect(409);
    expect(patch.body.error.code).toBe('TIER_LEVEL_TAKEN');
    expect(await tierCount()).toBe(before);
  });

  it('keeps exactly one initial tier', async () => {
    const [base] = await t.ds.query(`SELECT id FROM tier WHERE level = 1`);
    const [gold] = await t.ds.query(`SELECT id FROM tier WHERE level = 3`);
    const unset = await t.http.patch(`/api/tiers/${base.id}`).set(owner.auth).send({ isInitial: false }).expect(409);
    expect(unset.body.error.code).toBe('TIER_INITIAL_REQUIRED');
    const sold = await t.http.patch(`/api/tiers/${gold.id}`).set(owner.auth).send({ isInitial: true }).expect(400);
    expect(sold.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['priceFen', 'upgrade']);
    const fresh = await t.http.post('/api/tiers').set(owner.auth).send({ name: '体验会员', level: 0, isInitial: true }).expect(201);
    const initials = await t.ds.query(`SELECT id FROM tier WHERE is_initial AND archived_at IS NULL`);
    expect(initials).toEqual([{ id: fresh.body.id }]);
    await t.http.patch(`/api/tiers/${base.id}`).set(owner.auth).send({ isInitial: true }).expect(200);
    expect(await t.ds.query(`SELECT id FROM tier WHERE is_initial AND archived_at IS NULL`)).toEqual([{ id: base.id }]);
    await t.http.post('/api/tiers').set(owner.auth).send({ name: '另一个', level: 6, isInitial: true, upgrade: { metric: 'spend', threshold: 1, windowDays: 0 } }).expect(400);
    expect(await t.ds.query(`SELECT id FROM tier WHERE is_initial`)).toEqual([{ id: base.id }]);
  });

  it('refuses bad input with the offending fields and changes nothing', async () => {
    const before = await tierCount();
    const bad = await t.http
      .post('/api/tiers')
      .set(owner.auth)
      .send({ name: '', level: -1, discountBps: 12000, pointsMultiplierBps: 1.5, benefits: 'x', upgrade: { metric: 'visits', threshold: 0, windowDays: -1 } })
      .expect(400);
    const fields = bad.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['name', 'level', 'discountBps', 'pointsMultiplierBps', 'benefits', 'upgrade.metric', 'upgrade.threshold', 'upgrade.windowDays']),
    );
    const unpriced = await t.http.post('/api/tiers').set(owner.auth).send({ name: '付费', level: 9, priceFen: 9900 }).expect(400);
    expect(unpriced.body.error.details.map((d: { field: string }) => d.field)).toEqual(['validityDays']);
    const [base] = await t.ds.query(`SELECT id FROM tier WHERE level = 1`);
    const ruled = await t.http.patch(`/api/tiers/${base.id}`).set(owner.auth).send({ upgrade: { metric: 'spend', threshold: 1, windowDays: 0 } }).expect(400);
    expect(ruled.body.error.details.map((d: { field: string }) => d.field)).toEqual(['upgrade']);
    expect(await tierCount()).toBe(before);
  });

  it('lets only HQ edit tiers', async () => {
    await t.http.post('/api/tiers').set(manager.auth).send({ name: '店长等级', level: 7 }).expect(403);
    await t.http.post('/api/tiers').set(cashier.auth).send({ name: '收银等级', level: 8 }).expect(403);
    const [gold] = await t.ds.query(`SELECT id FROM tier WHERE level = 3`);
    await t.http.patch(`/api/tiers/${gold.id}`).set(manager.auth).send({ name: 'x' }).expect(403);
  });

  it('edits a tier and audits the change with before and after', async () => {
    const [gold] = await t.ds.query(`SELECT id FROM tier WHERE level = 3`);
    const res = await t.http.patch(`/api/tiers/${gold.id}`).set(owner.auth).send({ discountBps: 8800, benefits: ['88折'] }).expect(200);
    expect(res.body).toMatchObject({ discountBps: 8800, benefits: ['88折'], upgrade: { metric: 'top_up' } });
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'tier.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [gold.id]);
    expect(audit).toEqual({ before: { discountBps: 9000, benefits: ['9折', '1.5倍积分'] }, after: { discountBps: 8800, benefits: ['88折'] } });
  });

  it('retires a tier nobody holds and refuses one that members hold', async () => {
    const [silver] = await t.ds.query(`SELECT id FROM tier WHERE level = 2`);
    const [trial] = await t.ds.query(`SELECT id FROM tier WHERE level = 0`);
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await t.ds.query('UPDATE member SET tier_id = $2 WHERE id = $1', [member.id, silver.id]);
    const held = await t.http.delete(`/api/tiers/${silver.id}`).set(owner.auth).expect(409);
    expect(held.body.error.code).toBe('TIER_IN_USE');
    await t.http.delete(`/api/tiers/${trial.id}`).set(owner.auth).expect(204);
    await t.http.get(`/api/tiers/${trial.id}`).set(owner.auth).expect(404);
    const list = await t.http.get('/api/tiers').set(owner.auth).expect(200);
    expect(list.body.map((x: { id: string }) => x.id)).not.toContain(trial.id);
    // Its level is free again; the retired row stays for the history.
    await t.http.post('/api/tiers').set(owner.auth).send({ name: '新体验', level: 0 }).expect(201);
    expect(await t.ds.query('SELECT archived_at IS NOT NULL AS archived FROM tier WHERE id = $1', [trial.id])).toEqual([{ archived: true }]);
  });
});
