import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

export const TRANSFER_STATUSES = ['requested', 'approved', 'in_transit', 'done', 'rejected', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/**
 * A transfer of goods between two stores (调货): requested by the receiving store (or HQ),
 * approved by the sending store (or HQ), shipped (the goods leave the sending store and are in
 * transit), received (they enter the receiving store; differences recorded) → done.
 */
@Entity('transfer')
@Index('transfer_no_unique', ['no'], { unique: true })
@Index(['fromStoreId', 'status'])
@Index(['toStoreId', 'status'])
@Check('transfer_status_check', `status IN ('requested', 'approved', 'in_transit', 'done', 'rejected', 'cancelled')`)
@Check('transfer_two_stores', `from_store_id <> to_store_id`)
export class TransferEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) no!: string;
  @Column({ type: 'uuid', name: 'from_store_id' }) fromStoreId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_store_id' })
  fromStore?: StoreEntity;
  @Column({ type: 'uuid', name: 'to_store_id' }) toStoreId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_store_id' })
  toStore?: StoreEntity;
  @Column({ type: 'text', default: 'requested' }) status!: TransferStatus;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'uuid', name: 'requested_by', nullable: true }) requestedBy!: string | null;
  @Column({ type: 'uuid', name: 'approved_by', nullable: true }) approvedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'approved_at', nullable: true }) approvedAt!: Date | null;
  @Column({ type: 'uuid', name: 'shipped_by', nullable: true }) shippedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'shipped_at', nullable: true }) shippedAt!: Date | null;
  @Column({ type: 'uuid', name: 'received_by', nullable: true }) receivedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'received_at', nullable: true }) receivedAt!: Date | null;
  /** Why it was rejected or cancelled. */
  @Column({ type: 'text', name: 'closing_note', default: '' }) closingNote!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A SKU of a transfer. Quantities narrow step by step (received ≤ shipped ≤ approved ≤ requested);
 * shipped − received is in transit while the transfer is, and the recorded difference once done.
 */
@Entity('transfer_line')
@Index(['skuId'])
@Check(
  'transfer_line_quantities',
  `requested_quantity > 0 AND (approved_quantity IS NULL OR approved_quantity BETWEEN 0 AND requested_quantity)
   AND (shipped_quantity IS NULL OR (approved_quantity IS NOT NULL AND shipped_quantity BETWEEN 0 AND approved_quantity))
   AND (received_quantity IS NULL OR (shipped_quantity IS NOT NULL AND received_quantity BETWEEN 0 AND shipped_quantity))`,
)
@Check('transfer_line_cost', `unit_cost_fen IS NULL OR unit_cost_fen >= 0`)
export class TransferLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'transfer_id' }) transferId!: string;
  @ManyToOne(() => TransferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'transfer_id' })
  transfer?: TransferEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int', name: 'requested_quantity' }) requestedQuantity!: number;
  @Column({ type: 'int', name: 'approved_quantity', nullable: true }) approvedQuantity!: number | null;
  @Column({ type: 'int', name: 'shipped_quantity', nullable: true }) shippedQuantity!: number | null;
  @Column({ type: 'int', name: 'received_quantity', nullable: true }) receivedQuantity!: number | null;
  /** The sending store's average cost when shipped: the goods arrive at it, and the in-transit value uses it. */
  @Column({ type: 'bigint', name: 'unit_cost_fen', nullable: true }) unitCostFen!: string | null;
  /** Why fewer arrived than were shipped (broken, lost), recorded on receipt. */
  @Column({ type: 'text', name: 'difference_note', default: '' }) differenceNote!: string;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
}
