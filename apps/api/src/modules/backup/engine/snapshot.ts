import { createHash } from 'node:crypto';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ClientBase } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { appliedMigrations, copyOutSql, ledgerChecksums, listTables, rowCount, sequences, serverInfo } from '../catalog.repository';
import { createEncryptStream, encodeRecord } from '../domain/backup-format';
import type { BackupTrigger } from '../entities/backup.entity';
import type { BackupManifest } from './manifest';

/** COPY hands over one message per row; records are batched to about this size. */
const RECORD_BATCH = 256 * 1024;

export interface SnapshotOptions {
  key: Buffer;
  trigger: BackupTrigger;
  appVersion: string;
  piiKeyFingerprint: string | null;
  createdAt: Date;
  /** Plaintext bytes per encrypted chunk (tests make it small to get many chunks). */
  chunkSize?: number;
  /** Runs once the snapshot is taken, e.g. to record the run where the snapshot cannot see it. */
  afterSnapshot?: () => Promise<void>;
}

export interface SnapshotResult {
  manifest: BackupManifest;
  bytes: number;
  sha256: string;
}

/**
 * `client` must be a connection of its own, which the caller closes afterwards (also on failure).
 *
 * Writes a consistent backup of the whole database to `out`: one REPEATABLE READ, READ ONLY
 * transaction sees every table at the same instant (as pg_dump does), without pg_dump, which the
 * embedded PostgreSQL does not ship and an external server's host may not have. Table data is
 * COPY text, streamed through gzip and the chunked AES-256-GCM framing: memory holds about one
 * chunk, whatever the size of the database. Writers are not blocked; the snapshot only keeps
 * VACUUM from removing row versions it can still see until it ends.
 */
export async function writeSnapshot(client: ClientBase, out: Writable, opts: SnapshotOptions): Promise<SnapshotResult> {
  // No ROLLBACK on failure: a COPY cut off midway leaves the connection unusable. The snapshot is
  // read-only, so the caller closing its dedicated connection ends it just as well.
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  // The first statement fixes the snapshot; everything below reads that instant.
  const server = await serverInfo(client);
  await opts.afterSnapshot?.();
  const migrations = await appliedMigrations(client);
  if (!migrations.length) throw new Error('the database has no applied migrations: nothing to back up');
  const tables = await listTables(client);
  const manifest: BackupManifest = {
    format: 'chaincard-backup',
    formatVersion: 1,
    createdAt: opts.createdAt.toISOString(),
    trigger: opts.trigger,
    appVersion: opts.appVersion,
    schemaVersion: migrations[migrations.length - 1],
    migrations,
    database: server.database,
    serverVersion: server.serverVersion,
    piiKeyFingerprint: opts.piiKeyFingerprint,
    tables: [],
    sequences: await sequences(client),
    checksums: await ledgerChecksums(client),
  };
  for (const t of tables) manifest.tables.push({ name: t.name, columns: t.columns, rows: await rowCount(client, t.name) });

  async function* records(): AsyncGenerator<Buffer> {
    yield encodeRecord('M', manifest);
    for (const t of manifest.tables) {
      yield encodeRecord('T', { name: t.name, columns: t.columns });
      let rows = 0;
      let batch: Buffer[] = [];
      let size = 0;
      for await (const chunk of client.query(copyTo(copyOutSql(t))) as AsyncIterable<Buffer>) {
        // COPY text ends every row with one newline; newlines inside values are escaped as \n.
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
        batch.push(chunk);
        size += chunk.length;
        if (size >= RECORD_BATCH) {
          yield encodeRecord('D', Buffer.concat(batch, size));
          batch = [];
          size = 0;
        }
      }
      if (size) yield encodeRecord('D', Buffer.concat(batch, size));
      if (rows !== t.rows) throw new Error(`${t.name}: COPY gave ${rows} rows where the snapshot counted ${t.rows}`);
      yield encodeRecord('E', { name: t.name, rows });
    }
    yield encodeRecord('Z', { tables: manifest.tables.length });
  }

  const hash = createHash('sha256');
  let bytes = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(Readable.from(records()), createGzip({ level: 6 }), createEncryptStream(opts.key, opts.chunkSize), measure, out);
  await client.query('COMMIT');
  return { manifest, bytes, sha256: hash.digest('hex') };
}
