import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The first completed response to an Idempotency-Key, written in the same transaction as the effect
 * it describes, so that "effect applied" and "result stored" can never disagree.
 */
@Entity('idempotency_key')
@Index(['createdAt'])
export class IdempotencyKeyEntity {
  /** Who sent it ('staff:<id>', 'member:<id>'): keys of different callers never collide. */
  @PrimaryColumn({ type: 'text' }) scope!: string;
  @PrimaryColumn({ type: 'text' }) key!: string;
  @Column({ type: 'text', name: 'request_hash' }) requestHash!: string;
  @Column({ type: 'text' }) method!: string;
  @Column({ type: 'text' }) path!: string;
  @Column({ type: 'int', name: 'status_code' }) statusCode!: number;
  /** The JSON text exactly as first sent, so a replay is byte-for-byte the same. */
  @Column({ type: 'text', name: 'response_body' }) responseBody!: string;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
