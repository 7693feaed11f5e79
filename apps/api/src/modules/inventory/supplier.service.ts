import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, pgErrorCode, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { formatDocNo } from './domain/lines';
import type {
  CreateSupplierRequest,
  InventorySettingsResponse,
  ListSuppliersQuery,
  SupplierResponse,
  UpdateInventorySettingsRequest,
  UpdateSupplierRequest,
} from './dto/supplier.dto';
import type { InventorySettingsEntity, SupplierEntity } from './entities/supplier.entity';
import { SupplierRepository } from './supplier.repository';

/** Suppliers (供应商, HQ's list), the chain's inventory settings and document numbers. */
@Injectable()
export class SupplierService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: SupplierRepository,
    private readonly audit: AuditService,
  ) {}

  async list(q: ListSuppliersQuery): Promise<Page<SupplierResponse>> {
    const [rows, total] = await this.repo.list(this.tx.manager, q, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(rows.map(toSupplierResponse), total, q);
  }

  async get(id: string): Promise<SupplierResponse> {
    return toSupplierResponse(await this.require(this.tx.manager, id));
  }

  create(input: CreateSupplierRequest): Promise<SupplierResponse> {
    return this.write(async (m) => {
      const s = await this.repo.save(m, {
        code: input.code,
        name: input.name.trim(),
        contactName: input.contactName ?? null,
        phone: input.phone ?? null,
        address: input.address ?? null,
        leadTimeDays: input.leadTimeDays ?? 3,
        note: input.note ?? '',
      });
      const after = toSupplierResponse((await this.repo.find(m, s.id))!);
      await this.audit.record(m, { action: 'inventory.supplier.create', entityType: 'supplier', entityId: s.id, after: { ...after } });
      return after;
    });
  }

  update(id: string, input: UpdateSupplierRequest): Promise<SupplierResponse> {
    return this.write(async (m) => {
      const s = await this.require(m, id);
      const before = toSupplierResponse(s);
      for (const key of ['name', 'contactName', 'phone', 'address', 'leadTimeDays', 'status', 'note'] as const) {
        if (input[key] !== undefined) (s as unknown as Record<string, unknown>)[key] = input[key];
      }
      const after = toSupplierResponse(await this.repo.save(m, s));
      const changes = diff(before, after);
      delete changes.before.updatedAt;
      delete changes.after.updatedAt;
      await this.audit.record(m, { action: 'inventory.supplier.update', entityType: 'supplier', entityId: id, ...changes });
      return after;
    });
  }

  /** A supplier to order from: it exists (404) and is active (409). */
  async requireActive(m: EntityManager, id: string): Promise<SupplierEntity> {
    const s = await this.require(m, id);
    if (s.status !== 'active') throw new AppError('INVENTORY_SUPPLIER_INACTIVE');
    return s;
  }

  async require(m: EntityManager, id: string): Promise<SupplierEntity> {
    const s = await this.repo.find(m, id);
    if (!s) throw new AppError('INVENTORY_SUPPLIER_NOT_FOUND');
    return s;
  }

  async settings(): Promise<InventorySettingsResponse> {
    return toSettingsResponse(await this.repo.settings(this.tx.manager));
  }

  /** The settings as a use case reads them. */
  readSettings(m: EntityManager): Promise<InventorySettingsEntity> {
    return this.repo.settings(m);
  }

  updateSettings(input: UpdateInventorySettingsRequest): Promise<InventorySettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m, true);
      const before = toSettingsResponse(s);
      if (input.inboundNeedsApproval !== undefined) s.inboundNeedsApproval = input.inboundNeedsApproval;
      if (input.outboundNeedsApproval !== undefined) s.outboundNeedsApproval = input.outboundNeedsApproval;
      const after = toSettingsResponse(await this.repo.saveSettings(m, s));
      const { updatedAt: _b, ...b } = before;
      const { updatedAt: _a, ...a } = after;
      await this.audit.record(m, { action: 'inventory.settings.update', entityType: 'inventory_settings', entityId: '1', ...diff(b, a) });
      return after;
    });
  }

  async docNo(m: EntityManager, prefix: Parameters<typeof formatDocNo>[0]): Promise<string> {
    return formatDocNo(prefix, await this.repo.nextDocNo(m));
  }

  private async write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tx.run(fn);
    } catch (err) {
      if (pgErrorCode(err) === '23505' && pgConstraint(err) === 'supplier_code_unique') throw new AppError('INVENTORY_SUPPLIER_CODE_TAKEN');
      throw err;
    }
  }
}

function toSupplierResponse(s: SupplierEntity): SupplierResponse {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    contactName: s.contactName,
    phone: s.phone,
    address: s.address,
    leadTimeDays: s.leadTimeDays,
    status: s.status,
    note: s.note,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

function toSettingsResponse(s: InventorySettingsEntity): InventorySettingsResponse {
  return { inboundNeedsApproval: s.inboundNeedsApproval, outboundNeedsApproval: s.outboundNeedsApproval, updatedAt: s.updatedAt.toISOString() };
}
