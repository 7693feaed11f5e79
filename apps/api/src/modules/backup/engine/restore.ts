import { createReadStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { pipeline, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Client, type ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, MigrationExecutor } from 'typeorm';
import { AppError } from '../../../common/errors/app-error';
import { dataSourceOptions } from '../../../db/data-source';
import { MIGRATIONS } from '../../../db/migrations';
import { ReconcileService, type ReconcileCheck } from '../../ledger/reconcile.service';
import {
  copyInSql,
  existingRelations,
  ledgerChecksums,
  listTables,
  rowCount,
  setSequence,
  setUserTriggers,
  truncateAll,
  type Checksum,
  type TableInfo,
} from '../catalog.repository';
import { createDecryptStream, decodeRecords, type RecordType } from '../domain/backup-format';
import type { BackupManifest } from './manifest';

type Migration = Function;

export function migrationNames(migrations: Migration[]): string[] {
  return migrations.map((M) => {
    const instance = new (M as new () => { name?: string })();
    return instance.name ?? M.name;
  });
}

/** Decrypted, decompressed records of a backup file; any damage surfaces as an AppError. */
async function* readBackup(file: string, key: Buffer): AsyncGenerator<{ type: RecordType; payload: Buffer }> {
  const gunzip = createGunzip();
  const source = createReadStream(file);
  pipeline(source, createDecryptStream(key), gunzip, () => undefined);
  try {
    yield* decodeRecords(gunzip as AsyncIterable<Buffer>);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw err;
    // Authenticated chunks cannot hold broken gzip; this is here for files damaged before sealing.
    throw new AppError('BACKUP_DAMAGED', { reason: (err as Error).message });
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

function parseManifest(payload: Buffer): BackupManifest {
  const m = JSON.parse(payload.toString('utf8')) as BackupManifest;
  if (m.format !== 'chaincard-backup' || m.formatVersion !== 1 || !Array.isArray(m.tables) || !Array.isArray(m.migrations)) {
    throw new AppError('BACKUP_FORMAT_UNSUPPORTED', { format: m.format, formatVersion: m.formatVersion });
  }
  return m;
}

/** Reads only the manifest: key, format and schema are checked before anything is touched. */
export async function readManifest(file: string, key: Buffer): Promise<BackupManifest> {
  for await (const r of readBackup(file, key)) {
    if (r.type !== 'M') break;
    return parseManifest(r.payload);
  }
  throw new AppError('BACKUP_DAMAGED', { reason: 'the manifest is missing' });
}

/**
 * Reads the whole file without a database: every chunk authenticated, every record in place, and
 * the rows of each table as many as the manifest says. The `verify` command; a backup that passes
 * restores unless the target refuses it.
 */
export async function verifyBackup(file: string, key: Buffer): Promise<{ manifest: BackupManifest; rows: number }> {
  let manifest: BackupManifest | null = null;
  let table = -1;
  let rows = 0;
  let total = 0;
  for await (const r of readBackup(file, key)) {
    if (r.type === 'M') manifest = parseManifest(r.payload);
    else if (!manifest) throw new AppError('BACKUP_DAMAGED', { reason: 'the manifest is missing' });
    else if (r.type === 'T') {
      table++;
      rows = 0;
      const t = JSON.parse(r.payload.toString('utf8')) as { name: string };
      if (manifest.tables[table]?.name !== t.name) throw new AppError('BACKUP_DAMAGED', { reason: `unexpected table ${t.name}` });
    } else if (r.type === 'D') {
      for (let i = r.payload.indexOf(10); i !== -1; i = r.payload.indexOf(10, i + 1)) rows++;
    } else if (r.type === 'E') {
      if (rows !== manifest.tables[table].rows) throw new AppError('BACKUP_DAMAGED', { reason: `${manifest.tables[table].name}: ${rows} rows, manifest says ${manifest.tables[table].rows}` });
      total += rows;
    }
  }
  if (!manifest || table !== manifest.tables.length - 1) throw new AppError('BACKUP_DAMAGED', { reason: 'tables are missing' });
  return { manifest, rows: total };
}

/**
 * The code's migrations that the backed-up database had applied. Compared as a set, not as an
 * ordered prefix: migrations from parallel branches land with interleaved timestamps, so a
 * database may have applied them in another order than the code lists them. A migration the code
 * does not know means the backup is newer than this program.
 */
export function backupMigrations(manifest: BackupManifest, migrations: Migration[]): Migration[] {
  const names = migrationNames(migrations);
  const unknown = manifest.migrations.filter((n) => !names.includes(n));
  if (unknown.length || !names.includes(manifest.schemaVersion)) {
    throw new AppError('BACKUP_SCHEMA_NEWER', { backupSchema: manifest.schemaVersion, unknownMigrations: unknown, codeSchema: names[names.length - 1] });
  }
  const applied = new Set(manifest.migrations);
  return migrations.filter((_, i) => applied.has(names[i]));
}

export interface ChecksumComparison {
  name: string;
  key: string;
  expected: { entries: string; sum: string };
  actual: { entries: string; sum: string };
  ok: boolean;
}

export interface RestoreReport {
  ok: boolean;
  manifest: Pick<BackupManifest, 'createdAt' | 'appVersion' | 'schemaVersion' | 'database' | 'trigger' | 'piiKeyFingerprint'>;
  tables: number;
  rows: number;
  rowCounts: { table: string; expected: number; actual: number }[];
  checksums: ChecksumComparison[];
  /** Migrations newer than the backup, applied after its data was in. */
  migratedAfter: string[];
  reconcile: { ok: boolean; checks: ReconcileCheck[] };
  durationMs: number;
}

export function compareChecksums(expected: Checksum[], actual: Checksum[]): ChecksumComparison[] {
  // Ledgers the backup did not know (a checksum added to the code later) are not compared.
  const ledgers = new Set(expected.map((c) => c.name));
  const id = (c: Checksum) => JSON.stringify([c.name, c.key]);
  const pairs = new Map<string, { name: string; key: string; e?: Checksum; a?: Checksum }>();
  for (const e of expected) pairs.set(id(e), { name: e.name, key: e.key, e });
  for (const a of actual.filter((c) => ledgers.has(c.name))) pairs.set(id(a), { name: a.name, key: a.key, e: pairs.get(id(a))?.e, a });
  return [...pairs.values()]
    .sort((x, y) => `${x.name}/${x.key}`.localeCompare(`${y.name}/${y.key}`))
    .map(({ name, key, e, a }) => {
      const expectedSum = { entries: e?.entries ?? '0', sum: e?.sum ?? '0' };
      const actualSum = { entries: a?.entries ?? '0', sum: a?.sum ?? '0' };
      return { name, key, expected: expectedSum, actual: actualSum, ok: expectedSum.entries === actualSum.entries && expectedSum.sum === actualSum.sum };
    });
}

export interface RestoreOptions {
  url: string;
  file: string;
  key: Buffer;
  /** The code's migrations (tests pass fewer to play an older program). */
  migrations?: Migration[];
  log?: (line: string) => void;
}

/**
 * Restores a backup into an empty database, all or nothing:
 *  1. the manifest is read first: wrong key, damaged header, unknown format or a migration the code
 *     does not know (a newer schema) are refused before the target is touched;
 *  2. the target must have no tables at all (RESTORE_TARGET_NOT_EMPTY otherwise);
 *  3. in ONE transaction: the migrations the backup's database had run, the rows the migrations
 *     seeded are emptied, every table is loaded with COPY in dependency order (user triggers off,
 *     foreign keys on), sequences are set, and row counts and ledger checksums are compared with
 *     the manifest. Any damage found on the way (a chunk failing authentication near the end of
 *     the file) rolls everything back and leaves the database as empty as it was;
 *  4. then the newer migrations of the code run, as at start-up, and the reconcile checks run.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const migrations = opts.migrations ?? MIGRATIONS;
  const manifest = await readManifest(opts.file, opts.key);
  const atBackup = backupMigrations(manifest, migrations);
  log(`backup of ${manifest.createdAt} (schema ${manifest.schemaVersion}, app ${manifest.appVersion}): ${manifest.tables.length} tables`);

  const ds = new DataSource({ ...dataSourceOptions(opts.url, 1), migrations: atBackup });
  await ds.initialize();
  const qr = ds.createQueryRunner();
  const client = (await qr.connect()) as ClientBase;
  let rowCounts: RestoreReport['rowCounts'] = [];
  let checksums: ChecksumComparison[] = [];
  try {
    const present = await existingRelations(client);
    if (present.length) throw new AppError('RESTORE_TARGET_NOT_EMPTY', { relations: present });

    await qr.startTransaction();
    try {
      const executor = new MigrationExecutor(ds, qr);
      executor.transaction = 'all';
      await executor.executePendingMigrations();
      const tables = await listTables(client);
      const expected = manifest.tables.map((t) => t.name).sort();
      const actual = tables.map((t) => t.name).sort();
      if (JSON.stringify(expected) !== JSON.stringify(actual)) {
        throw new AppError('BACKUP_SCHEMA_MISMATCH', { onlyInBackup: expected.filter((t) => !actual.includes(t)), onlyInDatabase: actual.filter((t) => !expected.includes(t)) });
      }
      const names = tables.map((t) => t.name);
      await setUserTriggers(client, names, false);
      await truncateAll(client, names);
      await loadTables(client, opts, manifest, log);
      for (const s of manifest.sequences) await setSequence(client, s);
      await setUserTriggers(client, names, true);

      rowCounts = [];
      for (const t of manifest.tables) rowCounts.push({ table: t.name, expected: t.rows, actual: await rowCount(client, t.name) });
      checksums = compareChecksums(manifest.checksums, await ledgerChecksums(client));
      const badRows = rowCounts.filter((r) => r.expected !== r.actual);
      const badSums = checksums.filter((c) => !c.ok);
      if (badRows.length || badSums.length) throw new AppError('RESTORE_VERIFY_FAILED', { rowCounts: badRows, checksums: badSums });
      await qr.commitTransaction();
    } catch (err) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await qr.release();
    await ds.destroy();
  }
  log(`loaded ${rowCounts.reduce((n, r) => n + r.actual, 0)} rows; row counts and ledger checksums match the manifest`);

  const migratedAfter = await migrateTo(opts.url, migrations);
  if (migratedAfter.length) log(`migrated to the code's schema: ${migratedAfter.join(', ')}`);
  const reconcile = await runReconcile(opts.url);
  return {
    ok: reconcile.ok,
    manifest: {
      createdAt: manifest.createdAt,
      appVersion: manifest.appVersion,
      schemaVersion: manifest.schemaVersion,
      database: manifest.database,
      trigger: manifest.trigger,
      piiKeyFingerprint: manifest.piiKeyFingerprint,
    },
    tables: manifest.tables.length,
    rows: rowCounts.reduce((n, r) => n + r.actual, 0),
    rowCounts,
    checksums,
    migratedAfter,
    reconcile,
    durationMs: Date.now() - started,
  };
}

async function loadTables(client: ClientBase, opts: RestoreOptions, manifest: BackupManifest, log: (line: string) => void): Promise<void> {
  let index = -1;
  let table: TableInfo | null = null;
  let copy: (Writable & { rowCount?: number }) | null = null;
  let copyError: Error | null = null;
  let seenManifest = false;
  let ended = false;
  try {
    for await (const r of readBackup(opts.file, opts.key)) {
      if (copyError) throw copyError;
      if (r.type === 'M') {
        if (seenManifest || JSON.stringify(parseManifest(r.payload)) !== JSON.stringify(manifest)) throw new AppError('BACKUP_DAMAGED', { reason: 'the manifest changed' });
        seenManifest = true;
      } else if (r.type === 'T') {
        const t = JSON.parse(r.payload.toString('utf8')) as TableInfo;
        const want = manifest.tables[++index];
        if (copy || !want || want.name !== t.name || JSON.stringify(want.columns) !== JSON.stringify(t.columns)) {
          throw new AppError('BACKUP_DAMAGED', { reason: `unexpected table ${t.name}` });
        }
        table = t;
        const stream = client.query(copyFrom(copyInSql(t)));
        stream.on('error', (err: Error) => (copyError = err));
        copy = stream;
      } else if (r.type === 'D') {
        if (!copy) throw new AppError('BACKUP_DAMAGED', { reason: 'data outside a table' });
        if (!copy.write(r.payload)) await drained(copy);
      } else if (r.type === 'E') {
        if (!copy || !table) throw new AppError('BACKUP_DAMAGED', { reason: 'table end outside a table' });
        const { rows } = JSON.parse(r.payload.toString('utf8')) as { rows: number };
        copy.end();
        await finished(copy);
        if (copy.rowCount !== rows || rows !== manifest.tables[index].rows) {
          throw new AppError('RESTORE_VERIFY_FAILED', { table: table.name, loaded: copy.rowCount, expected: manifest.tables[index].rows });
        }
        if (rows >= 10_000) log(`  ${table.name}: ${rows} rows`);
        copy = null;
        table = null;
      } else if (r.type === 'Z') {
        ended = true;
      }
    }
  } catch (err) {
    // A COPY in flight must be failed (CopyFail) before the connection can roll back.
    const open = copy as Writable | null;
    if (open && !copyError && !open.destroyed) await new Promise<void>((resolve) => open.once('close', () => resolve()).destroy(err as Error));
    throw err;
  }
  if (copyError) throw copyError;
  if (!ended || copy || index !== manifest.tables.length - 1) throw new AppError('BACKUP_DAMAGED', { reason: 'tables are missing' });
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

async function migrateTo(url: string, migrations: Migration[]): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions(url, 1), migrations });
  await ds.initialize();
  try {
    return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

async function runReconcile(url: string): Promise<{ ok: boolean; checks: ReconcileCheck[] }> {
  const ds = new DataSource({ ...dataSourceOptions(url, 1) });
  await ds.initialize();
  try {
    const report = await ds.transaction('REPEATABLE READ', (m) => new ReconcileService().run(m));
    return { ok: report.ok, checks: report.checks };
  } finally {
    await ds.destroy();
  }
}

/** A client on the target for callers that need to look before restoring (e.g. the CLI's drill database). */
export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
