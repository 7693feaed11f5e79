import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../src/common/auth/password';
import type { TestApp } from '../../support/test-app';

export const idemKey = () => `k-${randomUUID()}`;

type Auth = { Authorization: string };

export function topUp(t: TestApp, auth: Auth, memberId: string, body: Record<string, unknown>, key = idemKey()) {
  return t.http.post(`/api/members/${memberId}/wallet/top-ups`).set(auth).set('Idempotency-Key', key).send({ paymentMethod: 'cash', ...body });
}

export function spend(t: TestApp, auth: Auth, memberId: string, body: Record<string, unknown>, key = idemKey()) {
  return t.http.post(`/api/members/${memberId}/wallet/spends`).set(auth).set('Idempotency-Key', key).send({ memo: '快速消费', ...body });
}

export function refund(t: TestApp, auth: Auth, topUpId: string, reason = '顾客要求退款', key = idemKey()) {
  return t.http.post(`/api/wallet/top-ups/${topUpId}/refund`).set(auth).set('Idempotency-Key', key).send({ reason });
}

export function reverse(t: TestApp, auth: Auth, spendId: string, body: Record<string, unknown> = {}, key = idemKey()) {
  return t.http.post(`/api/wallet/spends/${spendId}/reverse`).set(auth).set('Idempotency-Key', key).send(body);
}

export async function balance(t: TestApp, auth: Auth, memberId: string) {
  const res = await t.http.get(`/api/members/${memberId}/wallet`).set(auth).expect(200);
  return res.body as { principalFen: number; bonusFen: number; totalFen: number; pendingBonusFen: number };
}

export async function pointsOf(t: TestApp, memberId: string): Promise<number> {
  const rows = await t.ds.query(`SELECT balance FROM account WHERE member_id = $1 AND kind = 'points'`, [memberId]);
  return rows.length ? Number(rows[0].balance) : 0;
}

export async function expectReconciled(t: TestApp, auth: Auth): Promise<void> {
  const res = await t.http.get('/api/reconcile').set(auth).expect(200);
  const broken = (res.body.checks as { name: string; violations: number }[]).filter((c) => c.violations > 0);
  if (!res.body.ok) throw new Error(`reconcile failed: ${JSON.stringify(broken)}`);
}

export async function setSettings(t: TestApp, auth: Auth, body: Record<string, unknown>): Promise<void> {
  await t.http.patch('/api/wallet/settings').set(auth).send(body).expect(200);
}

export async function setPayPassword(t: TestApp, memberId: string, password: string): Promise<void> {
  await t.ds.query('UPDATE member SET pay_password_hash = $2 WHERE id = $1', [memberId, await hashPassword(password)]);
}

export async function setTier(t: TestApp, memberId: string, tierId: string | null): Promise<void> {
  await t.ds.query('UPDATE member SET tier_id = $2 WHERE id = $1', [memberId, tierId]);
}
