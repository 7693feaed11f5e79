import { Check, Column, CreateDateColumn, Entity, JoinTable, ManyToMany, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Permission, RoleScope, StaffStatus } from '@chaincard/shared';
import { StoreEntity } from '../../stores/entities/store.entity';

/** A role: a named list of permissions with a scope (chain = every store, store = own stores). */
@Entity('role')
@Check('role_scope_check', `scope IN ('chain', 'store')`)
export class RoleEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', name: 'name_en', default: '' }) nameEn!: string;
  @Column({ type: 'text' }) scope!: RoleScope;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) permissions!: Permission[];
  @Column({ type: 'boolean', name: 'built_in', default: false }) builtIn!: boolean;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** A staff account (员工): owner, manager, cashier or technician. */
@Entity('staff')
@Check('staff_status_check', `status IN ('active', 'disabled')`)
@Check('staff_login_check', `username IS NOT NULL OR phone IS NOT NULL`)
export class StaffEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text', unique: true, nullable: true }) username!: string | null;
  @Column({ type: 'text', unique: true, nullable: true }) phone!: string | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', name: 'password_hash' }) passwordHash!: string;
  @Column({ type: 'text', default: 'active' }) status!: StaffStatus;
  @Column({ type: 'timestamptz', name: 'last_login_at', nullable: true }) lastLoginAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;

  @ManyToMany(() => RoleEntity)
  @JoinTable({ name: 'staff_role', joinColumn: { name: 'staff_id' }, inverseJoinColumn: { name: 'role_id' } })
  roles!: RoleEntity[];

  @ManyToMany(() => StoreEntity)
  @JoinTable({ name: 'staff_store', joinColumn: { name: 'staff_id' }, inverseJoinColumn: { name: 'store_id' } })
  stores!: StoreEntity[];
}

/**
 * Permissions the database has already seen. A permission new to the code is granted once to the
 * built-in roles whose defaults include it; after that, HQ's edits to roles are left alone.
 */
@Entity('permission_catalog')
export class PermissionCatalogEntity {
  @PrimaryColumn({ type: 'text' }) code!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
