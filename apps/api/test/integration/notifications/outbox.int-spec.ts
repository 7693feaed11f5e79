import { WalletService } from '../../../src/modules/wallet/wallet.service';
import { NotificationsService } from '../../../src/modules/notifications/notifications.service';
import { SimulatedCrash } from '../../../src/modules/notifications/notification.worker';
import { requestContext } from '../../../src/common/request-context';
import { makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { startFakeAliyun, startFakeWechat, type FakeAliyun, type FakeWechat } from './fakes';
import { drain, expectReconciled, history, idemKey, KEYS, later, messagesOf, putTemplate, TOP_UP_SMS, TOP_UP_WECHAT, topUp, worker } from './support';

const LEASE_MS = 60_000;

describe('the notification outbox', () => {
  let t: TestApp;
  let aliyun: FakeAliyun;
  let wechat: FakeWechat;
  let store: { id: string };
  let otherStore: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let managerOther: Awaited<ReturnType<typeof signedIn>>;
  let notifications: NotificationsService;

  beforeAll(async () => {
    aliyun = await startFakeAliyun(KEYS.aliyun);
    wechat = await startFakeWechat(KEYS.wechat);
    t = await createTestApp({
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ENDPOINT: aliyun.url,
      ALIYUN_ACCESS_KEY_ID: KEYS.aliyun.accessKeyId,
      ALIYUN_ACCESS_KEY_SECRET: KEYS.aliyun.accessKeySecret,
      SMS_SIGN_NAME: '悦茶',
      WECHAT_API_BASE: wechat.url,
      WECHAT_APP_ID: KEYS.wechat.appId,
      WECHAT_APP_SECRET: KEYS.wechat.secret,
      NOTIFY_MAX_ATTEMPTS: '3',
      NOTIFY_LEASE_SECONDS: String(LEASE_MS / 1000),
    });
    store = await makeStore(t.ds);
    otherStore = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    managerOther = await signedIn(t.ds, t.http, 'store_manager', [otherStore.id]);
    await openShift(t.http, cashier, store.id);
    notifications = t.app.get(NotificationsService);
    await putTemplate(t, owner.auth, TOP_UP_SMS);
    await putTemplate(t, owner.auth, TOP_UP_WECHAT);
  });
  afterEach(() => {
    worker(t).faults = {};
    aliyun.failAll(null);
  });
  afterAll(async () => {
    await t.close();
    await aliyun.close();
    await wechat.close();
  });

  const enqueueIn = (m: Parameters<NotificationsService['enqueue']>[0], memberId: string, key: string) =>
    notifications.enqueue(m, { event: 'wallet.top_up', memberId, storeId: store.id, data: { amountFen: 100, balanceFen: 100 }, dedupeKey: key });

  it('leaves no message when the business transaction rolls back, and exactly one when it commits', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await expect(
      t.ds.transaction(async (m) => {
        expect(await enqueueIn(m, member.id, 'rollback-1')).toEqual(expect.any(String));
        throw new Error('the business change failed');
      }),
    ).rejects.toThrow('the business change failed');
    expect(await messagesOf(t, member.id)).toHaveLength(0);
    await expect(enqueueIn(t.ds.manager, member.id, 'outside')).rejects.toThrow(/inside the business transaction/);

    // Through HTTP: a refused top-up (below the minimum) leaves nothing; a committed one leaves its message.
    await t.http.post(`/api/members/${member.id}/wallet/top-ups`).set(cashier.auth).set('Idempotency-Key', idemKey()).send({ storeId: store.id, amountFen: 1, paymentMethod: 'cash' }).expect(400);
    expect(await messagesOf(t, member.id)).toHaveLength(0);
    await topUp(t, cashier.auth, member.id, store.id, 10000);
    const [msg] = await messagesOf(t, member.id);
    expect(msg).toMatchObject({ event: 'wallet.top_up', status: 'pending', data: expect.objectContaining({ amountFen: 10000, balanceFen: 10000 }) });
  });

  it('makes one message of one event however often it is reported', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const a = await t.ds.transaction((m) => enqueueIn(m, member.id, 'dup-1'));
    const b = await t.ds.transaction((m) => enqueueIn(m, member.id, 'dup-1'));
    expect(a).toEqual(expect.any(String));
    expect(b).toBeNull();
    // A replayed request (same Idempotency-Key) and a repeated WeChat Pay callback (same transaction id) add nothing.
    const key = idemKey();
    await topUp(t, cashier.auth, member.id, store.id, 5000, key);
    await topUp(t, cashier.auth, member.id, store.id, 5000, key);
    const wallet = t.app.get(WalletService);
    for (let i = 0; i < 2; i++) {
      await t.ds.transaction((m) =>
        requestContext.run({ requestId: 'test', ip: '', manager: m }, () => wallet.topUp(m, { memberId: member.id, storeId: store.id, amountFen: 8000, paymentMethod: 'wechat', paymentRef: '4200000001' })),
      );
    }
    expect((await messagesOf(t, member.id)).map((x) => x.event)).toEqual(['wallet.top_up', 'wallet.top_up', 'wallet.top_up']);
  });

  it('recovers a message whose worker died after the provider took it: no loss, no second SMS', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, cashier.auth, member.id, store.id, 20000);
    const [msg] = await messagesOf(t, member.id);
    const t0 = new Date();
    worker(t).faults.afterSend = (id) => {
      if (id === msg.id) throw new SimulatedCrash();
    };
    await drain(t, t0);
    worker(t).faults = {};
    expect(aliyun.sends.filter((s) => s.outId === msg.id)).toHaveLength(1);
    const [stuck] = await messagesOf(t, member.id);
    expect(stuck).toMatchObject({ status: 'sending', inflight_channel: 'sms' });

    // While the dead worker's lease runs, nobody touches the message.
    expect((await worker(t).runOnce(later(t0, LEASE_MS - 1000))).claimed).toBe(0);

    const queries = aliyun.queries;
    const run = await worker(t).runOnce(later(t0, LEASE_MS + 1000));
    expect(run).toMatchObject({ claimed: 1, recovered: 1, sent: 0 });
    expect(aliyun.queries).toBeGreaterThan(queries);
    expect(aliyun.sends.filter((s) => s.outId === msg.id)).toHaveLength(1);
    const [done] = await messagesOf(t, member.id);
    expect(done).toMatchObject({ status: 'sent', channel: 'sms', inflight_channel: null });
    expect((await history(t, msg.id)).map((h) => `${h.channel}:${h.outcome}`)).toEqual(['wechat:skipped', 'sms:recovered']);
    await expectReconciled(t, owner.auth);
  });

  it('sends again, once, when the provider has no record of the interrupted send', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, cashier.auth, member.id, store.id, 30000);
    const [msg] = await messagesOf(t, member.id);
    const t0 = new Date();
    worker(t).faults.afterSend = () => {
      throw new SimulatedCrash();
    };
    await drain(t, t0);
    worker(t).faults = {};
    aliyun.forget(msg.id);
    // Three workers race for the expired lease: one recovers it, the others find nothing to claim.
    const runs = await Promise.all([0, 1, 2].map(() => worker(t).runOnce(later(t0, LEASE_MS + 1000))));
    expect(runs.reduce((n, r) => n + r.claimed, 0)).toBe(1);
    expect(aliyun.sends.filter((s) => s.outId === msg.id)).toHaveLength(1);
    const [done] = await messagesOf(t, member.id);
    expect(done.status).toBe('sent');
    expect((await history(t, msg.id)).map((h) => `${h.channel}:${h.outcome}`)).toEqual(['wechat:skipped', 'sms:in_doubt', 'wechat:skipped', 'sms:sent']);
  });

  it('sends an interrupted WeChat message again (WeChat cannot be asked: at least once), using the consent once', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await t.ds.transaction((m) => notifications.recordWechatOpenId(m, member.id, `o-${member.id}`));
    await t.ds.query(`INSERT INTO wechat_subscription (member_id, template_id, remaining, accepted_total) VALUES ($1, 'tmpl-top-up', 1, 1)`, [member.id]);
    await topUp(t, cashier.auth, member.id, store.id, 10000);
    const [msg] = await messagesOf(t, member.id);
    const t0 = new Date();
    worker(t).faults.afterSend = () => {
      throw new SimulatedCrash();
    };
    await drain(t, t0);
    worker(t).faults = {};
    expect(wechat.sends.filter((s) => s.touser === `o-${member.id}`)).toHaveLength(1);
    await drain(t, later(t0, LEASE_MS + 1000));
    expect(wechat.sends.filter((s) => s.touser === `o-${member.id}`)).toHaveLength(2);
    const [done] = await messagesOf(t, member.id);
    expect(done).toMatchObject({ status: 'sent', channel: 'wechat' });
    expect((await history(t, msg.id)).map((h) => h.outcome)).toEqual(['in_doubt', 'sent']);
    const [{ remaining }] = await t.ds.query('SELECT remaining FROM wechat_subscription WHERE member_id = $1', [member.id]);
    expect(remaining).toBe(0);
  });

  it('never sends one message twice when workers run concurrently', async () => {
    const members = await Promise.all(Array.from({ length: 30 }, () => makeMember(t.ds, { homeStoreId: store.id })));
    for (const mb of members) await topUp(t, cashier.auth, mb.id, store.id, 1000);
    const ids: string[] = (await t.ds.query(`SELECT id FROM notification_message WHERE member_id = ANY($1::uuid[])`, [members.map((m) => m.id)])).map((r: { id: string }) => r.id);
    expect(ids).toHaveLength(30);
    const now = new Date();
    const loop = async () => {
      for (let i = 0; i < 30; i++) if ((await worker(t).runOnce(now, 3)).claimed === 0) return;
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    for (const id of ids) expect({ id, sends: aliyun.sends.filter((s) => s.outId === id).length }).toEqual({ id, sends: 1 });
    const statuses = await t.ds.query(`SELECT status, count(*)::int AS n FROM notification_message WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids]);
    expect(statuses).toEqual([{ status: 'sent', n: 30 }]);
    await expectReconciled(t, owner.auth);
  });

  it('retries with backoff, ends failed after the last attempt, and can be retried by permission', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    await topUp(t, cashier.auth, member.id, store.id, 4000);
    const [msg] = await messagesOf(t, member.id);
    aliyun.failAll('isp.SYSTEM_ERROR');
    const t0 = new Date();
    expect(await worker(t).runOnce(t0)).toMatchObject({ retried: 1 });
    const [first] = await t.ds.query('SELECT status, attempts, next_attempt_at FROM notification_message WHERE id = $1', [msg.id]);
    expect(first).toMatchObject({ status: 'pending', attempts: 1 });
    const wait1 = new Date(first.next_attempt_at).getTime() - t0.getTime();
    expect(wait1).toBeGreaterThanOrEqual(30_000);
    expect((await worker(t).runOnce(later(t0, wait1 - 1000))).claimed).toBe(0);
    const t1 = later(t0, wait1 + 1);
    expect(await worker(t).runOnce(t1)).toMatchObject({ retried: 1 });
    const [second] = await t.ds.query('SELECT attempts, next_attempt_at FROM notification_message WHERE id = $1', [msg.id]);
    expect(new Date(second.next_attempt_at).getTime() - t1.getTime()).toBeGreaterThan(wait1);
    expect(await worker(t).runOnce(later(t1, 10 * 60_000))).toMatchObject({ failed: 1 });
    const [failed] = await messagesOf(t, member.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, last_error: expect.stringContaining('isp.SYSTEM_ERROR') });

    // The log shows it with the provider's answer; retrying needs the permission and the store.
    const log = await t.http.get('/api/notifications/messages').query({ memberId: member.id, status: 'failed' }).set(owner.auth).expect(200);
    expect(log.body.items).toEqual([expect.objectContaining({ id: msg.id, channel: 'sms', provider: 'aliyun', providerResponse: expect.objectContaining({ Code: 'isp.SYSTEM_ERROR' }) })]);
    await t.http.post(`/api/notifications/messages/${msg.id}/retry`).set(cashier.auth).expect(403);
    await t.http.post(`/api/notifications/messages/${msg.id}/retry`).set(managerOther.auth).expect(404);
    aliyun.failAll(null);
    const retried = await t.http.post(`/api/notifications/messages/${msg.id}/retry`).set(owner.auth).expect(200);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await t.http.post(`/api/notifications/messages/${msg.id}/retry`).set(owner.auth).expect(409);
    expect(again.body.error.code).toBe('NOTIFICATION_NOT_RETRYABLE');
    await drain(t);
    const detail = await t.http.get(`/api/notifications/messages/${msg.id}`).set(owner.auth).expect(200);
    expect(detail.body).toMatchObject({ status: 'sent', provider: 'aliyun' });
    expect(detail.body.history.map((h: { outcome: string }) => h.outcome)).toEqual(['skipped', 'retry', 'skipped', 'retry', 'skipped', 'failed', 'skipped', 'sent']);
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'notification.retry' AND entity_id = $1`, [msg.id]);
    expect(audit.after).toEqual({ status: 'pending', attempts: 0 });
    await expectReconciled(t, owner.auth);
  });
});
