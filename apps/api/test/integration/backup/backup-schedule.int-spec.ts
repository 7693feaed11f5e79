import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler';
import { seedDemo } from '../../../src/db/seed/seed';
import { BACKUP_JOB } from '../../../src/modules/backup/backup.service';
import { applyRetention, backupFileName, parseBackupFileName } from '../../../src/modules/backup/domain/retention';
import { verifyBackup } from '../../../src/modules/backup/engine/restore';
import { S3BackupStore } from '../../../src/modules/backup/storage/backup-store';
import { login, makeStaff, type Session } from '../../factories';
import { startS3Stub, type S3Stub } from '../../support/s3-stub';
import { createTestApp, type TestApp } from '../../support/test-app';

const DAY = 86_400_000;
const KEEP = { daily: 3, weekly: 2, monthly: 2 };
/** 03:00 in Shanghai on the given calendar day: after the 02:30 default schedule. */
const at3 = (day: string) => new Date(`${day}T03:00:00+08:00`);

function binary(res: Response, cb: (err: Error | null, body: Buffer) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
}

describe('scheduled backups, retention, S3, alerts and the chain export', () => {
  let t: TestApp;
  let s3: S3Stub;
  let owner: Session;
  let scheduler: JobScheduler;
  const tick = async (now: Date) => (await scheduler.tick(now)).filter((r) => r.job === BACKUP_JOB);

  beforeAll(async () => {
    s3 = await startS3Stub();
    t = await createTestApp({
      BACKUP_S3_BUCKET: s3.bucket,
      BACKUP_S3_ENDPOINT: s3.endpoint,
      BACKUP_S3_ACCESS_KEY_ID: 'test-key',
      BACKUP_S3_SECRET_ACCESS_KEY: 'test-secret',
      BACKUP_S3_PREFIX: 'chain/backups',
      BACKUP_KEEP_DAILY: String(KEEP.daily),
      BACKUP_KEEP_WEEKLY: String(KEEP.weekly),
      BACKUP_KEEP_MONTHLY: String(KEEP.monthly),
    });
    expect(await seedDemo(t.app)).toBe(true);
    owner = await login(t.http, 'owner', 'Owner@2026');
    scheduler = t.app.get(JobScheduler);
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  const localFiles = () => readdirSync(t.config.backup.dir).filter((f) => parseBackupFileName(f)).sort();
  const s3Files = () => [...s3.objects.keys()].map((k) => k.replace('chain/backups/', '')).sort();

  it('backs up daily through the scheduler, to the folder and to S3, and keeps the retention in both', async () => {
    expect((await t.http.get('/api/backups/settings').set(owner.auth).expect(200)).body).toEqual({
      schedule: 'daily 02:30',
      keep: KEEP,
      destinations: ['local', 's3'],
    });
    // Backups of the last 70 days (as earlier runs would have left them), and one manual backup.
    mkdirSync(t.config.backup.dir, { recursive: true });
    const today = '2026-11-23';
    const old = Array.from({ length: 70 }, (_, i) => backupFileName(new Date(at3(today).getTime() - (i + 1) * DAY), 'scheduled'));
    const manual = backupFileName(new Date(at3(today).getTime() - 40 * DAY), 'manual');
    for (const name of [...old, manual]) {
      writeFileSync(join(t.config.backup.dir, name), 'old backup');
      s3.objects.set(`chain/backups/${name}`, Buffer.from('old backup'));
    }
    s3.objects.set('chain/backups/notes.txt', Buffer.from('not ours'));

    // Before 02:30 nothing is due; at 03:00 the day's backup runs once, however often the scheduler ticks.
    expect(await tick(new Date(`${today}T01:00:00+08:00`))).toEqual([]);
    expect(await tick(at3(today))).toEqual([{ job: BACKUP_JOB, period: today, status: 'done' }]);
    expect(await tick(new Date(at3(today).getTime() + 60_000))).toEqual([]);

    const newest = backupFileName(at3(today), 'scheduled');
    const expected = applyRetention([...old, newest].map((name) => ({ name, takenAt: parseBackupFileName(name)!.takenAt })), KEEP).keep.map((b) => b.name);
    expect(expected.length).toBeLessThanOrEqual(KEEP.daily + KEEP.weekly + KEEP.monthly);
    expect(localFiles()).toEqual([...expected, manual].sort());
    expect(s3Files()).toEqual([...expected, manual, 'notes.txt'].sort());
    // The new backup is the same file in both places, and a real one.
    expect(s3.objects.get(`chain/backups/${newest}`)!.equals(readFileSync(join(t.config.backup.dir, newest)))).toBe(true);
    expect((await verifyBackup(join(t.config.backup.dir, newest), t.config.backup.key)).manifest.trigger).toBe('schedule');

    const list = (await t.http.get('/api/backups').set(owner.auth).expect(200)).body;
    expect(list.items[0]).toMatchObject({ trigger: 'schedule', status: 'done', fileName: newest, destinations: ['local', 's3'] });

    // The next day: one more, and retention slides along.
    const tomorrow = '2026-11-24';
    expect(await tick(at3(tomorrow))).toEqual([{ job: BACKUP_JOB, period: tomorrow, status: 'done' }]);
    const all = [...old, newest, backupFileName(at3(tomorrow), 'scheduled')];
    const keep2 = applyRetention(all.map((name) => ({ name, takenAt: parseBackupFileName(name)!.takenAt })), KEEP).keep.map((b) => b.name);
    expect(localFiles()).toEqual([...keep2, manual].sort());
    expect(s3Files()).toEqual([...keep2, manual, 'notes.txt'].sort());
    // Yesterday's real backup was pruned only if retention says so; its run row says when.
    const pruned = await t.ds.query(`SELECT file_name FROM backup_run WHERE pruned_at IS NOT NULL`);
    expect(pruned.map((r: { file_name: string }) => r.file_name)).toEqual(keep2.includes(newest) ? [] : [newest]);
  });

  it('raises an HQ alert when a backup fails, retries after a pause, and clears the alert once a backup succeeds', async () => {
    const day = '2026-11-25';
    s3.failing = true;
    expect(await tick(at3(day))).toEqual([{ job: BACKUP_JOB, period: day, status: 'failed' }]);
    const [run] = await t.ds.query(`SELECT * FROM backup_run WHERE trigger = 'schedule' ORDER BY started_at DESC LIMIT 1`);
    expect(run).toMatchObject({ status: 'failed', destinations: ['local'] });
    expect(run.error).toBeTruthy();
    // The local copy was written and is kept: it is a good backup even though S3 refused it.
    expect(localFiles()).toContain(run.file_name);

    const alerts = (await t.http.get('/api/system-alerts').set(owner.auth).expect(200)).body;
    expect(alerts.total).toBe(1);
    expect(alerts.items[0]).toMatchObject({ kind: 'backup_failed', severity: 'error', occurrences: 1, resolvedAt: null, notifiedAt: null });
    expect(alerts.items[0].message).toMatch(/^数据备份失败/);
    expect(alerts.items[0].details.backupId).toBe(run.id);

    // A minute later the scheduler tries the period again, but waits 15 minutes before another attempt.
    const runs = async () => (await t.ds.query(`SELECT count(*)::int AS n FROM backup_run`))[0].n;
    const before = await runs();
    expect(await tick(new Date(at3(day).getTime() + 60_000))).toEqual([{ job: BACKUP_JOB, period: day, status: 'failed' }]);
    expect(await runs()).toBe(before);
    // Still failing after the pause: the open alert counts it instead of opening another.
    expect(await tick(new Date(at3(day).getTime() + 16 * 60_000))).toEqual([{ job: BACKUP_JOB, period: day, status: 'failed' }]);
    expect((await t.http.get('/api/system-alerts').set(owner.auth).expect(200)).body.items).toEqual([expect.objectContaining({ occurrences: 2 })]);

    s3.failing = false;
    expect(await tick(new Date(at3(day).getTime() + 32 * 60_000))).toEqual([{ job: BACKUP_JOB, period: day, status: 'done' }]);
    expect((await t.http.get('/api/system-alerts').set(owner.auth).expect(200)).body.total).toBe(0);
    const history = (await t.http.get('/api/system-alerts?status=all').set(owner.auth).expect(200)).body.items;
    expect(history[0].resolution).toMatch(/^备份成功/);
    const job = await t.ds.query(`SELECT status FROM job_run WHERE job = $1 AND period = $2`, [BACKUP_JOB, day]);
    expect(job).toEqual([{ status: 'done' }]);
  });

  it('lets HQ resolve an alert by hand, and download a backup from the folder or, when gone there, from S3', async () => {
    s3.failing = true;
    const res = await t.http.post('/api/backups').set(owner.auth).expect(500);
    expect(res.body.error.code).toBe('BACKUP_FAILED');
    s3.failing = false;
    const [alert] = (await t.http.get('/api/system-alerts').set(owner.auth).expect(200)).body.items;
    const resolved = await t.http.post(`/api/system-alerts/${alert.id}/resolve`).set(owner.auth).send({ note: '存储服务已恢复' }).expect(200);
    expect(resolved.body).toMatchObject({ resolution: '存储服务已恢复' });
    expect(resolved.body.resolvedAt).toBeTruthy();

    const ok = (await t.http.post('/api/backups').set(owner.auth).expect(201)).body;
    const local = await t.http.get(`/api/backups/${ok.id}/file`).set(owner.auth).buffer(true).parse(binary).expect(200);
    expect((local.body as Buffer).length).toBe(ok.sizeBytes);
    rmSync(join(t.config.backup.dir, ok.fileName));
    const fromS3 = await t.http.get(`/api/backups/${ok.id}/file`).set(owner.auth).buffer(true).parse(binary).expect(200);
    expect((fromS3.body as Buffer).equals(local.body)).toBe(true);
    s3.objects.delete(`chain/backups/${ok.fileName}`);
    expect((await t.http.get(`/api/backups/${ok.id}/file`).set(owner.auth).expect(404)).body.error.code).toBe('BACKUP_FILE_MISSING');
    expect((await t.http.get(`/api/backups/${randomUUID()}`).set(owner.auth).expect(404)).body.error.code).toBe('BACKUP_NOT_FOUND');
    const audit = await t.ds.query(`SELECT action FROM audit_log WHERE action LIKE 'backup.%' OR action LIKE 'system_alert.%' ORDER BY id`);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['system_alert.resolve', 'backup.run', 'backup.download', 'backup.download']);
  });

  it('uploads large backups to S3 in parts', async () => {
    const store = new S3BackupStore({ ...t.config.backup.s3!, prefix: 'big/' });
    const dir = join(tmpdir(), `chaincard-big-${randomBytes(3).toString('hex')}`);
    mkdirSync(dir);
    const name = backupFileName(new Date(), 'manual');
    const data = randomBytes(17 * 1024 * 1024);
    writeFileSync(join(dir, name), data);
    s3.requests.length = 0;
    await store.put(join(dir, name), name);
    expect(s3.objects.get(`big/${name}`)!.equals(data)).toBe(true);
    expect(s3.requests.filter((r) => r.startsWith('PUT') && r.includes('partNumber='))).toHaveLength(2);
    expect(await store.list()).toEqual([name]);
    store.destroy();
    rmSync(dir, { recursive: true });
  });

  it('is HQ only: store staff and roles without the permission are refused', async () => {
    const [sh001] = await t.ds.query(`SELECT id FROM store WHERE code = 'SH001'`);
    await t.ds.query(
      `INSERT INTO role (code, name, name_en, scope, permissions) VALUES
         ('hq_viewer', '总部只读', 'HQ viewer', 'chain', '{member.read}'),
         ('store_backup', '门店备份', 'Store backup', 'store', '{backup.manage,data.export}')`,
    );
    const sessions = [
      await login(t.http, 'manager', 'Manager@2026'),
      await login(t.http, 'cashier', 'Cashier@2026'),
      await login(t.http, 'tech', 'Tech@2026'),
      await loginAs(t, 'hq_viewer', []),
      await loginAs(t, 'store_backup', [sh001.id]),
    ];
    const [run] = await t.ds.query(`SELECT id FROM backup_run LIMIT 1`);
    const [alert] = await t.ds.query(`SELECT id FROM system_alert LIMIT 1`);
    const calls: [string, string][] = [
      ['post', '/api/backups'],
      ['get', '/api/backups'],
      ['get', '/api/backups/settings'],
      ['get', `/api/backups/${run.id}`],
      ['get', `/api/backups/${run.id}/file`],
      ['get', '/api/system-alerts'],
      ['post', `/api/system-alerts/${alert.id}/resolve`],
      ['get', '/api/chain-export/datasets'],
      ['get', '/api/chain-export/xlsx'],
      ['get', '/api/chain-export/csv?dataset=members'],
    ];
    const before = await t.ds.query(`SELECT count(*)::int AS n FROM backup_run`);
    for (const [i, s] of sessions.entries()) {
      for (const [method, url] of calls) {
        const res = await (method === 'post' ? t.http.post(url).send({}) : t.http.get(url)).set(s.auth);
        expect({ who: i, url, status: res.status }).toEqual({ who: i, url, status: 403 });
      }
    }
    expect(await t.ds.query(`SELECT count(*)::int AS n FROM backup_run`)).toEqual(before);
  });

  it('exports the whole chain as CSV per dataset and as one XLSX, from one snapshot', async () => {
    const datasets = (await t.http.get('/api/chain-export/datasets').set(owner.auth).expect(200)).body.map((d: { name: string }) => d.name);
    // The orders capability's tables (sales_order, order_*) follow the curated datasets, by name.
    const orderTables = ['order_line', 'order_line_staff', 'order_payment', 'order_points_debt', 'order_refund', 'order_refund_line', 'order_refund_payment', 'order_settings', 'sales_order'];
    expect(datasets).toEqual(['members', 'cards', 'balances', 'ledger', 'count_cards', ...orderTables]);

    const csv = async (dataset: string) => {
      const res = await t.http.get(`/api/chain-export/csv?dataset=${dataset}`).set(owner.auth).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const text = (res.body as Buffer).toString('utf8');
      expect(text.startsWith('\ufeff')).toBe(true);
      return parseCsv(text.slice(1), { columns: true }) as Record<string, string>[];
    };
    const members = await csv('members');
    const memberCount = (await t.ds.query(`SELECT count(*)::int AS n FROM member`))[0].n;
    expect(members).toHaveLength(memberCount);
    expect(members.map((m) => m.phone)).toEqual(expect.arrayContaining(['13800000001', '13800000005']));
    const zhang = members.find((m) => m.phone === '13800000001')!;
    const [zhangBalance] = await t.ds.query(
      `SELECT balance::text FROM account a JOIN member mb ON mb.id = a.member_id WHERE mb.phone = '13800000001' AND a.kind = 'wallet_principal' AND a.ref_id IS NULL`,
    );
    expect(zhang.principal_fen).toBe(zhangBalance.balance);
    expect(JSON.stringify(members)).not.toMatch(/v1\.[\w-]+\.[\w-]+\./); // no encrypted ID-card values

    const ledger = await csv('ledger');
    const sums = await t.ds.query(`SELECT kind, count(*)::int AS n, sum(amount)::text AS sum FROM ledger_entry GROUP BY kind ORDER BY kind`);
    for (const s of sums) {
      const rows = ledger.filter((r) => r.kind === s.kind);
      expect({ kind: s.kind, n: rows.length, sum: String(rows.reduce((acc, r) => acc + BigInt(r.amount), 0n)) }).toEqual({ kind: s.kind, n: s.n, sum: s.sum });
    }
    expect((await t.http.get('/api/chain-export/csv?dataset=secrets').set(owner.auth).expect(400)).body.error.code).toBe('CHAIN_EXPORT_DATASET_UNKNOWN');

    // Orders are exported column for column: the demo's orders, every one of them.
    const orders = await csv('sales_order');
    const orderNos = (await t.ds.query(`SELECT order_no FROM sales_order ORDER BY order_no`)).map((o: { order_no: string }) => o.order_no);
    expect(orders.map((o) => o.order_no).sort()).toEqual(orderNos);
    expect(orders.length).toBeGreaterThan(0);

    const xlsx = await t.http.get('/api/chain-export/xlsx').set(owner.auth).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['会员 Members', '会员卡 Cards', '余额 Balances', '账户流水 Ledger', '次卡 Count cards', ...orderTables.map((n) => `订单 ${n}`)]);
    const sheet = book.getWorksheet('会员 Members')!;
    expect(sheet.rowCount).toBe(memberCount + 1);
    expect(sheet.getRow(1).getCell(1).value).toBe('会员号 member_no');
    const principalCol = (sheet.getRow(1).values as string[]).indexOf('储值本金(分) principal_fen');
    const row = sheet.getRows(2, memberCount)!.find((r) => r.getCell(4).value === '13800000001')!;
    expect(row.getCell(principalCol).value).toBe(Number(zhangBalance.balance));
    expect(book.getWorksheet('账户流水 Ledger')!.rowCount).toBe(ledger.length + 1);
    // Every export that ran is in the audit log (the refused dataset is not).
    const exports = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'data.export_chain' ORDER BY id`);
    expect(exports.map((e: { after: object }) => e.after)).toEqual([
      { format: 'csv', dataset: 'members' },
      { format: 'csv', dataset: 'ledger' },
      { format: 'csv', dataset: 'sales_order' },
      { format: 'xlsx' },
    ]);
  });
});

async function loginAs(t: TestApp, role: string, storeIds: string[]): Promise<Session> {
  const staff = await makeStaff(t.ds, { role, storeIds });
  return login(t.http, staff.username, staff.password);
}
