import type { Permission, RoleScope } from '@chaincard/shared';

/** A staff member calling the staff API. */
export interface StaffActor {
  kind: 'staff';
  id: string;
  name: string;
  /** chain: reaches every store (HQ); store: only storeIds. */
  scope: RoleScope;
  storeIds: string[];
  permissions: ReadonlySet<Permission>;
  /** The refresh-token family of the session, revoked on logout. */
  familyId: string;
}

/** A member calling the member (`/me`) API from the mini-program. */
export interface MemberActor {
  kind: 'member';
  id: string;
  name: string;
  familyId: string;
}

export type Actor = StaffActor | MemberActor;

export function actorScopeKey(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

/** True when the actor may touch data of this store. Members reach no store's staff data. */
export function reachesStore(actor: Actor, storeId: string): boolean {
  if (actor.kind !== 'staff') return false;
  return actor.scope === 'chain' || actor.storeIds.includes(storeId);
}
