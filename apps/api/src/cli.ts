import 'reflect-metadata';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { errorMessage } from '@chaincard/shared';
import type { DataSource } from 'typeorm';
import { AuditService } from './common/audit/audit.service';
import { AppError } from './common/errors/app-error';
import { ConfigError, loadConfig, type AppConfig } from './config/config';
import { migrate, openDataSource } from './db/data-source';
import { ensureDatabase, runningEmbeddedPostgres, startEmbeddedPostgres, withDatabase, type RunningPostgres } from './db/embedded';
import { BackupRepository } from './modules/backup/backup.repository';
import { backupStores } from './modules/backup/backup.service';
import { ChainExportRepository } from './modules/backup/chain-export.repository';
import { ChainExportService } from './modules/backup/chain-export.service';
import { BackupFailure, BackupRunner } from './modules/backup/engine/backup-runner';
import { piiKeyFingerprint } from './modules/backup/engine/manifest';
import { restoreBackup, verifyBackup, type RestoreReport } from './modules/backup/engine/restore';
import { ReconcileService, type ReconcileCheck } from './modules/ledger/reconcile.service';
import { DEMO_WECHAT_TEMPLATES } from './db/seed/seed';

const USAGE = `usage: node apps/api/dist/cli.js <command>
  reconcile                      run the ledger invariant checks; exit 1 when any is violated
  backup [--out FILE]            back up the whole database, encrypted with BACKUP_KEY, into BACKUP_DIR
                                 (and S3 when configured), or into FILE
  verify FILE                    read a backup completely (key, integrity, row counts) without a database
  restore FILE [--database NAME] restore a backup into an EMPTY database (DATABASE_URL's, or the embedded
                                 one in PG_DATA_DIR; --database restores into another database of that
                                 server, created when missing, e.g. for a restore drill), then check it
  export DIR                     write the whole-chain export (members, cards, balances, ledger, count
                                 cards, orders) into DIR as one CSV per dataset and one XLSX
  wechat-simulator               print, as JSON, the merchant and mini-program the API will use, so that
                                 \`npm start\` can register them with the local WeChat simulator`;

/**
 * Operator commands against the configured database (DATABASE_URL, or the embedded one in
 * PG_DATA_DIR: started for the command, or the one a running API already started).
 */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  switch (command) {
    case 'wechat-simulator':
      return printWechatRegistration(config);
    case 'reconcile':
      return onDatabase(config, {}, async (url) => {
        // Same schema as the code that checks it: bring the database up to date first, as start does.
        await migrate(url);
        await withDataSource(url, async (ds) => {
          const report = await ds.transaction('REPEATABLE READ', (m) => new ReconcileService().run(m));
          printChecks(report.checks);
          console.log(report.ok ? 'reconcile: every balance is accounted for' : 'reconcile: VIOLATIONS FOUND');
          process.exitCode = report.ok ? 0 : 1;
        });
      });
    case 'backup':
      return onDatabase(config, {}, (url) => backup(config, url, option('--out')));
    case 'verify': {
      const file = requireFile(positional[0]);
      const { manifest, rows } = await verifyBackup(file, config.backup.key);
      console.log(`✓ ${file}: every chunk authentic, ${manifest.tables.length} tables, ${rows} rows as the manifest says`);
      console.log(`  taken ${manifest.createdAt} by ${manifest.trigger}, app ${manifest.appVersion}, schema ${manifest.schemaVersion}`);
      printChecksums(manifest.checksums.map((c) => ({ ...c, ok: true })));
      return;
    }
    case 'restore': {
      const file = requireFile(positional[0]);
      return onDatabase(config, { database: option('--database'), create: true }, async (url) => {
        const report = await restoreBackup({ url, file, key: config.backup.key, log: (line) => console.log(line) });
        printRestore(report, config);
        process.exitCode = report.ok ? 0 : 1;
      });
    }
    case 'export': {
      const dir = resolve(positional[0] ?? '');
      if (!positional[0]) fail(USAGE);
      return onDatabase(config, {}, async (url) => {
        await migrate(url);
        await withDataSource(url, (ds) => exportAll(ds, dir));
      });
    }
    default:
      fail(USAGE);
  }
}

async function backup(config: AppConfig, url: string, out: string | undefined): Promise<void> {
  await withDataSource(url, async (ds) => {
    const runner = new BackupRunner({
      databaseUrl: url,
      ds,
      config: config.backup,
      piiKey: config.piiKey,
      repo: new BackupRepository(),
      stores: backupStores(config),
      log: (level, msg, fields) => level !== 'info' && console.error(`${level}: ${msg} ${fields ? JSON.stringify(fields) : ''}`),
    });
    const r = await runner.run({ trigger: 'cli', kind: 'manual', now: new Date(), outFile: out ? resolve(out) : undefined });
    const rows = r.manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`✓ backup written: ${r.path}`);
    console.log(`  ${(r.sizeBytes / 1024).toFixed(1)} KiB, sha256 ${r.sha256}, ${r.manifest.tables.length} tables, ${rows} rows, schema ${r.manifest.schemaVersion}`);
    console.log(`  copies: ${r.destinations.join(', ')}`);
    printChecksums(r.manifest.checksums.map((c) => ({ ...c, ok: true })));
    console.log(`  restore into an empty database with: node apps/api/dist/cli.js restore ${r.path}`);
  });
}

async function exportAll(ds: DataSource, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const service = new ChainExportService(ds, new ChainExportRepository(), new AuditService());
  await service.recordExport({ format: 'csv+xlsx', via: 'cli' });
  for (const d of await service.datasets()) {
    const file = join(dir, `${d.name}.csv`);
    const out = createWriteStream(file);
    const { rows } = await service.writeCsv(d.name, out);
    await finished(out);
    console.log(`✓ ${file}  ${rows} rows`);
  }
  const file = join(dir, 'chaincard-export.xlsx');
  const out = createWriteStream(file);
  await service.writeXlsx(out);
  await finished(out);
  console.log(`✓ ${file}`);
}

function printRestore(r: RestoreReport, config: AppConfig): void {
  console.log(`restored ${r.tables} tables, ${r.rows} rows in ${(r.durationMs / 1000).toFixed(1)} s (backup of ${r.manifest.createdAt}, schema ${r.manifest.schemaVersion})`);
  const badRows = r.rowCounts.filter((c) => c.expected !== c.actual);
  console.log(badRows.length ? `✗ row counts differ: ${JSON.stringify(badRows)}` : `✓ row counts of all ${r.rowCounts.length} tables match the manifest`);
  printChecksums(r.checksums.map((c) => ({ name: c.name, key: c.key, entries: c.actual.entries, sum: c.actual.sum, ok: c.ok })));
  if (r.migratedAfter.length) console.log(`  migrated to this program's schema afterwards: ${r.migratedAfter.join(', ')}`);
  printChecks(r.reconcile.checks);
  const fingerprint = piiKeyFingerprint(config.piiKey);
  if (r.manifest.piiKeyFingerprint && fingerprint !== r.manifest.piiKeyFingerprint) {
    console.log('! MEMBER_PII_KEY differs from the one this backup was made with: ID-card numbers cannot be read until the original key is configured');
  }
  console.log(r.ok ? 'restore: done, every balance matches the backup to the fen' : 'restore: data restored, but the reconcile checks found VIOLATIONS (see above)');
}

function printChecksums(list: { name: string; key: string; entries: string; sum: string; ok: boolean }[]): void {
  for (const c of list) console.log(`  ${c.ok ? '✓' : '✗'} ${`${c.name}/${c.key}`.padEnd(36)} ${c.entries.padStart(8)} entries  sum ${c.sum}`);
}

function printChecks(checks: ReconcileCheck[]): void {
  for (const c of checks) {
    console.log(`${c.violations === 0 ? '✓' : '✗'} ${c.name.padEnd(32)} ${c.violations === 0 ? 'holds' : `${c.violations} violation(s)`}  — ${c.description}`);
    for (const s of c.samples.slice(0, 5)) console.log(`    ${JSON.stringify(s)}`);
  }
}

/** Runs fn against the configured database, starting (and afterwards stopping) the embedded one when needed. */
async function onDatabase(config: AppConfig, opts: { database?: string; create?: boolean }, fn: (url: string) => Promise<void>): Promise<void> {
  let pg: RunningPostgres | undefined;
  let url: string;
  if (config.databaseUrl) {
    url = opts.database ? withDatabase(config.databaseUrl, opts.database) : config.databaseUrl;
    if (opts.database && opts.create) await ensureDatabase(withDatabase(config.databaseUrl, 'postgres'), opts.database);
  } else {
    const running = runningEmbeddedPostgres(config.embeddedPg.dataDir);
    pg = running ?? (await startEmbeddedPostgres({ dataDir: config.embeddedPg.dataDir, port: config.embeddedPg.port, persistent: true }));
    const name = opts.database ?? 'chaincard';
    await ensureDatabase(pg.serverUrl, name);
    url = withDatabase(pg.serverUrl, name);
  }
  try {
    await fn(url);
  } finally {
    await pg?.stop();
  }
}

async function withDataSource(url: string, fn: (ds: DataSource) => Promise<void>): Promise<void> {
  const ds = await openDataSource(url, 2);
  try {
    await fn(ds);
  } finally {
    await ds.destroy();
  }
}

function requireFile(file: string | undefined): string {
  if (!file) fail(USAGE);
  const path = resolve(file!);
  if (!existsSync(path)) fail(`no such file: ${path}`);
  return path;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** What a merchant registers with WeChat (here: with the simulator): its certificate, APIv3 key, AppID and secret. */
function printWechatRegistration({ wechat }: AppConfig): void {
  console.log(
    JSON.stringify({
      development: wechat.development,
      payBase: wechat.pay?.baseUrl ?? null,
      apiBase: wechat.miniProgram?.apiBase ?? null,
      app: wechat.miniProgram
        ? {
            appid: wechat.miniProgram.appId,
            secret: wechat.miniProgram.appSecret,
            name: 'ChainCard 会员',
            // Fixed ids: registering again on the next start replaces them instead of adding more.
            templates: DEMO_WECHAT_TEMPLATES.map((t) => ({ templateId: t.templateId, title: t.title, keywords: t.fields.map(([name]) => name) })),
          }
        : null,
      merchant: wechat.pay
        ? { mchid: wechat.pay.mchid, name: 'ChainCard 开发商户', appids: [wechat.pay.appId], apiV3Key: wechat.pay.apiV3Key, certificatePem: wechat.pay.certificatePem, refundNotifyUrl: wechat.pay.notifyUrl }
        : null,
    }),
  );
}

main().catch((err) => {
  const e = err instanceof BackupFailure && err.cause instanceof AppError ? err.cause : err;
  if (e instanceof AppError) {
    console.error(`✗ ${e.code}: ${errorMessage(e.code)} / ${errorMessage(e.code, 'en')}`);
    if (e.details) console.error(`  ${JSON.stringify(e.details)}`);
  } else if (err instanceof BackupFailure) {
    console.error(`✗ ${err.message}${err.backupId ? ` (recorded as backup ${err.backupId}, alert raised)` : ''}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
