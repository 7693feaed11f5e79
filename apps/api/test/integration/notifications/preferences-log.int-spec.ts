import { randomUUID } from 'node:crypto';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { drain, history, memberSession, messagesOf, putTemplate, TOP_UP_EMAIL, TOP_UP_SMS, topUp } from './support';

describe('notification preferences, templates, settings and the message log', () => {
  let t: TestApp;
  let storeA: { id: string; name: string };
  let storeB: { id: string; name: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let managerA: Awaited<ReturnType<typeof signedIn>>;
  let cashierA: Awaited<ReturnType<typeof signedIn>>;
  let managerB: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    // SMS through the log provider, e-mail into the log: nothing leaves the machine.
    t = await createTestApp();
    storeA = await makeStore(t.ds, { name: '甲店' });
    storeB = await makeStore(t.ds, { name: '乙店' });
    owner = await signedIn(t.ds, t.http, 'owner');
    managerA = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    managerB = await signedIn(t.ds, t.http, 'store_manager', [storeB.id]);
    await openShift(t.http, cashierA, storeA.id);
    await openShift(t.http, owner, storeB.id);
  });
  afterAll(() => t.close());

  it('lists the events with their variables, and lets only HQ set templates, checked against them', async () => {
    const events = await t.http.get('/api/notifications/events').set(managerA.auth).expect(200);
    expect(events.body.map((e: { event: string }) => e.event)).toEqual(
      expect.arrayContaining(['wallet.top_up', 'wallet.spend', 'wallet.refund', 'points.changed', 'member.birthday', 'membership.expiring', 'points.expiring', 'coupon.expiring', 'booking.confirmed', 'booking.reminder']),
    );
    expect(events.body.find((e: { event: string }) => e.event === 'wallet.top_up').variables).toEqual(expect.arrayContaining([{ name: 'amountYuan', description: expect.any(String) }]));

    await t.http.put('/api/notifications/templates').set(managerA.auth).send({ ...TOP_UP_SMS, enabled: true }).expect(403);
    const bad = await t.http
      .put('/api/notifications/templates')
      .set(owner.auth)
      .send({ event: 'wallet.top_up', channel: 'wechat', enabled: true, fields: [{ name: 'colour1', value: '{{amountYuan}}' }, { name: 'thing2', value: '{{pointsBalance}}' }], body: '{{nope}}' })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body', 'externalId', 'fields[0].name', 'fields[1].value']);
    const unknownEvent = await t.http.put('/api/notifications/templates').set(owner.auth).send({ event: 'order.paid', channel: 'sms', enabled: true }).expect(400);
    expect(unknownEvent.body.error.details[0].field).toBe('event');

    await putTemplate(t, owner.auth, TOP_UP_SMS);
    await putTemplate(t, owner.auth, { ...TOP_UP_EMAIL, subject: '{{chainName}} 充值成功' });
    await putTemplate(t, owner.auth, { ...TOP_UP_SMS, externalId: 'SMS_TOPUP_2' });
    const list = await t.http.get('/api/notifications/templates').set(cashierA.auth).expect(403);
    expect(list.body.error.code).toBe('FORBIDDEN');
    const templates = await t.http.get('/api/notifications/templates').set(managerA.auth).expect(200);
    expect(templates.body).toEqual([
      expect.objectContaining({ event: 'wallet.top_up', channel: 'email', subject: '{{chainName}} 充值成功' }),
      expect.objectContaining({ event: 'wallet.top_up', channel: 'sms', externalId: 'SMS_TOPUP_2', fields: TOP_UP_SMS.fields }),
    ]);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'notification.template.put' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ before: { externalId: 'SMS_TOPUP' }, after: { externalId: 'SMS_TOPUP_2' } });
  });

  it('keeps the settings for HQ and refuses a benefit this deployment cannot give', async () => {
    const s = await t.http.get('/api/notifications/settings').set(managerA.auth).expect(200);
    expect(s.body).toMatchObject({ channelOrder: ['wechat', 'sms', 'email'], birthdayBenefit: 'none', membershipExpiryDays: 7, pointsExpiryDays: 30, couponExpiryDays: 3, availableBirthdayBenefits: ['none', 'points', 'coupon'] });
    await t.http.patch('/api/notifications/settings').set(managerA.auth).send({ birthdayBenefit: 'points', birthdayPoints: 100 }).expect(403);
    const coupon = await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'coupon', birthdayCouponTemplateId: randomUUID() }).expect(400);
    expect(coupon.body.error.details).toEqual([{ field: 'birthdayCouponTemplateId', errors: ['no such coupon template'] }]);
    const noTemplate = await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'coupon' }).expect(400);
    expect(noTemplate.body.error.details[0].field).toBe('birthdayCouponTemplateId');
    const zero = await t.http.patch('/api/notifications/settings').set(owner.auth).send({ birthdayBenefit: 'points' }).expect(400);
    expect(zero.body.error.details[0].field).toBe('birthdayPoints');
    const invalid = await t.http.patch('/api/notifications/settings').set(owner.auth).send({ channelOrder: ['sms', 'sms'], pointsExpiryDays: 400 }).expect(400);
    expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['channelOrder', 'pointsExpiryDays']);
    const ok = await t.http.patch('/api/notifications/settings').set(owner.auth).send({ channelOrder: ['email', 'sms'], birthdayBenefit: 'points', birthdayPoints: 200 }).expect(200);
    expect(ok.body).toMatchObject({ channelOrder: ['email', 'sms'], birthdayBenefit: 'points', birthdayPoints: 200 });
    await t.http.patch('/api/notifications/settings').set(owner.auth).send({ channelOrder: ['wechat', 'sms', 'email'] }).expect(200);
  });

  it('lets a member and the staff set e-mail and opt-outs, audited, and the worker respects them', async () => {
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    const me = await memberSession(t, member.id);
    const mine = await t.http.get('/api/me/notification-preferences').set(me).expect(200);
    expect(mine.body).toEqual({ email: null, wechatBound: false, optOuts: [] });
    const bad = await t.http.put('/api/me/notification-preferences').set(me).send({ email: 'not-an-address', optOuts: [{ channel: 'fax', kind: 'balance' }] }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'optOuts[0].channel']);
    await t.http.get('/api/me/notification-preferences').set(owner.auth).expect(403);

    // Opted out of SMS for balance notices: the top-up notice goes by e-mail once the member gives one.
    await t.http.put('/api/me/notification-preferences').set(me).send({ optOuts: [{ channel: 'sms', kind: 'balance' }] }).expect(200);
    await topUp(t, cashierA.auth, member.id, storeA.id, 1000);
    await drain(t);
    const [first] = await messagesOf(t, member.id);
    expect(first).toMatchObject({ status: 'skipped', skip_reason: expect.stringContaining('sms: the member opted out') });

    const staffSet = await t.http.put(`/api/members/${member.id}/notification-preferences`).set(cashierA.auth).send({ email: 'li@example.com' }).expect(200);
    expect(staffSet.body).toEqual({ email: 'li@example.com', wechatBound: false, optOuts: [{ channel: 'sms', kind: 'balance' }] });
    const [audit] = await t.ds.query(`SELECT actor_kind, before, after FROM audit_log WHERE action = 'notification.preferences.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [member.id]);
    expect(audit).toEqual({ actor_kind: 'staff', before: { email: null }, after: { email: 'set' } });
    await topUp(t, cashierA.auth, member.id, storeA.id, 1000);
    await drain(t);
    const [, second] = await messagesOf(t, member.id);
    expect(second).toMatchObject({ status: 'sent', channel: 'email' });

    // Everything off: nothing goes out, and the log says why.
    await t.http.put(`/api/members/${member.id}/notification-preferences`).set(managerA.auth).send({ optOuts: [{ channel: 'all', kind: 'all' }] }).expect(200);
    await topUp(t, cashierA.auth, member.id, storeA.id, 1000);
    await drain(t);
    const [, , third] = await messagesOf(t, member.id);
    expect(third.status).toBe('skipped');
    expect((await history(t, third.id)).map((h) => `${h.channel}:${h.outcome}:${h.detail}`)).toEqual(['sms:skipped:the member opted out', 'email:skipped:the member opted out']);
    await t.http.get(`/api/members/${randomUUID()}/notification-preferences`).set(managerA.auth).expect(404);
  });

  it('records WeChat consents from requestSubscribeMessage: accepts of the chain’s templates only', async () => {
    await t.http.put('/api/notifications/templates').set(owner.auth).send({ event: 'points.changed', channel: 'wechat', enabled: true, externalId: 'tmpl-points', fields: [{ name: 'number1', value: '{{pointsChange}}' }] }).expect(200);
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    const me = await memberSession(t, member.id);
    const before = await t.http.get('/api/me/subscriptions').set(me).expect(200);
    expect(before.body).toEqual({ templates: [{ event: 'points.changed', eventName: '积分变动', templateId: 'tmpl-points', remaining: 0 }] });
    const res = await t.http
      .post('/api/me/subscriptions')
      .set(me)
      .send({ results: [{ templateId: 'tmpl-points', status: 'accept' }, { templateId: 'tmpl-points', status: 'accept' }, { templateId: 'tmpl-points', status: 'reject' }, { templateId: 'tmpl-other', status: 'accept' }] })
      .expect(200);
    expect(res.body.templates).toEqual([expect.objectContaining({ templateId: 'tmpl-points', remaining: 2 })]);
    await t.http.post('/api/me/subscriptions').set(me).send({ results: [{ templateId: 'tmpl-points', status: 'maybe' }] }).expect(400);
    await t.http.post('/api/me/subscriptions').set(me).send({ results: [] }).expect(400);
    // Concurrent accepts are all counted.
    await Promise.all(Array.from({ length: 5 }, () => t.http.post('/api/me/subscriptions').set(me).send({ results: [{ templateId: 'tmpl-points', status: 'accept' }] }).expect(200)));
    const after = await t.http.get('/api/me/subscriptions').set(me).expect(200);
    expect(after.body.templates[0].remaining).toBe(7);
    await t.http.put('/api/notifications/templates').set(owner.auth).send({ event: 'points.changed', channel: 'wechat', enabled: false, externalId: 'tmpl-points', fields: [{ name: 'number1', value: '{{pointsChange}}' }] }).expect(200);
  });

  it('searches the log by member, channel, status, event and period, each store seeing its own', async () => {
    const a = await makeMember(t.ds, { homeStoreId: storeA.id });
    const b = await makeMember(t.ds, { homeStoreId: storeB.id });
    const start = (await t.ds.query('SELECT now() AS now'))[0].now.toISOString();
    await topUp(t, cashierA.auth, a.id, storeA.id, 2000);
    await topUp(t, owner.auth, b.id, storeB.id, 3000);
    await drain(t);
    const mine = await t.http.get('/api/notifications/messages').query({ from: start }).set(managerA.auth).expect(200);
    expect(mine.body.items.map((m: { memberId: string }) => m.memberId)).toEqual([a.id]);
    expect(mine.body.items[0]).toMatchObject({
      event: 'wallet.top_up',
      eventName: '充值成功',
      status: 'sent',
      channel: 'sms',
      provider: 'log',
      storeName: '甲店',
      memberName: expect.any(String),
      content: expect.objectContaining({ channel: 'sms', text: expect.stringContaining('充值20.00元') }),
    });
    const all = await t.http.get('/api/notifications/messages').query({ from: start, channel: 'sms', status: 'sent', event: 'wallet.top_up' }).set(owner.auth).expect(200);
    expect(all.body.items.map((m: { memberId: string }) => m.memberId).sort()).toEqual([a.id, b.id].sort());
    const byMember = await t.http.get('/api/notifications/messages').query({ memberId: b.id }).set(owner.auth).expect(200);
    expect(byMember.body.total).toBe(1);
    const none = await t.http.get('/api/notifications/messages').query({ from: start, status: 'failed' }).set(owner.auth).expect(200);
    expect(none.body.total).toBe(0);
    const future = await t.http.get('/api/notifications/messages').query({ from: new Date(Date.now() + 60_000).toISOString() }).set(owner.auth).expect(200);
    expect(future.body.total).toBe(0);
    const bMsg = byMember.body.items[0].id;
    await t.http.get(`/api/notifications/messages/${bMsg}`).set(managerA.auth).expect(404);
    const detail = await t.http.get(`/api/notifications/messages/${bMsg}`).set(managerB.auth).expect(200);
    expect(detail.body.history.map((h: { channel: string; outcome: string }) => `${h.channel}:${h.outcome}`)).toEqual(['sms:sent']);
    await t.http.get('/api/notifications/messages').query({ storeId: storeB.id }).set(managerA.auth).expect(404);
    await t.http.get('/api/notifications/messages').set(cashierA.auth).expect(403);
    const badQuery = await t.http.get('/api/notifications/messages').query({ channel: 'fax', status: 'lost' }).set(owner.auth).expect(400);
    expect(badQuery.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['channel', 'status']);
  });
});
