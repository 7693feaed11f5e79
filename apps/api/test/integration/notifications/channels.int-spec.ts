import { SmsChannel } from '../../../src/modules/notifications/channels/sms.channel';
import { AliyunSmsProvider } from '../../../src/modules/notifications/channels/sms/aliyun-sms.provider';
import { TencentSmsProvider } from '../../../src/modules/notifications/channels/sms/tencent-sms.provider';
import { SimulatedCrash } from '../../../src/modules/notifications/notification.worker';
import { NotificationsService } from '../../../src/modules/notifications/notifications.service';
import { makeMember, makeStore, openShift, signedIn, type MemberRow } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { startFakeAliyun, startFakeTencent, startFakeWechat, startSmtp, type FakeAliyun, type FakeSmtp, type FakeTencent, type FakeWechat } from './fakes';
import { drain, history, KEYS, later, memberSession, messagesOf, putTemplate, TOP_UP_EMAIL, TOP_UP_SMS, TOP_UP_WECHAT, topUp, worker } from './support';

describe('notification channels against local fakes of the providers', () => {
  let t: TestApp;
  let aliyun: FakeAliyun;
  let tencent: FakeTencent;
  let wechat: FakeWechat;
  let smtp: FakeSmtp;
  let store: { id: string; name: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let notifications: NotificationsService;
  let aliyunChannel: SmsChannel;

  beforeAll(async () => {
    [aliyun, tencent, wechat, smtp] = await Promise.all([startFakeAliyun(KEYS.aliyun), startFakeTencent(KEYS.tencent), startFakeWechat(KEYS.wechat), startSmtp()]);
    t = await createTestApp({
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ENDPOINT: aliyun.url,
      ALIYUN_ACCESS_KEY_ID: KEYS.aliyun.accessKeyId,
      ALIYUN_ACCESS_KEY_SECRET: KEYS.aliyun.accessKeySecret,
      SMS_SIGN_NAME: '悦茶',
      WECHAT_API_BASE: wechat.url,
      WECHAT_APP_ID: KEYS.wechat.appId,
      WECHAT_APP_SECRET: KEYS.wechat.secret,
      SMTP_URL: smtp.url,
      MAIL_FROM: '悦茶会员 <member@yuecha.example>',
    });
    store = await makeStore(t.ds, { name: '人民广场店' });
    owner = await signedIn(t.ds, t.http, 'owner');
    await openShift(t.http, owner, store.id);
    notifications = t.app.get(NotificationsService);
    aliyunChannel = worker(t).channel('sms') as SmsChannel;
    await putTemplate(t, owner.auth, TOP_UP_WECHAT);
    await putTemplate(t, owner.auth, TOP_UP_SMS);
    await putTemplate(t, owner.auth, TOP_UP_EMAIL);
  });
  afterEach(() => {
    worker(t).faults = {};
    worker(t).useChannel(aliyunChannel);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([aliyun.close(), tencent.close(), wechat.close(), smtp.close()]);
  });

  const withOpenId = async (member: MemberRow, consents = 0) => {
    await t.ds.transaction((m) => notifications.recordWechatOpenId(m, member.id, `o-${member.id}`));
    if (consents) {
      const auth = await memberSession(t, member.id);
      const res = await t.http
        .post('/api/me/subscriptions')
        .set(auth)
        .send({ results: Array.from({ length: consents }, () => ({ templateId: 'tmpl-top-up', status: 'accept' })) })
        .expect(200);
      expect(res.body.templates).toEqual([{ event: 'wallet.top_up', eventName: '充值成功', templateId: 'tmpl-top-up', remaining: consents }]);
    }
  };
  const consentsLeft = async (memberId: string) => Number((await t.ds.query('SELECT COALESCE(sum(remaining), 0) AS n FROM wechat_subscription WHERE member_id = $1', [memberId]))[0].n);

  it('signs Aliyun SMS as Aliyun checks it, with the template, its parameters and our message id as OutId', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, owner.auth, member.id, store.id, 12345);
    await drain(t);
    const [msg] = await messagesOf(t, member.id);
    expect(msg).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(aliyun.refused).toEqual([]);
    expect(aliyun.sends.find((s) => s.outId === msg.id)).toMatchObject({ phone: member.phone, signName: '悦茶', templateCode: 'SMS_TOPUP', params: { amount: '123.45', balance: '123.45' } });
    const [row] = await t.ds.query('SELECT provider, provider_message_id, provider_response FROM notification_message WHERE id = $1', [msg.id]);
    expect(row).toMatchObject({ provider: 'aliyun', provider_message_id: expect.stringContaining('^'), provider_response: expect.objectContaining({ Code: 'OK' }) });
  });

  it('refuses a request signed with the wrong secret, and records the provider’s answer', async () => {
    worker(t).useChannel(new SmsChannel(new AliyunSmsProvider({ endpoint: aliyun.url, accessKeyId: KEYS.aliyun.accessKeyId, accessKeySecret: 'not-the-secret' }), '悦茶'));
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    expect(aliyun.refused).toContain('SignatureDoesNotMatch');
    const [msg] = await messagesOf(t, member.id);
    // No e-mail address either: the configuration error is what the log shows.
    expect(msg).toMatchObject({ status: 'failed', last_error: expect.stringContaining('SignatureDoesNotMatch') });
    aliyun.refused.length = 0;
  });

  it('signs Tencent Cloud SMS (TC3-HMAC-SHA256) as Tencent checks it, with the message id as SessionContext', async () => {
    worker(t).useChannel(new SmsChannel(new TencentSmsProvider({ endpoint: tencent.url, ...KEYS.tencent, region: 'ap-guangzhou' }), '悦茶'));
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, owner.auth, member.id, store.id, 5000);
    await drain(t);
    const [msg] = await messagesOf(t, member.id);
    expect(msg).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(tencent.refused).toEqual([]);
    expect(tencent.sends).toEqual([{ phone: `+86${member.phone}`, templateId: 'SMS_TOPUP', params: ['50.00', '50.00'], signName: '悦茶', sessionContext: msg.id, serialNo: '2433:1' }]);
    const [row] = await t.ds.query('SELECT provider, provider_message_id FROM notification_message WHERE id = $1', [msg.id]);
    expect(row).toEqual({ provider: 'tencent', provider_message_id: '2433:1' });
  });

  it('waits for Tencent’s delivery receipt before sending an interrupted SMS again, and finds it', async () => {
    worker(t).useChannel(new SmsChannel(new TencentSmsProvider({ endpoint: tencent.url, ...KEYS.tencent, region: 'ap-guangzhou' }), '悦茶'));
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, owner.auth, member.id, store.id, 6000);
    const [msg] = await messagesOf(t, member.id);
    const t0 = new Date();
    worker(t).faults.afterSend = () => {
      throw new SimulatedCrash();
    };
    await drain(t, t0);
    worker(t).faults = {};
    tencent.receiptsVisible = false;
    // After the lease, the receipt is not there yet: within the settle time the message waits.
    expect(await worker(t).runOnce(later(t0, 61_000))).toMatchObject({ claimed: 1, waiting: 1 });
    expect(await messagesOf(t, member.id)).toEqual([expect.objectContaining({ status: 'pending', inflight_channel: 'sms' })]);
    tencent.receiptsVisible = true;
    expect(await worker(t).runOnce(later(t0, 125_000))).toMatchObject({ recovered: 1 });
    expect(tencent.sends.filter((s) => s.sessionContext === msg.id)).toHaveLength(1);
  });

  it('delivers e-mail over SMTP with our message id as Message-ID, and treats a refused address as unreachable', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id, phone: '13700000077' });
    const auth = await memberSession(t, member.id);
    await t.http.put('/api/me/notification-preferences').set(auth).send({ email: 'zhang@example.com', optOuts: [{ channel: 'sms', kind: 'balance' }] }).expect(200);
    await topUp(t, owner.auth, member.id, store.id, 8800);
    await drain(t);
    const [msg] = await messagesOf(t, member.id);
    expect(msg).toMatchObject({ status: 'sent', channel: 'email' });
    const mail = smtp.mails.find((m) => m.to.includes('zhang@example.com'))!;
    expect(mail.from).toBe('member@yuecha.example');
    expect(mail.raw).toContain(`Message-ID: <${msg.id}@chaincard>`);
    expect(mail.raw).toMatch(/Subject: =\?UTF-8\?/);
    expect(mailText(mail.raw)).toContain('充值88.00元');
    expect((await history(t, msg.id)).map((h) => `${h.channel}:${h.outcome}`)).toEqual(['wechat:skipped', 'sms:skipped', 'email:sent']);

    smtp.refuse.add('nobody@example.com');
    await t.http.put('/api/me/notification-preferences').set(auth).send({ email: 'nobody@example.com' }).expect(200);
    await topUp(t, owner.auth, member.id, store.id, 100);
    await drain(t);
    const [, second] = await messagesOf(t, member.id);
    expect(second).toMatchObject({ status: 'skipped', skip_reason: expect.stringMatching(/email: .*550 No such user/) });
  });

  it('sends WeChat subscribe messages with one cached access token, taking one consent per message', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await withOpenId(member, 2);
    const tokenCalls = wechat.tokenCalls.length;
    await topUp(t, owner.auth, member.id, store.id, 10000);
    await topUp(t, owner.auth, member.id, store.id, 2000);
    await drain(t);
    const sent = wechat.sends.filter((s) => s.touser === `o-${member.id}`);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      template_id: 'tmpl-top-up',
      page: 'pages/wallet/index',
      miniprogram_state: 'formal',
      data: { amount1: { value: '100.00元' }, amount2: { value: '100.00元' }, thing3: { value: '人民广场店' }, time4: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) } },
    });
    expect(sent[1].data.amount2.value).toBe('120.00元');
    expect(wechat.tokenCalls.length - tokenCalls).toBeLessThanOrEqual(1);
    expect(await consentsLeft(member.id)).toBe(0);
    const msgs = await messagesOf(t, member.id);
    expect(msgs.map((m) => `${m.channel}:${m.status}`)).toEqual(['wechat:sent', 'wechat:sent']);
    const [row] = await t.ds.query('SELECT provider_message_id FROM notification_message WHERE id = $1', [msgs[0].id]);
    expect(row.provider_message_id).toMatch(/^30000000\d+$/);
  });

  it('falls back to SMS when the member has no consent left, or WeChat says 43101 (not subscribed)', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await withOpenId(member, 0);
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    const [first] = await messagesOf(t, member.id);
    expect(first).toMatchObject({ status: 'sent', channel: 'sms' });
    expect((await history(t, first.id))[0]).toMatchObject({ channel: 'wechat', outcome: 'skipped', detail: expect.stringContaining('no subscribe-message consent') });

    await t.ds.query(`INSERT INTO wechat_subscription (member_id, template_id, remaining, accepted_total) VALUES ($1, 'tmpl-top-up', 3, 3)`, [member.id]);
    wechat.unsubscribed.add(`o-${member.id}`);
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    const [, second] = await messagesOf(t, member.id);
    expect(second).toMatchObject({ status: 'sent', channel: 'sms' });
    expect((await history(t, second.id)).map((h) => `${h.channel}:${h.outcome}`)).toEqual(['wechat:rejected', 'sms:sent']);
    // WeChat knows best: our count of consents is dropped.
    expect(await consentsLeft(member.id)).toBe(0);
    wechat.unsubscribed.delete(`o-${member.id}`);
  });

  it('gets a new access token when WeChat refuses the cached one (40001, 42001) and sends once', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await withOpenId(member, 2);
    wechat.invalidateToken();
    let calls = wechat.tokenCalls.length;
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    expect(wechat.tokenCalls.slice(calls)).toEqual([{ force: false }]);
    expect(wechat.sends.filter((s) => s.touser === `o-${member.id}`)).toHaveLength(1);

    // An expired token that stable_token keeps handing out: only then force_refresh.
    wechat.expireTokenStickily();
    calls = wechat.tokenCalls.length;
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    expect(wechat.tokenCalls.slice(calls)).toEqual([{ force: false }, { force: true }]);
    expect(wechat.sends.filter((s) => s.touser === `o-${member.id}`)).toHaveLength(2);
    expect((await messagesOf(t, member.id)).map((m) => `${m.channel}:${m.status}`)).toEqual(['wechat:sent', 'wechat:sent']);
  });

  it('tries again later when WeChat is busy (-1), giving the consent back meanwhile', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await withOpenId(member, 1);
    await topUp(t, owner.auth, member.id, store.id, 1000);
    wechat.failNext(-1);
    const t0 = new Date();
    expect(await worker(t).runOnce(t0)).toMatchObject({ retried: 1 });
    const [msg] = await messagesOf(t, member.id);
    expect(msg).toMatchObject({ status: 'pending', channel: 'wechat', inflight_channel: null, last_error: expect.stringContaining('-1') });
    expect(await consentsLeft(member.id)).toBe(1);
    await drain(t, later(t0, 60_000));
    expect((await messagesOf(t, member.id))[0]).toMatchObject({ status: 'sent', channel: 'wechat' });
    expect(await consentsLeft(member.id)).toBe(0);
  });
});

/** The text body of a single-part message as nodemailer encodes it (base64 or quoted-printable). */
function mailText(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n');
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  const bytes: number[] = [];
  const qp = body.replace(/=\r?\n/g, '');
  for (let i = 0; i < qp.length; i++) {
    if (qp[i] === '=' && /^[0-9A-F]{2}$/i.test(qp.slice(i + 1, i + 3))) {
      bytes.push(parseInt(qp.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(qp[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
