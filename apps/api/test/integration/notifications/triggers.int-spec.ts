import { businessDay } from '@chaincard/shared';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler';
import { PointsService } from '../../../src/modules/points/points.service';
import { NotificationTriggers } from '../../../src/modules/notifications/notification-triggers';
import { NotificationsService } from '../../../src/modules/notifications/notifications.service';
import { giveBalance, makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { drain, expectReconciled, idemKey, later, memberSession, messagesOf, putTemplate, topUp } from './support';

const sms = (event: string) => ({ event, channel: 'sms' });

describe('what makes notifications', () => {
  let t: TestApp;
  let store: { id: string; name: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let triggers: NotificationTriggers;
  let notifications: NotificationsService;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds, { name: '人民广场店' });
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    await openShift(t.http, cashier, store.id);
    await openShift(t.http, owner, store.id);
    triggers = t.app.get(NotificationTriggers);
    notifications = t.app.get(NotificationsService);
    for (const event of ['wallet.top_up', 'wallet.spend', 'wallet.refund', 'wallet.changed', 'points.changed', 'member.birthday', 'membership.expiring', 'points.expiring', 'coupon.expiring', 'booking.confirmed', 'booking.reminder']) {
      await putTemplate(t, owner.auth, sms(event));
    }
  });
  afterAll(() => t.close());

  const post = (path: string, body: Record<string, unknown>, auth = cashier.auth) => t.http.post(path).set(auth).set('Idempotency-Key', idemKey()).send(body);
  const texts = async (memberId: string) =>
    (await t.ds.query(`SELECT event, content->>'text' AS text FROM notification_message WHERE member_id = $1 ORDER BY created_at, dedupe_key`, [memberId])) as { event: string; text: string }[];

  it('tells a member of every change of stored value and points, once per operation, in words', async () => {
    await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '充100送20', thresholdFen: 10000, bonusFen: 2000, bonusPoints: 50 }).expect(201);
    await t.http.patch('/api/points/settings').set(owner.auth).send({ exchangeEnabled: true, exchangePoints: 100, exchangeFen: 100 }).expect(200);
    const member = await makeMember(t.ds, { homeStoreId: store.id, name: '张伟' });

    const top = await topUp(t, cashier.auth, member.id, store.id, 10000);
    const spend = await post(`/api/members/${member.id}/wallet/spends`, { storeId: store.id, amountFen: 3000, memo: '洗剪吹' }).expect(201);
    await post(`/api/wallet/spends/${spend.body.id}/reverse`, { amountFen: 1000, reason: '少收' }).expect(200);
    await post(`/api/members/${member.id}/points/adjustments`, { storeId: store.id, points: 100, reason: '补录' }, owner.auth).expect(201);
    await post(`/api/members/${member.id}/points/exchanges`, { storeId: store.id, points: 100 }).expect(201);
    await drain(t);

    const msgs = await messagesOf(t, member.id);
    expect(msgs.map((m) => m.event)).toEqual(['wallet.top_up', 'wallet.spend', 'wallet.refund', 'points.changed', 'points.changed']);
    expect(msgs[0].data).toMatchObject({ amountFen: 10000, bonusFen: 2000, bonusPoints: 50, balanceFen: 12000, refType: 'wallet_top_up', refId: top.id });
    expect(msgs[1].data).toMatchObject({ amountFen: 3000, balanceFen: 9000 });
    expect(msgs[2].data).toMatchObject({ amountFen: 1000, balanceFen: 10000, directionText: '退回', reasonText: '消费撤销' });
    expect(msgs[3].data).toMatchObject({ pointsChange: 100, pointsBalance: 150, reasonText: '人工调整' });
    expect(msgs[4].data).toMatchObject({ pointsChange: -100, pointsBalance: 50, walletChangeFen: 100, reasonText: '兑换储值' });
    const said = await texts(member.id);
    expect(said[0].text).toMatch(/^张伟您好，您于\d{4}-\d{2}-\d{2} \d{2}:\d{2}在人民广场店充值100\.00元，赠送20\.00元，当前储值余额120\.00元。$/);
    expect(said[1].text).toContain('使用储值消费30.00元，当前储值余额90.00元');
    expect(said[2].text).toContain('因消费撤销退回10.00元，当前储值余额100.00元');
    expect(said[3].text).toContain('人工调整+100分，当前积分150分');
    expect(said[4].text).toContain('兑换储值-100分，当前积分50分');

    // A top-up refund takes money and bonus points back: one notice.
    const fresh = await makeMember(t.ds, { homeStoreId: store.id });
    const second = await topUp(t, cashier.auth, fresh.id, store.id, 10000);
    await post(`/api/wallet/top-ups/${second.id}/refund`, { reason: '顾客要求退款' }).expect(200);
    const refund = (await messagesOf(t, fresh.id)).map((m) => [m.event, m.data.amountFen, m.data.directionText]);
    expect(refund).toEqual([
      ['wallet.top_up', 10000, '退回'],
      ['wallet.refund', 12000, '扣除'],
    ]);
    await expectReconciled(t, owner.auth);
  });

  it('tells of points that expire, and of nothing when an import or a count card moves balances', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await giveBalance(t.ds, member.id, [{ kind: 'points', amount: 80 }]);
    const before = (await messagesOf(t, member.id)).length;
    const year = Number(businessDay(new Date(), 'Asia/Shanghai').slice(0, 4));
    await t.app.get(PointsService).expirePoints(new Date(`${year + 2}-01-01T00:30:00+08:00`));
    const msgs = await messagesOf(t, member.id);
    expect(msgs.slice(before).map((m) => [m.event, m.data.pointsChange, m.data.reasonText])).toEqual([['points.changed', -80, '过期']]);
    // Points expiry has no store: the message is filed under the member's home store.
    const [row] = await t.ds.query('SELECT store_id FROM notification_message WHERE id = $1', [msgs[msgs.length - 1].id]);
    expect(row.store_id).toBe(store.id);
  });

  it('greets birthdays once a year with the points benefit, which makes no second notice', async () => {
    await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'points', birthdayPoints: 200 }).expect(200);
    const now = new Date();
    const today = businessDay(now, 'Asia/Shanghai');
    const member = await makeMember(t.ds, { homeStoreId: store.id, name: '寿星' });
    const other = await makeMember(t.ds, { homeStoreId: store.id });
    await t.ds.query(`UPDATE member SET birthday = $2 WHERE id = $1`, [member.id, `1990-${today.slice(5)}`]);
    await t.ds.query(`UPDATE member SET birthday = '1990-01-01', status = 'active' WHERE id = $1`, [other.id]);
    // Two instances running the job at once greet once and give the points once.
    const runs = await Promise.all([triggers.greetBirthdays(now), triggers.greetBirthdays(now)]);
    expect(runs[0].greeted + runs[1].greeted).toBeGreaterThanOrEqual(1);
    const again = await triggers.greetBirthdays(now);
    expect(again.greeted).toBe(0);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM birthday_greeting WHERE member_id = $1', [member.id])).toEqual([{ n: 1 }]);
    const msgs = await messagesOf(t, member.id);
    expect(msgs.map((m) => [m.event, m.data.benefitPoints])).toEqual([['member.birthday', 200]]);
    const [points] = await t.ds.query(`SELECT balance FROM account WHERE member_id = $1 AND kind = 'points'`, [member.id]);
    expect(Number(points.balance)).toBe(200);
    await drain(t);
    expect((await texts(member.id))[0].text).toBe('寿星，祝您生日快乐！已为您赠送200积分。');
    expect(await messagesOf(t, other.id)).toEqual([]);

    // 29 February is celebrated on 28 February of a common year.
    const leap = await makeMember(t.ds, { homeStoreId: store.id });
    await t.ds.query(`UPDATE member SET birthday = '2000-02-29' WHERE id = $1`, [leap.id]);
    await triggers.greetBirthdays(new Date('2027-02-28T04:00:00Z'));
    expect((await messagesOf(t, leap.id)).map((m) => m.event)).toEqual(['member.birthday']);
    await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'none' }).expect(200);
    await expectReconciled(t, owner.auth);
  });

  it('gives a birthday coupon as the benefit, once, even when the coupons’ own birthday job gives the same template', async () => {
    const template = await t.http
      .post('/api/coupon-templates')
      .set(owner.auth)
      .send({ name: '生日快乐券', kind: 'amount_off', amountOffFen: 2000, validityKind: 'relative', validDays: 30, autoIssue: ['birthday'] })
      .expect(201);
    await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'coupon', birthdayCouponTemplateId: template.body.id }).expect(200);
    const now = new Date('2030-05-20T03:00:00Z');
    const member = await makeMember(t.ds, { homeStoreId: store.id, name: '券寿星' });
    await t.ds.query(`UPDATE member SET birthday = '1992-05-20' WHERE id = $1`, [member.id]);
    const { CouponsService } = await import('../../../src/modules/coupons/coupons.service');
    await t.app.get(CouponsService).issueBirthdayCoupons(now);
    await Promise.all([triggers.greetBirthdays(now), triggers.greetBirthdays(now)]);
    const coupons = await t.ds.query(`SELECT id, source, source_ref FROM coupon WHERE member_id = $1`, [member.id]);
    expect(coupons).toEqual([{ id: expect.any(String), source: 'birthday', source_ref: '2030' }]);
    const [greeting] = await messagesOf(t, member.id);
    expect(greeting.data).toMatchObject({ couponName: '生日快乐券', benefitPoints: 0 });
    await drain(t);
    expect((await texts(member.id))[0].text).toBe('券寿星，祝您生日快乐！已为您送上「生日快乐券」，请在会员中心查看。');
    await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'none' }).expect(200);
    await t.http.patch(`/api/coupon-templates/${template.body.id}`).set(owner.auth).send({ status: 'disabled' }).expect(200);
  });

  it('reminds of coupons about to end, on the last valid day in words', async () => {
    const template = await t.http
      .post('/api/coupon-templates')
      .set(owner.auth)
      .send({ name: '满50减5', kind: 'threshold', thresholdFen: 5000, amountOffFen: 500, validityKind: 'relative', validDays: 2 })
      .expect(201);
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await t.http.post(`/api/members/${member.id}/coupons`).set(owner.auth).set('Idempotency-Key', idemKey()).send({ templateId: template.body.id, storeId: store.id }).expect(201);
    const now = new Date();
    const first = await triggers.remindExpiries(now);
    expect(first.coupons).toBeGreaterThanOrEqual(1);
    const reminder = (await messagesOf(t, member.id)).find((m) => m.event === 'coupon.expiring')!;
    const tomorrow = businessDay(new Date(now.getTime() + 86_400_000), 'Asia/Shanghai');
    expect(reminder.data).toMatchObject({ couponName: '满50减5', expiryDate: tomorrow, daysLeft: 1 });
    await triggers.remindExpiries(now);
    expect((await messagesOf(t, member.id)).filter((m) => m.event === 'coupon.expiring')).toHaveLength(1);
  });

  it('runs the daily jobs through the shared scheduler', async () => {
    const scheduler = t.app.get(JobScheduler);
    expect(scheduler.registered).toEqual(expect.arrayContaining(['notifications.birthdays', 'notifications.expiry-reminders']));
    const ran = await scheduler.tick(new Date('2031-06-01T03:00:00Z'));
    expect(ran.filter((r) => r.job.startsWith('notifications.'))).toEqual([
      { job: 'notifications.birthdays', period: '2031-06-01', status: 'done' },
      { job: 'notifications.expiry-reminders', period: '2031-06-01', status: 'done' },
    ]);
  });

  it('reminds of membership, points and coupons that expire soon, once each', async () => {
    const now = new Date();
    const today = businessDay(now, 'Asia/Shanghai');
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const later10 = await makeMember(t.ds, { homeStoreId: store.id });
    const plus = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    await t.ds.query('UPDATE member SET valid_until = $2 WHERE id = $1', [member.id, plus(5)]);
    await t.ds.query('UPDATE member SET valid_until = $2 WHERE id = $1', [later10.id, plus(10)]);
    notifications.registerReminderSource({
      event: 'coupon.expiring',
      dueBetween: async (_now, _until, after) => (after ? [] : [{ key: 'coupon-1', memberId: member.id, storeId: store.id, data: { couponName: '满100减20', expiryDate: plus(2), daysLeft: 2 } }]),
    });
    const first = await triggers.remindExpiries(now);
    expect(first).toMatchObject({ membership: 1, coupons: 1 });
    expect(await triggers.remindExpiries(now)).toMatchObject({ membership: 0, coupons: 0 });
    expect((await messagesOf(t, member.id)).map((m) => [m.event, m.data.daysLeft])).toEqual([
      ['membership.expiring', 5],
      ['coupon.expiring', 2],
    ]);
    expect(await messagesOf(t, later10.id)).toEqual([]);

    // Points earned this year lapse at the end of next year; in mid-December next year the reminder goes out.
    const holder = await makeMember(t.ds, { homeStoreId: store.id });
    await giveBalance(t.ds, holder.id, [{ kind: 'points', amount: 300 }]);
    const year = Number(today.slice(0, 4));
    expect((await triggers.remindExpiries(new Date(`${year + 1}-11-01T02:00:00Z`))).points).toBe(0);
    const december = await triggers.remindExpiries(new Date(`${year + 1}-12-15T02:00:00Z`));
    expect(december.points).toBeGreaterThanOrEqual(1);
    const reminder = (await messagesOf(t, holder.id)).find((m) => m.event === 'points.expiring')!;
    expect(reminder.data).toMatchObject({ points: 300, expiryDate: `${year + 1}-12-31`, daysLeft: 16, year });
    await drain(t);
    expect((await texts(holder.id)).find((x) => x.event === 'points.expiring')!.text).toContain(`您有300积分将于${year + 1}-12-31过期`);
  });

  it('gives bookings their confirmation now and their reminder at its time, unless cancelled', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const now = new Date();
    const start = later(now, 3 * 3600_000);
    const data = { serviceName: '洗剪吹', startAt: start.toISOString(), staffName: '赵技师' };
    await t.ds.transaction(async (m) => {
      await notifications.enqueue(m, { event: 'booking.confirmed', memberId: member.id, storeId: store.id, data, dedupeKey: 'booking:b1:confirmed' });
      await notifications.enqueue(m, { event: 'booking.reminder', memberId: member.id, storeId: store.id, data, dedupeKey: 'booking:b1:reminder', sendAt: later(start, -2 * 3600_000) });
      await notifications.enqueue(m, { event: 'booking.reminder', memberId: member.id, storeId: store.id, data, dedupeKey: 'booking:b2:reminder', sendAt: later(start, -2 * 3600_000) });
    });
    await drain(t, later(now, 1000));
    expect((await messagesOf(t, member.id)).map((m) => [m.event, m.status])).toEqual([
      ['booking.confirmed', 'sent'],
      ['booking.reminder', 'pending'],
      ['booking.reminder', 'pending'],
    ]);
    expect(await t.ds.transaction((m) => notifications.cancel(m, 'booking:b2:reminder'))).toBe(true);
    await drain(t, later(now, 3600_000 + 1000));
    const msgs = await messagesOf(t, member.id);
    expect(msgs.map((m) => m.status)).toEqual(['sent', 'sent', 'cancelled']);
    const [confirmed] = await texts(member.id);
    expect(confirmed.text).toMatch(/已成功预约人民广场店的洗剪吹，时间：\d{4}-\d{2}-\d{2} \d{2}:\d{2}。/);
  });

  it('forgets a member’s addresses, consents and message texts when the member’s data is deleted', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const me = await memberSession(t, member.id);
    await t.http.put('/api/me/notification-preferences').set(me).send({ email: 'gone@example.com', optOuts: [{ channel: 'email', kind: 'points' }] }).expect(200);
    await t.ds.transaction((m) => notifications.recordWechatOpenId(m, member.id, 'o-gone'));
    await topUp(t, cashier.auth, member.id, store.id, 1000);
    await drain(t);
    await post(`/api/members/${member.id}/points/adjustments`, { storeId: store.id, points: 10, reason: '补录' }, owner.auth).expect(201);
    await post(`/api/wallet/top-ups/${(await t.ds.query('SELECT id FROM wallet_top_up WHERE member_id = $1', [member.id]))[0].id}/refund`, { reason: '注销前退款' }).expect(200);
    await t.http.post(`/api/members/${member.id}/anonymise`).set(owner.auth).send({ reason: '会员申请注销', forfeitBonusAndPoints: true }).expect(200);
    expect(await t.ds.query('SELECT * FROM notification_address WHERE member_id = $1', [member.id])).toEqual([]);
    expect(await t.ds.query('SELECT * FROM notification_opt_out WHERE member_id = $1', [member.id])).toEqual([]);
    const msgs = await t.ds.query('SELECT status, content FROM notification_message WHERE member_id = $1 ORDER BY created_at', [member.id]);
    expect(msgs.every((m: { content: unknown }) => m.content === null)).toBe(true);
    expect(msgs.map((m: { status: string }) => m.status)).toEqual(['sent', 'cancelled', 'cancelled']);
    await expectReconciled(t, owner.auth);
  });
});
