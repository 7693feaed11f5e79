import { AuthService } from '../../../src/modules/auth/auth.service';
import { makeCountCardTemplate, makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { countCardApi } from './support';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('count cards', () => {
  let t: TestApp;
  let api: ReturnType<typeof countCardApi>;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let cashierA: Signed;
  let cashierB: Signed;
  let technicianA: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    api = countCardApi(t.http);
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    technicianA = await signedIn(t.ds, t.http, 'technician', [storeA.id]);
    // Counter money needs an open shift (交班).
    for (const [session, storeId] of [[cashierA, storeA.id], [cashierB, storeB.id], [owner, storeA.id], [owner, storeB.id]] as const) await openShift(t.http, session, storeId);
  });
  afterAll(() => t.close());

  const expectReconciled = async () => expect(await api.reconcile(owner.auth)).toEqual({ status: 200, ok: true, failing: [] });
  const countRows = async (table: string) => Number((await t.ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const balanceOf = async (cardId: string) => {
    const rows = await t.ds.query(`SELECT balance FROM account WHERE kind = 'count_card' AND ref_id = $1`, [cardId]);
    return rows.length ? Number(rows[0].balance) : null;
  };

  describe('templates', () => {
    it('lets HQ create a template of each kind, audited', async () => {
      const count = await t.http
        .post('/api/count-card-templates')
        .set(owner.auth)
        .send({ name: '洗剪吹 10 次卡', kind: 'count', serviceCodes: ['HAIRCUT', 'WASH'], uses: 10, priceFen: 29900, validityDays: 365 })
        .expect(201);
      expect(count.body).toMatchObject({ kind: 'count', uses: 10, priceFen: 29900, validityDays: 365, status: 'on_sale', sellingStoreIds: [] });
      const period = await t.http
        .post('/api/count-card-templates')
        .set(owner.auth)
        .send({ name: '包月健身卡', kind: 'period', serviceCodes: ['GYM'], periodDays: 30, dailyLimit: 1, priceFen: 19900 })
        .expect(201);
      expect(period.body).toMatchObject({ kind: 'period', periodDays: 30, dailyLimit: 1, uses: null, validityDays: null });
      const time = await t.http
        .post('/api/count-card-templates')
        .set(owner.auth)
        .send({ name: '台球 10 小时卡', kind: 'time', serviceCodes: ['BILLIARDS'], minutes: 600, priceFen: 50000, fixedValidUntil: '2099-12-31', sellingStoreIds: [storeB.id] })
        .expect(201);
      expect(time.body).toMatchObject({ kind: 'time', minutes: 600, fixedValidUntil: '2099-12-31', sellingStoreIds: [storeB.id] });
      const [audit] = await t.ds.query(`SELECT after FROM audit_log WHERE action = 'count_card_template.create' AND entity_id = $1`, [count.body.id]);
      expect(audit.after).toMatchObject({ name: '洗剪吹 10 次卡', priceFen: 29900 });
      const listed = await t.http.get('/api/count-card-templates').set(cashierA.auth).query({ storeId: storeA.id }).expect(200);
      const ids = listed.body.items.map((x: { id: string }) => x.id);
      expect(ids).toEqual(expect.arrayContaining([count.body.id, period.body.id]));
      expect(ids).not.toContain(time.body.id);
    });

    it('refuses numbers that do not fit the kind, and bad input, with 400 and the fields, creating nothing', async () => {
      const before = await countRows('count_card_template');
      const cases: [object, string[]][] = [
        [{ name: '缺次数', kind: 'count', serviceCodes: ['A'], priceFen: 100 }, ['uses']],
        [{ name: '包月', kind: 'period', serviceCodes: ['A'], periodDays: 30, validityDays: 30, priceFen: 100 }, ['validityDays']],
        [{ name: '计时', kind: 'time', serviceCodes: ['A'], minutes: 60, uses: 3, priceFen: 100 }, ['uses']],
        [{ name: '两种有效期', kind: 'count', serviceCodes: ['A'], uses: 3, validityDays: 10, fixedValidUntil: '2099-01-01', priceFen: 100 }, ['fixedValidUntil']],
        [{ name: '', kind: 'bogus', serviceCodes: [], priceFen: -1 }, ['kind', 'name', 'priceFen', 'serviceCodes']],
        [{ name: '小数', kind: 'count', serviceCodes: ['A'], uses: 1.5, priceFen: 99.9 }, ['priceFen', 'uses']],
        [{ name: '外店', kind: 'count', serviceCodes: ['A'], uses: 1, priceFen: 1, sellingStoreIds: ['not-a-uuid'] }, ['sellingStoreIds']],
      ];
      for (const [body, fields] of cases) {
        const res = await t.http.post('/api/count-card-templates').set(owner.auth).send(body);
        expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
        expect({ body, fields: [...new Set(res.body.error.details.map((d: { field: string }) => d.field))].sort() }).toEqual({ body, fields });
      }
      expect(await countRows('count_card_template')).toBe(before);
    });

    it('keeps template management to HQ', async () => {
      const body = { name: '店长卡', kind: 'count', serviceCodes: ['A'], uses: 1, priceFen: 1 };
      await t.http.post('/api/count-card-templates').set(cashierA.auth).send(body).expect(403);
      const tpl = await makeCountCardTemplate(t.ds);
      await t.http.patch(`/api/count-card-templates/${tpl.id}`).set(cashierA.auth).send({ priceFen: 1 }).expect(403);
    });

    it('edits a template, audited, and an off-sale template can no longer be sold while sold cards keep their snapshot', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { name: '旧名', uses: 5, priceFen: 10000 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const upd = await t.http.patch(`/api/count-card-templates/${tpl.id}`).set(owner.auth).send({ name: '新名', priceFen: 12000, status: 'off_sale' }).expect(200);
      expect(upd.body).toMatchObject({ name: '新名', priceFen: 12000, status: 'off_sale' });
      const [audit] = await t.ds.query(`SELECT before, after FROM audit_log WHERE action = 'count_card_template.update' AND entity_id = $1`, [tpl.id]);
      expect(audit.before).toMatchObject({ name: '旧名', priceFen: 10000, status: 'on_sale' });
      expect(audit.after).toMatchObject({ name: '新名', priceFen: 12000, status: 'off_sale' });
      const refused = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(409);
      expect(refused.body.error.code).toBe('COUNT_CARD_TEMPLATE_OFF_SALE');
      const card = await api.card(cashierA.auth, sold.body.id).expect(200);
      expect(card.body).toMatchObject({ name: '旧名', priceFen: 10000, unitsLeft: 5 });
      const bad = await t.http.patch(`/api/count-card-templates/${tpl.id}`).set(owner.auth).send({ uses: null }).expect(400);
      expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['uses']);
    });
  });

  describe('selling and redeeming', () => {
    it('sells a count card with its uses credited in the ledger and redeems it at another store', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { name: '洗剪吹卡', serviceCodes: ['HAIRCUT', 'WASH'], uses: 10, priceFen: 29900, validityDays: 30 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'bank_card' }).expect(201);
      expect(sold.body).toMatchObject({
        memberId: member.id,
        kind: 'count',
        unit: 'uses',
        unitsTotal: 10,
        unitsLeft: 10,
        priceFen: 29900,
        paymentMethod: 'bank_card',
        status: 'active',
        soldStoreId: storeA.id,
        soldByStaffId: cashierA.id,
      });
      // 30 days from the business day of sale in Asia/Shanghai: it stops at a Shanghai midnight.
      const [{ expected }] = await t.ds.query(
        `SELECT (((now() AT TIME ZONE 'Asia/Shanghai')::date + 30)::timestamp AT TIME ZONE 'Asia/Shanghai') AS expected`,
      );
      expect(sold.body.validUntil).toBe(new Date(expected).toISOString());
      const [entry] = await t.ds.query(`SELECT amount, reason, ref_type, ref_id, store_id FROM ledger_entry WHERE ref_id = $1`, [sold.body.id]);
      expect(entry).toEqual({ amount: '10', reason: 'purchase', ref_type: 'member_count_card', ref_id: sold.body.id, store_id: storeA.id });
      const [audit] = await t.ds.query(`SELECT store_id, after FROM audit_log WHERE action = 'count_card.sell' AND entity_id = $1`, [sold.body.id]);
      expect(audit).toMatchObject({ store_id: storeA.id, after: { priceFen: 29900, paymentMethod: 'bank_card' } });

      const r = await api.redeem(cashierB.auth, sold.body.id, { storeId: storeB.id, serviceCode: 'WASH', quantity: 2, staffId: cashierB.id }).expect(201);
      expect(r.body).toMatchObject({ countCardId: sold.body.id, storeId: storeB.id, serviceCode: 'WASH', quantity: 2, staffId: cashierB.id, unitsLeft: 8, reversedAt: null });
      await api.redeem(technicianA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(201);
      const detail = await api.card(cashierA.auth, sold.body.id).expect(200);
      expect(detail.body.unitsLeft).toBe(7);
      expect(detail.body.redemptions.map((x: { storeId: string; quantity: number }) => [x.storeId, x.quantity]).sort()).toEqual(
        [[storeA.id, 1], [storeB.id, 2]].sort(),
      );
      const list = await t.http.get(`/api/members/${member.id}/count-cards`).set(cashierB.auth).expect(200);
      expect(list.body.map((c: { id: string; unitsLeft: number }) => [c.id, c.unitsLeft])).toEqual([[sold.body.id, 7]]);
      expect(await balanceOf(sold.body.id)).toBe(7);
      await expectReconciled();
    });

    it('refuses a service the card does not cover and changes nothing', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { serviceCodes: ['HAIRCUT'], uses: 3 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const res = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'MASSAGE' }).expect(409);
      expect(res.body.error).toMatchObject({ code: 'COUNT_CARD_SERVICE_NOT_COVERED', details: { serviceCode: 'MASSAGE', covered: ['HAIRCUT'] } });
      expect(await balanceOf(sold.body.id)).toBe(3);
      expect((await t.ds.query('SELECT 1 FROM count_card_redemption WHERE count_card_id = $1', [sold.body.id])).length).toBe(0);
    });

    it('refuses more uses than are left without debiting any', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 2 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const res = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT', quantity: 3 }).expect(409);
      expect(res.body.error.code).toBe('COUNT_CARD_NO_USES_LEFT');
      expect(await balanceOf(sold.body.id)).toBe(2);
      await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT', quantity: 2 }).expect(201);
      const card = await api.card(cashierA.auth, sold.body.id).expect(200);
      expect(card.body).toMatchObject({ status: 'used_up', unitsLeft: 0 });
      const again = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(409);
      expect(again.body.error.code).toBe('COUNT_CARD_NO_USES_LEFT');
      await expectReconciled();
    });

    it('sells only at the template’s stores, though the card is redeemable everywhere', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { storeIds: [storeB.id] });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const refused = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(409);
      expect(refused.body.error.code).toBe('COUNT_CARD_TEMPLATE_NOT_SOLD_HERE');
      const sold = await api.sell(cashierB.auth, member.id, { templateId: tpl.id, storeId: storeB.id, paymentMethod: 'cash' }).expect(201);
      await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(201);
    });

    it('replays a sale for a repeated Idempotency-Key and sells only once', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 4 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const body = { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' };
      const first = await api.sell(cashierA.auth, member.id, body, 'sale-key-0001').expect(201);
      const again = await api.sell(cashierA.auth, member.id, body, 'sale-key-0001').expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const parallel = await Promise.all(Array.from({ length: 8 }, () => api.sell(cashierA.auth, member.id, body, 'sale-key-0002')));
      const ids = new Set(parallel.filter((r) => r.status === 201).map((r) => r.body.id));
      expect(ids.size).toBe(1);
      expect(parallel.every((r) => r.status === 201 || (r.status === 409 && r.body.error.code === 'IDEMPOTENCY_KEY_IN_FLIGHT'))).toBe(true);
      const cards = await t.ds.query('SELECT id FROM member_count_card WHERE member_id = $1', [member.id]);
      expect(cards.length).toBe(2);
      const noKey = await t.http.post(`/api/members/${member.id}/count-cards`).set(cashierA.auth).send(body).expect(400);
      expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      await expectReconciled();
    });

    it('refuses bad input with 400 and the offending fields, changing nothing', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 3 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const [cards, redemptions, entries] = [await countRows('member_count_card'), await countRows('count_card_redemption'), await countRows('ledger_entry')];
      const sale = await api.sell(cashierA.auth, member.id, { templateId: 'x', storeId: storeA.id, paymentMethod: 'wechat' }).expect(400);
      expect(sale.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['paymentMethod', 'templateId']);
      const redeem = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: '', quantity: 0 }).expect(400);
      expect(redeem.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['quantity', 'serviceCode']);
      const r = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(201);
      const reverse = await api.reverse(cashierA.auth, r.body.id, { reason: '' }).expect(400);
      expect(reverse.body.error.details.map((d: { field: string }) => d.field)).toEqual(['reason']);
      const timer = await api.start(cashierA.auth, sold.body.id, { storeId: 'nope' }).expect(400);
      expect(timer.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['serviceCode', 'storeId']);
      expect([await countRows('member_count_card'), await countRows('count_card_redemption'), await countRows('ledger_entry')]).toEqual([cards, redemptions + 1, entries + 1]);
      const unknownCard = await api.redeem(cashierA.auth, '00000000-0000-4000-8000-000000000000', { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(404);
      expect(unknownCard.body.error.code).toBe('COUNT_CARD_NOT_FOUND');
    });
  });

  describe('reversal', () => {
    it('gives the uses of a mistaken redemption back once, audited, and reopens a used-up card', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 2 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const r = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT', quantity: 2 }).expect(201);
      expect((await api.card(cashierA.auth, sold.body.id)).body.status).toBe('used_up');
      const results = await Promise.all(Array.from({ length: 8 }, () => api.reverse(cashierA.auth, r.body.id, { reason: '核销错了卡' })));
      const ok = results.filter((x) => x.status === 200);
      expect(ok.length).toBe(1);
      expect(results.filter((x) => x.status !== 200).map((x) => x.body.error.code)).toEqual(Array(7).fill('COUNT_CARD_REDEMPTION_REVERSED'));
      expect(ok[0].body).toMatchObject({ id: r.body.id, unitsLeft: 2, reversalReason: '核销错了卡', reversedAt: expect.any(String) });
      const card = await api.card(cashierA.auth, sold.body.id).expect(200);
      expect(card.body).toMatchObject({ status: 'active', unitsLeft: 2 });
      expect(card.body.redemptions[0]).toMatchObject({ id: r.body.id, reversalReason: '核销错了卡' });
      const [audit] = await t.ds.query(`SELECT reason, store_id FROM audit_log WHERE action = 'count_card.redemption.reverse' AND entity_id = $1`, [r.body.id]);
      expect(audit).toEqual({ reason: '核销错了卡', store_id: storeA.id });
      await expectReconciled();
    });
  });

  describe('concurrency', () => {
    it('lets exactly 10 of 64 parallel redemptions of a 10-use card succeed and never goes below zero', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 10 });
      const member = await makeMember(t.ds, { homeStoreId: storeA.id });
      const sold = await api.sell(cashierA.auth, member.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) => api.redeem(i % 2 ? cashierA.auth : cashierB.auth, sold.body.id, { storeId: i % 2 ? storeA.id : storeB.id, serviceCode: 'HAIRCUT' })),
      );
      expect(results.filter((r) => r.status === 201).length).toBe(10);
      expect(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.error?.code}`)).toEqual(Array(54).fill('409 COUNT_CARD_NO_USES_LEFT'));
      expect(results.filter((r) => r.status === 201).map((r) => r.body.unitsLeft).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await balanceOf(sold.body.id)).toBe(0);
      expect(await countRows(`count_card_redemption WHERE count_card_id = '${sold.body.id}'`)).toBe(10);
      const card = await api.card(owner.auth, sold.body.id).expect(200);
      expect(card.body).toMatchObject({ unitsLeft: 0, status: 'used_up' });
      await expectReconciled();
    });
  });

  describe('scoping', () => {
    it('keeps store B’s redemptions and timers away from store A’s staff while the card itself is served everywhere', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 5 });
      const timeTpl = await makeCountCardTemplate(t.ds, { kind: 'time', serviceCodes: ['BILLIARDS'], minutes: 120 });
      const member = await makeMember(t.ds, { homeStoreId: storeB.id });
      const sold = await api.sell(cashierB.auth, member.id, { templateId: tpl.id, storeId: storeB.id, paymentMethod: 'cash' }).expect(201);
      const timeCard = await api.sell(cashierB.auth, member.id, { templateId: timeTpl.id, storeId: storeB.id, paymentMethod: 'cash' }).expect(201);
      const r = await api.redeem(cashierB.auth, sold.body.id, { storeId: storeB.id, serviceCode: 'HAIRCUT' }).expect(201);
      const timer = await api.start(cashierB.auth, timeCard.body.id, { storeId: storeB.id, serviceCode: 'BILLIARDS' }).expect(201);

      const reverse = await api.reverse(cashierA.auth, r.body.id, { reason: '越权' }).expect(404);
      expect(reverse.body.error.code).toBe('COUNT_CARD_REDEMPTION_NOT_FOUND');
      const stop = await api.stop(cashierA.auth, timer.body.id).expect(404);
      expect(stop.body.error.code).toBe('COUNT_CARD_TIMER_NOT_FOUND');
      const atB = await api.redeem(cashierA.auth, sold.body.id, { storeId: storeB.id, serviceCode: 'HAIRCUT' }).expect(404);
      expect(atB.body.error.code).toBe('STORE_NOT_FOUND');
      expect(await balanceOf(sold.body.id)).toBe(4);
      expect((await t.ds.query('SELECT stopped_at FROM count_card_timer WHERE id = $1', [timer.body.id]))[0].stopped_at).toBeNull();

      // The card is the member's (跨店通用): store A reads and redeems it at A.
      await api.card(cashierA.auth, sold.body.id).expect(200);
      await api.redeem(cashierA.auth, sold.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(201);
      await api.reverse(cashierB.auth, r.body.id, { reason: '录错' }).expect(200);
      await api.stop(owner.auth, timer.body.id).expect(200);
      await expectReconciled();
    });
  });

  describe('member app', () => {
    it('shows a member his own cards and answers 404 for another member’s', async () => {
      const tpl = await makeCountCardTemplate(t.ds, { uses: 6, name: '我的次卡' });
      const me = await makeMember(t.ds, { homeStoreId: storeA.id });
      const other = await makeMember(t.ds, { homeStoreId: storeA.id });
      const mine = await api.sell(cashierA.auth, me.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      const theirs = await api.sell(cashierA.auth, other.id, { templateId: tpl.id, storeId: storeA.id, paymentMethod: 'cash' }).expect(201);
      await api.redeem(cashierA.auth, mine.body.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(201);
      const token = (await t.app.get(AuthService).issueMemberSession(me.id)).accessToken;
      const auth = { Authorization: `Bearer ${token}` };
      const list = await t.http.get('/api/me/count-cards').set(auth).expect(200);
      expect(list.body.map((c: { id: string; unitsLeft: number; name: string }) => [c.id, c.unitsLeft, c.name])).toEqual([[mine.body.id, 5, '我的次卡']]);
      const one = await t.http.get(`/api/me/count-cards/${mine.body.id}`).set(auth).expect(200);
      expect(one.body).toMatchObject({ id: mine.body.id, unitsLeft: 5, validUntil: mine.body.validUntil, status: 'active' });
      expect(one.body.redemptions.length).toBe(1);
      const foreign = await t.http.get(`/api/me/count-cards/${theirs.body.id}`).set(auth).expect(404);
      expect(foreign.body.error.code).toBe('COUNT_CARD_NOT_FOUND');
      await t.http.get(`/api/me/count-cards`).set(cashierA.auth).expect(403);
      await t.http.get(`/api/count-cards/${mine.body.id}`).set(auth).expect(403);
    });
  });
});
