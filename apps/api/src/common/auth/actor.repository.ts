import { Injectable } from '@nestjs/common';
import { isPermission, type Permission, type RoleScope } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { MemberActor, StaffActor } from './actor';

/** Loads the caller of a request fresh from the database, so that role and store changes act at once. */
@Injectable()
export class ActorRepository {
  async loadStaff(manager: EntityManager, staffId: string, familyId: string): Promise<StaffActor | null> {
    const rows: { name: string; scopes: RoleScope[] | null; permissions: string[] | null; store_ids: string[] | null }[] =
      await manager.query(
        `SELECT s.name,
                (SELECT array_agg(DISTINCT r.scope) FROM staff_role sr JOIN role r ON r.id = sr.role_id WHERE sr.staff_id = s.id) AS scopes,
                (SELECT array_agg(DISTINCT p) FROM staff_role sr JOIN role r ON r.id = sr.role_id, unnest(r.permissions) p WHERE sr.staff_id = s.id) AS permissions,
                (SELECT array_agg(ss.store_id ORDER BY ss.store_id) FROM staff_store ss WHERE ss.staff_id = s.id) AS store_ids
           FROM staff s
          WHERE s.id = $1 AND s.status = 'active'
            AND EXISTS (SELECT 1 FROM refresh_token t WHERE t.family_id = $2 AND t.staff_id = s.id AND t.revoked_at IS NULL)`,
        [staffId, familyId],
      );
    if (!rows.length) return null;
    const row = rows[0];
    const permissions = new Set<Permission>((row.permissions ?? []).filter(isPermission));
    return {
      kind: 'staff',
      id: staffId,
      name: row.name,
      scope: (row.scopes ?? []).includes('chain') ? 'chain' : 'store',
      storeIds: row.store_ids ?? [],
      permissions,
      familyId,
    };
  }

  async loadMember(manager: EntityManager, memberId: string, familyId: string): Promise<MemberActor | null> {
    const rows: { name: string }[] = await manager.query(
      `SELECT m.name FROM member m
        WHERE m.id = $1 AND m.status IN ('active', 'pending')
          AND EXISTS (SELECT 1 FROM refresh_token t WHERE t.family_id = $2 AND t.member_id = m.id AND t.revoked_at IS NULL)`,
      [memberId, familyId],
    );
    return rows.length ? { kind: 'member', id: memberId, name: rows[0].name, familyId } : null;
  }
}
