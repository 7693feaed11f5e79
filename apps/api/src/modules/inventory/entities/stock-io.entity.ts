import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

export const STOCK_IO_DIRECTIONS = ['in', 'out'] as const;
export type StockIoDirection = (typeof STOCK_IO_DIRECTIONS)[number];
/** damage (报损) and internal use (领用) only go out; gift (赠送 / 赠品入库), adjustment and other go either way. */
export const STOCK_IO_REASONS = ['damage', 'internal_use', 'gift', 'adjustment', 'other'] as const;
export type StockIoReason = (typeof STOCK_IO_REASONS)[number];
export const STOCK_IO_STATUSES = ['pending', 'posted', 'rejected', 'cancelled'] as const;
export type StockIoStatus = (typeof STOCK_IO_STATUSES)[number];

/** Other inbound or outbound (其他入库 / 其他出库) of a store, posted at once or after an approval. */
@Entity('stock_io')
@Index('stock_io_no_unique', ['no'], { unique: true })
@Index(['storeId', 'status'])
@Check('stock_io_direction_check', `direction IN ('in', 'out')`)
@Check('stock_io_reason_check', `reason IN ('damage', 'internal_use', 'gift', 'adjustment', 'other') AND (direction = 'out' OR reason NOT IN ('damage', 'internal_use'))`)
@Check('stock_io_status_check', `status IN ('pending', 'posted', 'rejected', 'cancelled')`)
export class StockIoEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) no!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text' }) direction!: StockIoDirection;
  @Column({ type: 'text' }) reason!: StockIoReason;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'text', default: 'pending' }) status!: StockIoStatus;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  /** Who approved or rejected it (null when posted without an approval step). */
  @Column({ type: 'uuid', name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'text', name: 'decision_note', default: '' }) decisionNote!: string;
  @Column({ type: 'timestamptz', name: 'posted_at', nullable: true }) postedAt!: Date | null;
  /** Value at cost of what moved (Σ |delta| × the movement's unit cost), once posted. */
  @Column({ type: 'bigint', name: 'value_fen', nullable: true }) valueFen!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** A SKU of an other inbound/outbound; an inbound may state the goods' unit cost (else the average). */
@Entity('stock_io_line')
@Check('stock_io_line_values', `quantity > 0 AND (unit_cost_fen IS NULL OR unit_cost_fen >= 0)`)
export class StockIoLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'stock_io_id' }) stockIoId!: string;
  @ManyToOne(() => StockIoEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'stock_io_id' })
  stockIo?: StockIoEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'bigint', name: 'unit_cost_fen', nullable: true }) unitCostFen!: string | null;
}
