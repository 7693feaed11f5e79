import { Injectable } from '@nestjs/common';
import { Brackets, In, type EntityManager } from 'typeorm';
import type { StaffStatus } from '@chaincard/shared';
import { RoleEntity, StaffEntity } from './entities/staff.entity';

export interface StaffFilter {
  /** null: every store (HQ). Otherwise staff working in at least one of these stores. */
  storeIds: string[] | null;
  storeId?: string;
  q?: string;
  status?: StaffStatus;
  offset: number;
  limit: number;
}

@Injectable()
export class StaffRepository {
  findById(m: EntityManager, id: string): Promise<StaffEntity | null> {
    return m.findOne(StaffEntity, { where: { id }, relations: { roles: true, stores: true } });
  }

  findByLogin(m: EntityManager, login: string): Promise<StaffEntity | null> {
    return m
      .createQueryBuilder(StaffEntity, 's')
      .where('lower(s.username) = lower(:login) OR s.phone = :login', { login })
      .getOne();
  }

  async list(m: EntityManager, f: StaffFilter): Promise<[StaffEntity[], number]> {
    const qb = m.createQueryBuilder(StaffEntity, 's');
    if (f.storeIds) {
      qb.andWhere('EXISTS (SELECT 1 FROM staff_store ss WHERE ss.staff_id = s.id AND ss.store_id = ANY(:scope))', { scope: f.storeIds });
    }
    if (f.storeId) qb.andWhere('EXISTS (SELECT 1 FROM staff_store ss WHERE ss.staff_id = s.id AND ss.store_id = :storeId)', { storeId: f.storeId });
    if (f.status) qb.andWhere('s.status = :status', { status: f.status });
    if (f.q) {
      const like = `%${f.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
      qb.andWhere(new Brackets((w) => w.where('s.name ILIKE :like', { like }).orWhere('s.username ILIKE :like').orWhere('s.phone LIKE :like')));
    }
    const [page, total] = await qb.orderBy('s.created_at', 'ASC').addOrderBy('s.id').skip(f.offset).take(f.limit).getManyAndCount();
    if (!page.length) return [[], total];
    const full = await m.find(StaffEntity, { where: { id: In(page.map((s) => s.id)) }, relations: { roles: true, stores: true } });
    const byId = new Map(full.map((s) => [s.id, s]));
    return [page.map((s) => byId.get(s.id)!), total];
  }

  save(m: EntityManager, staff: StaffEntity): Promise<StaffEntity> {
    return m.save(StaffEntity, staff);
  }

  create(m: EntityManager, staff: Partial<StaffEntity>): StaffEntity {
    return m.create(StaffEntity, staff);
  }

  async loginTaken(m: EntityManager, username: string | undefined | null, phone: string | undefined | null, exceptId?: string): Promise<boolean> {
    if (!username && !phone) return false;
    const qb = m.createQueryBuilder(StaffEntity, 's').where(
      new Brackets((w) => {
        if (username) w.orWhere('lower(s.username) = lower(:username) OR s.phone = :username', { username });
        if (phone) w.orWhere('s.phone = :phone OR lower(s.username) = lower(:phone)', { phone });
      }),
    );
    if (exceptId) qb.andWhere('s.id <> :id', { id: exceptId });
    return (await qb.getCount()) > 0;
  }

  /** Active staff assigned to a store whose store-level roles grant a permission (its managers, for alerts). */
  async storeStaffWith(m: EntityManager, storeId: string, permission: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT DISTINCT s.id FROM staff s
         JOIN staff_store ss ON ss.staff_id = s.id
         JOIN staff_role sr ON sr.staff_id = s.id
         JOIN role r ON r.id = sr.role_id
        WHERE ss.store_id = $1 AND s.status = 'active' AND r.scope = 'store' AND $2 = ANY(r.permissions)
        ORDER BY s.id`,
      [storeId, permission],
    );
    return rows.map((r) => r.id);
  }

  async revokeSessions(m: EntityManager, staffId: string): Promise<void> {
    await m.query('UPDATE refresh_token SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL', [staffId]);
  }

  findRoles(m: EntityManager, ids: string[]): Promise<RoleEntity[]> {
    return m.find(RoleEntity, { where: { id: In(ids) } });
  }

  findRole(m: EntityManager, id: string): Promise<RoleEntity | null> {
    return m.findOne(RoleEntity, { where: { id } });
  }

  async listRoles(m: EntityManager): Promise<{ role: RoleEntity; staffCount: number }[]> {
    const roles = await m.find(RoleEntity, { order: { builtIn: 'DESC', code: 'ASC' } });
    const counts: { role_id: string; n: string }[] = await m.query('SELECT role_id, count(*) AS n FROM staff_role GROUP BY role_id');
    const byRole = new Map(counts.map((c) => [c.role_id, Number(c.n)]));
    return roles.map((role) => ({ role, staffCount: byRole.get(role.id) ?? 0 }));
  }

  async roleStaffCount(m: EntityManager, roleId: string): Promise<number> {
    const [{ n }] = await m.query('SELECT count(*) AS n FROM staff_role WHERE role_id = $1', [roleId]);
    return Number(n);
  }

  async roleCodeTaken(m: EntityManager, code: string): Promise<boolean> {
    return (await m.count(RoleEntity, { where: { code } })) > 0;
  }

  saveRole(m: EntityManager, role: Partial<RoleEntity>): Promise<RoleEntity> {
    return m.save(RoleEntity, m.create(RoleEntity, role));
  }

  async deleteRole(m: EntityManager, id: string): Promise<void> {
    await m.delete(RoleEntity, { id });
  }

  async existingStoreIds(m: EntityManager, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await m.query('SELECT id FROM store WHERE id = ANY($1::uuid[])', [ids]);
    return rows.map((r) => r.id);
  }
}
