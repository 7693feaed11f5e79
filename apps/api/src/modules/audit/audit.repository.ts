import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLogEntity } from './entities/audit-log.entity';

export interface AuditFilter {
  /** null: every store and chain-level entries (HQ); otherwise entries of these stores only. */
  storeIds: string[] | null;
  storeId?: string;
  actorId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  offset: number;
  limit: number;
}

@Injectable()
export class AuditRepository {
  list(m: EntityManager, f: AuditFilter): Promise<[AuditLogEntity[], number]> {
    const qb = m.createQueryBuilder(AuditLogEntity, 'a');
    if (f.storeIds) qb.andWhere('a.store_id = ANY(:scope)', { scope: f.storeIds });
    if (f.storeId) qb.andWhere('a.store_id = :storeId', { storeId: f.storeId });
    if (f.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: f.actorId });
    if (f.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: f.entityType });
    if (f.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: f.entityId });
    if (f.action) {
      if (f.action.endsWith('.')) qb.andWhere('starts_with(a.action, :action)', { action: f.action });
      else qb.andWhere('a.action = :action', { action: f.action });
    }
    if (f.from) qb.andWhere('a.at >= :from', { from: f.from });
    if (f.to) qb.andWhere('a.at < :to', { to: f.to });
    return qb.orderBy('a.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }
}
