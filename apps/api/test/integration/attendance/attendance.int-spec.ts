import { addDays, businessDay, daysOfMonth } from '@chaincard/shared';
import { makeStore, signedIn } from '../../factories';
import { scheduleStaff, shanghai } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

const thisMonth = businessDay(new Date(), 'Asia/Shanghai').slice(0, 7);
const lastMonth = addDays(`${thisMonth}-01`, -1).slice(0, 7);
const d = (n: number) => `${lastMonth}-${String(n).padStart(2, '0')}`;

describe('attendance', () => {
  let t: TestApp;
  let store: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let manager: Signed;
  let tech: Signed;
  let helper: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    tech = await signedIn(t.ds, t.http, 'technician', [store.id]);
    helper = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    await scheduleStaff(t.http, manager.auth, store.id, tech.id, [{ start: '09:00', end: '18:00' }]);
  });
  afterAll(() => t.close());

  const correct = (staffId: string, day: string, from: string, to: string) =>
    t.http.post('/api/attendance/records').set(manager.auth).send({ staffId, storeId: store.id, clockInAt: shanghai(day, from), clockOutAt: shanghai(day, to), reason: '补录' });

  it('clocks in and out, once at a time', async () => {
    expect((await t.http.post('/api/attendance/clock-out').set(tech.auth).send({}).expect(409)).body.error.code).toBe('ATTENDANCE_NOT_CLOCKED_IN');
    const inn = await t.http.post('/api/attendance/clock-in').set(tech.auth).send({ storeId: store.id, note: '早班' }).expect(201);
    expect(inn.body).toMatchObject({ storeId: store.id, clockOutAt: null, source: 'clock' });
    const status = await t.http.get('/api/attendance/status').set(tech.auth).expect(200);
    expect(status.body.open.id).toBe(inn.body.id);
    expect((await t.http.post('/api/attendance/clock-in').set(tech.auth).send({ storeId: store.id }).expect(409)).body.error.details.recordId).toBe(inn.body.id);
    const out = await t.http.post('/api/attendance/clock-out').set(tech.auth).send({ note: '下班' }).expect(200);
    expect(new Date(out.body.clockOutAt).getTime()).toBeGreaterThan(new Date(out.body.clockInAt).getTime());
    expect(out.body.note).toBe('早班；下班');
    expect((await t.http.post('/api/attendance/clock-in').set(tech.auth).send({ storeId: storeB.id }).expect(404)).body.error.code).toBe('STORE_NOT_FOUND');
  });

  it('reports a month against the schedule: late, early, absent, leave and work on a day off', async () => {
    await correct(tech.id, d(2), '09:03', '18:00').expect(201);
    await correct(tech.id, d(3), '09:20', '18:00').expect(201);
    await correct(tech.id, d(4), '09:00', '17:30').expect(201);
    await correct(tech.id, d(5), '09:40', '12:00').expect(201);
    await correct(tech.id, d(5), '13:00', '16:00').expect(201);
    await t.http.post(`/api/stores/${store.id}/staff/${tech.id}/schedule-exceptions`).set(manager.auth).send({ day: d(6), kind: 'leave', reason: '事假' }).expect(201);
    await correct(helper.id, d(7), '10:00', '14:00').expect(201);
    const res = await t.http.get('/api/attendance/report').query({ month: lastMonth }).set(manager.auth).expect(200);
    const row = (id: string) => res.body.staff.find((s: { staffId: string }) => s.staffId === id);
    const days = daysOfMonth(lastMonth).length;
    const statusOn = (n: number) => row(tech.id).days.find((x: { day: string }) => x.day === d(n)).status;
    expect([2, 3, 4, 5, 6, 8].map(statusOn)).toEqual(['normal', 'late', 'early', 'late_and_early', 'off', 'absent']);
    expect(row(tech.id).summary).toMatchObject({ scheduledDays: days - 1, workedDays: 4, lateCount: 2, earlyCount: 2, absentCount: days - 5, lateMinutes: 20 + 40, earlyMinutes: 30 + 120 });
    expect(row(helper.id).summary).toMatchObject({ scheduledDays: 0, unscheduledDays: 1, workedMinutes: 240 });
    const mine = await t.http.get('/api/attendance/mine').query({ month: lastMonth }).set(tech.auth).expect(200);
    expect(mine.body.stores.map((s: { storeId: string; summary: { lateCount: number } }) => [s.storeId, s.summary.lateCount])).toEqual([[store.id, 2]]);
  });

  it('corrects records: no overlaps, no future, no backwards times; a forgotten clock-out is closed', async () => {
    expect((await correct(tech.id, d(2), '17:00', '19:00').expect(409)).body.error.code).toBe('ATTENDANCE_RECORD_OVERLAP');
    expect((await correct(tech.id, d(9), '18:00', '09:00').expect(400)).body.error.code).toBe('ATTENDANCE_RECORD_INVALID');
    const future = addDays(businessDay(new Date(), 'Asia/Shanghai'), 2);
    expect((await correct(tech.id, future, '09:00', '18:00').expect(400)).body.error.code).toBe('ATTENDANCE_RECORD_INVALID');
    const open = await t.http.post('/api/attendance/clock-in').set(helper.auth).send({ storeId: store.id }).expect(201);
    // The clock-in happened a moment ago: move it back a few minutes and close it just now.
    const clockInAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const clockOutAt = new Date(Date.now() - 100).toISOString();
    const closed = await t.http.patch(`/api/attendance/records/${open.body.id}`).set(manager.auth).send({ clockInAt, clockOutAt, reason: '漏打下班卡' }).expect(200);
    expect(closed.body).toMatchObject({ source: 'correction' });
    expect(closed.body.clockOutAt).not.toBeNull();
    await t.http.patch(`/api/attendance/records/${open.body.id}`).set(tech.auth).send({ reason: 'x' }).expect(403);
    const audit = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [open.body.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['attendance.clock_in', 'attendance.correction.update']);
  });

  it('keeps the report to the caller’s stores and the rules to HQ', async () => {
    const managerB = await signedIn(t.ds, t.http, 'store_manager', [storeB.id]);
    expect((await t.http.get('/api/attendance/report').query({ storeId: store.id }).set(managerB.auth).expect(404)).body.error.code).toBe('STORE_NOT_FOUND');
    await t.http.get('/api/attendance/report').set(tech.auth).expect(403);
    await t.http.patch('/api/attendance-settings').set(manager.auth).send({ lateGraceMinutes: 10 }).expect(403);
    const res = await t.http.patch('/api/attendance-settings').set(owner.auth).send({ lateGraceMinutes: 10 }).expect(200);
    expect(res.body.lateGraceMinutes).toBe(10);
    expect((await t.http.get('/api/attendance/report').query({ storeId: store.id, month: lastMonth }).set(owner.auth).expect(200)).body.staff.find((s: { staffId: string }) => s.staffId === tech.id).summary.lateCount).toBe(2);
  });
});
