import { makeStaff, makeStore, signedIn } from '../../factories';
import { dayFromToday } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('work schedules', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let manager: Signed;
  let tech: { id: string };
  const put = (storeId: string, staffId: string, intervals: object[], auth = manager.auth) =>
    t.http.put(`/api/stores/${storeId}/staff/${staffId}/weekly-schedule`).set(auth).send({ intervals });

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    tech = await makeStaff(t.ds, { role: 'technician', storeIds: [storeA.id, storeB.id], name: '两店技师' });
  });
  afterAll(() => t.close());

  it('sets a weekly schedule per store, replacing the previous one, audited', async () => {
    await put(storeA.id, tech.id, [{ weekday: 1, start: '09:00', end: '18:00' }]).expect(200);
    const res = await put(storeA.id, tech.id, [
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 1, start: '13:00', end: '18:00' },
      { weekday: 3, start: '10:00', end: '22:00' },
    ]).expect(200);
    expect(res.body.weekly).toEqual([
      { weekday: 1, start: '09:00', end: '12:00' },
      { weekday: 1, start: '13:00', end: '18:00' },
      { weekday: 3, start: '10:00', end: '22:00' },
    ]);
    const audit = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'schedule.weekly.set' ORDER BY id`);
    expect(audit).toHaveLength(2);
    expect(audit[1].before.weekly).toEqual([{ weekday: 1, start: '09:00', end: '18:00' }]);
  });

  it('refuses overlapping intervals, also with his schedule at another store', async () => {
    expect((await put(storeA.id, tech.id, [{ weekday: 2, start: '09:00', end: '12:00' }, { weekday: 2, start: '11:00', end: '14:00' }]).expect(409)).body.error.code).toBe('SCHEDULE_OVERLAP');
    // Monday afternoon is at A; B may have him on Monday evening but not Monday noon.
    await put(storeB.id, tech.id, [{ weekday: 1, start: '18:00', end: '21:00' }], owner.auth).expect(200);
    const clash = await put(storeB.id, tech.id, [{ weekday: 1, start: '11:00', end: '14:00' }], owner.auth).expect(409);
    expect(clash.body.error.code).toBe('SCHEDULE_OVERLAP');
    const bad = await put(storeA.id, tech.id, [{ weekday: 8, start: '18:00', end: '09:00' }]).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['intervals[0].weekday']);
    expect((await put(storeA.id, tech.id, [{ weekday: 2, start: '18:00', end: '09:00' }]).expect(400)).body.error.details[0].field).toBe('intervals[0].end');
    expect((await put(storeA.id, tech.id, [{ weekday: 2, start: '9:00', end: '25:00' }]).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses staff who do not work at the store', async () => {
    const other = await makeStaff(t.ds, { role: 'technician', storeIds: [storeB.id] });
    // A's manager does not reach B's staff at all; HQ gets the real answer.
    expect((await put(storeA.id, other.id, []).expect(404)).body.error.code).toBe('STAFF_NOT_FOUND');
    expect((await put(storeA.id, other.id, [], owner.auth).expect(409)).body.error.code).toBe('STAFF_NOT_IN_STORE');
  });

  it('shows leave and extra shifts in the roster day by day', async () => {
    const day = dayFromToday(7); // the same weekday as today
    const weekday = ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    await put(storeA.id, tech.id, [{ weekday, start: '09:00', end: '18:00' }]).expect(200);
    // The evening at B would clash with the extra shift at A below on a Monday; B has him no more.
    await put(storeB.id, tech.id, [], owner.auth).expect(200);
    const leave = await t.http.post(`/api/stores/${storeA.id}/staff/${tech.id}/schedule-exceptions`).set(manager.auth).send({ day, kind: 'leave', start: '14:00', end: '16:00', reason: '看病' }).expect(201);
    await t.http.post(`/api/stores/${storeA.id}/staff/${tech.id}/schedule-exceptions`).set(manager.auth).send({ day, kind: 'extra', start: '18:00', end: '20:00', reason: '加班' }).expect(201);
    const roster = await t.http.get(`/api/stores/${storeA.id}/schedules`).query({ from: day, to: day }).set(manager.auth).expect(200);
    const mine = roster.body.staff.find((s: { staffId: string }) => s.staffId === tech.id);
    expect(mine.days).toEqual([{ day, weekday, intervals: [{ start: '09:00', end: '14:00' }, { start: '16:00', end: '20:00' }] }]);
    expect(mine.exceptions.map((e: { kind: string }) => e.kind)).toEqual(['leave', 'extra']);
    await t.http.delete(`/api/schedule-exceptions/${leave.body.id}`).set(manager.auth).expect(204);
    const after = await t.http.get(`/api/stores/${storeA.id}/schedules`).query({ from: day, to: day }).set(manager.auth).expect(200);
    expect(after.body.staff.find((s: { staffId: string }) => s.staffId === tech.id).days[0].intervals).toEqual([{ start: '09:00', end: '20:00' }]);
    const whole = await t.http.post(`/api/stores/${storeA.id}/staff/${tech.id}/schedule-exceptions`).set(manager.auth).send({ day, kind: 'leave' }).expect(201);
    expect(whole.body).toMatchObject({ start: null, end: null });
    expect((await t.http.post(`/api/stores/${storeA.id}/staff/${tech.id}/schedule-exceptions`).set(manager.auth).send({ day, kind: 'extra' }).expect(400)).body.error.details[0].field).toBe('start');
  });

  it('refuses an extra shift that overlaps his working time at another store', async () => {
    const day = dayFromToday(8);
    const weekday = ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    await put(storeB.id, tech.id, [{ weekday, start: '18:00', end: '21:00' }], owner.auth).expect(200);
    const res = await t.http.post(`/api/stores/${storeA.id}/staff/${tech.id}/schedule-exceptions`).set(owner.auth).send({ day, kind: 'extra', start: '19:00', end: '22:00' }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'SCHEDULE_OVERLAP', details: { storeId: storeB.id, start: '18:00', end: '21:00' } });
    await put(storeB.id, tech.id, [], owner.auth).expect(200);
  });

  it('lets a technician read his own schedule but not change it', async () => {
    const session = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    await put(storeA.id, session.id, [{ weekday: 5, start: '10:00', end: '19:00' }]).expect(200);
    const mine = await t.http.get('/api/schedules/mine').set(session.auth).expect(200);
    expect(mine.body.stores.map((s: { storeId: string; weekly: unknown[] }) => [s.storeId, s.weekly])).toEqual([[storeA.id, [{ weekday: 5, start: '10:00', end: '19:00' }]]]);
    await put(storeA.id, session.id, [], session.auth).expect(403);
    expect((await t.http.get(`/api/stores/${storeA.id}/schedules`).query({ from: '2026-01-01', to: '2026-06-01' }).set(session.auth).expect(400)).body.error.details[0].field).toBe('to');
  });
});
