import { randomUUID } from 'node:crypto';
import { TransactionHost } from '../../../src/common/db/transaction-host';
import { PricingService, type QuoteInput } from '../../../src/modules/pricing/pricing.service';
import { makeMember, makeStore, signedIn } from '../../factories';
import { makeCategory, makeSku } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';
import { expectReconciled, idemKey } from '../wallet/wallet-helpers';

type Auth = { Authorization: string };
type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('POST /api/orders/quote', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let managerA: Signed;
  let cashierA: Signed;
  let cashierB: Signed;
  let drinks: { id: string };
  let tobacco: { id: string };
  let tea: { id: string; productId: string };
  let cake: { id: string };
  let cig: { id: string };
  let silverTierId: string;

  beforeAll(async () => {
    t = await createTestApp();
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    managerA = await signedIn(t.ds, t.http, 'store_manager', [storeA.id]);
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    const root = await makeCategory(t.ds, { name: '全部' });
    drinks = await makeCategory(t.ds, { name: '饮品', parentId: root.id });
    tobacco = await makeCategory(t.ds, { name: '烟', parentId: root.id });
    tea = await makeSku(t.ds, { name: '珍珠奶茶', specName: '大杯', categoryId: drinks.id, priceFen: 1800, memberPriceFen: 1600, costFen: 500, unit: '杯' });
    cake = await makeSku(t.ds, { name: '蛋糕', categoryId: drinks.id, priceFen: 990 });
    cig = await makeSku(t.ds, { name: '香烟', categoryId: tobacco.id, priceFen: 2500 });
    await t.ds.query(`INSERT INTO sku_store_price (store_id, sku_id, price_fen, member_price_fen) VALUES ($1, $2, 2200, 2000)`, [storeB.id, tea.id]);
    await t.http.post('/api/tiers').set(owner.auth).send({ name: '普通会员', level: 1, isInitial: true }).expect(201);
    const silver = await t.http.post('/api/tiers').set(owner.auth).send({ name: '银卡会员', level: 2, discountBps: 9000, pointsMultiplierBps: 15000 }).expect(201);
    silverTierId = silver.body.id;
    await t.http.patch('/api/points/settings').set(owner.auth).send({ earnPoints: 1, earnPerFen: 100, offsetPoints: 100, offsetFen: 100, offsetMaxBps: 5000, excludedCategoryIds: [tobacco.id] }).expect(200);
  });
  afterAll(() => t.close());

  const quote = (body: Record<string, unknown>, auth: Auth = cashierA.auth) => t.http.post('/api/orders/quote').set(auth).send({ storeId: storeA.id, ...body });
  const silverMember = async (points = 0) => {
    const m = await makeMember(t.ds, { homeStoreId: storeA.id });
    await t.ds.query('UPDATE member SET tier_id = $2 WHERE id = $1', [m.id, silverTierId]);
    if (points) {
      const { giveBalance } = await import('../../factories');
      await giveBalance(t.ds, m.id, [{ kind: 'points', amount: points }]);
    }
    return m;
  };
  const createTemplate = (body: Record<string, unknown>) =>
    t.http.post('/api/coupon-templates').set(owner.auth).send({ validityKind: 'relative', validDays: 30, ...body }).expect(201).then((r) => r.body as { id: string });
  const giveCoupon = async (memberId: string, templateId: string) =>
    (await t.http.post(`/api/members/${memberId}/coupons`).set(owner.auth).set('Idempotency-Key', idemKey()).send({ templateId, storeId: storeA.id }).expect(201)).body[0] as { id: string; code: string };
  const createPromotion = (body: Record<string, unknown>) => t.http.post('/api/promotions').set(owner.auth).send(body).expect(201).then((r) => r.body as { id: string });
  const pause = (promotionId: string) => t.http.patch(`/api/promotions/${promotionId}`).set(owner.auth).send({ status: 'disabled' }).expect(200);

  it('prices a walk-in cart at list price, line by line', async () => {
    const res = await quote({ lines: [{ skuId: tea.id, quantity: 2 }, { skuId: cake.id, quantity: 1 }] }).expect(200);
    expect(res.body).toMatchObject({ storeId: storeA.id, memberId: null, member: null, subtotalFen: 4590, discountFen: 0, totalFen: 4590, dueFen: 4590, maxPointsUsable: 0, pointsToEarn: 0, coupons: [], promotions: [] });
    expect(res.body.lines[0]).toEqual({
      lineNo: 1,
      skuId: tea.id,
      productId: tea.productId,
      name: '珍珠奶茶 大杯',
      kind: 'goods',
      categoryId: drinks.id,
      unit: '杯',
      quantity: 2,
      unitPriceFen: 1800,
      originalFen: 3600,
      discounts: [],
      totalFen: 3600,
      costFen: 1000,
      pointsEligible: true,
      pointsOffsetFen: 0,
      flashSaleQuantity: 0,
      manualDiscountFen: 0,
      servingStaffIds: [],
    });
  });

  it('gives a member the best of member price and tier discount, the points usable and the points earned', async () => {
    const member = await silverMember(1550);
    const res = await quote({ memberId: member.id, lines: [{ skuId: tea.id, quantity: 2 }, { skuId: cake.id, quantity: 1 }, { skuId: cig.id, quantity: 1 }] }).expect(200);
    const [teaLine, cakeLine, cigLine] = res.body.lines;
    // 奶茶: member price 16.00 beats 9折 16.20; 蛋糕: 9折 8.91; 烟: 9折 22.50.
    expect(teaLine.discounts).toEqual([{ kind: 'member_price', ruleId: tea.id, label: '会员价', amountFen: 400, reason: '会员价 ¥16.00 × 2（原价 ¥18.00）' }]);
    expect(cakeLine.discounts).toEqual([{ kind: 'tier_discount', ruleId: silverTierId, label: '银卡会员折扣', amountFen: 99, reason: '银卡会员 9折' }]);
    expect(cigLine).toMatchObject({ totalFen: 2250, pointsEligible: false });
    expect(res.body).toMatchObject({ totalFen: 3200 + 891 + 2250, member: { id: member.id, tierName: '银卡会员', pointsBalance: 1550 } });
    // Usable: half of 63.41 = 31.70 → 3100 points, but the balance has 1500 in whole units.
    expect(res.body.maxPointsUsable).toBe(1500);
    // Earned: (32.00 + 8.91) × 1.5 = 61.365 → 61 points; the tobacco line earns none.
    expect(res.body.pointsToEarn).toBe(61);
    const paid = await quote({ memberId: member.id, pointsToUse: 1500, lines: [{ skuId: tea.id, quantity: 2 }, { skuId: cake.id, quantity: 1 }, { skuId: cig.id, quantity: 1 }] }).expect(200);
    expect(paid.body).toMatchObject({ totalFen: 6341, pointsUsed: 1500, pointsOffsetFen: 1500, dueFen: 4841 });
    expect(paid.body.lines.reduce((a: number, l: { pointsOffsetFen: number }) => a + l.pointsOffsetFen, 0)).toBe(1500);
    // The offset part earns nothing: (4091 − its share of 1500 on those lines) × 1.5.
    const offsetOnEarning = paid.body.lines[0].pointsOffsetFen + paid.body.lines[1].pointsOffsetFen;
    expect(paid.body.pointsToEarn).toBe(Math.floor(((4091 - offsetOnEarning) * 15) / 1000));
    expect((await quote({ memberId: member.id, pointsToUse: 1600, lines: [{ skuId: tea.id, quantity: 2 }] }).expect(409)).body.error).toMatchObject({ code: 'PRICING_POINTS_OVER_LIMIT', details: { maxPointsUsable: 1500 } });
    expect((await quote({ memberId: member.id, pointsToUse: 150, lines: [{ skuId: tea.id, quantity: 2 }] }).expect(400)).body.error.code).toBe('PRICING_POINTS_NOT_MULTIPLE');
    expect((await quote({ pointsToUse: 100, lines: [{ skuId: tea.id, quantity: 2 }] }).expect(400)).body.error.code).toBe('PRICING_POINTS_NEED_MEMBER');
  });

  it('uses the store’s own prices', async () => {
    const member = await silverMember();
    const res = await quote({ storeId: storeB.id, memberId: member.id, lines: [{ skuId: tea.id, quantity: 1 }] }, cashierB.auth).expect(200);
    expect(res.body.lines[0]).toMatchObject({ unitPriceFen: 2200, totalFen: 1980 });
  });

  it('answers 4xx with clear codes for unknown skus, members, coupons and staff, and store B to store A', async () => {
    const codeOf = async (body: Record<string, unknown>, status: number, auth: Auth = cashierA.auth) => (await quote(body, auth).expect(status)).body.error.code;
    expect(await codeOf({ lines: [{ skuId: randomUUID(), quantity: 1 }] }, 404)).toBe('CATALOG_SKU_NOT_FOUND');
    const off = await makeSku(t.ds, { name: '停售品', status: 'inactive' });
    expect(await codeOf({ lines: [{ skuId: off.id, quantity: 1 }] }, 409)).toBe('CATALOG_SKU_INACTIVE');
    expect(await codeOf({ memberId: randomUUID(), lines: [{ skuId: tea.id, quantity: 1 }] }, 404)).toBe('MEMBER_NOT_FOUND');
    expect(await codeOf({ lines: [{ skuId: tea.id, quantity: 1, servingStaffIds: [randomUUID()] }] }, 404)).toBe('STAFF_NOT_FOUND');
    expect(await codeOf({ couponIds: [randomUUID()], lines: [{ skuId: tea.id, quantity: 1 }] }, 404)).toBe('COUPON_NOT_FOUND');
    expect(await codeOf({ storeId: storeB.id, lines: [{ skuId: tea.id, quantity: 1 }] }, 404)).toBe('STORE_NOT_FOUND');
    expect(await codeOf({ lines: [] }, 400)).toBe('VALIDATION_FAILED');
    expect(await codeOf({ lines: [{ skuId: tea.id, quantity: 0 }] }, 400)).toBe('VALIDATION_FAILED');
    const technician = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    expect(await codeOf({ lines: [{ skuId: tea.id, quantity: 1 }] }, 403, technician.auth)).toBe('FORBIDDEN');
  });

  it('applies coupons, and explains the ones that do not apply instead of failing', async () => {
    const member = await silverMember();
    const other = await silverMember();
    const tenOff = await createTemplate({ name: '满30减5', kind: 'threshold', thresholdFen: 3000, amountOffFen: 500 });
    const freeCake = await createTemplate({ name: '赠蛋糕', kind: 'free_item', skuId: cake.id });
    const c1 = await giveCoupon(member.id, tenOff.id);
    const c2 = await giveCoupon(member.id, freeCake.id);
    const res = await quote({ memberId: member.id, couponIds: [c1.id, c2.id], lines: [{ skuId: tea.id, quantity: 2 }, { skuId: cake.id, quantity: 1 }] }).expect(200);
    expect(res.body.coupons.map((c: { couponId: string; applied: boolean; amountFen: number }) => [c.couponId, c.applied, c.amountFen])).toEqual([
      [c1.id, true, 500],
      [c2.id, true, 891],
    ]);
    expect(res.body.orderDiscounts).toEqual([
      { kind: 'coupon', ruleId: c1.id, label: '满30减5', amountFen: 500, reason: `满 ¥30.00 减 ¥5.00（券号 ${c1.code}，适用商品 ¥32.00）`, lineNos: [1] },
    ]);
    expect(res.body.totalFen).toBe(3200 + 891 - 500 - 891);
    const short = await quote({ memberId: member.id, couponIds: [c1.id], lines: [{ skuId: cake.id, quantity: 1 }] }).expect(200);
    expect(short.body.coupons[0]).toMatchObject({ applied: false, reasonCode: 'COUPON_THRESHOLD_NOT_MET', reason: '适用商品 ¥8.91，未满 ¥30.00，还差 ¥21.09' });
    expect(short.body.totalFen).toBe(891);
    const notHis = await quote({ memberId: other.id, couponIds: [c1.id], lines: [{ skuId: tea.id, quantity: 1 }] }).expect(409);
    expect(notHis.body.error).toMatchObject({ code: 'COUPON_NOT_OWNED', details: { couponId: c1.id } });
    await quote({ couponIds: [c1.id], lines: [{ skuId: tea.id, quantity: 1 }] }).expect(409);
    await t.http.post(`/api/coupons/${c2.id}/void`).set(managerA.auth).send({ reason: '测试' }).expect(200);
    const voided = await quote({ memberId: member.id, couponIds: [c2.id], lines: [{ skuId: cake.id, quantity: 1 }] }).expect(200);
    expect(voided.body.coupons[0]).toMatchObject({ applied: false, reasonCode: 'COUPON_VOIDED' });
  });

  it('applies a full reduction, a member day and a flash sale, each explained', async () => {
    const member = await silverMember();
    const reduction = await createPromotion({ name: '满50减8', kind: 'full_reduction', reductionMode: 'amount', steps: [{ thresholdFen: 5000, amountOffFen: 800 }] });
    const flash = await createPromotion({ name: '奶茶秒杀', kind: 'flash_sale', flashSkuId: tea.id, flashPriceFen: 990, flashStock: 10, flashPerMemberLimit: 1 });
    const everyDay = [1, 2, 3, 4, 5, 6, 7];
    const day = await createPromotion({ name: '会员日', kind: 'member_day', discountBps: 8000, weekdays: everyDay, scope: { includeCategoryIds: [drinks.id] } });
    try {
      const res = await quote({ memberId: member.id, lines: [{ skuId: tea.id, quantity: 3 }, { skuId: cake.id, quantity: 4 }] }).expect(200);
      const [teaLine, cakeLine] = res.body.lines;
      // 奶茶: 1 at 9.90 (flash), 2 at 8折 28.80 (beats member price 32.00); 蛋糕: 4 × 9.90 at 8折 = 31.68.
      expect(teaLine.discounts.map((d: { kind: string; amountFen: number }) => [d.kind, d.amountFen])).toEqual([
        ['flash_sale', 810],
        ['member_day', 720],
        ['full_reduction', 381],
      ]);
      expect(teaLine.flashSaleQuantity).toBe(1);
      expect(cakeLine.discounts.map((d: { kind: string }) => d.kind)).toEqual(['member_day', 'full_reduction']);
      // Flash units stay out of the reduction: base = 28.80 + 31.68 = 60.48 ≥ 50 → 8.00 split 2880:3168.
      expect(res.body.orderDiscounts).toEqual([{ kind: 'full_reduction', ruleId: reduction.id, label: '满50减8', amountFen: 800, reason: '满 ¥50.00 减 ¥8.00（活动商品 ¥60.48）', lineNos: [1, 2] }]);
      expect(res.body.totalFen).toBe(990 + 2880 + 3168 - 800);
      expect(res.body.flashSales).toEqual([{ promotionId: flash.id, skuId: tea.id, lineNo: 1, quantity: 1, perMemberLimit: 1 }]);
      expect(res.body.promotions.map((p: { promotionId: string }) => p.promotionId).sort()).toEqual([reduction.id, flash.id, day.id].sort());
      // A walk-in customer gets neither the member day nor the flash sale (it has a per-member limit).
      const guest = await quote({ lines: [{ skuId: tea.id, quantity: 3 }] }).expect(200);
      expect(guest.body.lines[0].discounts.map((d: { kind: string }) => d.kind)).toEqual(['full_reduction']);
    } finally {
      for (const p of [reduction, flash, day]) await pause(p.id);
    }
  });

  it('gives manual discounts only to staff allowed to, within the chain’s cap', async () => {
    const line = { skuId: cake.id, quantity: 1 };
    expect((await quote({ lines: [{ ...line, manualDiscountFen: 100 }] }).expect(403)).body.error.code).toBe('PRICING_MANUAL_DISCOUNT_FORBIDDEN');
    const ok = await quote({ lines: [{ ...line, manualDiscountFen: 198 }] }, managerA.auth).expect(200);
    expect(ok.body.lines[0].discounts).toEqual([{ kind: 'manual', ruleId: null, label: '手工优惠', amountFen: 198, reason: '收银手工优惠 ¥1.98' }]);
    const over = await quote({ lines: [{ ...line, manualDiscountFen: 199 }] }, managerA.auth).expect(409);
    expect(over.body.error).toMatchObject({ code: 'PRICING_MANUAL_DISCOUNT_TOO_LARGE', details: { lineNo: 1, maxFen: 198 } });
  });

  it('keeps the pricing settings HQ’s, and follows them', async () => {
    await t.http.patch('/api/pricing/settings').set(managerA.auth).send({ tierDiscountEnabled: false }).expect(403);
    const member = await silverMember();
    await t.http.patch('/api/pricing/settings').set(owner.auth).send({ tierDiscountScope: { excludeCategoryIds: [tobacco.id] }, manualDiscountMaxBps: 1000 }).expect(200);
    const res = await quote({ memberId: member.id, lines: [{ skuId: cig.id, quantity: 1 }] }).expect(200);
    expect(res.body.totalFen).toBe(2500);
    const settings = await t.http.get('/api/pricing/settings').set(cashierA.auth).expect(200);
    expect(settings.body).toMatchObject({ memberPriceEnabled: true, tierDiscountEnabled: true, manualDiscountMaxBps: 1000, tierDiscountScope: { excludeCategoryIds: [tobacco.id] } });
    const audit = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'pricing.settings.update'`);
    expect(audit[0].after).toMatchObject({ manualDiscountMaxBps: 1000 });
    await t.http.patch('/api/pricing/settings').set(owner.auth).send({ tierDiscountScope: {}, manualDiscountMaxBps: 2000 }).expect(200);
  });

  it('answers the same quote for the same cart, whatever the order of its lines', async () => {
    const member = await silverMember(5000);
    const lines = [{ skuId: tea.id, quantity: 2 }, { skuId: cake.id, quantity: 3 }, { skuId: cig.id, quantity: 1 }];
    const a = await quote({ memberId: member.id, lines, pointsToUse: 1000 }).expect(200);
    const b = await quote({ memberId: member.id, lines: [...lines].reverse(), pointsToUse: 1000 }).expect(200);
    for (const key of ['subtotalFen', 'discountFen', 'totalFen', 'dueFen', 'pointsToEarn', 'maxPointsUsable']) expect({ key, v: b.body[key] }).toEqual({ key, v: a.body[key] });
  });

  describe('commit and release', () => {
    const pricing = () => t.app.get(PricingService);
    const tx = () => t.app.get(TransactionHost);
    /** What the orders capability does: quote and commit in one transaction. */
    const checkout = (input: QuoteInput, orderId = randomUUID()) =>
      tx().run(async (m) => {
        const q = await pricing().quote(m, input);
        await pricing().commit(m, q, { orderId, memberId: input.memberId, storeId: input.storeId });
        return { orderId, quote: q };
      });

    it('lets one of two orders use a coupon', async () => {
      const member = await silverMember();
      const tpl = await createTemplate({ name: '无门槛3元', kind: 'amount_off', amountOffFen: 300 });
      const coupon = await giveCoupon(member.id, tpl.id);
      const input: QuoteInput = { storeId: storeA.id, memberId: member.id, lines: [{ skuId: cake.id, quantity: 1 }], couponIds: [coupon.id], pointsToUse: 0 };
      // Two counters quote the same cart with the coupon; both quotes apply it; both orders commit at once.
      const quotes = await Promise.all([0, 1].map(() => tx().run((m) => pricing().quote(m, input))));
      expect(quotes.map((q) => q.coupons[0].applied)).toEqual([true, true]);
      const orders = [randomUUID(), randomUUID()];
      const results = await Promise.allSettled(quotes.map((q, i) => tx().run((m) => pricing().commit(m, q, { orderId: orders[i], memberId: member.id, storeId: storeA.id }))));
      const won = orders.filter((_, i) => results[i].status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).toBe('COUPON_UNAVAILABLE');
      // The next quote says the coupon is used; a full refund gives it back.
      const after = await quote({ memberId: member.id, couponIds: [coupon.id], lines: [{ skuId: cake.id, quantity: 1 }] }).expect(200);
      expect(after.body.coupons[0]).toMatchObject({ applied: false, reasonCode: 'COUPON_USED' });
      const released = await tx().run((m) => pricing().release(m, { orderId: won[0], full: true }));
      expect(released.coupons).toEqual([{ couponId: coupon.id, status: 'unused' }]);
      await checkout(input);
    });

    it('sells the last flash-sale unit to one order only, and takes it back on a refund', async () => {
      const flash = await createPromotion({ name: '最后一杯', kind: 'flash_sale', flashSkuId: tea.id, flashPriceFen: 100, flashStock: 1, flashPerMemberLimit: null });
      try {
        const members = await Promise.all(Array.from({ length: 6 }, () => silverMember()));
        const inputs = members.map((mb): QuoteInput => ({ storeId: storeA.id, memberId: mb.id, lines: [{ skuId: tea.id, quantity: 1 }], couponIds: [], pointsToUse: 0 }));
        // Every quote counts on the unit; only one of the orders committing at once gets it.
        const quotes = await Promise.all(inputs.map((i) => tx().run((m) => pricing().quote(m, i))));
        expect(quotes.every((q) => q.flashSales.length === 1)).toBe(true);
        const orders = inputs.map(() => randomUUID());
        const results = await Promise.allSettled(quotes.map((q, i) => tx().run((m) => pricing().commit(m, q, { orderId: orders[i], memberId: inputs[i].memberId, storeId: storeA.id }))));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill('PROMOTION_FLASH_SALE_SOLD_OUT'));
        const sold = await t.http.get(`/api/promotions/${flash.id}`).set(owner.auth).expect(200);
        expect(sold.body.flashSold).toBe(1);
        const orderId = orders[results.findIndex((r) => r.status === 'fulfilled')];
        // Once sold, the next quote prices the sku as usual.
        expect((await checkout(inputs[0])).quote.flashSales).toEqual([]);
        await tx().run((m) => pricing().release(m, { orderId, full: false, quantities: [{ lineNo: 1, quantity: 1 }] }));
        expect((await t.http.get(`/api/promotions/${flash.id}`).set(owner.auth).expect(200)).body.flashSold).toBe(0);
        await expectReconciled(t, owner.auth);
      } finally {
        await pause(flash.id);
      }
    });

    it('refuses an order whose flash-sale limit was reached since the quote', async () => {
      const flash = await createPromotion({ name: '限购1杯', kind: 'flash_sale', flashSkuId: tea.id, flashPriceFen: 100, flashStock: 100, flashPerMemberLimit: 1 });
      try {
        const member = await silverMember();
        const input: QuoteInput = { storeId: storeA.id, memberId: member.id, lines: [{ skuId: tea.id, quantity: 1 }], couponIds: [], pointsToUse: 0 };
        const quotes = await Promise.all([0, 1, 2].map(() => tx().run((m) => pricing().quote(m, input))));
        const results = await Promise.allSettled(quotes.map((q) => tx().run((m) => pricing().commit(m, q, { orderId: randomUUID(), memberId: member.id, storeId: storeA.id }))));
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['PROMOTION_FLASH_SALE_LIMIT_REACHED', 'PROMOTION_FLASH_SALE_LIMIT_REACHED']);
        // Quoted again, the member pays the usual price.
        const again = await quote({ memberId: member.id, lines: [{ skuId: tea.id, quantity: 1 }] }).expect(200);
        expect(again.body.flashSales).toEqual([]);
        await expectReconciled(t, owner.auth);
      } finally {
        await pause(flash.id);
      }
    });
  });
});
