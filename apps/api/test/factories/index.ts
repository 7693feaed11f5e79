import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type TestAgent from 'supertest/lib/agent';
import { hashPassword } from '../../src/common/auth/password';
import { currentTestApp } from '../support/test-app';

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

/**
 * Puts a balance on a member through the app's own ledger (refType test_fixture), for tests of
 * other features; the app's ledger also keeps points expiry lots in step.
 */
export async function giveBalance(ds: DataSource, memberId: string, legs: { kind: 'wallet_principal' | 'wallet_bonus' | 'points'; amount: number }[], storeId: string | null = null): Promise<void> {
  const { LedgerService } = await import('../../src/modules/ledger/ledger.service');
  const ledger = currentTestApp().app.get(LedgerService);
  await ds.transaction((m) =>
    ledger.post(m, { legs: legs.map((l) => ({ memberId, kind: l.kind, amount: l.amount, reason: 'test_fixture' })), refType: 'test_fixture', refId: `fixture-${Date.now()}`, storeId }),
  );
}

export interface CountCardTemplateRow {
  id: string;
  name: string;
}

/** A count-card template inserted directly (HTTP creation and validation are tested in count-cards). */
export async function makeCountCardTemplate(
  ds: DataSource,
  over: Partial<{
    name: string;
    kind: 'count' | 'period' | 'time';
    serviceCodes: string[];
    uses: number | null;
    periodDays: number | null;
    dailyLimit: number | null;
    minutes: number | null;
    priceFen: number;
    validityDays: number | null;
    fixedValidUntil: string | null;
    status: 'on_sale' | 'off_sale';
    storeIds: string[];
  }> = {},
): Promise<CountCardTemplateRow> {
  const kind = over.kind ?? 'count';
  const name = over.name ?? `次卡${uniq()}`;
  const [row] = await ds.query(
    `INSERT INTO count_card_template (name, kind, service_codes, uses, period_days, daily_limit, minutes, price_fen, validity_days, fixed_valid_until, status, store_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      name,
      kind,
      over.serviceCodes ?? ['HAIRCUT'],
      over.uses !== undefined ? over.uses : kind === 'count' ? 10 : null,
      over.periodDays !== undefined ? over.periodDays : kind === 'period' ? 30 : null,
      over.dailyLimit ?? null,
      over.minutes !== undefined ? over.minutes : kind === 'time' ? 600 : null,
      over.priceFen ?? 29900,
      over.validityDays !== undefined ? over.validityDays : kind === 'period' ? null : 365,
      over.fixedValidUntil ?? null,
      over.status ?? 'on_sale',
      over.storeIds ?? [],
    ],
  );
  return { id: row.id, name };
}

/**
 * Opens the signed-in staff member's shift at a store (or finds the one already open): money
 * routes at the counter refuse with SHIFT_NOT_OPEN without one. Returns the shift id.
 */
export async function openShift(http: TestAgent, session: { auth: { Authorization: string } }, storeId: string, floatFen = 0): Promise<string> {
  const res = await http.post('/api/shifts').set(session.auth).set('Idempotency-Key', `shift-${randomBytes(8).toString('hex')}`).send({ storeId, floatFen });
  if (res.status === 201) return res.body.id;
  if (res.status === 409 && res.body.error?.code === 'SHIFT_ALREADY_OPEN') return res.body.error.details.shiftId;
  throw new Error(`opening a shift failed: ${res.status} ${JSON.stringify(res.body)}`);
}
