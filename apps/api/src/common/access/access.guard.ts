import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Permission } from '@chaincard/shared';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { reachesStore, type Actor } from '../auth/actor';
import { ActorRepository } from '../auth/actor.repository';
import { CHAIN_SCOPE_KEY, CROSS_STORE_FIELDS_KEY, MEMBER_ROUTE_KEY, PERMISSIONS_KEY, PUBLIC_KEY } from '../auth/decorators';
import { verifyAccessToken } from '../auth/token';
import { AppError } from '../errors/app-error';
import { requestContext } from '../request-context';
import { AccessRepository } from './access.repository';

/**
 * The single gate of every route: who is calling (bearer token), what they may do (permissions
 * from their roles), and which stores they reach (every route parameter, and every store id in
 * the query or body). A resource of a store the caller does not reach answers 404, exactly as one
 * that does not exist, so that its existence does not leak.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly actors: ActorRepository,
    private readonly access: AccessRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const actor = await this.authenticate(req);
    const ctx = requestContext.get();
    if (ctx) ctx.actor = actor;

    // Member routes take member tokens only; every other route takes staff tokens only.
    const memberRoute = this.reflector.getAllAndOverride<boolean>(MEMBER_ROUTE_KEY, targets) ?? false;
    if (memberRoute !== (actor.kind === 'member')) throw new AppError('FORBIDDEN');
    if (actor.kind === 'member') {
      // A member's own data is addressed through /me; ids in a member route never reach other members.
      if (Object.keys(req.params ?? {}).some((p) => !MEMBER_OWNED_PARAMS.has(p))) throw new AppError('FORBIDDEN');
      return true;
    }

    const needed = this.reflector.getAllAndOverride<Permission[]>(PERMISSIONS_KEY, targets) ?? [];
    if (needed.some((p) => !actor.permissions.has(p))) throw new AppError('FORBIDDEN', { missing: needed.filter((p) => !actor.permissions.has(p)) });
    if (this.reflector.getAllAndOverride<boolean>(CHAIN_SCOPE_KEY, targets) && actor.scope !== 'chain') throw new AppError('FORBIDDEN');

    for (const [param, value] of Object.entries(req.params ?? {})) {
      const found = await this.access.storesOf(this.dataSource.manager, param, String(value));
      const allowed =
        found.found && (found.stores === 'global' || actor.scope === 'chain' || found.stores.some((s) => actor.storeIds.includes(s)));
      if (!allowed) throw new AppError(this.access.notFoundCode(param));
    }

    const crossStore = this.reflector.getAllAndOverride<string[]>(CROSS_STORE_FIELDS_KEY, targets) ?? [];
    const storeIds = [...collectStoreIds(req.query), ...collectStoreIds(req.body, crossStore)];
    if (storeIds.length) {
      const foreign = storeIds.filter((id) => !reachesStore(actor, id));
      if (foreign.length) throw new AppError('STORE_NOT_FOUND');
    }
    return true;
  }

  private async authenticate(req: Request): Promise<Actor> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED');
    const claims = verifyAccessToken(match[1], this.config.jwtSecret);
    if (!claims) throw new AppError('AUTH_TOKEN_INVALID');
    const actor =
      claims.typ === 'member'
        ? await this.actors.loadMember(this.dataSource.manager, claims.sub, claims.fid)
        : await this.actors.loadStaff(this.dataSource.manager, claims.sub, claims.fid);
    if (!actor) throw new AppError('AUTH_TOKEN_INVALID');
    return actor;
  }
}

/**
 * Parameters a member route may carry: ids of the member's own things, which the route's service
 * looks up together with the member's id (so another member's id simply is not found).
 */
const MEMBER_OWNED_PARAMS = new Set<string>(['countCardId', 'redemptionId', 'bookingId', 'orderId', 'couponId', 'queueTicketId', 'payOrderId']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Store ids named anywhere at the top level of a query or body: storeId, storeIds, xxxStoreId(s). */
export function collectStoreIds(input: unknown, except: readonly string[] = []): string[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!/^(storeId|storeIds|[a-z]+StoreIds?)$/.test(key) || except.includes(key)) continue;
    const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
    // Only well-formed ids are checked here; anything else is the validation pipe's to refuse with 400.
    for (const v of values) if (typeof v === 'string' && UUID.test(v.trim())) out.push(v.trim());
  }
  return out;
}
