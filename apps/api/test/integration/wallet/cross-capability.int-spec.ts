import { makeCountCardTemplate, makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { balance, expectReconciled, idemKey, setPayPassword, setSettings, topUp } from './wallet-helpers';

/** Stored value as the payment of other capabilities, and top-ups feeding tiers. */
describe('stored value across capabilities', () => {
  let t: TestApp;
  let store: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashier: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashier = await signedIn(t.ds, t.http, 'cashier', [store.id]);
    await openShift(t.http, cashier, store.id);
    await openShift(t.http, owner, store.id);
    await t.http.post('/api/tiers').set(owner.auth).send({ name: '普通会员', level: 1, isInitial: true }).expect(201);
  });
  afterAll(() => t.close());

  const member = async () => {
    const res = await t.http.post('/api/members').set(cashier.auth).send({ name: '储值会员' }).expect(201);
    return res.body.id as string;
  };
  const sellCard = (memberId: string, body: Record<string, unknown>) =>
    t.http.post(`/api/members/${memberId}/count-cards`).set(cashier.auth).set('Idempotency-Key', idemKey()).send({ storeId: store.id, ...body });

  it('sells a count card paid from stored value, in the chain’s consumption order and with the payment password', async () => {
    const memberId = await member();
    await t.ds.query(`INSERT INTO wallet_bonus_rule (name, threshold_fen, bonus_fen) VALUES ('充500送100', 50000, 10000)`);
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 50000, paymentMethod: 'cash' }).expect(201);
    expect(await balance(t, cashier.auth, memberId)).toMatchObject({ principalFen: 50000, bonusFen: 10000 });
    await setSettings(t, owner.auth, { consumptionOrder: 'bonus_first' });
    await setPayPassword(t, memberId, '135790');
    const template = await makeCountCardTemplate(t.ds, { priceFen: 36800 });
    const noPassword = await sellCard(memberId, { templateId: template.id, paymentMethod: 'stored_value' }).expect(400);
    expect(noPassword.body.error.code).toBe('MEMBER_PAY_PASSWORD_REQUIRED');
    const sold = await sellCard(memberId, { templateId: template.id, paymentMethod: 'stored_value', password: '135790' }).expect(201);
    expect(sold.body).toMatchObject({ paymentMethod: 'stored_value', status: 'active' });
    // Bonus first: 100 元 of bonus, then 268 元 of principal.
    expect(await balance(t, cashier.auth, memberId)).toMatchObject({ principalFen: 50000 - 26800, bonusFen: 0 });
    await expectReconciled(t, owner.auth);
  });

  it('refuses a stored-value sale the balance cannot cover and sells nothing', async () => {
    const memberId = await member();
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 10000, paymentMethod: 'cash' }).expect(201);
    const template = await makeCountCardTemplate(t.ds, { priceFen: 36800 });
    const res = await sellCard(memberId, { templateId: template.id, paymentMethod: 'stored_value' }).expect(409);
    expect(res.body.error.code).toBe('WALLET_INSUFFICIENT_BALANCE');
    expect((await t.ds.query('SELECT count(*)::int AS n FROM member_count_card WHERE member_id = $1', [memberId]))[0].n).toBe(0);
    expect(await balance(t, cashier.auth, memberId)).toMatchObject({ principalFen: 10000 });
  });

  it('lifts a member into a top-up tier as soon as a top-up crosses its threshold (充值升级)', async () => {
    const silver = await t.http
      .post('/api/tiers')
      .set(owner.auth)
      .send({ name: '银卡', level: 2, discountBps: 9500, upgrade: { metric: 'top_up', threshold: 100000, windowDays: 365 } })
      .expect(201);
    const memberId = await member();
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 60000, paymentMethod: 'cash' }).expect(201);
    expect((await t.http.get(`/api/members/${memberId}`).set(cashier.auth)).body.tierId).not.toBe(silver.body.id);
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 40000, paymentMethod: 'cash' }).expect(201);
    expect((await t.http.get(`/api/members/${memberId}`).set(cashier.auth)).body.tierId).toBe(silver.body.id);
    const changes = await t.ds.query(`SELECT source FROM member_tier_change WHERE member_id = $1 ORDER BY at`, [memberId]);
    expect(changes.map((c: { source: string }) => c.source)).toEqual(['auto', 'auto']);
  });

  it('sells a paid tier from stored value in the chain’s consumption order', async () => {
    await setSettings(t, owner.auth, { consumptionOrder: 'principal_first' });
    const vip = await t.http.post('/api/tiers').set(owner.auth).send({ name: '黑金', level: 9, priceFen: 29900, validityDays: 365 }).expect(201);
    const memberId = await member();
    await t.ds.query(`UPDATE wallet_bonus_rule SET active = false`);
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 20000, paymentMethod: 'cash' }).expect(201);
    await t.ds.query(`INSERT INTO wallet_bonus_rule (name, threshold_fen, bonus_fen) VALUES ('充100送50', 10000, 5000)`);
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 10000, paymentMethod: 'cash' }).expect(201);
    const bought = await t.http
      .post(`/api/members/${memberId}/tier-purchases`)
      .set(cashier.auth)
      .set('Idempotency-Key', idemKey())
      .send({ tierId: vip.body.id, storeId: store.id, paymentMethod: 'wallet' })
      .expect(201);
    expect(bought.body).toMatchObject({ principalFen: 29900, bonusFen: 0 });
    expect(await balance(t, cashier.auth, memberId)).toMatchObject({ principalFen: 100, bonusFen: 5000 });
    await expectReconciled(t, owner.auth);
  });

  it('gives a count card with a top-up when the bonus rule says so, and takes it back with a refund while unused (充值送次卡)', async () => {
    const template = await makeCountCardTemplate(t.ds, { name: '洗剪吹 3 次', uses: 3, priceFen: 9900, serviceCodes: ['wash_cut'] });
    await t.ds.query(`UPDATE wallet_bonus_rule SET active = false`);
    const missing = await t.http
      .post('/api/wallet/bonus-rules')
      .set(owner.auth)
      .send({ name: '充300送次卡', thresholdFen: 30000, bonusCountCardTemplateId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    expect(missing.body.error.code).toBe('COUNT_CARD_TEMPLATE_NOT_FOUND');
    const rule = await t.http.post('/api/wallet/bonus-rules').set(owner.auth).send({ name: '充300送次卡', thresholdFen: 30000, bonusCountCardTemplateId: template.id }).expect(201);
    expect(rule.body).toMatchObject({ bonusFen: 0, bonusPoints: 0, bonusCountCardTemplateId: template.id });

    const memberId = await member();
    const first = await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 30000, paymentMethod: 'cash' }).expect(201);
    expect(first.body.bonusCountCardId).toEqual(expect.any(String));
    const card = await t.http.get(`/api/count-cards/${first.body.bonusCountCardId}`).set(cashier.auth).expect(200);
    expect(card.body).toMatchObject({ memberId, paymentMethod: 'bonus', status: 'active', unitsLeft: 3 });
    const refunded = await t.http.post(`/api/wallet/top-ups/${first.body.id}/refund`).set(cashier.auth).set('Idempotency-Key', idemKey()).send({ reason: '顾客退款' }).expect(200);
    expect(refunded.body.status).toBe('refunded');
    expect((await t.http.get(`/api/count-cards/${first.body.bonusCountCardId}`).set(cashier.auth).expect(200)).body).toMatchObject({ status: 'refunded', unitsLeft: 0 });

    // A used bonus card cannot be taken back: the refund is refused and nothing changes.
    const second = await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 30000, paymentMethod: 'cash' }).expect(201);
    await t.http
      .post(`/api/count-cards/${second.body.bonusCountCardId}/redemptions`)
      .set(cashier.auth)
      .set('Idempotency-Key', idemKey())
      .send({ storeId: store.id, serviceCode: 'wash_cut' })
      .expect(201);
    const refused = await t.http.post(`/api/wallet/top-ups/${second.body.id}/refund`).set(cashier.auth).set('Idempotency-Key', idemKey()).send({ reason: '想退' }).expect(409);
    expect(refused.body.error.code).toBe('WALLET_TOP_UP_BONUS_SPENT');
    expect(await balance(t, cashier.auth, memberId)).toMatchObject({ principalFen: 30000 });
    await expectReconciled(t, owner.auth);
  });

  it('lets a member buy a paid tier with stored value in the member app, with the payment password', async () => {
    const { AuthService } = await import('../../../src/modules/auth/auth.service');
    const vip = await t.http.post('/api/tiers').set(owner.auth).send({ name: '至尊', level: 20, priceFen: 19900, validityDays: 30 }).expect(201);
    const memberId = await member();
    await topUp(t, cashier.auth, memberId, { storeId: store.id, amountFen: 20000, paymentMethod: 'cash' }).expect(201);
    await setPayPassword(t, memberId, '975310');
    const session = await t.app.get(AuthService).issueMemberSession(memberId);
    const me = { Authorization: `Bearer ${session.accessToken}` };
    const buy = (body: object) => t.http.post('/api/me/tier-purchases').set(me).set('Idempotency-Key', idemKey()).send(body);
    expect((await buy({ tierId: vip.body.id, password: '000000' }).expect(400)).body.error.code).toBe('MEMBER_PAY_PASSWORD_WRONG');
    const bought = await buy({ tierId: vip.body.id, password: '975310' }).expect(201);
    expect(bought.body).toMatchObject({ tierId: vip.body.id, priceFen: 19900, paymentMethod: 'wallet', storeId: store.id });
    expect((await t.http.get('/api/me/tier').set(me).expect(200)).body).toMatchObject({ tier: { id: vip.body.id } });
    expect(await balance(t, cashier.auth, memberId)).toMatchObject({ principalFen: 100 });
    // A staff token cannot buy on a member's behalf through the member route.
    await t.http.post('/api/me/tier-purchases').set(cashier.auth).set('Idempotency-Key', idemKey()).send({ tierId: vip.body.id }).expect(403);
    await expectReconciled(t, owner.auth);
  });
});
