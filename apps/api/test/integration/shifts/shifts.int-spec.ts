import { randomUUID } from 'node:crypto';
import { businessDay } from '@chaincard/shared';
import { giveBalance, makeCountCardTemplate, makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;
type Auth = { Authorization: string };
type MethodTotal = { method: string; salesFen: number; refundsFen: number; netFen: number; count: number };

describe('shifts (交班)', () => {
  let t: TestApp;
  let storeA: { id: string; name: string };
  let storeB: { id: string; name: string };
  let owner: Signed;
  let managerA: Signed;
  let cashierB: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    managerA = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
  });
  afterAll(() => t.close());

  const key = () => `k-${randomUUID()}`;
  const cashierAt = (storeId: string) => signedIn(t.ds, t.http, 'cashier', [storeId]);
  const open = (auth: Auth, body: Record<string, unknown>, k = key()) => t.http.post('/api/shifts').set(auth).set('Idempotency-Key', k).send(body);
  const moveCash = (auth: Auth, shiftId: string, body: Record<string, unknown>, k = key()) =>
    t.http.post(`/api/shifts/${shiftId}/cash-movements`).set(auth).set('Idempotency-Key', k).send(body);
  const close = (auth: Auth, shiftId: string, body: Record<string, unknown>, k = key()) => t.http.post(`/api/shifts/${shiftId}/close`).set(auth).set('Idempotency-Key', k).send(body);
  const shiftOf = (auth: Auth, shiftId: string) => t.http.get(`/api/shifts/${shiftId}`).set(auth).expect(200).then((r) => r.body);
  const topUp = (auth: Auth, memberId: string, body: Record<string, unknown>, k = key()) =>
    t.http.post(`/api/members/${memberId}/wallet/top-ups`).set(auth).set('Idempotency-Key', k).send({ paymentMethod: 'cash', ...body });
  const net = (shift: { methods: MethodTotal[] }, method: string) => shift.methods.find((m) => m.method === method)!;
  const count = async (table: string, where = 'true', params: unknown[] = []) => Number((await t.ds.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0].n);
  const expectReconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };

  it('opens one shift per staff member and store with a float, audited, and finds it as current', async () => {
    const cashier = await cashierAt(storeA.id);
    const k = key();
    const res = await open(cashier.auth, { storeId: storeA.id, floatFen: 50000, note: '早班' }, k).expect(201);
    expect(res.body).toMatchObject({
      storeId: storeA.id,
      storeName: storeA.name,
      staffId: cashier.id,
      status: 'open',
      floatFen: 50000,
      openNote: '早班',
      businessDay: businessDay(new Date()),
      expectedCashFen: 50000,
      countedCashFen: null,
      differenceFen: null,
      closedAt: null,
      movements: [],
      totalNetFen: 0,
    });
    expect(res.body.methods.map((m: MethodTotal) => m.method)).toEqual(['cash', 'bank_card', 'wechat', 'stored_value', 'points', 'coupon', 'count_card']);
    expect(res.body.methods[0]).toMatchObject({ label: '现金', netFen: 0, count: 0 });
    // A retry replays; a second open is refused and names the open shift.
    const replay = await open(cashier.auth, { storeId: storeA.id, floatFen: 50000, note: '早班' }, k).expect(201);
    expect(replay.body.id).toBe(res.body.id);
    const again = await open(cashier.auth, { storeId: storeA.id, floatFen: 0 }).expect(409);
    expect(again.body.error).toMatchObject({ code: 'SHIFT_ALREADY_OPEN', details: { shiftId: res.body.id } });
    expect(await count('shift', 'staff_id = $1', [cashier.id])).toBe(1);

    const current = await t.http.get('/api/shifts/current').set(cashier.auth).expect(200);
    expect(current.body.shift.id).toBe(res.body.id);
    const none = await t.http.get(`/api/shifts/current?storeId=${storeA.id}`).set(managerA.auth).expect(200);
    expect(none.body).toEqual({ shift: null });
    const [audit] = await t.ds.query(`SELECT actor_id, store_id, after FROM audit_log WHERE action = 'shift.open' AND entity_id = $1`, [res.body.id]);
    expect(audit).toMatchObject({ actor_id: cashier.id, store_id: storeA.id, after: { floatFen: 50000, staffId: cashier.id } });

    const bad = await open(cashier.auth, { storeId: 'nope', floatFen: -1 }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['floatFen', 'storeId']);
    await t.http.post('/api/shifts').set(cashier.auth).send({ storeId: storeA.id, floatFen: 0 }).expect(400);
    const technician = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    await open(technician.auth, { storeId: storeA.id, floatFen: 0 }).expect(403);
  });

  it('refuses counter money without an open shift (SHIFT_NOT_OPEN), and nothing changes', async () => {
    const cashier = await cashierAt(storeA.id);
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const template = await makeCountCardTemplate(t.ds, { priceFen: 36800 });
    const [tier] = await t.ds.query(`INSERT INTO tier (name, level, price_fen, validity_days) VALUES ('付费VIP', 7, 9900, 30) RETURNING id`);
    const before = await Promise.all(['wallet_top_up', 'wallet_spend', 'ledger_entry', 'member_count_card', 'tier_purchase', 'shift_taking'].map((x) => count(x)));

    const attempts = [
      topUp(cashier.auth, m.id, { storeId: storeA.id, amountFen: 10000 }),
      t.http.post(`/api/members/${m.id}/wallet/spends`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, amountFen: 100, memo: '快速消费' }),
      t.http.post(`/api/members/${m.id}/count-cards`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, templateId: template.id, paymentMethod: 'cash' }),
      t.http.post(`/api/members/${m.id}/tier-purchases`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, tierId: tier.id, paymentMethod: 'cash' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: 'SHIFT_NOT_OPEN' });
    }
    expect(await Promise.all(['wallet_top_up', 'wallet_spend', 'ledger_entry', 'member_count_card', 'tier_purchase', 'shift_taking'].map((x) => count(x)))).toEqual(before);

    // HQ reaches every store id; one that does not exist is not found rather than "no shift".
    const nowhere = await topUp(owner.auth, m.id, { storeId: randomUUID(), amountFen: 10000 }).expect(404);
    expect(nowhere.body.error.code).toBe('STORE_NOT_FOUND');

    // An open shift at another store does not count: the drawer is the store's.
    const both = await signedIn(t.ds, t.http, 'cashier', [storeA.id, storeB.id]);
    await openShift(t.http, both, storeB.id);
    const elsewhere = await topUp(both.auth, m.id, { storeId: storeA.id, amountFen: 10000 }).expect(409);
    expect(elsewhere.body.error.code).toBe('SHIFT_NOT_OPEN');
    await topUp(both.auth, m.id, { storeId: storeB.id, amountFen: 10000 }).expect(201);
  });

  it('records every counter money flow by method (refunds negative) and closes with the difference', async () => {
    const cashier = await cashierAt(storeA.id);
    const shiftId = await openShift(t.http, cashier, storeA.id, 50000);
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const other = await makeMember(t.ds, { homeStoreId: storeA.id });
    const post = async (path: string, body: Record<string, unknown>, status = 201) => {
      const res = await t.http.post(path).set(cashier.auth).set('Idempotency-Key', key()).send(body);
      expect({ path, status: res.status, body: res.status === status ? null : res.body }).toEqual({ path, status, body: null });
      return res.body;
    };

    const cashTopUp = await post(`/api/members/${m.id}/wallet/top-ups`, { storeId: storeA.id, amountFen: 100000, paymentMethod: 'cash' });
    await post(`/api/members/${m.id}/wallet/top-ups`, { storeId: storeA.id, amountFen: 200000, paymentMethod: 'bank_card' });
    const otherTopUp = await post(`/api/members/${other.id}/wallet/top-ups`, { storeId: storeA.id, amountFen: 30000, paymentMethod: 'cash' });
    const spend = await post(`/api/members/${m.id}/wallet/spends`, { storeId: storeA.id, amountFen: 8800, memo: '洗剪吹' });
    await post(`/api/wallet/spends/${spend.id}/reverse`, { amountFen: 800, reason: '多扣了' }, 200);
    const template = await makeCountCardTemplate(t.ds, { priceFen: 36800 });
    await post(`/api/members/${m.id}/count-cards`, { storeId: storeA.id, templateId: template.id, paymentMethod: 'cash' });
    await post(`/api/members/${m.id}/count-cards`, { storeId: storeA.id, templateId: template.id, paymentMethod: 'stored_value' });
    const [tier] = await t.ds.query(`INSERT INTO tier (name, level, price_fen, validity_days) VALUES ('年卡', 8, 9900, 365) RETURNING id`);
    await post(`/api/members/${m.id}/tier-purchases`, { storeId: storeA.id, tierId: tier.id, paymentMethod: 'bank_card' });
    const [gift] = await t.ds.query(`INSERT INTO gift (name, points_price, cash_fen) VALUES ('电影票', 0, 990) RETURNING id`);
    await t.http.put(`/api/stores/${storeA.id}/mall/stock/${gift.id}`).set(owner.auth).set('Idempotency-Key', key()).send({ quantity: 5 }).expect(200);
    const redemption = await post(`/api/members/${m.id}/mall/redemptions`, { giftId: gift.id, storeId: storeA.id, paymentMethod: 'cash' });
    await post(`/api/mall/redemptions/${redemption.id}/cancel`, { reason: '不要了' }, 200);
    await post(`/api/members/${m.id}/mall/redemptions`, { giftId: gift.id, storeId: storeA.id, paymentMethod: 'cash' });
    const card = await post(`/api/members/${m.id}/cards`, { storeId: storeA.id });
    await post(`/api/cards/${card.id}/replace`, { storeId: storeA.id, feeFen: 1000, paymentMethod: 'cash' });
    // A third member returns his card: his principal is paid out of the drawer; the other member's top-up goes back in cash.
    const third = await makeMember(t.ds, { homeStoreId: storeA.id });
    await giveBalance(t.ds, third.id, [{ kind: 'wallet_principal', amount: 5000 }], storeA.id);
    const thirdCard = await post(`/api/members/${third.id}/cards`, { storeId: storeA.id });
    const manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    const noShift = await t.http.post(`/api/cards/${thirdCard.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, reason: '搬家' }).expect(409);
    expect(noShift.body.error.code).toBe('SHIFT_NOT_OPEN');
    const managerShift = await openShift(t.http, manager, storeA.id, 10000);
    const returned = await t.http.post(`/api/cards/${thirdCard.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, reason: '搬家' }).expect(201);
    expect(returned.body.refundFen).toBe(5000);
    const managerTakings = await t.http.get(`/api/shifts/${managerShift}/takings`).set(manager.auth).expect(200);
    expect(managerTakings.body.items).toEqual([expect.objectContaining({ refType: 'card_return', refId: returned.body.id, method: 'cash', amountFen: -5000 })]);
    await post(`/api/wallet/top-ups/${otherTopUp.id}/refund`, { reason: '顾客要求' }, 200);

    const takings = await t.http.get(`/api/shifts/${shiftId}/takings?pageSize=100`).set(cashier.auth).expect(200);
    expect(takings.body.items.map((x: { method: string; amountFen: number; refType: string }) => [x.refType, x.method, x.amountFen])).toEqual([
      ['wallet_top_up', 'cash', 100000],
      ['wallet_top_up', 'bank_card', 200000],
      ['wallet_top_up', 'cash', 30000],
      ['wallet_spend', 'stored_value', 8800],
      ['wallet_spend_reversal', 'stored_value', -800],
      ['member_count_card', 'cash', 36800],
      ['member_count_card', 'stored_value', 36800],
      ['tier_purchase', 'bank_card', 9900],
      ['mall_redemption', 'cash', 990],
      ['mall_redemption_cancel', 'cash', -990],
      ['mall_redemption', 'cash', 990],
      ['card_replace', 'cash', 1000],
      ['wallet_top_up_refund', 'cash', -30000],
    ]);
    expect(takings.body.items[0].refId).toBe(cashTopUp.id);
    const cashOnly = await t.http.get(`/api/shifts/${shiftId}/takings?method=cash&pageSize=100`).set(cashier.auth).expect(200);
    expect(cashOnly.body.total).toBe(8);

    await moveCash(cashier.auth, shiftId, { kind: 'cash_in', amountFen: 10000, reason: '补零钱' }).expect(201);
    const out = await moveCash(cashier.auth, shiftId, { kind: 'cash_out', amountFen: 100000, reason: '存银行' }).expect(201);
    expect(out.body.movement).toMatchObject({ kind: 'cash_out', amountFen: 100000, reason: '存银行', staffId: cashier.id });

    const shift = await shiftOf(cashier.auth, shiftId);
    const cashNet = 100000 + 30000 + 36800 + 990 - 990 + 990 + 1000 - 30000;
    expect(net(shift, 'cash')).toMatchObject({ salesFen: 100000 + 30000 + 36800 + 990 + 990 + 1000, refundsFen: 990 + 30000, netFen: cashNet, count: 8 });
    expect(net(shift, 'bank_card')).toMatchObject({ netFen: 209900, count: 2 });
    expect(net(shift, 'stored_value')).toMatchObject({ salesFen: 8800 + 36800, refundsFen: 800, netFen: 44800 });
    expect(shift).toMatchObject({ cashInFen: 10000, cashOutFen: 100000, expectedCashFen: 50000 + cashNet + 10000 - 100000, totalNetFen: cashNet + 209900 + 44800 });
    expect(shift.movements.map((mv: { kind: string }) => mv.kind)).toEqual(['cash_in', 'cash_out']);

    const expected = shift.expectedCashFen;
    const closed = await close(cashier.auth, shiftId, { countedCashFen: expected - 500, note: '短款 5 元' }).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', expectedCashFen: expected, countedCashFen: expected - 500, differenceFen: -500, closedByStaffId: cashier.id, closeNote: '短款 5 元' });
    const [audit] = await t.ds.query(`SELECT after, reason FROM audit_log WHERE action = 'shift.close' AND entity_id = $1`, [shiftId]);
    expect(audit).toMatchObject({ reason: '短款 5 元', after: { expectedCashFen: expected, countedCashFen: expected - 500, differenceFen: -500, netByMethod: expect.objectContaining({ cash: cashNet }) } });
    const [over] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action IN ('shift.cash_in', 'shift.cash_out')`, [shiftId]);
    expect(over.n).toBe(2);
    await expectReconciled();
  });

  it('refuses anything more on a closed shift, in the API and in the database', async () => {
    const cashier = await cashierAt(storeA.id);
    const shiftId = await openShift(t.http, cashier, storeA.id, 10000);
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await close(cashier.auth, shiftId, { countedCashFen: 10000 }).expect(200);
    const k = key();
    const res = await topUp(cashier.auth, m.id, { storeId: storeA.id, amountFen: 10000 }, k).expect(409);
    expect(res.body.error.code).toBe('SHIFT_NOT_OPEN');
    expect((await moveCash(cashier.auth, shiftId, { kind: 'cash_in', amountFen: 100, reason: 'x' }).expect(409)).body.error.code).toBe('SHIFT_CLOSED');
    expect((await close(cashier.auth, shiftId, { countedCashFen: 1 }).expect(409)).body.error.code).toBe('SHIFT_CLOSED');
    await expect(t.ds.query(`UPDATE shift SET counted_cash_fen = 0, difference_fen = 0 - expected_cash_fen WHERE id = $1`, [shiftId])).rejects.toThrow(/read-only/);
    await expect(t.ds.query(`DELETE FROM shift WHERE id = $1`, [shiftId])).rejects.toThrow(/never deleted/);
    await expect(
      t.ds.query(`INSERT INTO shift_taking (shift_id, store_id, method, amount_fen, ref_type, ref_id) VALUES ($1, $2, 'cash', 100, 'x', 'y')`, [shiftId, storeA.id]),
    ).rejects.toThrow(/open shift/);
    await expect(t.ds.query(`DELETE FROM shift_taking`)).rejects.toThrow(/append-only/);
    // The next shift takes the money.
    const next = await openShift(t.http, cashier, storeA.id);
    expect(next).not.toBe(shiftId);
    await topUp(cashier.auth, m.id, { storeId: storeA.id, amountFen: 10000 }).expect(201);
    expect(net(await shiftOf(cashier.auth, next), 'cash').netFen).toBe(10000);
  });

  it('counts every one of many concurrent takings, and a close racing them takes each one or refuses it', async () => {
    const cashier = await cashierAt(storeA.id);
    const shiftId = await openShift(t.http, cashier, storeA.id, 20000);
    const members = await Promise.all(Array.from({ length: 12 }, () => makeMember(t.ds, { homeStoreId: storeA.id })));
    const results = await Promise.all(members.map((mm, i) => topUp(cashier.auth, mm.id, { storeId: storeA.id, amountFen: 1000 + i })));
    expect(results.map((r) => r.status)).toEqual(members.map(() => 201));
    const shift = await shiftOf(cashier.auth, shiftId);
    const sum = members.reduce((s, _, i) => s + 1000 + i, 0);
    expect(net(shift, 'cash')).toMatchObject({ netFen: sum, count: 12 });
    expect(shift.expectedCashFen).toBe(20000 + sum);

    // Now 12 more top-ups and the close at once: the closed shift holds exactly the top-ups that succeeded.
    const racing = members.map((mm) => topUp(cashier.auth, mm.id, { storeId: storeA.id, amountFen: 500 }));
    const closing = close(cashier.auth, shiftId, { countedCashFen: 0 });
    const [closed, ...raced] = await Promise.all([closing, ...racing]);
    expect(closed.status).toBe(200);
    const ok = raced.filter((r) => r.status === 201);
    for (const r of raced.filter((x) => x.status !== 201)) expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 409, code: 'SHIFT_NOT_OPEN' });
    expect(closed.body.expectedCashFen).toBe(20000 + sum + 500 * ok.length);
    expect(closed.body.differenceFen).toBe(-closed.body.expectedCashFen);
    expect(await count('wallet_top_up', `member_id = ANY($1::uuid[]) AND amount_fen = 500`, [members.map((x) => x.id)])).toBe(ok.length);
    await expectReconciled();
  });

  it('never lets cash outs take more than the drawer holds, even in parallel', async () => {
    const cashier = await cashierAt(storeA.id);
    const shiftId = await openShift(t.http, cashier, storeA.id, 10000);
    const too = await moveCash(cashier.auth, shiftId, { kind: 'cash_out', amountFen: 10001, reason: '存银行' }).expect(409);
    expect(too.body.error).toMatchObject({ code: 'SHIFT_CASH_OUT_EXCEEDS_DRAWER', details: { expectedCashFen: 10000 } });
    const outs = await Promise.all(Array.from({ length: 6 }, () => moveCash(cashier.auth, shiftId, { kind: 'cash_out', amountFen: 3000, reason: '取款' })));
    expect(outs.filter((r) => r.status === 201)).toHaveLength(3);
    for (const r of outs.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('SHIFT_CASH_OUT_EXCEEDS_DRAWER');
    expect((await shiftOf(cashier.auth, shiftId)).expectedCashFen).toBe(1000);
    const bad = await moveCash(cashier.auth, shiftId, { kind: 'lend', amountFen: 0, reason: '' }).expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['amountFen', 'kind', 'reason']);
  });

  it('lets a manager see and hand over a cashier’s shift; cashiers reach only their own', async () => {
    const cashier = await cashierAt(storeA.id);
    const colleague = await cashierAt(storeA.id);
    const shiftId = await openShift(t.http, cashier, storeA.id, 30000);
    await openShift(t.http, colleague, storeA.id);
    // A colleague neither sees nor touches it (404 as for a missing shift, 403 for a change).
    await t.http.get(`/api/shifts/${shiftId}`).set(colleague.auth).expect(404);
    await t.http.get(`/api/shifts/${shiftId}/takings`).set(colleague.auth).expect(404);
    expect((await close(colleague.auth, shiftId, { countedCashFen: 0 }).expect(403)).body.error.code).toBe('SHIFT_NOT_YOURS');
    expect((await moveCash(colleague.auth, shiftId, { kind: 'cash_in', amountFen: 1, reason: 'x' }).expect(403)).body.error.code).toBe('SHIFT_NOT_YOURS');
    const mine = await t.http.get(`/api/shifts?storeId=${storeA.id}&pageSize=100`).set(colleague.auth).expect(200);
    expect(mine.body.items.every((s: { staffId: string }) => s.staffId === colleague.id)).toBe(true);
    expect(mine.body.total).toBe(1);

    const all = await t.http.get(`/api/shifts?storeId=${storeA.id}&staffId=${cashier.id}`).set(managerA.auth).expect(200);
    expect(all.body.items.map((s: { id: string }) => s.id)).toEqual([shiftId]);
    const handed = await close(managerA.auth, shiftId, { countedCashFen: 30100, note: '收银员临时离岗，店长代交班' }).expect(200);
    expect(handed.body).toMatchObject({ status: 'closed', staffId: cashier.id, closedByStaffId: managerA.id, differenceFen: 100 });
    const [audit] = await t.ds.query(`SELECT actor_id, after FROM audit_log WHERE action = 'shift.handover' AND entity_id = $1`, [shiftId]);
    expect(audit).toMatchObject({ actor_id: managerA.id, after: { staffId: cashier.id, closedByStaffId: managerA.id } });
  });

  it('keeps store B’s shifts out of reach of store A’s staff', async () => {
    const shiftB = await openShift(t.http, cashierB, storeB.id, 10000);
    const cashier = await cashierAt(storeA.id);
    for (const auth of [cashier.auth, managerA.auth]) {
      expect((await t.http.get(`/api/shifts/${shiftB}`).set(auth).expect(404)).body.error.code).toBe('SHIFT_NOT_FOUND');
      await t.http.get(`/api/shifts/${shiftB}/takings`).set(auth).expect(404);
      await close(auth, shiftB, { countedCashFen: 0 }).expect(404);
      await moveCash(auth, shiftB, { kind: 'cash_in', amountFen: 1, reason: 'x' }).expect(404);
      await t.http.get(`/api/shifts?storeId=${storeB.id}`).set(auth).expect(404);
      await t.http.get(`/api/shifts/current?storeId=${storeB.id}`).set(auth).expect(404);
      await open(auth, { storeId: storeB.id, floatFen: 0 }).expect(404);
      const list = await t.http.get('/api/shifts?pageSize=200').set(auth).expect(200);
      expect(JSON.stringify(list.body)).not.toContain(shiftB);
    }
    await t.http.get(`/api/shifts/report?storeId=${storeB.id}`).set(managerA.auth).expect(404);
    await t.http.get(`/api/shifts/report?storeId=${storeA.id}`).set(cashier.auth).expect(403);
    expect((await shiftOf(owner.auth, shiftB)).status).toBe('open');
  });

  it('reports a store’s shifts per business day in the store’s time zone, with totals', async () => {
    const store = await makeStore(t.ds);
    // UTC+14: its business day is ahead of Shanghai's for ten hours of every day.
    await t.ds.query(`UPDATE store SET time_zone = 'Pacific/Kiritimati' WHERE id = $1`, [store.id]);
    const manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    const c1 = await cashierAt(store.id);
    const c2 = await cashierAt(store.id);
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    const s1 = await openShift(t.http, c1, store.id, 10000);
    const s2 = await openShift(t.http, c2, store.id, 20000);
    await topUp(c1.auth, m.id, { storeId: store.id, amountFen: 5000 }).expect(201);
    await topUp(c2.auth, m.id, { storeId: store.id, amountFen: 7000, paymentMethod: 'bank_card' }).expect(201);
    await close(c1.auth, s1, { countedCashFen: 15200 }).expect(200);

    const day = businessDay(new Date(), 'Pacific/Kiritimati');
    expect((await shiftOf(manager.auth, s1)).businessDay).toBe(day);
    const report = await t.http.get('/api/shifts/report').set(manager.auth).expect(200);
    expect(report.body).toMatchObject({ storeId: store.id, businessDay: day, timeZone: 'Pacific/Kiritimati', openCount: 1, closedCount: 1 });
    expect(report.body.shifts.map((s: { id: string }) => s.id)).toEqual([s1, s2]);
    expect(report.body.totals).toMatchObject({ floatFen: 30000, expectedCashFen: 35000, countedCashFen: 15200, differenceFen: 200, totalNetFen: 12000 });
    expect(net(report.body.totals, 'bank_card').netFen).toBe(7000);
    const other = await t.http.get(`/api/shifts/report?storeId=${store.id}&businessDay=2020-01-01`).set(owner.auth).expect(200);
    expect(other.body).toMatchObject({ shifts: [], openCount: 0, closedCount: 0, totals: { expectedCashFen: 0 } });
    const byDay = await t.http.get(`/api/shifts?storeId=${store.id}&businessDay=${day}`).set(manager.auth).expect(200);
    expect(byDay.body.total).toBe(2);
    await t.http.get(`/api/shifts/report?storeId=${store.id}&businessDay=2026-02-30`).set(owner.auth).expect(400);
    // HQ reaches every store and names the one it wants.
    const hq = await t.http.get('/api/shifts/report').set(owner.auth).expect(400);
    expect(hq.body.error.details[0].field).toBe('storeId');
  });

  it('replays a repeated close and cash movement, and requires the Idempotency-Key', async () => {
    const cashier = await cashierAt(storeA.id);
    const shiftId = await openShift(t.http, cashier, storeA.id, 10000);
    await t.http.post(`/api/shifts/${shiftId}/cash-movements`).set(cashier.auth).send({ kind: 'cash_in', amountFen: 100, reason: 'x' }).expect(400);
    const k = key();
    await moveCash(cashier.auth, shiftId, { kind: 'cash_in', amountFen: 100, reason: '补零钱' }, k).expect(201);
    const again = await moveCash(cashier.auth, shiftId, { kind: 'cash_in', amountFen: 100, reason: '补零钱' }, k).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count('shift_cash_movement', 'shift_id = $1', [shiftId])).toBe(1);
    const ck = key();
    const first = await close(cashier.auth, shiftId, { countedCashFen: 10100 }, ck).expect(200);
    const replay = await close(cashier.auth, shiftId, { countedCashFen: 10100 }, ck).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(first.body.differenceFen).toBe(0);
    await expectReconciled();
  });
});
