import { Injectable } from '@nestjs/common';
import { businessDay, PAYMENT_METHODS, PAYMENT_METHOD_LABELS, type PaymentMethod } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { StoresService } from '../stores/stores.service';
import { addFigures, cashDifference, shiftFigures, type ShiftFigures } from './domain/shift-figures';
import type {
  CashMovementRequest,
  CashMovementResponse,
  CashMovementResultResponse,
  CloseShiftRequest,
  CurrentShiftQuery,
  CurrentShiftResponse,
  ListShiftsQuery,
  MethodTotalResponse,
  OpenShiftRequest,
  ShiftDetailResponse,
  ShiftReportQuery,
  ShiftReportResponse,
  ShiftResponse,
  ShiftTakingResponse,
  ShiftTakingsQuery,
} from './dto/shift.dto';
import type { ShiftEntity } from './entities/shift.entity';
import { ShiftsRepository, type MovementRow, type ShiftRow } from './shifts.repository';

export type { PaymentMethod } from '@chaincard/shared';

/** One taking of a payment, as checkout, top-ups and card sales record it. */
export interface TakingInput {
  shiftId: string;
  storeId: string;
  method: PaymentMethod;
  /** Signed fen: a sale is positive, a refund negative; 0 records nothing. */
  amountFen: number;
  /** The operation that took the money (e.g. 'wallet_top_up' and its id). */
  refType: string;
  refId: string;
}

/**
 * Shifts (交班): a staff member's drawer at one store from open to close. Money taken at the
 * counter is recorded against the taker's open shift (recordTakings) in the transaction that
 * takes it; cash in / out are rows of their own; closing compares counted with expected cash.
 */
@Injectable()
export class ShiftsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly shifts: ShiftsRepository,
    private readonly stores: StoresService,
    private readonly audit: AuditService,
  ) {}

  // ── the seam for every use case that takes money ──────────────────────────────

  /**
   * The staff member's open shift at the store, share-locked for the rest of the transaction: a
   * close waits until the payment commits, and a payment arriving after the close finds none.
   * SHIFT_NOT_OPEN when there is none ("no payments without an open shift"), STORE_NOT_FOUND for
   * a store that does not exist. Call it before the use case locks anything else: the shift row
   * comes first in every lock order, so a close queued on it can never close a deadlock cycle.
   */
  async requireOpenShift(m: EntityManager, who: { staffId: string; storeId: string }): Promise<{ shiftId: string }> {
    const shiftId = await this.shifts.lockOpenShiftOf(m, who.staffId, who.storeId);
    if (!shiftId) {
      await this.stores.get(who.storeId);
      throw new AppError('SHIFT_NOT_OPEN', { storeId: who.storeId });
    }
    return { shiftId };
  }

  /** Records money taken (or handed back, negative) in an open shift, in the caller's transaction. */
  async recordTakings(m: EntityManager, t: TakingInput): Promise<void> {
    if (!Number.isSafeInteger(t.amountFen)) throw new Error(`recordTakings: amountFen ${t.amountFen} is not a safe integer`);
    if (!(PAYMENT_METHODS as readonly string[]).includes(t.method)) throw new Error(`recordTakings: unknown payment method ${t.method}`);
    if (t.amountFen === 0) return;
    const shift = await this.shifts.lock(m, t.shiftId, 'share');
    if (!shift) throw new AppError('SHIFT_NOT_FOUND');
    if (shift.status !== 'open') throw new AppError('SHIFT_NOT_OPEN', { shiftId: t.shiftId, storeId: t.storeId });
    // A programming error, not input: a payment at one store never lands in another's drawer.
    if (shift.storeId !== t.storeId) throw new Error(`recordTakings: shift ${t.shiftId} is not of store ${t.storeId}`);
    await this.shifts.insertTaking(m, t);
  }

  /**
   * Both steps for a counter use case run by the signed-in staff member: the shift check first
   * (before anything moves), the taking once the amount is known (see the returned function).
   */
  async takeAtCounter(m: EntityManager, actor: StaffActor, storeId: string): Promise<(method: PaymentMethod, amountFen: number, refType: string, refId: string) => Promise<void>> {
    const { shiftId } = await this.requireOpenShift(m, { staffId: actor.id, storeId });
    return (method, amountFen, refType, refId) => this.recordTakings(m, { shiftId, storeId, method, amountFen, refType, refId });
  }

  // ── use cases ─────────────────────────────────────────────────────────────────

  /** Opens the caller's shift at a store with a float (开班). SHIFT_ALREADY_OPEN if one is open. */
  open(actor: StaffActor, input: OpenShiftRequest): Promise<ShiftDetailResponse> {
    return this.tx.run(async (m) => {
      const store = await this.stores.get(input.storeId);
      const id = await this.shifts.insertOpen(m, {
        storeId: input.storeId,
        staffId: actor.id,
        floatFen: input.floatFen,
        businessDay: businessDay(new Date(), store.timeZone),
        openNote: input.note ?? null,
      });
      if (!id) throw new AppError('SHIFT_ALREADY_OPEN', { shiftId: await this.shifts.openShiftOf(m, actor.id, input.storeId) });
      const detail = await this.detail(m, id);
      await this.audit.record(m, {
        action: 'shift.open',
        entityType: 'shift',
        entityId: id,
        storeId: input.storeId,
        after: { staffId: actor.id, floatFen: input.floatFen, businessDay: detail.businessDay, note: input.note ?? null },
      });
      return detail;
    });
  }

  /** The caller's open shift at a store, or null. */
  async current(actor: StaffActor, q: CurrentShiftQuery): Promise<CurrentShiftResponse> {
    const m = this.tx.manager;
    const storeId = storeOf(actor, q.storeId);
    await this.stores.get(storeId);
    const id = await this.shifts.openShiftOf(m, actor.id, storeId);
    return { shift: id ? await this.detail(m, id) : null };
  }

  async list(actor: StaffActor, q: ListShiftsQuery): Promise<Page<ShiftResponse>> {
    const m = this.tx.manager;
    const [rows, total] = await this.shifts.list(m, {
      storeIds: q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds,
      // Without shift.manage a staff member sees his own shifts only.
      staffId: manages(actor) ? q.staffId : actor.id,
      status: q.status,
      businessDay: q.businessDay,
      from: q.from,
      to: q.to,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(await this.withFigures(m, rows), total, q);
  }

  async get(actor: StaffActor, shiftId: string): Promise<ShiftDetailResponse> {
    const m = this.tx.manager;
    await this.visible(m, actor, shiftId);
    return this.detail(m, shiftId);
  }

  async takings(actor: StaffActor, shiftId: string, q: ShiftTakingsQuery): Promise<Page<ShiftTakingResponse>> {
    const m = this.tx.manager;
    await this.visible(m, actor, shiftId);
    const [rows, total] = await this.shifts.takings(m, shiftId, { method: q.method, offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
    return pageOf(
      rows.map((t) => ({ id: t.id, shiftId: t.shiftId, method: t.method, amountFen: t.amountFen, refType: t.refType, refId: t.refId, createdAt: t.createdAt.toISOString() })),
      total,
      q,
    );
  }

  /**
   * Cash put into or taken out of the drawer (备用金补充 / 取款), with a reason. The shift row is
   * locked for update, so every payment of the shift has committed or waits: a cash out can be
   * checked against what the drawer should hold right now.
   */
  moveCash(actor: StaffActor, shiftId: string, input: CashMovementRequest): Promise<CashMovementResultResponse> {
    return this.tx.run(async (m) => {
      const shift = await this.lockForChange(m, actor, shiftId);
      if (input.kind === 'cash_out') {
        const figures = await this.figuresOf(m, shift);
        if (input.amountFen > figures.expectedCashFen) {
          throw new AppError('SHIFT_CASH_OUT_EXCEEDS_DRAWER', { amountFen: input.amountFen, expectedCashFen: figures.expectedCashFen });
        }
      }
      const movementId = await this.shifts.insertMovement(m, { shiftId, storeId: shift.storeId, kind: input.kind, amountFen: input.amountFen, reason: input.reason, staffId: actor.id });
      await this.audit.record(m, {
        action: `shift.${input.kind}`,
        entityType: 'shift',
        entityId: shiftId,
        storeId: shift.storeId,
        reason: input.reason,
        after: { movementId, kind: input.kind, amountFen: input.amountFen },
      });
      const detail = await this.detail(m, shiftId);
      return { movement: detail.movements.find((mv) => mv.id === movementId)!, shift: detail };
    });
  }

  /**
   * Closes a shift (交班) with the counted cash: the expected cash and the difference are fixed on
   * the row, which is read-only from then on. Closing another staff member's shift (a manager's
   * handover, 代交班) needs shift.manage and is audited as such.
   */
  close(actor: StaffActor, shiftId: string, input: CloseShiftRequest): Promise<ShiftDetailResponse> {
    return this.tx.run(async (m) => {
      const shift = await this.lockForChange(m, actor, shiftId);
      const figures = await this.figuresOf(m, shift);
      const differenceFen = cashDifference(input.countedCashFen, figures.expectedCashFen);
      await this.shifts.close(m, shiftId, {
        closedBy: actor.id,
        countedCashFen: input.countedCashFen,
        expectedCashFen: figures.expectedCashFen,
        differenceFen,
        note: input.note ?? null,
      });
      const detail = await this.detail(m, shiftId);
      await this.audit.record(m, {
        action: shift.staffId === actor.id ? 'shift.close' : 'shift.handover',
        entityType: 'shift',
        entityId: shiftId,
        storeId: shift.storeId,
        reason: input.note ?? null,
        before: { status: 'open' },
        after: {
          status: 'closed',
          staffId: shift.staffId,
          closedByStaffId: actor.id,
          floatFen: figures.floatFen,
          cashInFen: figures.cashInFen,
          cashOutFen: figures.cashOutFen,
          expectedCashFen: figures.expectedCashFen,
          countedCashFen: input.countedCashFen,
          differenceFen,
          netByMethod: Object.fromEntries(figures.methods.map((x) => [x.method, x.netFen])),
        },
      });
      return detail;
    });
  }

  /** The store's shifts opened on one business day (its time zone), each with its figures, and their totals. */
  async report(actor: StaffActor, q: ShiftReportQuery): Promise<ShiftReportResponse> {
    const m = this.tx.manager;
    const store = await this.stores.get(storeOf(actor, q.storeId));
    const day = q.businessDay ?? businessDay(new Date(), store.timeZone);
    const rows = await this.shifts.ofDay(m, store.id, day);
    const shifts = await this.withFigures(m, rows);
    const all = await this.figuresOfRows(m, rows);
    const totals = addFigures(rows.map((r) => all.get(r.id)!));
    const closed = shifts.filter((s) => s.status === 'closed');
    return {
      storeId: store.id,
      storeName: store.name,
      businessDay: day,
      timeZone: store.timeZone,
      openCount: shifts.length - closed.length,
      closedCount: closed.length,
      shifts,
      totals: {
        floatFen: totals.floatFen,
        cashInFen: totals.cashInFen,
        cashOutFen: totals.cashOutFen,
        methods: totals.methods.map(toMethodResponse),
        totalNetFen: totals.totalNetFen,
        expectedCashFen: totals.expectedCashFen,
        countedCashFen: closed.reduce((s, x) => s + (x.countedCashFen ?? 0), 0),
        differenceFen: closed.reduce((s, x) => s + (x.differenceFen ?? 0), 0),
      },
    };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────

  private async lockForChange(m: EntityManager, actor: StaffActor, shiftId: string): Promise<ShiftEntity> {
    const shift = await this.shifts.lock(m, shiftId, 'update');
    if (!shift) throw new AppError('SHIFT_NOT_FOUND');
    if (shift.staffId !== actor.id) {
      if (!manages(actor)) throw new AppError('SHIFT_NOT_YOURS');
    }
    if (shift.status !== 'open') throw new AppError('SHIFT_CLOSED');
    return shift;
  }

  /** Staff without shift.manage reach their own shifts only; others' answer as missing. */
  private async visible(m: EntityManager, actor: StaffActor, shiftId: string): Promise<void> {
    const row = await this.shifts.view(m, shiftId);
    if (!row || (!manages(actor) && row.staffId !== actor.id)) throw new AppError('SHIFT_NOT_FOUND');
  }

  private async figuresOf(m: EntityManager, shift: Pick<ShiftEntity, 'id' | 'floatFen'>): Promise<ShiftFigures> {
    return (await this.figuresOfRows(m, [shift])).get(shift.id)!;
  }

  private async figuresOfRows(m: EntityManager, rows: Pick<ShiftEntity, 'id' | 'floatFen'>[]): Promise<Map<string, ShiftFigures>> {
    const ids = rows.map((r) => r.id);
    const takings = await this.shifts.takingSums(m, ids);
    const movements = await this.shifts.movementSums(m, ids);
    return new Map(rows.map((r) => [r.id, shiftFigures(r.floatFen, takings.get(r.id)!, movements.get(r.id)!)]));
  }

  private async withFigures(m: EntityManager, rows: ShiftRow[]): Promise<ShiftResponse[]> {
    const figures = await this.figuresOfRows(m, rows);
    return rows.map((r) => toShiftResponse(r, figures.get(r.id)!));
  }

  private async detail(m: EntityManager, shiftId: string): Promise<ShiftDetailResponse> {
    const row = await this.shifts.view(m, shiftId);
    if (!row) throw new AppError('SHIFT_NOT_FOUND');
    const [shift] = await this.withFigures(m, [row]);
    return { ...shift, movements: (await this.shifts.movements(m, shiftId)).map(toMovementResponse) };
  }
}

/** The store asked for, or the caller's only store; a caller of several stores must name one. */
function storeOf(actor: StaffActor, storeId: string | undefined): string {
  if (storeId) return storeId;
  if (actor.scope === 'store' && actor.storeIds.length === 1) return actor.storeIds[0];
  throw new AppError('VALIDATION_FAILED', [{ field: 'storeId', errors: ['storeId is required for staff of several stores'] }]);
}

function manages(actor: StaffActor): boolean {
  return actor.permissions.has('shift.manage');
}

function toMethodResponse(x: ShiftFigures['methods'][number]): MethodTotalResponse {
  return { method: x.method, label: PAYMENT_METHOD_LABELS[x.method].zh, salesFen: x.salesFen, refundsFen: x.refundsFen, netFen: x.netFen, count: x.count };
}

function toShiftResponse(r: ShiftRow, f: ShiftFigures): ShiftResponse {
  return {
    id: r.id,
    storeId: r.storeId,
    storeName: r.storeName,
    staffId: r.staffId,
    staffName: r.staffName,
    status: r.status,
    businessDay: r.businessDay,
    floatFen: r.floatFen,
    openedAt: r.openedAt.toISOString(),
    openNote: r.openNote,
    closedAt: r.closedAt ? r.closedAt.toISOString() : null,
    closedByStaffId: r.closedByStaffId,
    closedByName: r.closedByName,
    cashInFen: f.cashInFen,
    cashOutFen: f.cashOutFen,
    methods: f.methods.map(toMethodResponse),
    totalNetFen: f.totalNetFen,
    // A closed shift shows what was fixed at the close (the rows cannot change after it anyway).
    expectedCashFen: r.expectedCashFen ?? f.expectedCashFen,
    countedCashFen: r.countedCashFen,
    differenceFen: r.differenceFen,
    closeNote: r.closeNote,
  };
}

function toMovementResponse(mv: MovementRow): CashMovementResponse {
  return { id: mv.id, shiftId: mv.shiftId, kind: mv.kind, amountFen: mv.amountFen, reason: mv.reason, staffId: mv.staffId, staffName: mv.staffName, createdAt: mv.createdAt.toISOString() };
}
