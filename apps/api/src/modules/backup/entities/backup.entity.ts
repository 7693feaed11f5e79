import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type BackupTrigger = 'schedule' | 'api' | 'cli';
export type BackupStatus = 'running' | 'done' | 'failed';

/** What a finished backup's manifest says, kept here so that the console lists backups without the key. */
export interface BackupSummary {
  schemaVersion: string;
  appVersion: string;
  tables: number;
  rows: number;
  rowCounts: Record<string, number>;
  checksums: { name: string; key: string; entries: string; sum: string }[];
}

/**
 * One backup attempt (数据备份), however it was started. The row is written outside the backup's
 * snapshot, so a restored database does not hold a "running" row for the backup it came from.
 */
@Entity('backup_run')
@Index(['startedAt'])
@Check('backup_run_status', `status IN ('running', 'done', 'failed')`)
@Check('backup_run_trigger', `trigger IN ('schedule', 'api', 'cli')`)
export class BackupRunEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) trigger!: BackupTrigger;
  @Column({ type: 'text', default: 'running' }) status!: BackupStatus;
  @Column({ type: 'uuid', name: 'requested_by', nullable: true }) requestedBy!: string | null;
  /** File name in BACKUP_DIR (and under the S3 prefix when uploaded). */
  @Column({ type: 'text', name: 'file_name', nullable: true }) fileName!: string | null;
  @Column({ type: 'bigint', name: 'size_bytes', nullable: true }) sizeBytes!: string | null;
  /** SHA-256 of the encrypted file: lets anyone check a copy without the key. */
  @Column({ type: 'text', nullable: true }) sha256!: string | null;
  @Column({ type: 'text', array: true, default: () => "'{}'" }) destinations!: string[];
  @Column({ type: 'jsonb', nullable: true }) summary!: BackupSummary | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'timestamptz', name: 'started_at', default: () => 'now()' }) startedAt!: Date;
  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  /** Set when retention removed the file. */
  @Column({ type: 'timestamptz', name: 'pruned_at', nullable: true }) prunedAt!: Date | null;
}

/**
 * Something HQ must look at (系统告警), e.g. a failed backup. One open alert per kind: a repeat
 * counts occurrences instead of piling up rows. `notified_at` stays null until the notification
 * outbox (a later capability) has told HQ; it picks up open alerts with `audience = 'hq'`.
 */
@Entity('system_alert')
@Index('system_alert_open_kind_unique', ['kind'], { unique: true, where: 'resolved_at IS NULL' })
@Index(['lastAt'])
@Check('system_alert_severity', `severity IN ('warning', 'error')`)
@Check('system_alert_occurrences', `occurrences >= 1`)
export class SystemAlertEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ type: 'text', default: 'error' }) severity!: 'warning' | 'error';
  @Column({ type: 'text', default: 'hq' }) audience!: 'hq';
  @Column({ type: 'text' }) message!: string;
  @Column({ type: 'jsonb', nullable: true }) details!: Record<string, unknown> | null;
  @Column({ type: 'int', default: 1 }) occurrences!: number;
  @Column({ type: 'timestamptz', name: 'first_at', default: () => 'now()' }) firstAt!: Date;
  @Column({ type: 'timestamptz', name: 'last_at', default: () => 'now()' }) lastAt!: Date;
  @Column({ type: 'timestamptz', name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column({ type: 'uuid', name: 'resolved_by', nullable: true }) resolvedBy!: string | null;
  @Column({ type: 'text', nullable: true }) resolution!: string | null;
  @Column({ type: 'timestamptz', name: 'notified_at', nullable: true }) notifiedAt!: Date | null;
}
