import { startWechatSim, type WechatSim } from '@chaincard/wechat-sim';
import { NotificationsService } from '../../../src/modules/notifications/notifications.service';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { drain, history, memberSession, messagesOf, putTemplate, TOP_UP_SMS, topUp } from './support';

const APP = { appid: 'wx5f8a2c7d9e1b3a40', secret: '5d1c9a7e3b2f4a6c8e0d1f3a5b7c9e1d' };

/**
 * Subscribe messages against the project's WeChat simulator, which keeps its own count of the
 * user's consents and checks every keyword value as WeChat does (47003 otherwise).
 */
describe('WeChat subscribe messages through the local WeChat simulator', () => {
  let sim: WechatSim;
  let t: TestApp;
  let store: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let notifications: NotificationsService;

  beforeAll(async () => {
    sim = await startWechatSim({
      port: 0,
      seed: 'notifications',
      log: () => undefined,
      apps: [{ ...APP, templates: [{ templateId: 'tmpl-balance', title: '储值余额变动提醒', keywords: ['amount1', 'amount2', 'thing3', 'time4'] }] }],
    });
    t = await createTestApp({ WECHAT_API_BASE: sim.baseUrl, WECHAT_APP_ID: APP.appid, WECHAT_APP_SECRET: APP.secret, WECHAT_MINIPROGRAM_STATE: 'trial' });
    store = await makeStore(t.ds, { name: '上海人民广场店会员储值中心旗舰店' });
    owner = await signedIn(t.ds, t.http, 'owner');
    await openShift(t.http, owner, store.id);
    notifications = t.app.get(NotificationsService);
    await putTemplate(t, owner.auth, {
      event: 'wallet.top_up',
      channel: 'wechat',
      externalId: 'tmpl-balance',
      page: 'pages/wallet/index',
      fields: [
        { name: 'amount1', value: '{{amountYuan}}元' },
        { name: 'amount2', value: '{{balanceYuan}}元' },
        // Longer than WeChat's 20 characters for thing: cut to fit.
        { name: 'thing3', value: '{{storeName}}（{{chainName}}）' },
        { name: 'time4', value: '{{time}}' },
      ],
    });
    await putTemplate(t, owner.auth, TOP_UP_SMS);
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  /** The member signs in through WeChat and accepts the template in requestSubscribeMessage: WeChat and the API both learn it. */
  const subscribedMember = async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const user = sim.control.createUser({ appid: APP.appid, phone: member.phone });
    await t.ds.transaction((m) => notifications.recordWechatOpenId(m, member.id, user.openid));
    const choice = sim.control.subscribe(user.openid, { templateIds: ['tmpl-balance'] });
    const results = Object.entries(choice)
      .filter(([k]) => k !== 'errMsg')
      .map(([templateId, status]) => ({ templateId, status }));
    await t.http.post('/api/me/subscriptions').set(await memberSession(t, member.id)).send({ results }).expect(200);
    return { member, openid: user.openid };
  };

  it('delivers a top-up notice that WeChat accepts, using the member’s one consent', async () => {
    const { member, openid } = await subscribedMember();
    await topUp(t, owner.auth, member.id, store.id, 25000);
    await drain(t);
    const [msg] = await messagesOf(t, member.id);
    expect(msg).toMatchObject({ status: 'sent', channel: 'wechat' });
    const sent = sim.control.messages({ openid, sentOnly: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ templateId: 'tmpl-balance', page: 'pages/wallet/index', miniprogramState: 'trial', lang: 'zh_CN' });
    const data = sent[0].data as Record<string, { value: string }>;
    expect(data.amount1.value).toBe('250.00元');
    expect([...data.thing3.value]).toHaveLength(20);
    const [row] = await t.ds.query('SELECT provider_message_id FROM notification_message WHERE id = $1', [msg.id]);
    expect(row.provider_message_id).toBe(String(sent[0].msgid));
  });

  it('sends the next notice by SMS once the consent is used up, and believes WeChat over its own count', async () => {
    const { member, openid } = await subscribedMember();
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    expect((await messagesOf(t, member.id)).map((m) => m.channel)).toEqual(['wechat', 'sms']);

    // Our count says one consent is left, WeChat's says none (e.g. used from another device): 43101.
    await t.ds.query(`UPDATE wechat_subscription SET remaining = 1 WHERE member_id = $1`, [member.id]);
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    const third = (await messagesOf(t, member.id))[2];
    expect(third).toMatchObject({ status: 'sent', channel: 'sms' });
    expect((await history(t, third.id)).map((h) => `${h.channel}:${h.outcome}`)).toEqual(['wechat:rejected', 'sms:sent']);
    expect(sim.control.messages({ openid }).map((m) => m.errcode)).toEqual([0, 43101]);
    const [{ remaining }] = await t.ds.query('SELECT sum(remaining)::int AS remaining FROM wechat_subscription WHERE member_id = $1', [member.id]);
    expect(remaining).toBe(0);
  });

  it('gets a new access token when WeChat has expired the one it holds', async () => {
    const { member, openid } = await subscribedMember();
    sim.control.expireTokens({ appid: APP.appid });
    await topUp(t, owner.auth, member.id, store.id, 1000);
    await drain(t);
    expect((await messagesOf(t, member.id))[0]).toMatchObject({ status: 'sent', channel: 'wechat' });
    expect(sim.control.messages({ openid, sentOnly: true })).toHaveLength(1);
  });
});
