import { MemberCodeService } from '../../../src/modules/cards/member-code.service';
import { OrdersService } from '../../../src/modules/orders/orders.service';
import { giveBalance, makeCountCardTemplate, makeMember, makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';
import {
  allowPointsOffset,
  checkout,
  expectReconciled,
  idem,
  memberSession,
  openShift,
  orderCount,
  pointsOf,
  quickSale,
  sellCountCard,
  setPayPassword,
  snapshot,
  stockOf,
  usesLeft,
  walletOf,
} from './orders-helpers';

describe('checkout', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let cashierB: Awaited<ReturnType<typeof signedIn>>;
  let tech: Awaited<ReturnType<typeof signedIn>>;
  let techB: Awaited<ReturnType<typeof signedIn>>;
  let tea: { id: string };
  let cake: { id: string };
  let haircut: { id: string };
  let template: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    tech = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    techB = await signedIn(t.ds, t.http, 'technician', [storeB.id]);
    await openShift(t, cashier.auth, storeA.id);
    await openShift(t, cashierB.auth, storeB.id);
    tea = await makeSku(t.ds, { name: '奶茶', priceFen: 1500, memberPriceFen: 1200 });
    cake = await makeSku(t.ds, { name: '蛋糕', priceFen: 2800 });
    haircut = await makeSku(t.ds, { name: '洗剪吹', kind: 'service', code: 'HAIRCUT', priceFen: 5000 });
    await giveStock(storeA.id, tea.id, 100);
    await giveStock(storeA.id, cake.id, 5);
    template = await makeCountCardTemplate(t.ds, { serviceCodes: ['HAIRCUT'], uses: 10 });
    await allowPointsOffset(t, owner);
  });
  afterAll(() => t.close());

  const member = async (wallet: { principal?: number; bonus?: number; points?: number } = {}) => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    const legs = [
      ...(wallet.principal ? [{ kind: 'wallet_principal' as const, amount: wallet.principal }] : []),
      ...(wallet.bonus ? [{ kind: 'wallet_bonus' as const, amount: wallet.bonus }] : []),
      ...(wallet.points ? [{ kind: 'points' as const, amount: wallet.points }] : []),
    ];
    if (legs.length) await giveBalance(t.ds, m.id, legs);
    return m;
  };

  it('rings up a cart paid in cash, gives change and takes the stock', async () => {
    const before = { tea: await stockOf(t, storeA.id, tea.id), cake: await stockOf(t, storeA.id, cake.id) };
    const res = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      lines: [
        { skuId: tea.id, quantity: 2 },
        { skuId: cake.id, quantity: 1 },
      ],
      expectedTotalFen: 5800,
      payments: [{ method: 'cash', amountFen: 5800, tenderedFen: 10000 }],
    }).expect(201);
    expect(res.body).toMatchObject({ kind: 'sale', status: 'completed', totalFen: 5800, dueFen: 5800, tenderedFen: 10000, changeFen: 4200, memberId: null, cashierId: cashier.id });
    expect(res.body.orderNo).toMatch(/^\d{8}S[0-9A-F]+\d{6}$/);
    expect(res.body.lines.map((l: { name: string; quantity: number; totalFen: number }) => [l.name, l.quantity, l.totalFen])).toEqual([
      ['奶茶', 2, 3000],
      ['蛋糕', 1, 2800],
    ]);
    expect(res.body.payments).toEqual([expect.objectContaining({ method: 'cash', status: 'completed', amountFen: 5800, tenderedFen: 10000, changeFen: 4200 })]);
    expect(await stockOf(t, storeA.id, tea.id)).toBe(before.tea - 2);
    expect(await stockOf(t, storeA.id, cake.id)).toBe(before.cake - 1);
    const detail = await t.http.get(`/api/orders/${res.body.id}`).set(cashier.auth).expect(200);
    expect(detail.body).toEqual(res.body);
    await expectReconciled(t, owner.auth);
  });

  it('prices on the server and refuses the order when the price moved', async () => {
    const m = await member();
    const before = await snapshot(t, m.id, storeA.id, [tea.id]);
    // 奶茶 costs 12.00 for members: a till showing 15.00 has a stale price.
    const moved = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [{ skuId: tea.id, quantity: 1 }],
      expectedTotalFen: 1500,
      payments: [{ method: 'cash', amountFen: 1500 }],
    }).expect(409);
    expect(moved.body.error).toMatchObject({ code: 'ORDER_QUOTE_CHANGED', details: { expectedTotalFen: 1500, totalFen: 1200 } });
    expect(await snapshot(t, m.id, storeA.id, [tea.id])).toEqual(before);
  });

  it('pays with stored value and the payment password, and earns points on the money paid', async () => {
    const m = await member({ principal: 10000, bonus: 2000 });
    await setPayPassword(t, m.id, '246810');
    const res = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [{ skuId: tea.id, quantity: 2 }],
      payments: [{ method: 'stored_value', amountFen: 2400, password: '246810' }],
    }).expect(201);
    // Bonus first by default: 2000 bonus + 400 principal. 24.00 paid earns 24 points.
    expect(await walletOf(t, m.id)).toEqual({ principal: 9600, bonus: 0 });
    expect(res.body).toMatchObject({ totalFen: 2400, pointsEarned: 24, memberAfter: { balanceFen: 9600, principalFen: 9600, bonusFen: 0, points: 24, pointsEarned: 24 } });
    const [spend] = await t.ds.query('SELECT ref_type, ref_id, amount_fen FROM wallet_spend WHERE member_id = $1', [m.id]);
    expect(spend).toEqual({ ref_type: 'order_payment', ref_id: res.body.payments[0].id, amount_fen: '2400' });
    const [visit] = await t.ds.query('SELECT last_visit_at FROM member WHERE id = $1', [m.id]);
    expect(visit.last_visit_at).not.toBeNull();
    await expectReconciled(t, owner.auth);
  });

  it('asks for the payment password, and takes a fresh dynamic member code instead', async () => {
    const m = await member({ principal: 5000 });
    await setPayPassword(t, m.id, '246810');
    const before = await snapshot(t, m.id, storeA.id, [tea.id]);
    const body = { storeId: storeA.id, memberId: m.id, lines: [{ skuId: tea.id, quantity: 1 }] };
    const missing = await checkout(t, cashier.auth, { ...body, payments: [{ method: 'stored_value', amountFen: 1200 }] }).expect(400);
    expect(missing.body.error.code).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    const wrong = await checkout(t, cashier.auth, { ...body, payments: [{ method: 'stored_value', amountFen: 1200, password: '135790' }] }).expect(400);
    expect(wrong.body.error.code).toBe('MEMBER_PAY_PASSWORD_WRONG');
    expect(await snapshot(t, m.id, storeA.id, [tea.id])).toEqual(before);

    const other = await member();
    const otherCode = await t.app.get(MemberCodeService).issue(other.id);
    const mismatch = await checkout(t, cashier.auth, { ...body, payments: [{ method: 'stored_value', amountFen: 1200, memberCode: otherCode.code }] }).expect(409);
    expect(mismatch.body.error.code).toBe('ORDER_MEMBER_CODE_MISMATCH');

    const code = await t.http.get('/api/me/member-code').set(await memberSession(t, m.id)).expect(200);
    await checkout(t, cashier.auth, { ...body, payments: [{ method: 'stored_value', amountFen: 1200, memberCode: code.body.code }] }).expect(201);
    expect(await walletOf(t, m.id)).toEqual({ principal: 3800, bonus: 0 });
    // The code is used up with the payment.
    const reused = await checkout(t, cashier.auth, { ...body, payments: [{ method: 'stored_value', amountFen: 1200, memberCode: code.body.code }] }).expect(409);
    expect(reused.body.error.code).toBe('MEMBER_CODE_USED');
  });

  it('takes points as part of the payment and earns on the rest', async () => {
    const m = await member({ points: 5000 });
    // Member price: 2 × 12.00 + 28.00 = 52.00; 2000 points pay 20.00; 32.00 in cash earns 32 points.
    const res = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [
        { skuId: tea.id, quantity: 2 },
        { skuId: cake.id, quantity: 1 },
      ],
      pointsToUse: 2000,
      payments: [{ method: 'cash', amountFen: 3200 }],
    }).expect(201);
    expect(res.body).toMatchObject({ totalFen: 5200, pointsUsed: 2000, pointsOffsetFen: 2000, dueFen: 3200, pointsEarned: 32 });
    expect(res.body.payments.map((p: { method: string; amountFen: number; points: number | null }) => [p.method, p.amountFen, p.points])).toEqual([
      ['points', 2000, 2000],
      ['cash', 3200, null],
    ]);
    expect(await pointsOf(t, m.id)).toBe(5000 - 2000 + 32);
    const noMember = await checkout(t, cashier.auth, { storeId: storeA.id, lines: [{ skuId: tea.id, quantity: 1 }], pointsToUse: 100, payments: [{ method: 'cash', amountFen: 1400 }] });
    expect(noMember.status).toBeGreaterThanOrEqual(400);
    expect(noMember.status).toBeLessThan(500);
    await expectReconciled(t, owner.auth);
  });

  it('redeems a count card for a service line, with the technician, and earns only on money', async () => {
    const m = await member();
    const card = await sellCountCard(t, cashier.auth, m.id, storeA.id, template.id);
    const res = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [
        { skuId: haircut.id, quantity: 1, servingStaffIds: [tech.id] },
        { skuId: tea.id, quantity: 1 },
      ],
      payments: [
        { method: 'count_card', countCardId: card, lineNo: 1 },
        { method: 'cash', amountFen: 1200 },
      ],
    }).expect(201);
    expect(res.body.lines[0]).toMatchObject({ name: '洗剪吹', coveredUnits: 1, servingStaff: [{ id: tech.id, name: expect.any(String) }] });
    expect(res.body.payments.find((p: { method: string }) => p.method === 'count_card')).toMatchObject({ amountFen: 5000, units: 1, countCardId: card, lineId: res.body.lines[0].id });
    expect(res.body.pointsEarned).toBe(12);
    expect(await usesLeft(t, card)).toBe(9);
    const [redemption] = await t.ds.query('SELECT staff_id, ref_type, ref_id, quantity FROM count_card_redemption WHERE count_card_id = $1', [card]);
    expect(redemption).toEqual({ staff_id: tech.id, ref_type: 'order_payment', ref_id: res.body.payments.find((p: { method: string }) => p.method === 'count_card').id, quantity: 1 });
    // The counter's reversal route leaves an order's redemption to the order's refund.
    const [{ id: redemptionId }] = await t.ds.query('SELECT id FROM count_card_redemption WHERE count_card_id = $1', [card]);
    const reverse = await t.http.post(`/api/count-card-redemptions/${redemptionId}/reverse`).set(cashier.auth).set('Idempotency-Key', idem()).send({ reason: '误操作' }).expect(409);
    expect(reverse.body.error.code).toBe('COUNT_CARD_REDEMPTION_NOT_REVERSIBLE_HERE');

    const goods = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [{ skuId: tea.id, quantity: 1 }],
      payments: [{ method: 'count_card', countCardId: card, lineNo: 1 }],
    }).expect(400);
    expect(goods.body.error.code).toBe('ORDER_COUNT_CARD_LINE_INVALID');
    const stranger = await member();
    const foreign = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: stranger.id,
      lines: [{ skuId: haircut.id, quantity: 1 }],
      payments: [{ method: 'count_card', countCardId: card, lineNo: 1 }],
    }).expect(409);
    expect(foreign.body.error.code).toBe('COUNT_CARD_NOT_MEMBERS');
    expect(await usesLeft(t, card)).toBe(9);
    await expectReconciled(t, owner.auth);
  });

  it('records a bank-card reference and leaves a WeChat part pending until the provider answers', async () => {
    const m = await member({ principal: 3000 });
    const pending = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [{ skuId: cake.id, quantity: 1 }],
      payments: [
        { method: 'bank_card', amountFen: 800, reference: 'POS-778899' },
        { method: 'stored_value', amountFen: 1000 },
        { method: 'wechat', amountFen: 1000 },
      ],
    }).expect(201);
    expect(pending.body).toMatchObject({ status: 'pending_payment', pointsEarned: 0, completedAt: null });
    const wechat = pending.body.payments.find((p: { method: string }) => p.method === 'wechat');
    expect(wechat).toMatchObject({ status: 'pending', reference: null });
    expect(pending.body.payments.find((p: { method: string }) => p.method === 'bank_card')).toMatchObject({ reference: 'POS-778899', status: 'completed' });
    // Every other effect is applied while the order waits: nothing can be spent twice meanwhile.
    expect(await walletOf(t, m.id)).toEqual({ principal: 2000, bonus: 0 });
    const cakes = await stockOf(t, storeA.id, cake.id);

    const orders = t.app.get(OrdersService);
    const refused = await orders.completeExternalPayment({ paymentId: wechat.id, providerRef: 'wx-1', amountFen: 999 }).catch((e: { code: string }) => e.code);
    expect(refused).toBe('ORDER_EXTERNAL_PAYMENT_MISMATCH');
    const done = await orders.completeExternalPayment({ paymentId: wechat.id, providerRef: 'wx-1', amountFen: 1000 });
    expect(done).toMatchObject({ status: 'completed', pointsEarned: 28 });
    expect(done.payments.find((p) => p.method === 'wechat')).toMatchObject({ status: 'completed', reference: 'wx-1' });
    // The provider's retry is a no-op.
    await orders.completeExternalPayment({ paymentId: wechat.id, providerRef: 'wx-1', amountFen: 1000 });
    expect(await pointsOf(t, m.id)).toBe(28);

    const second = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [{ skuId: cake.id, quantity: 1 }],
      payments: [
        { method: 'stored_value', amountFen: 1800 },
        { method: 'wechat', amountFen: 1000 },
      ],
    }).expect(201);
    expect(await stockOf(t, storeA.id, cake.id)).toBe(cakes - 1);
    const failed = await orders.failExternalPayment({ paymentId: second.body.payments.find((p: { method: string }) => p.method === 'wechat').id, reason: '支付超时' });
    expect(failed).toMatchObject({ status: 'cancelled' });
    expect(await walletOf(t, m.id)).toEqual({ principal: 2000, bonus: 0 });
    expect(await stockOf(t, storeA.id, cake.id)).toBe(cakes);
    const late = await orders.completeExternalPayment({ paymentId: second.body.payments.find((p: { method: string }) => p.method === 'wechat').id, providerRef: 'wx-2', amountFen: 1000 }).catch((e: { code: string }) => e.code);
    expect(late).toBe('ORDER_NOT_PENDING');
    await expectReconciled(t, owner.auth);
  });

  it('splits one order across points, stored value, a count card, a bank card and cash', async () => {
    const m = await member({ principal: 1000, bonus: 500, points: 1000 });
    const card = await sellCountCard(t, cashier.auth, m.id, storeA.id, template.id);
    // haircut 50.00 (card) + 2 × tea 12.00 + cake 28.00 = 102.00; points 10.00; due 92.00.
    const res = await checkout(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      lines: [
        { skuId: haircut.id, quantity: 1, servingStaffIds: [tech.id] },
        { skuId: tea.id, quantity: 2 },
        { skuId: cake.id, quantity: 1 },
      ],
      pointsToUse: 1000,
      payments: [
        { method: 'cash', amountFen: 1200, tenderedFen: 2000 },
        { method: 'count_card', countCardId: card, lineNo: 1 },
        { method: 'bank_card', amountFen: 1500, reference: 'T-1' },
        { method: 'stored_value', amountFen: 1500 },
      ],
    }).expect(201);
    expect(res.body.payments.map((p: { seq: number; method: string; amountFen: number }) => [p.seq, p.method, p.amountFen])).toEqual([
      [1, 'points', 1000],
      [2, 'stored_value', 1500],
      [3, 'count_card', 5000],
      [4, 'bank_card', 1500],
      [5, 'cash', 1200],
    ]);
    expect(res.body).toMatchObject({ totalFen: 10200, dueFen: 9200, changeFen: 800, pointsEarned: 42 });
    expect(await walletOf(t, m.id)).toEqual({ principal: 0, bonus: 0 });
    await expectReconciled(t, owner.auth);
  });

  it('answers bad input with 4xx and changes nothing', async () => {
    const m = await member({ principal: 500 });
    const skus = [tea.id, cake.id];
    const before = await snapshot(t, m.id, storeA.id, skus);
    const body = { storeId: storeA.id, memberId: m.id, lines: [{ skuId: tea.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 1200 }] };
    const cases: [string, () => ReturnType<typeof checkout>, number, string][] = [
      ['no Idempotency-Key', () => t.http.post('/api/orders').set(cashier.auth).send(body) as never, 400, 'IDEMPOTENCY_KEY_REQUIRED'],
      ['payments short by a fen', () => checkout(t, cashier.auth, { ...body, payments: [{ method: 'cash', amountFen: 1199 }] }), 400, 'ORDER_PAYMENT_MISMATCH'],
      ['two cash parts', () => checkout(t, cashier.auth, { ...body, payments: [{ method: 'cash', amountFen: 600 }, { method: 'cash', amountFen: 600 }] }), 400, 'ORDER_PAYMENT_DUPLICATE'],
      ['cash tendered short', () => checkout(t, cashier.auth, { ...body, payments: [{ method: 'cash', amountFen: 1200, tenderedFen: 1000 }] }), 400, 'ORDER_CASH_TENDERED_SHORT'],
      ['stored value without a member', () => checkout(t, cashier.auth, { ...body, memberId: undefined, payments: [{ method: 'stored_value', amountFen: 1200 }] }), 400, 'ORDER_PAYMENT_NEEDS_MEMBER'],
      ['a negative quantity', () => checkout(t, cashier.auth, { ...body, lines: [{ skuId: tea.id, quantity: -1 }] }), 400, 'VALIDATION_FAILED'],
      ['an unknown field', () => checkout(t, cashier.auth, { ...body, priceFen: 1 }), 400, 'VALIDATION_FAILED'],
      ['no lines', () => checkout(t, cashier.auth, { ...body, lines: [] }), 400, 'VALIDATION_FAILED'],
      ['a fractional amount', () => checkout(t, cashier.auth, { ...body, payments: [{ method: 'cash', amountFen: 1199.5 }] }), 400, 'VALIDATION_FAILED'],
      ['an unknown SKU', () => checkout(t, cashier.auth, { ...body, lines: [{ skuId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }), 404, 'CATALOG_SKU_NOT_FOUND'],
      ['not enough stored value', () => checkout(t, cashier.auth, { ...body, payments: [{ method: 'stored_value', amountFen: 1200 }] }), 409, 'WALLET_INSUFFICIENT_BALANCE'],
      ['more cakes than in stock', () => checkout(t, cashier.auth, { ...body, lines: [{ skuId: cake.id, quantity: 99 }], payments: [{ method: 'cash', amountFen: 277200 }] }), 409, 'STOCK_INSUFFICIENT'],
      ['a technician of another store', () => checkout(t, cashier.auth, { ...body, lines: [{ skuId: tea.id, quantity: 1, servingStaffIds: [techB.id] }] }), 400, 'ORDER_STAFF_INVALID'],
      ['another store', () => checkout(t, cashier.auth, { ...body, storeId: storeB.id }), 404, 'STORE_NOT_FOUND'],
      ['an unknown member', () => checkout(t, cashier.auth, { ...body, memberId: '00000000-0000-4000-8000-000000000000' }), 404, 'MEMBER_NOT_FOUND'],
    ];
    for (const [label, send, status, code] of cases) {
      const res = await send();
      expect({ label, status: res.status, code: res.body.error?.code }).toEqual({ label, status, code });
    }
    expect(await snapshot(t, m.id, storeA.id, skus)).toEqual(before);
  });

  it('takes no money without an open shift: checkout, quick sale, ticket settlement and refund alike', async () => {
    const noShift = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    const paid = await checkout(t, cashier.auth, { storeId: storeA.id, lines: [{ skuId: tea.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 1500 }] }).expect(201);
    const stock = await stockOf(t, storeA.id, tea.id);
    const orders = await orderCount(t);
    const ticket = await t.http.post('/api/tickets').set(noShift.auth).send({ storeId: storeA.id, lines: [{ skuId: tea.id, quantity: 1 }] }).expect(201);
    const refused = [
      await checkout(t, noShift.auth, { storeId: storeA.id, lines: [{ skuId: tea.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 1500 }] }),
      await quickSale(t, noShift.auth, { storeId: storeA.id, amountFen: 500, payments: [{ method: 'cash', amountFen: 500 }] }),
      await t.http.post(`/api/tickets/${ticket.body.id}/settle`).set(noShift.auth).set('Idempotency-Key', idem()).send({ payments: [{ method: 'cash', amountFen: 1500 }] }),
      await t.http.post(`/api/orders/${paid.body.id}/refunds`).set(noShift.auth).set('Idempotency-Key', idem()).send({ reason: '退货' }),
    ];
    expect(refused.map((r) => [r.status, r.body.error?.code])).toEqual(Array(4).fill([409, 'SHIFT_NOT_OPEN']));
    expect(await stockOf(t, storeA.id, tea.id)).toBe(stock);
    expect(await orderCount(t)).toBe(orders);
  });

  it('replays the original result for a repeated Idempotency-Key and refuses the key for another cart', async () => {
    const key = idem();
    const body = { storeId: storeA.id, lines: [{ skuId: tea.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 1500 }] };
    const orders = await orderCount(t);
    const stock = await stockOf(t, storeA.id, tea.id);
    const first = await checkout(t, cashier.auth, body, key).expect(201);
    const again = await checkout(t, cashier.auth, body, key).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await orderCount(t)).toBe(orders + 1);
    expect(await stockOf(t, storeA.id, tea.id)).toBe(stock - 1);
    const other = await checkout(t, cashier.auth, { ...body, lines: [{ skuId: tea.id, quantity: 2 }], payments: [{ method: 'cash', amountFen: 3000 }] }, key).expect(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('sells a quick amount with the same payments, points earning on it too', async () => {
    const m = await member({ principal: 3000, points: 1000 });
    const res = await quickSale(t, cashier.auth, {
      storeId: storeA.id,
      memberId: m.id,
      amountFen: 8800,
      pointsToUse: 800,
      payments: [
        { method: 'stored_value', amountFen: 3000 },
        { method: 'cash', amountFen: 5000 },
      ],
    }).expect(201);
    expect(res.body).toMatchObject({ kind: 'quick', totalFen: 8800, pointsOffsetFen: 800, dueFen: 8000, pointsEarned: 80 });
    expect(res.body.lines).toEqual([expect.objectContaining({ kind: 'amount', name: '快速消费', quantity: 1, totalFen: 8800 })]);
    expect(await pointsOf(t, m.id)).toBe(1000 - 800 + 80);
    const capped = await quickSale(t, cashier.auth, { storeId: storeA.id, memberId: m.id, amountFen: 1000, pointsToUse: 600, payments: [{ method: 'cash', amountFen: 400 }] }).expect(400);
    expect(capped.body.error.details[0].field).toBe('pointsToUse');
    const card = await sellCountCard(t, cashier.auth, m.id, storeA.id, template.id);
    const noService = await quickSale(t, cashier.auth, { storeId: storeA.id, memberId: m.id, amountFen: 1000, payments: [{ method: 'count_card', countCardId: card, lineNo: 1 }] }).expect(400);
    expect(noService.body.error.code).toBe('ORDER_COUNT_CARD_LINE_INVALID');
    await expectReconciled(t, owner.auth);
  });

  it('never overdraws a wallet or oversells stock under concurrent checkouts', async () => {
    const m = await member({ principal: 5000 });
    const scarce = await makeSku(t.ds, { name: '限量蛋糕', priceFen: 1000 });
    await giveStock(storeA.id, scarce.id, 6);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        checkout(t, cashier.auth, { storeId: storeA.id, memberId: m.id, lines: [{ skuId: scarce.id, quantity: 1 }], payments: [{ method: 'stored_value', amountFen: 1000 }] }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'WALLET_INSUFFICIENT_BALANCE')).toBe(true);
    expect(await walletOf(t, m.id)).toEqual({ principal: 0, bonus: 0 });
    expect(await stockOf(t, storeA.id, scarce.id)).toBe(1);

    const buyers = await Promise.all(Array.from({ length: 4 }, () => member({ principal: 5000 })));
    const rush = await Promise.all(
      buyers.map((b) => checkout(t, cashier.auth, { storeId: storeA.id, memberId: b.id, lines: [{ skuId: scarce.id, quantity: 1 }], payments: [{ method: 'stored_value', amountFen: 1000 }] })),
    );
    expect(rush.filter((r) => r.status === 201)).toHaveLength(1);
    expect(rush.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'STOCK_INSUFFICIENT')).toBe(true);
    expect(await stockOf(t, storeA.id, scarce.id)).toBe(0);
    await expectReconciled(t, owner.auth);
  });

  it('lists orders by store, day, cashier, member and payment method, and shows a member his own', async () => {
    const m = await member({ principal: 2000 });
    const paid = await checkout(t, cashier.auth, { storeId: storeA.id, memberId: m.id, lines: [{ skuId: tea.id, quantity: 1 }], payments: [{ method: 'stored_value', amountFen: 1200 }] }).expect(201);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const list = await t.http.get('/api/orders').set(cashier.auth).query({ memberId: m.id, paymentMethod: 'stored_value', from: today, to: today, cashierId: cashier.id }).expect(200);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: paid.body.id, memberNo: m.memberNo, paymentMethods: ['stored_value'], cashierId: cashier.id }] });
    const yesterday = await t.http.get('/api/orders').set(cashier.auth).query({ memberId: m.id, to: '2020-01-01' }).expect(200);
    expect(yesterday.body.total).toBe(0);
    const cash = await t.http.get('/api/orders').set(cashier.auth).query({ memberId: m.id, paymentMethod: 'cash' }).expect(200);
    expect(cash.body.total).toBe(0);
    // Store B sees none of store A's orders; HQ sees both.
    const b = await t.http.get('/api/orders').set(cashierB.auth).expect(200);
    expect(b.body.items.every((o: { storeId: string }) => o.storeId === storeB.id)).toBe(true);
    await t.http.get(`/api/orders/${paid.body.id}`).set(cashierB.auth).expect(404);
    await t.http.get(`/api/orders/${paid.body.id}`).set(owner.auth).expect(200);

    const me = await memberSession(t, m.id);
    const mine = await t.http.get('/api/me/orders').set(me).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ id: paid.body.id }] });
    await t.http.get(`/api/me/orders/${paid.body.id}`).set(me).expect(200);
    const stranger = await memberSession(t, (await member()).id);
    await t.http.get(`/api/me/orders/${paid.body.id}`).set(stranger).expect(404);
  });
});
