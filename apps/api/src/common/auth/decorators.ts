import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import type { Permission } from '@chaincard/shared';
import { requestContext } from '../request-context';
import type { Actor, MemberActor, StaffActor } from './actor';

export const PUBLIC_KEY = 'chaincard:public';
export const PERMISSIONS_KEY = 'chaincard:permissions';
export const CHAIN_SCOPE_KEY = 'chaincard:chain-scope';

export const PUBLIC_EXTENSION = 'x-chaincard-public';

/** The route needs no sign-in (also marked in the OpenAPI document, where it carries no security). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension(PUBLIC_EXTENSION, true));

/** The caller's roles must grant every one of these permissions. */
export const RequirePermissions = (...permissions: Permission[]) => SetMetadata(PERMISSIONS_KEY, permissions);

/** Only HQ (a chain-scoped role) may call the route, e.g. to create a store. */
export const RequireChainScope = () => SetMetadata(CHAIN_SCOPE_KEY, true);

export const CROSS_STORE_FIELDS_KEY = 'chaincard:cross-store-fields';

/**
 * These body fields name another store on purpose (the store a transfer is asked from, 调货): the
 * guard does not require the caller to reach it, and the route's service checks what may be done
 * with it. Every other store id in the request is still checked.
 */
export const CrossStoreFields = (...fields: string[]) => SetMetadata(CROSS_STORE_FIELDS_KEY, fields);

export const MEMBER_ROUTE_KEY = 'chaincard:member-route';

/** The route is for members (the mini-program's `/me` API): member tokens only, no staff. */
export const MemberRoute = () => applyDecorators(SetMetadata(MEMBER_ROUTE_KEY, true), ApiBearerAuth());

function currentActor(): Actor {
  const actor = requestContext.get()?.actor;
  if (!actor) throw new Error('the current actor was asked for on a public route');
  return actor;
}

export const CurrentStaff = createParamDecorator((_data: unknown, _ctx: ExecutionContext): StaffActor => {
  const actor = currentActor();
  if (actor.kind !== 'staff') throw new Error('CurrentStaff on a member route');
  return actor;
});

export const CurrentMember = createParamDecorator((_data: unknown, _ctx: ExecutionContext): MemberActor => {
  const actor = currentActor();
  if (actor.kind !== 'member') throw new Error('CurrentMember on a staff route');
  return actor;
});
