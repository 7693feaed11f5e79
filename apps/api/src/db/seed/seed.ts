import { randomBytes } from 'node:crypto';
import { ALL_PERMISSIONS, BUILT_IN_ROLES } from '@chaincard/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../../common/auth/password';

/** What every database needs: the chain row and the built-in roles (existing ones are left as edited). */
export async function seedBaseline(ds: DataSource | EntityManager, chainName = 'ChainCard 演示连锁'): Promise<void> {
  const m = 'manager' in ds ? ds.manager : ds;
  await m.query(`INSERT INTO chain (name) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM chain)`, [chainName]);
  for (const [code, role] of Object.entries(BUILT_IN_ROLES)) {
    await m.query(
      `INSERT INTO role (code, name, name_en, scope, permissions, built_in) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (code) DO NOTHING`,
      [code, role.name, role.nameEn, role.scope, role.permissions],
    );
  }
  const known: { code: string }[] = await m.query('SELECT code FROM permission_catalog');
  const fresh = ALL_PERMISSIONS.filter((p) => !known.some((k) => k.code === p));
  if (!fresh.length) return;
  // A database made before these permissions existed: give them to the built-in roles that have
  // them by default, once, and remember them so that HQ's later edits are respected.
  for (const [code, role] of Object.entries(BUILT_IN_ROLES)) {
    const grant = fresh.filter((p) => role.permissions.includes(p));
    if (grant.length) {
      await m.query(
        `UPDATE role SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || $2::text[]) ORDER BY 1) WHERE code = $1 AND built_in`,
        [code, grant],
      );
    }
  }
  await m.query(`INSERT INTO permission_catalog (code) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [fresh]);
}

export const DEMO_STORES = [
  { code: 'SH001', name: '上海人民广场店', city: '上海', address: '上海市黄浦区南京东路 100 号', phone: '021-63210001' },
  { code: 'SH002', name: '上海徐家汇店', city: '上海', address: '上海市徐汇区漕溪北路 88 号', phone: '021-64870002' },
  { code: 'HZ001', name: '杭州西湖店', city: '杭州', address: '杭州市上城区湖滨路 28 号', phone: '0571-87060003' },
];

export const DEMO_ACCOUNTS = [
  { username: 'owner', password: 'Owner@2026', name: '陈总 (老板)', role: 'owner', stores: [] as string[] },
  { username: 'manager', password: 'Manager@2026', name: '李店长', role: 'store_manager', stores: ['SH001'] },
  { username: 'cashier', password: 'Cashier@2026', name: '王收银', role: 'cashier', stores: ['SH001'] },
  { username: 'tech', password: 'Tech@2026', name: '赵技师', role: 'technician', stores: ['SH001'] },
];

const DAILY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '22:00' }));

/**
 * Loads the demo chain into a database that has no staff yet. Returns false when staff already
 * exist (the demo is loaded once; a restart keeps whatever was changed since).
 */
export async function seedDemo(ds: DataSource): Promise<boolean> {
  return ds.transaction(async (m) => {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM staff');
    if (n > 0) return false;
    await m.query(`UPDATE chain SET name = '悦茶 ChainCard 演示连锁'`);
    const storeIds = new Map<string, string>();
    for (const s of DEMO_STORES) {
      const [row] = await m.query(
        `INSERT INTO store (code, name, city, address, phone, business_hours) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [s.code, s.name, s.city, s.address, s.phone, JSON.stringify(DAILY)],
      );
      storeIds.set(s.code, row.id);
    }
    for (const a of DEMO_ACCOUNTS) {
      const [staff] = await m.query(`INSERT INTO staff (username, name, password_hash) VALUES ($1, $2, $3) RETURNING id`, [
        a.username,
        a.name,
        await hashPassword(a.password),
      ]);
      await m.query(`INSERT INTO staff_role (staff_id, role_id) SELECT $1, id FROM role WHERE code = $2`, [staff.id, a.role]);
      for (const code of a.stores) await m.query(`INSERT INTO staff_store (staff_id, store_id) VALUES ($1, $2)`, [staff.id, storeIds.get(code)]);
    }
    return true;
  });
}

/**
 * Without demo data, the first start of an empty database creates one HQ owner with a random
 * password, printed once: the only way in until more accounts are made.
 */
export async function seedFirstOwner(ds: DataSource): Promise<{ username: string; password: string } | null> {
  return ds.transaction(async (m) => {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM staff');
    if (n > 0) return null;
    const password = `Cc${randomBytes(9).toString('base64url')}9`;
    const [staff] = await m.query(`INSERT INTO staff (username, name, password_hash) VALUES ('owner', '总部管理员', $1) RETURNING id`, [
      await hashPassword(password),
    ]);
    await m.query(`INSERT INTO staff_role (staff_id, role_id) SELECT $1, id FROM role WHERE code = 'owner'`, [staff.id]);
    return { username: 'owner', password };
  });
}
