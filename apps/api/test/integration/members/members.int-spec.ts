import { AuthService } from '../../../src/modules/auth/auth.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('members', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let owner: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    owner = await signedIn(t.ds, t.http, 'owner');
  });
  afterAll(() => t.close());

  it('registers a member at the cashier’s store with a member number and a masked, encrypted ID card', async () => {
    const res = await t.http
      .post('/api/members')
      .set(cashier.auth)
      .send({ name: '张三', phone: '13800000001', gender: 'male', birthday: '1990-03-07', idCardNo: '11010519491231002x', tags: ['VIP'] })
      .expect(201);
    expect(res.body).toMatchObject({
      name: '张三',
      memberNo: expect.stringMatching(/^8\d{9}$/),
      homeStoreId: storeA.id,
      registeredByStaffId: cashier.id,
      idCardMasked: '1101**********002X',
      status: 'active',
      churned: false,
    });
    expect(JSON.stringify(res.body)).not.toContain('19491231');
    const [row] = await t.ds.query('SELECT id_card_cipher, id_card_hash FROM member WHERE id = $1', [res.body.id]);
    expect(row.id_card_cipher).toMatch(/^v1\./);
    expect(row.id_card_cipher).not.toContain('19491231');
    expect(row.id_card_hash).not.toContain('19491231');
    const found = await t.http.get('/api/members').set(cashier.auth).query({ idCardNo: '11010519491231002X' }).expect(200);
    expect(found.body.items.map((m: { id: string }) => m.id)).toEqual([res.body.id]);
    const [audit] = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'member.create' AND entity_id = $1`, [res.body.id]);
    expect(JSON.stringify(audit.after)).not.toContain('19491231');
  });

  it('keeps phone and ID-card numbers unique and refuses a wrong check digit', async () => {
    await t.http.post('/api/members').set(cashier.auth).send({ name: '李四', phone: '13800000002' }).expect(201);
    const dupPhone = await t.http.post('/api/members').set(cashier.auth).send({ name: '王五', phone: '13800000002' }).expect(409);
    expect(dupPhone.body.error.code).toBe('MEMBER_PHONE_TAKEN');
    const dupId = await t.http.post('/api/members').set(cashier.auth).send({ name: '赵六', idCardNo: '11010519491231002X' }).expect(409);
    expect(dupId.body.error.code).toBe('MEMBER_ID_CARD_TAKEN');
    const bad = await t.http.post('/api/members').set(cashier.auth).send({ name: '钱七', idCardNo: '110105194912310021' }).expect(400);
    expect(bad.body.error.details[0].field).toBe('idCardNo');
  });

  it('validates custom attributes against HQ’s definitions on every write', async () => {
    await t.http.post('/api/member-attributes').set(owner.auth).send({ code: 'plate_no', name: '车牌号', type: 'text', required: true }).expect(201);
    await t.http.post('/api/member-attributes').set(owner.auth).send({ code: 'car', name: '车型', type: 'choice', options: ['轿车', 'SUV'] }).expect(201);
    await t.http.post('/api/member-attributes').set(cashier.auth).send({ code: 'x_y', name: 'x', type: 'text' }).expect(403);
    const missing = await t.http.post('/api/members').set(cashier.auth).send({ name: '车主', attributes: { car: '卡车' } }).expect(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['attributes.car', 'attributes.plate_no']);
    const ok = await t.http.post('/api/members').set(cashier.auth).send({ name: '车主', attributes: { plate_no: '沪A12345', car: 'SUV' } }).expect(201);
    const upd = await t.http.patch(`/api/members/${ok.body.id}`).set(cashier.auth).send({ attributes: { car: '轿车' } }).expect(200);
    expect(upd.body.attributes).toEqual({ plate_no: '沪A12345', car: '轿车' });
  });

  it('finds members by phone, member number, name and tag, across stores', async () => {
    const other = await makeMember(t.ds, { homeStoreId: storeB.id, name: '跨店会员', phone: '13911112222', tags: ['学生'] });
    for (const q of [{ q: '13911112222' }, { q: other.memberNo }, { name: '跨店' }, { tag: '学生' }, { phone: '2222' }]) {
      const res = await t.http.get('/api/members').set(cashier.auth).query(q).expect(200);
      expect({ q, ids: res.body.items.map((m: { id: string }) => m.id) }).toEqual({ q, ids: [other.id] });
    }
    await t.http.get(`/api/members/${other.id}`).set(cashier.auth).expect(200);
  });

  it('flags members who have not visited within the chain’s churn threshold', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id, name: '沉睡会员' });
    await t.ds.query(`UPDATE member SET last_visit_at = now() - interval '120 days' WHERE id = $1`, [m.id]);
    const res = await t.http.get('/api/members').set(cashier.auth).query({ churned: 'true', name: '沉睡' }).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ id: m.id, churned: true })]);
    await t.ds.query(`UPDATE chain SET churn_days = 365`);
    const later = await t.http.get('/api/members').set(cashier.auth).query({ churned: 'true', name: '沉睡' }).expect(200);
    expect(later.body.total).toBe(0);
  });

  it('serves a member his own profile through /me, and refuses member tokens on staff routes and the reverse', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id, name: '小程序会员' });
    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    const auth = { Authorization: `Bearer ${session.accessToken}` };
    const me = await t.http.get('/api/me').set(auth).expect(200);
    expect(me.body).toMatchObject({ id: m.id, name: '小程序会员' });
    const upd = await t.http.patch('/api/me').set(auth).send({ name: '改名了', birthday: '2000-01-01' }).expect(200);
    expect(upd.body).toMatchObject({ name: '改名了', birthday: '2000-01-01' });
    await t.http.patch('/api/me').set(auth).send({ phone: '13000000000' }).expect(400);
    await t.http.get('/api/members').set(auth).expect(403);
    await t.http.get(`/api/members/${m.id}`).set(auth).expect(403);
    await t.http.get('/api/me').set(cashier.auth).expect(403);
    // Member refresh tokens rotate like staff ones.
    const next = await t.http.post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200);
    await t.http.get('/api/me').set('Authorization', `Bearer ${next.body.accessToken}`).expect(200);
  });

  it('rejects bad member input with the offending fields', async () => {
    const res = await t.http
      .post('/api/members')
      .set(cashier.auth)
      .send({ name: '', phone: '12345', gender: 'x', birthday: '1990-13-01', tags: ['a,b'], homeStoreId: 'nope' })
      .expect(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['birthday', 'gender', 'homeStoreId', 'name', 'phone', 'tags']);
  });
});
