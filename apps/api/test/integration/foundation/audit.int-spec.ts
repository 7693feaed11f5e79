import { makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('audit log', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let storeA: { id: string };
  let storeB: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await signedIn(t.ds, t.http, 'owner');
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
  });
  afterAll(() => t.close());

  it('records who changed what, with before and after, in the same transaction as the change', async () => {
    await t.http.patch(`/api/stores/${storeA.id}`).set(owner.auth).set('X-Request-Id', 'audit-req-1').send({ name: '新名字', phone: '021-1' }).expect(200);
    const res = await t.http.get('/api/audit-logs').set(owner.auth).query({ entityType: 'store', entityId: storeA.id }).expect(200);
    expect(res.body.total).toBe(1);
    expect(res.body.items[0]).toMatchObject({
      actorKind: 'staff',
      actorId: owner.id,
      storeId: storeA.id,
      action: 'store.update',
      before: { phone: '', name: expect.any(String) },
      after: { phone: '021-1', name: '新名字' },
      requestId: 'audit-req-1',
    });
  });

  it('writes nothing when the change is refused', async () => {
    const count = async () => Number((await t.ds.query('SELECT count(*) AS n FROM audit_log'))[0].n);
    const before = await count();
    await t.http.patch(`/api/stores/${storeA.id}`).set(owner.auth).send({ timeZone: 'Nowhere/Land' }).expect(400);
    await t.http.patch(`/api/stores/${storeA.id}`).set(owner.auth).send({ code: (await t.ds.query('SELECT code FROM store WHERE id = $1', [storeB.id]))[0].code }).expect(409);
    expect(await count()).toBe(before);
  });

  it('cannot be altered or deleted, even with direct SQL', async () => {
    await expect(t.ds.query(`UPDATE audit_log SET action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
  });

  it('filters by action prefix, actor and period', async () => {
    await t.http.patch(`/api/stores/${storeB.id}`).set(owner.auth).send({ address: '某路 1 号' }).expect(200);
    const byPrefix = await t.http.get('/api/audit-logs').set(owner.auth).query({ action: 'store.' }).expect(200);
    expect(byPrefix.body.items.every((i: { action: string }) => i.action.startsWith('store.'))).toBe(true);
    expect(byPrefix.body.total).toBeGreaterThanOrEqual(2);
    const future = await t.http.get('/api/audit-logs').set(owner.auth).query({ from: '2099-01-01T00:00:00Z' }).expect(200);
    expect(future.body.total).toBe(0);
    const byActor = await t.http.get('/api/audit-logs').set(owner.auth).query({ actorId: owner.id, pageSize: 1 }).expect(200);
    expect(byActor.body.items).toHaveLength(1);
    expect(byActor.body.total).toBeGreaterThan(1);
  });

  it("shows a store manager only his stores' entries", async () => {
    const manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    const res = await t.http.get('/api/audit-logs').set(manager.auth).query({ pageSize: 200 }).expect(200);
    expect(res.body.total).toBeGreaterThan(0);
    expect(res.body.items.every((i: { storeId: string }) => i.storeId === storeA.id)).toBe(true);
    await t.http.get('/api/audit-logs').set(manager.auth).query({ storeId: storeB.id }).expect(404);
  });
});
