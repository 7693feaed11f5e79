import { BookingsService } from '../../../src/modules/bookings/bookings.service';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { giveBalance, makeMember, makeStaff, makeStore, signedIn } from '../../factories';
import { makeSku } from '../../factories/catalog';
import { dayFromToday, idem, makeService, memberAuth, scheduleStaff, setBookingSettings, shanghai } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('bookings', () => {
  let t: TestApp;
  let store: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let manager: Signed;
  let cashier: Signed;
  let techA: { id: string };
  let techB: { id: string };
  let haircut: { id: string; productId: string };
  let massage: { id: string; productId: string };
  const day = dayFromToday(2);

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds, { name: '测试店' });
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    techA = await makeStaff(t.ds, { role: 'technician', storeIds: [store.id], name: '阿强' });
    techB = await makeStaff(t.ds, { role: 'technician', storeIds: [store.id], name: '小美' });
    haircut = await makeService(t.ds, { name: '洗剪吹', durationMinutes: 60, priceFen: 8800 });
    massage = await makeService(t.ds, { name: '肩颈按摩', durationMinutes: 90, priceFen: 19800 });
    await scheduleStaff(t.http, manager.auth, store.id, techA.id, [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }], [haircut.productId, massage.productId]);
    await scheduleStaff(t.http, manager.auth, store.id, techB.id, [{ start: '10:00', end: '19:00' }], [haircut.productId]);
  });
  afterAll(() => t.close());

  const reconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };
  const book = (body: object, auth = cashier.auth) => t.http.post('/api/bookings').set(auth).send(body);

  describe('who performs which service', () => {
    it('lists the services each staff member performs and refuses goods', async () => {
      const res = await t.http.get(`/api/staff/${techA.id}/services`).set(cashier.auth).expect(200);
      expect(res.body.services.map((s: { name: string }) => s.name).sort()).toEqual(['洗剪吹', '肩颈按摩'].sort());
      const goods = await makeSku(t.ds, { name: '洗发水' });
      const refused = await t.http.put(`/api/staff/${techA.id}/services`).set(manager.auth).send({ productIds: [goods.productId] }).expect(409);
      expect(refused.body.error.code).toBe('SCHEDULE_SERVICE_INVALID');
      await t.http.put(`/api/staff/${techA.id}/services`).set(cashier.auth).send({ productIds: [] }).expect(403);
    });

    it('shows the bookable services of a store with their technicians', async () => {
      const res = await t.http.get(`/api/stores/${store.id}/bookable-services`).set(cashier.auth).expect(200);
      const cut = res.body.find((s: { productId: string }) => s.productId === haircut.productId);
      expect(cut).toMatchObject({ name: '洗剪吹', durationMinutes: 60, skus: [{ skuId: haircut.id, priceFen: 8800 }] });
      expect(cut.staff.map((s: { name: string }) => s.name).sort()).toEqual(['小美', '阿强'].sort());
    });
  });

  describe('free slots', () => {
    it('offers the starts where a technician works for the whole service', async () => {
      const res = await t.http.get(`/api/stores/${store.id}/services/${massage.id}/slots`).query({ day }).set(cashier.auth).expect(200);
      // Only 阿强 does massages: 09:00–12:00 and 13:00–18:00, 90 minutes on a 30-minute grid.
      expect(res.body.slots.map((s: { time: string }) => s.time)).toEqual(['09:00', '09:30', '10:00', '10:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30']);
      expect(res.body.slots[0].staffIds).toEqual([techA.id]);
      const cut = await t.http.get(`/api/stores/${store.id}/services/${haircut.id}/slots`).query({ day }).set(cashier.auth).expect(200);
      const at1030 = cut.body.slots.find((s: { time: string }) => s.time === '10:30');
      expect(at1030.staffIds.sort()).toEqual([techA.id, techB.id].sort());
      expect(cut.body.slots.at(-1).time).toBe('18:00');
      expect(cut.body.slots.at(-1).staffIds).toEqual([techB.id]);
    });

    it('keeps to the store’s opening hours and leaves the day after the horizon empty', async () => {
      const other = await makeStore(t.ds);
      const tech = await makeStaff(t.ds, { role: 'technician', storeIds: [other.id] });
      await scheduleStaff(t.http, owner.auth, other.id, tech.id, [{ start: '08:00', end: '20:00' }], [haircut.productId]);
      await t.http.patch(`/api/stores/${other.id}`).set(owner.auth).send({ businessHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '10:00', close: '12:00' })) }).expect(200);
      const res = await t.http.get(`/api/stores/${other.id}/services/${haircut.id}/slots`).query({ day }).set(owner.auth).expect(200);
      expect(res.body.slots.map((s: { time: string }) => s.time)).toEqual(['10:00', '10:30', '11:00']);
      const far = await t.http.get(`/api/stores/${other.id}/services/${haircut.id}/slots`).query({ day: dayFromToday(15) }).set(owner.auth).expect(200);
      expect(far.body.slots).toEqual([]);
    });

    it('refuses goods and technicians who do not perform the service', async () => {
      const goods = await makeSku(t.ds, { name: '发蜡' });
      expect((await t.http.get(`/api/stores/${store.id}/services/${goods.id}/slots`).set(cashier.auth).expect(409)).body.error.code).toBe('BOOKING_NOT_A_SERVICE');
      expect((await t.http.get(`/api/stores/${store.id}/services/${massage.id}/slots`).query({ staffId: techB.id }).set(cashier.auth).expect(409)).body.error.code).toBe('BOOKING_STAFF_CANNOT_SERVE');
      expect((await t.http.get(`/api/stores/${store.id}/services/${massage.id}/slots`).query({ day: '2026-02-30' }).set(cashier.auth).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('staff booking for a member', () => {
    it('books a technician, takes the time out of the free slots and refuses a second booking over it', async () => {
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const res = await book({ storeId: store.id, memberId: member.id, skuId: massage.id, staffId: techA.id, startsAt: shanghai(day, '14:00'), note: '电话预约' }).expect(201);
      expect(res.body).toMatchObject({ status: 'confirmed', source: 'staff', staffId: techA.id, serviceName: '肩颈按摩', startTime: `${day} 14:00`, durationMinutes: 90, depositStatus: 'none' });
      expect(res.body.endsAt).toBe(new Date(shanghai(day, '15:30')).toISOString());
      const slots = await t.http.get(`/api/stores/${store.id}/services/${massage.id}/slots`).query({ day }).set(cashier.auth).expect(200);
      expect(slots.body.slots.map((s: { time: string }) => s.time)).toEqual(['09:00', '09:30', '10:00', '10:30', '15:30', '16:00', '16:30']);
      const clash = await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, staffId: techA.id, startsAt: shanghai(day, '15:00') }).expect(409);
      expect(clash.body.error.code).toBe('BOOKING_SLOT_TAKEN');
      // Without a technician named, the one still free takes it.
      const other = await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(day, '15:00') }).expect(201);
      expect(other.body.staffId).toBe(techB.id);
      const audit = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1`, [res.body.id]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['booking.create']);
    });

    it('refuses times outside the working hours, in the past and beyond the horizon, with nothing written', async () => {
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const before = (await t.ds.query('SELECT count(*)::int AS n FROM booking'))[0].n;
      const cases: [string, string][] = [
        [shanghai(day, '12:30'), 'outside_working_hours'],
        [shanghai(day, '17:30'), 'outside_working_hours'],
        [shanghai(dayFromToday(-1), '10:00'), 'in_the_past'],
        [shanghai(dayFromToday(20), '10:00'), 'too_far_ahead'],
      ];
      for (const [startsAt, reason] of cases) {
        const res = await book({ storeId: store.id, memberId: member.id, skuId: massage.id, staffId: techA.id, startsAt }).expect(409);
        expect({ startsAt, code: res.body.error.code, reason: res.body.error.details.reason }).toEqual({ startsAt, code: 'BOOKING_SLOT_UNAVAILABLE', reason });
      }
      const bad = await book({ storeId: store.id, memberId: member.id, skuId: massage.id, startsAt: '2026-11-24 10:00' }).expect(400);
      expect(bad.body.error.details[0].field).toBe('startsAt');
      expect((await book({ storeId: store.id, memberId: member.id, skuId: massage.id, staffId: techB.id, startsAt: shanghai(day, '10:00') }).expect(409)).body.error.code).toBe('BOOKING_STAFF_CANNOT_SERVE');
      expect((await t.ds.query('SELECT count(*)::int AS n FROM booking'))[0].n).toBe(before);
    });

    it('keeps another store’s bookings out of reach', async () => {
      const cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const res = await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(day, '11:00') }).expect(201);
      expect((await t.http.get(`/api/bookings/${res.body.id}`).set(cashierB.auth).expect(404)).body.error.code).toBe('BOOKING_NOT_FOUND');
      const list = await t.http.get('/api/bookings').set(cashierB.auth).expect(200);
      expect(list.body.items).toEqual([]);
      expect((await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(day, '16:00') }, cashierB.auth).expect(404)).body.error.code).toBe('STORE_NOT_FOUND');
    });
  });

  describe('lifecycle', () => {
    it('confirms, reschedules, checks in and completes through checkout with the cart prefilled', async () => {
      await setBookingSettings(t.ds, { auto_confirm: false });
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const auth = await memberAuth(member.id);
      const created = await t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: haircut.id, staffId: techB.id, startsAt: shanghai(day, '17:00') }).expect(201);
      expect(created.body.status).toBe('pending');
      const confirmed = await t.http.post(`/api/bookings/${created.body.id}/confirm`).set(cashier.auth).expect(200);
      expect(confirmed.body.status).toBe('confirmed');
      expect((await t.http.post(`/api/bookings/${created.body.id}/confirm`).set(cashier.auth).expect(409)).body.error.code).toBe('BOOKING_STATUS_INVALID');
      const moved = await t.http.post(`/api/bookings/${created.body.id}/reschedule`).set(cashier.auth).send({ startsAt: shanghai(day, '09:00'), staffId: techA.id, reason: '客人改时间' }).expect(200);
      expect(moved.body).toMatchObject({ status: 'confirmed', staffId: techA.id, startTime: `${day} 09:00`, rescheduleCount: 1 });
      const cart = await t.http.get(`/api/bookings/${created.body.id}/checkout-cart`).set(cashier.auth).expect(200);
      expect(cart.body).toEqual({ bookingId: created.body.id, storeId: store.id, memberId: member.id, lines: [{ skuId: haircut.id, quantity: 1, servingStaffIds: [techA.id] }] });
      await t.http.post(`/api/bookings/${created.body.id}/arrive`).set(cashier.auth).set(idem()).expect(200);
      // Checkout (orders) completes it in the order's transaction.
      const orderId = '00000000-0000-4000-8000-000000000001';
      await t.app.get(TransactionHost).run((m) => t.app.get(BookingsService).completeForOrder(m, created.body.id, { orderId, storeId: store.id, memberId: member.id }));
      const done = await t.http.get(`/api/me/bookings/${created.body.id}`).set(auth).expect(200);
      expect(done.body).toMatchObject({ status: 'completed', orderId });
      const again = t.app.get(TransactionHost).run((m) => t.app.get(BookingsService).completeForOrder(m, created.body.id, { orderId, storeId: store.id }));
      await expect(again).rejects.toMatchObject({ code: 'BOOKING_STATUS_INVALID' });
      const actions = await t.ds.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [created.body.id]);
      expect(actions.map((a: { action: string }) => a.action)).toEqual(['booking.create', 'booking.confirm', 'booking.reschedule', 'booking.arrive', 'booking.complete']);
      await setBookingSettings(t.ds, { auto_confirm: true });
    });

    it('marks a no-show only after the start', async () => {
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const b = await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(day, '12:00') }).expect(201);
      expect((await t.http.post(`/api/bookings/${b.body.id}/no-show`).set(cashier.auth).expect(409)).body.error.code).toBe('BOOKING_NOT_STARTED');
      const later = new Date(new Date(b.body.startsAt).getTime() + 30 * 60_000);
      const res = await t.app.get(BookingsService).noShow(b.body.id, later);
      expect(res.status).toBe('no_show');
      expect((await t.http.post(`/api/bookings/${b.body.id}/cancel`).set(cashier.auth).set(idem()).send({ reason: 'x' }).expect(409)).body.error.code).toBe('BOOKING_STATUS_INVALID');
    });
  });

  describe('members in the app', () => {
    it('books a free slot with a deposit from stored value and gets it back on cancelling in time', async () => {
      await setBookingSettings(t.ds, { deposit_fen: 5000 });
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      await giveBalance(t.ds, member.id, [{ kind: 'wallet_principal', amount: 20000 }]);
      const auth = await memberAuth(member.id);
      const rules = await t.http.get('/api/me/booking-rules').set(auth).expect(200);
      expect(rules.body).toMatchObject({ depositFen: 5000, cancelDeadlineMinutes: 120 });
      const slots = await t.http.get('/api/me/booking-slots').query({ storeId: store.id, skuId: haircut.id, day }).set(auth).expect(200);
      const slot = slots.body.slots.find((s: { time: string }) => s.time === '10:00');
      const res = await t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: haircut.id, startsAt: slot.startsAt }).expect(201);
      expect(res.body).toMatchObject({ status: 'confirmed', source: 'member', depositFen: 5000, depositStatus: 'held', cancellableOnline: true });
      const wallet = async () => Number((await t.ds.query(`SELECT balance FROM account WHERE member_id = $1 AND kind = 'wallet_principal'`, [member.id]))[0].balance);
      expect(await wallet()).toBe(15000);
      const list = await t.http.get('/api/me/bookings').query({ when: 'upcoming' }).set(auth).expect(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([res.body.id]);
      const cancelled = await t.http.post(`/api/me/bookings/${res.body.id}/cancel`).set(auth).set(idem()).send({ reason: '临时有事' }).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledBy: 'member', depositStatus: 'returned' });
      expect(await wallet()).toBe(20000);
      await reconciled();
      await setBookingSettings(t.ds, { deposit_fen: 0 });
    });

    it('refuses a deposit the member cannot pay, with nothing booked', async () => {
      await setBookingSettings(t.ds, { deposit_fen: 5000 });
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const auth = await memberAuth(member.id);
      const res = await t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: haircut.id, startsAt: shanghai(day, '16:30') }).expect(409);
      expect(res.body.error.code).toBe('WALLET_INSUFFICIENT_BALANCE');
      expect((await t.ds.query('SELECT count(*)::int AS n FROM booking WHERE member_id = $1', [member.id]))[0].n).toBe(0);
      expect((await t.http.post('/api/me/bookings').set(auth).send({ storeId: store.id, skuId: haircut.id, startsAt: shanghai(day, '16:30') }).expect(400)).body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      await setBookingSettings(t.ds, { deposit_fen: 0 });
    });

    it('keeps members on the slot grid, before the deadline and within their limit', async () => {
      await setBookingSettings(t.ds, { max_active_per_member: 2 });
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const auth = await memberAuth(member.id);
      const post = (hhmm: string) => t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(3), hhmm) });
      expect((await post('10:10').expect(409)).body.error.details.reason).toBe('not_on_slot_grid');
      const first = await post('10:00').expect(201);
      await post('11:00').expect(201);
      expect((await post('13:00').expect(409)).body.error.code).toBe('BOOKING_TOO_MANY_ACTIVE');
      // Two hours before the start the member can no longer cancel online; the store can.
      const late = new Date(new Date(first.body.startsAt).getTime() - 60 * 60_000);
      await expect(t.app.get(BookingsService).cancelByMember(member.id, first.body.id, '来不了', late)).rejects.toMatchObject({ code: 'BOOKING_CANCEL_DEADLINE_PASSED' });
      const other = await makeMember(t.ds, { homeStoreId: store.id });
      expect((await t.http.post(`/api/me/bookings/${first.body.id}/cancel`).set(await memberAuth(other.id)).set(idem()).send({}).expect(404)).body.error.code).toBe('BOOKING_NOT_FOUND');
      await t.http.post(`/api/bookings/${first.body.id}/cancel`).set(cashier.auth).set(idem()).send({ reason: '客人来电取消' }).expect(200);
      await post('13:00').expect(201);
      await setBookingSettings(t.ds, { max_active_per_member: 3 });
    });

    it('keeps a deposit on a no-show and returns it on arrival', async () => {
      await setBookingSettings(t.ds, { deposit_fen: 3000 });
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      await giveBalance(t.ds, member.id, [{ kind: 'wallet_principal', amount: 10000 }]);
      const auth = await memberAuth(member.id);
      const a = await t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(4), '10:00') }).expect(201);
      const b = await t.http.post('/api/me/bookings').set(auth).set(idem()).send({ storeId: store.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(4), '14:00') }).expect(201);
      const arrived = await t.http.post(`/api/bookings/${a.body.id}/arrive`).set(cashier.auth).set(idem()).expect(200);
      expect(arrived.body.depositStatus).toBe('returned');
      const noShow = await t.app.get(BookingsService).noShow(b.body.id, new Date(new Date(b.body.endsAt).getTime() + 60_000));
      expect(noShow.depositStatus).toBe('forfeited');
      expect(Number((await t.ds.query(`SELECT balance FROM account WHERE member_id = $1 AND kind = 'wallet_principal'`, [member.id]))[0].balance)).toBe(7000);
      await reconciled();
      await setBookingSettings(t.ds, { deposit_fen: 0 });
    });

    it('cancels a deleted member’s open bookings and blanks what was written about him (PIPL)', async () => {
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const b = await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(5), '10:00'), note: '过敏体质，电话 13900000000' }).expect(201);
      const ticket = await t.http.post(`/api/stores/${store.id}/queue`).set(cashier.auth).send({ memberId: member.id, customerName: '真实姓名' }).expect(201);
      await t.http.post(`/api/members/${member.id}/anonymise`).set(owner.auth).send({ reason: '会员申请注销' }).expect(200);
      const after = await t.http.get(`/api/bookings/${b.body.id}`).set(cashier.auth).expect(200);
      expect(after.body).toMatchObject({ status: 'cancelled', note: '', cancelReason: '会员注销' });
      const [row] = await t.ds.query(`SELECT customer_name, status FROM queue_ticket WHERE id = $1`, [ticket.body.id]);
      expect(row).toEqual({ customer_name: null, status: 'cancelled' });
      await reconciled();
    });

    it('answers staff tokens on member routes and member tokens on staff routes with 403', async () => {
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      await t.http.get('/api/me/bookings').set(cashier.auth).expect(403);
      await t.http.get('/api/bookings').set(await memberAuth(member.id)).expect(403);
    });
  });

  describe('notifications', () => {
    it('writes the confirmation and a reminder to the outbox, and withdraws the reminder when the booking moves or is cancelled', async () => {
      for (const event of ['booking.confirmed', 'booking.reminder']) {
        await t.http.put('/api/notifications/templates').set(owner.auth).send({ event, channel: 'sms', enabled: true, externalId: `SMS_${event}`, fields: [{ name: 'service', value: '{{serviceName}}' }, { name: 'time', value: '{{startTime}}' }] }).expect(200);
      }
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const day5 = dayFromToday(5);
      const b = await book({ storeId: store.id, memberId: member.id, skuId: haircut.id, staffId: techB.id, startsAt: shanghai(day5, '15:00') }).expect(201);
      const outbox = () =>
        t.ds.query(`SELECT event, status, next_attempt_at, data->>'startTime' AS start_time, data->>'serviceName' AS service FROM notification_message WHERE member_id = $1 ORDER BY created_at, event`, [member.id]);
      const first = await outbox();
      expect(first.map((x: { event: string; status: string }) => [x.event, x.status])).toEqual([
        ['booking.confirmed', 'pending'],
        ['booking.reminder', 'pending'],
      ]);
      expect(first[0]).toMatchObject({ start_time: `${day5} 15:00`, service: '洗剪吹' });
      expect(new Date(first[1].next_attempt_at).toISOString()).toBe(new Date(new Date(b.body.startsAt).getTime() - 120 * 60_000).toISOString());
      await t.http.post(`/api/bookings/${b.body.id}/reschedule`).set(cashier.auth).send({ startsAt: shanghai(day5, '16:00') }).expect(200);
      const moved = await outbox();
      expect(moved.map((x: { event: string; status: string; start_time: string }) => [x.event, x.status, x.start_time])).toEqual([
        ['booking.confirmed', 'pending', `${day5} 15:00`],
        ['booking.reminder', 'cancelled', `${day5} 15:00`],
        ['booking.confirmed', 'pending', `${day5} 16:00`],
        ['booking.reminder', 'pending', `${day5} 16:00`],
      ]);
      await t.http.post(`/api/bookings/${b.body.id}/cancel`).set(cashier.auth).set(idem()).send({ reason: '客人取消' }).expect(200);
      expect((await outbox()).filter((x: { event: string; status: string }) => x.event === 'booking.reminder' && x.status === 'pending')).toEqual([]);
    });
  });

  describe('rules', () => {
    it('lets only HQ change the booking rules, audited, and refuses bad values', async () => {
      await t.http.patch('/api/booking-settings').set(manager.auth).send({ maxDaysAhead: 30 }).expect(403);
      const res = await t.http.patch('/api/booking-settings').set(owner.auth).send({ maxDaysAhead: 30 }).expect(200);
      expect(res.body.maxDaysAhead).toBe(30);
      const bad = await t.http.patch('/api/booking-settings').set(owner.auth).send({ slotStepMinutes: 1, depositFen: -1 }).expect(400);
      expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['depositFen', 'slotStepMinutes']);
      const audit = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'booking.settings.update'`);
      expect(audit).toEqual([{ before: { maxDaysAhead: 14 }, after: { maxDaysAhead: 30 } }]);
      await t.http.patch('/api/booking-settings').set(owner.auth).send({ maxDaysAhead: 14 }).expect(200);
    });
  });
});
