import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ScheduleExceptionKind } from '@chaincard/shared';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

/**
 * One interval of a staff member's weekly schedule at a store (周排班): weekday and minutes after
 * local midnight, [start, end). A staff member is at one store at a time: the exclusion constraint
 * (btree_gist) refuses overlapping intervals of one staff member on one weekday, across stores.
 */
@Entity('work_schedule')
@Index(['storeId', 'weekday'])
@Exclusion('work_schedule_no_overlap', `USING gist ("staff_id" WITH =, "weekday" WITH =, int4range("start_minute", "end_minute") WITH &&)`)
@Check('work_schedule_weekday_check', `weekday BETWEEN 1 AND 7`)
@Check('work_schedule_minutes_check', `start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute`)
export class WorkScheduleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  /** ISO weekday, 1 = Monday. */
  @Column({ type: 'int' }) weekday!: number;
  @Column({ type: 'int', name: 'start_minute' }) startMinute!: number;
  @Column({ type: 'int', name: 'end_minute' }) endMinute!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * A change to the weekly schedule on one day (排班调整): leave (请假: the whole day when it has no
 * times, else that part of it) or an extra shift (加班).
 */
@Entity('schedule_exception')
@Index(['staffId', 'day'])
@Index(['storeId', 'day'])
@Check('schedule_exception_kind_check', `kind IN ('leave', 'extra')`)
@Check(
  'schedule_exception_times_check',
  `(start_minute IS NULL AND end_minute IS NULL AND kind = 'leave')
   OR (start_minute >= 0 AND end_minute <= 1440 AND start_minute < end_minute)`,
)
export class ScheduleExceptionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'date' }) day!: string;
  @Column({ type: 'text' }) kind!: ScheduleExceptionKind;
  @Column({ type: 'int', name: 'start_minute', nullable: true }) startMinute!: number | null;
  @Column({ type: 'int', name: 'end_minute', nullable: true }) endMinute!: number | null;
  @Column({ type: 'text', default: '' }) reason!: string;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
