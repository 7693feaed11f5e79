import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { addDays, ALL_PERMISSIONS, BUILT_IN_ROLES, businessDay, isoWeekday } from '@chaincard/shared';
import { DataSource, type EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { hashPassword } from '../../common/auth/password';
import { requestContext } from '../../common/request-context';
import { CardsService } from '../../modules/cards/cards.service';
import { CatalogService } from '../../modules/catalog/catalog.service';
import { StockService } from '../../modules/catalog/stock.service';
import { CountCardsService } from '../../modules/count-cards/count-cards.service';
import { CouponsService } from '../../modules/coupons/coupons.service';
import { StockAlertService } from '../../modules/inventory/alert.service';
import { PurchaseService } from '../../modules/inventory/purchase.service';
import { StockIoService } from '../../modules/inventory/stock-io.service';
import { SupplierService } from '../../modules/inventory/supplier.service';
import { TransferService } from '../../modules/inventory/transfer.service';
import type { CreateCouponTemplateRequest } from '../../modules/coupons/dto/coupon.dto';
import type { ListMembersQuery } from '../../modules/members/dto/member.dto';
import { PromotionsService } from '../../modules/promotions/promotions.service';
import type { ListBonusRulesQuery } from '../../modules/wallet/dto/wallet.dto';
import { MallService } from '../../modules/mall/mall.service';
import { MembersService } from '../../modules/members/members.service';
import { NotificationsService } from '../../modules/notifications/notifications.service';
import { OrdersService } from '../../modules/orders/orders.service';
import { PricingService } from '../../modules/pricing/pricing.service';
import { TicketsService } from '../../modules/orders/tickets.service';
import { PointsService } from '../../modules/points/points.service';
import { ShiftsService } from '../../modules/shifts/shifts.service';
import { TierEvaluationService } from '../../modules/tiers/tier-evaluation.service';
import { TiersService } from '../../modules/tiers/tiers.service';
import { WalletService } from '../../modules/wallet/wallet.service';
import { AttendanceService } from '../../modules/attendance/attendance.service';
import { BookingsService } from '../../modules/bookings/bookings.service';
import { QueueService } from '../../modules/bookings/queue.service';
import { CommissionService } from '../../modules/commission/commission.service';
import { PayrollService } from '../../modules/payroll/payroll.service';
import { SchedulesService } from '../../modules/schedules/schedules.service';

/** What every database needs: the chain row and the built-in roles (existing ones are left as edited). */
export async function seedBaseline(ds: DataSource | EntityManager, chainName = 'ChainCard 演示连锁'): Promise<void> {
  const m = 'manager' in ds ? ds.manager : ds;
  await m.query(`INSERT INTO chain (name) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM chain)`, [chainName]);
  for (const [code, role] of Object.entries(BUILT_IN_ROLES)) {
    await m.query(
      `INSERT INTO role (code, name, name_en, scope, permissions, built_in) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (code) DO NOTHING`,
      [code, role.name, role.nameEn, role.scope, role.permissions],
    );
  }
  const known: { code: string }[] = await m.query('SELECT code FROM permission_catalog');
  const fresh = ALL_PERMISSIONS.filter((p) => !known.some((k) => k.code === p));
  if (!fresh.length) return;
  // A database made before these permissions existed: give them to the built-in roles that have
  // them by default, once, and remember them so that HQ's later edits are respected.
  for (const [code, role] of Object.entries(BUILT_IN_ROLES)) {
    const grant = fresh.filter((p) => role.permissions.includes(p));
    if (grant.length) {
      await m.query(
        `UPDATE role SET permissions = ARRAY(SELECT DISTINCT unnest(permissions || $2::text[]) ORDER BY 1) WHERE code = $1 AND built_in`,
        [code, grant],
      );
    }
  }
  await m.query(`INSERT INTO permission_catalog (code) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [fresh]);
}

export const DEMO_STORES = [
  { code: 'SH001', name: '上海人民广场店', city: '上海', address: '上海市黄浦区南京东路 100 号', phone: '021-63210001' },
  { code: 'SH002', name: '上海徐家汇店', city: '上海', address: '上海市徐汇区漕溪北路 88 号', phone: '021-64870002' },
  { code: 'HZ001', name: '杭州西湖店', city: '杭州', address: '杭州市上城区湖滨路 28 号', phone: '0571-87060003' },
];

export const DEMO_ACCOUNTS = [
  { username: 'owner', password: 'Owner@2026', name: '陈总 (老板)', role: 'owner', stores: [] as string[] },
  // The manager has a phone: SH001's low-stock alerts reach him by SMS (the log provider prints them).
  { username: 'manager', password: 'Manager@2026', name: '李店长', role: 'store_manager', stores: ['SH001'], phone: '13900000001' },
  { username: 'cashier', password: 'Cashier@2026', name: '王收银', role: 'cashier', stores: ['SH001'] },
  { username: 'tech', password: 'Tech@2026', name: '赵技师', role: 'technician', stores: ['SH001'] },
];

const DAILY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '22:00' }));

/** The demo's members: what the counter did for each of them is in seedDemo's comments. */
export const DEMO_MEMBERS = [
  { name: '张伟', phone: '13800000001', store: 'SH001', cardNo: 'CC20260001', story: '实体卡; 充1000送200 → 银卡; 储值消费 88 元' },
  { name: '李娜', phone: '13800000002', store: 'SH001', cardNo: null, story: '充2000送200元+500积分 → 银卡; 洗剪吹 10 次卡 (已用 1 次); 兑换帆布袋待领取' },
  { name: '王芳', phone: '13800000003', store: 'SH002', cardNo: null, story: '充3000 (按充2000档赠送) → 金卡; 月度无限次护理卡' },
  { name: '刘洋', phone: '13800000004', store: 'HZ001', cardNo: null, story: '西湖店专属 充300送60; 台球计时卡 600 分钟' },
  { name: '陈静', phone: '13800000005', store: 'HZ001', cardNo: null, story: '购买黑金会员 299 元; 充500 (西湖店规则送60)' },
] as const;

const yuan = (n: number) => Math.round(n * 100);

/**
 * Loads the demo chain into a database that has no staff yet. Returns false when staff already
 * exist (the demo is loaded once; a restart keeps whatever was changed since).
 *
 * Beyond stores and accounts, the money core is set up and used through the same services the
 * HTTP API calls (so ledgers, point lots, top-up rows, stock movements and the audit log agree and
 * `GET /api/reconcile` is ok): tiers, top-up bonus rules, points rules, count-card templates,
 * gifts with stock, and five members with real top-ups, a card, count cards and a redemption;
 * then the catalog (a tea shop with a salon corner), a store price at SH002 and opening stock;
 * then coupon templates, coupons in the members' hands and promotions (loadPricingDemo).
 * Everything runs in one transaction: the demo is there completely or not at all.
 */
export async function seedDemo(app: INestApplication): Promise<boolean> {
  // Services register their hooks on init (e.g. points lots follow points postings): needed before any posting.
  await app.init();
  const ds = app.get(DataSource);
  return ds.transaction(async (m) => {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM staff');
    if (n > 0) return false;
    await m.query(`UPDATE chain SET name = '悦茶 ChainCard 演示连锁'`);
    const storeIds = new Map<string, string>();
    for (const s of DEMO_STORES) {
      const [row] = await m.query(
        `INSERT INTO store (code, name, city, address, phone, business_hours) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [s.code, s.name, s.city, s.address, s.phone, JSON.stringify(DAILY)],
      );
      storeIds.set(s.code, row.id);
    }
    const actors = new Map<string, StaffActor>();
    for (const a of DEMO_ACCOUNTS) {
      const [staff] = await m.query(`INSERT INTO staff (username, name, password_hash, phone) VALUES ($1, $2, $3, $4) RETURNING id`, [
        a.username,
        a.name,
        await hashPassword(a.password),
        'phone' in a ? a.phone : null,
      ]);
      await m.query(`INSERT INTO staff_role (staff_id, role_id) SELECT $1, id FROM role WHERE code = $2`, [staff.id, a.role]);
      for (const code of a.stores) await m.query(`INSERT INTO staff_store (staff_id, store_id) VALUES ($1, $2)`, [staff.id, storeIds.get(code)]);
      const role = BUILT_IN_ROLES[a.role as keyof typeof BUILT_IN_ROLES];
      actors.set(a.username, {
        kind: 'staff',
        id: staff.id,
        name: a.name,
        scope: role.scope,
        storeIds: a.stores.map((c) => storeIds.get(c)!),
        permissions: new Set(role.permissions),
        familyId: 'demo-seed',
      });
    }
    await loadNotificationsDemo(app, m, actors.get('owner')!);
    // Commission rules first: the demo's top-ups, count-card sales and card earn their sellers commission.
    await loadCommissionDemo(app, m, actors);
    await loadMoneyDemo(app, m, storeIds, actors);
    await as(m, actors.get('owner')!, async () => {
      const [zhang] = await m.query(`SELECT id FROM member WHERE phone = $1`, [DEMO_MEMBERS[0].phone]);
      await app.get(NotificationsService).updatePreferences(zhang.id, { email: 'zhang.wei@example.com' });
    });
    const catalog = await loadCatalogDemo(app, m, storeIds, actors);
    await loadPricingDemo(app, m, storeIds, actors, catalog);
    await loadOrdersDemo(app, m, storeIds, actors, catalog);
    await loadInventoryDemo(app, m, storeIds, actors, catalog);
    await loadStaffWorkDemo(app, m, storeIds, actors, catalog);
    return true;
  });
}

/**
 * The demo chain's WeChat subscribe-message templates: `npm start` registers them with the local
 * WeChat simulator (title and keywords, as a chain picks them in the mini-program's console), and
 * the demo loads them as notification templates.
 */
export const DEMO_WECHAT_TEMPLATES: { event: string; templateId: string; title: string; page: string; fields: [string, string][] }[] = [
  { event: 'wallet.top_up', templateId: 'demo-wallet-top_up', title: '充值成功通知', page: 'pages/wallet/index', fields: [['amount1', '{{amountYuan}}元'], ['amount2', '{{bonusYuan}}元'], ['amount3', '{{balanceYuan}}元'], ['thing4', '{{storeName}}'], ['time5', '{{time}}']] },
  { event: 'wallet.spend', templateId: 'demo-wallet-spend', title: '储值消费通知', page: 'pages/wallet/index', fields: [['amount1', '{{amountYuan}}元'], ['amount2', '{{balanceYuan}}元'], ['thing3', '{{storeName}}'], ['time4', '{{time}}']] },
  // A number keyword takes no sign: the change goes into the text.
  { event: 'points.changed', templateId: 'demo-points-changed', title: '积分变动提醒', page: 'pages/points/index', fields: [['thing1', '{{reasonText}}{{pointsChange}}分'], ['number2', '{{pointsBalance}}'], ['time3', '{{time}}']] },
  { event: 'booking.confirmed', templateId: 'demo-booking-confirmed', title: '预约成功通知', page: 'pages/bookings/index', fields: [['thing1', '{{serviceName}}'], ['time2', '{{startTime}}'], ['thing3', '{{storeName}}']] },
  { event: 'booking.reminder', templateId: 'demo-booking-reminder', title: '预约提醒', page: 'pages/bookings/index', fields: [['thing1', '{{serviceName}}'], ['time2', '{{startTime}}'], ['thing3', '{{storeName}}']] },
];

/**
 * Notification templates of the demo chain: SMS for every event (the log provider prints them),
 * WeChat subscribe messages for top-ups, spends, points and bookings (the local simulator accepts
 * these template ids), e-mail for top-ups; a birthday gift of 100 points. The demo top-ups below
 * therefore leave their messages in the outbox, and the worker delivers them after start-up.
 */
async function loadNotificationsDemo(app: INestApplication, m: EntityManager, owner: StaffActor): Promise<void> {
  const notifications = app.get(NotificationsService);
  await as(m, owner, async () => {
    const smsFields: Record<string, [string, string][]> = {
      'wallet.top_up': [['amount', '{{amountYuan}}'], ['bonus', '{{bonusYuan}}'], ['balance', '{{balanceYuan}}']],
      'wallet.spend': [['amount', '{{amountYuan}}'], ['balance', '{{balanceYuan}}']],
      'wallet.refund': [['amount', '{{amountYuan}}'], ['balance', '{{balanceYuan}}']],
      'wallet.changed': [['change', '{{changeYuan}}'], ['balance', '{{balanceYuan}}']],
      'points.changed': [['change', '{{pointsChange}}'], ['balance', '{{pointsBalance}}']],
      'member.birthday': [['name', '{{memberName}}']],
      'membership.expiring': [['date', '{{expiryDate}}']],
      'points.expiring': [['points', '{{points}}'], ['date', '{{expiryDate}}']],
      'coupon.expiring': [['coupon', '{{couponName}}'], ['date', '{{expiryDate}}']],
      'booking.confirmed': [['service', '{{serviceName}}'], ['time', '{{startTime}}']],
      'booking.reminder': [['service', '{{serviceName}}'], ['time', '{{startTime}}']],
      'stock.low': [['product', '{{productName}}'], ['quantity', '{{quantity}}']],
    };
    let n = 0;
    for (const [event, fields] of Object.entries(smsFields)) {
      n++;
      await notifications.putTemplate({ event, channel: 'sms', enabled: true, externalId: `SMS_DEMO_${String(n).padStart(3, '0')}`, fields: fields.map(([name, value]) => ({ name, value })) });
    }
    for (const t of DEMO_WECHAT_TEMPLATES) {
      await notifications.putTemplate({ event: t.event, channel: 'wechat', enabled: true, externalId: t.templateId, page: t.page, fields: t.fields.map(([name, value]) => ({ name, value })) });
    }
    await notifications.putTemplate({ event: 'wallet.top_up', channel: 'email', enabled: true });
    await notifications.updateSettings({ birthdayBenefit: 'points', birthdayPoints: 100 });
  });
}

/** Runs fn as `actor` (null: the system, as a job) inside the seed's transaction, which every use case joins. */
function as<T>(m: EntityManager, actor: StaffActor | null, fn: () => Promise<T>): Promise<T> {
  return requestContext.run({ requestId: 'demo-seed', ip: '', actor: actor ?? undefined, manager: m }, fn);
}

async function loadMoneyDemo(app: INestApplication, m: EntityManager, storeIds: Map<string, string>, actors: Map<string, StaffActor>): Promise<void> {
  const tiers = app.get(TiersService);
  const evaluation = app.get(TierEvaluationService);
  const wallet = app.get(WalletService);
  const points = app.get(PointsService);
  const countCards = app.get(CountCardsService);
  const mall = app.get(MallService);
  const members = app.get(MembersService);
  const cards = app.get(CardsService);
  const shifts = app.get(ShiftsService);
  const store = (code: string) => storeIds.get(code)!;
  const owner = actors.get('owner')!;
  const cashier = actors.get('cashier')!;
  const tech = actors.get('tech')!;
  // SH001 has its own cashier; HQ (the owner) serves the other two demo stores' counters.
  const counter = (code: string) => (code === 'SH001' ? cashier : owner);

  // ── HQ set-up, as the owner would do it in the back office ──────────────────
  const tierIds = await as(m, owner, async () => {
    const regular = await tiers.create({ name: '普通会员', nameEn: 'Regular', level: 1, isInitial: true, benefits: ['消费 1 元积 1 分', '生日当天双倍积分'] });
    const silver = await tiers.create({
      name: '银卡会员',
      nameEn: 'Silver',
      level: 2,
      discountBps: 9500,
      pointsMultiplierBps: 12000,
      benefits: ['全场 95 折', '1.2 倍积分'],
      upgrade: { metric: 'top_up', threshold: yuan(1000), windowDays: 365 },
    });
    const gold = await tiers.create({
      name: '金卡会员',
      nameEn: 'Gold',
      level: 3,
      discountBps: 9000,
      pointsMultiplierBps: 15000,
      benefits: ['全场 9 折', '1.5 倍积分'],
      upgrade: { metric: 'top_up', threshold: yuan(3000), windowDays: 365 },
    });
    const black = await tiers.create({
      name: '黑金会员',
      nameEn: 'Black Gold',
      level: 4,
      discountBps: 8500,
      pointsMultiplierBps: 20000,
      benefits: ['全场 85 折', '2 倍积分', '付费会员 299 元/年'],
      priceFen: yuan(299),
      validityDays: 365,
    });
    return { regular: regular.id, silver: silver.id, gold: gold.id, black: black.id };
  });

  await as(m, owner, async () => {
    for (const [name, threshold, bonus, bonusPoints] of [
      ['充100送10', 100, 10, 0],
      ['充500送80', 500, 80, 0],
      ['充1000送200', 1000, 200, 0],
      ['充2000送200元+500积分', 2000, 200, 500],
    ] as const) {
      await wallet.createRule({ name, thresholdFen: yuan(threshold), bonusFen: yuan(bonus), bonusPoints });
    }
    // A store override replaces HQ's ladder at that store entirely.
    await wallet.createRule({ name: '西湖店专享 充300送60', storeId: store('HZ001'), thresholdFen: yuan(300), bonusFen: yuan(60) });

    await points.updateSettings({
      earnPoints: 1,
      earnPerFen: 100,
      birthdayMultiplierBps: 20000,
      expiryPolicy: 'end_of_next_year',
      exchangeEnabled: true,
      exchangePoints: 100,
      exchangeFen: 100,
    });
  });

  const templates = await as(m, owner, async () => ({
    washCut: await countCards.createTemplate({
      name: '洗剪吹 10 次卡',
      kind: 'count',
      serviceCodes: ['wash_cut'],
      uses: 10,
      priceFen: yuan(368),
      validityDays: 365,
      description: '洗剪吹 10 次，一年内有效，全部门店通用',
    }),
    care: await countCards.createTemplate({
      name: '月度无限次护理卡',
      kind: 'period',
      serviceCodes: ['hair_care'],
      periodDays: 30,
      dailyLimit: 1,
      priceFen: yuan(599),
      description: '30 天内护理不限次数，每天 1 次',
    }),
    billiards: await countCards.createTemplate({
      name: '台球计时卡 600 分钟',
      kind: 'time',
      serviceCodes: ['billiards'],
      minutes: 600,
      priceFen: yuan(300),
      description: '600 分钟台球计时，按分钟扣减',
    }),
  }));

  const gifts = await as(m, owner, async () => {
    const cup = await mall.createGift({ name: '保温杯', description: '304 不锈钢保温杯 500ml', category: '生活用品', pointsPrice: 800, sortOrder: 1 });
    const bag = await mall.createGift({ name: '帆布袋', description: '品牌帆布购物袋', category: '生活用品', pointsPrice: 300, sortOrder: 2 });
    const movie = await mall.createGift({ name: '电影票', description: '通兑 2D 电影票一张', category: '票券', pointsPrice: 1200, cashFen: yuan(9.9), sortOrder: 3 });
    for (const s of DEMO_STORES) {
      for (const [gift, quantity] of [[cup, 20], [bag, 50], [movie, 10]] as const) {
        await mall.setStock(owner, store(s.code), gift.id, { quantity, note: '开业备货' });
      }
    }
    return { cup: cup.id, bag: bag.id, movie: movie.id };
  });

  // ── The counters: members, cards, top-ups and sales ──────────────────────────
  // Money is taken only in an open shift (开班, 备用金 500 元 at SH001, 300 元 elsewhere).
  const shiftIds = new Map<string, string>();
  for (const s of DEMO_STORES) {
    const actor = counter(s.code);
    const shift = await as(m, actor, () => shifts.open(actor, { storeId: store(s.code), floatFen: yuan(s.code === 'SH001' ? 500 : 300), note: '演示开班' }));
    shiftIds.set(s.code, shift.id);
  }
  const ids = new Map<string, string>();
  for (const d of DEMO_MEMBERS) {
    const actor = counter(d.store);
    const member = await as(m, actor, () => members.create(actor, { name: d.name, phone: d.phone, homeStoreId: store(d.store), remark: '演示会员' }));
    ids.set(d.phone, member.id);
    if (d.cardNo) await as(m, actor, () => cards.issue(actor, member.id, { storeId: store(d.store), cardNo: d.cardNo! }));
  }
  const topUp = (phone: string, code: string, amountYuan: number, paymentMethod: 'cash' | 'bank_card') =>
    as(m, counter(code), () => wallet.counterTopUp(counter(code), ids.get(phone)!, { storeId: store(code), amountFen: yuan(amountYuan), paymentMethod, memo: '演示充值' }));

  // 张伟 (SH001): 充1000送200, then a quick spend of stored value.
  await topUp('13800000001', 'SH001', 1000, 'cash');
  await as(m, cashier, () => wallet.quickSpend(cashier, ids.get('13800000001')!, { storeId: store('SH001'), amountFen: yuan(88), memo: '洗剪吹' }));

  // 李娜 (SH001): 充2000送200元+500积分, a 10-use card used once, a canvas bag for her points (pickup pending).
  const lina = ids.get('13800000002')!;
  await topUp('13800000002', 'SH001', 2000, 'bank_card');
  const washCard = await as(m, cashier, () => countCards.sell(cashier, lina, { templateId: templates.washCut.id, storeId: store('SH001'), paymentMethod: 'cash' }));
  await as(m, tech, () => countCards.redeem(tech, washCard.id, { storeId: store('SH001'), serviceCode: 'wash_cut', quantity: 1, staffId: tech.id }));
  await as(m, cashier, () => mall.redeemAtCounter(cashier, lina, { giftId: gifts.bag, storeId: store('SH001') }));

  // 王芳 (SH002): 充3000 gets the 2000 rung (200 元 + 500 积分); a monthly care card.
  const wangfang = ids.get('13800000003')!;
  await topUp('13800000003', 'SH002', 3000, 'bank_card');
  await as(m, owner, () => countCards.sell(owner, wangfang, { templateId: templates.care.id, storeId: store('SH002'), paymentMethod: 'bank_card' }));

  // 刘洋 (HZ001): the store's own 充300送60; a billiards time card.
  const liuyang = ids.get('13800000004')!;
  await topUp('13800000004', 'HZ001', 300, 'cash');
  await as(m, owner, () => countCards.sell(owner, liuyang, { templateId: templates.billiards.id, storeId: store('HZ001'), paymentMethod: 'cash' }));

  // 陈静 (HZ001): buys 黑金 (cash), then tops up 500 (HZ001's rule: 送60).
  const chenjing = ids.get('13800000005')!;
  await as(m, owner, () => tiers.purchase(owner, chenjing, { tierId: tierIds.black, storeId: store('HZ001'), paymentMethod: 'cash' }));
  await topUp('13800000005', 'HZ001', 500, 'cash');

  // HZ001's counter hands over at the end of the day: 200 元 taken to the bank, the drawer 2 元 short (短款).
  await as(m, owner, async () => {
    const hz = shiftIds.get('HZ001')!;
    await shifts.moveCash(owner, hz, { kind: 'cash_out', amountFen: yuan(200), reason: '存银行' });
    const { expectedCashFen } = await shifts.get(owner, hz);
    await shifts.close(owner, hz, { countedCashFen: expectedCashFen - yuan(2), note: '短款 2 元' });
  });

  // What the daily tier job would do tonight: upgrades by the top-ups (银卡 ≥ 1000 元, 金卡 ≥ 3000 元).
  await as(m, null, async () => {
    for (const id of ids.values()) await evaluation.evaluate(m, id);
  });
}

/** The demo catalog: what a tea shop with a salon corner sells, by category (codes match the count cards' services). */
export const DEMO_CATALOG = [
  { category: '奶茶', name: '珍珠奶茶', kind: 'goods', skus: [{ specName: '中杯', unit: '杯', price: 15, member: 13, cost: 4, stock: false }, { specName: '大杯', unit: '杯', price: 18, member: 16, cost: 5, stock: false }] },
  { category: '奶茶', name: '阿萨姆奶茶', kind: 'goods', skus: [{ specName: '中杯', unit: '杯', price: 12, member: 10, cost: 3, stock: false }] },
  { category: '果茶', name: '杨枝甘露', kind: 'goods', skus: [{ specName: null, unit: '杯', price: 22, member: 20, cost: 7, stock: false }] },
  { category: '果茶', name: '满杯红柚', kind: 'goods', skus: [{ specName: null, unit: '杯', price: 19, member: 17, cost: 6, stock: false }] },
  { category: '瓶装饮料', name: '农夫山泉 550ml', kind: 'goods', skus: [{ specName: null, unit: '瓶', price: 3, member: null, cost: 1.5, barcode: '6921168509256' }] },
  { category: '瓶装饮料', name: '可口可乐 330ml', kind: 'goods', skus: [{ specName: null, unit: '罐', price: 4, member: null, cost: 2.2, barcode: '6928804011173' }] },
  { category: '零食', name: '大白兔奶糖', kind: 'goods', skus: [{ specName: '114g', unit: '袋', price: 15.9, member: 13.9, cost: 9, barcode: '6901180912388' }] },
  { category: '零食', name: '乐事薯片 原味', kind: 'goods', skus: [{ specName: '70g', unit: '袋', price: 8.5, member: null, cost: 5, barcode: '6924743915763' }] },
  { category: '美发', name: '洗剪吹', kind: 'service', code: 'wash_cut', minutes: 45, skus: [{ specName: null, unit: '次', price: 88, member: 68, cost: 20 }] },
  { category: '美发', name: '头发护理', kind: 'service', code: 'hair_care', minutes: 60, skus: [{ specName: null, unit: '次', price: 128, member: 98, cost: 30 }] },
  { category: '美发', name: '氨基酸洗发水', kind: 'goods', skus: [{ specName: '500ml', unit: '瓶', price: 128, member: 98, cost: 60, barcode: '6940000000010' }] },
  { category: '养生', name: '精油按摩', kind: 'service', code: 'massage', minutes: 60, skus: [{ specName: null, unit: '次', price: 198, member: 168, cost: 50 }] },
  { category: '休闲', name: '台球', kind: 'service', code: 'billiards', minutes: 60, skus: [{ specName: null, unit: '小时', price: 30, member: 25, cost: 0 }] },
] as const;

/** Opening stock at every store, by product name (goods that keep stock). */
const DEMO_OPENING_STOCK: Record<string, number> = { '农夫山泉 550ml': 48, '可口可乐 330ml': 48, 大白兔奶糖: 30, '乐事薯片 原味': 30, 氨基酸洗发水: 12 };

/**
 * HQ builds the catalog, 徐家汇店 (SH002) charges more for two drinks (a store price), and every
 * store books in its opening stock (SH001 by its own manager) through the stock ledger.
 */
async function loadCatalogDemo(app: INestApplication, m: EntityManager, storeIds: Map<string, string>, actors: Map<string, StaffActor>): Promise<DemoCatalog> {
  const catalog = app.get(CatalogService);
  const stock = app.get(StockService);
  const owner = actors.get('owner')!;
  const manager = actors.get('manager')!;
  const categories = new Map<string, string>();
  const skus = await as(m, owner, async () => {
    const drinks = await catalog.createCategory({ name: '饮品', sortOrder: 1 });
    categories.set('饮品', drinks.id);
    for (const [name, parentId, sortOrder] of [
      ['奶茶', drinks.id, 1],
      ['果茶', drinks.id, 2],
      ['瓶装饮料', drinks.id, 3],
      ['零食', null, 2],
      ['美发', null, 3],
      ['养生', null, 4],
      ['休闲', null, 5],
    ] as const) {
      categories.set(name, (await catalog.createCategory({ name, parentId, sortOrder })).id);
    }
    const out = new Map<string, string[]>();
    for (const [i, p] of DEMO_CATALOG.entries()) {
      const product = await catalog.createProduct({
        name: p.name,
        kind: p.kind,
        categoryId: categories.get(p.category)!,
        code: 'code' in p ? p.code : null,
        durationMinutes: 'minutes' in p ? p.minutes : undefined,
        sortOrder: i,
        skus: p.skus.map((s) => ({
          specName: s.specName,
          unit: s.unit,
          priceFen: yuan(s.price),
          memberPriceFen: s.member === null ? null : yuan(s.member),
          costFen: yuan(s.cost),
          barcode: 'barcode' in s ? s.barcode : null,
          trackStock: 'stock' in s ? s.stock : undefined,
        })),
      });
      out.set(p.name, product.skus.map((s) => s.id));
    }
    await catalog.setStorePrice(owner, storeIds.get('SH002')!, out.get('珍珠奶茶')![1], { priceFen: yuan(20), memberPriceFen: yuan(18) });
    await catalog.setStorePrice(owner, storeIds.get('SH002')!, out.get('杨枝甘露')![0], { priceFen: yuan(25), memberPriceFen: yuan(23) });
    return out;
  });
  for (const s of DEMO_STORES) {
    const actor = s.code === 'SH001' ? manager : owner;
    await as(m, actor, async () => {
      for (const [name, quantity] of Object.entries(DEMO_OPENING_STOCK)) {
        await stock.adjust(storeIds.get(s.code)!, skus.get(name)![0], { type: 'opening', delta: quantity, reason: '开业期初库存' });
      }
    });
  }
  return { skus, categories };
}

/** Sku ids by product name (in DEMO_CATALOG's order of skus) and category ids by name. */
interface DemoCatalog {
  skus: Map<string, string[]>;
  categories: Map<string, string>;
}

/** The demo coupon templates, by key, as HQ creates them. */
const DEMO_COUPONS = {
  join: { name: '新会员礼 无门槛5元', kind: 'amount_off', amountOffFen: yuan(5), validityKind: 'relative', validDays: 30, autoIssue: ['join'], description: '注册即送，30 天内有效' },
  over50: { name: '满50减10', kind: 'threshold', thresholdFen: yuan(50), amountOffFen: yuan(10), validityKind: 'relative', validDays: 30, perMemberLimit: 3 },
  drinks80: { name: '饮品8折券', kind: 'percent_off', discountBps: 8000, maxDiscountFen: yuan(10), validityKind: 'relative', validDays: 14, stackWithMemberPrice: false, description: '饮品8折，最多减10元，会员价商品不可用' },
  birthday: { name: '生日礼 免费杨枝甘露', kind: 'free_item', validityKind: 'relative', validDays: 7, autoIssue: ['birthday'], description: '生日当天起 7 天内到店领取' },
  water: { name: '1分钱换购 农夫山泉', kind: 'exchange', exchangePriceFen: 1, validityKind: 'relative', validDays: 30, totalQuantity: 500 },
  topUp: { name: '充值礼 满100减20', kind: 'threshold', thresholdFen: yuan(100), amountOffFen: yuan(20), validityKind: 'relative', validDays: 60 },
} as const;

/**
 * Coupons and promotions (SPEC 8): HQ's coupon templates (a join gift that new registrations get,
 * a birthday gift the daily job hands out, a top-up gift on the 充1000 rung), coupons issued to
 * the demo members at their counters, and promotions — a stepped 满减 everywhere, a Wednesday
 * member day on drinks, a flash sale on 珍珠奶茶 (中杯) with its own stock, and 西湖店's own 满折.
 */
async function loadPricingDemo(app: INestApplication, m: EntityManager, storeIds: Map<string, string>, actors: Map<string, StaffActor>, catalog: DemoCatalog): Promise<void> {
  const coupons = app.get(CouponsService);
  const promotions = app.get(PromotionsService);
  const wallet = app.get(WalletService);
  const members = app.get(MembersService);
  const owner = actors.get('owner')!;
  const manager = actors.get('manager')!;
  const store = (code: string) => storeIds.get(code)!;
  const sku = (name: string, i = 0) => catalog.skus.get(name)![i];

  const templates = await as(m, owner, async () => {
    const out: Record<string, string> = {};
    for (const [key, t] of Object.entries(DEMO_COUPONS)) {
      const skuId = key === 'birthday' ? sku('杨枝甘露') : key === 'water' ? sku('农夫山泉 550ml') : undefined;
      const scope = key === 'drinks80' ? { includeCategoryIds: [catalog.categories.get('饮品')!] } : undefined;
      out[key] = (await coupons.createTemplate({ ...(t as unknown as CreateCouponTemplateRequest), skuId, scope })).id;
    }
    // Top-ups of 1000 and more also give 满100减20 (充值送券).
    const rules = await wallet.listRules(owner, { page: 1, pageSize: 100 } as ListBonusRulesQuery);
    const rung = rules.items.find((r) => r.storeId === null && r.thresholdFen === yuan(1000))!;
    await wallet.updateRule(rung.id, { bonusCouponTemplateId: out.topUp });
    return out;
  });

  // Coupons handed out at the counters (the store manager at SH001, HQ elsewhere).
  const memberId = async (phone: string) => (await as(m, owner, () => members.list({ phone, page: 1, pageSize: 1 } as ListMembersQuery))).items[0].id;
  for (const [phone, code, keys] of [
    ['13800000001', 'SH001', ['over50', 'drinks80']],
    ['13800000002', 'SH001', ['water', 'over50']],
    ['13800000003', 'SH002', ['over50']],
    ['13800000005', 'HZ001', ['drinks80']],
  ] as const) {
    const actor = code === 'SH001' ? manager : owner;
    const id = await memberId(phone);
    for (const key of keys) await as(m, actor, () => coupons.issueToMember(actor, id, { templateId: templates[key], storeId: store(code) }));
  }

  await as(m, owner, async () => {
    const now = Date.now();
    await promotions.create({
      name: '满100减15 满200减40',
      kind: 'full_reduction',
      reductionMode: 'amount',
      steps: [
        { thresholdFen: yuan(100), amountOffFen: yuan(15) },
        { thresholdFen: yuan(200), amountOffFen: yuan(40) },
      ],
      priority: 10,
      description: '全场满减，可与优惠券同享',
    });
    await promotions.create({
      name: '周三会员日 饮品88折',
      kind: 'member_day',
      discountBps: 8800,
      weekdays: [3],
      scope: { includeCategoryIds: [catalog.categories.get('饮品')!] },
      description: '每周三会员饮品 8.8 折（与会员价取低者）',
    });
    await promotions.create({
      name: '限时抢购 珍珠奶茶(中杯) 9.9元',
      kind: 'flash_sale',
      flashSkuId: sku('珍珠奶茶'),
      flashPriceFen: 990,
      flashStock: 100,
      flashPerMemberLimit: 1,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 30 * 86_400_000).toISOString(),
      description: '每位会员限购 1 杯，共 100 杯',
    });
    await promotions.create({
      name: '西湖店专享 满80享9折',
      kind: 'full_reduction',
      reductionMode: 'rate',
      steps: [{ thresholdFen: yuan(80), discountBps: 9000 }],
      storeIds: [store('HZ001')],
      exclusive: true,
      priority: 20,
    });
  });
}

/** The demo suppliers (供应商), by key. */
export const DEMO_SUPPLIERS = {
  drinks: { code: 'SUP001', name: '上海鲜饮供应链有限公司', contactName: '周经理', phone: '021-55550001', leadTimeDays: 2 },
  care: { code: 'SUP002', name: '杭州日化用品贸易有限公司', contactName: '钱经理', phone: '0571-55550002', leadTimeDays: 5 },
} as const;

/**
 * Inventory (SPEC 10), through the services as HQ and the SH001 manager would use them: two
 * suppliers; a purchase order received in full at SH001 (cola and chips, at costs that move the
 * store's average); an order of shampoo placed for HZ001 and not yet arrived; 徐家汇店 (SH002)
 * asking SH001 for 10 bags of 大白兔, approved and shipped — in transit; SH001's alert lines, the
 * shampoo's below its line (an open low-stock alert, whose SMS to 李店长 waits in the outbox); a
 * damage report waiting for HQ's approval.
 */
async function loadInventoryDemo(app: INestApplication, m: EntityManager, storeIds: Map<string, string>, actors: Map<string, StaffActor>, catalog: DemoCatalog): Promise<void> {
  const suppliers = app.get(SupplierService);
  const purchases = app.get(PurchaseService);
  const transfers = app.get(TransferService);
  const alerts = app.get(StockAlertService);
  const ios = app.get(StockIoService);
  const owner = actors.get('owner')!;
  const manager = actors.get('manager')!;
  const store = (code: string) => storeIds.get(code)!;
  const sku = (name: string) => catalog.skus.get(name)![0];

  const [drinks, care] = await as(m, owner, async () => [await suppliers.create(DEMO_SUPPLIERS.drinks), await suppliers.create(DEMO_SUPPLIERS.care)]);

  await as(m, manager, async () => {
    const po = await purchases.create(manager, store('SH001'), {
      supplierId: drinks.id,
      note: '周末饮料零食补货',
      lines: [
        { skuId: sku('可口可乐 330ml'), quantity: 24, unitCostFen: yuan(2) },
        { skuId: sku('乐事薯片 原味'), quantity: 20, unitCostFen: yuan(4.8) },
      ],
    });
    await purchases.submit(po.id);
    await purchases.receive(manager, po.id, { lines: [{ skuId: sku('可口可乐 330ml'), quantity: 24 }, { skuId: sku('乐事薯片 原味'), quantity: 20 }], note: '供应商送货到店' });
    for (const [name, minQuantity] of [['氨基酸洗发水', 15], ['农夫山泉 550ml', 12], ['大白兔奶糖', 10]] as const) {
      await alerts.setLine(manager, store('SH001'), sku(name), { minQuantity });
    }
    await ios.create(manager, store('SH001'), { direction: 'out', reason: 'damage', note: '搬运时摔坏', lines: [{ skuId: sku('可口可乐 330ml'), quantity: 2 }] });
  });

  const hz = await as(m, owner, () =>
    purchases.create(owner, store('HZ001'), { supplierId: care.id, expectedDate: null, note: '洗发水补货', lines: [{ skuId: sku('氨基酸洗发水'), quantity: 12, unitCostFen: yuan(58) }] }),
  );
  await as(m, owner, () => purchases.submit(hz.id));

  const transfer = await as(m, owner, () =>
    transfers.request(owner, store('SH002'), { fromStoreId: store('SH001'), note: '徐家汇店奶糖缺货', lines: [{ skuId: sku('大白兔奶糖'), quantity: 10 }] }),
  );
  await as(m, manager, async () => {
    await transfers.approve(manager, transfer.id, {});
    await transfers.ship(manager, transfer.id, { note: '门店自送' });
  });
}

/**
 * Commission (SPEC 12), as HQ sets it up: two technician levels (赵技师 is 高级), a commission on
 * services, goods, count cards sold, top-ups from 500 元 and cards issued; base salaries.
 */
async function loadCommissionDemo(app: INestApplication, m: EntityManager, actors: Map<string, StaffActor>): Promise<void> {
  const commission = app.get(CommissionService);
  const payroll = app.get(PayrollService);
  const owner = actors.get('owner')!;
  await as(m, owner, async () => {
    await commission.createLevel({ name: '初级技师', rank: 1 });
    const senior = await commission.createLevel({ name: '高级技师', rank: 2 });
    await commission.setLevel(actors.get('tech')!.id, { levelId: senior.id });
    await commission.createRule({ name: '服务提成 10%', source: 'service', mode: 'percent', rateBps: 1000 });
    await commission.createRule({ name: '商品提成 5%', source: 'product', mode: 'percent', rateBps: 500 });
    await commission.createRule({ name: '售卡提成 8%', source: 'count_card', mode: 'percent', rateBps: 800 });
    await commission.createRule({ name: '充值提成 2%（500 元起）', source: 'top_up', mode: 'percent', rateBps: 200, minBaseFen: yuan(500) });
    await commission.createRule({ name: '办卡提成 10 元', source: 'card_issue', mode: 'fixed', amountFen: yuan(10) });
    for (const [username, base] of [['manager', 6000], ['cashier', 4500], ['tech', 5000]] as const) {
      await payroll.setProfile(owner, actors.get(username)!.id, { baseSalaryFen: yuan(base) });
    }
  });
}

/**
 * Schedules, bookings, the queue and attendance at SH001 (SPEC 11, 12): 赵技师 works 10:00–19:00
 * except Tuesdays and performs the salon services (a senior's 洗剪吹 pays a fixed 15 元), with an
 * afternoon of leave next week; the cashier works 09:00–18:00 on weekdays. 张伟 is booked by phone
 * for tomorrow's first working day, 李娜 books in the app (a 20 元 deposit from stored value); two
 * walk-ins wait today, one called; the cashier's last three working days are on the clock (one late).
 */
async function loadStaffWorkDemo(app: INestApplication, m: EntityManager, storeIds: Map<string, string>, actors: Map<string, StaffActor>, catalog: DemoCatalog): Promise<void> {
  const schedules = app.get(SchedulesService);
  const bookings = app.get(BookingsService);
  const queue = app.get(QueueService);
  const attendance = app.get(AttendanceService);
  const commission = app.get(CommissionService);
  const catalogService = app.get(CatalogService);
  const members = app.get(MembersService);
  const owner = actors.get('owner')!;
  const manager = actors.get('manager')!;
  const cashier = actors.get('cashier')!;
  const tech = actors.get('tech')!;
  const sh001 = storeIds.get('SH001')!;
  const sku = (name: string) => catalog.skus.get(name)![0];
  const productOf = async (name: string) => (await catalogService.itemsForPricing(m, sh001, [sku(name)]))[0].productId;
  const week = (days: number[], start: string, end: string) => days.map((weekday) => ({ weekday, start, end }));
  const today = businessDay(new Date(), 'Asia/Shanghai');
  const techDays = [1, 3, 4, 5, 6, 7];
  const workday = (from: number, days: number[]) => {
    for (let i = from; ; i++) if (days.includes(isoWeekday(addDays(today, i)))) return addDays(today, i);
  };

  await as(m, owner, async () => {
    await commission.createRule({ name: '洗剪吹 高级技师 15 元', source: 'service', targetId: await productOf('洗剪吹'), levelId: (await commission.levelOf(tech.id)).level!.id, mode: 'fixed', amountFen: yuan(15) });
    await bookings.updateSettings({ depositFen: yuan(20) });
  });
  await as(m, manager, async () => {
    await schedules.setWeekly(sh001, tech.id, { intervals: week(techDays, '10:00', '19:00') });
    await schedules.setWeekly(sh001, cashier.id, { intervals: week([1, 2, 3, 4, 5], '09:00', '18:00') });
    await schedules.addException(manager, sh001, tech.id, { day: workday(3, techDays), kind: 'leave', start: '16:00', end: '18:00', reason: '事假' });
    await bookings.setStaffServices(tech.id, { productIds: [await productOf('洗剪吹'), await productOf('头发护理'), await productOf('精油按摩')] });
  });

  const memberId = async (phone: string) => (await as(m, owner, () => members.list({ phone, page: 1, pageSize: 1 } as ListMembersQuery))).items[0];
  const zhangwei = await memberId('13800000001');
  const lina = await memberId('13800000002');
  const first = workday(1, techDays);
  await as(m, cashier, () => bookings.createByStaff(cashier, { storeId: sh001, memberId: zhangwei.id, skuId: sku('洗剪吹'), staffId: tech.id, startsAt: `${first}T10:00:00+08:00`, note: '电话预约' }));
  const member = { kind: 'member' as const, id: lina.id, name: lina.name, familyId: 'demo-seed' };
  await requestContext.run({ requestId: 'demo-seed', ip: '', actor: member, manager: m }, () =>
    bookings.createByMember(member, { storeId: sh001, skuId: sku('头发护理'), startsAt: `${workday(2, techDays)}T14:00:00+08:00`, note: '想做个护理' }),
  );

  await as(m, cashier, async () => {
    await queue.take(sh001, { customerName: '王先生', partySize: 2 });
    await queue.take(sh001, { customerName: '刘女士' });
    await queue.callNext(cashier, sh001, tech.id);
  });

  // The cashier's three working days before today, entered by the manager (补卡): the middle one 12 minutes late.
  const past: string[] = [];
  for (let i = 1; past.length < 3; i++) if (isoWeekday(addDays(today, -i)) <= 5) past.push(addDays(today, -i));
  for (const [i, day] of past.entries()) {
    const start = i === 1 ? '09:12' : '08:55';
    await as(m, manager, () => attendance.correct(manager, { staffId: cashier.id, storeId: sh001, clockInAt: `${day}T${start}:00+08:00`, clockOutAt: `${day}T18:05:00+08:00`, reason: '演示数据' }));
  }
}

/**
 * A morning at SH001's counter, through the checkout the cashier app calls (quote, then pay the
 * amount due): a walk-in pays cash with change and later returns the cola; 张伟 has a wash-cut by
 * the technician and crisps, in cash (points earned); a quick sale by bank card; and a ticket
 * opened for a hair-care customer still in the chair.
 */
async function loadOrdersDemo(app: INestApplication, m: EntityManager, storeIds: Map<string, string>, actors: Map<string, StaffActor>, catalog: DemoCatalog): Promise<void> {
  const orders = app.get(OrdersService);
  const tickets = app.get(TicketsService);
  const pricing = app.get(PricingService);
  const members = app.get(MembersService);
  const cashier = actors.get('cashier')!;
  const tech = actors.get('tech')!;
  const storeId = storeIds.get('SH001')!;
  const sku = (name: string, i = 0) => catalog.skus.get(name)![i];
  await as(m, cashier, async () => {
    const due = async (memberId: string | null, lines: { skuId: string; quantity: number; servingStaffIds?: string[] }[]) =>
      (await pricing.quote(m, { storeId, memberId, lines, couponIds: [], pointsToUse: 0 }, cashier)).dueFen;
    const walkIn = [
      { skuId: sku('珍珠奶茶'), quantity: 2 },
      { skuId: sku('可口可乐 330ml'), quantity: 1 },
    ];
    const first = await orders.create(cashier, { storeId, lines: walkIn, payments: [{ method: 'cash', amountFen: await due(null, walkIn), tenderedFen: yuan(50) }] });
    const zhang = (await members.list({ phone: DEMO_MEMBERS[0].phone, page: 1, pageSize: 1 })).items[0];
    const visit = [
      { skuId: sku('洗剪吹'), quantity: 1, servingStaffIds: [tech.id] },
      { skuId: sku('乐事薯片 原味'), quantity: 1 },
    ];
    await orders.create(cashier, { storeId, memberId: zhang.id, lines: visit, payments: [{ method: 'cash', amountFen: await due(zhang.id, visit) }], memo: '演示订单' });
    await orders.quick(cashier, { storeId, amountFen: yuan(36), payments: [{ method: 'bank_card', amountFen: yuan(36), reference: 'POS-000123' }] });
    await orders.refund(cashier, first.id, { reason: '可乐不要了', lines: [{ lineId: first.lines[1].id, quantity: 1 }] });
    await tickets.open(cashier, { storeId, label: '2号床', lines: [{ skuId: sku('头发护理'), quantity: 1, servingStaffIds: [tech.id] }] });
  });
}

/**
 * Without demo data, the first start of an empty database creates one HQ owner with a random
 * password, printed once: the only way in until more accounts are made.
 */
export async function seedFirstOwner(ds: DataSource): Promise<{ username: string; password: string } | null> {
  return ds.transaction(async (m) => {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM staff');
    if (n > 0) return null;
    const password = `Cc${randomBytes(9).toString('base64url')}9`;
    const [staff] = await m.query(`INSERT INTO staff (username, name, password_hash) VALUES ('owner', '总部管理员', $1) RETURNING id`, [
      await hashPassword(password),
    ]);
    await m.query(`INSERT INTO staff_role (staff_id, role_id) SELECT $1, id FROM role WHERE code = 'owner'`, [staff.id]);
    return { username: 'owner', password };
  });
}
