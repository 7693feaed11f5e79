import { Injectable } from '@nestjs/common';
import { parseFen, type WageAdjustmentKind } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';

export interface AdjustmentRow {
  id: string;
  staffId: string;
  staffName: string;
  month: string;
  kind: WageAdjustmentKind;
  amountFen: number;
  reason: string;
  createdBy: string | null;
  createdAt: Date;
}

export interface PayslipRow {
  staffId: string;
  staffName: string;
  baseSalaryFen: number;
  commissionFen: number;
  bonusFen: number;
  deductionFen: number;
  totalFen: number;
}

const fen = (v: unknown) => parseFen(String(v ?? 0));

/** The only SQL over wage_profile, wage_adjustment and payslip. */
@Injectable()
export class PayrollRepository {
  async profile(m: EntityManager, staffId: string): Promise<{ baseSalaryFen: number; updatedAt: Date } | null> {
    const rows = await m.query(`SELECT base_salary_fen, updated_at FROM wage_profile WHERE staff_id = $1`, [staffId]);
    return rows.length ? { baseSalaryFen: fen(rows[0].base_salary_fen), updatedAt: rows[0].updated_at } : null;
  }

  async setProfile(m: EntityManager, staffId: string, baseSalaryFen: number, by: string): Promise<void> {
    await m.query(
      `INSERT INTO wage_profile (staff_id, base_salary_fen, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (staff_id) DO UPDATE SET base_salary_fen = EXCLUDED.base_salary_fen, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [staffId, baseSalaryFen, by],
    );
  }

  async staffExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM staff WHERE id = $1', [id])).length > 0;
  }

  async insertAdjustment(m: EntityManager, a: { staffId: string; month: string; kind: WageAdjustmentKind; amountFen: number; reason: string; createdBy: string }): Promise<string> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO wage_adjustment (staff_id, month, kind, amount_fen, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [a.staffId, a.month, a.kind, a.amountFen, a.reason, a.createdBy],
    );
    return row.id;
  }

  async adjustment(m: EntityManager, id: string): Promise<AdjustmentRow | null> {
    const rows = await m.query(`SELECT a.*, sf.name AS staff_name FROM wage_adjustment a JOIN staff sf ON sf.id = a.staff_id WHERE a.id = $1`, [id]);
    return rows.length ? toAdjustment(rows[0]) : null;
  }

  async deleteAdjustment(m: EntityManager, id: string): Promise<void> {
    await m.query(`DELETE FROM wage_adjustment WHERE id = $1`, [id]);
  }

  async adjustments(m: EntityManager, f: { month: string; staffIds: string[] | null }): Promise<AdjustmentRow[]> {
    const rows = await m.query(
      `SELECT a.*, sf.name AS staff_name FROM wage_adjustment a JOIN staff sf ON sf.id = a.staff_id
        WHERE a.month = $1 AND ($2::uuid[] IS NULL OR a.staff_id = ANY($2::uuid[])) ORDER BY a.created_at, a.id`,
      [f.month, f.staffIds],
    );
    return rows.map(toAdjustment);
  }

  /**
   * Every staff member with pay in a month, live: base salary from the profile (active staff with a
   * profile), bonuses and deductions of the month, and the commission passed in (booked into it).
   */
  async livePayslips(m: EntityManager, month: string, commission: Map<string, number>): Promise<PayslipRow[]> {
    const rows: { id: string; name: string; base: string | null; bonus: string; deduction: string }[] = await m.query(
      `SELECT sf.id, sf.name, wp.base_salary_fen AS base,
              COALESCE((SELECT sum(amount_fen) FROM wage_adjustment a WHERE a.staff_id = sf.id AND a.month = $1 AND a.kind = 'bonus'), 0) AS bonus,
              COALESCE((SELECT sum(amount_fen) FROM wage_adjustment a WHERE a.staff_id = sf.id AND a.month = $1 AND a.kind = 'deduction'), 0) AS deduction
         FROM staff sf LEFT JOIN wage_profile wp ON wp.staff_id = sf.id
        WHERE (sf.status = 'active' AND wp.staff_id IS NOT NULL)
           OR sf.id = ANY($2::uuid[])
           OR EXISTS (SELECT 1 FROM wage_adjustment a WHERE a.staff_id = sf.id AND a.month = $1)`,
      [month, [...commission.keys()]],
    );
    return rows.map((r) => {
      const baseSalaryFen = fen(r.base);
      const commissionFen = commission.get(r.id) ?? 0;
      const bonusFen = fen(r.bonus);
      const deductionFen = fen(r.deduction);
      return { staffId: r.id, staffName: r.name, baseSalaryFen, commissionFen, bonusFen, deductionFen, totalFen: baseSalaryFen + commissionFen + bonusFen - deductionFen };
    });
  }

  async insertPayslips(m: EntityManager, month: string, slips: PayslipRow[]): Promise<void> {
    for (const s of slips) {
      await m.query(
        `INSERT INTO payslip (month, staff_id, staff_name, base_salary_fen, commission_fen, bonus_fen, deduction_fen, total_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [month, s.staffId, s.staffName, s.baseSalaryFen, s.commissionFen, s.bonusFen, s.deductionFen, s.totalFen],
      );
    }
  }

  async payslips(m: EntityManager, month: string): Promise<PayslipRow[]> {
    const rows = await m.query(`SELECT * FROM payslip WHERE month = $1`, [month]);
    return rows.map((r: Record<string, unknown>) => ({
      staffId: r.staff_id as string,
      staffName: r.staff_name as string,
      baseSalaryFen: fen(r.base_salary_fen),
      commissionFen: fen(r.commission_fen),
      bonusFen: fen(r.bonus_fen),
      deductionFen: fen(r.deduction_fen),
      totalFen: fen(r.total_fen),
    }));
  }

  /** Staff who work at any of these stores (a store manager sees their pay). */
  async staffOfStores(m: EntityManager, storeIds: string[]): Promise<string[]> {
    const rows: { staff_id: string }[] = await m.query(`SELECT DISTINCT staff_id FROM staff_store WHERE store_id = ANY($1::uuid[])`, [storeIds]);
    return rows.map((r) => r.staff_id);
  }
}

function toAdjustment(r: Record<string, unknown>): AdjustmentRow {
  return {
    id: r.id as string,
    staffId: r.staff_id as string,
    staffName: r.staff_name as string,
    month: r.month as string,
    kind: r.kind as WageAdjustmentKind,
    amountFen: fen(r.amount_fen),
    reason: r.reason as string,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: r.created_at as Date,
  };
}
