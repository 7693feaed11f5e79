import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../../src/common/auth/password';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { openShift as openShiftOf } from '../../factories';
import type { TestApp } from '../../support/test-app';

export const idem = () => `k-${randomUUID()}`;

export type Auth = { Authorization: string };

export function checkout(t: TestApp, auth: Auth, body: Record<string, unknown>, key = idem()) {
  return t.http.post('/api/orders').set(auth).set('Idempotency-Key', key).send(body);
}

export function quickSale(t: TestApp, auth: Auth, body: Record<string, unknown>, key = idem()) {
  return t.http.post('/api/orders/quick').set(auth).set('Idempotency-Key', key).send(body);
}

export function refund(t: TestApp, auth: Auth, orderId: string, body: Record<string, unknown> = { reason: '顾客退货' }, key = idem()) {
  return t.http.post(`/api/orders/${orderId}/refunds`).set(auth).set('Idempotency-Key', key).send(body);
}

/** Opens the staff member's shift at the store (money at the counter needs one). */
export async function openShift(t: TestApp, auth: Auth, storeId: string): Promise<void> {
  await openShiftOf(t.http, { auth }, storeId);
}

export async function walletOf(t: TestApp, memberId: string): Promise<{ principal: number; bonus: number }> {
  const rows: { kind: string; balance: string }[] = await t.ds.query(`SELECT kind, balance FROM account WHERE member_id = $1 AND kind IN ('wallet_principal', 'wallet_bonus')`, [memberId]);
  const of = (k: string) => Number(rows.find((r) => r.kind === k)?.balance ?? 0);
  return { principal: of('wallet_principal'), bonus: of('wallet_bonus') };
}

export async function pointsOf(t: TestApp, memberId: string): Promise<number> {
  const rows = await t.ds.query(`SELECT balance FROM account WHERE member_id = $1 AND kind = 'points'`, [memberId]);
  return rows.length ? Number(rows[0].balance) : 0;
}

export async function stockOf(t: TestApp, storeId: string, skuId: string): Promise<number> {
  const rows = await t.ds.query('SELECT quantity FROM stock WHERE store_id = $1 AND sku_id = $2', [storeId, skuId]);
  return rows.length ? Number(rows[0].quantity) : 0;
}

export async function usesLeft(t: TestApp, cardId: string): Promise<number> {
  const rows = await t.ds.query(`SELECT balance FROM account WHERE kind = 'count_card' AND ref_id = $1`, [cardId]);
  return rows.length ? Number(rows[0].balance) : 0;
}

export async function orderCount(t: TestApp): Promise<number> {
  const [{ n }] = await t.ds.query('SELECT count(*)::int AS n FROM sales_order');
  return n;
}

export async function expectReconciled(t: TestApp, auth: Auth): Promise<void> {
  const res = await t.http.get('/api/reconcile').set(auth).expect(200);
  const broken = (res.body.checks as { name: string; violations: number; samples: unknown[] }[]).filter((c) => c.violations > 0);
  if (!res.body.ok) throw new Error(`reconcile failed: ${JSON.stringify(broken)}`);
}

export async function setPayPassword(t: TestApp, memberId: string, password: string): Promise<void> {
  await t.ds.query('UPDATE member SET pay_password_hash = $2 WHERE id = $1', [memberId, await hashPassword(password)]);
}

export async function memberSession(t: TestApp, memberId: string): Promise<Auth> {
  const session = await t.app.get(AuthService).issueMemberSession(memberId);
  return { Authorization: `Bearer ${session.accessToken}` };
}

/** Points pay at checkout: 100 points = 1 yuan, at most half an order; 1 point per yuan earned. */
export async function allowPointsOffset(t: TestApp, owner: { auth: Auth }): Promise<void> {
  await t.http.patch('/api/points/settings').set(owner.auth).send({ offsetPoints: 100, offsetFen: 100, offsetMaxBps: 5000 }).expect(200);
}

export async function sellCountCard(t: TestApp, auth: Auth, memberId: string, storeId: string, templateId: string): Promise<string> {
  const res = await t.http.post(`/api/members/${memberId}/count-cards`).set(auth).set('Idempotency-Key', idem()).send({ templateId, storeId, paymentMethod: 'cash' });
  if (res.status !== 201) throw new Error(`count-card sale failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Everything that a refused request must leave as it was. */
export async function snapshot(t: TestApp, memberId: string, storeId: string, skuIds: string[]) {
  return {
    orders: await orderCount(t),
    wallet: await walletOf(t, memberId),
    points: await pointsOf(t, memberId),
    stock: await Promise.all(skuIds.map((s) => stockOf(t, storeId, s))),
    entries: (await t.ds.query('SELECT count(*)::int AS n FROM ledger_entry WHERE member_id = $1', [memberId]))[0].n,
  };
}
