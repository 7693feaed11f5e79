import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { StockService } from '../catalog/stock.service';
import { refuseDuplicateSkus } from './domain/lines';
import type { CreateStockIoRequest, ListStockIosQuery, StockIoResponse } from './dto/stock-io.dto';
import type { StockIoEntity } from './entities/stock-io.entity';
import { InventorySkus, iso, labelOf } from './inventory-skus';
import { StockIoRepository, type StockIoLineRow } from './stock-io.repository';
import { SupplierService } from './supplier.service';

const OUTBOUND_ONLY = new Set(['damage', 'internal_use']);

/**
 * Other inbound and outbound (其他入库 / 其他出库): damage (报损), internal use (领用), gifts,
 * adjustments. The chain decides per direction whether a document waits for an approval
 * (inventory_settings); without one it posts at once. Posting moves stock through the ledger
 * (`other_in` / `other_out`, ref stock_io); outbound never takes stock below zero.
 */
@Injectable()
export class StockIoService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: StockIoRepository,
    private readonly suppliers: SupplierService,
    private readonly skus: InventorySkus,
    private readonly stock: StockService,
    private readonly audit: AuditService,
  ) {}

  async list(storeId: string, q: ListStockIosQuery): Promise<Page<StockIoResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.repo.list(m, storeId, q, (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(await this.toResponses(m, rows), total, q);
  }

  async get(id: string): Promise<StockIoResponse> {
    const m = this.tx.manager;
    const io = await this.repo.find(m, id);
    if (!io) throw new AppError('INVENTORY_STOCK_IO_NOT_FOUND');
    return (await this.toResponses(m, [io]))[0];
  }

  create(actor: StaffActor, storeId: string, input: CreateStockIoRequest): Promise<StockIoResponse> {
    return this.tx.run(async (m) => {
      if (input.direction === 'in' && OUTBOUND_ONLY.has(input.reason)) {
        throw new AppError('VALIDATION_FAILED', [{ field: 'reason', errors: [`${input.reason} is outbound only`] }]);
      }
      const costed = input.lines.findIndex((l) => l.unitCostFen !== undefined);
      if (input.direction === 'out' && costed >= 0) {
        throw new AppError('VALIDATION_FAILED', [{ field: `lines[${costed}].unitCostFen`, errors: ['outbound goods leave at the store’s average cost'] }]);
      }
      refuseDuplicateSkus(input.lines);
      await this.skus.require(m, input.lines.map((l) => l.skuId));
      const settings = await this.suppliers.readSettings(m);
      const needsApproval = input.direction === 'in' ? settings.inboundNeedsApproval : settings.outboundNeedsApproval;
      const lines: StockIoLineRow[] = input.lines.map((l) => ({ skuId: l.skuId, quantity: l.quantity, unitCostFen: l.unitCostFen ?? null }));
      const io = await this.repo.insert(m, { no: await this.suppliers.docNo(m, 'IO'), storeId, direction: input.direction, reason: input.reason, note: input.note ?? '', createdBy: actor.id }, lines);
      await this.audit.record(m, {
        action: 'inventory.stock_io.create',
        entityType: 'stock_io',
        entityId: io.id,
        storeId,
        after: { no: io.no, direction: io.direction, reason: io.reason, lines, needsApproval },
        reason: input.note ?? null,
      });
      if (!needsApproval) await this.post(m, io, lines, null);
      return this.get(io.id);
    });
  }

  /** Approves a pending document (审核), which posts it. */
  approve(actor: StaffActor, id: string, note: string): Promise<StockIoResponse> {
    return this.tx.run(async (m) => {
      const io = await this.lockPending(m, id);
      const lines = (await this.repo.lines(m, [id])).get(id)!;
      await this.post(m, io, lines, { by: actor.id, note });
      return this.get(id);
    });
  }

  reject(actor: StaffActor, id: string, note: string): Promise<StockIoResponse> {
    return this.close(actor, id, 'rejected', note);
  }

  cancel(actor: StaffActor, id: string, note: string): Promise<StockIoResponse> {
    return this.close(actor, id, 'cancelled', note);
  }

  private close(actor: StaffActor, id: string, status: 'rejected' | 'cancelled', note: string): Promise<StockIoResponse> {
    return this.tx.run(async (m) => {
      const io = await this.lockPending(m, id);
      await this.repo.update(m, id, { status, decidedBy: actor.id, decidedAt: new Date(), decisionNote: note });
      await this.audit.record(m, {
        action: `inventory.stock_io.${status === 'rejected' ? 'reject' : 'cancel'}`,
        entityType: 'stock_io',
        entityId: id,
        storeId: io.storeId,
        before: { status: 'pending' },
        after: { status },
        reason: note || null,
      });
      return this.get(id);
    });
  }

  private async lockPending(m: EntityManager, id: string): Promise<StockIoEntity> {
    const io = await this.repo.lock(m, id);
    if (!io) throw new AppError('INVENTORY_STOCK_IO_NOT_FOUND');
    if (io.status !== 'pending') throw new AppError('INVENTORY_STOCK_IO_STATUS', { status: io.status });
    return io;
  }

  private async post(m: EntityManager, io: StockIoEntity, lines: StockIoLineRow[], decision: { by: string; note: string } | null): Promise<void> {
    const inbound = io.direction === 'in';
    const applied = await this.stock.apply(
      m,
      lines.map((l) => ({
        storeId: io.storeId,
        skuId: l.skuId,
        delta: inbound ? l.quantity : -l.quantity,
        reason: inbound ? 'other_in' : 'other_out',
        refType: 'stock_io',
        refId: io.id,
        note: `${io.reason}${io.note ? `: ${io.note}` : ''}`,
        ...(inbound && l.unitCostFen !== null ? { unitCostFen: l.unitCostFen } : {}),
        strict: !inbound,
      })),
    );
    const valueFen = applied.reduce((sum, a) => sum + Math.abs(a.delta) * a.unitCostFen, 0);
    const now = new Date();
    await this.repo.update(m, io.id, {
      status: 'posted',
      postedAt: now,
      valueFen: String(valueFen),
      ...(decision ? { decidedBy: decision.by, decidedAt: now, decisionNote: decision.note } : {}),
    });
    await this.audit.record(m, {
      action: decision ? 'inventory.stock_io.approve' : 'inventory.stock_io.post',
      entityType: 'stock_io',
      entityId: io.id,
      storeId: io.storeId,
      before: { status: 'pending' },
      after: { status: 'posted', valueFen },
      reason: decision?.note || null,
    });
  }

  private async toResponses(m: EntityManager, rows: StockIoEntity[]): Promise<StockIoResponse[]> {
    const lines = await this.repo.lines(m, rows.map((r) => r.id));
    const labels = await this.skus.labels(m, [...lines.values()].flat().map((l) => l.skuId));
    return rows.map((io) => ({
      id: io.id,
      no: io.no,
      storeId: io.storeId,
      direction: io.direction,
      reason: io.reason,
      note: io.note,
      status: io.status,
      lines: lines.get(io.id)!.map((l) => ({ ...labelOf(labels, l.skuId), quantity: l.quantity, unitCostFen: l.unitCostFen })),
      valueFen: io.valueFen === null ? null : Number(io.valueFen),
      createdBy: io.createdBy,
      decidedBy: io.decidedBy,
      decidedAt: iso(io.decidedAt),
      decisionNote: io.decisionNote,
      postedAt: iso(io.postedAt),
      createdAt: io.createdAt.toISOString(),
    }));
  }
}
