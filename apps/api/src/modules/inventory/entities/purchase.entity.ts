import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { SkuEntity } from '../../catalog/entities/catalog.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import { SupplierEntity } from './supplier.entity';

export const PURCHASE_ORDER_STATUSES = ['draft', 'ordered', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

/** A purchase order (采购单) of one store from one supplier: draft → ordered → partly / fully received. */
@Entity('purchase_order')
@Index('purchase_order_no_unique', ['no'], { unique: true })
@Index(['storeId', 'status'])
@Index(['supplierId'])
@Check('purchase_order_status_check', `status IN ('draft', 'ordered', 'partially_received', 'received', 'closed', 'cancelled')`)
export class PurchaseOrderEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) no!: string;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'uuid', name: 'supplier_id' }) supplierId!: string;
  @ManyToOne(() => SupplierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: SupplierEntity;
  @Column({ type: 'text', default: 'draft' }) status!: PurchaseOrderStatus;
  @Column({ type: 'date', name: 'expected_date', nullable: true }) expectedDate!: string | null;
  @Column({ type: 'text', default: '' }) note!: string;
  /** Where the order came from: by hand, or exported from the replenishment suggestion. */
  @Column({ type: 'text', default: 'manual' }) source!: string;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column({ type: 'timestamptz', name: 'ordered_at', nullable: true }) orderedAt!: Date | null;
  /** When it was fully received, closed short or cancelled. */
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** One SKU of a purchase order: quantity and agreed unit cost; what was received and returned of it. */
@Entity('purchase_order_line')
@Index(['skuId'])
@Check('purchase_order_line_quantities', `quantity > 0 AND received_quantity BETWEEN 0 AND quantity AND returned_quantity BETWEEN 0 AND received_quantity`)
@Check('purchase_order_line_cost', `unit_cost_fen >= 0`)
export class PurchaseOrderLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'purchase_order_id' }) purchaseOrderId!: string;
  @ManyToOne(() => PurchaseOrderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'purchase_order_id' })
  purchaseOrder?: PurchaseOrderEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'bigint', name: 'unit_cost_fen' }) unitCostFen!: string;
  @Column({ type: 'int', name: 'received_quantity', default: 0 }) receivedQuantity!: number;
  @Column({ type: 'int', name: 'returned_quantity', default: 0 }) returnedQuantity!: number;
  @Column({ type: 'int', name: 'sort_order', default: 0 }) sortOrder!: number;
}

/** Goods received against a purchase order (采购入库单): each line enters stock at its cost. */
@Entity('purchase_receipt')
@Index('purchase_receipt_no_unique', ['no'], { unique: true })
@Index(['purchaseOrderId'])
export class PurchaseReceiptEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) no!: string;
  @Column({ type: 'uuid', name: 'purchase_order_id' }) purchaseOrderId!: string;
  @ManyToOne(() => PurchaseOrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'purchase_order_id' })
  purchaseOrder?: PurchaseOrderEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text', default: '' }) note!: string;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

@Entity('purchase_receipt_line')
@Check('purchase_receipt_line_values', `quantity > 0 AND unit_cost_fen >= 0`)
export class PurchaseReceiptLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'receipt_id' }) receiptId!: string;
  @ManyToOne(() => PurchaseReceiptEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'receipt_id' })
  receipt?: PurchaseReceiptEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'bigint', name: 'unit_cost_fen' }) unitCostFen!: string;
}

/** Goods sent back to the supplier (采购退货单) from what a purchase order brought in. */
@Entity('purchase_return')
@Index('purchase_return_no_unique', ['no'], { unique: true })
@Index(['purchaseOrderId'])
export class PurchaseReturnEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) no!: string;
  @Column({ type: 'uuid', name: 'purchase_order_id' }) purchaseOrderId!: string;
  @ManyToOne(() => PurchaseOrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'purchase_order_id' })
  purchaseOrder?: PurchaseOrderEntity;
  @Column({ type: 'uuid', name: 'store_id' }) storeId!: string;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text' }) reason!: string;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A returned SKU: quantity and the unit price the supplier credits (the order's cost unless stated). */
@Entity('purchase_return_line')
@Check('purchase_return_line_values', `quantity > 0 AND unit_cost_fen >= 0`)
export class PurchaseReturnLineEntity {
  @PrimaryColumn({ type: 'uuid', name: 'return_id' }) returnId!: string;
  @ManyToOne(() => PurchaseReturnEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'return_id' })
  purchaseReturn?: PurchaseReturnEntity;
  @PrimaryColumn({ type: 'uuid', name: 'sku_id' }) skuId!: string;
  @ManyToOne(() => SkuEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sku_id' })
  sku?: SkuEntity;
  @Column({ type: 'int' }) quantity!: number;
  @Column({ type: 'bigint', name: 'unit_cost_fen' }) unitCostFen!: string;
}
