import { TransactionHost } from '../../../src/common/db/transaction-host';
import { CommissionService } from '../../../src/modules/commission/commission.service';
import { makeCountCardTemplate, makeMember, makeStaff, makeStore, openShift, signedIn } from '../../factories';
import { makeSku } from '../../factories/catalog';
import { idem, makeService } from '../../factories/staff-work';
import { createTestApp, type TestApp } from '../../support/test-app';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('commission', () => {
  let t: TestApp;
  let store: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let manager: Signed;
  let cashier: Signed;
  let junior: { id: string };
  let senior: { id: string };
  let haircut: { id: string; productId: string };
  let shampoo: { id: string; productId: string };
  let seniorLevel: string;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    manager = await signedIn(t.ds, t.http, 'store_manager', [store.id]);
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    junior = await makeStaff(t.ds, { role: 'technician', storeIds: [store.id], name: '初级技师' });
    senior = await makeStaff(t.ds, { role: 'technician', storeIds: [store.id], name: '高级技师' });
    haircut = await makeService(t.ds, { name: '洗剪吹' });
    shampoo = await makeSku(t.ds, { name: '洗发水' });
    await openShift(t.http, cashier, store.id);
    await openShift(t.http, owner, store.id);
  });
  afterAll(() => t.close());

  const reconciled = async () => {
    const res = await t.http.get('/api/reconcile').set(owner.auth).expect(200);
    expect(res.body.checks.filter((c: { violations: number }) => c.violations > 0)).toEqual([]);
  };
  const rule = (body: object, auth = owner.auth) => t.http.post('/api/commission-rules').set(auth).send(body);
  const entriesOf = (refId: string) =>
    t.ds.query(`SELECT staff_id, kind, source, amount_fen::int AS amount, base_fen::int AS base, quantity FROM commission_entry WHERE ref_id = $1 ORDER BY kind, amount_fen DESC`, [refId]);
  const tx = <T>(fn: (c: CommissionService) => Promise<T>) => t.app.get(TransactionHost).run(() => fn(t.app.get(CommissionService)));
  const m = () => t.app.get(TransactionHost).manager;

  describe('levels and rules', () => {
    it('lets HQ define levels and put staff at them', async () => {
      const junior1 = await t.http.post('/api/staff-levels').set(owner.auth).send({ name: '初级', rank: 1 }).expect(201);
      seniorLevel = (await t.http.post('/api/staff-levels').set(owner.auth).send({ name: '高级', rank: 2 }).expect(201)).body.id;
      expect((await t.http.post('/api/staff-levels').set(owner.auth).send({ name: '高级' }).expect(409)).body.error.code).toBe('STAFF_LEVEL_NAME_TAKEN');
      await t.http.post('/api/staff-levels').set(manager.auth).send({ name: '店长自定' }).expect(403);
      await t.http.put(`/api/staff/${junior.id}/level`).set(owner.auth).send({ levelId: junior1.body.id }).expect(200);
      const res = await t.http.put(`/api/staff/${senior.id}/level`).set(owner.auth).send({ levelId: seniorLevel }).expect(200);
      expect(res.body.level).toMatchObject({ name: '高级', rank: 2 });
      expect((await t.http.delete(`/api/staff-levels/${seniorLevel}`).set(owner.auth).expect(409)).body.error.code).toBe('STAFF_LEVEL_IN_USE');
      const levels = await t.http.get('/api/staff-levels').set(manager.auth).expect(200);
      expect(levels.body.map((l: { name: string }) => l.name)).toEqual(['初级', '高级']);
    });

    it('checks a rule’s item, figures and uniqueness', async () => {
      expect((await rule({ name: 'x', source: 'service', mode: 'fixed' }).expect(400)).body.error.code).toBe('COMMISSION_RULE_INVALID');
      expect((await rule({ name: 'x', source: 'top_up', targetId: haircut.productId, mode: 'percent', rateBps: 100 }).expect(400)).body.error.code).toBe('COMMISSION_RULE_INVALID');
      expect((await rule({ name: 'x', source: 'product', targetId: haircut.productId, mode: 'percent', rateBps: 100 }).expect(400)).body.error.code).toBe('COMMISSION_RULE_INVALID');
      expect((await rule({ name: 'x', source: 'service', mode: 'percent', rateBps: 10001 }).expect(400)).body.error.details[0].field).toBe('rateBps');
      expect((await rule({ name: 'x', source: 'count_card', targetId: haircut.productId, mode: 'fixed', amountFen: 1 }).expect(404)).body.error.code).toBe('COUNT_CARD_TEMPLATE_NOT_FOUND');
      await rule({ name: 'x', source: 'service', mode: 'percent', rateBps: 100 }, manager.auth).expect(403);
      await rule({ name: '服务 5%', source: 'service', mode: 'percent', rateBps: 500 }).expect(201);
      expect((await rule({ name: '服务 6%', source: 'service', mode: 'percent', rateBps: 600 }).expect(409)).body.error.code).toBe('COMMISSION_RULE_DUPLICATE');
      await rule({ name: '洗剪吹 10%', source: 'service', targetId: haircut.productId, mode: 'percent', rateBps: 1000 }).expect(201);
      await rule({ name: '洗剪吹 高级 20 元', source: 'service', targetId: haircut.productId, levelId: seniorLevel, mode: 'fixed', amountFen: 2000 }).expect(201);
      await rule({ name: '商品 8%', source: 'product', mode: 'percent', rateBps: 800, split: 'each' }).expect(201);
      const list = await t.http.get('/api/commission-rules').query({ source: 'service', active: 'true' }).set(manager.auth).expect(200);
      expect(list.body).toHaveLength(3);
    });
  });

  describe('orders', () => {
    const orderId = '11111111-1111-4111-8111-111111111111';
    const lineA = '11111111-1111-4111-8111-0000000000a1';
    const lineB = '11111111-1111-4111-8111-0000000000b2';

    it('credits each serving staff member by his level when an order completes, once', async () => {
      const order = {
        orderId,
        storeId: store.id,
        lines: [
          { lineId: lineA, kind: 'service' as const, productId: haircut.productId, quantity: 1, baseFen: 9801, staffIds: [junior.id, senior.id] },
          { lineId: lineB, kind: 'goods' as const, productId: shampoo.productId, quantity: 2, baseFen: 6000, staffIds: [junior.id, senior.id] },
        ],
      };
      await tx((c) => c.onOrderCompleted(m(), order));
      await tx((c) => c.onOrderCompleted(m(), order));
      const rows = await entriesOf(orderId);
      // Service: the line is shared 4901/4900; junior 10 % → 490, senior a fixed 20 元 shared by two → 1000.
      // Goods: 8 % of the whole line to each (split each) → 480 each, sales shared 3000/3000.
      expect(rows).toEqual(
        expect.arrayContaining([
          { staff_id: senior.id, kind: 'accrual', source: 'service', amount: 1000, base: 4900, quantity: 1 },
          { staff_id: junior.id, kind: 'accrual', source: 'service', amount: 490, base: 4901, quantity: 1 },
          { staff_id: junior.id, kind: 'accrual', source: 'product', amount: 480, base: 3000, quantity: 2 },
          { staff_id: senior.id, kind: 'accrual', source: 'product', amount: 480, base: 3000, quantity: 2 },
        ]),
      );
      expect(rows).toHaveLength(4);
    });

    it('reverses commission in proportion to what refunds give back, all of it once fully refunded', async () => {
      const refundOne = '22222222-2222-4222-8222-222222222221';
      const refundTwo = '22222222-2222-4222-8222-222222222222';
      await tx((c) => c.onOrderRefunded(m(), { orderId, refundId: refundOne, storeId: store.id, lines: [{ lineId: lineB, quantity: 1, amountFen: 3000 }, { lineId: lineA, quantity: 0, amountFen: 4000 }] }));
      await tx((c) => c.onOrderRefunded(m(), { orderId, refundId: refundOne, storeId: store.id, lines: [{ lineId: lineB, quantity: 1, amountFen: 3000 }] }));
      const net = async () => Object.fromEntries((await t.ds.query(`SELECT staff_id, source, sum(amount_fen)::int AS amount FROM commission_entry WHERE ref_id = $1 GROUP BY staff_id, source`, [orderId])).map((r: { staff_id: string; source: string; amount: number }) => [`${r.staff_id === senior.id ? 'senior' : 'junior'}.${r.source}`, r.amount]));
      expect(await net()).toEqual({ 'junior.product': 240, 'senior.product': 240, 'junior.service': 490 - 199, 'senior.service': 1000 - 408 });
      await tx((c) => c.onOrderRefunded(m(), { orderId, refundId: refundTwo, storeId: store.id, lines: [{ lineId: lineB, quantity: 1, amountFen: 3000 }, { lineId: lineA, quantity: 1, amountFen: 5801 }] }));
      expect(await net()).toEqual({ 'junior.product': 0, 'senior.product': 0, 'junior.service': 0, 'senior.service': 0 });
      await reconciled();
    });
  });

  describe('top-ups, count cards and cards issued', () => {
    it('credits the seller of a top-up from the rule’s minimum, and takes it back when the top-up is refunded', async () => {
      await rule({ name: '充值 2%', source: 'top_up', mode: 'percent', rateBps: 200, minBaseFen: 100000 }).expect(201);
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const small = await t.http.post(`/api/members/${member.id}/wallet/top-ups`).set(cashier.auth).set(idem()).send({ storeId: store.id, amountFen: 50000, paymentMethod: 'cash', soldByStaffId: senior.id }).expect(201);
      const big = await t.http.post(`/api/members/${member.id}/wallet/top-ups`).set(cashier.auth).set(idem()).send({ storeId: store.id, amountFen: 100000, paymentMethod: 'cash', soldByStaffId: senior.id }).expect(201);
      expect(await entriesOf(small.body.id)).toEqual([{ staff_id: senior.id, kind: 'accrual', source: 'top_up', amount: 0, base: 50000, quantity: 1 }]);
      expect(await entriesOf(big.body.id)).toEqual([{ staff_id: senior.id, kind: 'accrual', source: 'top_up', amount: 2000, base: 100000, quantity: 1 }]);
      const byCashier = await t.http.post(`/api/members/${member.id}/wallet/top-ups`).set(cashier.auth).set(idem()).send({ storeId: store.id, amountFen: 200000, paymentMethod: 'cash' }).expect(201);
      expect((await entriesOf(byCashier.body.id))[0]).toMatchObject({ staff_id: cashier.id, amount: 4000 });
      await t.http.post(`/api/wallet/top-ups/${big.body.id}/refund`).set(cashier.auth).set(idem()).send({ reason: '顾客退款' }).expect(200);
      expect((await entriesOf(big.body.id)).map((r: { kind: string; amount: number }) => [r.kind, r.amount])).toEqual([['accrual', 2000], ['reversal', -2000]]);
      const unknown = await t.http.post(`/api/members/${member.id}/wallet/top-ups`).set(cashier.auth).set(idem()).send({ storeId: store.id, amountFen: 10000, paymentMethod: 'cash', soldByStaffId: '99999999-9999-4999-8999-999999999999' }).expect(404);
      expect(unknown.body.error.code).toBe('STAFF_NOT_FOUND');
      await reconciled();
    });

    it('credits count-card sales and cards issued', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { priceFen: 50000 });
      await rule({ name: '售卡 30 元', source: 'count_card', targetId: tpl.id, mode: 'fixed', amountFen: 3000 }).expect(201);
      await rule({ name: '办卡 5 元', source: 'card_issue', mode: 'fixed', amountFen: 500 }).expect(201);
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const sold = await t.http.post(`/api/members/${member.id}/count-cards`).set(cashier.auth).set(idem()).send({ templateId: tpl.id, storeId: store.id, paymentMethod: 'cash', soldByStaffId: junior.id }).expect(201);
      expect(await entriesOf(sold.body.id)).toEqual([{ staff_id: junior.id, kind: 'accrual', source: 'count_card', amount: 3000, base: 50000, quantity: 1 }]);
      const card = await t.http.post(`/api/members/${member.id}/cards`).set(cashier.auth).set(idem()).send({ storeId: store.id }).expect(201);
      expect(await entriesOf(card.body.id)).toEqual([{ staff_id: cashier.id, kind: 'accrual', source: 'card_issue', amount: 500, base: 0, quantity: 1 }]);
    });

    it('writes one accrual per top-up and one reversal per refund however many run together', async () => {
      const member = await makeMember(t.ds, { homeStoreId: store.id });
      const ups = await Promise.all(Array.from({ length: 8 }, () => t.http.post(`/api/members/${member.id}/wallet/top-ups`).set(cashier.auth).set(idem()).send({ storeId: store.id, amountFen: 100000, paymentMethod: 'cash' })));
      expect(ups.map((r) => r.status)).toEqual(Array(8).fill(201));
      const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM commission_entry WHERE ref_id = ANY($1::text[])`, [ups.map((r) => r.body.id)]);
      expect(n).toBe(8);
      const refunds = await Promise.all(Array.from({ length: 5 }, () => t.http.post(`/api/wallet/top-ups/${ups[0].body.id}/refund`).set(cashier.auth).set(idem()).send({ reason: '重复点击' })));
      expect(refunds.filter((r) => r.status === 200)).toHaveLength(1);
      expect((await entriesOf(ups[0].body.id)).map((r: { amount: number }) => r.amount)).toEqual([2000, -2000]);
      await reconciled();
    });
  });

  describe('reads', () => {
    it('shows the ledger, my own commission and performance, each store only its own', async () => {
      const mine = await t.http.get('/api/commission/mine').set(cashier.auth).expect(200);
      expect(mine.body.amountFen).toBe(4000 + 500 + 8 * 2000 - 2000);
      const entries = await t.http.get('/api/commission/entries').query({ staffId: senior.id, pageSize: 50 }).set(manager.auth).expect(200);
      expect(entries.body.items.every((e: { staffId: string }) => e.staffId === senior.id)).toBe(true);
      const managerB = await signedIn(t.ds, t.http, 'store_manager', [storeB.id]);
      expect((await t.http.get('/api/commission/entries').set(managerB.auth).expect(200)).body.items).toEqual([]);
      await t.http.get('/api/commission/entries').set(cashier.auth).expect(403);
      const perf = await t.http.get('/api/commission/performance').set(manager.auth).expect(200);
      const row = (id: string) => perf.body.staff.find((s: { staffId: string }) => s.staffId === id);
      expect(row(junior.id)).toMatchObject({ salesFen: 0, servicesPerformed: 0, productsSold: 0, countCardsSold: 1, commissionFen: 3000 });
      expect(row(cashier.id)).toMatchObject({ topUpFen: 200000 + 7 * 100000, cardsIssued: 1 });
    });
  });
});
