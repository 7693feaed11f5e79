import { AuthService } from '../../../src/modules/auth/auth.service';
import { MemberCodeService } from '../../../src/modules/cards/member-code.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('dynamic member code', () => {
  let t: TestApp;
  let storeA: { id: string };
  let cashier: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
  });
  afterAll(() => t.close());

  const memberWithApp = async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    return { ...m, auth: { Authorization: `Bearer ${session.accessToken}` } };
  };
  const resolve = (code: string) => t.http.post('/api/member-codes/resolve').set(cashier.auth).send({ code, storeId: storeA.id });

  it('shows the member an 18-digit code that the cashier resolves to the member once', async () => {
    const m = await memberWithApp();
    const before = Date.now();
    const res = await t.http.get('/api/me/member-code').set(m.auth).expect(200);
    expect(res.body.code).toMatch(/^9\d{17}$/);
    expect(res.body.refreshInSeconds).toBeGreaterThanOrEqual(1);
    expect(res.body.refreshInSeconds).toBeLessThanOrEqual(60);
    const expires = Date.parse(res.body.expiresAt);
    expect(expires - before).toBeGreaterThan(60_000);
    expect(expires - before).toBeLessThanOrEqual(120_000);

    const found = await resolve(res.body.code).expect(200);
    expect(found.body).toMatchObject({ id: m.id, memberNo: m.memberNo, phone: m.phone });
    const again = await resolve(res.body.code).expect(409);
    expect(again.body.error.code).toBe('MEMBER_CODE_USED');
    const [use] = await t.ds.query('SELECT member_id, store_id, staff_id, code FROM member_code_use WHERE member_id = $1', [m.id]);
    expect(use).toEqual({ member_id: m.id, store_id: storeA.id, staff_id: cashier.id, code: res.body.code });

    // Right after a use the app gets a fresh code, which resolves.
    const next = await t.http.get('/api/me/member-code').set(m.auth).expect(200);
    expect(next.body.code).not.toBe(res.body.code);
    await resolve(next.body.code).expect(200);
  });

  it('accepts a code from the previous window and refuses an older one as expired', async () => {
    const m = await memberWithApp();
    const codes = t.app.get(MemberCodeService);
    const previous = await codes.issue(m.id, new Date(Date.now() - 60_000));
    await resolve(previous.code).expect(200);
    const old = await codes.issue(m.id, new Date(Date.now() - 150_000));
    const expired = await resolve(old.code).expect(400);
    expect(expired.body.error.code).toBe('MEMBER_CODE_EXPIRED');
    // Time injected on both sides: a code made at 10:00:30 is good at 10:01:59 and expired at 10:02:00.
    const at = new Date('2026-05-01T10:00:30Z');
    const made = await codes.issue(m.id, at);
    expect(made).toMatchObject({ expiresAt: '2026-05-01T10:02:00.000Z', refreshInSeconds: 30 });
    await expect(codes.resolve(cashier.id, made.code, storeA.id, new Date('2026-05-01T10:02:00Z'))).rejects.toMatchObject({ code: 'MEMBER_CODE_EXPIRED' });
    await expect(codes.resolve(cashier.id, made.code, storeA.id, new Date('2026-05-01T10:01:59Z'))).resolves.toMatchObject({ id: m.id });
  });

  it('refuses forged, altered and malformed codes', async () => {
    const m = await memberWithApp();
    const { code } = (await t.http.get('/api/me/member-code').set(m.auth).expect(200)).body as { code: string };
    const altered = code.slice(0, 17) + String((Number(code[17]) + 1) % 10);
    expect((await resolve(altered).expect(400)).body.error.code).toBe('MEMBER_CODE_INVALID');
    // Another member's index with this member's MAC does not find anyone.
    const other = await memberWithApp();
    const otherCode = (await t.http.get('/api/me/member-code').set(other.auth).expect(200)).body.code as string;
    expect((await resolve(otherCode.slice(0, 11) + code.slice(11)).expect(400)).body.error.code).toBe('MEMBER_CODE_INVALID');
    expect((await resolve('900999999991234567').expect(400)).body.error.code).toBe('MEMBER_CODE_INVALID');
    expect((await resolve('123456789012345678').expect(400)).body.error.code).toBe('MEMBER_CODE_INVALID');
    const bad = await t.http.post('/api/member-codes/resolve').set(cashier.auth).send({ code: '12ab', storeId: 'x' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['code', 'storeId']);
    await resolve(code).expect(200);
  });

  it('lets exactly one of 20 concurrent resolves of one code win', async () => {
    const m = await memberWithApp();
    const { code } = (await t.http.get('/api/me/member-code').set(m.auth).expect(200)).body as { code: string };
    const results = await Promise.all(Array.from({ length: 20 }, () => resolve(code)));
    expect(results.filter((r) => r.status === 200).map((r) => r.body.id)).toEqual([m.id]);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual(Array(19).fill('MEMBER_CODE_USED'));
    expect(await t.ds.query('SELECT count(*)::int AS n FROM member_code_use WHERE member_id = $1', [m.id])).toEqual([{ n: 1 }]);
  });

  it('refuses a code to a frozen member and serves codes only to member tokens', async () => {
    const m = await memberWithApp();
    await t.http.get('/api/me/member-code').set(cashier.auth).expect(403);
    await t.http.post('/api/member-codes/resolve').set(m.auth).send({ code: '900000000100000000', storeId: storeA.id }).expect(403);
    await t.ds.query(`UPDATE member SET status = 'frozen' WHERE id = $1`, [m.id]);
    // A frozen member's session ends; the service refuses on its own as well.
    expect((await t.http.get('/api/me/member-code').set(m.auth).expect(401)).body.error.code).toBe('AUTH_TOKEN_INVALID');
    await expect(t.app.get(MemberCodeService).issue(m.id)).rejects.toMatchObject({ code: 'MEMBER_NOT_ACTIVE' });
  });
});
