import type { Permission, RoleScope } from '@chaincard/shared';

/** The authenticated caller of a request. Members join this union with the member app. */
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

export type Actor = StaffActor;

export function actorScopeKey(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}

/** True when the actor may touch data of this store. */
export function reachesStore(actor: Actor, storeId: string): boolean {
  return actor.scope === 'chain' || actor.storeIds.includes(storeId);
}
