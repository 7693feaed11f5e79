import { AuthService } from '../../../src/modules/auth/auth.service';
import { MembersService } from '../../../src/modules/members/members.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('member payment password', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
  });
  afterAll(() => t.close());

  const memberWithApp = async () => {
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    return { ...m, auth: { Authorization: `Bearer ${session.accessToken}` } };
  };
  const hashOf = async (id: string) => (await t.ds.query('SELECT pay_password_hash FROM member WHERE id = $1', [id]))[0].pay_password_hash as string | null;
  /** What checkout will do: check the password inside its own transaction, which a failure rolls back. */
  const pay = (memberId: string, password?: string, verifiedByCode = false) =>
    t.ds.transaction((m) => t.app.get(MembersService).assertPayPassword(m, memberId, password, verifiedByCode));
  const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

  it('lets the member set a first password, then change it only with the current one', async () => {
    const m = await memberWithApp();
    expect((await t.http.get('/api/me/pay-password').set(m.auth).expect(200)).body).toEqual({ isSet: false, lockedUntil: null });
    expect(await codeOf(pay(m.id))).toBe('ok');
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '802417' }).expect(204);
    const first = await hashOf(m.id);
    expect(first).toMatch(/^\$argon2id\$/);
    expect((await t.http.get('/api/me/pay-password').set(m.auth).expect(200)).body).toEqual({ isSet: true, lockedUntil: null });

    const noCurrent = await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '135790' }).expect(400);
    expect(noCurrent.body.error.code).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    const wrong = await t.http.put('/api/me/pay-password').set(m.auth).send({ currentPassword: '111111', newPassword: '135790' }).expect(400);
    expect(wrong.body.error).toMatchObject({ code: 'MEMBER_PAY_PASSWORD_WRONG', details: { attemptsLeft: 4 } });
    expect(await hashOf(m.id)).toBe(first);
    await t.http.put('/api/me/pay-password').set(m.auth).send({ currentPassword: '802417', newPassword: '135790' }).expect(204);
    expect(await codeOf(pay(m.id, '802417'))).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await codeOf(pay(m.id, '135790'))).toBe('ok');
    expect(await codeOf(pay(m.id))).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    const actions = await t.ds.query(`SELECT action, before, after FROM audit_log WHERE entity_id = $1 AND action LIKE 'member.pay-password.%' ORDER BY id`, [m.id]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['member.pay-password.set', 'member.pay-password.change']);
    expect(JSON.stringify(actions)).not.toContain('argon2');
  });

  it('refuses weak or malformed passwords with the field', async () => {
    const m = await memberWithApp();
    const weak = await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '123456' }).expect(400);
    expect(weak.body.error.code).toBe('MEMBER_PAY_PASSWORD_WEAK');
    const bad = await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '12345a', currentPassword: 12 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['currentPassword', 'newPassword']);
    expect(await hashOf(m.id)).toBeNull();
  });

  it('never returns the password or its hash from any member route', async () => {
    const m = await memberWithApp();
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '802417' }).expect(204);
    const hash = (await hashOf(m.id))!;
    for (const res of [
      await t.http.get('/api/me').set(m.auth),
      await t.http.get('/api/me/pay-password').set(m.auth),
      await t.http.get(`/api/members/${m.id}`).set(owner.auth),
      await t.http.get('/api/members').set(owner.auth).query({ q: m.phone }),
    ]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(hash.slice(-20));
      expect(JSON.stringify(res.body)).not.toMatch(/payPasswordHash|pay_password_hash/);
    }
  });

  it('locks stored-value payment for 15 minutes after 5 wrong attempts within 15 minutes, even by code', async () => {
    const m = await memberWithApp();
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '802417' }).expect(204);
    for (let i = 0; i < 4; i++) expect(await codeOf(pay(m.id, '111111'))).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await codeOf(pay(m.id, '111111'))).toBe('MEMBER_PAY_PASSWORD_LOCKED');
    // Locked: even the right password, or a fresh dynamic code, is refused until the lock ends.
    expect(await codeOf(pay(m.id, '802417'))).toBe('MEMBER_PAY_PASSWORD_LOCKED');
    expect(await codeOf(pay(m.id, undefined, true))).toBe('MEMBER_PAY_PASSWORD_LOCKED');
    const status = (await t.http.get('/api/me/pay-password').set(m.auth).expect(200)).body;
    const lockMinutes = (Date.parse(status.lockedUntil) - Date.now()) / 60000;
    expect(lockMinutes).toBeGreaterThan(14);
    expect(lockMinutes).toBeLessThanOrEqual(15);
    const change = await t.http.put('/api/me/pay-password').set(m.auth).send({ currentPassword: '802417', newPassword: '135790' }).expect(429);
    expect(change.body.error.code).toBe('MEMBER_PAY_PASSWORD_LOCKED');
    // Fifteen minutes later the lock is over and the count starts afresh.
    await t.ds.query(`UPDATE member_pay_password_guard SET locked_until = now() - interval '1 second', window_started_at = now() - interval '16 minutes' WHERE member_id = $1`, [m.id]);
    expect(await codeOf(pay(m.id, '111111'))).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await codeOf(pay(m.id, '802417'))).toBe('ok');
    expect(await t.ds.query('SELECT * FROM member_pay_password_guard WHERE member_id = $1', [m.id])).toEqual([]);
  });

  it('counts only failures within the window', async () => {
    const m = await memberWithApp();
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '802417' }).expect(204);
    for (let i = 0; i < 4; i++) await codeOf(pay(m.id, '111111'));
    await t.ds.query(`UPDATE member_pay_password_guard SET window_started_at = now() - interval '16 minutes' WHERE member_id = $1`, [m.id]);
    expect(await codeOf(pay(m.id, '111111'))).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await t.ds.query('SELECT failures FROM member_pay_password_guard WHERE member_id = $1', [m.id])).toEqual([{ failures: 1 }]);
  });

  it('counts every one of 20 concurrent wrong attempts and locks', async () => {
    const m = await memberWithApp();
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '802417' }).expect(204);
    const codes = await Promise.all(Array.from({ length: 20 }, () => codeOf(pay(m.id, '111111'))));
    expect(codes.filter((c) => c === 'MEMBER_PAY_PASSWORD_WRONG').length).toBeLessThanOrEqual(4);
    expect(codes.every((c) => c === 'MEMBER_PAY_PASSWORD_WRONG' || c === 'MEMBER_PAY_PASSWORD_LOCKED')).toBe(true);
    expect(await codeOf(pay(m.id, '802417'))).toBe('MEMBER_PAY_PASSWORD_LOCKED');
  });

  it('lets HQ reset the password with a reason, audited without the hash, so the member sets a new one', async () => {
    const m = await memberWithApp();
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '802417' }).expect(204);
    for (let i = 0; i < 5; i++) await codeOf(pay(m.id, '111111'));
    const hash = (await hashOf(m.id))!;
    const storeA = await makeStore(t.ds);
    const manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    await t.http.post(`/api/members/${m.id}/pay-password/reset`).set(manager.auth).send({ reason: '忘记密码' }).expect(403);
    const bad = await t.http.post(`/api/members/${m.id}/pay-password/reset`).set(owner.auth).send({}).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
    await t.http.post(`/api/members/${m.id}/pay-password/reset`).set(owner.auth).send({ reason: '会员持身份证到店申请' }).expect(204);
    expect(await hashOf(m.id)).toBeNull();
    expect((await t.http.get('/api/me/pay-password').set(m.auth).expect(200)).body).toEqual({ isSet: false, lockedUntil: null });
    const [audit] = await t.ds.query(`SELECT before, after, reason, actor_id FROM audit_log WHERE action = 'member.pay-password.reset' AND entity_id = $1`, [m.id]);
    expect(audit).toEqual({ before: { payPasswordSet: true }, after: { payPasswordSet: false }, reason: '会员持身份证到店申请', actor_id: owner.id });
    expect(JSON.stringify(audit)).not.toContain(hash.slice(-20));
    // The member sets a new one without the old password.
    await t.http.put('/api/me/pay-password').set(m.auth).send({ newPassword: '135790' }).expect(204);
    expect(await codeOf(pay(m.id, '135790'))).toBe('ok');
    await t.http.post('/api/members/00000000-0000-4000-8000-000000000000/pay-password/reset').set(owner.auth).send({ reason: '不存在' }).expect(404);
  });
});
