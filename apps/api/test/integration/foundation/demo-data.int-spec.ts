import { DEMO_ACCOUNTS, DEMO_CATALOG, DEMO_MEMBERS, DEMO_STORES, seedDemo } from '../../../src/db/seed/seed';
import { login, type Session } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';

/** Row counts of everything the demo writes: a second seed run must leave them all as they are. */
const TABLES = [
  'store',
  'staff',
  'member',
  'card',
  'tier',
  'member_tier_change',
  'tier_purchase',
  'wallet_bonus_rule',
  'wallet_top_up',
  'wallet_spend',
  'ledger_entry',
  'account',
  'point_lot',
  'count_card_template',
  'member_count_card',
  'count_card_redemption',
  'gift',
  'gift_stock_movement',
  'mall_redemption',
  'category',
  'product',
  'sku',
  'sku_store_price',
  'stock_movement',
  'shift',
  'shift_taking',
  'shift_cash_movement',
  'sales_order',
  'order_line',
  'order_payment',
  'order_refund',
  'ticket',
  'ticket_line',
  'audit_log',
  'coupon_template',
  'coupon',
  'promotion',
  'notification_template',
  'notification_message',
  'notification_address',
  'supplier',
  'purchase_order',
  'purchase_receipt',
  'transfer',
  'stock_io',
  'stock_alert_line',
  'stock_alert',
];

async function counts(t: TestApp): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await t.ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return out;
}

describe('demo data', () => {
  let t: TestApp;
  let owner: Session;
  let stores: Map<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    expect(await seedDemo(t.app)).toBe(true);
    owner = await login(t.http, 'owner', 'Owner@2026');
    const res = await t.http.get('/api/stores').set(owner.auth).expect(200);
    stores = new Map(res.body.items.map((s: { code: string; id: string }) => [s.code, s.id]));
  });
  afterAll(() => t.close());

  const get = (path: string, auth = owner.auth) => t.http.get(path).set(auth).expect(200).then((r) => r.body);
  const memberByPhone = async (phone: string) => {
    const page = await get(`/api/members?phone=${phone}`);
    expect(page.items).toHaveLength(1);
    return page.items[0] as { id: string; name: string; homeStoreId: string; tierId: string };
  };

  it('has the stores, and every demo account can sign in', async () => {
    expect([...stores.keys()].sort()).toEqual(DEMO_STORES.map((s) => s.code).sort());
    for (const a of DEMO_ACCOUNTS) await login(t.http, a.username, a.password);
    const cashier = await login(t.http, 'cashier', 'Cashier@2026');
    const me = await get('/api/auth/me', cashier.auth);
    expect(JSON.stringify(me)).toContain('cashier');
  });

  it('has the tiers: initial, two upgrade rungs by top-up and a paid one', async () => {
    const tiers = await get('/api/tiers');
    const byName = Object.fromEntries(tiers.map((x: { name: string }) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(['普通会员', '金卡会员', '银卡会员', '黑金会员'].sort());
    expect(byName['普通会员']).toMatchObject({ level: 1, isInitial: true, discountBps: 10000, upgrade: null, purchasable: false });
    expect(byName['银卡会员']).toMatchObject({ discountBps: 9500, pointsMultiplierBps: 12000, upgrade: { metric: 'top_up', threshold: 100000, windowDays: 365 } });
    expect(byName['金卡会员']).toMatchObject({ discountBps: 9000, pointsMultiplierBps: 15000, upgrade: { metric: 'top_up', threshold: 300000, windowDays: 365 } });
    expect(byName['黑金会员']).toMatchObject({ discountBps: 8500, pointsMultiplierBps: 20000, priceFen: 29900, validityDays: 365, purchasable: true, upgrade: null });
  });

  it('has HQ bonus rules, a store override at HZ001, and the points rules', async () => {
    const rules = (await get('/api/wallet/bonus-rules?pageSize=100')).items as { name: string; storeId: string | null; thresholdFen: number; bonusFen: number; bonusPoints: number }[];
    const hq = rules.filter((r) => r.storeId === null).map((r) => [r.thresholdFen, r.bonusFen, r.bonusPoints]);
    expect(hq.sort((a, b) => a[0] - b[0])).toEqual([
      [10000, 1000, 0],
      [50000, 8000, 0],
      [100000, 20000, 0],
      [200000, 20000, 500],
    ]);
    expect(rules.filter((r) => r.storeId !== null)).toEqual([expect.objectContaining({ storeId: stores.get('HZ001'), thresholdFen: 30000, bonusFen: 6000 })]);
    expect(await get('/api/points/settings')).toMatchObject({
      earnPoints: 1,
      earnPerFen: 100,
      birthdayMultiplierBps: 20000,
      expiryPolicy: 'end_of_next_year',
      exchangeEnabled: true,
      exchangePoints: 100,
      exchangeFen: 100,
    });
  });

  it('has the count-card templates and gifts with stock in every store', async () => {
    const templates = (await get('/api/count-card-templates?pageSize=100')).items;
    const byName = Object.fromEntries(templates.map((x: { name: string }) => [x.name, x]));
    expect(byName['洗剪吹 10 次卡']).toMatchObject({ kind: 'count', uses: 10, priceFen: 36800, validityDays: 365, serviceCodes: ['wash_cut'], status: 'on_sale' });
    expect(byName['月度无限次护理卡']).toMatchObject({ kind: 'period', periodDays: 30, dailyLimit: 1, priceFen: 59900 });
    expect(byName['台球计时卡 600 分钟']).toMatchObject({ kind: 'time', minutes: 600, priceFen: 30000 });

    const gifts = (await get('/api/mall/gifts?pageSize=100')).items.map((g: { name: string; pointsPrice: number; cashFen: number }) => [g.name, g.pointsPrice, g.cashFen]);
    expect(gifts).toEqual(
      expect.arrayContaining([
        ['保温杯', 800, 0],
        ['帆布袋', 300, 0],
        ['电影票', 1200, 990],
      ]),
    );
    for (const id of stores.values()) {
      const stock = await get(`/api/stores/${id}/mall/stock`);
      expect(stock).toHaveLength(3);
      for (const s of stock) expect(s.quantity).toBeGreaterThan(0);
    }
  });

  it('has members at different stores with real balances, tiers, a card and count cards', async () => {
    const tiers = Object.fromEntries((await get('/api/tiers')).map((x: { name: string; id: string }) => [x.name, x.id]));
    const homes = new Set<string>();
    for (const d of DEMO_MEMBERS) {
      const member = await memberByPhone(d.phone);
      expect(member.name).toBe(d.name);
      expect(member.homeStoreId).toBe(stores.get(d.store));
      homes.add(member.homeStoreId);
    }
    expect(homes.size).toBe(3);

    // 张伟: 充1000送200, spent 88 (bonus first) → 银卡; his physical card finds him.
    const zhang = await memberByPhone('13800000001');
    expect(await get(`/api/members/${zhang.id}/wallet`)).toMatchObject({ principalFen: 100000, bonusFen: 11200, totalFen: 111200 });
    expect((await get(`/api/members/${zhang.id}/tier`)).tier.name).toBe('银卡会员');
    const found = await t.http.post('/api/cards/resolve').set(owner.auth).send({ cardNo: 'CC20260001' }).expect(200);
    expect(found.body.id).toBe(zhang.id);

    // 李娜: 充2000送200元+500积分, 300 points for a canvas bag (pending pickup), a 10-use card used once.
    const lina = await memberByPhone('13800000002');
    expect(await get(`/api/members/${lina.id}/wallet`)).toMatchObject({ principalFen: 200000, bonusFen: 20000 });
    expect((await get(`/api/members/${lina.id}/points`)).balance).toBe(200);
    expect(lina.tierId).toBe(tiers['银卡会员']);
    const linaCards = await get(`/api/members/${lina.id}/count-cards`);
    expect(linaCards).toEqual([expect.objectContaining({ name: '洗剪吹 10 次卡', unitsTotal: 10, unitsLeft: 9, status: 'active' })]);
    const redemptions = (await get(`/api/stores/${stores.get('SH001')}/mall/redemptions`)).items;
    expect(redemptions).toEqual([expect.objectContaining({ memberId: lina.id, giftName: '帆布袋', points: 300, status: 'pending' })]);

    // 王芳: 充3000 takes the 2000 rung → 金卡.
    const wang = await memberByPhone('13800000003');
    expect(await get(`/api/members/${wang.id}/wallet`)).toMatchObject({ principalFen: 300000, bonusFen: 20000 });
    expect((await get(`/api/members/${wang.id}/points`)).balance).toBe(500);
    expect(wang.tierId).toBe(tiers['金卡会员']);

    // 刘洋 and 陈静 top up at HZ001: its own rule (充300送60) replaces HQ's ladder there.
    const liu = await memberByPhone('13800000004');
    expect(await get(`/api/members/${liu.id}/wallet`)).toMatchObject({ principalFen: 30000, bonusFen: 6000 });
    expect(liu.tierId).toBe(tiers['普通会员']);
    expect(await get(`/api/members/${liu.id}/count-cards`)).toEqual([expect.objectContaining({ kind: 'time', unitsLeft: 600, unit: 'minutes' })]);
    const chen = await memberByPhone('13800000005');
    expect(await get(`/api/members/${chen.id}/wallet`)).toMatchObject({ principalFen: 50000, bonusFen: 6000 });
    const chenTier = await get(`/api/members/${chen.id}/tier`);
    expect(chenTier.tier.name).toBe('黑金会员');
    expect(chenTier.expiresAt).not.toBeNull();

    const topUps = (await get('/api/wallet/top-ups?pageSize=100')).items;
    expect(topUps).toHaveLength(5);
  });

  it('has a tea-shop and salon catalog, a store price at SH002 and opening stock in every store', async () => {
    const cashier = await login(t.http, 'cashier', 'Cashier@2026');
    const products = (await get('/api/catalog/products?pageSize=100', cashier.auth)).items as { name: string; kind: string; code: string | null; durationMinutes: number | null }[];
    expect(products.map((p) => p.name)).toEqual(DEMO_CATALOG.map((p) => p.name));
    expect(products.find((p) => p.name === '洗剪吹')).toMatchObject({ kind: 'service', code: 'wash_cut', durationMinutes: 45 });
    expect(products.find((p) => p.name === '精油按摩')).toMatchObject({ kind: 'service', durationMinutes: 60 });
    const tree = await get('/api/catalog/categories', cashier.auth);
    expect(tree.map((c: { name: string }) => c.name)).toEqual(['饮品', '零食', '美发', '养生', '休闲']);
    expect(tree[0].children.map((c: { name: string }) => c.name)).toEqual(['奶茶', '果茶', '瓶装饮料']);
    // The count cards' services are in the catalog.
    const codes = new Set(products.map((p) => p.code));
    for (const tpl of (await get('/api/count-card-templates?pageSize=100')).items) for (const code of tpl.serviceCodes) expect(codes).toContain(code);

    const item = async (code: string, q: string) => (await get(`/api/stores/${stores.get(code)}/catalog/items?q=${encodeURIComponent(q)}`)).items;
    const large = (code: string) => item(code, 'zznc').then((items) => items.find((i: { specName: string }) => i.specName === '大杯'));
    expect(await large('SH001')).toMatchObject({ priceFen: 1800, memberPriceFen: 1600, storePrice: false });
    expect(await large('SH002')).toMatchObject({ priceFen: 2000, memberPriceFen: 1800, storePrice: true });
    expect((await item('SH001', '6921168509256')).map((i: { productName: string }) => i.productName)).toEqual(['农夫山泉 550ml']);
    expect((await item('SH001', 'nt')).map((i: { productName: string }) => i.productName)).toEqual(['大白兔奶糖']);

    for (const id of stores.values()) {
      const stock = (await get(`/api/stores/${id}/stock?pageSize=100`)).items as { productName: string; quantity: number }[];
      expect(stock.map((s) => s.productName).sort()).toEqual(['农夫山泉 550ml', '可口可乐 330ml', '大白兔奶糖', '乐事薯片 原味', '氨基酸洗发水'].sort());
      for (const s of stock) expect(s.quantity).toBeGreaterThan(0);
    }
    const sh001 = await get(`/api/stores/${stores.get('SH001')}/stock?q=nfsq`, cashier.auth);
    expect(sh001.items).toEqual([expect.objectContaining({ productName: '农夫山泉 550ml', quantity: 48 })]);
  });

  it('has coupon templates, coupons in the members’ hands and promotions, and prices a demo cart', async () => {
    const cashier = await login(t.http, 'cashier', 'Cashier@2026');
    const templates = (await get('/api/coupon-templates?pageSize=100')).items as { name: string; kind: string; autoIssue: string[] }[];
    expect(templates.map((x) => x.kind).sort()).toEqual(['amount_off', 'exchange', 'free_item', 'percent_off', 'threshold', 'threshold']);
    expect(templates.filter((x) => x.autoIssue.length).map((x) => [x.name, x.autoIssue])).toEqual(
      expect.arrayContaining([
        ['新会员礼 无门槛5元', ['join']],
        ['生日礼 免费杨枝甘露', ['birthday']],
      ]),
    );
    const promotions = (await get('/api/promotions?pageSize=100')).items as { name: string; kind: string; storeIds: string[] }[];
    expect(promotions.map((p) => p.kind).sort()).toEqual(['flash_sale', 'full_reduction', 'full_reduction', 'member_day']);
    // 西湖店's own 满折 is not SH001's business.
    expect((await get('/api/promotions?pageSize=100', cashier.auth)).items).toHaveLength(3);

    const zhang = await memberByPhone('13800000001');
    const mine = (await get(`/api/members/${zhang.id}/coupons?status=unused&storeId=${stores.get('SH001')}`, cashier.auth)).items as { id: string; name: string }[];
    expect(mine.map((c) => c.name).sort()).toEqual(['满50减10', '饮品8折券'].sort());
    // 洗剪吹 at member price 68 + 大白兔奶糖 13.90 = 81.90: under 满100, 满50减10 applies → 71.90.
    const items = async (q: string) => (await get(`/api/stores/${stores.get('SH001')}/catalog/items?q=${encodeURIComponent(q)}`, cashier.auth)).items[0].skuId as string;
    const over50 = mine.find((c) => c.name === '满50减10')!;
    const quote = await t.http
      .post('/api/orders/quote')
      .set(cashier.auth)
      .send({ storeId: stores.get('SH001'), memberId: zhang.id, couponIds: [over50.id], lines: [{ skuId: await items('洗剪吹'), quantity: 1 }, { skuId: await items('大白兔'), quantity: 1 }] })
      .expect(200);
    expect(quote.body).toMatchObject({ subtotalFen: 10390, totalFen: 7190, coupons: [{ couponId: over50.id, applied: true, amountFen: 1000 }] });
    expect(quote.body.lines.map((l: { discounts: { kind: string }[] }) => l.discounts.map((d) => d.kind))).toEqual([
      ['member_price', 'coupon'],
      ['member_price', 'coupon'],
    ]);

    // A member who registers now gets the join gift.
    const joined = await t.http.post('/api/members').set(cashier.auth).send({ name: '新客', phone: '13900000099' }).expect(201);
    const gifts = (await get(`/api/members/${joined.body.id}/coupons`, cashier.auth)).items as { name: string; source: string }[];
    expect(gifts).toEqual([expect.objectContaining({ name: '新会员礼 无门槛5元', source: 'join' })]);
  });

  it('lets the demo cashier work at SH001 with the demo members', async () => {
    const cashier = await login(t.http, 'cashier', 'Cashier@2026');
    const zhang = (await get('/api/members?phone=13800000001', cashier.auth)).items[0];
    expect(await get(`/api/members/${zhang.id}/wallet`, cashier.auth)).toMatchObject({ totalFen: 111200 });
  });

  it('has notification templates, and the counter’s work left messages that the worker delivers', async () => {
    const templates = await get('/api/notifications/templates');
    expect(templates.filter((x: { channel: string }) => x.channel === 'sms')).toHaveLength(12); // every event, stock.low (to store managers) included
    expect(templates.filter((x: { channel: string }) => x.channel === 'wechat').map((x: { event: string }) => x.event)).toEqual(
      expect.arrayContaining(['wallet.top_up', 'wallet.spend', 'points.changed', 'booking.confirmed', 'booking.reminder']),
    );
    const zhang = (await get('/api/members?phone=13800000001')).items[0];
    expect(await get(`/api/members/${zhang.id}/notification-preferences`)).toMatchObject({ email: 'zhang.wei@example.com' });
    const pending = await get(`/api/notifications/messages?memberId=${zhang.id}`);
    // His top-up, his quick spend, and the points his wash-cut at the counter earned.
    expect(pending.items.map((x: { event: string }) => x.event).sort()).toEqual(['points.changed', 'wallet.spend', 'wallet.top_up']);
    const { NotificationWorker } = await import('../../../src/modules/notifications/notification.worker');
    for (let i = 0; i < 10 && (await t.app.get(NotificationWorker).runOnce()).claimed > 0; i++);
    const sent = await get(`/api/notifications/messages?memberId=${zhang.id}&status=sent`);
    expect(sent.items.map((x: { channel: string }) => x.channel)).toEqual(['sms', 'sms', 'sms']);
    expect((await get('/api/notifications/settings')).birthdayBenefit).toBe('points');
  });

  it('has shifts: the cashier’s open at SH001 with the day’s takings, HZ001 handed over 2 元 short', async () => {
    const cashier = await login(t.http, 'cashier', 'Cashier@2026');
    const { shift } = await get(`/api/shifts/current?storeId=${stores.get('SH001')}`, cashier.auth);
    const net = (s: { methods: { method: string; netFen: number }[] }, method: string) => s.methods.find((x) => x.method === method)!.netFen;
    // 张伟 充1000 cash, 李娜 充2000 by card, the 368 元 count card in cash, 88 元 quick spend of stored
    // value; then the morning's orders: cash sales less the cash refund, and a 36 元 quick sale by card.
    let ordersCash = 0;
    for (const o of (await get(`/api/orders?storeId=${stores.get('SH001')}`, cashier.auth)).items) {
      const detail = await get(`/api/orders/${o.id}`, cashier.auth);
      ordersCash += detail.payments.filter((p: { method: string }) => p.method === 'cash').reduce((s: number, p: { amountFen: number }) => s + p.amountFen, 0);
      for (const r of detail.refunds) ordersCash -= r.payments.filter((p: { method: string }) => p.method === 'cash').reduce((s: number, p: { amountFen: number }) => s + p.amountFen, 0);
    }
    expect(ordersCash).toBeGreaterThan(0);
    expect(shift).toMatchObject({ status: 'open', floatFen: 50000, expectedCashFen: 50000 + 100000 + 36800 + ordersCash });
    expect([net(shift, 'cash'), net(shift, 'bank_card'), net(shift, 'stored_value')]).toEqual([136800 + ordersCash, 200000 + 3600, 8800]);

    const hz = (await get(`/api/shifts?storeId=${stores.get('HZ001')}`)).items;
    expect(hz).toHaveLength(1);
    const report = await get(`/api/shifts/report?storeId=${stores.get('HZ001')}&businessDay=${hz[0].businessDay}`);
    // 刘洋 充300 + 台球卡 300 + 陈静 黑金 299 + 充500, all cash; float 300; 200 taken to the bank.
    expect(report).toMatchObject({ closedCount: 1, openCount: 0, totals: { floatFen: 30000, cashOutFen: 20000, expectedCashFen: 149900, countedCashFen: 149700, differenceFen: -200 } });
    expect(report.shifts[0]).toMatchObject({ status: 'closed', closeNote: '短款 2 元', differenceFen: -200 });
  });

  it('has a morning of orders at SH001: cash with change and a partial refund, a member with a technician, a quick sale, an open ticket', async () => {
    const cashier = await login(t.http, 'cashier', 'Cashier@2026');
    const list = await get('/api/orders', cashier.auth);
    expect(list.total).toBe(3);
    expect(list.items.map((o: { kind: string; status: string; paymentMethods: string[] }) => [o.kind, o.status, o.paymentMethods]).reverse()).toEqual([
      ['sale', 'partially_refunded', ['cash']],
      ['sale', 'completed', ['cash']],
      ['quick', 'completed', ['bank_card']],
    ]);
    const walkIn = await get(`/api/orders/${list.items[2].id}`, cashier.auth);
    expect(walkIn).toMatchObject({ tenderedFen: 5000, refunds: [{ reason: '可乐不要了', amountFen: 400 }] });
    const zhang = await get(`/api/orders/${list.items[1].id}`, cashier.auth);
    expect(zhang.memberName).toBe('张伟');
    expect(zhang.lines[0]).toMatchObject({ name: '洗剪吹', servingStaff: [{ name: '赵技师' }] });
    expect(zhang.pointsEarned).toBeGreaterThan(0);
    const open = await get('/api/tickets', cashier.auth);
    expect(open.items).toEqual([expect.objectContaining({ label: '2号床', status: 'open', lines: [expect.objectContaining({ name: '头发护理' })] })]);
  });

  it('has inventory: suppliers, a received order, one on its way, a transfer in transit, an open low-stock alert', async () => {
    const manager = await login(t.http, 'manager', 'Manager@2026');
    const sh001 = stores.get('SH001')!;
    const suppliers = (await get('/api/inventory/suppliers', manager.auth)).items as { code: string }[];
    expect(suppliers.map((x) => x.code)).toEqual(['SUP001', 'SUP002']);
    const received = (await get(`/api/stores/${sh001}/purchase-orders?status=received`, manager.auth)).items;
    expect(received).toEqual([expect.objectContaining({ supplierName: '上海鲜饮供应链有限公司', receivedFen: 24 * 200 + 20 * 480 })]);
    expect((await get(`/api/stores/${stores.get('HZ001')}/purchase-orders?status=ordered`)).items).toHaveLength(1);
    const road = await get('/api/inventory/in-transit');
    expect(road.items).toEqual([expect.objectContaining({ productName: '大白兔奶糖', quantity: 10, fromStoreId: sh001, toStoreId: stores.get('SH002') })]);
    const open = (await get(`/api/stores/${sh001}/stock-alerts?status=open`, manager.auth)).items;
    expect(open).toEqual([expect.objectContaining({ productName: '氨基酸洗发水', minQuantity: 15, quantity: 12 })]);
    // …and its SMS to 李店长 is in the outbox.
    const told = (await get('/api/notifications/messages?event=stock.low')).items;
    expect(told).toEqual([expect.objectContaining({ event: 'stock.low', storeId: sh001, staffId: expect.any(String) })]);
    expect(open[0].notifiedCount).toBe(1);
    expect((await get(`/api/stores/${sh001}/stock-ios?status=pending`, manager.auth)).items).toEqual([expect.objectContaining({ direction: 'out', reason: 'damage' })]);
    const chain = await get('/api/inventory/valuation');
    expect(chain).toMatchObject({ inTransitQuantity: 10, inTransitValueFen: 10 * 900 });
  });

  it('reconciles: every balance matches its ledger and lots', async () => {
    const res = await get('/api/reconcile');
    expect(res.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
    expect(res.ok).toBe(true);
  });

  it('loads nothing the second time', async () => {
    const before = await counts(t);
    expect(await seedDemo(t.app)).toBe(false);
    expect(await counts(t)).toEqual(before);
    expect((await get('/api/reconcile')).ok).toBe(true);
  });
});
