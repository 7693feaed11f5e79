import { Injectable } from '@nestjs/common';
import { PERMISSIONS, type Permission } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor as Actor } from '../../common/auth/actor';
import { hashPassword } from '../../common/auth/password';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import type {
  CreateRoleRequest,
  CreateStaffRequest,
  ListStaffQuery,
  PermissionResponse,
  RoleResponse,
  StaffResponse,
  UpdateRoleRequest,
  UpdateStaffRequest,
} from './dto/staff.dto';
import type { RoleEntity, StaffEntity } from './entities/staff.entity';
import { StaffRepository } from './staff.repository';

@Injectable()
export class StaffService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly staff: StaffRepository,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, q: ListStaffQuery): Promise<Page<StaffResponse>> {
    const [rows, total] = await this.staff.list(this.tx.manager, {
      storeIds: actor.scope === 'chain' ? null : actor.storeIds,
      storeId: q.storeId,
      q: q.q,
      status: q.status,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(rows.map(toStaffResponse), total, q);
  }

  async get(staffId: string): Promise<StaffResponse> {
    const s = await this.staff.findById(this.tx.manager, staffId);
    if (!s) throw new AppError('STAFF_NOT_FOUND');
    return toStaffResponse(s);
  }

  /** Active staff of a store whose store-level roles grant `permission` (e.g. who gets its low-stock alerts). */
  storeStaffWith(m: EntityManager, storeId: string, permission: Permission): Promise<string[]> {
    return this.staff.storeStaffWith(m, storeId, permission);
  }

  create(actor: Actor, input: CreateStaffRequest): Promise<StaffResponse> {
    if (!input.username && !input.phone) {
      throw new AppError('VALIDATION_FAILED', [{ field: 'username', errors: ['a username or a phone is required'] }]);
    }
    return this.tx.run(async (m) => {
      if (await this.staff.loginTaken(m, input.username, input.phone)) throw new AppError('STAFF_LOGIN_TAKEN');
      const roles = await this.assignableRoles(m, actor, input.roleIds);
      const stores = await this.checkStores(m, roles, input.storeIds ?? []);
      const entity = this.staff.create(m, {
        name: input.name,
        username: input.username ?? null,
        phone: input.phone ?? null,
        passwordHash: await hashPassword(input.password),
        status: 'active',
        roles,
        stores: stores.map((id) => ({ id }) as StaffEntity['stores'][number]),
      });
      const saved = await this.staff.save(m, entity);
      const after = toStaffResponse((await this.staff.findById(m, saved.id))!);
      await this.audit.record(m, { action: 'staff.create', entityType: 'staff', entityId: saved.id, storeId: stores[0] ?? null, after: { ...after } });
      return after;
    });
  }

  update(actor: Actor, staffId: string, input: UpdateStaffRequest): Promise<StaffResponse> {
    return this.tx.run(async (m) => {
      const s = await this.staff.findById(m, staffId);
      if (!s) throw new AppError('STAFF_NOT_FOUND');
      if (input.status === 'disabled' && staffId === actor.id) throw new AppError('STAFF_CANNOT_DISABLE_SELF');
      // A store-level caller may not edit an HQ account, nor anyone holding powers beyond its own.
      this.assertManageable(actor, s.roles);
      if (input.phone !== undefined && (await this.staff.loginTaken(m, null, input.phone, staffId))) throw new AppError('STAFF_LOGIN_TAKEN');
      const before = toStaffResponse(s);
      const roles = input.roleIds ? await this.assignableRoles(m, actor, input.roleIds) : s.roles;
      let storeIds = s.stores.map((x) => x.id);
      if (input.storeIds) {
        // Stores outside the caller's reach are kept as they are: a manager edits only his own.
        const outside = actor.scope === 'chain' ? [] : storeIds.filter((id) => !actor.storeIds.includes(id));
        storeIds = [...new Set([...outside, ...input.storeIds])];
      }
      storeIds = await this.checkStores(m, roles, storeIds);
      if (input.name !== undefined) s.name = input.name;
      if (input.phone !== undefined) s.phone = input.phone;
      if (input.status !== undefined) s.status = input.status;
      s.roles = roles;
      s.stores = storeIds.map((id) => ({ id }) as StaffEntity['stores'][number]);
      await this.staff.save(m, s);
      if (input.status === 'disabled') await this.staff.revokeSessions(m, staffId);
      const after = toStaffResponse((await this.staff.findById(m, staffId))!);
      await this.audit.record(m, { action: 'staff.update', entityType: 'staff', entityId: staffId, storeId: storeIds[0] ?? null, ...diff(before, after) });
      return after;
    });
  }

  resetPassword(actor: Actor, staffId: string, password: string): Promise<void> {
    return this.tx.run(async (m) => {
      const s = await this.staff.findById(m, staffId);
      if (!s) throw new AppError('STAFF_NOT_FOUND');
      this.assertManageable(actor, s.roles);
      s.passwordHash = await hashPassword(password);
      await this.staff.save(m, s);
      await this.staff.revokeSessions(m, staffId);
      await this.audit.record(m, { action: 'staff.reset-password', entityType: 'staff', entityId: staffId, storeId: s.stores[0]?.id ?? null });
    });
  }

  permissions(): PermissionResponse[] {
    return Object.entries(PERMISSIONS).map(([code, p]) => ({ code, name: p.zh, nameEn: p.en }));
  }

  async listRoles(): Promise<RoleResponse[]> {
    return (await this.staff.listRoles(this.tx.manager)).map(({ role, staffCount }) => toRoleResponse(role, staffCount));
  }

  async getRole(roleId: string): Promise<RoleResponse> {
    const role = await this.staff.findRole(this.tx.manager, roleId);
    if (!role) throw new AppError('ROLE_NOT_FOUND');
    return toRoleResponse(role, await this.staff.roleStaffCount(this.tx.manager, roleId));
  }

  createRole(input: CreateRoleRequest): Promise<RoleResponse> {
    return this.tx.run(async (m) => {
      if (await this.staff.roleCodeTaken(m, input.code)) throw new AppError('ROLE_CODE_TAKEN', { field: 'code' });
      const role = await this.staff.saveRole(m, { ...input, nameEn: input.nameEn ?? '', builtIn: false });
      const after = toRoleResponse(role, 0);
      await this.audit.record(m, { action: 'role.create', entityType: 'role', entityId: role.id, after: { ...after } });
      return after;
    });
  }

  updateRole(roleId: string, input: UpdateRoleRequest): Promise<RoleResponse> {
    return this.tx.run(async (m) => {
      const role = await this.staff.findRole(m, roleId);
      if (!role) throw new AppError('ROLE_NOT_FOUND');
      const count = await this.staff.roleStaffCount(m, roleId);
      const before = toRoleResponse(role, count);
      if (input.name !== undefined) role.name = input.name;
      if (input.nameEn !== undefined) role.nameEn = input.nameEn;
      if (input.permissions !== undefined) role.permissions = input.permissions;
      const after = toRoleResponse(await this.staff.saveRole(m, role), count);
      await this.audit.record(m, { action: 'role.update', entityType: 'role', entityId: roleId, ...diff(before, after) });
      return after;
    });
  }

  deleteRole(roleId: string): Promise<void> {
    return this.tx.run(async (m) => {
      const role = await this.staff.findRole(m, roleId);
      if (!role) throw new AppError('ROLE_NOT_FOUND');
      if (role.builtIn) throw new AppError('ROLE_BUILT_IN');
      if ((await this.staff.roleStaffCount(m, roleId)) > 0) throw new AppError('ROLE_IN_USE');
      await this.staff.deleteRole(m, roleId);
      await this.audit.record(m, { action: 'role.delete', entityType: 'role', entityId: roleId, before: { ...toRoleResponse(role, 0) } });
    });
  }

  /** Roles the caller may hand out: never a wider scope or a permission the caller lacks. */
  private async assignableRoles(m: EntityManager, actor: Actor, roleIds: string[]): Promise<RoleEntity[]> {
    const roles = await this.staff.findRoles(m, roleIds);
    if (roles.length !== roleIds.length) {
      throw new AppError('ROLE_NOT_FOUND', { roleIds: roleIds.filter((id) => !roles.some((r) => r.id === id)) });
    }
    this.assertManageable(actor, roles);
    return roles;
  }

  private assertManageable(actor: Actor, roles: RoleEntity[]): void {
    if (actor.scope === 'chain') return;
    const beyond = roles.filter((r) => r.scope === 'chain' || r.permissions.some((p: Permission) => !actor.permissions.has(p)));
    if (beyond.length) throw new AppError('ROLE_ESCALATION', { roles: beyond.map((r) => r.code) });
  }

  private async checkStores(m: EntityManager, roles: RoleEntity[], storeIds: string[]): Promise<string[]> {
    const existing = await this.staff.existingStoreIds(m, storeIds);
    if (existing.length !== storeIds.length) throw new AppError('STORE_NOT_FOUND', { storeIds: storeIds.filter((id) => !existing.includes(id)) });
    const storeLevel = roles.every((r) => r.scope === 'store');
    if (storeLevel && storeIds.length === 0) throw new AppError('STAFF_NEEDS_STORE');
    return storeIds;
  }
}

export function toStaffResponse(s: StaffEntity): StaffResponse {
  return {
    id: s.id,
    username: s.username,
    phone: s.phone,
    name: s.name,
    status: s.status,
    roles: (s.roles ?? []).map((r) => ({ id: r.id, code: r.code, name: r.name, scope: r.scope })).sort((a, b) => a.code.localeCompare(b.code)),
    storeIds: (s.stores ?? []).map((x) => x.id).sort(),
    lastLoginAt: s.lastLoginAt ? s.lastLoginAt.toISOString() : null,
    createdAt: s.createdAt.toISOString(),
  };
}

function toRoleResponse(r: RoleEntity, staffCount: number): RoleResponse {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    scope: r.scope,
    permissions: [...r.permissions].sort(),
    builtIn: r.builtIn,
    staffCount,
  };
}
