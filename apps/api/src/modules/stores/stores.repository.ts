import { Injectable } from '@nestjs/common';
import { Brackets, type EntityManager } from 'typeorm';
import type { StoreStatus } from '@chaincard/shared';
import { StoreEntity } from './entities/store.entity';

export interface StoreFilter {
  /** null: every store (HQ); otherwise only these. */
  storeIds: string[] | null;
  q?: string;
  status?: StoreStatus;
  offset: number;
  limit: number;
}

@Injectable()
export class StoresRepository {
  findById(manager: EntityManager, id: string): Promise<StoreEntity | null> {
    return manager.findOne(StoreEntity, { where: { id } });
  }

  async list(manager: EntityManager, f: StoreFilter): Promise<[StoreEntity[], number]> {
    const qb = manager.createQueryBuilder(StoreEntity, 's');
    if (f.storeIds) qb.andWhere('s.id = ANY(:ids)', { ids: f.storeIds });
    if (f.status) qb.andWhere('s.status = :status', { status: f.status });
    if (f.q) {
      const like = `%${f.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
      qb.andWhere(new Brackets((w) => w.where('s.code ILIKE :like', { like }).orWhere('s.name ILIKE :like').orWhere('s.city ILIKE :like')));
    }
    return qb.orderBy('s.code', 'ASC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  insert(manager: EntityManager, store: Partial<StoreEntity>): Promise<StoreEntity> {
    return manager.save(StoreEntity, manager.create(StoreEntity, store));
  }

  save(manager: EntityManager, store: StoreEntity): Promise<StoreEntity> {
    return manager.save(StoreEntity, store);
  }

  async codeTaken(manager: EntityManager, code: string, exceptId?: string): Promise<boolean> {
    const qb = manager.createQueryBuilder(StoreEntity, 's').where('lower(s.code) = lower(:code)', { code });
    if (exceptId) qb.andWhere('s.id <> :id', { id: exceptId });
    return (await qb.getCount()) > 0;
  }
}
