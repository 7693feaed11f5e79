import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { StoreEntity } from '../../stores/entities/store.entity';

/** The low-stock alert line of a SKU at a store (库存预警线); also the safety stock of replenishment. */
@Entity('stock_alert_line')
@Index(['skuId'])
@Check('stock_alert_line_min', `min_quantity >= 0`)
export class StockAlertLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int', name: 'min_quantity' }) minQuantity!: number;
  @Column({ type: 'uuid', name: 'updated_by', nullable: true }) updatedBy!: string | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

export const STOCK_ALERT_STATUSES = ['open', 'resolved'] as const;
export type StockAlertStatus = (typeof STOCK_ALERT_STATUSES)[number];

/**
 * A low-stock alert (库存预警): raised when a SKU's stock at a store falls to its line or below,
 * resolved when it is above the line again (or the line is removed). One open alert per SKU and
 * store (partial unique index), so a run of sales raises one alert, not one per sale.
 */
@Entity('stock_alert')
@Index('stock_alert_one_open', ['storeId', 'skuId'], { unique: true, where: `status = 'open'` })
@Index(['storeId', 'status', 'raisedAt'])
@Check('stock_alert_status_check', `status IN ('open', 'resolved') AND (status = 'open') = (resolved_at IS NULL)`)
export class StockAlertEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  /** The line and the quantity when it was raised. */
  @Column({ type: 'int', name: 'min_quantity' }) minQuantity!: number;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'text', default: 'open' }) status!: StockAlertStatus;
  @CreateDateColumn({ type: 'timestamptz', name: 'raised_at' }) raisedAt!: Date;
  @Column({ type: 'timestamptz', name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  /** restocked (above the line again) or line_removed. */
  @Column({ type: 'text', nullable: true }) resolution!: string | null;
  @Column({ type: 'uuid', name: 'acknowledged_by', nullable: true }) acknowledgedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'acknowledged_at', nullable: true }) acknowledgedAt!: Date | null;
  /** How many notifications were handed to the outbox when it was raised (0 until notifications is wired). */
  @Column({ type: 'int', name: 'notified_count', default: 0 }) notifiedCount!: number;
}
