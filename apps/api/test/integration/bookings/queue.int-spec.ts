import { makeMember, makeStore, signedIn } from '../../factories';
import { memberAuth } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('walk-in queue', () => {
  let t: TestApp;
  let store: { id: string };
  let cashier: Signed;
  let technician: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    technician = await signedIn(t.ds, t.http, 'technician', [store.id]);
  });
  afterAll(() => t.close());

  const take = (body: object = {}) => t.http.post(`/api/stores/${store.id}/queue`).set(cashier.auth).send(body);

  it('numbers walk-ins, calls the lowest waiting number and moves tickets along', async () => {
    const a = await take({ customerName: '王先生', partySize: 2 }).expect(201);
    const b = await take().expect(201);
    const c = await take().expect(201);
    expect([a.body.label, b.body.label, c.body.label]).toEqual(['001', '002', '003']);
    expect(c.body.aheadCount).toBe(2);
    const first = await t.http.post(`/api/stores/${store.id}/queue/call-next`).set(technician.auth).send({ staffId: technician.id }).expect(200);
    expect(first.body).toMatchObject({ number: 1, status: 'called', callCount: 1, staffId: technician.id });
    await t.http.post(`/api/queue-tickets/${a.body.id}/skip`).set(cashier.auth).expect(200);
    const recalled = await t.http.post(`/api/queue-tickets/${a.body.id}/recall`).set(cashier.auth).expect(200);
    expect(recalled.body).toMatchObject({ status: 'called', callCount: 2 });
    await t.http.post(`/api/queue-tickets/${a.body.id}/serve`).set(cashier.auth).send({}).expect(200);
    expect((await t.http.post(`/api/queue-tickets/${a.body.id}/skip`).set(cashier.auth).expect(409)).body.error.code).toBe('QUEUE_TICKET_STATUS_INVALID');
    await t.http.post(`/api/queue-tickets/${b.body.id}/cancel`).set(cashier.auth).expect(200);
    const next = await t.http.post(`/api/stores/${store.id}/queue/call-next`).set(cashier.auth).send({}).expect(200);
    expect(next.body.number).toBe(3);
    const board = await t.http.get(`/api/stores/${store.id}/queue`).set(cashier.auth).expect(200);
    expect(board.body.tickets.map((x: { number: number; status: string }) => [x.number, x.status])).toEqual([
      [1, 'served'],
      [2, 'cancelled'],
      [3, 'called'],
    ]);
    expect(board.body).toMatchObject({ waitingCount: 0, current: { number: 3 } });
    expect((await t.http.post(`/api/stores/${store.id}/queue/call-next`).set(cashier.auth).send({}).expect(409)).body.error.code).toBe('QUEUE_EMPTY');
  });

  it('lets a member take a number in the app, see how many wait before him and give it up', async () => {
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const auth = await memberAuth(member.id);
    await take().expect(201);
    const mine = await t.http.post('/api/me/queue').set(auth).send({ storeId: store.id, partySize: 3 }).expect(201);
    expect(mine.body).toMatchObject({ memberId: member.id, partySize: 3, aheadCount: 1, status: 'waiting' });
    const list = await t.http.get('/api/me/queue').set(auth).expect(200);
    expect(list.body.tickets.map((x: { id: string }) => x.id)).toEqual([mine.body.id]);
    const other = await makeMember(t.ds, { homeStoreId: store.id });
    expect((await t.http.post(`/api/me/queue/${mine.body.id}/cancel`).set(await memberAuth(other.id)).expect(404)).body.error.code).toBe('QUEUE_TICKET_NOT_FOUND');
    await t.http.post(`/api/me/queue/${mine.body.id}/cancel`).set(auth).expect(200);
    const audit = await t.ds.query(`SELECT action, actor_kind FROM audit_log WHERE entity_id = $1 ORDER BY id`, [mine.body.id]);
    expect(audit).toEqual([{ action: 'queue.take', actor_kind: 'member' }, { action: 'queue.cancelled', actor_kind: 'member' }]);
  });

  it('refuses a closed store and bad input', async () => {
    const paused = await makeStore(t.ds);
    await t.ds.query(`UPDATE store SET status = 'paused' WHERE id = $1`, [paused.id]);
    const owner = await signedIn(t.ds, t.http, 'owner');
    expect((await t.http.post(`/api/stores/${paused.id}/queue`).set(owner.auth).send({}).expect(409)).body.error.code).toBe('BOOKING_STORE_CLOSED');
    expect((await take({ partySize: 0 }).expect(400)).body.error.details[0].field).toBe('partySize');
  });
});
