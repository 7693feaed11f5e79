import { giveBalance, makeMember, makeStaff, makeStore, signedIn } from '../../factories';
import { dayFromToday, idem, makeService, memberAuth, scheduleStaff, setBookingSettings, shanghai } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

/**
 * Races on one technician's time, one store's queue numbers and one staff member's clock-in: the
 * database decides each (exclusion constraint, counter upsert, SKIP LOCKED), never the timing.
 */
describe('bookings, queue and clock-ins under concurrency', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Signed;
  let cashier: Signed;
  let techs: { id: string }[];
  let service: { id: string; productId: string };
  const day = dayFromToday(3);
  const N = 12;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    service = await makeService(t.ds, { durationMinutes: 60 });
    techs = [await makeStaff(t.ds, { role: 'technician', storeIds: [store.id] }), await makeStaff(t.ds, { role: 'technician', storeIds: [store.id] })];
    for (const tech of techs) await scheduleStaff(t.http, owner.auth, store.id, tech.id, [{ start: '09:00', end: '18:00' }], [service.productId]);
  });
  afterAll(() => t.close());

  const reconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };

  it('lets exactly one of N members book the same technician at the same time, each paying a deposit', async () => {
    await setBookingSettings(t.ds, { deposit_fen: 2000 });
    const members = await Promise.all(Array.from({ length: N }, () => makeMember(t.ds, { homeStoreId: store.id })));
    for (const m of members) await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 10000 }]);
    const auths = await Promise.all(members.map((m) => memberAuth(m.id)));
    const results = await Promise.all(
      auths.map((auth) => t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: service.id, staffId: techs[0].id, startsAt: shanghai(day, '10:00') })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(N - 1).fill(409)]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'BOOKING_SLOT_TAKEN')).toBe(true);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM booking WHERE staff_id = $1 AND status IN ('pending', 'confirmed', 'arrived')`, [techs[0].id]);
    expect(n).toBe(1);
    // Only the winner paid: the losers' deposits rolled back with their bookings.
    const [{ spends }] = await t.ds.query(`SELECT count(*)::int AS spends FROM wallet_spend WHERE ref_type = 'booking_deposit'`);
    expect(spends).toBe(1);
    await reconciled();
    await setBookingSettings(t.ds, { deposit_fen: 0 });
  });

  it('gives N overlapping bookings without a named technician to the two technicians once each', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        // Overlapping starts: 14:00 and 14:30 hit the same two technicians.
        t.http.post('/api/bookings').set(cashier.auth).send({ storeId: store.id, memberId: member.id, skuId: service.id, startsAt: shanghai(day, i % 2 ? '14:00' : '14:30') }),
      ),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won.length).toBe(2);
    expect(new Set(won.map((r) => r.body.staffId))).toEqual(new Set(techs.map((x) => x.id)));
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code).every((c) => c === 'BOOKING_SLOT_TAKEN' || c === 'BOOKING_NO_STAFF_AVAILABLE')).toBe(true);
    const overlaps = await t.ds.query(
      `SELECT a.id FROM booking a JOIN booking b ON a.staff_id = b.staff_id AND a.id < b.id AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status IN ('pending', 'confirmed', 'arrived') AND b.status IN ('pending', 'confirmed', 'arrived')`,
    );
    expect(overlaps).toEqual([]);
  });

  it('never lets a reschedule land on a booked time, even racing', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const mk = (hhmm: string) => t.http.post('/api/bookings').set(cashier.auth).send({ storeId: store.id, memberId: member.id, skuId: service.id, staffId: techs[1].id, startsAt: shanghai(day, hhmm) }).expect(201);
    const a = await mk('09:00');
    const b = await mk('11:00');
    const [ra, rb] = await Promise.all([
      t.http.post(`/api/bookings/${a.body.id}/reschedule`).set(cashier.auth).send({ startsAt: shanghai(day, '16:00') }),
      t.http.post(`/api/bookings/${b.body.id}/reschedule`).set(cashier.auth).send({ startsAt: shanghai(day, '16:30') }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 409]);
    expect([ra, rb].find((r) => r.status === 409)!.body.error.code).toBe('BOOKING_SLOT_TAKEN');
  });

  it('hands out N concurrent queue numbers 1…N once each', async () => {
    const results = await Promise.all(Array.from({ length: N }, () => t.http.post(`/api/stores/${store.id}/queue`).set(cashier.auth).send({})));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(results.map((r) => r.body.number).sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    await reconciled();
  });

  it('calls each waiting number once when several counters call at the same time', async () => {
    const calls = await Promise.all(Array.from({ length: N + 3 }, () => t.http.post(`/api/stores/${store.id}/queue/call-next`).set(cashier.auth).send({})));
    const called = calls.filter((r) => r.status === 200).map((r) => r.body.number);
    expect(called.sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(calls.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['QUEUE_EMPTY', 'QUEUE_EMPTY', 'QUEUE_EMPTY']);
  });

  it('clocks a staff member in once however many taps arrive together', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => t.http.post('/api/attendance/clock-in').set(cashier.auth).send({ storeId: store.id })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ATTENDANCE_ALREADY_CLOCKED_IN')).toBe(true);
    const outs = await Promise.all(Array.from({ length: 4 }, () => t.http.post('/api/attendance/clock-out').set(cashier.auth).send({})));
    expect(outs.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
  });
});
