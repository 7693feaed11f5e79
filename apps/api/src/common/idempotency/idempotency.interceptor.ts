import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { actorScopeKey } from '../auth/actor';
import { TransactionHost } from '../db/transaction-host';
import { AppError } from '../errors/app-error';
import type { JsonLogger } from '../logger';
import { requestContext } from '../request-context';
import { IDEMPOTENT_KEY } from './idempotent.decorator';
import { IdempotencyKeyEntity } from './idempotency-key.entity';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_FORMAT = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Applies a state-changing request at most once per (caller, Idempotency-Key).
 *
 * The handler runs inside one transaction that first takes a transaction-scoped advisory lock on
 * the key: a concurrent duplicate fails to take it and gets 409 at once. The stored result is
 * inserted in that same transaction, so either the effect and its result commit together or
 * neither does (a crash mid-way leaves the key free for the retry). A later duplicate finds the
 * stored result and gets it replayed with `Idempotent-Replayed: true`; the same key with another
 * request gets 422. Routes marked @Idempotent() refuse to run without a key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly tx: TransactionHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const required = this.reflector.get<boolean>(IDEMPOTENT_KEY, context.getHandler()) ?? false;
    const header = req.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    const actor = requestContext.get()?.actor;
    if (!MUTATING.has(req.method) || !actor) return next.handle();
    if (!key) {
      if (required) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
      return next.handle();
    }
    if (!KEY_FORMAT.test(key)) throw new AppError('IDEMPOTENCY_KEY_INVALID', { format: KEY_FORMAT.source });

    const scope = actorScopeKey(actor);
    const path = req.originalUrl.split('?')[0];
    const requestHash = createHash('sha256')
      .update(JSON.stringify([req.method, req.originalUrl, canonical(req.body ?? null)]))
      .digest('hex');
    const statusCode = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);

    return from(
      this.tx.run(async (manager) => {
        const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked', [`${scope}|${key}`]);
        if (!locked) throw new AppError('IDEMPOTENCY_KEY_IN_FLIGHT');
        const stored = await manager.findOne(IdempotencyKeyEntity, { where: { scope, key } });
        if (stored) {
          if (stored.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
          res.setHeader('Idempotent-Replayed', 'true');
          res.status(stored.statusCode);
          return JSON.parse(stored.responseBody) as unknown;
        }
        const result = await lastValueFrom(next.handle(), { defaultValue: null });
        await manager.insert(IdempotencyKeyEntity, {
          scope,
          key,
          requestHash,
          method: req.method,
          path,
          statusCode,
          responseBody: JSON.stringify(result ?? null),
        });
        return result;
      }),
    );
  }
}

/** JSON with object keys sorted, so that {a,b} and {b,a} hash alike. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Deletes results older than the retention (IDEMPOTENCY_TTL_HOURS, at least 72 h) every hour. */
@Injectable()
export class IdempotencySweeper implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tx: TransactionHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep().catch((err) => this.logger.write('warn', 'idempotency sweep failed', { err: String(err) })), 3600_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.idempotencyTtlHours * 3600_000);
    const result = await this.tx.dataSource.query('DELETE FROM idempotency_key WHERE created_at < $1', [cutoff]);
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }
}
