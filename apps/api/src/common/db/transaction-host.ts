import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { requestContext } from '../request-context';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected
const MAX_ATTEMPTS = 3;

/**
 * One transaction per use case. A call inside an open transaction joins it (the outermost caller
 * owns commit and retry); the outermost call retries serialization failures and deadlocks.
 */
@Injectable()
export class TransactionHost {
  constructor(readonly dataSource: DataSource) {}

  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = requestContext.get()?.manager;
    if (open) return fn(open);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => requestContext.withManager(manager, () => fn(manager)));
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /** The open transaction's manager, or the pool's for a read outside any transaction. */
  get manager(): EntityManager {
    return requestContext.get()?.manager ?? this.dataSource.manager;
  }
}

export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (err as { code?: string })?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

export function pgErrorCode(err: unknown): string | undefined {
  if (err instanceof QueryFailedError) return (err.driverError as { code?: string }).code;
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  if (err instanceof QueryFailedError) return (err.driverError as { constraint?: string }).constraint;
  return undefined;
}
