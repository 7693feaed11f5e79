import { randomUUID } from 'node:crypto';
import { RECONCILE_CHECKS } from '../../../src/modules/ledger/reconcile.service';
import { makeMember, makeStore, signedIn, type Session } from '../../factories';
import { APPID, BALANCE_TEMPLATE, eventually, wechatWorld, type WechatWorld } from '../../support/wechat-world';
import { drain, putTemplate } from '../notifications/support';

/**
 * A member of the mini-program end to end against the WeChat simulator: sign-in with a wx.login
 * code, joining through a store's QR code, binding the phone number, and topping up with WeChat Pay
 * — credited exactly once, with the bonus rule, whatever the notifications do.
 */
describe('WeChat member journey: sign-in, store QR, top-up', () => {
  let w: WechatWorld;
  let store: { id: string; code: string };
  let owner: Session;

  beforeAll(async () => {
    w = await wechatWorld();
    store = await makeStore(w.t.ds, { code: 'SH001', name: '上海人民广场店' });
    owner = await signedIn(w.t.ds, w.t.http, 'owner');
    await w.t.ds.query(`INSERT INTO wallet_bonus_rule (name, threshold_fen, bonus_fen) VALUES ('充100送20', 10000, 2000)`);
    // The balance notice of a top-up goes out as a WeChat subscribe message (notifications capability).
    await putTemplate(w.t, owner.auth, {
      event: 'wallet.top_up',
      channel: 'wechat',
      externalId: BALANCE_TEMPLATE,
      page: 'pages/wallet/index',
      fields: [
        { name: 'amount1', value: '{{amountYuan}}元' },
        { name: 'amount2', value: '{{balanceYuan}}元' },
        { name: 'thing3', value: '{{storeName}}' },
        { name: 'time4', value: '{{time}}' },
      ],
    });
  });
  afterAll(() => w.close());

  const key = () => ({ 'Idempotency-Key': `k-${randomUUID()}` });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function signIn(scene?: string, openid?: string) {
    const { code, openid: id } = w.sim.control.wxLogin({ appid: APPID, openid });
    const res = await w.t.http.post('/api/auth/wechat/login').send(scene ? { code, scene } : { code }).expect(200);
    return { ...res.body, openid: id, auth: bearer(res.body.accessToken) };
  }

  async function activeMember(phone: string) {
    const { scene } = (await w.t.http.get(`/api/stores/${store.id}/wechat/join-scene`).set(owner.auth).expect(200)).body;
    const me = await signIn(scene);
    const { code } = w.sim.control.phoneCode(me.openid, { phone });
    await w.t.http.post('/api/me/wechat/phone').set(me.auth).send({ code }).expect(200);
    return me;
  }

  async function balance(auth: { Authorization: string }) {
    return (await w.t.http.get('/api/me/wallet').set(auth).expect(200)).body as { totalFen: number; principalFen: number; bonusFen: number };
  }

  it('signs a new WeChat user in as a pending member of the store whose QR code he scanned, then activates him with his phone', async () => {
    const png = await w.t.http.get(`/api/stores/${store.id}/wechat/join-qr.png`).set(owner.auth).expect(200);
    expect(png.headers['content-type']).toMatch(/image\/png/);
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const { scene } = (await w.t.http.get(`/api/stores/${store.id}/wechat/join-scene`).set(owner.auth).expect(200)).body;
    expect(scene.length).toBeLessThanOrEqual(32);

    const me = await signIn(scene);
    expect(me.isNew).toBe(true);
    expect(me.member).toMatchObject({ status: 'pending', homeStoreId: store.id, phone: null });
    // Money needs an active member.
    await w.t.http.post('/api/me/wallet/top-ups').set(me.auth).set(key()).send({ amountFen: 10000 }).expect(409);

    const { code } = w.sim.control.phoneCode(me.openid, { phone: '13900001111' });
    const bound = await w.t.http.post('/api/me/wechat/phone').set(me.auth).send({ code }).expect(200);
    expect(bound.body).toMatchObject({ merged: false, session: null, member: { status: 'active', phone: '13900001111', homeStoreId: store.id } });

    // The same WeChat user again is the same member, not a new one.
    const again = await signIn(undefined, me.openid);
    expect(again).toMatchObject({ isNew: false, member: { id: me.member.id } });
  });

  it('refuses a made-up scene and a used login code', async () => {
    const { code } = w.sim.control.wxLogin({ appid: APPID });
    await w.t.http.post('/api/auth/wechat/login').send({ code, scene: `s=${store.code}&r=8000000001&k=AAAAAA` }).expect(400);
    await w.t.http.post('/api/auth/wechat/login').send({ code }).expect(200);
    const reused = await w.t.http.post('/api/auth/wechat/login').send({ code }).expect(401);
    expect(reused.body.error.code).toBe('WECHAT_LOGIN_FAILED');
  });

  it('records the referrer of an invitation code and merges a sign-up into the member who already has the phone number', async () => {
    const referrer = await activeMember('13900002222');
    const invite = await w.t.http.get('/api/me/wechat/invite-qr.png').set(referrer.auth).expect(200);
    expect((invite.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const [{ member_no: referrerNo }] = await w.t.ds.query('SELECT member_no FROM member WHERE id = $1', [referrer.member.id]);
    // The QR code encodes the scene; the app hands it to the API on launch.
    const inviteScene = (await w.t.http.get(`/api/stores/${store.id}/wechat/join-scene`).set(owner.auth).expect(200)).body.scene as string;
    expect(inviteScene.startsWith(`s=${store.code}&k=`)).toBe(true);
    const { buildScene } = await import('../../../src/modules/wechat/domain/numbers');
    const friend = await signIn(buildScene(w.t.config.memberCodeSecret, store.code, referrerNo));
    expect(friend.member).toMatchObject({ status: 'pending', referrerId: referrer.member.id });

    const counter = await makeMember(w.t.ds, { homeStoreId: store.id, phone: '13900003333', name: '柜台会员' });
    const someone = await signIn();
    const { code } = w.sim.control.phoneCode(someone.openid, { phone: '13900003333' });
    const merged = await w.t.http.post('/api/me/wechat/phone').set(someone.auth).send({ code }).expect(200);
    expect(merged.body).toMatchObject({ merged: true, member: { id: counter.id, phone: '13900003333' } });
    // The old session is gone; the new one is the counter member's, and WeChat signs him in from now on.
    await w.t.http.get('/api/me').set(someone.auth).expect(401);
    await w.t.http.get('/api/me').set(bearer(merged.body.session.accessToken)).expect(200);
    expect((await signIn(undefined, someone.openid)).member.id).toBe(counter.id);
  });

  it('tops up through the simulator and credits once, with the bonus, on the verified notification', async () => {
    const me = await activeMember('13900004444');
    // wx.requestSubscribeMessage before paying: the member accepts the balance notice once.
    const choice = w.sim.control.subscribe(me.openid, { templateIds: [BALANCE_TEMPLATE] });
    const results = Object.entries(choice).filter(([k]) => k !== 'errMsg').map(([templateId, status]) => ({ templateId, status }));
    await w.t.http.post('/api/me/subscriptions').set(me.auth).send({ results }).expect(200);
    const created = await w.t.http.post('/api/me/wallet/top-ups').set(me.auth).set(key()).send({ amountFen: 10000 }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', amountFen: 10000, purpose: 'top_up', tradeType: 'JSAPI' });
    expect(created.body.requestPayment).toMatchObject({ appId: APPID, signType: 'RSA' });

    // wx.requestPayment in the simulated phone: it checks paySign, then the user presses 支付.
    const paid = await w.sim.control.requestPayment(created.body.requestPayment, 'pay');
    expect(paid.errMsg).toBe('requestPayment:ok');
    await eventually(async () => (await balance(me.auth)).totalFen === 12000);
    const status = await w.t.http.get(`/api/me/wallet/top-ups/${created.body.id}`).set(me.auth).expect(200);
    expect(status.body).toMatchObject({ status: 'paid', transactionId: paid.order.transactionId });
    const topUps = await w.t.ds.query(`SELECT amount_fen, bonus_fen, payment_method, payment_ref, store_id FROM wallet_top_up WHERE member_id = $1`, [me.member.id]);
    expect(topUps).toEqual([{ amount_fen: '10000', bonus_fen: '2000', payment_method: 'wechat', payment_ref: paid.order.transactionId, store_id: store.id }]);

    // The same notification twice, then replayed byte for byte: acknowledged, never credited again.
    const n = await w.sim.control.notifyOrder(created.body.outTradeNo, { notify: 'twice', awaitDelivery: true });
    await w.sim.control.redeliver(n.id, { replay: true });
    await w.sim.control.settled();
    const attempts = w.sim.control.notifications({ ref: created.body.outTradeNo }).flatMap((x) => x.attempts);
    expect(attempts.every((a) => a.status === 204)).toBe(true);
    expect(await balance(me.auth)).toMatchObject({ totalFen: 12000, principalFen: 10000, bonusFen: 2000 });
    expect(await w.t.ds.query(`SELECT count(*)::int AS n FROM wallet_top_up WHERE member_id = $1`, [me.member.id])).toEqual([{ n: 1 }]);

    // One balance notice, enqueued with the credit, delivered to the member's WeChat.
    await drain(w.t);
    const sent = w.sim.control.messages({ openid: me.openid, sentOnly: true });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ templateId: BALANCE_TEMPLATE });
    expect((sent[0].data as Record<string, { value: string }>).amount2.value).toBe('120.00元');
  });

  it('credits one top-up when many duplicate notifications arrive at once', async () => {
    const me = await activeMember('13900005555');
    const created = await w.t.http.post('/api/me/wallet/top-ups').set(me.auth).set(key()).send({ amountFen: 5000 }).expect(201);
    await w.sim.control.pay(created.body.outTradeNo, { notify: 'none' });
    await Promise.all(Array.from({ length: 8 }, () => w.sim.control.notifyOrder(created.body.outTradeNo, { awaitDelivery: true })));
    await w.sim.control.settled();
    expect((await balance(me.auth)).totalFen).toBe(5000);
    expect(await w.t.ds.query(`SELECT count(*)::int AS n FROM wallet_top_up WHERE member_id = $1`, [me.member.id])).toEqual([{ n: 1 }]);
  });

  it('credits by the job when the notification never comes, and takes the late one as a duplicate', async () => {
    const me = await activeMember('13900006666');
    const created = await w.t.http.post('/api/me/wallet/top-ups').set(me.auth).set(key()).send({ amountFen: 3000 }).expect(201);
    w.sim.control.holdNotifications();
    await w.sim.control.pay(created.body.outTradeNo);
    const pay = w.t.app.get((await import('../../../src/modules/wechat/wechat-pay.service')).WechatPayService);
    await pay.settleOpenOrders(new Date(Date.now() + 2 * 60_000));
    expect((await balance(me.auth)).totalFen).toBe(3000);
    await w.sim.control.releaseNotifications();
    await w.sim.control.settled();
    expect((await balance(me.auth)).totalFen).toBe(3000);
    const [row] = await w.t.ds.query(`SELECT outcome FROM wechat_notification WHERE out_trade_no = $1`, [created.body.outTradeNo]);
    expect(row.outcome).toBe('duplicate');
  });

  it('leaves the ledger consistent', async () => {
    for (const check of RECONCILE_CHECKS) expect({ check: check.name, rows: await w.t.ds.query(check.sql) }).toEqual({ check: check.name, rows: [] });
  });
});
