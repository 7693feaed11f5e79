import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SUPPLIER_STATUSES = ['active', 'inactive'] as const;
export type SupplierStatus = (typeof SUPPLIER_STATUSES)[number];

/** A supplier (供应商) of the chain: HQ keeps the list, every store orders from it. */
@Entity('supplier')
@Index('supplier_code_unique', ['code'], { unique: true })
@Check('supplier_status_check', `status IN ('active', 'inactive')`)
@Check('supplier_lead_time_check', `lead_time_days BETWEEN 0 AND 365`)
export class SupplierEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', name: 'contact_name', nullable: true }) contactName!: string | null;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ type: 'text', nullable: true }) address!: string | null;
  /** Days from ordering to goods at the store: the replenishment suggestion plans with it. */
  @Column({ type: 'int', name: 'lead_time_days', default: 3 }) leadTimeDays!: number;
  @Column({ type: 'text', default: 'active' }) status!: SupplierStatus;
  @Column({ type: 'text', default: '' }) note!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * The chain's inventory settings, one row, edited by HQ and audited: whether other inbound and
 * other outbound (其他入库 / 其他出库) wait for an approval before they move stock.
 */
@Entity('inventory_settings')
@Check('inventory_settings_single_row', `id = 1`)
export class InventorySettingsEntity {
  @PrimaryColumn({ type: 'int', default: 1 }) id!: number;
  @Column({ type: 'boolean', name: 'inbound_needs_approval', default: false }) inboundNeedsApproval!: boolean;
  @Column({ type: 'boolean', name: 'outbound_needs_approval', default: true }) outboundNeedsApproval!: boolean;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
