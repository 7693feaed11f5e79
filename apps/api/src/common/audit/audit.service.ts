import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLogEntity } from '../../modules/audit/entities/audit-log.entity';
import { requestContext } from '../request-context';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  storeId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** Writes the audit trail inside the caller's transaction: the change and its record commit together. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, entry: AuditEntry): Promise<void> {
    const ctx = requestContext.get();
    const actor = ctx?.actor;
    await manager.insert(AuditLogEntity, {
      actorKind: actor?.kind ?? 'system',
      actorId: actor?.id ?? null,
      actorName: actor?.name ?? 'system',
      storeId: entry.storeId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      // jsonb columns: TypeORM's deep-partial type cannot express arbitrary JSON objects.
      before: (entry.before ?? null) as never,
      after: (entry.after ?? null) as never,
      reason: entry.reason ?? null,
      requestId: ctx?.requestId ?? null,
      ip: ctx?.ip || null,
    });
  }
}

/** Only the fields that changed, for compact before/after pairs. */
export function diff<T extends object>(before: T, after: T): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k as string] = before[k];
      a[k as string] = after[k];
    }
  }
  return { before: b, after: a };
}
