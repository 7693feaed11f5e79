import ExcelJS from 'exceljs';
import { ReconcileService } from '../../../src/modules/ledger/reconcile.service';
import { MemberImportService } from '../../../src/modules/members/import/member-import.service';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { giveBalance, makeMember, makeStore, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

describe('member import, export, merge and personal data', () => {
  let t: TestApp;
  let storeA: { id: string; code: string };
  let storeB: { id: string; code: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let manager: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds, { code: 'IMPA' });
    storeB = await makeStore(t.ds, { code: 'IMPB' });
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
  });
  afterAll(() => t.close());

  const reconcileOk = async () => expect((await t.app.get(ReconcileService).run(t.ds.manager)).ok).toBe(true);
  const waitFor = async (id: string, auth = manager.auth) => {
    await t.app.get(MemberImportService).idle();
    return (await t.http.get(`/api/members/imports/${id}`).set(auth).expect(200)).body;
  };
  const balances = async (memberId: string) =>
    Object.fromEntries((await t.ds.query('SELECT kind, balance FROM account WHERE member_id = $1', [memberId])).map((r: { kind: string; balance: string }) => [r.kind, Number(r.balance)]));

  it('imports a CSV with opening balances and points, reporting bad rows by line', async () => {
    const csv = [
      '\ufeff姓名,手机号,性别,生日,门店编码,储值余额,赠送余额,积分,标签,原卡号',
      '导入甲,13700000001,男,1988/1/2,,100.50,20,300,VIP;老客户,A0001',
      '导入乙,13700000002,女,,IMPB,0,,0,,',
      ',13700000003,男,,,,,,,',
      '导入丁,13700000001,女,,,,,,,',
      '导入戊,13700000005,男,,NOPE,,,,,',
      '导入己,13700000006,男,,,-5,,,,',
    ].join('\n');
    const up = await t.http.post('/api/members/imports').set(manager.auth).query({ fileName: '老系统.csv' }).set('Content-Type', 'text/csv').send(csv).expect(201);
    expect(up.body).toMatchObject({ format: 'csv', storeId: storeA.id });
    const done = await waitFor(up.body.id);
    expect(done).toMatchObject({ status: 'done', rowsTotal: 6, rowsDone: 6, rowsImported: 2, rowsFailed: 4, progressPercent: 100 });
    const errors = await t.http.get(`/api/members/imports/${up.body.id}/errors`).set(manager.auth).expect(200);
    expect(errors.body.items.map((e: { line: number; errors: { field: string }[] }) => [e.line, e.errors[0].field])).toEqual([
      [4, 'name'],
      [5, 'phone'],
      [6, 'storeCode'],
      [7, 'principalFen'],
    ]);
    const [jia] = await t.ds.query(`SELECT id, home_store_id, tags, birthday::text, remark FROM member WHERE phone = '13700000001'`);
    expect(jia).toMatchObject({ home_store_id: storeA.id, tags: ['VIP', '老客户'], birthday: '1988-01-02', remark: '原卡号 A0001' });
    expect(await balances(jia.id)).toEqual({ wallet_principal: 10050, wallet_bonus: 2000, points: 300 });
    const [yi] = await t.ds.query(`SELECT home_store_id FROM member WHERE phone = '13700000002'`);
    expect(yi.home_store_id).toBe(storeB.id);
    const entries = await t.ds.query(`SELECT reason, ref_type FROM ledger_entry WHERE member_id = $1`, [jia.id]);
    expect(entries.every((e: { reason: string; ref_type: string }) => e.reason === 'opening_balance' && e.ref_type === 'member_import')).toBe(true);
    await reconcileOk();
  });

  it('imports an XLSX file the same way', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('会员');
    sheet.addRow(['name', 'phone', 'balance', 'points']);
    sheet.addRow(['Excel One', '13600000001', 88, 10]);
    sheet.addRow(['Excel Two', '13600000002', '12.34', '']);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    const up = await t.http
      .post('/api/members/imports')
      .set(manager.auth)
      .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .send(buffer)
      .expect(201);
    expect(await waitFor(up.body.id)).toMatchObject({ status: 'done', rowsTotal: 2, rowsImported: 2, rowsFailed: 0 });
    const [two] = await t.ds.query(`SELECT id FROM member WHERE phone = '13600000002'`);
    expect(await balances(two.id)).toEqual({ wallet_principal: 1234 });
  });

  it('resumes an interrupted import after the last committed row, importing nothing twice', async () => {
    const csv = ['name,phone', '续一,13500000001', '续二,13500000002', '续三,13500000003'].join('\n');
    const { writeFile, mkdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    await mkdir(join(t.config.filesDir, 'imports'), { recursive: true });
    const file = join(t.config.filesDir, 'imports', 'resume.csv');
    await writeFile(file, csv);
    // As a process that died after committing the first two rows would have left it.
    await t.ds.query(`INSERT INTO member (member_no, name, phone, home_store_id) VALUES ('8900000001', '续一', '13500000001', $1), ('8900000002', '续二', '13500000002', $1)`, [storeA.id]);
    const [job] = await t.ds.query(
      `INSERT INTO member_import (format, file_name, file_path, store_id, status, rows_total, rows_done, rows_imported, created_by) VALUES ('csv', 'resume.csv', $1, $2, 'running', 3, 2, 2, $3) RETURNING id`,
      [file, storeA.id, owner.id],
    );
    t.app.get(MemberImportService).kick();
    expect(await waitFor(job.id)).toMatchObject({ status: 'done', rowsDone: 3, rowsImported: 3, rowsFailed: 0 });
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM member WHERE phone LIKE '1350000000%'`))[0].n).toBe(3);
  });

  it('refuses files that are not CSV or XLSX, and empty ones', async () => {
    const bad = await t.http.post('/api/members/imports').set(manager.auth).set('Content-Type', 'application/pdf').send(Buffer.from('%PDF')).expect(415);
    expect(bad.body.error.code).toBe('MEMBER_IMPORT_FORMAT');
    const empty = await t.http.post('/api/members/imports').set(manager.auth).set('Content-Type', 'text/csv').send('').expect(400);
    expect(empty.body.error.code).toBe('MEMBER_IMPORT_EMPTY');
    const cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    await t.http.post('/api/members/imports').set(cashier.auth).set('Content-Type', 'text/csv').send('name\nx').expect(403);
  });

  it('exports members as XLSX with masked ID cards, limited to a manager’s own stores', async () => {
    const withId = await t.http.post('/api/members').set(manager.auth).send({ name: '导出会员', phone: '13400000001', idCardNo: '11010519491231002X' }).expect(201);
    await giveBalance(t.ds, withId.body.id, [{ kind: 'wallet_principal', amount: 5000 }]);
    const res = await t.http.get('/api/members/export.xlsx').set(manager.auth).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const rows: string[][] = [];
    book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows[0];
    const byPhone = new Map(rows.slice(1).map((r) => [r[2], r]));
    const row = byPhone.get('13400000001')!;
    expect(row[header.indexOf('身份证 ID card')]).toBe('1101**********002X');
    expect(row[header.indexOf('储值本金(元) Principal')]).toBe('50.00');
    expect(rows.flat().join(' ')).not.toContain('19491231');
    // 导入乙 lives in store B: a store-A manager's export leaves it out.
    expect(byPhone.has('13700000002')).toBe(false);
    expect(byPhone.has('13700000001')).toBe(true);
  });

  it('merges a duplicate: balances move by ledger transfer, references follow, the duplicate is kept as merged', async () => {
    const survivor = await makeMember(t.ds, { homeStoreId: storeA.id, name: '合并主', tags: ['A'] });
    const dup = await makeMember(t.ds, { homeStoreId: storeB.id, name: '合并副', tags: ['B'] });
    const referred = await makeMember(t.ds, { homeStoreId: storeA.id });
    await t.ds.query('UPDATE member SET referrer_id = $1 WHERE id = $2', [dup.id, referred.id]);
    await t.ds.query(`UPDATE member SET phone = NULL WHERE id = $1`, [survivor.id]);
    await giveBalance(t.ds, survivor.id, [{ kind: 'wallet_principal', amount: 100 }]);
    await giveBalance(t.ds, dup.id, [{ kind: 'wallet_principal', amount: 250 }, { kind: 'wallet_bonus', amount: 30 }, { kind: 'points', amount: 77 }]);
    const res = await t.http.post(`/api/members/${survivor.id}/merge`).set(owner.auth).send({ duplicateMemberId: dup.id, reason: '同一人两次办卡' }).expect(200);
    expect(res.body.moved).toEqual({ wallet_principal: 250, wallet_bonus: 30, points: 77 });
    expect(await balances(survivor.id)).toEqual({ wallet_principal: 350, wallet_bonus: 30, points: 77 });
    expect(await balances(dup.id)).toEqual({ wallet_principal: 0, wallet_bonus: 0, points: 0 });
    const [s] = await t.ds.query('SELECT phone, tags FROM member WHERE id = $1', [survivor.id]);
    expect(s).toEqual({ phone: dup.phone, tags: ['A', 'B'] });
    const [d] = await t.ds.query('SELECT status, merged_into_id, phone FROM member WHERE id = $1', [dup.id]);
    expect(d).toEqual({ status: 'merged', merged_into_id: survivor.id, phone: null });
    expect((await t.ds.query('SELECT referrer_id FROM member WHERE id = $1', [referred.id]))[0].referrer_id).toBe(survivor.id);
    const again = await t.http.post(`/api/members/${survivor.id}/merge`).set(owner.auth).send({ duplicateMemberId: dup.id, reason: '再次合并' }).expect(409);
    expect(again.body.error.code).toBe('MEMBER_MERGED');
    await t.http.post(`/api/members/${survivor.id}/merge`).set(manager.auth).send({ duplicateMemberId: referred.id, reason: '店长无权' }).expect(403);
    // Two cards in use cannot both belong to the survivor: refused with a clear code, nothing moved.
    await giveBalance(t.ds, referred.id, [{ kind: 'wallet_principal', amount: 40 }]);
    await t.ds.query(`INSERT INTO card (card_no, member_id, issued_store_id) VALUES ('MERGE-A', $1, $3), ('MERGE-B', $2, $3)`, [survivor.id, referred.id, storeA.id]);
    const clash = await t.http.post(`/api/members/${survivor.id}/merge`).set(owner.auth).send({ duplicateMemberId: referred.id, reason: '两张卡都在用' }).expect(409);
    expect(clash.body.error).toMatchObject({ code: 'MEMBER_MERGE_CONFLICT', details: { table: 'card' } });
    expect(await balances(referred.id)).toEqual({ wallet_principal: 40 });
    await reconcileOk();
  });

  it('exports a member’s personal data and deletes it on request, keeping the ledgers', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id, name: '要注销' });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 500 }, { kind: 'points', amount: 40 }]);
    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    const auth = { Authorization: `Bearer ${session.accessToken}` };
    const data = await t.http.get('/api/me/personal-data').set(auth).expect(200);
    expect(data.body.profile).toMatchObject({ id: m.id, name: '要注销' });
    expect(data.body.ledger).toHaveLength(2);
    // Principal is the member's money: it must be refunded before deletion.
    const refused = await t.http.post('/api/me/deletion').set(auth).send({ forfeitBonusAndPoints: true }).expect(409);
    expect(refused.body.error.code).toBe('MEMBER_HAS_BALANCE');
    await t.ds.transaction(async (tm) => {
      const { LedgerService } = await import('../../../src/modules/ledger/ledger.service');
      await t.app.get(LedgerService).post(tm, { legs: [{ memberId: m.id, kind: 'wallet_principal', amount: -500, reason: 'refund' }], refType: 'test_fixture', refId: 'refund-1', storeId: storeA.id });
    });
    await t.http.post('/api/me/deletion').set(auth).send({}).expect(409);
    const done = await t.http.post('/api/me/deletion').set(auth).send({ forfeitBonusAndPoints: true }).expect(200);
    expect(done.body.forfeited).toEqual({ points: 40 });
    const [row] = await t.ds.query('SELECT name, phone, status FROM member WHERE id = $1', [m.id]);
    expect(row).toEqual({ name: '已注销会员', phone: null, status: 'anonymised' });
    expect((await t.ds.query('SELECT count(*)::int AS n FROM ledger_entry WHERE member_id = $1', [m.id]))[0].n).toBe(4);
    await t.http.get('/api/me').set(auth).expect(401);
    await reconcileOk();
  });
});
