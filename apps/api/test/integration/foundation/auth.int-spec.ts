import { BUILT_IN_ROLES } from '@chaincard/shared';
import { login, makeStaff, makeStore } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('staff sign-in', () => {
  let t: TestApp;
  let storeId: string;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_IP: '1000' });
    storeId = (await makeStore(t.ds)).id;
  });
  afterAll(() => t.close());

  const attempt = (loginName: string, password: string, ip = '10.0.0.1') =>
    t.http.post('/api/auth/login').set('X-Forwarded-For', ip).send({ login: loginName, password });

  it('signs in by username or phone and returns tokens, permissions and stores', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    await t.ds.query(`UPDATE staff SET phone = '13900000001' WHERE id = $1`, [s.id]);
    const res = await attempt(s.username.toUpperCase(), s.password).expect(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, staff: { id: s.id, scope: 'store', roles: ['cashier'], permissions: [...BUILT_IN_ROLES.cashier.permissions].sort() } });
    expect(res.body.staff.stores.map((x: { id: string }) => x.id)).toEqual([storeId]);
    await attempt('13900000001', s.password).expect(200);
    const me = await t.http.get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body.id).toBe(s.id);
  });

  it('stores passwords as argon2id with at least m=19 MiB, t=2, p=1', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const [{ password_hash }] = await t.ds.query('SELECT password_hash FROM staff WHERE id = $1', [s.id]);
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(password_hash);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(m![2])).toBeGreaterThanOrEqual(2);
    expect(Number(m![3])).toBe(1);
  });

  it('answers a wrong password and an unknown account identically', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const wrong = await attempt(s.username, 'nope-1234', '10.0.1.1').expect(401);
    const unknown = await attempt('nobody-here', 'nope-1234', '10.0.1.2').expect(401);
    expect(wrong.body.error).toEqual({ ...unknown.body.error, requestId: wrong.body.error.requestId });
    expect(wrong.body.error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('locks an account after 5 failures, refusing even the right password, then lets it in after the lock', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    for (let i = 0; i < 5; i++) await attempt(s.username, `wrong-${i}x`, `10.1.0.${i}`).expect(401);
    const locked = await attempt(s.username, s.password, '10.1.1.1').expect(429);
    expect(locked.body.error.code).toBe('AUTH_LOCKED');
    // The lock runs out (LOGIN_LOCK_MINUTES): move it into the past instead of waiting.
    await t.ds.query(`UPDATE login_attempt SET locked_until = now() - interval '1 second' WHERE key = $1`, [`acct:${s.username}`]);
    await attempt(s.username, s.password, '10.1.1.2').expect(200);
  });

  it('locks an unknown account name the same way, so lockout reveals nothing', async () => {
    for (let i = 0; i < 5; i++) await attempt('ghost-account', `wrong-${i}x`, `10.2.0.${i}`).expect(401);
    const res = await attempt('ghost-account', 'whatever1', '10.2.1.1').expect(429);
    expect(res.body.error.code).toBe('AUTH_LOCKED');
  });

  it('counts parallel guesses before checking them, so a burst cannot exceed the limit', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(s.username, `burst-${i}x`, `10.3.0.${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 401).length).toBe(5);
    expect(statuses.filter((x) => x === 429).length).toBe(15);
  });

  it('rotates refresh tokens and revokes the whole family when a used one comes back', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const first = await login(t.http, s.username, s.password);
    const second = await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(200);

    // The first token is presented again: somebody copied it.
    const reuse = await t.http.post('/api/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.error.code).toBe('AUTH_REFRESH_REUSED');
    // Every token of that sign-in is dead now, including the newest refresh and access tokens.
    const after = await t.http.post('/api/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
    expect(after.body.error.code).toBe('AUTH_TOKEN_INVALID');
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(401);
    // Another sign-in of the same person is a different family and keeps working.
    const other = await login(t.http, s.username, s.password);
    await t.http.get('/api/auth/me').set(other.auth).expect(200);
  });

  it('logs out: the session tokens stop working, other sessions do not', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const a = await login(t.http, s.username, s.password);
    const b = await login(t.http, s.username, s.password);
    await t.http.post('/api/auth/logout').set(a.auth).expect(204);
    await t.http.get('/api/auth/me').set(a.auth).expect(401);
    await t.http.post('/api/auth/refresh').send({ refreshToken: a.refreshToken }).expect(401);
    await t.http.get('/api/auth/me').set(b.auth).expect(200);
  });

  it('refuses disabled staff and ends their open sessions', async () => {
    const owner = await makeStaff(t.ds, { role: 'owner' });
    const ownerSession = await login(t.http, owner.username, owner.password);
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const session = await login(t.http, s.username, s.password);
    await t.http.patch(`/api/staff/${s.id}`).set(ownerSession.auth).send({ status: 'disabled' }).expect(200);
    await t.http.get('/api/auth/me').set(session.auth).expect(401);
    const res = await attempt(s.username, s.password, '10.4.0.1').expect(401);
    expect(res.body.error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('changes a password with the current one, signing out other sessions', async () => {
    const s = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeId] });
    const here = await login(t.http, s.username, s.password);
    const elsewhere = await login(t.http, s.username, s.password);
    await t.http.post('/api/auth/password').set(here.auth).send({ currentPassword: 'wrong-one1', newPassword: 'NewPass123' }).expect(401);
    const weak = await t.http.post('/api/auth/password').set(here.auth).send({ currentPassword: s.password, newPassword: 'short' }).expect(400);
    expect(weak.body.error.details[0].field).toBe('newPassword');
    await t.http.post('/api/auth/password').set(here.auth).send({ currentPassword: s.password, newPassword: 'NewPass123' }).expect(204);
    await t.http.get('/api/auth/me').set(here.auth).expect(200);
    await t.http.get('/api/auth/me').set(elsewhere.auth).expect(401);
    await attempt(s.username, 'NewPass123', '10.5.0.1').expect(200);
  });
});

describe('per-IP sign-in limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_MAX_FAILURES: '100', LOGIN_MAX_FAILURES_PER_IP: '3', TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  it('locks a client IP that sprays many accounts, without locking other IPs', async () => {
    const s = await makeStaff(t.ds, { role: 'owner' });
    for (const name of ['a1', 'a2', 'a3']) {
      await t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ login: name, password: 'x1234567' }).expect(401);
    }
    const res = await t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ login: s.username, password: s.password }).expect(429);
    expect(res.body.error.code).toBe('AUTH_LOCKED');
    await t.http.post('/api/auth/login').set('X-Forwarded-For', '203.0.113.8').send({ login: s.username, password: s.password }).expect(200);
  });
});
