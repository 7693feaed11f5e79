import { AccessRepository } from '../../../src/common/access/access.repository';
import { randomUUID } from 'node:crypto';
import { makeCountCardTemplate, makeMember, makeStaff, openShift, roleId, signedIn, type Session, type StaffRow } from '../../factories';
import { giveStock, makeCategory, makeSku } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';
import { APPID, MCHID, simulatorEnv } from '../../support/wechat-world';

/**
 * Walks every route of the OpenAPI document, as every store-level role of store A, against
 * store B's resources. Routes added later are walked too: a route parameter without a fixture
 * below fails the test until one is added (and AccessRepository must know it, or the guard fails).
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

describe('store scoping across every route', () => {
  let t: TestApp;
  let storeA: { id: string };
  let storeB: { id: string };
  let staffB: StaffRow;
  let actors: Record<string, StaffRow & Session>;
  let foreign: Record<string, string>;
  let own: Record<string, string>;
  let bSecrets: string[];
  let closeSim: () => Promise<void>;

  beforeAll(async () => {
    // WeChat configured against a simulator, so that its routes answer as in production.
    const wechat = await simulatorEnv();
    closeSim = () => wechat.sim.close();
    t = await createTestApp(wechat.env);
    const { makeStore } = await import('../../factories');
    storeA = await makeStore(t.ds, { code: 'A001' });
    storeB = await makeStore(t.ds, { code: 'B001' });
    staffB = await makeStaff(t.ds, { role: 'cashier', storeIds: [storeB.id], name: '乙店员工' });
    const owner = await signedIn(t.ds, t.http, 'owner');
    // Store B gets history of its own, so that a leaking list would show it.
    await t.http.patch(`/api/stores/${storeB.id}`).set(owner.auth).send({ phone: '0571-1111' }).expect(200);
    await t.http.post(`/api/staff/${staffB.id}/reset-password`).set(owner.auth).send({ password: 'Another1pass' }).expect(204);
    actors = {
      store_manager: await signedIn(t.ds, t.http, 'store_manager', [storeA.id]),
      cashier: await signedIn(t.ds, t.http, 'cashier', [storeA.id]),
      technician: await signedIn(t.ds, t.http, 'technician', [storeA.id]),
    };
    const cashierRole = await roleId(t.ds, 'cashier');
    // Counter money needs an open shift: HQ sells the count-card fixtures below at both stores.
    await openShift(t.http, owner, storeA.id);
    await openShift(t.http, owner, storeB.id);
    // Chain-level resources (members are served by every store) get the same fixture on both sides.
    // Members are the chain's: a member's home store shows to every store, so this one is A's.
    const member = await makeMember(t.ds, { homeStoreId: storeA.id });
    const [attr] = await t.ds.query(`INSERT INTO member_attribute_def (code, name, type) VALUES ('plate', '车牌', 'text') RETURNING id`);
    const [tier] = await t.ds.query(`INSERT INTO tier (name, level, is_initial) VALUES ('普通会员', 1, true) RETURNING id`);
    // Cards serve in every store like their member; this one was issued at A.
    const [card] = await t.ds.query(`INSERT INTO card (card_no, member_id, issued_store_id) VALUES ('SCOPE001', $1, $2) RETURNING id`, [member.id, storeA.id]);
    const importAt = async (storeId: string) =>
      (
        await t.ds.query(
          `INSERT INTO member_import (format, file_name, file_path, store_id, status, created_by) VALUES ('csv', 'x.csv', '/nonexistent', $1, 'done', $2) RETURNING id`,
          [storeId, staffB.id],
        )
      )[0].id as string;
    const importB = await importAt(storeB.id);
    // Count cards are the member's (chain-level); their redemptions and timers are the store's where they happened.
    const cards = await countCardFixtures(t, owner.auth, member.id, await makeMember(t.ds, { homeStoreId: storeA.id }), storeA.id, storeB.id);
    const [bonusRule] = await t.ds.query(`INSERT INTO wallet_bonus_rule (name, threshold_fen, bonus_fen) VALUES ('充100送20', 10000, 2000) RETURNING id`);
    // Stored value is recorded where it happened: a top-up at the collecting store, a spend where it was spent.
    const topUpAt = async (storeId: string) =>
      (
        await t.ds.query(
          `INSERT INTO wallet_top_up (member_id, store_id, amount_fen, payment_method, operator_kind) VALUES ($1, $2, 10000, 'cash', 'system') RETURNING id`,
          [member.id, storeId],
        )
      )[0].id as string;
    const spendAt = async (storeId: string) =>
      (
        await t.ds.query(
          `INSERT INTO wallet_spend (id, member_id, store_id, amount_fen, principal_fen, bonus_fen, ref_type, ref_id, operator_kind)
           VALUES (gen_random_uuid(), $1, $2, 300, 300, 0, 'wallet_spend', 'x', 'system') RETURNING id`,
          [member.id, storeId],
        )
      )[0].id as string;
    const [gift] = await t.ds.query(`INSERT INTO gift (name, points_price) VALUES ('保温杯', 100) RETURNING id`);
    // Redemptions belong to the store where the gift is picked up.
    const redemptionAt = async (storeId: string, code: string) =>
      (
        await t.ds.query(
          `INSERT INTO mall_redemption (member_id, gift_id, store_id, points, pickup_code, created_by_kind) VALUES ($1, $2, $3, 100, $4, 'member') RETURNING id`,
          [member.id, gift.id, storeId, code],
        )
      )[0].id as string;
    const redemptionB = await redemptionAt(storeB.id, '20000001');
    // A notification belongs to the store of its event; a failed one can be retried there.
    const messageAt = async (storeId: string, key: string) =>
      (
        await t.ds.query(
          `INSERT INTO notification_message (event, kind, member_id, store_id, dedupe_key, status) VALUES ('wallet.top_up', 'balance', $1, $2, $3, 'failed') RETURNING id`,
          [member.id, storeId, key],
        )
      )[0].id as string;
    const messageB = await messageAt(storeB.id, 'scope-b');
    const redemptionA = await redemptionAt(storeA.id, '10000001');
    // Backups and system alerts are the chain's (HQ only): the same fixture on both sides.
    const [backupRun] = await t.ds.query(`INSERT INTO backup_run (trigger, status) VALUES ('schedule', 'failed') RETURNING id`);
    const [alert] = await t.ds.query(`INSERT INTO system_alert (kind, message) VALUES ('backup_failed', '数据备份失败：测试') RETURNING id`);
    // Shifts are one store's drawer: B's cashier has one at B (with a taking), A's cashier one at A.
    const [shiftB] = await t.ds.query(`INSERT INTO shift (store_id, staff_id, float_fen, business_day) VALUES ($1, $2, 10000, current_date) RETURNING id`, [storeB.id, staffB.id]);
    await t.ds.query(`INSERT INTO shift_taking (shift_id, store_id, method, amount_fen, ref_type, ref_id) VALUES ($1, $2, 'cash', 500, 'test_fixture', 'x')`, [shiftB.id, storeB.id]);
    const shiftA = await openShift(t.http, actors.cashier, storeA.id);
    // The catalog is the chain's; a store's own prices and stock are B's (and must stay B's).
    const category = await makeCategory(t.ds, { name: '饮品' });
    const sku = await makeSku(t.ds, { name: '珍珠奶茶', categoryId: category.id, priceFen: 1800 });
    await t.ds.query(`INSERT INTO sku_store_price (store_id, sku_id, price_fen, member_price_fen) VALUES ($1, $2, 2200, 2000)`, [storeB.id, sku.id]);
    await giveStock(storeB.id, sku.id, 7);
    const catalog = { categoryId: category.id, productId: sku.productId, skuId: sku.id };
    // WeChat Pay orders and their refunds are the collecting store's; a reconciliation is HQ's.
    const wechatAt = async (storeId: string, n: number) => {
      const [order] = await t.ds.query(
        `INSERT INTO wechat_pay_order (out_trade_no, purpose, trade_type, status, member_id, store_id, amount_fen, description, appid, mchid, transaction_id, expires_at, paid_at, refunded_fen)
         VALUES ($1, 'top_up', 'JSAPI', 'paid', $2, $3, 1000, '充值', $4, $5, $6, now(), now(), 1000) RETURNING id`,
        [`TSCOPE${n}`, member.id, storeId, APPID, MCHID, `42000SCOPE${n}`],
      );
      const [refund] = await t.ds.query(
        `INSERT INTO wechat_refund (out_refund_no, pay_order_id, store_id, amount_fen, reason, status) VALUES ($1, $2, $3, 1000, '退款', 'closed') RETURNING id`,
        [`RSCOPE${n}`, order.id, storeId],
      );
      return { payOrderId: order.id as string, wechatRefundId: refund.id as string };
    };
    const wechatB = await wechatAt(storeB.id, 2);
    const [reconciliation] = await t.ds.query(`INSERT INTO wechat_reconciliation (bill_date, status) VALUES ('2026-01-01', 'no_bill') RETURNING id`);
    // Coupon templates and promotions are HQ's rules; a coupon is its member's (chain-level). B's own
    // promotion and a template only for B must stay out of A's lists.
    const [couponTemplate] = await t.ds.query(`INSERT INTO coupon_template (name, kind, amount_off_fen, validity_kind, valid_days) VALUES ('无门槛5元', 'amount_off', 500, 'relative', 30) RETURNING id`);
    await t.ds.query(`INSERT INTO coupon_template (name, kind, amount_off_fen, validity_kind, valid_days, store_ids) VALUES ('乙店专用', 'amount_off', 500, 'relative', 30, $1) RETURNING id`, [[storeB.id]]);
    const rule = { name: '无门槛5元', kind: 'amount_off', amountOffFen: 500, discountBps: null, maxDiscountFen: null, thresholdFen: 0, skuId: null, exchangePriceFen: null, storeIds: [], scope: {}, stackable: false, stackWithMemberPrice: true };
    const [coupon] = await t.ds.query(
      `INSERT INTO coupon (template_id, member_id, code, rule, valid_from, valid_until, source, issued_store_id) VALUES ($1, $2, 'SCPA234567', $3, now(), now() + interval '30 days', 'manual', $4) RETURNING id`,
      [couponTemplate.id, member.id, JSON.stringify(rule), storeA.id],
    );
    await t.ds.query(`UPDATE coupon_template SET issued_count = 1 WHERE id = $1`, [couponTemplate.id]);
    const [promotion] = await t.ds.query(`INSERT INTO promotion (name, kind, reduction_mode, steps) VALUES ('满100减10', 'full_reduction', 'amount', '[{"thresholdFen":10000,"amountOffFen":1000,"discountBps":null}]') RETURNING id`);
    await t.ds.query(`INSERT INTO promotion (name, kind, discount_bps, weekdays, store_ids, members_only) VALUES ('乙店会员日', 'member_day', 8800, '{3}', $1, true)`, [[storeB.id]]);
    // Schedules, bookings, queue numbers, attendance and commission are the store's; levels and rules HQ's.
    const work = await staffWorkFixtures(t, { storeA: storeA.id, storeB: storeB.id, staffA: actors.cashier.id, techA: actors.technician.id, staffB: staffB.id, memberId: member.id });
    const inventory = await inventoryFixtures(t, storeA.id, storeB.id, sku.id);
    const global = { ...catalog, ...work.global, supplierId: inventory.supplierId, backupId: backupRun.id, alertId: alert.id, couponTemplateId: couponTemplate.id, couponId: coupon.id, promotionId: promotion.id, roleId: cashierRole, memberId: member.id, attributeId: attr.id, tierId: tier.id, countCardTemplateId: cards.templateId, countCardId: cards.cardA, bonusRuleId: bonusRule.id, giftId: gift.id, cardId: card.id, reconciliationId: reconciliation.id };
    // Orders and tickets belong to the store that rang them up.
    const salesB = await orderFixtures(t, storeB.id, sku.id, member.id, 'B');
    const salesA = await orderFixtures(t, storeA.id, sku.id, member.id, 'A');
    foreign = { storeId: storeB.id, staffId: staffB.id, importId: importB, countCardRedemptionId: cards.redemptionB, countCardTimerId: cards.timerB, topUpId: await topUpAt(storeB.id), spendId: await spendAt(storeB.id), redemptionId: redemptionB, shiftId: shiftB.id, messageId: messageB, ...salesB, ...inventory.b, ...work.foreign, ...wechatB, ...global };
    own = { storeId: storeA.id, staffId: actors.cashier.id, importId: await importAt(storeA.id), countCardRedemptionId: cards.redemptionA, countCardTimerId: cards.timerA, topUpId: await topUpAt(storeA.id), spendId: await spendAt(storeA.id), redemptionId: redemptionA, shiftId: shiftA, messageId: await messageAt(storeA.id, 'scope-a'), ...salesA, ...inventory.a, ...work.own, ...(await wechatAt(storeA.id, 1)), ...global };
    bSecrets = [storeB.id, staffB.id, importB, foreign.topUpId, foreign.spendId, redemptionB, shiftB.id, messageB, salesB.orderId, salesB.ticketId, salesB.ticketLineId, ...Object.values(inventory.b), ...Object.values(work.foreign), wechatB.payOrderId, wechatB.wechatRefundId];
  });
  afterAll(async () => {
    await t.close();
    await closeSim();
  });

  const routes = () =>
    Object.entries(t.document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => (item as Record<string, unknown>)[m]).map((method) => ({ path, method, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]) })),
    );

  const fill = (path: string, fixtures: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, p: string) => fixtures[p]);

  /** Everything store B owns, as the database holds it: must not change through A's staff. */
  const snapshotB = async () =>
    JSON.stringify([
      await t.ds.query('SELECT * FROM store WHERE id = $1', [storeB.id]),
      await t.ds.query('SELECT id, name, phone, status, password_hash FROM staff WHERE id = $1', [staffB.id]),
      await t.ds.query('SELECT * FROM staff_store WHERE store_id = $1 ORDER BY staff_id', [storeB.id]),
      await t.ds.query('SELECT * FROM staff_role WHERE staff_id = $1', [staffB.id]),
      await t.ds.query('SELECT count(*) FROM audit_log WHERE store_id = $1', [storeB.id]),
      await t.ds.query('SELECT count(*) FROM refresh_token WHERE staff_id = $1', [staffB.id]),
      await t.ds.query('SELECT * FROM wallet_top_up WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM wallet_spend WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT count(*) FROM ledger_entry WHERE store_id = $1', [storeB.id]),
      await t.ds.query('SELECT * FROM mall_redemption WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM gift_stock WHERE store_id = $1 ORDER BY gift_id', [storeB.id]),
      await t.ds.query('SELECT * FROM sku_store_price WHERE store_id = $1 ORDER BY sku_id', [storeB.id]),
      await t.ds.query('SELECT * FROM stock WHERE store_id = $1 ORDER BY sku_id', [storeB.id]),
      await t.ds.query('SELECT count(*) FROM stock_movement WHERE store_id = $1', [storeB.id]),
      await t.ds.query('SELECT * FROM shift WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM shift_taking WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM shift_cash_movement WHERE store_id = $1 ORDER BY id', [storeB.id]),
      ...(await Promise.all(
        ['work_schedule', 'schedule_exception', 'booking', 'queue_ticket', 'queue_counter', 'attendance_record', 'commission_entry'].map((table) =>
          t.ds.query(`SELECT * FROM ${table} WHERE store_id = $1 ORDER BY 1, 2`, [storeB.id]),
        ),
      )),
      await t.ds.query('SELECT * FROM wage_adjustment WHERE staff_id = $1 ORDER BY id', [staffB.id]),
      await t.ds.query('SELECT * FROM staff_service WHERE staff_id = $1 ORDER BY product_id', [staffB.id]),
      await t.ds.query('SELECT * FROM wechat_pay_order WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM wechat_refund WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT id, status, attempts, next_attempt_at FROM notification_message WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM sales_order WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT l.* FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE o.store_id = $1 ORDER BY l.id', [storeB.id]),
      await t.ds.query('SELECT count(*) FROM order_refund WHERE store_id = $1', [storeB.id]),
      await t.ds.query('SELECT * FROM ticket WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT l.* FROM ticket_line l JOIN ticket t ON t.id = l.ticket_id WHERE t.store_id = $1 ORDER BY l.id', [storeB.id]),
      await t.ds.query('SELECT * FROM purchase_order WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM stock_io WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM stocktake WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM stock_alert WHERE store_id = $1 ORDER BY id', [storeB.id]),
      await t.ds.query('SELECT * FROM stock_alert_line WHERE store_id = $1 ORDER BY sku_id', [storeB.id]),
      await t.ds.query('SELECT * FROM transfer WHERE $1 IN (from_store_id, to_store_id) ORDER BY id', [storeB.id]),
    ]);

  it('has a fixture and an access rule for every route parameter', () => {
    const params = new Set(routes().flatMap((r) => r.params));
    expect(params.size).toBeGreaterThan(0);
    for (const p of params) {
      expect({ param: p, fixture: p in foreign }).toEqual({ param: p, fixture: true });
      expect({ param: p, accessRule: AccessRepository.params.includes(p) }).toEqual({ param: p, accessRule: true });
    }
  });

  const isPublic = (path: string, method: Method) =>
    !((t.document.paths[path] as Record<string, { security?: unknown[] }>)[method].security?.length);
  const storeBound = (params: string[]) => params.some((p) => AccessRepository.params.includes(p) && !AccessRepository.globalParams.includes(p));

  const expectRefused = (label: string, res: { status: number; body: { error?: { code: string } } }) => {
    // 404 for B's things exactly as for missing things, or 403 when the role lacks the permission.
    expect({ label, refused: [403, 404].includes(res.status) ? 'refused' : res.status }).toEqual({ label, refused: 'refused' });
    if (res.status === 404) expect({ label, code: res.body.error?.code }).toEqual({ label, code: expect.stringMatching(/_NOT_FOUND$/) });
  };
  /**
   * Reads that show other stores on purpose: what they hold of an item (quantities, with the store's
   * id and name) so that a store can ask one of them for a transfer (调货). Nothing else of B's.
   */
  const CROSS_STORE_READS = new Set(['/api/stores/{storeId}/inventory/availability']);
  const expectNoLeak = (label: string, body: unknown, path = '') => {
    const secrets = CROSS_STORE_READS.has(path) ? bSecrets.filter((s) => s !== storeB.id) : bSecrets;
    for (const secret of secrets) expect({ label, leaks: JSON.stringify(body).includes(secret) }).toEqual({ label, leaks: false });
  };

  it("refuses store B's resources in route parameters to store A's staff", async () => {
    const before = await snapshotB();
    let walked = 0;
    for (const [role, actor] of Object.entries(actors)) {
      for (const r of routes().filter((x) => storeBound(x.params))) {
        let req = t.http[r.method](fill(r.path, foreign)).set(actor.auth);
        if (r.method !== 'get' && r.method !== 'delete') req = req.send({});
        const res = await req;
        const label = `${role} ${r.method.toUpperCase()} ${r.path}`;
        expectRefused(label, res);
        expectNoLeak(label, res.body);
        walked++;
      }
    }
    expect(walked).toBeGreaterThanOrEqual(3 * 5);
    expect(await snapshotB()).toBe(before);
  });

  it("refuses store B's id in the query or body of every signed-in route", async () => {
    const before = await snapshotB();
    let walked = 0;
    for (const [role, actor] of Object.entries(actors)) {
      for (const r of routes().filter((x) => !isPublic(x.path, x.method))) {
        for (const where of ['query', 'body'] as const) {
          if (where === 'body' && (r.method === 'get' || r.method === 'delete')) continue;
          let req = t.http[r.method](fill(r.path, own)).set(actor.auth);
          if (where === 'query') req = req.query({ storeId: storeB.id });
          if (r.method !== 'get' && r.method !== 'delete') req = req.send(where === 'body' ? { storeId: storeB.id, storeIds: [storeB.id] } : {});
          const res = await req;
          const label = `${role} ${r.method.toUpperCase()} ${r.path} (B in ${where})`;
          expectRefused(label, res);
          expectNoLeak(label, res.body);
          walked++;
        }
      }
    }
    expect(walked).toBeGreaterThan(routes().length);
    expect(await snapshotB()).toBe(before);
  });

  it("shows store A's staff only store A in every readable route", async () => {
    for (const [role, actor] of Object.entries(actors)) {
      for (const r of routes().filter((x) => x.method === 'get')) {
        const res = await t.http.get(fill(r.path, own)).set(actor.auth);
        const label = `${role} GET ${r.path}`;
        expect({ label, status: [200, 403].includes(res.status) ? 'answered' : res.status }).toEqual({ label, status: 'answered' });
        expectNoLeak(label, res.body, r.path);
      }
    }
  });

  it('lets HQ reach both stores through the same routes', async () => {
    const owner = await signedIn(t.ds, t.http, 'owner');
    const stores = await t.http.get('/api/stores').set(owner.auth).expect(200);
    expect(stores.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([storeA.id, storeB.id]));
    await t.http.get(`/api/staff/${staffB.id}`).set(owner.auth).expect(200);
  });
});

/**
 * A count card, a time card, a redemption and a running timer at each of stores A and B. B's are
 * another member's (one who bought at B), so that A's views of the first member show nothing of B.
 */
async function countCardFixtures(t: TestApp, auth: { Authorization: string }, memberA: string, memberB: { id: string }, storeA: string, storeB: string) {
  const count = await makeCountCardTemplate(t.ds, { serviceCodes: ['HAIRCUT'], uses: 10 });
  const time = await makeCountCardTemplate(t.ds, { kind: 'time', serviceCodes: ['BILLIARDS'], minutes: 600 });
  const post = async (path: string, body: object) => {
    const res = await t.http.post(path).set(auth).set('Idempotency-Key', randomUUID()).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const side = async (memberId: string, storeId: string) => {
    const card = await post(`/api/members/${memberId}/count-cards`, { templateId: count.id, storeId, paymentMethod: 'cash' });
    const timeCard = await post(`/api/members/${memberId}/count-cards`, { templateId: time.id, storeId, paymentMethod: 'cash' });
    return {
      card,
      redemption: await post(`/api/count-cards/${card}/redemptions`, { storeId, serviceCode: 'HAIRCUT' }),
      timer: await post(`/api/count-cards/${timeCard}/timers`, { storeId, serviceCode: 'BILLIARDS' }),
    };
  };
  const a = await side(memberA, storeA);
  const b = await side(memberB.id, storeB);
  return { templateId: count.id, cardA: a.card, redemptionA: a.redemption, timerA: a.timer, redemptionB: b.redemption, timerB: b.timer };
}

/**
 * A weekly schedule, a leave, a booking, a queue number, an attendance record, a commission entry
 * and a wage adjustment at each of stores A and B; a staff level and a commission rule of HQ. A's
 * booking is confirmed and its technician is A's, so that its checkout cart answers.
 */
async function staffWorkFixtures(t: TestApp, s: { storeA: string; storeB: string; staffA: string; techA: string; staffB: string; memberId: string }) {
  const service = await makeSku(t.ds, { name: '洗剪吹', kind: 'service', durationMinutes: 60, priceFen: 8800 });
  const [level] = await t.ds.query(`INSERT INTO staff_level (name, rank) VALUES ('高级技师', 2) RETURNING id`);
  const [rule] = await t.ds.query(`INSERT INTO commission_rule (name, source, mode, rate_bps) VALUES ('服务 10%', 'service', 'percent', 1000) RETURNING id`);
  await t.ds.query(`INSERT INTO payroll_month (month) VALUES (to_char(now(), 'YYYY-MM')) ON CONFLICT DO NOTHING`);
  const side = async (storeId: string, staffId: string, bookedStaffId: string) => {
    await t.ds.query(`INSERT INTO work_schedule (staff_id, store_id, weekday, start_minute, end_minute) VALUES ($1, $2, 1, 540, 1080)`, [bookedStaffId, storeId]);
    await t.ds.query(`INSERT INTO staff_service (staff_id, product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [bookedStaffId, service.productId]);
    const [exception] = await t.ds.query(`INSERT INTO schedule_exception (staff_id, store_id, day, kind, reason) VALUES ($1, $2, current_date + 3, 'leave', '事假') RETURNING id`, [bookedStaffId, storeId]);
    const [booking] = await t.ds.query(
      `INSERT INTO booking (id, store_id, member_id, staff_id, product_id, sku_id, service_name, duration_minutes, starts_at, ends_at, status, source, confirmed_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, '洗剪吹', 60, now() + interval '2 days', now() + interval '2 days 1 hour', 'confirmed', 'staff', now()) RETURNING id`,
      [storeId, s.memberId, bookedStaffId, service.productId, service.id],
    );
    await t.ds.query(`INSERT INTO queue_counter (store_id, business_day, last_number) VALUES ($1, current_date, 1)`, [storeId]);
    const [ticket] = await t.ds.query(`INSERT INTO queue_ticket (store_id, business_day, number) VALUES ($1, current_date, 1) RETURNING id`, [storeId]);
    const [record] = await t.ds.query(
      `INSERT INTO attendance_record (staff_id, store_id, business_day, clock_in_at, clock_out_at) VALUES ($1, $2, current_date - 1, now() - interval '30 hours', now() - interval '22 hours') RETURNING id`,
      [staffId, storeId],
    );
    await t.ds.query(
      `INSERT INTO commission_entry (staff_id, store_id, source, kind, ref_type, ref_id, item_ref, quantity, base_fen, line_fen, amount_fen, period, business_day)
       VALUES ($1, $2, 'service', 'accrual', 'test_fixture', gen_random_uuid()::text, gen_random_uuid()::text, 1, 8800, 8800, 880, to_char(now(), 'YYYY-MM'), current_date)`,
      [bookedStaffId, storeId],
    );
    const [adjustment] = await t.ds.query(`INSERT INTO wage_adjustment (staff_id, month, kind, amount_fen, reason) VALUES ($1, to_char(now(), 'YYYY-MM'), 'bonus', 10000, '全勤奖') RETURNING id`, [staffId]);
    return { scheduleExceptionId: exception.id, bookingId: booking.id, queueTicketId: ticket.id, attendanceRecordId: record.id, wageAdjustmentId: adjustment.id };
  };
  return {
    global: { serviceSkuId: service.id, staffLevelId: level.id, commissionRuleId: rule.id },
    own: await side(s.storeA, s.staffA, s.techA),
    foreign: await side(s.storeB, s.staffB, s.staffB),
  };
}

/** A paid quick-looking order (one line, one cash payment) and an open ticket with a line, at a store. */
async function orderFixtures(t: TestApp, storeId: string, skuId: string, memberId: string, tag: string) {
  const [order] = await t.ds.query(
    `INSERT INTO sales_order (order_no, kind, status, store_id, member_id, subtotal_fen, discount_fen, total_fen, due_fen, completed_at)
     VALUES ($1, 'sale', 'completed', $2, $3, 1800, 0, 1800, 1800, now()) RETURNING id`,
    [`SCOPE-${tag}`, storeId, memberId],
  );
  await t.ds.query(
    `INSERT INTO order_line (order_id, line_no, kind, sku_id, name, quantity, unit_price_fen, original_fen, discount_fen, total_fen, money_fen)
     VALUES ($1, 1, 'goods', $2, '珍珠奶茶', 1, 1800, 1800, 0, 1800, 1800)`,
    [order.id, skuId],
  );
  await t.ds.query(`INSERT INTO order_payment (order_id, seq, method, status, amount_fen) VALUES ($1, 1, 'cash', 'completed', 1800)`, [order.id]);
  const [ticket] = await t.ds.query(`INSERT INTO ticket (ticket_no, kind, store_id) VALUES ($1, 'open', $2) RETURNING id`, [`SCOPE-K-${tag}`, storeId]);
  const [line] = await t.ds.query(`INSERT INTO ticket_line (ticket_id, sku_id, name, quantity) VALUES ($1, $2, '珍珠奶茶', 1) RETURNING id`, [ticket.id, skuId]);
  return { orderId: order.id as string, ticketId: ticket.id as string, ticketLineId: line.id as string };
}

/**
 * Inventory documents of store A and of store B (a purchase order, an other outbound, a stocktake,
 * a low-stock alert, and a transfer with a third store C), and a supplier (the chain's).
 */
async function inventoryFixtures(t: TestApp, storeA: string, storeB: string, skuId: string) {
  const { makeStore } = await import('../../factories');
  const storeC = (await makeStore(t.ds, { code: 'C001' })).id;
  const [supplier] = await t.ds.query(`INSERT INTO supplier (code, name) VALUES ('SCOPE-SUP', '供应商') RETURNING id`);
  const one = async (sql: string, params: unknown[]) => (await t.ds.query(sql, params))[0].id as string;
  const side = async (store: string, other: string, tag: string) => ({
    purchaseOrderId: await one(`INSERT INTO purchase_order (no, store_id, supplier_id) VALUES ($1, $2, $3) RETURNING id`, [`PO-${tag}`, store, supplier.id]),
    stockIoId: await one(`INSERT INTO stock_io (no, store_id, direction, reason) VALUES ($1, $2, 'out', 'damage') RETURNING id`, [`IO-${tag}`, store]),
    stocktakeId: await one(`INSERT INTO stocktake (no, store_id, scope) VALUES ($1, $2, 'full') RETURNING id`, [`ST-${tag}`, store]),
    stockAlertId: await one(`INSERT INTO stock_alert (store_id, sku_id, min_quantity, quantity) VALUES ($1, $2, 10, 7) RETURNING id`, [store, skuId]),
    transferId: await one(`INSERT INTO transfer (no, from_store_id, to_store_id) VALUES ($1, $2, $3) RETURNING id`, [`TR-${tag}`, other, store]),
  });
  for (const store of [storeA, storeB]) await t.ds.query(`INSERT INTO stock_alert_line (store_id, sku_id, min_quantity) VALUES ($1, $2, 10)`, [store, skuId]);
  return { supplierId: supplier.id as string, a: await side(storeA, storeC, 'A'), b: await side(storeB, storeC, 'B') };
}
