import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { BookingDepositStatus, BookingSource, BookingStatus, QueueTicketStatus } from '@chaincard/shared';
import { ProductEntity, SkuEntity } from '../../catalog/entities/catalog.entity';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';

/** The chain's booking rules (预约规则), one row. */
@Entity('booking_settings')
@Check('booking_settings_single_row', `id = 1`)
@Check(
  'booking_settings_ranges',
  `max_days_ahead BETWEEN 0 AND 365 AND min_lead_minutes BETWEEN 0 AND 10080 AND cancel_deadline_minutes BETWEEN 0 AND 10080
   AND slot_step_minutes BETWEEN 5 AND 240 AND deposit_fen >= 0 AND reminder_minutes BETWEEN 0 AND 10080 AND max_active_per_member BETWEEN 1 AND 100`,
)
export class BookingSettingsEntity {
  @PrimaryColumn({ type: 'int', default: 1 }) id!: number;
  /** A booking's day may be at most this many days after today (store calendar). */
  @Column({ type: 'int', name: 'max_days_ahead', default: 14 }) maxDaysAhead!: number;
  /** Members book at least this long before the start. */
  @Column({ type: 'int', name: 'min_lead_minutes', default: 60 }) minLeadMinutes!: number;
  /** Members cancel online at least this long before the start (取消截止时间). */
  @Column({ type: 'int', name: 'cancel_deadline_minutes', default: 120 }) cancelDeadlineMinutes!: number;
  /** Free slots are offered on this grid from midnight (e.g. every 30 minutes). */
  @Column({ type: 'int', name: 'slot_step_minutes', default: 30 }) slotStepMinutes!: number;
  /** Deposit (定金) a member pays from stored value when booking in the app; 0 = none. */
  @Column({ ...fenColumn, name: 'deposit_fen', default: 0 }) depositFen!: number;
  /** Member bookings are confirmed at once; false = the store confirms each one. */
  @Column({ type: 'boolean', name: 'auto_confirm', default: true }) autoConfirm!: boolean;
  /** The reminder goes this long before the start; 0 = no reminder. */
  @Column({ type: 'int', name: 'reminder_minutes', default: 120 }) reminderMinutes!: number;
  /** Open (pending, confirmed) future bookings a member may hold at once through the app. */
  @Column({ type: 'int', name: 'max_active_per_member', default: 3 }) maxActivePerMember!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Who performs which service (服务技能): a staff member and a service product of the catalog. */
@Entity('staff_service')
@Index(['productId'])
export class StaffServiceEntity {
  @PrimaryColumn({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @PrimaryColumn({ type: 'uuid', name: 'product_id' }) productId!: string;
  @ManyToOne(() => ProductEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: ProductEntity;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * A booking (预约) of a service with a technician at a store, [starts_at, ends_at). No double
 * booking: the exclusion constraint (btree_gist) refuses two active bookings of one staff member
 * whose times overlap, however many requests race; cancelled, no-show and completed ones free the time.
 */
@Entity('booking')
@Index(['storeId', 'startsAt'])
@Index(['staffId', 'startsAt'])
@Index(['memberId', 'startsAt'])
@Index('booking_order_unique', ['orderId'], { unique: true, where: 'order_id IS NOT NULL' })
@Exclusion(
  'booking_no_double_booking',
  `USING gist ("staff_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE (status IN ('pending', 'confirmed', 'arrived'))`,
)
@Check('booking_status_check', `status IN ('pending', 'confirmed', 'arrived', 'completed', 'cancelled', 'no_show')`)
@Check('booking_source_check', `source IN ('member', 'staff')`)
@Check('booking_times_check', `ends_at > starts_at`)
@Check(
  'booking_deposit_check',
  `(deposit_fen = 0 AND deposit_status = 'none' AND deposit_spend_id IS NULL)
   OR (deposit_fen > 0 AND deposit_status IN ('held', 'returned', 'forfeited') AND deposit_spend_id IS NOT NULL)`,
)
@Check('booking_completed_check', `(status = 'completed') = (completed_at IS NOT NULL)`)
export class BookingEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'staff_id' }) staffId!: string;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  @Column({ type: 'uuid', name: 'product_id' }) productId!: string;
  @ManyToOne(() => ProductEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'product_id' })
  product?: ProductEntity;
  /** The SKU that checkout rings up. */
  @Column({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  /** The service's name and duration when booked. */
  @Column({ type: 'text', name: 'service_name' }) serviceName!: string;
  @Column({ type: 'int', name: 'duration_minutes' }) durationMinutes!: number;
  @Column({ type: 'timestamptz', name: 'starts_at' }) startsAt!: Date;
  @Column({ type: 'timestamptz', name: 'ends_at' }) endsAt!: Date;
  @Column({ type: 'text' }) status!: BookingStatus;
  @Column({ type: 'text' }) source!: BookingSource;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ ...fenColumn, name: 'deposit_fen', default: 0 }) depositFen!: number;
  @Column({ type: 'text', name: 'deposit_status', default: 'none' }) depositStatus!: BookingDepositStatus;
  /** The stored-value spend (wallet_spend) that paid the deposit. */
  @Column({ type: 'uuid', name: 'deposit_spend_id', nullable: true }) depositSpendId!: string | null;
  @Column({ type: 'uuid', name: 'created_by_staff_id', nullable: true }) createdByStaffId!: string | null;
  @Column({ type: 'int', name: 'reschedule_count', default: 0 }) rescheduleCount!: number;
  @Column({ type: 'timestamptz', name: 'confirmed_at', nullable: true }) confirmedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'arrived_at', nullable: true }) arrivedAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'completed_at', nullable: true }) completedAt!: Date | null;
  /** The order that settled the booking at checkout. */
  @Column({ type: 'uuid', name: 'order_id', nullable: true }) orderId!: string | null;
  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column({ type: 'text', name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @Column({ type: 'text', name: 'cancelled_by', nullable: true }) cancelledBy!: 'member' | 'staff' | null;
  @Column({ type: 'timestamptz', name: 'no_show_at', nullable: true }) noShowAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** The last queue number handed out per store and business day: one atomic upsert numbers tickets. */
@Entity('queue_counter')
export class QueueCounterEntity {
  @PrimaryColumn({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @PrimaryColumn({ type: 'date', name: 'business_day' }) businessDay!: string;
  @Column({ type: 'int', name: 'last_number' }) lastNumber!: number;
}

/** A walk-in's queue number (排队号) at a store on a business day. */
@Entity('queue_ticket')
@Unique('queue_ticket_number_unique', ['storeId', 'businessDay', 'number'])
@Index(['storeId', 'businessDay', 'status'])
@Index(['memberId', 'createdAt'])
@Check('queue_ticket_status_check', `status IN ('waiting', 'called', 'served', 'skipped', 'cancelled')`)
@Check('queue_ticket_number_check', `number > 0 AND party_size BETWEEN 1 AND 99`)
export class QueueTicketEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'date', name: 'business_day' }) businessDay!: string;
  @Column({ type: 'int' }) number!: number;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text', name: 'customer_name', nullable: true }) customerName!: string | null;
  @Column({ type: 'int', name: 'party_size', default: 1 }) partySize!: number;
  /** The service the walk-in wants, if said. */
  @Column({ type: 'uuid', name: 'sku_id', nullable: true }) skuId!: string | null;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'text', default: 'waiting' }) status!: QueueTicketStatus;
  @Column({ type: 'int', name: 'call_count', default: 0 }) callCount!: number;
  @Column({ type: 'timestamptz', name: 'called_at', nullable: true }) calledAt!: Date | null;
  @Column({ type: 'uuid', name: 'called_by_staff_id', nullable: true }) calledByStaffId!: string | null;
  /** Who serves the walk-in (set when called, or when served). */
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
