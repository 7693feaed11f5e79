import { decodeEscPos } from '../../../src/modules/receipts';
import { giveBalance, makeCountCardTemplate, makeMember, makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';
import { allowPointsOffset, checkout, expectReconciled, idem, openShift, pointsOf, quickSale, refund, sellCountCard, stockOf, usesLeft, walletOf } from './orders-helpers';

describe('refunds', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;
  let tech: Awaited<ReturnType<typeof signedIn>>;
  let tea: { id: string };
  let cake: { id: string };
  let haircut: { id: string };
  let template: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    tech = await signedIn(t.ds, t.http, 'technician', [store.id]);
    await openShift(t, cashier.auth, store.id);
    tea = await makeSku(t.ds, { name: '奶茶', priceFen: 1500 });
    cake = await makeSku(t.ds, { name: '蛋糕', priceFen: 2800 });
    haircut = await makeSku(t.ds, { name: '洗剪吹', kind: 'service', code: 'HAIRCUT', priceFen: 5000 });
    await giveStock(store.id, tea.id, 1000);
    await giveStock(store.id, cake.id, 1000);
    template = await makeCountCardTemplate(t.ds, { serviceCodes: ['HAIRCUT'], uses: 10 });
    await allowPointsOffset(t, owner);
  });
  afterAll(() => t.close());

  const funded = async (principal: number, bonus: number, points = 0) => {
    const m = await makeMember(t.ds, { homeStoreId: store.id });
    const legs = [
      ...(principal ? [{ kind: 'wallet_principal' as const, amount: principal }] : []),
      ...(bonus ? [{ kind: 'wallet_bonus' as const, amount: bonus }] : []),
      ...(points ? [{ kind: 'points' as const, amount: points }] : []),
    ];
    if (legs.length) await giveBalance(t.ds, m.id, legs);
    return m;
  };

  /** haircut 50.00 (count card) + 2 × tea 15.00 + cake 28.00 = 108.00: points 10.00, stored value 30.00, bank card 10.00, cash 8.00. */
  const bigOrder = async (memberId: string, card: string) =>
    (
      await checkout(t, cashier.auth, {
        storeId: store.id,
        memberId,
        lines: [
          { skuId: haircut.id, quantity: 1, servingStaffIds: [tech.id] },
          { skuId: tea.id, quantity: 2 },
          { skuId: cake.id, quantity: 1 },
        ],
        pointsToUse: 1000,
        payments: [
          { method: 'stored_value', amountFen: 3000 },
          { method: 'count_card', countCardId: card, lineNo: 1 },
          { method: 'bank_card', amountFen: 1000, reference: 'T-9' },
          { method: 'cash', amountFen: 800 },
        ],
      }).expect(201)
    ).body;

  it('refunds a whole order: stored value to principal and bonus as spent, points both ways, the use, the stock', async () => {
    const m = await funded(2000, 2000, 1000);
    const card = await sellCountCard(t, cashier.auth, m.id, store.id, template.id);
    const stock = { tea: await stockOf(t, store.id, tea.id), cake: await stockOf(t, store.id, cake.id) };
    const order = await bigOrder(m.id, card);
    // Bonus first: 2000 bonus + 1000 principal; money paid 48.00 earns 48 points.
    expect(await walletOf(t, m.id)).toEqual({ principal: 1000, bonus: 0 });
    expect(order.pointsEarned).toBe(48);
    expect(await pointsOf(t, m.id)).toBe(48);
    expect(await usesLeft(t, card)).toBe(9);

    const res = await refund(t, cashier.auth, order.id, { reason: '顾客不满意' }).expect(201);
    expect(res.body).toMatchObject({ amountFen: 10800, fullRefund: true, pointsReturned: 1000, pointsEarnedBack: 48, pointsEarnReversed: 48, pointsDebt: 0 });
    expect(res.body.payments.map((p: { method: string; amountFen: number; points: number; units: number }) => [p.method, p.amountFen, p.points, p.units]).sort()).toEqual(
      [
        ['points', 1000, 1000, 0],
        ['stored_value', 3000, 0, 0],
        ['count_card', 5000, 0, 1],
        ['bank_card', 1000, 0, 0],
        ['cash', 800, 0, 0],
      ].sort(),
    );
    expect(await walletOf(t, m.id)).toEqual({ principal: 2000, bonus: 2000 });
    expect(await pointsOf(t, m.id)).toBe(1000);
    expect(await usesLeft(t, card)).toBe(10);
    expect(await stockOf(t, store.id, tea.id)).toBe(stock.tea);
    expect(await stockOf(t, store.id, cake.id)).toBe(stock.cake);
    const detail = await t.http.get(`/api/orders/${order.id}`).set(cashier.auth).expect(200);
    expect(detail.body).toMatchObject({ status: 'refunded', refundedFen: 10800, pointsEarnReversed: 48 });
    expect(detail.body.refunds).toHaveLength(1);
    const again = await refund(t, cashier.auth, order.id).expect(409);
    expect(again.body.error.code).toBe('ORDER_NOT_REFUNDABLE');
    await expectReconciled(t, owner.auth);
  });

  it('refunds by line and quantity, in proportion to what each payment holds, and never beyond', async () => {
    const m = await funded(5000, 0);
    const order = (
      await checkout(t, cashier.auth, {
        storeId: store.id,
        memberId: m.id,
        lines: [
          { skuId: tea.id, quantity: 3 },
          { skuId: cake.id, quantity: 1 },
        ],
        payments: [
          { method: 'stored_value', amountFen: 3650 },
          { method: 'cash', amountFen: 3650 },
        ],
      }).expect(201)
    ).body;
    const teaLine = order.lines[0].id;
    const cakeLine = order.lines[1].id;
    // One tea (15.00) goes back half to stored value, half in cash.
    const one = await refund(t, cashier.auth, order.id, { reason: '少做一杯', lines: [{ lineId: teaLine, quantity: 1 }] }).expect(201);
    expect(one.body).toMatchObject({ amountFen: 1500, fullRefund: false, lines: [{ orderLineId: teaLine, quantity: 1, amountFen: 1500 }] });
    expect(one.body.payments.map((p: { method: string; amountFen: number }) => [p.method, p.amountFen]).sort()).toEqual([
      ['cash', 750],
      ['stored_value', 750],
    ]);
    expect(await walletOf(t, m.id)).toEqual({ principal: 2100, bonus: 0 });
    const over = await refund(t, cashier.auth, order.id, { reason: 'x', lines: [{ lineId: teaLine, quantity: 3 }] }).expect(409);
    expect(over.body.error).toMatchObject({ code: 'ORDER_REFUND_EXCEEDS', details: { leftQuantity: 2 } });
    const bad = await refund(t, cashier.auth, order.id, { reason: 'x', lines: [{ lineId: cake.id }] }).expect(400);
    expect(bad.body.error.code).toBe('ORDER_REFUND_LINE_INVALID');
    await refund(t, cashier.auth, order.id, { reason: 'x', lines: [{ lineId: cakeLine }] }).expect(201);
    const detail = await t.http.get(`/api/orders/${order.id}`).set(cashier.auth).expect(200);
    expect(detail.body).toMatchObject({ status: 'partially_refunded', refundedFen: 4300 });
    const rest = await refund(t, cashier.auth, order.id, { reason: '全部退' }).expect(201);
    expect(rest.body).toMatchObject({ amountFen: 3000, fullRefund: true });
    const payments = (await t.http.get(`/api/orders/${order.id}`).set(cashier.auth).expect(200)).body.payments;
    expect(payments.map((p: { amountFen: number; refundedFen: number }) => p.refundedFen - p.amountFen)).toEqual([0, 0]);
    expect(await walletOf(t, m.id)).toEqual({ principal: 5000, bonus: 0 });
    await expectReconciled(t, owner.auth);
  });

  it('never over-refunds an order under concurrent refunds', async () => {
    const m = await funded(20000, 0);
    const order = (
      await checkout(t, cashier.auth, { storeId: store.id, memberId: m.id, lines: [{ skuId: tea.id, quantity: 4 }], payments: [{ method: 'stored_value', amountFen: 6000 }] }).expect(201)
    ).body;
    const stock = await stockOf(t, store.id, tea.id);
    const results = await Promise.all(Array.from({ length: 8 }, () => refund(t, cashier.auth, order.id, { reason: '并发退款', lines: [{ lineId: order.lines[0].id, quantity: 1 }] })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    expect(results.filter((r) => r.status !== 201).every((r) => ['ORDER_REFUND_EXCEEDS', 'ORDER_NOT_REFUNDABLE'].includes(r.body.error.code))).toBe(true);
    expect(await walletOf(t, m.id)).toEqual({ principal: 20000, bonus: 0 });
    expect(await stockOf(t, store.id, tea.id)).toBe(stock + 4);
    await expectReconciled(t, owner.auth);
  });

  it('takes back spent earned points as debt by default, paid off by later earnings, or refuses when HQ says so', async () => {
    const m = await funded(0, 0);
    const order = (await checkout(t, cashier.auth, { storeId: store.id, memberId: m.id, lines: [{ skuId: cake.id, quantity: 2 }], payments: [{ method: 'cash', amountFen: 5600 }] }).expect(201)).body;
    expect(await pointsOf(t, m.id)).toBe(56);
    // The member spends 50 of the 56 points elsewhere.
    await t.http.post(`/api/members/${m.id}/points/adjustments`).set(owner.auth).set('Idempotency-Key', idem()).send({ points: -50, reason: '兑换礼品', storeId: store.id }).expect(201);

    await t.http.patch('/api/order-settings').set(owner.auth).send({ pointsClawback: 'refuse' }).expect(200);
    const cakes = await stockOf(t, store.id, cake.id);
    // One cake takes back half the earned points (28); 6 are left, 22 were spent.
    const refused = await refund(t, cashier.auth, order.id, { reason: '退一个', lines: [{ lineId: order.lines[0].id, quantity: 1 }] }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'ORDER_REFUND_POINTS_SPENT', details: { pointsEarnedBack: 28, shortfallPoints: 22 } });
    expect(await pointsOf(t, m.id)).toBe(6);
    expect(await stockOf(t, store.id, cake.id)).toBe(cakes);

    await t.http.patch('/api/order-settings').set(owner.auth).send({ pointsClawback: 'record_debt' }).expect(200);
    const owed = await refund(t, cashier.auth, order.id, { reason: '退一个', lines: [{ lineId: order.lines[0].id, quantity: 1 }] }).expect(201);
    expect(owed.body).toMatchObject({ pointsEarnedBack: 28, pointsEarnReversed: 6, pointsDebt: 22 });
    expect(await pointsOf(t, m.id)).toBe(0);
    // The next purchase earns 28 points, of which 22 pay the debt off.
    await checkout(t, cashier.auth, { storeId: store.id, memberId: m.id, lines: [{ skuId: cake.id, quantity: 1 }], payments: [{ method: 'cash', amountFen: 2800 }] }).expect(201);
    expect(await pointsOf(t, m.id)).toBe(6);
    const [debt] = await t.ds.query('SELECT points, settled_points FROM order_points_debt WHERE member_id = $1', [m.id]);
    expect(debt).toEqual({ points: 22, settled_points: 22 });
    await expectReconciled(t, owner.auth);
  });

  it('refunds a quick sale by amount', async () => {
    const m = await funded(0, 0);
    const sale = (await quickSale(t, cashier.auth, { storeId: store.id, memberId: m.id, amountFen: 10000, payments: [{ method: 'cash', amountFen: 10000 }] }).expect(201)).body;
    expect(await pointsOf(t, m.id)).toBe(100);
    const part = await refund(t, cashier.auth, sale.id, { reason: '多收了', lines: [{ lineId: sale.lines[0].id, amountFen: 2500 }] }).expect(201);
    expect(part.body).toMatchObject({ amountFen: 2500, pointsEarnedBack: 25, fullRefund: false });
    const byQuantity = await refund(t, cashier.auth, sale.id, { reason: 'x', lines: [{ lineId: sale.lines[0].id, quantity: 1 }] }).expect(400);
    expect(byQuantity.body.error.code).toBe('ORDER_REFUND_LINE_INVALID');
    await refund(t, cashier.auth, sale.id, { reason: '全退' }).expect(201);
    expect(await pointsOf(t, m.id)).toBe(0);
    await expectReconciled(t, owner.auth);
  });

  it('prints the receipt as ESC/POS bytes for both papers and as a page, with change, balances after and refunds', async () => {
    const m = await funded(5000, 0);
    const order = (
      await checkout(t, cashier.auth, {
        storeId: store.id,
        memberId: m.id,
        lines: [
          { skuId: haircut.id, quantity: 1, servingStaffIds: [tech.id] },
          { skuId: tea.id, quantity: 2 },
        ],
        payments: [
          { method: 'stored_value', amountFen: 3000 },
          { method: 'cash', amountFen: 5000, tenderedFen: 10000 },
        ],
      }).expect(201)
    ).body;
    await refund(t, cashier.auth, order.id, { reason: '少做一杯', lines: [{ lineId: order.lines[1].id, quantity: 1 }] }).expect(201);
    const binary = (req: ReturnType<typeof t.http.get>) =>
      req.buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    for (const paper of ['escpos58', 'escpos80']) {
      const res = await binary(t.http.get(`/api/orders/${order.id}/receipt`).set(cashier.auth).query({ format: paper })).expect(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      const { lines, qrCodes } = decodeEscPos(res.body as Buffer);
      const text = lines.map((l) => l.text).join('\n');
      expect(qrCodes).toEqual([order.orderNo]);
      for (const expected of ['洗剪吹', '奶茶', '服务：', order.orderNo, `${m.phone.slice(0, 3)}****${m.phone.slice(-4)}`, '储值', '现金', '找零', '50.00', '30.00', '-15.00']) expect({ paper, has: expected, found: text.includes(expected) }).toEqual({ paper, has: expected, found: true });
      expect(text).not.toContain(m.phone);
    }
    const page = await t.http.get(`/api/orders/${order.id}/receipt`).set(cashier.auth).expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain(order.orderNo);
    expect(page.text).toContain('洗剪吹');
    const copy = await binary(t.http.get(`/api/orders/${order.id}/receipt`).set(cashier.auth).query({ format: 'escpos80', reprint: 'true' })).expect(200);
    expect(decodeEscPos(copy.body as Buffer).lines.some((l) => l.text.includes('重打'))).toBe(true);
    await t.http.get(`/api/orders/${order.id}/receipt`).set(cashier.auth).query({ format: 'pdf' }).expect(400);
  });

  it('uses a coupon with the order and restores it only when the whole order is refunded', async () => {
    const m = await funded(0, 0);
    const template = await t.http.post('/api/coupon-templates').set(owner.auth).send({ name: '满50减10', kind: 'threshold', thresholdFen: 5000, amountOffFen: 1000, validityKind: 'relative', validDays: 30 }).expect(201);
    const [coupon] = (await t.http.post(`/api/members/${m.id}/coupons`).set(owner.auth).set('Idempotency-Key', idem()).send({ templateId: template.body.id, storeId: store.id }).expect(201)).body;
    const status = async () => (await t.ds.query('SELECT status FROM coupon WHERE id = $1', [coupon.id]))[0].status;
    // Two cakes, 56.00, less the 10.00 coupon: 46.00 due.
    const order = (
      await checkout(t, cashier.auth, {
        storeId: store.id,
        memberId: m.id,
        lines: [{ skuId: cake.id, quantity: 2 }],
        couponIds: [coupon.id],
        expectedTotalFen: 4600,
        payments: [{ method: 'cash', amountFen: 4600 }],
      }).expect(201)
    ).body;
    expect(order).toMatchObject({ totalFen: 4600, coupons: [{ couponId: coupon.id, applied: true }] });
    expect(await status()).toBe('used');
    const again = await checkout(t, cashier.auth, { storeId: store.id, memberId: m.id, lines: [{ skuId: cake.id, quantity: 2 }], couponIds: [coupon.id], expectedTotalFen: 4600, payments: [{ method: 'cash', amountFen: 4600 }] }).expect(409);
    expect(again.body.error.code).toBe('ORDER_QUOTE_CHANGED');
    await refund(t, cashier.auth, order.id, { reason: '退一个', lines: [{ lineId: order.lines[0].id, quantity: 1 }] }).expect(201);
    expect(await status()).toBe('used');
    await refund(t, cashier.auth, order.id, { reason: '全退' }).expect(201);
    expect(await status()).toBe('unused');
    await expectReconciled(t, owner.auth);
  });
});
