import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BackupRunEntity, SystemAlertEntity, type BackupSummary, type BackupTrigger } from './entities/backup.entity';

/** backup_run and system_alert: the record of backups and the alerts HQ sees. */
@Injectable()
export class BackupRepository {
  /** started_at is the instant the backup is for (the scheduler's clock), which also names the file. */
  async startRun(m: EntityManager, run: { trigger: BackupTrigger; requestedBy: string | null; startedAt: Date }): Promise<string> {
    const [row] = await m.query(`INSERT INTO backup_run (trigger, requested_by, started_at) VALUES ($1, $2, $3) RETURNING id`, [run.trigger, run.requestedBy, run.startedAt]);
    return row.id;
  }

  async finishRun(
    m: EntityManager,
    id: string,
    r: { status: 'done' | 'failed'; fileName: string | null; sizeBytes: number | null; sha256: string | null; destinations: string[]; summary: BackupSummary | null; error: string | null },
  ): Promise<void> {
    await m.query(
      `UPDATE backup_run SET status = $2, file_name = $3, size_bytes = $4, sha256 = $5, destinations = $6, summary = $7, error = $8, finished_at = now() WHERE id = $1`,
      [id, r.status, r.fileName, r.sizeBytes, r.sha256, r.destinations, r.summary ? JSON.stringify(r.summary) : null, r.error],
    );
  }

  /** A run that failed before it could be recorded (e.g. the database connection was refused). */
  async recordFailedRun(m: EntityManager, run: { trigger: BackupTrigger; requestedBy: string | null; startedAt: Date; error: string }): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO backup_run (trigger, requested_by, started_at, status, error, finished_at) VALUES ($1, $2, $3, 'failed', $4, now()) RETURNING id`,
      [run.trigger, run.requestedBy, run.startedAt, run.error],
    );
    return row.id;
  }

  list(m: EntityManager, offset: number, limit: number): Promise<[BackupRunEntity[], number]> {
    return m.getRepository(BackupRunEntity).findAndCount({ order: { startedAt: 'DESC', id: 'DESC' }, skip: offset, take: limit });
  }

  findById(m: EntityManager, id: string): Promise<BackupRunEntity | null> {
    return m.getRepository(BackupRunEntity).findOneBy({ id });
  }

  async markPruned(m: EntityManager, fileNames: string[]): Promise<void> {
    if (fileNames.length) await m.query(`UPDATE backup_run SET pruned_at = now() WHERE file_name = ANY($1::text[]) AND pruned_at IS NULL`, [fileNames]);
  }

  /** When the latest scheduled backup failed, the instant it was for (for the retry back-off). */
  async lastScheduledFailure(m: EntityManager): Promise<Date | null> {
    const [row] = await m.query(`SELECT status, started_at FROM backup_run WHERE trigger = 'schedule' ORDER BY started_at DESC, finished_at DESC LIMIT 1`);
    return row?.status === 'failed' ? row.started_at : null;
  }

  /** Opens the kind's alert, or counts one more occurrence of the open one. */
  async raiseAlert(m: EntityManager, a: { kind: string; severity: 'warning' | 'error'; message: string; details: Record<string, unknown> }): Promise<void> {
    await m.query(
      `INSERT INTO system_alert (kind, severity, message, details) VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind) WHERE resolved_at IS NULL
       DO UPDATE SET occurrences = system_alert.occurrences + 1, last_at = now(), severity = EXCLUDED.severity,
                     message = EXCLUDED.message, details = EXCLUDED.details`,
      [a.kind, a.severity, a.message, JSON.stringify(a.details)],
    );
  }

  async resolveOpenAlert(m: EntityManager, kind: string, resolution: string): Promise<void> {
    await m.query(`UPDATE system_alert SET resolved_at = now(), resolution = $2 WHERE kind = $1 AND resolved_at IS NULL`, [kind, resolution]);
  }

  listAlerts(m: EntityManager, open: boolean, offset: number, limit: number): Promise<[SystemAlertEntity[], number]> {
    const qb = m.getRepository(SystemAlertEntity).createQueryBuilder('a').orderBy('a.last_at', 'DESC').addOrderBy('a.id', 'DESC').skip(offset).take(limit);
    if (open) qb.where('a.resolved_at IS NULL');
    return qb.getManyAndCount();
  }

  findAlert(m: EntityManager, id: string): Promise<SystemAlertEntity | null> {
    return m.getRepository(SystemAlertEntity).findOneBy({ id });
  }

  /** Resolves an open alert; false when it was already resolved. */
  async resolveAlert(m: EntityManager, id: string, by: string, resolution: string): Promise<boolean> {
    const rows = await m.query(`UPDATE system_alert SET resolved_at = now(), resolved_by = $2, resolution = $3 WHERE id = $1 AND resolved_at IS NULL RETURNING id`, [
      id,
      by,
      resolution,
    ]);
    return rows.length > 0;
  }
}
