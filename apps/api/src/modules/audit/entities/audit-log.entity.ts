import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ActorKind } from '@chaincard/shared';

/** Append-only (a trigger refuses UPDATE and DELETE); written in the transaction of the change. */
@Entity('audit_log')
@Index(['entityType', 'entityId'])
@Index(['storeId', 'at'])
@Index(['at'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ type: 'text', name: 'actor_kind' }) actorKind!: ActorKind;
  @Column({ type: 'uuid', name: 'actor_id', nullable: true }) actorId!: string | null;
  @Column({ type: 'text', name: 'actor_name', default: '' }) actorName!: string;
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text', name: 'entity_type' }) entityType!: string;
  @Column({ type: 'text', name: 'entity_id' }) entityId!: string;
  @Column({ type: 'jsonb', nullable: true }) before!: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) after!: Record<string, unknown> | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'text', name: 'request_id', nullable: true }) requestId!: string | null;
  @Column({ type: 'text', nullable: true }) ip!: string | null;
}
