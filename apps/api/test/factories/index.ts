import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent';
import { hashPassword } from '../../src/common/auth/password';

const uniq = () => randomBytes(3).toString('hex');

export interface StoreRow {
  id: string;
  code: string;
  name: string;
}

export async function makeStore(ds: DataSource, over: Partial<{ code: string; name: string; city: string }> = {}): Promise<StoreRow> {
  const code = over.code ?? `S${uniq().toUpperCase()}`;
  const [row] = await ds.query(`INSERT INTO store (code, name, city) VALUES ($1, $2, $3) RETURNING id, code, name`, [
    code,
    over.name ?? `门店${code}`,
    over.city ?? '上海',
  ]);
  return row;
}

export interface StaffRow {
  id: string;
  username: string;
  password: string;
}

// argon2id at m = 19 MiB takes tens of milliseconds; factories reuse one hash per password.
const hashes = new Map<string, Promise<string>>();

export async function makeStaff(
  ds: DataSource,
  over: { role: string; storeIds?: string[]; username?: string; password?: string; status?: 'active' | 'disabled'; name?: string },
): Promise<StaffRow> {
  const username = over.username ?? `u${uniq()}`;
  const password = over.password ?? 'Passw0rd!';
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  const [row] = await ds.query(`INSERT INTO staff (username, name, password_hash, status) VALUES ($1, $2, $3, $4) RETURNING id`, [
    username,
    over.name ?? `员工${username}`,
    await hashes.get(password),
    over.status ?? 'active',
  ]);
  await ds.query(`INSERT INTO staff_role (staff_id, role_id) SELECT $1, id FROM role WHERE code = $2`, [row.id, over.role]);
  for (const storeId of over.storeIds ?? []) await ds.query(`INSERT INTO staff_store (staff_id, store_id) VALUES ($1, $2)`, [row.id, storeId]);
  return { id: row.id, username, password };
}

export async function roleId(ds: DataSource, code: string): Promise<string> {
  const [row] = await ds.query('SELECT id FROM role WHERE code = $1', [code]);
  return row.id;
}

export interface Session {
  token: string;
  refreshToken: string;
  auth: { Authorization: string };
}

export async function login(http: TestAgent, username: string, password: string): Promise<Session> {
  const res = await http.post('/api/auth/login').send({ login: username, password });
  if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.accessToken, refreshToken: res.body.refreshToken, auth: { Authorization: `Bearer ${res.body.accessToken}` } };
}

/** A staff member of the given role, signed in. */
export async function signedIn(ds: DataSource, http: TestAgent, role: string, storeIds: string[] = []): Promise<StaffRow & Session> {
  const staff = await makeStaff(ds, { role, storeIds });
  return { ...staff, ...(await login(http, staff.username, staff.password)) };
}

export interface MemberRow {
  id: string;
  memberNo: string;
  phone: string;
}

let phoneSeq = 0;

/** A member inserted directly (HTTP registration is tested in members.int-spec). */
export async function makeMember(ds: DataSource, over: { homeStoreId: string; name?: string; phone?: string; tags?: string[] }): Promise<MemberRow> {
  const phone = over.phone ?? `139${String(process.pid % 10000).padStart(4, '0')}${String(++phoneSeq).padStart(4, '0')}`;
  const [row] = await ds.query(
    `INSERT INTO member (member_no, name, phone, home_store_id, tags) VALUES ('8' || lpad(nextval('member_no_seq')::text, 9, '0'), $1, $2, $3, $4) RETURNING id, member_no`,
    [over.name ?? `会员${phone.slice(-4)}`, phone, over.homeStoreId, over.tags ?? []],
  );
  return { id: row.id, memberNo: row.member_no, phone };
}

/** Puts a balance on a member through the real ledger (refType test_fixture), for tests of other features. */
export async function giveBalance(ds: DataSource, memberId: string, legs: { kind: 'wallet_principal' | 'wallet_bonus' | 'points'; amount: number }[], storeId: string | null = null): Promise<void> {
  const { LedgerService } = await import('../../src/modules/ledger/ledger.service');
  const { LedgerRepository } = await import('../../src/modules/ledger/ledger.repository');
  const ledger = new LedgerService(new LedgerRepository());
  await ds.transaction((m) =>
    ledger.post(m, { legs: legs.map((l) => ({ memberId, kind: l.kind, amount: l.amount, reason: 'test_fixture' })), refType: 'test_fixture', refId: `fixture-${Date.now()}`, storeId }),
  );
}
