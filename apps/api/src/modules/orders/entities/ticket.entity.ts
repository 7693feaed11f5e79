import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { fenColumn } from '../../wallet/entities/fen-column';

/** open: 开单 (a visit with services added as they are done); parked: 挂单 (a cart put aside). */
export const TICKET_KINDS = ['open', 'parked'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/** settled: paid through an order; resumed: a parked cart taken back to the till (取单). */
export const TICKET_STATUSES = ['open', 'settled', 'resumed', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * An open ticket (开单) or a parked sale (挂单): a cart kept on the server, visible to every cashier
 * of the store. It holds no money and no stock: nothing is priced, paid or taken until it is
 * settled through the order path, which locks this row so that it settles into exactly one order.
 */
@Entity('ticket')
@Index(['storeId', 'status', 'createdAt'])
@Check('ticket_kind_check', `kind IN ('open', 'parked')`)
@Check('ticket_status_check', `status IN ('open', 'settled', 'resumed', 'cancelled')`)
@Check('ticket_points_check', `points_to_use >= 0`)
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', name: 'ticket_no', unique: true }) ticketNo!: string;
  @Column({ type: 'text' }) kind!: TicketKind;
  @Column({ type: 'text', default: 'open' }) status!: TicketStatus;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  /** What the counter calls it: a table, a plate number, a name. */
  @Column({ type: 'text', nullable: true }) label!: string | null;
  @Column({ type: 'uuid', array: true, name: 'coupon_ids', default: () => "'{}'" }) couponIds!: string[];
  @Column({ type: 'int', name: 'points_to_use', default: 0 }) pointsToUse!: number;
  @Column({ type: 'uuid', name: 'opened_by', nullable: true }) openedBy!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'opened_by' })
  opener?: StaffEntity;
  @Column({ type: 'uuid', name: 'closed_by', nullable: true }) closedBy!: string | null;
  /** The order that settled it (the order row holds the unique link back). */
  @Column({ type: 'uuid', name: 'order_id', nullable: true }) orderId!: string | null;
  @Column({ type: 'text', name: 'cancel_reason', nullable: true }) cancelReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', name: 'closed_at', nullable: true }) closedAt!: Date | null;
}

/** A line of a ticket: a SKU and quantity with its serving staff; priced only when settled. */
@Entity('ticket_line')
@Index(['ticketId', 'createdAt'])
@Check('ticket_line_quantity_check', `quantity > 0 AND (manual_discount_fen IS NULL OR manual_discount_fen >= 0)`)
export class TicketLineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'ticket_id' }) ticketId!: string;
  @ManyToOne(() => TicketEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ticket_id' })
  ticket?: TicketEntity;
  @Column({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  /** The name when added, for the ticket list; the settlement re-reads the catalog. */
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ ...fenColumn, name: 'manual_discount_fen', nullable: true }) manualDiscountFen!: number | null;
  @Column({ type: 'uuid', array: true, name: 'serving_staff_ids', default: () => "'{}'" }) servingStaffIds!: string[];
  @Column({ type: 'uuid', name: 'added_by', nullable: true }) addedBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
