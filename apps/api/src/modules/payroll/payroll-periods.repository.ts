import { Injectable } from '@nestjs/common';
import type { PayrollMonthStatus } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';

/** The only SQL over payroll_month. */
@Injectable()
export class PayrollPeriodsRepository {
  async ensure(m: EntityManager, month: string): Promise<void> {
    await m.query(`INSERT INTO payroll_month (month) VALUES ($1) ON CONFLICT (month) DO NOTHING`, [month]);
  }

  /** The month's status, the row share-locked (FOR SHARE) or locked for update until the transaction ends. */
  async lock(m: EntityManager, month: string, mode: 'share' | 'update'): Promise<PayrollMonthStatus> {
    const [row]: { status: PayrollMonthStatus }[] = await m.query(`SELECT status FROM payroll_month WHERE month = $1 ${mode === 'share' ? 'FOR SHARE' : 'FOR UPDATE'}`, [month]);
    return row.status;
  }

  async status(m: EntityManager, month: string): Promise<{ status: PayrollMonthStatus; closedAt: Date | null; closedByStaffId: string | null } | null> {
    const rows = await m.query(`SELECT status, closed_at, closed_by_staff_id FROM payroll_month WHERE month = $1`, [month]);
    return rows.length ? { status: rows[0].status, closedAt: rows[0].closed_at, closedByStaffId: rows[0].closed_by_staff_id } : null;
  }

  async close(m: EntityManager, month: string, by: string): Promise<void> {
    await m.query(`UPDATE payroll_month SET status = 'closed', closed_at = clock_timestamp(), closed_by_staff_id = $2 WHERE month = $1 AND status = 'open'`, [month, by]);
  }

  async list(m: EntityManager): Promise<{ month: string; status: PayrollMonthStatus; closedAt: Date | null }[]> {
    const rows = await m.query(`SELECT month, status, closed_at FROM payroll_month ORDER BY month DESC`);
    return rows.map((r: Record<string, unknown>) => ({ month: r.month as string, status: r.status as PayrollMonthStatus, closedAt: (r.closed_at as Date | null) ?? null }));
  }
}
