import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per job and period (e.g. 'points.expire' + '2026-11-23'): the unique key makes a
 * periodic job run once per period however many API instances are up, and records how it went.
 */
@Entity('job_run')
export class JobRunEntity {
  @PrimaryColumn({ type: 'text' }) job!: string;
  @PrimaryColumn({ type: 'text' }) period!: string;
  @Column({ type: 'timestamptz', name: 'started_at', default: () => 'now()' }) startedAt!: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column({ type: 'text', default: 'running' }) status!: 'running' | 'done' | 'failed';
  @Column({ type: 'jsonb', nullable: true }) result!: unknown;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}
