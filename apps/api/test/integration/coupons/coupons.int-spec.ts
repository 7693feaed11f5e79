import { randomUUID } from 'node:crypto';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { CouponsService } from '../../../src/modules/coupons/coupons.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { expectReconciled, idemKey, refund, topUp } from '../wallet/wallet-helpers';

type Auth = { Authorization: string };
type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('coupons', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let managerA: Signed;
  let cashierA: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    managerA = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
  });
  afterAll(() => t.close());

  const createTemplate = (body: Record<string, unknown>, auth: Auth = owner.auth) =>
    t.http.post('/api/coupon-templates').set(auth).send({ name: '满100减20', kind: 'threshold', thresholdFen: 10000, amountOffFen: 2000, validityKind: 'relative', validDays: 30, ...body });
  const issue = (memberId: string, body: Record<string, unknown>, auth: Auth = managerA.auth, key = idemKey()) =>
    t.http.post(`/api/members/${memberId}/coupons`).set(auth).set('Idempotency-Key', key).send({ storeId: storeA.id, ...body });
  const memberAuth = async (memberId: string): Promise<Auth> => ({ Authorization: `Bearer ${(await t.app.get(AuthService).issueMemberSession(memberId)).accessToken}` });

  describe('templates', () => {
    it('lets HQ create every kind, and names the fields a kind misses', async () => {
      const kinds = [
        { name: '无门槛5元', kind: 'amount_off', amountOffFen: 500, thresholdFen: undefined },
        { name: '8折券', kind: 'percent_off', discountBps: 8000, maxDiscountFen: 3000, thresholdFen: 5000, amountOffFen: undefined },
        { name: '满100减20' },
        { name: '赠奶茶一杯', kind: 'free_item', skuId: randomUUID(), thresholdFen: undefined, amountOffFen: undefined },
        { name: '1分钱换购', kind: 'exchange', skuId: randomUUID(), exchangePriceFen: 1, thresholdFen: undefined, amountOffFen: undefined },
      ];
      for (const k of kinds) {
        const res = await createTemplate(k);
        expect({ name: k.name, status: res.status }).toEqual({ name: k.name, status: 201 });
        expect(res.body).toMatchObject({ issuedCount: 0, status: 'active', scope: { includeProductIds: [], excludeCategoryIds: [] } });
      }
      const bad = await createTemplate({ kind: 'threshold', thresholdFen: undefined }).expect(400);
      expect(bad.body.error.details).toEqual([{ field: 'thresholdFen', errors: ['a threshold coupon needs thresholdFen'] }]);
      const badValidity = await createTemplate({ validityKind: 'fixed', validDays: undefined, validFromDate: '2026-12-31', validUntilDate: '2026-12-01' }).expect(400);
      expect(badValidity.body.error.details.map((d: { field: string }) => d.field)).toEqual(['validUntilDate']);
    });

    it('keeps templates HQ’s to change: a store manager reads them and gets 403 on writes', async () => {
      const tpl = await createTemplate({}).expect(201);
      await t.http.get(`/api/coupon-templates/${tpl.body.id}`).set(cashierA.auth).expect(200);
      await createTemplate({}, managerA.auth).expect(403);
      await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(managerA.auth).send({ status: 'disabled' }).expect(403);
      const edited = await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(owner.auth).send({ name: '满100减20 (新)', totalQuantity: 50 }).expect(200);
      expect(edited.body).toMatchObject({ name: '满100减20 (新)', totalQuantity: 50 });
      const audit = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'coupon_template.update' AND entity_id = $1`, [tpl.body.id]);
      expect(audit).toEqual([{ before: { name: '满100减20', totalQuantity: null }, after: { name: '满100减20 (新)', totalQuantity: 50 } }]);
    });
  });

  describe('issuing', () => {
    it('issues a coupon with a short code, valid through the Nth day in Shanghai, seen by the member', async () => {
      const tpl = await createTemplate({ validDays: 7 }).expect(201);
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const res = await issue(member.id, { templateId: tpl.body.id }).expect(201);
      expect(res.body).toHaveLength(1);
      const c = res.body[0];
      expect(c.code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
      expect(c).toMatchObject({ status: 'unused', source: 'manual', issuedStoreId: storeA.id, kind: 'threshold', thresholdFen: 10000, amountOffFen: 2000 });
      // Valid until the midnight (Shanghai) that ends the 7th day counting today.
      const [{ expected }] = await t.ds.query(`SELECT (((now() AT TIME ZONE 'Asia/Shanghai')::date + 7)::timestamp AT TIME ZONE 'Asia/Shanghai') AS expected`);
      expect(c.validUntil).toBe(new Date(expected).toISOString());
      const mine = await t.http.get('/api/me/coupons?status=unused').set(await memberAuth(member.id)).expect(200);
      expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
      await t.http.get(`/api/me/coupons/${c.id}`).set(await memberAuth(member.id)).expect(200);
      const stranger = await makeMember(t.ds, { homeStoreId: storeA.id });
      await t.http.get(`/api/me/coupons/${c.id}`).set(await memberAuth(stranger.id)).expect(404);
      // The counter finds it by the code as typed.
      const typed = `${c.code.slice(0, 4).toLowerCase()}-${c.code.slice(4)}`;
      const found = await t.http.get(`/api/coupons?code=${typed}`).set(cashierA.auth).expect(200);
      expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
      expect((await t.http.get('/api/coupons?code=NOT-A-CODE').set(cashierA.auth).expect(200)).body.total).toBe(0);
      const audit = await t.ds.query(`SELECT store_id, after FROM audit_log WHERE action = 'coupon.issue' AND entity_id = $1`, [tpl.body.id]);
      expect(audit).toEqual([{ store_id: storeA.id, after: { memberId: member.id, couponIds: [c.id], codes: [c.code] } }]);
    });

    it('keeps to the per-member limit and refuses a disabled or ended template', async () => {
      const tpl = await createTemplate({ perMemberLimit: 2 }).expect(201);
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      await issue(member.id, { templateId: tpl.body.id, quantity: 2 }).expect(201);
      const third = await issue(member.id, { templateId: tpl.body.id }).expect(409);
      expect(third.body.error.code).toBe('COUPON_MEMBER_LIMIT_REACHED');
      await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(owner.auth).send({ status: 'disabled' }).expect(200);
      const other = await makeMember(t.ds, { homeStoreId: storeA.id });
      expect((await issue(other.id, { templateId: tpl.body.id }).expect(409)).body.error.code).toBe('COUPON_TEMPLATE_DISABLED');
      const ended = await createTemplate({ validityKind: 'fixed', validDays: undefined, validFromDate: '2020-01-01', validUntilDate: '2020-12-31' }).expect(201);
      expect((await issue(other.id, { templateId: ended.body.id }).expect(409)).body.error.code).toBe('COUPON_TEMPLATE_EXPIRED');
      // A cashier may not issue; a manager may not issue from a store that is not his.
      await issue(other.id, { templateId: tpl.body.id }, cashierA.auth).expect(403);
      await issue(other.id, { templateId: tpl.body.id, storeId: storeB.id }).expect(404);
    });

    it('never issues more than the total quantity, however many issue at once', async () => {
      const tpl = await createTemplate({ totalQuantity: 3 }).expect(201);
      const members = await Promise.all(Array.from({ length: 10 }, () => makeMember(t.ds, { homeStoreId: storeA.id })));
      const results = await Promise.all(members.map((mb) => issue(mb.id, { templateId: tpl.body.id })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('COUPON_SOLD_OUT'));
      const [row] = await t.ds.query('SELECT issued_count, (SELECT count(*)::int FROM coupon WHERE template_id = $1) AS coupons FROM coupon_template WHERE id = $1', [tpl.body.id]);
      expect(row).toEqual({ issued_count: 3, coupons: 3 });
      await expectReconciled(t, owner.auth);
    });

    it('issues to a member segment in batches, once per run, within the limit and the quantity', async () => {
      const tag = `vip${Date.now() % 100000}`;
      const vips = await Promise.all(Array.from({ length: 4 }, () => makeMember(t.ds, { homeStoreId: storeA.id, tags: [tag] })));
      await makeMember(t.ds, { homeStoreId: storeA.id, tags: ['other'] });
      const tpl = await createTemplate({ perMemberLimit: 1, totalQuantity: 3 }).expect(201);
      const run = (auth: Auth = owner.auth) =>
        t.http.post(`/api/coupon-templates/${tpl.body.id}/issue-runs`).set(auth).set('Idempotency-Key', idemKey()).send({ segment: { tagsAny: [tag] } });
      const first = await run().expect(201);
      expect(first.body).toMatchObject({ status: 'done', matched: 4, issued: 3, skippedLimit: 0, skippedSoldOut: 1 });
      await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(owner.auth).send({ totalQuantity: 10 }).expect(200);
      const second = await run().expect(201);
      expect(second.body).toMatchObject({ matched: 4, issued: 1, skippedLimit: 3, skippedSoldOut: 0 });
      const held = await t.ds.query('SELECT member_id, source, source_ref FROM coupon WHERE template_id = $1 ORDER BY member_id', [tpl.body.id]);
      expect(held.map((h: { member_id: string }) => h.member_id).sort()).toEqual(vips.map((v) => v.id).sort());
      expect(new Set(held.map((h: { source: string }) => h.source))).toEqual(new Set(['segment']));
      await run(managerA.auth).expect(403);
      await expectReconciled(t, owner.auth);
    });

    it('selects big spenders and lapsed members', async () => {
      const spender = await makeMember(t.ds, { homeStoreId: storeB.id, tags: ['seg2'] });
      const small = await makeMember(t.ds, { homeStoreId: storeB.id, tags: ['seg2'] });
      await t.ds.query(`INSERT INTO member_spend_fact (member_id, amount_fen, at, ref_type, ref_id) VALUES ($1, 50000, now(), 'test', 'a'), ($2, 100, now(), 'test', 'b')`, [spender.id, small.id]);
      const tpl = await createTemplate({}).expect(201);
      const res = await t.http
        .post(`/api/coupon-templates/${tpl.body.id}/issue-runs`)
        .set(owner.auth)
        .set('Idempotency-Key', idemKey())
        .send({ segment: { tagsAny: ['seg2'], minSpendFen: 10000, spendWindowDays: 30 } })
        .expect(201);
      expect(res.body).toMatchObject({ matched: 1, issued: 1 });
      expect(await t.ds.query('SELECT member_id FROM coupon WHERE template_id = $1', [tpl.body.id])).toEqual([{ member_id: spender.id }]);
      await t.ds.query(`UPDATE member SET last_visit_at = now() - interval '100 days' WHERE id = $1`, [small.id]);
      await t.ds.query(`UPDATE member SET last_visit_at = now() WHERE id = $1`, [spender.id]);
      const lapsed = await t.http
        .post(`/api/coupon-templates/${tpl.body.id}/issue-runs`)
        .set(owner.auth)
        .set('Idempotency-Key', idemKey())
        .send({ segment: { tagsAny: ['seg2'], notVisitedDays: 90 } })
        .expect(201);
      expect(lapsed.body).toMatchObject({ matched: 1, issued: 1 });
    });
  });

  describe('events', () => {
    it('gives the join coupons when a member registers', async () => {
      const tpl = await createTemplate({ name: '入会礼 无门槛10元', kind: 'amount_off', amountOffFen: 1000, thresholdFen: undefined, autoIssue: ['join'] }).expect(201);
      const res = await t.http.post('/api/members').set(cashierA.auth).send({ name: '新会员', phone: '13700009991' }).expect(201);
      const coupons = await t.ds.query('SELECT source, source_ref, issued_store_id FROM coupon WHERE member_id = $1 AND template_id = $2', [res.body.id, tpl.body.id]);
      expect(coupons).toEqual([{ source: 'join', source_ref: 'join', issued_store_id: storeA.id }]);
      await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(owner.auth).send({ autoIssue: [] }).expect(200);
    });

    it('registers a member even when the join template has run out', async () => {
      const tpl = await createTemplate({ name: '入会礼 限1张', kind: 'amount_off', amountOffFen: 500, thresholdFen: undefined, autoIssue: ['join'], totalQuantity: 1 }).expect(201);
      await t.http.post('/api/members').set(cashierA.auth).send({ name: '甲', phone: '13700009992' }).expect(201);
      await t.http.post('/api/members').set(cashierA.auth).send({ name: '乙', phone: '13700009993' }).expect(201);
      expect((await t.ds.query('SELECT count(*)::int AS n FROM coupon WHERE template_id = $1', [tpl.body.id]))[0].n).toBe(1);
      await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(owner.auth).send({ autoIssue: [] }).expect(200);
    });

    it('gives the birthday coupon on the birthday, once a year, through the daily job', async () => {
      const tpl = await createTemplate({ name: '生日礼', kind: 'amount_off', amountOffFen: 2000, thresholdFen: undefined, autoIssue: ['birthday'] }).expect(201);
      const today = await makeMember(t.ds, { homeStoreId: storeA.id });
      const leap = await makeMember(t.ds, { homeStoreId: storeA.id });
      const other = await makeMember(t.ds, { homeStoreId: storeA.id });
      await t.ds.query(`UPDATE member SET birthday = '1990-03-01' WHERE id = $1`, [today.id]);
      await t.ds.query(`UPDATE member SET birthday = '1992-02-29' WHERE id = $1`, [leap.id]);
      await t.ds.query(`UPDATE member SET birthday = '1990-03-02' WHERE id = $1`, [other.id]);
      const scheduler = t.app.get(JobScheduler);
      // 2026-02-28 00:15 in Shanghai: 29 February birthdays are kept on the 28th in a common year.
      const ran = await scheduler.tick(new Date('2026-02-27T16:15:00Z'));
      expect(ran.find((r) => r.job === 'coupons.birthday')).toMatchObject({ status: 'done' });
      await scheduler.tick(new Date('2026-02-28T16:15:00Z'));
      await t.app.get(CouponsService).issueBirthdayCoupons(new Date('2026-02-28T20:00:00Z'));
      const rows = await t.ds.query('SELECT member_id, source_ref FROM coupon WHERE template_id = $1 ORDER BY created_at', [tpl.body.id]);
      expect(rows).toEqual([
        { member_id: leap.id, source_ref: '2026' },
        { member_id: today.id, source_ref: '2026' },
      ]);
      await t.http.patch(`/api/coupon-templates/${tpl.body.id}`).set(owner.auth).send({ status: 'disabled' }).expect(200);
    });

    it('gives a coupon with a top-up bonus rule, and takes it back with the refund while unused', async () => {
      const tpl = await createTemplate({ name: '充值送券', kind: 'amount_off', amountOffFen: 1500, thresholdFen: undefined }).expect(201);
      const rule = await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '充500送券', thresholdFen: 50000, bonusCouponTemplateId: tpl.body.id, storeId: storeB.id }).expect(201);
      expect(rule.body.bonusCouponTemplateId).toBe(tpl.body.id);
      await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '坏', thresholdFen: 100, bonusCouponTemplateId: randomUUID() }).expect(404);
      const cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
      await openShift(t.http, cashierB, storeB.id);
      const member = await makeMember(t.ds, { homeStoreId: storeB.id });
      const first = await topUp(t, cashierB.auth, member.id, { storeId: storeB.id, amountFen: 50000 }).expect(201);
      expect(first.body.bonusCouponId).toEqual(expect.any(String));
      const coupon = await t.http.get(`/api/coupons/${first.body.bonusCouponId}`).set(cashierB.auth).expect(200);
      expect(coupon.body).toMatchObject({ source: 'top_up', status: 'unused', memberId: member.id, issuedStoreId: storeB.id });
      await refund(t, cashierB.auth, first.body.id).expect(200);
      expect((await t.http.get(`/api/coupons/${first.body.bonusCouponId}`).set(cashierB.auth).expect(200)).body).toMatchObject({ status: 'voided', voidReason: '充值退款：顾客要求退款' });

      // Once used by an order, the refund is refused.
      const second = await topUp(t, cashierB.auth, member.id, { storeId: storeB.id, amountFen: 50000 }).expect(201);
      await t.ds.transaction((m) => t.app.get(CouponsService).use(m, { couponIds: [second.body.bonusCouponId], memberId: member.id, orderId: randomUUID(), storeId: storeB.id, at: new Date() }));
      const refused = await refund(t, cashierB.auth, second.body.id).expect(409);
      expect(refused.body.error).toMatchObject({ code: 'WALLET_TOP_UP_BONUS_SPENT', details: { bonusCouponId: second.body.bonusCouponId } });
      await expectReconciled(t, owner.auth);
    });
  });

  describe('use, void and expiry', () => {
    const freshCoupon = async (over: Record<string, unknown> = {}) => {
      const tpl = await createTemplate({ kind: 'amount_off', amountOffFen: 500, thresholdFen: undefined, ...over }).expect(201);
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const [c] = (await issue(member.id, { templateId: tpl.body.id }).expect(201)).body;
      return { member, coupon: c as { id: string; code: string } };
    };

    it('lets exactly one of two orders use a coupon', async () => {
      const { member, coupon } = await freshCoupon();
      const coupons = t.app.get(CouponsService);
      const orders = Array.from({ length: 8 }, () => randomUUID());
      const results = await Promise.allSettled(
        orders.map((orderId) => t.ds.transaction((m) => coupons.use(m, { couponIds: [coupon.id], memberId: member.id, orderId, storeId: storeA.id, at: new Date() }))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(7).fill('COUPON_UNAVAILABLE'));
      const [row] = await t.ds.query('SELECT status, order_id FROM coupon WHERE id = $1', [coupon.id]);
      expect(row.status).toBe('used');
      expect(orders).toContain(row.order_id);
      // Another member cannot use it; a refund of the whole order gives it back.
      await expect(t.ds.transaction((m) => coupons.use(m, { couponIds: [coupon.id], memberId: randomUUID(), orderId: randomUUID(), storeId: storeA.id, at: new Date() }))).rejects.toMatchObject({
        code: 'COUPON_UNAVAILABLE',
      });
      const restored = await t.ds.transaction((m) => coupons.restore(m, { orderId: row.order_id, at: new Date() }));
      expect(restored).toEqual([{ couponId: coupon.id, status: 'unused' }]);
      expect((await t.ds.query('SELECT status, order_id FROM coupon WHERE id = $1', [coupon.id]))[0]).toEqual({ status: 'unused', order_id: null });
    });

    it('restores a coupon that ran out meanwhile as expired', async () => {
      const { member, coupon } = await freshCoupon();
      const coupons = t.app.get(CouponsService);
      const orderId = randomUUID();
      await t.ds.transaction((m) => coupons.use(m, { couponIds: [coupon.id], memberId: member.id, orderId, storeId: storeA.id, at: new Date() }));
      const later = new Date(Date.now() + 40 * 86_400_000);
      expect(await t.ds.transaction((m) => coupons.restore(m, { orderId, at: later }))).toEqual([{ couponId: coupon.id, status: 'expired' }]);
    });

    it('voids an unused coupon with a reason, audited, once', async () => {
      const { coupon } = await freshCoupon();
      await t.http.post(`/api/coupons/${coupon.id}/void`).set(cashierA.auth).send({ reason: '误发' }).expect(403);
      await t.http.post(`/api/coupons/${coupon.id}/void`).set(managerA.auth).send({}).expect(400);
      const res = await t.http.post(`/api/coupons/${coupon.id}/void`).set(managerA.auth).send({ reason: '误发' }).expect(200);
      expect(res.body).toMatchObject({ status: 'voided', voidReason: '误发' });
      const again = await t.http.post(`/api/coupons/${coupon.id}/void`).set(managerA.auth).send({ reason: '误发' }).expect(409);
      expect(again.body.error).toMatchObject({ code: 'COUPON_NOT_UNUSED', details: { status: 'voided' } });
      const audit = await t.ds.query(`SELECT actor_id, reason, before, after FROM audit_log WHERE action = 'coupon.void' AND entity_id = $1`, [coupon.id]);
      expect(audit).toEqual([{ actor_id: managerA.id, reason: '误发', before: { status: 'unused' }, after: { status: 'voided', memberId: expect.any(String), code: coupon.code } }]);
    });

    it('shows a coupon past its end as expired before the job, and the job marks it', async () => {
      const { member, coupon } = await freshCoupon({ validDays: 1 });
      const coupons = t.app.get(CouponsService);
      await coupons.expireCoupons(new Date());
      expect((await t.ds.query('SELECT status FROM coupon WHERE id = $1', [coupon.id]))[0].status).toBe('unused');
      await t.ds.query(`UPDATE coupon SET valid_from = now() - interval '3 days', valid_until = now() - interval '1 second' WHERE id = $1`, [coupon.id]);
      const before = await t.http.get(`/api/members/${member.id}/coupons?status=expired`).set(cashierA.auth).expect(200);
      expect(before.body.items.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([[coupon.id, 'expired']]);
      expect((await t.ds.query('SELECT status FROM coupon WHERE id = $1', [coupon.id]))[0].status).toBe('unused');
      const ran = await t.app.get(JobScheduler).tick(new Date());
      expect(ran.find((r) => r.job === 'coupons.expire')).toMatchObject({ status: 'done' });
      expect((await t.ds.query('SELECT status, expired_at IS NOT NULL AS stamped FROM coupon WHERE id = $1', [coupon.id]))[0]).toEqual({ status: 'expired', stamped: true });
      expect((await t.http.get(`/api/members/${member.id}/coupons?status=unused`).set(cashierA.auth).expect(200)).body.total).toBe(0);
    });

    it('lists the coupons usable at a store', async () => {
      const { member: m1, coupon: everywhere } = await freshCoupon();
      const tpl = await createTemplate({ kind: 'amount_off', amountOffFen: 300, thresholdFen: undefined, storeIds: [storeB.id] }).expect(201);
      await issue(m1.id, { templateId: tpl.body.id }).expect(201);
      const atA = await t.http.get(`/api/members/${m1.id}/coupons?storeId=${storeA.id}`).set(cashierA.auth).expect(200);
      expect(atA.body.items.map((c: { id: string }) => c.id)).toEqual([everywhere.id]);
      expect((await t.http.get(`/api/members/${m1.id}/coupons`).set(owner.auth).expect(200)).body.total).toBe(2);
    });
  });
});
