import { OrdersService } from '../../../src/modules/orders/orders.service';
import { makeMember, makeStaff, makeStore, signedIn } from '../../factories';
import { makeSku } from '../../factories/catalog';
import { dayFromToday, idem as bookingKey, makeService, scheduleStaff, shanghai } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';
import { checkout, expectReconciled, openShift, refund } from '../orders/orders-helpers';

type Signed = Awaited<ReturnType<typeof signedIn>>;

/** Checkout and commission, checkout and bookings: through the HTTP routes the cashier app calls. */
describe('checkout with commission and bookings', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Signed;
  let cashier: Signed;
  let tech: { id: string };
  let helper: { id: string };
  let haircut: { id: string; productId: string };
  let shampoo: { id: string; productId: string };

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    tech = await makeStaff(t.ds, { role: 'technician', storeIds: [store.id], name: '技师甲' });
    helper = await makeStaff(t.ds, { role: 'technician', storeIds: [store.id], name: '助理乙' });
    haircut = await makeService(t.ds, { name: '洗剪吹', priceFen: 10000 });
    shampoo = await makeSku(t.ds, { name: '洗发水', priceFen: 5000, trackStock: false });
    await openShift(t, cashier.auth, store.id);
    await t.http.post('/api/commission-rules').set(owner.auth).send({ name: '服务 10%', source: 'service', mode: 'percent', rateBps: 1000 }).expect(201);
    await t.http.post('/api/commission-rules').set(owner.auth).send({ name: '商品 每件 3 元', source: 'product', mode: 'fixed', amountFen: 300 }).expect(201);
    await scheduleStaff(t.http, owner.auth, store.id, tech.id, [{ start: '09:00', end: '18:00' }], [haircut.productId]);
  });
  afterAll(() => t.close());

  const ledger = (orderId: string) =>
    t.ds.query(`SELECT staff_id, source, sum(amount_fen)::int AS amount, sum(base_fen)::int AS base, sum(quantity)::int AS quantity FROM commission_entry WHERE ref_id = $1 GROUP BY staff_id, source ORDER BY source, staff_id`, [orderId]);

  it('credits the serving staff of each line when an order completes, and takes it back with refunds', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const order = await checkout(t, cashier.auth, {
      storeId: store.id,
      memberId: member.id,
      lines: [
        { skuId: haircut.id, quantity: 1, servingStaffIds: [tech.id, helper.id] },
        { skuId: shampoo.id, quantity: 2, servingStaffIds: [tech.id] },
      ],
      payments: [{ method: 'cash', amountFen: 20000 }],
    }).expect(201);
    const sorted = (rows: { staff_id: string; source: string; amount: number; base: number; quantity: number }[]) => rows.map((r) => ({ ...r, staff_id: r.staff_id === tech.id ? 'tech' : 'helper' }));
    expect(sorted(await ledger(order.body.id))).toEqual(
      expect.arrayContaining([
        { staff_id: 'tech', source: 'service', amount: 500, base: 5000, quantity: 1 },
        { staff_id: 'helper', source: 'service', amount: 500, base: 5000, quantity: 1 },
        { staff_id: 'tech', source: 'product', amount: 600, base: 10000, quantity: 2 },
      ]),
    );
    const shampooLine = order.body.lines.find((l: { skuId: string }) => l.skuId === shampoo.id).id;
    await refund(t, cashier.auth, order.body.id, { reason: '退一瓶', lines: [{ lineId: shampooLine, quantity: 1 }] }).expect(201);
    expect(sorted(await ledger(order.body.id)).find((r) => r.source === 'product')).toEqual({ staff_id: 'tech', source: 'product', amount: 300, base: 5000, quantity: 1 });
    await refund(t, cashier.auth, order.body.id, { reason: '全部退' }).expect(201);
    expect((await ledger(order.body.id)).map((r: { amount: number; base: number; quantity: number }) => [r.amount, r.base, r.quantity])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    await expectReconciled(t, owner.auth);
  });

  it('settles a booking at checkout with its cart, completing it with the order', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const booking = await t.http.post('/api/bookings').set(cashier.auth).send({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(1), '10:00') }).expect(201);
    await t.http.post(`/api/bookings/${booking.body.id}/arrive`).set(cashier.auth).set(bookingKey()).expect(200);
    const cart = await t.http.get(`/api/bookings/${booking.body.id}/checkout-cart`).set(cashier.auth).expect(200);
    // Another member's cart cannot settle it.
    const other = await makeMember(t.ds, { homeStoreId: store.id });
    const wrong = await checkout(t, cashier.auth, { storeId: store.id, memberId: other.id, lines: cart.body.lines, payments: [{ method: 'cash', amountFen: 10000 }], bookingId: booking.body.id }).expect(404);
    expect(wrong.body.error.code).toBe('BOOKING_NOT_FOUND');
    const order = await checkout(t, cashier.auth, { storeId: store.id, memberId: member.id, lines: cart.body.lines, payments: [{ method: 'cash', amountFen: 10000 }], bookingId: booking.body.id }).expect(201);
    const done = await t.http.get(`/api/bookings/${booking.body.id}`).set(cashier.auth).expect(200);
    expect(done.body).toMatchObject({ status: 'completed', orderId: order.body.id });
    expect(order.body.lines[0]).toMatchObject({ skuId: haircut.id, servingStaff: [{ id: tech.id, name: '技师甲' }] });
    const again = await checkout(t, cashier.auth, { storeId: store.id, memberId: member.id, lines: cart.body.lines, payments: [{ method: 'cash', amountFen: 10000 }], bookingId: booking.body.id }).expect(409);
    expect(again.body.error.code).toBe('BOOKING_STATUS_INVALID');
    const perf = await t.http.get('/api/commission/performance').query({ storeId: store.id }).set(owner.auth).expect(200);
    expect(perf.body.staff.find((s: { staffId: string }) => s.staffId === tech.id)).toMatchObject({ bookingsServed: 1, servicesPerformed: 1, salesFen: 10000, commissionFen: 1000 });
    await expectReconciled(t, owner.auth);
  });

  it('opens the booking again, and pays no commission, when the order’s WeChat payment fails', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const booking = await t.http.post('/api/bookings').set(cashier.auth).send({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(1), '14:00') }).expect(201);
    const cart = await t.http.get(`/api/bookings/${booking.body.id}/checkout-cart`).set(cashier.auth).expect(200);
    const pending = await checkout(t, cashier.auth, { storeId: store.id, memberId: member.id, lines: cart.body.lines, payments: [{ method: 'wechat', amountFen: 10000 }], bookingId: booking.body.id }).expect(201);
    expect(pending.body.status).toBe('pending_payment');
    expect(await ledger(pending.body.id)).toEqual([]);
    await t.app.get(OrdersService).failExternalPayment({ paymentId: pending.body.payments[0].id, reason: '支付超时' });
    const reopened = await t.http.get(`/api/bookings/${booking.body.id}`).set(cashier.auth).expect(200);
    expect(reopened.body).toMatchObject({ status: 'arrived', orderId: null });
    const paid = await checkout(t, cashier.auth, { storeId: store.id, memberId: member.id, lines: cart.body.lines, payments: [{ method: 'cash', amountFen: 10000 }], bookingId: booking.body.id }).expect(201);
    expect((await t.http.get(`/api/bookings/${booking.body.id}`).set(cashier.auth).expect(200)).body).toMatchObject({ status: 'completed', orderId: paid.body.id });
    expect((await ledger(paid.body.id)).map((r: { amount: number }) => r.amount)).toEqual([1000]);
    await expectReconciled(t, owner.auth);
  });

  it('settles a booking with one order however many checkouts race for it, each credited once', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const booking = await t.http.post('/api/bookings').set(cashier.auth).send({ storeId: store.id, memberId: member.id, skuId: haircut.id, startsAt: shanghai(dayFromToday(2), '11:00') }).expect(201);
    const cart = await t.http.get(`/api/bookings/${booking.body.id}/checkout-cart`).set(cashier.auth).expect(200);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => checkout(t, cashier.auth, { storeId: store.id, memberId: member.id, lines: cart.body.lines, payments: [{ method: 'cash', amountFen: 10000 }], bookingId: booking.body.id })),
    );
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'BOOKING_STATUS_INVALID')).toBe(true);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM sales_order WHERE member_id = $1`, [member.id]);
    expect(n).toBe(1);
    expect((await ledger(won[0].body.id)).map((r: { amount: number }) => r.amount)).toEqual([1000]);
    await expectReconciled(t, owner.auth);
  });
});
