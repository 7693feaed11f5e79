import { makeStaff, makeStore, roleId, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('staff accounts and roles', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let manager: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
  });
  afterAll(() => t.close());

  it('lets a manager hire a cashier for his own store, who can then sign in', async () => {
    const res = await t.http
      .post('/api/staff')
      .set(manager.auth)
      .send({ name: '新收银', username: 'new.cashier', password: 'Cashier123', roleIds: [await roleId(t.ds, 'cashier')], storeIds: [storeA.id] })
      .expect(201);
    expect(res.body).toMatchObject({ name: '新收银', username: 'new.cashier', status: 'active', storeIds: [storeA.id], roles: [{ code: 'cashier' }] });
    expect(res.body).not.toHaveProperty('passwordHash');
    await t.http.post('/api/auth/login').send({ login: 'new.cashier', password: 'Cashier123' }).expect(200);
    const [audit] = await t.ds.query(`SELECT actor_id, store_id, after FROM audit_log WHERE action = 'staff.create' AND entity_id = $1`, [res.body.id]);
    expect(audit).toMatchObject({ actor_id: manager.id, store_id: storeA.id });
    expect(JSON.stringify(audit.after)).not.toContain('Cashier123');
  });

  it('refuses a manager who grants the owner role or a permission he lacks', async () => {
    const body = { name: '越权', username: 'escalate.me', password: 'Escalate123', storeIds: [storeA.id] };
    const res = await t.http.post('/api/staff').set(manager.auth).send({ ...body, roleIds: [await roleId(t.ds, 'owner')] }).expect(403);
    expect(res.body.error.code).toBe('ROLE_ESCALATION');
    const custom = await t.http
      .post('/api/roles')
      .set(owner.auth)
      .send({ code: 'auditor', name: '审计', scope: 'store', permissions: ['audit.read', 'role.write'] })
      .expect(201);
    const res2 = await t.http.post('/api/staff').set(manager.auth).send({ ...body, roleIds: [custom.body.id] }).expect(403);
    expect(res2.body.error.code).toBe('ROLE_ESCALATION');
    expect((await t.ds.query(`SELECT 1 FROM staff WHERE username = 'escalate.me'`)).length).toBe(0);
  });

  it('keeps stores outside a manager’s reach when he edits a shared staff member', async () => {
    const shared = await makeStaff(t.ds, { role: 'technician', storeIds: [storeA.id, storeB.id] });
    const storeC = await makeStore(t.ds);
    await t.ds.query(`INSERT INTO staff_store (staff_id, store_id) VALUES ($1, $2)`, [manager.id, storeC.id]);
    const res = await t.http.patch(`/api/staff/${shared.id}`).set(manager.auth).send({ storeIds: [storeC.id] }).expect(200);
    expect(res.body.storeIds).toEqual([storeB.id, storeC.id].sort());
  });

  it('refuses duplicate usernames and phones, and store-level staff without a store', async () => {
    const cashierRole = await roleId(t.ds, 'cashier');
    await t.http.post('/api/staff').set(owner.auth).send({ name: 'A', username: 'dup.user', password: 'Passw0rd1', roleIds: [cashierRole], storeIds: [storeA.id] }).expect(201);
    const dup = await t.http.post('/api/staff').set(owner.auth).send({ name: 'B', username: 'DUP.user', password: 'Passw0rd1', roleIds: [cashierRole], storeIds: [storeA.id] }).expect(409);
    expect(dup.body.error.code).toBe('STAFF_LOGIN_TAKEN');
    const noStore = await t.http.post('/api/staff').set(owner.auth).send({ name: 'C', username: 'no.store', password: 'Passw0rd1', roleIds: [cashierRole] }).expect(400);
    expect(noStore.body.error.code).toBe('STAFF_NEEDS_STORE');
    const noLogin = await t.http.post('/api/staff').set(owner.auth).send({ name: 'D', password: 'Passw0rd1', roleIds: [cashierRole], storeIds: [storeA.id] }).expect(400);
    expect(noLogin.body.error.details[0].field).toBe('username');
  });

  it('treats permissions as data: taking one from a role takes effect on the next request', async () => {
    const cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    await t.http.get('/api/stores').set(cashier.auth).expect(200);
    const cashierRole = await roleId(t.ds, 'cashier');
    await t.http.patch(`/api/roles/${cashierRole}`).set(owner.auth).send({ permissions: [] }).expect(200);
    const res = await t.http.get('/api/stores').set(cashier.auth).expect(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', details: { missing: ['store.read'] } });
    await t.http.patch(`/api/roles/${cashierRole}`).set(owner.auth).send({ permissions: ['store.read'] }).expect(200);
    await t.http.get('/api/stores').set(cashier.auth).expect(200);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'role.update' AND entity_id = $1 ORDER BY id LIMIT 1`, [cashierRole]);
    expect(audit.before.permissions).toContain('store.read');
    expect(audit.after).toEqual({ permissions: [] });
  });

  it('refuses to delete a built-in role or one still assigned, and deletes an unused custom role', async () => {
    const builtIn = await t.http.delete(`/api/roles/${await roleId(t.ds, 'technician')}`).set(owner.auth).expect(400);
    expect(builtIn.body.error.code).toBe('ROLE_BUILT_IN');
    const role = await t.http.post('/api/roles').set(owner.auth).send({ code: 'night_shift', name: '夜班', scope: 'store', permissions: ['store.read'] }).expect(201);
    const s = await makeStaff(t.ds, { role: 'night_shift', storeIds: [storeA.id] });
    const inUse = await t.http.delete(`/api/roles/${role.body.id}`).set(owner.auth).expect(409);
    expect(inUse.body.error.code).toBe('ROLE_IN_USE');
    await t.ds.query('DELETE FROM staff_role WHERE staff_id = $1', [s.id]);
    await t.http.delete(`/api/roles/${role.body.id}`).set(owner.auth).expect(204);
    await t.http.get(`/api/roles/${role.body.id}`).set(owner.auth).expect(404);
  });

  it('lets only HQ create stores', async () => {
    const res = await t.http.post('/api/stores').set(manager.auth).send({ code: 'MGR1', name: '店长开店', city: '上海' }).expect(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    await t.http.post('/api/stores').set(owner.auth).send({ code: 'HQ01', name: '总部开店', city: '上海' }).expect(201);
  });

  it('does not let anyone disable himself', async () => {
    const res = await t.http.patch(`/api/staff/${owner.id}`).set(owner.auth).send({ status: 'disabled' }).expect(400);
    expect(res.body.error.code).toBe('STAFF_CANNOT_DISABLE_SELF');
  });
});
