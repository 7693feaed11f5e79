import { ReconcileService } from '../../../src/modules/ledger/reconcile.service';
import { LedgerService } from '../../../src/modules/ledger/ledger.service';
import { AuthService } from '../../../src/modules/auth/auth.service';
import { giveBalance, makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

type Actor = Awaited<ReturnType<typeof signedIn>>;

describe('member cards', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let cashier: Actor;
  let manager: Actor;
  let owner: Actor;
  let keySeq = 0;
  const key = () => `card-test-${process.pid}-${++keySeq}`;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    manager = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    owner = await signedIn(t.ds, t.http, 'owner');
    // Counter money needs an open shift (交班).
    for (const [session, storeId] of [[cashier, storeA.id], [manager, storeA.id], [owner, storeA.id], [owner, storeB.id]] as const) await openShift(t.http, session, storeId);
  });
  afterAll(() => t.close());

  const balances = async (memberId: string) => {
    const ledger = t.app.get(LedgerService);
    return {
      principal: await ledger.balanceOf(t.ds.manager, memberId, 'wallet_principal'),
      bonus: await ledger.balanceOf(t.ds.manager, memberId, 'wallet_bonus'),
    };
  };
  const expectReconciled = async () => {
    const r = await t.app.get(ReconcileService).run(t.ds.manager);
    expect(r.checks.filter((c) => c.violations > 0)).toEqual([]);
    expect(r.ok).toBe(true);
  };
  const issue = (memberId: string, body: Record<string, unknown> = { storeId: storeA.id }, who: Actor = cashier) =>
    t.http.post(`/api/members/${memberId}/cards`).set(who.auth).send(body);

  it('issues a typed pre-printed card number, or a system number when none is typed', async () => {
    const m1 = await makeMember(t.ds, { homeStoreId: storeA.id });
    const typed = await issue(m1.id, { storeId: storeA.id, cardNo: 'ab12345' }).expect(201);
    expect(typed.body).toMatchObject({ cardNo: 'AB12345', memberId: m1.id, status: 'active', issuedStoreId: storeA.id, issuedByStaffId: cashier.id });
    expect(typed.body.events).toEqual([expect.objectContaining({ kind: 'issued', storeId: storeA.id, staffId: cashier.id })]);
    const m2 = await makeMember(t.ds, { homeStoreId: storeB.id });
    const generated = await issue(m2.id).expect(201);
    expect(generated.body.cardNo).toMatch(/^6\d{11}$/);
    const [audit] = await t.ds.query(`SELECT action, store_id FROM audit_log WHERE entity_id = $1`, [typed.body.id]);
    expect(audit).toEqual({ action: 'card.issue', store_id: storeA.id });
  });

  it('refuses a second card in use for one member and a card number already taken', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await issue(m.id, { storeId: storeA.id, cardNo: 'TAKEN01' }).expect(201);
    const second = await issue(m.id).expect(409);
    expect(second.body.error.code).toBe('CARD_MEMBER_HAS_CARD');
    const other = await makeMember(t.ds, { homeStoreId: storeA.id });
    const taken = await issue(other.id, { storeId: storeA.id, cardNo: 'taken01' }).expect(409);
    expect(taken.body.error.code).toBe('CARD_NO_TAKEN');
    expect(await t.ds.query('SELECT count(*)::int AS n FROM card WHERE member_id = $1', [other.id])).toEqual([{ n: 0 }]);
  });

  it('gives a member exactly one card when 20 issues race', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const results = await Promise.all(Array.from({ length: 20 }, () => issue(m.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(19).fill('CARD_MEMBER_HAS_CARD'));
    expect(await t.ds.query('SELECT count(*)::int AS n FROM card WHERE member_id = $1', [m.id])).toEqual([{ n: 1 }]);
  });

  it('stops a lost card from identifying its member until it is unfrozen', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const card = (await issue(m.id, { storeId: storeA.id, cardNo: 'LOSS0001' }).expect(201)).body;
    const found = await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: 'loss0001' }).expect(200);
    expect(found.body).toMatchObject({ id: m.id, memberNo: m.memberNo });
    const search = await t.http.get('/api/members').set(cashier.auth).query({ q: 'LOSS0001' }).expect(200);
    expect(search.body.items.map((x: { id: string }) => x.id)).toEqual([m.id]);

    const lost = await t.http.post(`/api/cards/${card.id}/report-loss`).set(cashier.auth).send({ storeId: storeA.id, reason: '会员来电挂失' }).expect(200);
    expect(lost.body).toMatchObject({ status: 'lost', lostAt: expect.any(String) });
    const refused = await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: 'LOSS0001' }).expect(409);
    expect(refused.body.error.code).toBe('CARD_LOST');
    expect((await t.http.get('/api/members').set(cashier.auth).query({ q: 'LOSS0001' }).expect(200)).body.total).toBe(0);
    const again = await t.http.post(`/api/cards/${card.id}/report-loss`).set(cashier.auth).send({}).expect(409);
    expect(again.body.error.code).toBe('CARD_LOST');

    const back = await t.http.post(`/api/cards/${card.id}/unfreeze`).set(cashier.auth).send({ storeId: storeA.id }).expect(200);
    expect(back.body).toMatchObject({ status: 'active', lostAt: null });
    expect(back.body.events.map((e: { kind: string }) => e.kind)).toEqual(['issued', 'lost', 'unfrozen']);
    await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: 'LOSS0001' }).expect(200);
    const notLost = await t.http.post(`/api/cards/${card.id}/unfreeze`).set(cashier.auth).send({}).expect(409);
    expect(notLost.body.error.code).toBe('CARD_NOT_LOST');
  });

  it('replaces a lost card with a new number for the same member, balances untouched, fee recorded', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 30000 }, { kind: 'wallet_bonus', amount: 5000 }]);
    const old = (await issue(m.id, { storeId: storeA.id, cardNo: 'REPL0001' }).expect(201)).body;
    await t.http.post(`/api/cards/${old.id}/report-loss`).set(cashier.auth).send({}).expect(200);
    const res = await t.http
      .post(`/api/cards/${old.id}/replace`)
      .set(cashier.auth)
      .set('Idempotency-Key', key())
      .send({ storeId: storeA.id, newCardNo: 'REPL0002', feeFen: 1000, paymentMethod: 'cash', reason: '卡片遗失' })
      .expect(201);
    expect(res.body.oldCard).toMatchObject({ id: old.id, status: 'replaced', closedAt: expect.any(String) });
    expect(res.body.newCard).toMatchObject({ cardNo: 'REPL0002', memberId: m.id, status: 'active', replacesCardId: old.id });
    expect(res.body.oldCard.events.at(-1)).toMatchObject({ kind: 'replaced', feeFen: 1000, feeMethod: 'cash', relatedCardId: res.body.newCard.id });
    expect(await balances(m.id)).toEqual({ principal: 30000, bonus: 5000 });

    const oldResolve = await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: 'REPL0001' }).expect(409);
    expect(oldResolve.body.error.code).toBe('CARD_REPLACED');
    expect((await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: 'REPL0002' }).expect(200)).body.id).toBe(m.id);
    const twice = await t.http.post(`/api/cards/${old.id}/replace`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id }).expect(409);
    expect(twice.body.error.code).toBe('CARD_REPLACED');

    const history = await t.http.get(`/api/members/${m.id}/cards`).set(cashier.auth).expect(200);
    expect(history.body.map((c: { cardNo: string; status: string }) => [c.cardNo, c.status])).toEqual([
      ['REPL0002', 'active'],
      ['REPL0001', 'replaced'],
    ]);
    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    const mine = await t.http.get('/api/me/cards').set('Authorization', `Bearer ${session.accessToken}`).expect(200);
    expect(mine.body.map((c: { id: string }) => c.id)).toEqual(history.body.map((c: { id: string }) => c.id));
    await expectReconciled();
  });

  it('needs a payment method for a replacement fee and refuses bad card input with the fields', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const card = (await issue(m.id).expect(201)).body;
    const noMethod = await t.http.post(`/api/cards/${card.id}/replace`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, feeFen: 500 }).expect(400);
    expect(noMethod.body.error.details.map((d: { field: string }) => d.field)).toEqual(['paymentMethod']);
    const bad = await t.http
      .post(`/api/cards/${card.id}/replace`)
      .set(cashier.auth)
      .set('Idempotency-Key', key())
      .send({ storeId: 'nope', newCardNo: '卡-1', feeFen: -1, paymentMethod: 'gold' })
      .expect(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['feeFen', 'newCardNo', 'paymentMethod', 'storeId']);
    const badIssue = await issue(m.id, { cardNo: '12' }).expect(400);
    expect(badIssue.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['cardNo', 'storeId']);
    const badReturn = await t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, payPassword: '12ab' }).expect(400);
    expect(badReturn.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['payPassword', 'reason']);
    expect((await t.http.get(`/api/members/${m.id}/cards`).set(cashier.auth).expect(200)).body).toEqual([expect.objectContaining({ id: card.id, status: 'active' })]);
    await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: '' }).expect(400);
    const unknown = await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: 'NOSUCH1' }).expect(404);
    expect(unknown.body.error.code).toBe('CARD_NOT_FOUND');
  });

  it('refunds the principal less the fee in cash and forfeits the bonus on return, through the ledger', async () => {
    await t.http.patch('/api/cards/settings').set(owner.auth).send({ returnFeeBps: 500 }).expect(200);
    try {
      const m = await makeMember(t.ds, { homeStoreId: storeA.id });
      await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 10001 }, { kind: 'wallet_bonus', amount: 2000 }]);
      const card = (await issue(m.id).expect(201)).body;
      const res = await t.http
        .post(`/api/cards/${card.id}/return`)
        .set(manager.auth)
        .set('Idempotency-Key', key())
        .send({ storeId: storeA.id, reason: '搬家' })
        .expect(201);
      expect(res.body).toMatchObject({
        cardId: card.id,
        memberId: m.id,
        storeId: storeA.id,
        principalFen: 10001,
        feeBps: 500,
        feeFen: 500,
        refundFen: 9501,
        refundMethod: 'cash',
        bonusForfeitedFen: 2000,
      });
      expect(await balances(m.id)).toEqual({ principal: 0, bonus: 0 });
      const entries = await t.ds.query(
        `SELECT kind, amount::int AS amount, reason, ref_type, ref_id, store_id FROM ledger_entry WHERE member_id = $1 AND ref_type = 'card_return' ORDER BY kind`,
        [m.id],
      );
      expect(entries).toEqual([
        { kind: 'wallet_bonus', amount: -2000, reason: 'card_return_forfeit', ref_type: 'card_return', ref_id: res.body.id, store_id: storeA.id },
        { kind: 'wallet_principal', amount: -10001, reason: 'card_return', ref_type: 'card_return', ref_id: res.body.id, store_id: storeA.id },
      ]);
      const [audit] = await t.ds.query(`SELECT after, reason FROM audit_log WHERE action = 'card.return' AND entity_id = $1`, [card.id]);
      expect(audit).toMatchObject({ reason: '搬家', after: expect.objectContaining({ refundFen: 9501, feeFen: 500, bonusForfeitedFen: 2000 }) });
      const closed = await t.http.post('/api/cards/resolve').set(cashier.auth).send({ cardNo: card.cardNo }).expect(409);
      expect(closed.body.error.code).toBe('CARD_RETURNED');
      // The member may take a new card later.
      await issue(m.id).expect(201);
      await expectReconciled();
    } finally {
      await t.http.patch('/api/cards/settings').set(owner.auth).send({ returnFeeBps: 0 }).expect(200);
    }
  });

  it('keeps the bonus when HQ’s rule says so, and lets only HQ change the rule', async () => {
    await t.http.patch('/api/cards/settings').set(manager.auth).send({ returnForfeitsBonus: false }).expect(403);
    const upd = await t.http.patch('/api/cards/settings').set(owner.auth).send({ returnForfeitsBonus: false }).expect(200);
    expect(upd.body).toMatchObject({ returnFeeBps: 0, returnForfeitsBonus: false });
    const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'card-settings.update' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ before: { returnForfeitsBonus: true }, after: { returnForfeitsBonus: false } });
    await t.http.patch('/api/cards/settings').set(owner.auth).send({ returnFeeBps: 10001 }).expect(400);
    try {
      const m = await makeMember(t.ds, { homeStoreId: storeA.id });
      await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 5000 }, { kind: 'wallet_bonus', amount: 800 }]);
      const card = (await issue(m.id).expect(201)).body;
      const res = await t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, reason: '不再使用' }).expect(201);
      expect(res.body).toMatchObject({ principalFen: 5000, feeFen: 0, refundFen: 5000, bonusForfeitedFen: 0 });
      expect(await balances(m.id)).toEqual({ principal: 0, bonus: 800 });
      await expectReconciled();
    } finally {
      await t.http.patch('/api/cards/settings').set(owner.auth).send({ returnForfeitsBonus: true }).expect(200);
    }
    expect((await t.http.get('/api/cards/settings').set(owner.auth).expect(200)).body).toMatchObject({ returnFeeBps: 0, returnForfeitsBonus: true });
  });

  it('replays a card return for a repeated Idempotency-Key and pays out once', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 7000 }]);
    const card = (await issue(m.id).expect(201)).body;
    const k = key();
    const send = () => t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).set('Idempotency-Key', k).send({ storeId: storeA.id, reason: '退卡' });
    const first = await send().expect(201);
    const replay = await send().expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await t.ds.query('SELECT count(*)::int AS n FROM card_return WHERE card_id = $1', [card.id])).toEqual([{ n: 1 }]);
    await t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).send({ storeId: storeA.id, reason: '退卡' }).expect(400);
    await expectReconciled();
  });

  it('returns a card once when 20 returns with different keys race, and never overdraws', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 12345 }, { kind: 'wallet_bonus', amount: 678 }]);
    const card = (await issue(m.id).expect(201)).body;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, reason: '并发退卡' })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.error.code}`))).toEqual(new Set(['409 CARD_RETURNED']));
    const [sum] = await t.ds.query(`SELECT count(*)::int AS n, sum(refund_fen)::int AS refund FROM card_return WHERE member_id = $1`, [m.id]);
    expect(sum).toEqual({ n: 1, refund: 12345 });
    expect(await balances(m.id)).toEqual({ principal: 0, bonus: 0 });
    await expectReconciled();
  });

  it('asks for the member’s payment password on return when one is set', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 4000 }]);
    const session = await t.app.get(AuthService).issueMemberSession(m.id);
    await t.http.put('/api/me/pay-password').set('Authorization', `Bearer ${session.accessToken}`).send({ newPassword: '802417' }).expect(204);
    const card = (await issue(m.id).expect(201)).body;
    const ret = (body: Record<string, unknown>) => t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, reason: '退卡', ...body });
    expect((await ret({}).expect(400)).body.error.code).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    expect((await ret({ payPassword: '111111' }).expect(400)).body.error.code).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await balances(m.id)).toEqual({ principal: 4000, bonus: 0 });
    expect((await ret({ payPassword: '802417' }).expect(201)).body.refundFen).toBe(4000);
  });

  it('lets cashiers issue and replace but not return cards', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const card = (await issue(m.id).expect(201)).body;
    await t.http.post(`/api/cards/${card.id}/return`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeA.id, reason: 'x' }).expect(403);
    const tech = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    await t.http.post(`/api/cards/${card.id}/report-loss`).set(tech.auth).send({}).expect(403);
    await t.http.post('/api/cards/resolve').set(tech.auth).send({ cardNo: card.cardNo }).expect(200);
  });

  it("serves any store's card at store A but refuses store B as the place of the action to A's staff", async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeB.id });
    await giveBalance(t.ds, m.id, [{ kind: 'wallet_principal', amount: 900 }]);
    const card = (await issue(m.id, { storeId: storeB.id }, owner).expect(201)).body;
    const before = await t.ds.query('SELECT status, updated_at FROM card WHERE id = $1', [card.id]);
    const asB = [
      t.http.post(`/api/members/${m.id}/cards`).set(cashier.auth).send({ storeId: storeB.id }),
      t.http.post(`/api/cards/${card.id}/report-loss`).set(cashier.auth).send({ storeId: storeB.id }),
      t.http.post(`/api/cards/${card.id}/replace`).set(cashier.auth).set('Idempotency-Key', key()).send({ storeId: storeB.id }),
      t.http.post(`/api/cards/${card.id}/return`).set(manager.auth).set('Idempotency-Key', key()).send({ storeId: storeB.id, reason: 'x' }),
      t.http.post('/api/member-codes/resolve').set(cashier.auth).send({ storeId: storeB.id, code: '900000000100000000' }),
    ];
    for (const res of await Promise.all(asB)) expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 404, code: 'STORE_NOT_FOUND' });
    expect(await t.ds.query('SELECT status, updated_at FROM card WHERE id = $1', [card.id])).toEqual(before);
    expect(await balances(m.id)).toEqual({ principal: 900, bonus: 0 });
    // Store A serves the member of a store-B card, and the action is recorded at store A.
    const lost = await t.http.post(`/api/cards/${card.id}/report-loss`).set(cashier.auth).send({ storeId: storeA.id }).expect(200);
    expect(lost.body.events.at(-1)).toMatchObject({ kind: 'lost', storeId: storeA.id });
    const unknown = await t.http.post(`/api/cards/00000000-0000-4000-8000-000000000000/report-loss`).set(cashier.auth).send({}).expect(404);
    expect(unknown.body.error.code).toBe('CARD_NOT_FOUND');
  });

  it('finds a member by an 11-digit card number as well as by phone', async () => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await issue(m.id, { storeId: storeA.id, cardNo: '20240000001' }).expect(201);
    const res = await t.http.get('/api/members').set(cashier.auth).query({ q: '20240000001' }).expect(200);
    expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([m.id]);
  });

  it('keeps card history append-only', async () => {
    await expect(t.ds.query(`UPDATE card_event SET reason = 'x'`)).rejects.toThrow();
    await expect(t.ds.query(`DELETE FROM card_return`)).rejects.toThrow();
  });
});
