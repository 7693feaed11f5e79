import { addDays, businessDay } from '@chaincard/shared';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { CommissionService } from '../../../src/modules/commission/commission.service';
import { makeStaff, makeStore, signedIn } from '../../factories';
import { makeService } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

/** The month before this one on the Shanghai calendar, and a day in it. */
const today = businessDay(new Date(), 'Asia/Shanghai');
const thisMonth = today.slice(0, 7);
const lastMonthDay = addDays(`${thisMonth}-01`, -10);
const lastMonth = lastMonthDay.slice(0, 7);

describe('wages', () => {
  let t: TestApp;
  let store: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let manager: Signed;
  let tech: Signed;
  let techB: { id: string };
  let service: { productId: string };

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    tech = await signedIn(t.ds, t.http, 'technician', [store.id]);
    techB = await makeStaff(t.ds, { role: 'technician', storeIds: [storeB.id] });
    service = await makeService(t.ds);
    await t.http.post('/api/commission-rules').set(owner.auth).send({ name: '服务 10%', source: 'service', mode: 'percent', rateBps: 1000 }).expect(201);
  });
  afterAll(() => t.close());

  let seq = 0;
  /** An order line served by the staff member on a given instant (as checkout would report it). */
  const sale = async (staffId: string, baseFen: number, at: Date, storeId = store.id) => {
    const n = ++seq;
    const orderId = `33333333-3333-4333-8333-${String(n).padStart(12, '0')}`;
    const lineId = `44444444-4444-4444-8444-${String(n).padStart(12, '0')}`;
    await t.app.get(TransactionHost).run((m) =>
      t.app.get(CommissionService).onOrderCompleted(m, { orderId, storeId, at, lines: [{ lineId, kind: 'service', productId: service.productId, quantity: 1, baseFen, staffIds: [staffId] }] }),
    );
    return { orderId, lineId };
  };
  const lastMonthAt = new Date(`${lastMonthDay}T06:00:00Z`);

  it('adds base salary, commission and adjustments into a live payslip', async () => {
    await t.http.put(`/api/staff/${tech.id}/wage-profile`).set(owner.auth).send({ baseSalaryFen: 400000 }).expect(200);
    await t.http.put(`/api/staff/${techB.id}/wage-profile`).set(owner.auth).send({ baseSalaryFen: 300000 }).expect(200);
    await t.http.put(`/api/staff/${tech.id}/wage-profile`).set(manager.auth).send({ baseSalaryFen: 1 }).expect(403);
    await sale(tech.id, 50000, lastMonthAt);
    await sale(tech.id, 30000, lastMonthAt);
    await t.http.post('/api/payroll/adjustments').set(owner.auth).send({ staffId: tech.id, month: lastMonth, kind: 'bonus', amountFen: 20000, reason: '全勤奖' }).expect(201);
    const fine = await t.http.post('/api/payroll/adjustments').set(owner.auth).send({ staffId: tech.id, month: lastMonth, kind: 'deduction', amountFen: 5000, reason: '迟到' }).expect(201);
    const slips = await t.http.get('/api/payroll/payslips').query({ month: lastMonth }).set(owner.auth).expect(200);
    const slip = slips.body.payslips.find((p: { staffId: string }) => p.staffId === tech.id);
    expect(slip).toMatchObject({ baseSalaryFen: 400000, commissionFen: 8000, bonusFen: 20000, deductionFen: 5000, totalFen: 423000, final: false });
    expect(slips.body.status).toBe('open');
    // A manager sees his store's staff only; the technician his own payslip.
    const mgr = await t.http.get('/api/payroll/payslips').query({ month: lastMonth }).set(manager.auth).expect(200);
    expect(mgr.body.payslips.map((p: { staffId: string }) => p.staffId)).not.toContain(techB.id);
    const mine = await t.http.get('/api/payroll/my-payslip').query({ month: lastMonth }).set(tech.auth).expect(200);
    expect(mine.body.payslip.totalFen).toBe(423000);
    expect(mine.body.adjustments.map((a: { kind: string }) => a.kind)).toEqual(['bonus', 'deduction']);
    await t.http.get('/api/payroll/payslips').set(tech.auth).expect(403);
    await t.http.delete(`/api/payroll/adjustments/${fine.body.id}`).set(owner.auth).expect(204);
  });

  it('refuses to close a month that has not ended, and bad months', async () => {
    expect((await t.http.post('/api/payroll/close').set(owner.auth).send({ month: thisMonth }).expect(409)).body.error.code).toBe('PAYROLL_MONTH_NOT_OVER');
    expect((await t.http.post('/api/payroll/close').set(owner.auth).send({ month: '2026-13' }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    await t.http.post('/api/payroll/close').set(manager.auth).send({ month: lastMonth }).expect(403);
  });

  it('closes a month: payslips are fixed and the month is read-only, in the API and in the database', async () => {
    const closed = await t.http.post('/api/payroll/close').set(owner.auth).send({ month: lastMonth }).expect(200);
    expect(closed.body.status).toBe('closed');
    const slip = closed.body.payslips.find((p: { staffId: string }) => p.staffId === tech.id);
    expect(slip).toMatchObject({ totalFen: 428000, final: true });
    expect(closed.body.payslips.find((p: { staffId: string }) => p.staffId === techB.id)).toMatchObject({ baseSalaryFen: 300000, totalFen: 300000 });
    expect((await t.http.post('/api/payroll/close').set(owner.auth).send({ month: lastMonth }).expect(409)).body.error.code).toBe('PAYROLL_MONTH_CLOSED');
    const adj = await t.http.post('/api/payroll/adjustments').set(owner.auth).send({ staffId: tech.id, month: lastMonth, kind: 'bonus', amountFen: 1, reason: '补发' }).expect(409);
    expect(adj.body.error.code).toBe('PAYROLL_MONTH_CLOSED');
    // A later salary change does not touch the closed month.
    await t.http.put(`/api/staff/${tech.id}/wage-profile`).set(owner.auth).send({ baseSalaryFen: 500000 }).expect(200);
    const again = await t.http.get('/api/payroll/payslips').query({ month: lastMonth }).set(owner.auth).expect(200);
    expect(again.body.payslips.find((p: { staffId: string }) => p.staffId === tech.id).totalFen).toBe(428000);
    // The database itself refuses changes to a closed month.
    for (const sql of [
      `UPDATE payslip SET total_fen = 0 WHERE month = '${lastMonth}'`,
      `DELETE FROM payslip WHERE month = '${lastMonth}'`,
      `UPDATE payroll_month SET status = 'open', closed_at = NULL WHERE month = '${lastMonth}'`,
      `DELETE FROM wage_adjustment WHERE month = '${lastMonth}'`,
      `INSERT INTO wage_adjustment (staff_id, month, kind, amount_fen, reason) VALUES ('${tech.id}', '${lastMonth}', 'bonus', 1, 'x')`,
      `INSERT INTO commission_entry (staff_id, store_id, source, kind, ref_type, ref_id, item_ref, quantity, base_fen, line_fen, amount_fen, period, business_day)
         VALUES ('${tech.id}', '${store.id}', 'service', 'accrual', 'order', 'x', 'x', 1, 1, 1, 1, '${lastMonth}', '${lastMonthDay}')`,
      `UPDATE commission_entry SET amount_fen = 0`,
    ]) {
      await expect(t.ds.query(sql)).rejects.toThrow(/closed and read-only|append-only/);
    }
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  });

  it('books commission of a closed month’s days, and refunds of its sales, into the next open month', async () => {
    const late = await sale(tech.id, 10000, lastMonthAt);
    const first = await sale(tech.id, 20000, new Date());
    await t.app.get(TransactionHost).run((m) =>
      t.app.get(CommissionService).onOrderRefunded(m, { orderId: first.orderId, refundId: '55555555-5555-4555-8555-555555555555', storeId: store.id, lines: [{ lineId: first.lineId, quantity: 1, amountFen: 20000 }] }),
    );
    const rows = await t.ds.query(`SELECT period, amount_fen::int AS amount FROM commission_entry WHERE ref_id = ANY($1::text[]) ORDER BY created_at`, [[late.orderId, first.orderId]]);
    expect(rows).toEqual([
      { period: thisMonth, amount: 1000 },
      { period: thisMonth, amount: 2000 },
      { period: thisMonth, amount: -2000 },
    ]);
    const live = await t.http.get('/api/payroll/payslips').set(owner.auth).expect(200);
    expect(live.body.payslips.find((p: { staffId: string }) => p.staffId === tech.id)).toMatchObject({ baseSalaryFen: 500000, commissionFen: 1000 });
    const months = await t.http.get('/api/payroll/months').set(owner.auth).expect(200);
    expect(months.body.map((x: { month: string; status: string }) => [x.month, x.status])).toEqual([
      [thisMonth, 'open'],
      [lastMonth, 'closed'],
    ]);
  });

  it('lets a close wait for sales in flight, so none lands in a closed month (concurrency)', async () => {
    const monthBefore = addDays(`${lastMonth}-01`, -5).slice(0, 7);
    const at = new Date(`${monthBefore}-10T06:00:00Z`);
    const sales = Array.from({ length: 10 }, () => sale(tech.id, 10000, at));
    const close = t.http.post('/api/payroll/close').set(owner.auth).send({ month: monthBefore });
    const [closed] = await Promise.all([close, ...sales]);
    expect(closed.status).toBe(200);
    const slip = closed.body.payslips.find((p: { staffId: string }) => p.staffId === tech.id);
    const [{ total }] = await t.ds.query(`SELECT COALESCE(sum(amount_fen), 0)::int AS total FROM commission_entry WHERE period = $1 AND staff_id = $2`, [monthBefore, tech.id]);
    expect(slip?.commissionFen ?? 0).toBe(total);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM commission_entry WHERE period IN ($1, $2) AND staff_id = $3 AND business_day < $4`, [monthBefore, thisMonth, tech.id, `${lastMonth}-01`]);
    expect(n).toBe(10);
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  });
});
