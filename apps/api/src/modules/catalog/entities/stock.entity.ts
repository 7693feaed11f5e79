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
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Append-only (a trigger refuses changes): every change of a SKU's stock at a store, and why. */
@Entity('stock_movement')
@Index(['storeId', 'skuId', 'id'])
@Index(['refType', 'refId'])
@Check('stock_movement_delta_non_zero', `delta <> 0`)
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
  /** opening, adjustment, sale, refund (later: purchase, transfer_out, transfer_in, stocktake, …) */
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'text', name: 'ref_type' }) refType!: string;
  @Column({ type: 'text', name: 'ref_id' }) refId!: string;
  @Column({ type: 'text', name: 'operator_kind' }) operatorKind!: string;
  @Column({ type: 'uuid', name: 'operator_id', nullable: true }) operatorId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
