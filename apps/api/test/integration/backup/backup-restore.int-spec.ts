import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app.factory';
import { dataSourceOptions } from '../../../src/db/data-source';
import { MIGRATIONS } from '../../../src/db/migrations';
import { seedDemo } from '../../../src/db/seed/seed';
import { BackupService } from '../../../src/modules/backup/backup.service';
import { existingRelations, ledgerChecksums, sequences } from '../../../src/modules/backup/catalog.repository';
import { HEADER_LENGTH } from '../../../src/modules/backup/domain/backup-format';
import { migrationNames, restoreBackup, verifyBackup } from '../../../src/modules/backup/engine/restore';
import { writeSnapshot } from '../../../src/modules/backup/engine/snapshot';
import { login, type Session } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { emptyDatabase, prng, query, refusal, tableDigests } from './support';

type Auth = { Authorization: string };

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Random top-ups, spends and points adjustments on the demo members, a few at a time in parallel. */
async function randomActivity(t: TestApp, auth: Auth, seed: number, operations: number): Promise<number> {
  const random = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const members: { id: string }[] = (await t.http.get('/api/members?pageSize=50').set(auth).expect(200)).body.items;
  const stores: { id: string }[] = (await t.http.get('/api/stores').set(auth).expect(200)).body.items;
  let done = 0;
  for (let i = 0; i < operations; i += 6) {
    const batch = Array.from({ length: Math.min(6, operations - i) }, () => {
      const member = pick(members).id;
      const storeId = pick(stores).id;
      const op = random();
      const req =
        op < 0.4
          ? t.http.post(`/api/members/${member}/wallet/top-ups`).send({ storeId, amountFen: 1 + Math.floor(random() * 80_000), paymentMethod: 'cash' })
          : op < 0.75
            ? t.http.post(`/api/members/${member}/wallet/spends`).send({ storeId, amountFen: 1 + Math.floor(random() * 30_000), memo: '快速消费' })
            : t.http.post(`/api/members/${member}/points/adjustments`).send({ storeId, points: (random() < 0.7 ? 1 : -1) * (1 + Math.floor(random() * 400)), reason: '随机调整' });
      return req.set(auth).set('Idempotency-Key', randomUUID());
    });
    for (const res of await Promise.all(batch)) {
      // Spends and debits beyond the balance (or needing a payment password) are refused: fine, nothing moved.
      if (res.status === 201) done++;
      else expect([400, 409, 429]).toContain(res.status);
    }
  }
  return done;
}

describe('backup and restore', () => {
  let t: TestApp;
  let owner: Session;
  const drops: (() => Promise<void>)[] = [];
  let backupFile: string;

  beforeAll(async () => {
    t = await createTestApp();
    expect(await seedDemo(t.app)).toBe(true);
    owner = await login(t.http, 'owner', 'Owner@2026');
  });
  afterAll(async () => {
    for (const drop of drops) await drop().catch(() => undefined);
    await t.close();
  });

  const fresh = async () => {
    const db = await emptyDatabase();
    drops.push(db.drop);
    return db.url;
  };

  it('backs up demo data with random ledger activity; a fresh database restored from it holds the same rows, balances and checksums', async () => {
    const seed = Date.now() % 1_000_000;
    const moved = await randomActivity(t, owner.auth, seed, 60);
    expect({ seed, moved: moved > 20 }).toEqual({ seed, moved: true });
    const reconcile = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(reconcile.body.ok).toBe(true);

    const res = await t.http.post('/api/backups').set(owner.auth).expect(201);
    expect(res.body).toMatchObject({ trigger: 'api', status: 'done', destinations: ['local'], error: null });
    expect(res.body.fileName).toMatch(/^chaincard-\d{8}T\d{9}Z-manual\.ccbak$/);
    expect(res.body.summary.checksums).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'ledger_entry', key: 'wallet_principal' })]));
    backupFile = join(t.config.backup.dir, res.body.fileName);
    expect(readFileSync(backupFile).subarray(0, 8).toString()).toBe('CCBACKUP');
    // The key is never written beside the backup, and nothing readable is in it.
    const bytes = readFileSync(backupFile);
    expect(bytes.includes(t.config.backup.key)).toBe(false);
    expect(bytes.includes(Buffer.from('13800000001'))).toBe(false);
    expect((await t.http.get('/api/backups').set(owner.auth).expect(200)).body.items[0].id).toBe(res.body.id);
    expect((await t.http.get(`/api/backups/${res.body.id}`).set(owner.auth).expect(200)).body.sha256).toBe(res.body.sha256);

    const target = await fresh();
    const report = await restoreBackup({ url: target, file: backupFile, key: t.config.backup.key });
    expect(report.ok).toBe(true);
    expect(report.migratedAfter).toEqual([]);
    expect(report.checksums.length).toBeGreaterThan(3);
    expect(report.checksums.filter((c) => !c.ok)).toEqual([]);
    expect(report.reconcile.checks.filter((c) => c.violations)).toEqual([]);

    // Every table holds exactly what the source held at the backup: the source has since only
    // recorded the backup itself (its run row, written outside the snapshot, and its audit entry).
    const [source, restored] = [await tableDigests(t.databaseUrl), await tableDigests(target)];
    expect(Object.keys(restored).sort()).toEqual(Object.keys(source).sort());
    for (const table of Object.keys(source).filter((x) => !['backup_run', 'audit_log'].includes(x))) {
      expect({ table, ...restored[table] }).toEqual({ table, ...source[table] });
    }
    expect(restored.backup_run.rows).toBe(0);
    expect(source.backup_run.rows).toBe(1);
    const auditAfter = await query<{ n: number }>(t.databaseUrl, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'backup.run'`);
    expect(restored.audit_log.rows).toBe(source.audit_log.rows - auditAfter[0].n);
    expect(await withClient(target, ledgerChecksums)).toEqual(await withClient(t.databaseUrl, ledgerChecksums));
    const seqs = async (url: string) => (await withClient(url, sequences)).filter((s) => s.name !== 'audit_log_id_seq');
    expect(await seqs(target)).toEqual(await seqs(t.databaseUrl));

    // The API on the restored database shows every member the same balances, to the fen.
    const restoredApi = await createApp(t.config, target);
    await restoredApi.app.init();
    try {
      const request = (await import('supertest')).default(restoredApi.app.getHttpServer());
      const owner2 = await login(request, 'owner', 'Owner@2026');
      const members: { id: string }[] = (await t.http.get('/api/members?pageSize=50').set(owner.auth).expect(200)).body.items;
      expect(members.length).toBeGreaterThanOrEqual(5);
      for (const m of members) {
        for (const path of [`/api/members/${m.id}/wallet`, `/api/members/${m.id}/points`]) {
          const [a, b] = [await t.http.get(path).set(owner.auth).expect(200), await request.get(path).set(owner2.auth).expect(200)];
          expect({ path, body: b.body }).toEqual({ path, body: a.body });
        }
      }
      // Sequences carry on after the restored rows: a new member gets the next number, not a used one.
      const stores = (await request.get('/api/stores').set(owner2.auth).expect(200)).body.items;
      await request.post('/api/members').set(owner2.auth).send({ name: '恢复后新会员', phone: '13900009999', homeStoreId: stores[0].id }).expect(201);
    } finally {
      await restoredApi.app.close();
    }
  });

  it('takes one consistent snapshot while money keeps moving', async () => {
    const service = t.app.get(BackupService);
    const [result, moved] = await Promise.all([service.runner.run({ trigger: 'api', kind: 'manual', now: new Date() }), randomActivity(t, owner.auth, 7, 36)]);
    expect(moved).toBeGreaterThan(5);
    const target = await fresh();
    // restoreBackup compares every row count and ledger checksum with the manifest, and reconciles.
    const report = await restoreBackup({ url: target, file: result.path, key: t.config.backup.key });
    expect(report.ok).toBe(true);
    expect(report.checksums.every((c) => c.ok)).toBe(true);
  });

  it('refuses a second backup while one runs', async () => {
    await withClient(t.databaseUrl, async (c) => {
      await c.query('SELECT pg_advisory_lock(7201311)');
      const res = await t.http.post('/api/backups').set(owner.auth).expect(409);
      expect(res.body.error.code).toBe('BACKUP_IN_PROGRESS');
    });
  });

  it('refuses a wrong key, a tampered or cut file, a newer schema and a non-empty target, leaving the target untouched', async () => {
    const key = t.config.backup.key;
    const target = await fresh();
    const untouched = async () => expect(await withClient(target, (c) => existingRelations(c))).toEqual([]);

    expect(await refusal(restoreBackup({ url: target, file: backupFile, key: randomBytes(32) }))).toBe('BACKUP_WRONG_KEY');
    await untouched();

    const bytes = readFileSync(backupFile);
    const tampered = join(t.config.backup.dir, 'tampered.ccbak');
    const flipped = Buffer.from(bytes);
    flipped[Math.floor((HEADER_LENGTH + bytes.length) / 2)] ^= 0x01;
    writeFileSync(tampered, flipped);
    expect(await refusal(restoreBackup({ url: target, file: tampered, key }))).toBe('BACKUP_DAMAGED');
    expect(await refusal(verifyBackup(tampered, key))).toBe('BACKUP_DAMAGED');
    await untouched();

    writeFileSync(tampered, bytes.subarray(0, bytes.length - 10));
    expect(await refusal(restoreBackup({ url: target, file: tampered, key }))).toBe('BACKUP_DAMAGED');
    writeFileSync(tampered, Buffer.from('not a backup at all, just some text'.repeat(3)));
    expect(await refusal(restoreBackup({ url: target, file: tampered, key }))).toBe('BACKUP_NOT_A_BACKUP');
    await untouched();

    // A program that knows one migration less than the backup was made with.
    expect(await refusal(restoreBackup({ url: target, file: backupFile, key, migrations: MIGRATIONS.slice(0, -1) }))).toBe('BACKUP_SCHEMA_NEWER');
    await untouched();

    expect(await refusal(restoreBackup({ url: t.databaseUrl, file: backupFile, key }))).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect((await verifyBackup(backupFile, key)).rows).toBeGreaterThan(100);
  });

  it('rolls everything back when damage is found only near the end of a long file', async () => {
    // Small chunks: the damaged last chunk is read after most tables are already loaded.
    const file = join(t.config.backup.dir, 'many-chunks.ccbak');
    await withClient(t.databaseUrl, (c) =>
      writeSnapshot(c, createWriteStream(file), { key: t.config.backup.key, trigger: 'cli', appVersion: 'test', piiKeyFingerprint: null, createdAt: new Date(), chunkSize: 1024 }),
    );
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(10 * 1024); // at least ten chunks before the damaged one
    const target = await fresh();
    copyFileSync(file, `${file}.good`);
    bytes[bytes.length - 20] ^= 0x40;
    writeFileSync(file, bytes);
    const logged: string[] = [];
    expect(await refusal(restoreBackup({ url: target, file, key: t.config.backup.key, log: (l) => logged.push(l) }))).toBe('BACKUP_DAMAGED');
    expect(await withClient(target, (c) => existingRelations(c))).toEqual([]);
    // The same database takes the intact file afterwards.
    expect((await restoreBackup({ url: target, file: `${file}.good`, key: t.config.backup.key })).ok).toBe(true);
  });

  it('restores a backup made at an older schema and migrates it to the code’s', async () => {
    const older = await fresh();
    const at = MIGRATIONS.findIndex((M) => migrationNames([M])[0].startsWith('Wallet'));
    expect(at).toBeGreaterThan(0);
    const ds = new DataSource({ ...dataSourceOptions(older, 1), migrations: MIGRATIONS.slice(0, at + 1) });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.query(`INSERT INTO chain (name) VALUES ('旧版连锁')`);
    await ds.query(`INSERT INTO store (code, name, city) VALUES ('OLD01', '旧版门店', '上海')`);
    await ds.destroy();
    const file = join(t.config.backup.dir, 'older.ccbak');
    const { manifest } = await withClient(older, (c) =>
      writeSnapshot(c, createWriteStream(file), { key: t.config.backup.key, trigger: 'cli', appVersion: 'old', piiKeyFingerprint: null, createdAt: new Date() }),
    );
    expect(manifest.schemaVersion).toBe(migrationNames(MIGRATIONS)[at]);
    const target = await fresh();
    const report = await restoreBackup({ url: target, file, key: t.config.backup.key });
    expect(report.ok).toBe(true);
    expect(report.migratedAfter).toEqual(migrationNames(MIGRATIONS).slice(at + 1));
    expect(await query(target, 'SELECT code, name FROM store')).toEqual([{ code: 'OLD01', name: '旧版门店' }]);
    expect(existsSync(file)).toBe(true);
  });

  it('restores a database that ran its migrations in another order than the code lists them', async () => {
    // Parallel branches land migrations with interleaved timestamps: a database that had the
    // second-to-last one added later has run the last one first.
    const source = await fresh();
    const skipped = MIGRATIONS[MIGRATIONS.length - 2];
    for (const list of [MIGRATIONS.filter((M) => M !== skipped), MIGRATIONS]) {
      const ds = new DataSource({ ...dataSourceOptions(source, 1), migrations: list });
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      await ds.destroy();
    }
    const applied = (await query<{ name: string }>(source, 'SELECT name FROM schema_migration ORDER BY id')).map((r) => r.name);
    expect(applied.at(-1)).toBe(migrationNames([skipped])[0]);
    const file = join(t.config.backup.dir, 'out-of-order.ccbak');
    await withClient(source, (c) => writeSnapshot(c, createWriteStream(file), { key: t.config.backup.key, trigger: 'cli', appVersion: 'x', piiKeyFingerprint: null, createdAt: new Date() }));
    const report = await restoreBackup({ url: await fresh(), file, key: t.config.backup.key });
    expect(report.ok).toBe(true);
    expect(report.migratedAfter).toEqual([]);
  });
});
