import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import type { JsonLogger } from '../../common/logger';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { BackupRepository } from './backup.repository';
import { BackupFailure, BackupRunner, RETENTION_FAILED_ALERT, type BackupRunResult } from './engine/backup-runner';
import type { BackupRunEntity, SystemAlertEntity } from './entities/backup.entity';
import type { BackupResponse, BackupSettingsResponse, SystemAlertResponse } from './dto/backup.dto';
import { LocalBackupStore, S3BackupStore, type BackupStore } from './storage/backup-store';

export const BACKUP_JOB = 'backup.scheduled';
/** A failed scheduled backup is retried on the scheduler's next tick, but not sooner than this. */
const RETRY_AFTER_MS = 15 * 60_000;

/** Builds the stores a configuration asks for: the local folder always, S3 when a bucket is set. */
export function backupStores(config: AppConfig): BackupStore[] {
  const stores: BackupStore[] = [new LocalBackupStore(config.backup.dir)];
  if (config.backup.s3) stores.push(new S3BackupStore(config.backup.s3));
  return stores;
}

/**
 * Backups from the API (数据备份): scheduled through the JobScheduler with retention, on demand by
 * HQ, listed and downloaded for the console; a failure raises an HQ alert (system_alert), which
 * the next successful backup resolves.
 */
@Injectable()
export class BackupService implements OnModuleInit, OnModuleDestroy {
  readonly runner: BackupRunner;
  private readonly stores: BackupStore[];

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: BackupRepository,
    private readonly audit: AuditService,
    private readonly scheduler: JobScheduler,
    ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {
    this.stores = backupStores(config);
    this.runner = new BackupRunner({
      databaseUrl: (ds.options as PostgresConnectionOptions).url!,
      ds,
      config: config.backup,
      piiKey: config.piiKey,
      repo,
      stores: this.stores,
      log: (level, msg, fields) => logger.write(level, msg, fields),
    });
  }

  onModuleInit(): void {
    const schedule = this.config.backup.schedule;
    if (schedule) this.scheduler.register({ name: BACKUP_JOB, schedule, run: (now) => this.scheduled(now) });
  }

  onModuleDestroy(): void {
    for (const s of this.stores) if (s instanceof S3BackupStore) s.destroy();
  }

  /** The scheduled backup of one period, then retention. Throws (so the period is retried) on failure. */
  async scheduled(now: Date): Promise<{ fileName: string; sizeBytes: number; rows: number; pruned: number }> {
    const lastFailure = await this.repo.lastScheduledFailure(this.tx.manager);
    if (lastFailure && now.getTime() >= lastFailure.getTime() && now.getTime() - lastFailure.getTime() < RETRY_AFTER_MS) {
      throw new Error(`waiting until ${new Date(lastFailure.getTime() + RETRY_AFTER_MS).toISOString()} to retry the failed backup`);
    }
    const result = await this.runner.run({ trigger: 'schedule', kind: 'scheduled', now });
    let pruned = 0;
    try {
      pruned = (await this.runner.prune()).reduce((n, s) => n + s.pruned.length, 0);
      await this.repo.resolveOpenAlert(this.tx.manager, RETENTION_FAILED_ALERT, '保留策略已正常执行');
    } catch (err) {
      // The backup itself is good; an old file left behind is worth a warning, not a retry.
      this.logger.write('warn', 'backup retention failed', { err: String(err) });
      await this.repo.raiseAlert(this.tx.manager, {
        kind: RETENTION_FAILED_ALERT,
        severity: 'warning',
        message: `旧备份清理失败：${(err as Error).message}`,
        details: { error: String(err) },
      });
    }
    return { fileName: result.fileName, sizeBytes: result.sizeBytes, rows: result.manifest.tables.reduce((n, t) => n + t.rows, 0), pruned };
  }

  /** HQ's "back up now": a manual backup (never pruned by retention). */
  async runNow(actor: StaffActor): Promise<BackupResponse> {
    let result: BackupRunResult;
    try {
      result = await this.runner.run({ trigger: 'api', kind: 'manual', now: new Date(), requestedBy: actor.id });
    } catch (err) {
      if (err instanceof BackupFailure) throw new AppError('BACKUP_FAILED', { backupId: err.backupId, reason: err.reason });
      throw err;
    }
    await this.tx.run((m) =>
      this.audit.record(m, {
        action: 'backup.run',
        entityType: 'backup_run',
        entityId: result.id,
        after: { fileName: result.fileName, sizeBytes: result.sizeBytes, sha256: result.sha256, destinations: result.destinations },
      }),
    );
    return this.get(result.id);
  }

  async list(offset: number, limit: number): Promise<[BackupResponse[], number]> {
    const [rows, total] = await this.repo.list(this.tx.manager, offset, limit);
    return [rows.map(toBackupResponse), total];
  }

  async get(id: string): Promise<BackupResponse> {
    const run = await this.repo.findById(this.tx.manager, id);
    if (!run) throw new AppError('BACKUP_NOT_FOUND');
    return toBackupResponse(run);
  }

  settings(): BackupSettingsResponse {
    const s = this.config.backup.schedule;
    return {
      schedule: !s ? null : 'daily' in s ? `daily ${s.daily}` : `every ${s.everyMinutes}`,
      keep: this.config.backup.keep,
      destinations: this.stores.map((st) => st.name),
    };
  }

  /** Streams the encrypted file (from the local folder, else from S3); audited, since it is the whole database. */
  async download(id: string, res: Response): Promise<void> {
    const run = await this.repo.findById(this.tx.manager, id);
    if (!run) throw new AppError('BACKUP_NOT_FOUND');
    let file: Readable | null = null;
    if (run.fileName) {
      for (const store of this.stores) {
        file = await store.open(run.fileName);
        if (file) break;
      }
    }
    if (!file || !run.fileName) throw new AppError('BACKUP_FILE_MISSING');
    await this.tx.run((m) => this.audit.record(m, { action: 'backup.download', entityType: 'backup_run', entityId: run.id, after: { fileName: run.fileName } }));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${run.fileName}"`);
    if (run.sizeBytes) res.setHeader('Content-Length', run.sizeBytes);
    await pipeline(file, res);
  }

  async alerts(open: boolean, offset: number, limit: number): Promise<[SystemAlertResponse[], number]> {
    const [rows, total] = await this.repo.listAlerts(this.tx.manager, open, offset, limit);
    return [rows.map(toAlertResponse), total];
  }

  resolveAlert(actor: StaffActor, id: string, note: string | undefined): Promise<SystemAlertResponse> {
    return this.tx.run(async (m) => {
      const alert = await this.repo.findAlert(m, id);
      if (!alert) throw new AppError('SYSTEM_ALERT_NOT_FOUND');
      const resolution = note ?? '已处理';
      if (await this.repo.resolveAlert(m, id, actor.id, resolution)) {
        await this.audit.record(m, { action: 'system_alert.resolve', entityType: 'system_alert', entityId: id, before: { resolvedAt: null }, after: { resolution } });
      }
      return toAlertResponse((await this.repo.findAlert(m, id))!);
    });
  }
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

export function toBackupResponse(r: BackupRunEntity): BackupResponse {
  return {
    id: r.id,
    trigger: r.trigger,
    status: r.status,
    fileName: r.fileName,
    sizeBytes: num(r.sizeBytes),
    sha256: r.sha256,
    destinations: r.destinations,
    summary: r.summary
      ? {
          schemaVersion: r.summary.schemaVersion,
          appVersion: r.summary.appVersion,
          tables: r.summary.tables,
          rows: r.summary.rows,
          rowCounts: r.summary.rowCounts,
          checksums: r.summary.checksums.map((c) => ({ name: c.name, key: c.key, entries: Number(c.entries), sum: Number(c.sum) })),
        }
      : null,
    error: r.error,
    requestedBy: r.requestedBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt ? r.finishedAt.toISOString() : null,
    prunedAt: r.prunedAt ? r.prunedAt.toISOString() : null,
  };
}

function toAlertResponse(a: SystemAlertEntity): SystemAlertResponse {
  return {
    id: a.id,
    kind: a.kind,
    severity: a.severity,
    message: a.message,
    details: a.details,
    occurrences: a.occurrences,
    firstAt: a.firstAt.toISOString(),
    lastAt: a.lastAt.toISOString(),
    resolvedAt: a.resolvedAt ? a.resolvedAt.toISOString() : null,
    resolution: a.resolution,
    notifiedAt: a.notifiedAt ? a.notifiedAt.toISOString() : null,
  };
}
