import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { PayrollMonthStatus, WageAdjustmentKind } from '@chaincard/shared';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { fenColumn } from '../../wallet/entities/fen-column';

/**
 * A payroll month (工资月份, 'YYYY-MM'). Open until HQ closes it (关账); closed is final: triggers
 * refuse any change to the row, to its adjustments and payslips, and new commission in it.
 */
@Entity('payroll_month')
@Check('payroll_month_format_check', `month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`)
@Check('payroll_month_status_check', `status IN ('open', 'closed')`)
@Check('payroll_month_close_shape_check', `(status = 'open') = (closed_at IS NULL)`)
export class PayrollMonthEntity {
  @PrimaryColumn({ type: 'text' }) month!: string;
  @Column({ type: 'text', default: 'open' }) status!: PayrollMonthStatus;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @Column({ type: 'uuid', name: 'closed_by_staff_id', nullable: true }) closedByStaffId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A staff member's monthly base salary (基本工资). */
@Entity('wage_profile')
@Check('wage_profile_base_check', `base_salary_fen >= 0`)
export class WageProfileEntity {
  @PrimaryColumn({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ ...fenColumn, name: 'base_salary_fen' }) baseSalaryFen!: number;
  @Column({ type: 'uuid', name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** A bonus (奖金) or deduction (扣款) on a staff member's pay of one month. */
@Entity('wage_adjustment')
@Index(['month', 'staffId'])
@Check('wage_adjustment_kind_check', `kind IN ('bonus', 'deduction')`)
@Check('wage_adjustment_amount_check', `amount_fen > 0`)
export class WageAdjustmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'text' }) month!: string;
  @ManyToOne(() => PayrollMonthEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'month' })
  payrollMonth?: PayrollMonthEntity;
  @Column({ type: 'text' }) kind!: WageAdjustmentKind;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A staff member's payslip (工资条) of a closed month, fixed at the close (append-only). */
@Entity('payslip')
@Unique('payslip_month_staff_unique', ['month', 'staffId'])
@Check('payslip_total_check', `total_fen = base_salary_fen + commission_fen + bonus_fen - deduction_fen AND base_salary_fen >= 0 AND bonus_fen >= 0 AND deduction_fen >= 0`)
export class PayslipEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) month!: string;
  @ManyToOne(() => PayrollMonthEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'month' })
  payrollMonth?: PayrollMonthEntity;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'text', name: 'staff_name' }) staffName!: string;
  @Column({ ...fenColumn, name: 'base_salary_fen' }) baseSalaryFen!: number;
  /** Net commission booked into the month (accruals less reversals; may be negative after refunds). */
  @Column({ ...fenColumn, name: 'commission_fen' }) commissionFen!: number;
  @Column({ ...fenColumn, name: 'bonus_fen' }) bonusFen!: number;
  @Column({ ...fenColumn, name: 'deduction_fen' }) deductionFen!: number;
  @Column({ ...fenColumn, name: 'total_fen' }) totalFen!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
