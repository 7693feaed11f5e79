import { Injectable } from '@nestjs/common';
import { businessDay, DEFAULT_TIME_ZONE, type PayrollMonthStatus } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { CommissionService } from '../commission/commission.service';
import type {
  ClosePayrollMonthRequest,
  CreateWageAdjustmentRequest,
  MyPayslipQuery,
  MyPayslipResponse,
  PayrollMonthQuery,
  PayrollMonthResponse,
  PayrollMonthSummaryResponse,
  PayslipResponse,
  SetWageProfileRequest,
  WageAdjustmentResponse,
  WageProfileResponse,
} from './dto/payroll.dto';
import { PayrollPeriodsRepository } from './payroll-periods.repository';
import { PayrollPeriodsService } from './payroll-periods.service';
import { PayrollRepository, type AdjustmentRow, type PayslipRow } from './payroll.repository';

/** Today's month on the chain's calendar. */
function currentMonth(now = new Date()): string {
  return businessDay(now, DEFAULT_TIME_ZONE).slice(0, 7);
}

/**
 * Wages (工资): base salary + net commission + bonuses − deductions per staff member and month.
 * While a month is open its payslips are computed live; HQ closes an ended month (关账): the
 * payslips are fixed in the payslip table and the month becomes read-only — the database refuses
 * adjustments, payslip changes and commission entries in it from then on.
 */
@Injectable()
export class PayrollService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: PayrollRepository,
    private readonly periods: PayrollPeriodsService,
    private readonly months: PayrollPeriodsRepository,
    private readonly commission: CommissionService,
    private readonly audit: AuditService,
  ) {}

  async profile(staffId: string): Promise<WageProfileResponse> {
    const p = await this.repo.profile(this.tx.manager, staffId);
    return { staffId, baseSalaryFen: p?.baseSalaryFen ?? 0, updatedAt: p ? p.updatedAt.toISOString() : null };
  }

  /** Sets a staff member's base salary (HQ); open months' payslips follow it, closed ones keep theirs. */
  setProfile(actor: StaffActor, staffId: string, input: SetWageProfileRequest): Promise<WageProfileResponse> {
    return this.tx.run(async (m) => {
      const before = await this.repo.profile(m, staffId);
      await this.repo.setProfile(m, staffId, input.baseSalaryFen, actor.id);
      await this.audit.record(m, { action: 'payroll.base_salary.set', entityType: 'staff', entityId: staffId, before: { baseSalaryFen: before?.baseSalaryFen ?? null }, after: { baseSalaryFen: input.baseSalaryFen } });
      return this.profile(staffId);
    });
  }

  /** A bonus or deduction in an open month (PAYROLL_MONTH_CLOSED otherwise). */
  addAdjustment(actor: StaffActor, input: CreateWageAdjustmentRequest): Promise<WageAdjustmentResponse> {
    return this.tx.run(async (m) => {
      if (!(await this.repo.staffExists(m, input.staffId))) throw new AppError('STAFF_NOT_FOUND');
      await this.periods.assertOpen(m, input.month);
      const id = await this.repo.insertAdjustment(m, { ...input, createdBy: actor.id });
      const row = toAdjustmentResponse((await this.repo.adjustment(m, id))!);
      await this.audit.record(m, { action: `payroll.${input.kind}.add`, entityType: 'wage_adjustment', entityId: id, after: { ...row }, reason: input.reason });
      return row;
    });
  }

  removeAdjustment(id: string): Promise<void> {
    return this.tx.run(async (m) => {
      const row = await this.repo.adjustment(m, id);
      if (!row) throw new AppError('PAYROLL_ADJUSTMENT_NOT_FOUND');
      await this.periods.assertOpen(m, row.month);
      await this.repo.deleteAdjustment(m, id);
      await this.audit.record(m, { action: `payroll.${row.kind}.remove`, entityType: 'wage_adjustment', entityId: id, before: { ...toAdjustmentResponse(row) } });
    });
  }

  async adjustments(actor: StaffActor, q: PayrollMonthQuery): Promise<WageAdjustmentResponse[]> {
    const m = this.tx.manager;
    return (await this.repo.adjustments(m, { month: q.month ?? currentMonth(), staffIds: await this.visibleStaff(m, actor, q) })).map(toAdjustmentResponse);
  }

  /** A month's payslips of the staff the caller may see: fixed when closed, live while open. */
  async month(actor: StaffActor, q: PayrollMonthQuery): Promise<PayrollMonthResponse> {
    const m = this.tx.manager;
    const month = q.month ?? currentMonth();
    const { status, closedAt, slips } = await this.slipsOf(m, month);
    const visible = await this.visibleStaff(m, actor, q);
    const payslips = slips.filter((s) => !visible || visible.includes(s.staffId)).map((s) => toPayslip(month, s, status === 'closed'));
    payslips.sort((a, b) => a.staffName.localeCompare(b.staffName, 'zh-CN') || a.staffId.localeCompare(b.staffId));
    const sum = (k: 'baseSalaryFen' | 'commissionFen' | 'bonusFen' | 'deductionFen' | 'totalFen') => payslips.reduce((s, p) => s + p[k], 0);
    return {
      month,
      status,
      closedAt: closedAt ? closedAt.toISOString() : null,
      payslips,
      totals: { baseSalaryFen: sum('baseSalaryFen'), commissionFen: sum('commissionFen'), bonusFen: sum('bonusFen'), deductionFen: sum('deductionFen'), totalFen: sum('totalFen') },
    };
  }

  /** The caller's own payslip (工资条) of a month. */
  async mine(actor: StaffActor, q: MyPayslipQuery): Promise<MyPayslipResponse> {
    const m = this.tx.manager;
    const month = q.month ?? currentMonth();
    const { status, slips } = await this.slipsOf(m, month);
    const slip = slips.find((s) => s.staffId === actor.id);
    return {
      month,
      status,
      payslip: slip ? toPayslip(month, slip, status === 'closed') : null,
      adjustments: (await this.repo.adjustments(m, { month, staffIds: [actor.id] })).map(toAdjustmentResponse),
    };
  }

  async list(): Promise<PayrollMonthSummaryResponse[]> {
    return (await this.months.list(this.tx.manager)).map((r) => ({ month: r.month, status: r.status, closedAt: r.closedAt ? r.closedAt.toISOString() : null }));
  }

  /**
   * Closes an ended month (关账, HQ). The month row is locked FOR UPDATE first, so every sale still
   * booking commission into it (they hold it FOR SHARE) commits before the payslips are computed,
   * and none lands after: later commission goes to the next open month.
   */
  close(actor: StaffActor, input: ClosePayrollMonthRequest): Promise<PayrollMonthResponse> {
    return this.tx.run(async (m) => {
      if (input.month >= currentMonth()) throw new AppError('PAYROLL_MONTH_NOT_OVER', { month: input.month });
      await this.months.ensure(m, input.month);
      if ((await this.months.lock(m, input.month, 'update')) === 'closed') throw new AppError('PAYROLL_MONTH_CLOSED', { month: input.month });
      const slips = await this.repo.livePayslips(m, input.month, await this.commission.totalsByStaff(m, input.month));
      await this.repo.insertPayslips(m, input.month, slips);
      await this.months.close(m, input.month, actor.id);
      const total = slips.reduce((s, x) => s + x.totalFen, 0);
      await this.audit.record(m, { action: 'payroll.month.close', entityType: 'payroll_month', entityId: input.month, before: { status: 'open' }, after: { status: 'closed', payslips: slips.length, totalFen: total } });
      return this.month(actor, { month: input.month });
    });
  }

  private async slipsOf(m: EntityManager, month: string): Promise<{ status: PayrollMonthStatus; closedAt: Date | null; slips: PayslipRow[] }> {
    const row = await this.months.status(m, month);
    if (row?.status === 'closed') return { status: 'closed', closedAt: row.closedAt, slips: await this.repo.payslips(m, month) };
    return { status: 'open', closedAt: null, slips: await this.repo.livePayslips(m, month, await this.commission.totalsByStaff(m, month)) };
  }

  /** null = everyone (HQ); else the staff of the caller's stores (or of the store asked for), narrowed to one when asked. */
  private async visibleStaff(m: EntityManager, actor: StaffActor, q: { storeId?: string; staffId?: string }): Promise<string[] | null> {
    let ids: string[] | null = q.storeId ? await this.repo.staffOfStores(m, [q.storeId]) : actor.scope === 'chain' ? null : await this.repo.staffOfStores(m, actor.storeIds);
    if (q.staffId) ids = ids === null || ids.includes(q.staffId) ? [q.staffId] : [];
    return ids;
  }
}

function toPayslip(month: string, s: PayslipRow, final: boolean): PayslipResponse {
  return { month, ...s, final };
}

function toAdjustmentResponse(a: AdjustmentRow): WageAdjustmentResponse {
  return { id: a.id, staffId: a.staffId, staffName: a.staffName, month: a.month, kind: a.kind, amountFen: a.amountFen, reason: a.reason, createdAt: a.createdAt.toISOString() };
}
