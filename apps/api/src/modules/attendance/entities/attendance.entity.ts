import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

/** The chain's attendance rules (考勤规则), one row. */
@Entity('attendance_settings')
@Check('attendance_settings_single_row', `id = 1`)
@Check('attendance_settings_grace_check', `late_grace_minutes BETWEEN 0 AND 240 AND early_grace_minutes BETWEEN 0 AND 240`)
export class AttendanceSettingsEntity {
  @PrimaryColumn({ type: 'int', default: 1 }) id!: number;
  /** A clock-in up to this many minutes after the scheduled start is not late. */
  @Column({ type: 'int', name: 'late_grace_minutes', default: 5 }) lateGraceMinutes!: number;
  /** A clock-out up to this many minutes before the scheduled end is not early. */
  @Column({ type: 'int', name: 'early_grace_minutes', default: 5 }) earlyGraceMinutes!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * One stretch of work at a store (考勤记录): clock-in, then clock-out. A staff member is clocked in
 * at most once at a time and his records never overlap: the exclusion constraint (btree_gist)
 * treats an open record as lasting forever, so a second clock-in — however concurrent — is refused.
 */
@Entity('attendance_record')
@Index(['storeId', 'businessDay'])
@Index(['staffId', 'businessDay'])
@Exclusion('attendance_record_no_overlap', `USING gist ("staff_id" WITH =, tstzrange("clock_in_at", COALESCE("clock_out_at", 'infinity'::timestamptz), '[)') WITH &&)`)
@Check('attendance_record_times_check', `clock_out_at IS NULL OR clock_out_at > clock_in_at`)
@Check('attendance_record_source_check', `source IN ('clock', 'correction')`)
export class AttendanceRecordEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  /** The store's calendar day of the clock-in: the day it counts for. */
  @Column({ type: 'date', name: 'business_day' }) businessDay!: string;
  @Column({ type: 'timestamptz', name: 'clock_in_at' }) clockInAt!: Date;
  @Column({ type: 'timestamptz', name: 'clock_out_at', nullable: true }) clockOutAt!: Date | null;
  /** clock: punched by the staff member; correction: entered or changed by a manager (补卡). */
  @Column({ type: 'text', default: 'clock' }) source!: 'clock' | 'correction';
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
