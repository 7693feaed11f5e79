import { Injectable } from '@nestjs/common';
import { DEFAULT_TIME_ZONE } from '@chaincard/shared';
import type { StaffActor as Actor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import type { CreateStoreRequest, ListStoresQuery, StoreResponse, UpdateStoreRequest } from './dto/store.dto';
import type { StoreEntity } from './entities/store.entity';
import { StoresRepository } from './stores.repository';

@Injectable()
export class StoresService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly stores: StoresRepository,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, q: ListStoresQuery): Promise<Page<StoreResponse>> {
    const [rows, total] = await this.stores.list(this.tx.manager, {
      storeIds: actor.scope === 'chain' ? null : actor.storeIds,
      q: q.q,
      status: q.status,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(rows.map(toStoreResponse), total, q);
  }

  async get(storeId: string): Promise<StoreResponse> {
    const store = await this.stores.findById(this.tx.manager, storeId);
    if (!store) throw new AppError('STORE_NOT_FOUND');
    return toStoreResponse(store);
  }

  create(input: CreateStoreRequest): Promise<StoreResponse> {
    return this.tx.run(async (m) => {
      if (await this.stores.codeTaken(m, input.code)) throw new AppError('STORE_CODE_TAKEN', { field: 'code' });
      const store = await this.stores.insert(m, {
        code: input.code,
        name: input.name,
        city: input.city,
        address: input.address ?? '',
        phone: input.phone ?? '',
        businessHours: input.businessHours ?? [],
        timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
        status: input.status ?? 'open',
      });
      const after = toStoreResponse(store);
      await this.audit.record(m, { action: 'store.create', entityType: 'store', entityId: store.id, storeId: store.id, after: { ...after } });
      return after;
    });
  }

  update(storeId: string, input: UpdateStoreRequest): Promise<StoreResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.findById(m, storeId);
      if (!store) throw new AppError('STORE_NOT_FOUND');
      if (input.code && (await this.stores.codeTaken(m, input.code, storeId))) throw new AppError('STORE_CODE_TAKEN', { field: 'code' });
      const before = toStoreResponse(store);
      Object.assign(store, Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)));
      const after = toStoreResponse(await this.stores.save(m, store));
      const changes = diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' });
      await this.audit.record(m, { action: 'store.update', entityType: 'store', entityId: storeId, storeId, ...changes });
      return after;
    });
  }
}

export function toStoreResponse(s: StoreEntity): StoreResponse {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    city: s.city,
    address: s.address,
    phone: s.phone,
    businessHours: s.businessHours,
    timeZone: s.timeZone,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
