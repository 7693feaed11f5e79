import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { CashMovementKind, PaymentMethod, ShiftStatus } from '@chaincard/shared';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';

/**
 * One staff member's drawer at one store from open to close (班次). At most one open shift per
 * staff member and store (partial unique index). Closing fixes the expected and counted cash and
 * their difference; a trigger refuses any change to a closed shift and every delete.
 */
@Entity('shift')
@Index('shift_one_open_per_staff_store', ['staffId', 'storeId'], { unique: true, where: `status = 'open'` })
@Index(['storeId', 'businessDay'])
@Index(['staffId', 'openedAt'])
@Check('shift_status_check', `status IN ('open', 'closed')`)
@Check('shift_float_check', `float_fen >= 0`)
@Check(
  'shift_close_shape_check',
  `(status = 'open' AND closed_at IS NULL AND counted_cash_fen IS NULL AND expected_cash_fen IS NULL AND difference_fen IS NULL)
   OR (status = 'closed' AND closed_at IS NOT NULL AND counted_cash_fen >= 0 AND expected_cash_fen IS NOT NULL AND difference_fen = counted_cash_fen - expected_cash_fen)`,
)
export class ShiftEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'text', default: 'open' }) status!: ShiftStatus;
  /** 备用金: the change the drawer starts with. */
  @Column({ ...fenColumn, name: 'float_fen' }) floatFen!: number;
  /** The store's calendar day (its time zone) when the shift opened: the day it is reported under. */
  @Column({ type: 'date', name: 'business_day' }) businessDay!: string;
  @Column({ type: 'timestamptz', name: 'opened_at', default: () => 'now()' }) openedAt!: Date;
  @Column({ type: 'text', name: 'open_note', nullable: true }) openNote!: string | null;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
  /** Who closed it: the staff member, or a manager handing it over (代交班). */
  @Column({ type: 'uuid', name: 'closed_by_staff_id', nullable: true }) closedByStaffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'closed_by_staff_id' })
  closedBy?: StaffEntity;
  @Column({ ...fenColumn, name: 'counted_cash_fen', nullable: true }) countedCashFen!: number | null;
  @Column({ ...fenColumn, name: 'expected_cash_fen', nullable: true }) expectedCashFen!: number | null;
  /** counted − expected: above 0 the drawer is over (长款), below 0 short (短款). */
  @Column({ ...fenColumn, name: 'difference_fen', nullable: true }) differenceFen!: number | null;
  @Column({ type: 'text', name: 'close_note', nullable: true }) closeNote!: string | null;
}

/** Cash put into or taken out of the drawer during a shift (append-only). */
@Entity('shift_cash_movement')
@Index(['shiftId', 'createdAt'])
@Check('shift_cash_movement_kind_check', `kind IN ('cash_in', 'cash_out')`)
@Check('shift_cash_movement_amount_check', `amount_fen > 0`)
export class ShiftCashMovementEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'shift_id' }) shiftId!: string;
  @ManyToOne(() => ShiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'shift_id' })
  shift?: ShiftEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @Column({ type: 'text' }) kind!: CashMovementKind;
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * Money taken (or, negative, handed back) in a shift by one payment method for one operation
 * (append-only). Written by ShiftsService.recordTakings inside the operation's transaction.
 */
@Entity('shift_taking')
@Index(['shiftId', 'method'])
@Index(['refType', 'refId'])
@Check('shift_taking_method_check', `method IN ('cash', 'bank_card', 'wechat', 'stored_value', 'points', 'coupon', 'count_card')`)
@Check('shift_taking_amount_check', `amount_fen <> 0`)
export class ShiftTakingEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'shift_id' }) shiftId!: string;
  @ManyToOne(() => ShiftEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'shift_id' })
  shift?: ShiftEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @Column({ type: 'text' }) method!: PaymentMethod;
  /** Signed: a sale is positive, a refund negative. */
  @Column({ ...fenColumn, name: 'amount_fen' }) amountFen!: number;
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
