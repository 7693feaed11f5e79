import { randomUUID } from 'node:crypto';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { NotificationWorker, type WorkerRun } from '../../../src/modules/notifications/notification.worker';
import type { TestApp } from '../../support/test-app';

type Auth = { Authorization: string };

export const idemKey = () => `k-${randomUUID()}`;

export const KEYS = {
  aliyun: { accessKeyId: 'LTAI-test-key', accessKeySecret: 'aliyun-test-secret' },
  tencent: { secretId: 'AKID-test', secretKey: 'tencent-test-secret', sdkAppId: '1400000001' },
  wechat: { appId: 'wx-test-app', secret: 'wechat-test-secret' },
};

/** Sets one template through the HQ route. */
export async function putTemplate(t: TestApp, auth: Auth, body: Record<string, unknown>): Promise<void> {
  const res = await t.http.put('/api/notifications/templates').set(auth).send({ enabled: true, ...body });
  if (res.status !== 200) throw new Error(`template ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
}

export const TOP_UP_SMS = { event: 'wallet.top_up', channel: 'sms', externalId: 'SMS_TOPUP', fields: [{ name: 'amount', value: '{{amountYuan}}' }, { name: 'balance', value: '{{balanceYuan}}' }] };
export const TOP_UP_WECHAT = {
  event: 'wallet.top_up',
  channel: 'wechat',
  externalId: 'tmpl-top-up',
  page: 'pages/wallet/index',
  fields: [
    { name: 'amount1', value: '{{amountYuan}}元' },
    { name: 'amount2', value: '{{balanceYuan}}元' },
    { name: 'thing3', value: '{{storeName}}' },
    { name: 'time4', value: '{{time}}' },
  ],
};
export const TOP_UP_EMAIL = { event: 'wallet.top_up', channel: 'email' };

export function worker(t: TestApp): NotificationWorker {
  return t.app.get(NotificationWorker);
}

/** Runs worker rounds at `now` until nothing is due. */
export async function drain(t: TestApp, now = new Date()): Promise<WorkerRun> {
  const total: WorkerRun = { claimed: 0, sent: 0, recovered: 0, skipped: 0, failed: 0, retried: 0, waiting: 0, lost: 0 };
  for (let i = 0; i < 50; i++) {
    const run = await worker(t).runOnce(now);
    for (const k of Object.keys(total) as (keyof WorkerRun)[]) total[k] += run[k];
    if (run.claimed === 0) return total;
  }
  throw new Error('the outbox did not drain');
}

export async function topUp(t: TestApp, auth: Auth, memberId: string, storeId: string, amountFen: number, key = idemKey()) {
  const res = await t.http.post(`/api/members/${memberId}/wallet/top-ups`).set(auth).set('Idempotency-Key', key).send({ storeId, amountFen, paymentMethod: 'cash' });
  if (res.status !== 201) throw new Error(`top-up: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

export interface MessageRowView {
  id: string;
  event: string;
  status: string;
  channel: string | null;
  attempts: number;
  data: Record<string, unknown>;
  inflight_channel: string | null;
  skip_reason: string | null;
  last_error: string | null;
}

export async function messagesOf(t: TestApp, memberId: string): Promise<MessageRowView[]> {
  return t.ds.query('SELECT * FROM notification_message WHERE member_id = $1 ORDER BY created_at, dedupe_key', [memberId]);
}

export async function history(t: TestApp, messageId: string): Promise<{ channel: string; outcome: string; detail: string | null }[]> {
  return t.ds.query('SELECT channel, outcome, detail FROM notification_attempt WHERE message_id = $1 ORDER BY id', [messageId]);
}

export async function memberSession(t: TestApp, memberId: string): Promise<Auth> {
  const s = await t.app.get(AuthService).issueMemberSession(memberId);
  return { Authorization: `Bearer ${s.accessToken}` };
}

export async function expectReconciled(t: TestApp, auth: Auth): Promise<void> {
  const res = await t.http.get('/api/reconcile').set(auth).expect(200);
  const broken = (res.body.checks as { name: string; violations: number; samples: unknown[] }[]).filter((c) => c.violations > 0);
  if (!res.body.ok) throw new Error(`reconcile failed: ${JSON.stringify(broken)}`);
}

export const later = (from: Date, ms: number) => new Date(from.getTime() + ms);
