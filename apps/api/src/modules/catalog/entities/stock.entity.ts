import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { StoreEntity } from '../../stores/entities/store.entity';
import { SkuEntity } from './catalog.entity';

/**
 * Stock of a SKU at one store (门店库存). Changed only by StockService.move: a conditional UPDATE
 * plus a stock_movement row in the same transaction. No CHECK (quantity >= 0): the chain may allow
 * negative stock; the reconcile check holds it to the setting.
 */
@Entity('stock')
@Index(['skuId'])
@Check('stock_avg_cost_non_negative', `avg_cost_fen IS NULL OR avg_cost_fen >= 0`)
export class StockEntity {
  @PrimaryColumn({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int', default: 0 }) quantity!: number;
  /**
   * The store's moving-average unit cost (移动加权平均成本), in fen; null until the store's first
   * movement of the SKU, which starts it at the catalog's cost. Changed only with a movement, in
   * StockService (domain/stock-cost.ts).
   */
  @Column({ type: 'bigint', name: 'avg_cost_fen', nullable: true }) avgCostFen!: string | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Append-only (a trigger refuses changes): every change of a SKU's stock at a store, and why. */
@Entity('stock_movement')
@Index(['storeId', 'skuId', 'id'])
// The store's journal by time, and sales velocity over the last N days.
@Index(['storeId', 'createdAt'])
@Index(['refType', 'refId'])
@Check('stock_movement_delta_non_zero', `delta <> 0`)
@Check('stock_movement_costs_non_negative', `(unit_cost_fen IS NULL OR unit_cost_fen >= 0) AND (avg_cost_after_fen IS NULL OR avg_cost_after_fen >= 0)`)
export class StockMovementEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int' }) delta!: number;
  @Column({ type: 'int', name: 'quantity_after' }) quantityAfter!: number;
  /** opening, adjustment, sale, refund, purchase, purchase_return, transfer_out, transfer_in, other_in, other_out, stocktake, gift_redemption, gift_redemption_cancel */
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  /**
   * What one unit of this movement is worth at cost, in fen: the stated cost of goods coming in
   * with one, else the store's average at the time. delta × unit_cost_fen is the movement's value.
   * Null only on movements written before costs were kept.
   */
  @Column({ type: 'bigint', name: 'unit_cost_fen', nullable: true }) unitCostFen!: string | null;
  /** The store's moving-average cost after this movement (stock.avg_cost_fen follows the last one). */
  @Column({ type: 'bigint', name: 'avg_cost_after_fen', nullable: true }) avgCostAfterFen!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
