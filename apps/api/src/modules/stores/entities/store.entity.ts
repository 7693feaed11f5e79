import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StoreStatus } from '@chaincard/shared';

export interface BusinessHours {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  open: string;
  close: string;
}

/** The brand itself: one deployment serves one chain (连锁品牌). */
@Entity('chain')
export class ChainEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', name: 'time_zone', default: 'Asia/Shanghai' }) timeZone!: string;
  /** A member with no visit for this many days is flagged as churning (客户流失提醒). */
  @Column({ type: 'int', name: 'churn_days', default: 90 }) churnDays!: number;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A store (门店). Every store-scoped record points at one. */
@Entity('store')
@Check('store_status_check', `status IN ('open', 'paused', 'closed')`)
export class StoreEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) city!: string;
  @Column({ type: 'text', default: '' }) address!: string;
  @Column({ type: 'text', default: '' }) phone!: string;
  @Column({ type: 'jsonb', name: 'business_hours', default: () => "'[]'" }) businessHours!: BusinessHours[];
  @Column({ type: 'text', name: 'time_zone', default: 'Asia/Shanghai' }) timeZone!: string;
  @Column({ type: 'text', default: 'open' }) status!: StoreStatus;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
