import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { DEFAULT_TIME_ZONE } from '@chaincard/shared';
import { AppError } from '../../../common/errors/app-error';
import type { BackupConfig } from '../../../config/config';
import type { BackupRepository } from '../backup.repository';
import { applyRetention, backupFileName, parseBackupFileName, type BackupKind } from '../domain/retention';
import type { BackupSummary, BackupTrigger } from '../entities/backup.entity';
import type { BackupStore } from '../storage/backup-store';
import { appVersion, piiKeyFingerprint, type BackupManifest } from './manifest';
import { writeSnapshot } from './snapshot';

export const BACKUP_FAILED_ALERT = 'backup_failed';
export const RETENTION_FAILED_ALERT = 'backup_retention_failed';

/** Session-level advisory lock: one backup at a time per database, across API instances and the CLI. */
const BACKUP_LOCK = 7_201_311;

/** A backup that failed after it could be recorded: the run id lets the caller point at it. */
export class BackupFailure extends Error {
  constructor(
    readonly backupId: string | null,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`backup failed: ${reason}`, options);
  }
}

export interface BackupRunResult {
  id: string;
  fileName: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  destinations: string[];
  manifest: BackupManifest;
}

export interface BackupRunnerDeps {
  databaseUrl: string;
  ds: DataSource;
  config: BackupConfig;
  piiKey: Buffer;
  repo: BackupRepository;
  /** The local folder first; then S3 when configured. */
  stores: BackupStore[];
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export function summaryOf(m: BackupManifest): BackupSummary {
  return {
    schemaVersion: m.schemaVersion,
    appVersion: m.appVersion,
    tables: m.tables.length,
    rows: m.tables.reduce((n, t) => n + t.rows, 0),
    rowCounts: Object.fromEntries(m.tables.map((t) => [t.name, t.rows])),
    checksums: m.checksums,
  };
}

/**
 * One backup from start to finish, for the API, its scheduler and the CLI alike: snapshot to a
 * `.partial` file (renamed only when complete, so a half-written file is never taken for a
 * backup), copy to S3, record the run, and raise or clear the HQ alert. Retention is separate
 * (`prune`) and only ever touches scheduled backups.
 */
export class BackupRunner {
  constructor(private readonly deps: BackupRunnerDeps) {}

  async run(opts: { trigger: BackupTrigger; kind: BackupKind; now: Date; requestedBy?: string | null; outFile?: string }): Promise<BackupRunResult> {
    const { deps } = this;
    const fileName = opts.outFile ? basename(opts.outFile) : backupFileName(opts.now, opts.kind);
    const path = opts.outFile ?? join(deps.config.dir, fileName);
    const partial = `${path}.partial`;
    const client = new Client({ connectionString: deps.databaseUrl, application_name: 'chaincard-backup' });
    let runId: string | null = null;
    let written: { size: number; sha256: string; manifest: BackupManifest } | null = null;
    const destinations: string[] = [];
    try {
      await client.connect();
      const [{ locked }] = (await client.query('SELECT pg_try_advisory_lock($1) AS locked', [BACKUP_LOCK])).rows;
      if (!locked) throw new AppError('BACKUP_IN_PROGRESS');
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const out = createWriteStream(partial, { mode: 0o600 });
      const result = await writeSnapshot(client, out, {
        key: deps.config.key,
        trigger: opts.trigger,
        appVersion: appVersion(),
        piiKeyFingerprint: piiKeyFingerprint(deps.piiKey),
        createdAt: opts.now,
        // Recorded on another connection after the snapshot is taken: the backup does not contain its own run.
        afterSnapshot: async () => {
          runId = await deps.repo.startRun(deps.ds.manager, { trigger: opts.trigger, requestedBy: opts.requestedBy ?? null, startedAt: opts.now });
        },
      });
      await rename(partial, path);
      written = { size: (await stat(path)).size, sha256: result.sha256, manifest: result.manifest };
      destinations.push(opts.outFile ? 'file' : 'local');
      if (!opts.outFile) {
        for (const store of deps.stores.filter((s) => s.name !== 'local')) {
          await store.put(path, fileName);
          destinations.push(store.name);
        }
      }
      await deps.repo.finishRun(deps.ds.manager, runId!, {
        status: 'done',
        fileName,
        sizeBytes: written.size,
        sha256: written.sha256,
        destinations,
        summary: summaryOf(written.manifest),
        error: null,
      });
      await deps.repo.resolveOpenAlert(deps.ds.manager, BACKUP_FAILED_ALERT, `备份成功 ${fileName}`);
      deps.log('info', 'backup done', { fileName, bytes: written.size, trigger: opts.trigger, destinations });
      return { id: runId!, fileName, path, sizeBytes: written.size, sha256: written.sha256, destinations, manifest: written.manifest };
    } catch (err) {
      await rm(partial, { force: true }).catch(() => undefined);
      if (err instanceof AppError && err.code === 'BACKUP_IN_PROGRESS') throw err;
      const reason = err instanceof Error ? err.message : String(err);
      deps.log('error', 'backup failed', { trigger: opts.trigger, err: reason, stack: (err as Error)?.stack });
      const id = await this.recordFailure(opts, runId, reason, written ? { fileName, written, destinations } : null);
      throw new BackupFailure(id, reason, { cause: err });
    } finally {
      // Also ends the snapshot transaction and the advisory lock, whatever state a failure left them in.
      await client.end().catch(() => undefined);
    }
  }

  /**
   * Applies retention to the scheduled backups of every store: each store keeps its own newest
   * per day, week and month. Manual backups (API, CLI) are the owner's to delete.
   */
  async prune(timeZone = DEFAULT_TIME_ZONE): Promise<{ store: string; kept: number; pruned: string[] }[]> {
    const out: { store: string; kept: number; pruned: string[] }[] = [];
    for (const store of this.deps.stores) {
      const files = (await store.list())
        .map((name) => ({ name, parsed: parseBackupFileName(name)! }))
        .filter((f) => f.parsed.kind === 'scheduled')
        .map((f) => ({ name: f.name, takenAt: f.parsed.takenAt }));
      const { keep, drop } = applyRetention(files, this.deps.config.keep, timeZone);
      for (const f of drop) await store.remove(f.name);
      if (store.name === 'local') await this.deps.repo.markPruned(this.deps.ds.manager, drop.map((f) => f.name));
      out.push({ store: store.name, kept: keep.length, pruned: drop.map((f) => f.name) });
    }
    return out;
  }

  private async recordFailure(
    opts: { trigger: BackupTrigger; requestedBy?: string | null; now: Date },
    runId: string | null,
    reason: string,
    partial: { fileName: string; written: { size: number; sha256: string; manifest: BackupManifest }; destinations: string[] } | null,
  ): Promise<string | null> {
    const { repo, ds } = this.deps;
    let id = runId;
    try {
      if (id) {
        await repo.finishRun(ds.manager, id, {
          status: 'failed',
          // A backup written locally but not uploaded is still a good backup: keep pointing at it.
          fileName: partial?.fileName ?? null,
          sizeBytes: partial?.written.size ?? null,
          sha256: partial?.written.sha256 ?? null,
          destinations: partial?.destinations ?? [],
          summary: partial ? summaryOf(partial.written.manifest) : null,
          error: reason,
        });
      } else {
        id = await repo.recordFailedRun(ds.manager, { trigger: opts.trigger, requestedBy: opts.requestedBy ?? null, startedAt: opts.now, error: reason });
      }
      await repo.raiseAlert(ds.manager, {
        kind: BACKUP_FAILED_ALERT,
        severity: 'error',
        message: `数据备份失败：${reason}`,
        details: { backupId: id, trigger: opts.trigger, error: reason, keptLocally: partial?.fileName ?? null },
      });
    } catch (inner) {
      // The database itself may be what failed; the log line above is then the only trace.
      this.deps.log('error', 'could not record the failed backup', { err: String(inner) });
    }
    return id;
  }
}
