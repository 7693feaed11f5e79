import { giveBalance, makeMember, makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';
import { expectReconciled, idem, openShift, orderCount, stockOf, walletOf } from './orders-helpers';

describe('open tickets and parked sales', () => {
  let t: TestApp;
  let store: { id: string };
  let storeB: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let cashier2: Awaited<ReturnType<typeof signedIn>>;
  let cashierB: Awaited<ReturnType<typeof signedIn>>;
  let tech: Awaited<ReturnType<typeof signedIn>>;
  let shampoo: { id: string };
  let massage: { id: string };
  let haircut: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    cashier2 = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    tech = await signedIn(t.ds, t.http, 'technician', [store.id]);
    await openShift(t, cashier.auth, store.id);
    await openShift(t, cashier2.auth, store.id);
    shampoo = await makeSku(t.ds, { name: '洗发水', priceFen: 6800 });
    massage = await makeSku(t.ds, { name: '头部按摩', kind: 'service', code: 'MASSAGE', priceFen: 8800 });
    haircut = await makeSku(t.ds, { name: '洗剪吹', kind: 'service', code: 'HAIRCUT', priceFen: 5000 });
    await giveStock(store.id, shampoo.id, 10);
  });
  afterAll(() => t.close());

  const open = (auth: { Authorization: string }, body: Record<string, unknown>) => t.http.post('/api/tickets').set(auth).send({ storeId: store.id, ...body });
  const settle = (auth: { Authorization: string }, ticketId: string, body: Record<string, unknown>, key = idem()) =>
    t.http.post(`/api/tickets/${ticketId}/settle`).set(auth).set('Idempotency-Key', key).send(body);

  it('opens a ticket on arrival, lets the technician add services as they are done, and settles it once', async () => {
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 20000 }]);
    const opened = await open(cashier.auth, { memberId: m.id, label: '3号床', lines: [{ skuId: haircut.id, quantity: 1, servingStaffIds: [tech.id] }] }).expect(201);
    expect(opened.body).toMatchObject({ kind: 'open', status: 'open', label: '3号床', memberId: m.id, lines: [{ name: '洗剪吹', quantity: 1, servingStaff: [{ id: tech.id }] }] });
    const id = opened.body.id;
    // The technician adds what he did; every cashier of the store sees the ticket.
    const added = await t.http.post(`/api/tickets/${id}/lines`).set(tech.auth).send({ skuId: massage.id, quantity: 1, servingStaffIds: [tech.id] }).expect(200);
    expect(added.body.lines).toHaveLength(2);
    const extra = await t.http.post(`/api/tickets/${id}/lines`).set(cashier2.auth).send({ skuId: shampoo.id, quantity: 1 }).expect(200);
    const list = await t.http.get('/api/tickets').set(cashier2.auth).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(id);
    // A ticket holds no stock and no money.
    expect(await stockOf(t, store.id, shampoo.id)).toBe(10);
    expect(await walletOf(t, m.id)).toEqual({ principal: 20000, bonus: 0 });
    await t.http.delete(`/api/tickets/${id}/lines/${extra.body.lines[2].id}`).set(cashier.auth).expect(200);
    // Store B neither sees nor touches it.
    await t.http.get(`/api/tickets/${id}`).set(cashierB.auth).expect(404);
    const bList = await t.http.get('/api/tickets').set(cashierB.auth).expect(200);
    expect(bList.body.items).toHaveLength(0);

    const paid = await settle(cashier2.auth, id, { expectedTotalFen: 13800, payments: [{ method: 'stored_value', amountFen: 13800 }] }).expect(201);
    expect(paid.body).toMatchObject({ status: 'completed', ticketId: id, totalFen: 13800, cashierId: cashier2.id });
    expect(paid.body.lines.map((l: { name: string; servingStaff: { id: string }[] }) => [l.name, l.servingStaff.map((s) => s.id)])).toEqual([
      ['洗剪吹', [tech.id]],
      ['头部按摩', [tech.id]],
    ]);
    const closed = await t.http.get(`/api/tickets/${id}`).set(cashier.auth).expect(200);
    expect(closed.body).toMatchObject({ status: 'settled', orderId: paid.body.id });
    const late = await t.http.post(`/api/tickets/${id}/lines`).set(tech.auth).send({ skuId: massage.id, quantity: 1 }).expect(409);
    expect(late.body.error.code).toBe('TICKET_NOT_OPEN');
    const twice = await settle(cashier.auth, id, { payments: [{ method: 'cash', amountFen: 13800 }] }).expect(409);
    expect(twice.body.error.code).toBe('TICKET_NOT_OPEN');
    await expectReconciled(t, owner.auth);
  });

  it('makes exactly one order when two cashiers settle the same ticket at once', async () => {
    const opened = await open(cashier.auth, { lines: [{ skuId: shampoo.id, quantity: 2 }] }).expect(201);
    const orders = await orderCount(t);
    const stock = await stockOf(t, store.id, shampoo.id);
    const results = await Promise.all(
      [cashier, cashier2, cashier, cashier2].map((c) => settle(c.auth, opened.body.id, { payments: [{ method: 'cash', amountFen: 13600 }] })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'TICKET_NOT_OPEN')).toBe(true);
    expect(await orderCount(t)).toBe(orders + 1);
    expect(await stockOf(t, store.id, shampoo.id)).toBe(stock - 2);
  });

  it('leaves a ticket open when its settlement fails, and cancels it with a reason', async () => {
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    const opened = await open(cashier.auth, { memberId: m.id, lines: [{ skuId: haircut.id, quantity: 1 }] }).expect(201);
    const poor = await settle(cashier.auth, opened.body.id, { payments: [{ method: 'stored_value', amountFen: 5000 }] }).expect(409);
    expect(poor.body.error.code).toBe('WALLET_INSUFFICIENT_BALANCE');
    expect((await t.http.get(`/api/tickets/${opened.body.id}`).set(cashier.auth).expect(200)).body.status).toBe('open');
    const empty = await open(cashier.auth, {}).expect(201);
    const nothing = await settle(cashier.auth, empty.body.id, { payments: [] }).expect(409);
    expect(nothing.body.error.code).toBe('TICKET_EMPTY');
    const cancelled = await t.http.post(`/api/tickets/${opened.body.id}/cancel`).set(cashier.auth).send({ reason: '顾客离开' }).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '顾客离开' });
    await t.http.post(`/api/tickets/${opened.body.id}/cancel`).set(cashier.auth).send({ reason: '再取消' }).expect(409);
  });

  it('parks a cart and resumes it later at the till', async () => {
    const parked = await open(cashier.auth, { kind: 'parked', lines: [{ skuId: shampoo.id, quantity: 1 }] }).expect(201);
    const waiting = await t.http.get('/api/tickets').set(cashier2.auth).query({ kind: 'parked' }).expect(200);
    expect(waiting.body.items.map((x: { id: string }) => x.id)).toContain(parked.body.id);
    const resumed = await t.http.post(`/api/tickets/${parked.body.id}/resume`).set(cashier2.auth).expect(200);
    expect(resumed.body).toMatchObject({ status: 'resumed', lines: [{ skuId: shampoo.id, quantity: 1 }] });
    await t.http.post(`/api/tickets/${parked.body.id}/resume`).set(cashier.auth).expect(409);
  });

  it('refuses bad tickets with 4xx', async () => {
    await open(cashier.auth, { lines: [{ skuId: shampoo.id, quantity: 0 }] }).expect(400);
    await open(cashier.auth, { lines: [{ skuId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }).expect(404);
    await open(cashier.auth, { kind: 'other' }).expect(400);
    await t.http.post('/api/tickets').set(cashier.auth).send({ storeId: storeB.id }).expect(404);
    const opened = await open(cashier.auth, {}).expect(201);
    await t.http.delete(`/api/tickets/${opened.body.id}/lines/00000000-0000-4000-8000-000000000000`).set(cashier.auth).expect(404);
  });
});
