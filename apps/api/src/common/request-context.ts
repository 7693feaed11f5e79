import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import type { Actor } from './auth/actor';

/**
 * Per-request state carried through async calls: the request id for logs, the authenticated actor,
 * and the open transaction (so that nested use cases join it instead of opening their own).
 */
export interface RequestContext {
  requestId: string;
  ip: string;
  actor?: Actor;
  manager?: EntityManager;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const requestContext = {
  run<T>(ctx: RequestContext, fn: () => T): T {
    return storage.run(ctx, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Runs fn with the same context plus an open transaction's manager. */
  withManager<T>(manager: EntityManager, fn: () => T): T {
    const current = storage.getStore();
    return storage.run({ requestId: current?.requestId ?? 'job', ip: current?.ip ?? '', actor: current?.actor, manager }, fn);
  },
};
