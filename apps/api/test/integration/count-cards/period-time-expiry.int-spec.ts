import { JobScheduler } from '../../../src/common/jobs/job-scheduler';
import { CountCardsService } from '../../../src/modules/count-cards/count-cards.service';
import type { StaffActor } from '../../../src/common/auth/actor';
import { makeCountCardTemplate, makeMember, makeStore, openShift, signedIn } from '../../factories';
import { createTestApp, type TestApp } from '../../support/test-app';
import { countCardApi } from './support';

type Signed = Awaited<ReturnType<typeof signedIn>>;

describe('period cards, time cards and expiry', () => {
  let t: TestApp;
  let api: ReturnType<typeof countCardApi>;
  let storeA: { id: string };
  let storeB: { id: string };
  let owner: Signed;
  let cashierA: Signed;
  let cashierB: Signed;

  beforeAll(async () => {
    t = await createTestApp();
    api = countCardApi(t.http);
    storeA = await makeStore(t.ds);
    storeB = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashierA = await signedIn(t.ds, t.http, 'cashier', [storeA.id]);
    cashierB = await signedIn(t.ds, t.http, 'cashier', [storeB.id]);
    // Counter money needs an open shift (交班).
    for (const [session, storeId] of [[cashierA, storeA.id], [cashierB, storeB.id], [owner, storeA.id], [owner, storeB.id]] as const) await openShift(t.http, session, storeId);
  });
  afterAll(() => t.close());

  const expectReconciled = async () => expect(await api.reconcile(owner.auth)).toEqual({ status: 200, ok: true, failing: [] });
  const balanceOf = async (cardId: string) => {
    const rows = await t.ds.query(`SELECT balance FROM account WHERE kind = 'count_card' AND ref_id = $1`, [cardId]);
    return rows.length ? Number(rows[0].balance) : null;
  };
  const sellNew = async (over: Parameters<typeof makeCountCardTemplate>[1], store = storeA, cashier = cashierA) => {
    const tpl = await makeCountCardTemplate(t.ds, over);
    const member = await makeMember(t.ds, { homeStoreId: store.id });
    const res = await api.sell(cashier.auth, member.id, { templateId: tpl.id, storeId: store.id, paymentMethod: 'cash' }).expect(201);
    return { card: res.body, member };
  };

  describe('period cards (包月卡)', () => {
    it('allows unlimited use within the period up to the per-day limit, with no ledger balance', async () => {
      const { card } = await sellNew({ kind: 'period', serviceCodes: ['GYM'], periodDays: 30, dailyLimit: 2 });
      expect(card).toMatchObject({ kind: 'period', unit: 'days', unitsTotal: null, unitsLeft: null, periodDays: 30, dailyLimit: 2 });
      await api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'GYM' }).expect(201);
      const second = await api.redeem(cashierB.auth, card.id, { storeId: storeB.id, serviceCode: 'GYM' }).expect(201);
      const third = await api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'GYM' }).expect(409);
      expect(third.body.error).toMatchObject({ code: 'COUNT_CARD_DAILY_LIMIT_REACHED', details: { dailyLimit: 2, usedToday: 2 } });
      await api.reverse(cashierB.auth, second.body.id, { reason: '重复核销' }).expect(200);
      await api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'GYM' }).expect(201);
      expect(await balanceOf(card.id)).toBeNull();
      await expectReconciled();
    });

    it('counts the limit per business day in Asia/Shanghai', async () => {
      const { card } = await sellNew({ kind: 'period', serviceCodes: ['GYM'], periodDays: 30, dailyLimit: 1 });
      const svc = t.app.get(CountCardsService);
      const actor = { kind: 'staff', id: cashierA.id, name: 'x', scope: 'store', storeIds: [storeA.id], permissions: new Set(), familyId: 'f' } as StaffActor;
      // 23:30 and 23:59 Shanghai time are one business day; 00:10 the next morning is another.
      const day = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
      const at = (hhmm: string, plusDays = 0) => new Date(new Date(`${day}T${hhmm}:00+08:00`).getTime() + plusDays * 86400_000);
      await svc.redeem(actor, card.id, { storeId: storeA.id, serviceCode: 'GYM' }, at('23:30'));
      await expect(svc.redeem(actor, card.id, { storeId: storeA.id, serviceCode: 'GYM' }, at('23:59'))).rejects.toMatchObject({ code: 'COUNT_CARD_DAILY_LIMIT_REACHED' });
      await svc.redeem(actor, card.id, { storeId: storeA.id, serviceCode: 'GYM' }, at('00:10', 1));
      const rows = await t.ds.query('SELECT count(*)::int AS n FROM count_card_redemption WHERE count_card_id = $1', [card.id]);
      expect(rows[0].n).toBe(2);
    });

    it('lets exactly the daily limit of 20 parallel redemptions through', async () => {
      const { card } = await sellNew({ kind: 'period', serviceCodes: ['GYM'], periodDays: 30, dailyLimit: 3 });
      const results = await Promise.all(Array.from({ length: 20 }, () => api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'GYM' })));
      expect(results.filter((r) => r.status === 201).length).toBe(3);
      expect(results.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(Array(17).fill('COUNT_CARD_DAILY_LIMIT_REACHED'));
      const rows = await t.ds.query('SELECT count(*)::int AS n FROM count_card_redemption WHERE count_card_id = $1', [card.id]);
      expect(rows[0].n).toBe(3);
    });

    it('lasts the period from the day of sale and refuses use afterwards', async () => {
      const { card } = await sellNew({ kind: 'period', serviceCodes: ['GYM'], periodDays: 30 });
      const [{ expected }] = await t.ds.query(`SELECT (((now() AT TIME ZONE 'Asia/Shanghai')::date + 30)::timestamp AT TIME ZONE 'Asia/Shanghai') AS expected`);
      expect(card.validUntil).toBe(new Date(expected).toISOString());
      await t.ds.query(`UPDATE member_count_card SET valid_until = now() - interval '1 second' WHERE id = $1`, [card.id]);
      const res = await api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'GYM' }).expect(409);
      expect(res.body.error.code).toBe('COUNT_CARD_EXPIRED');
    });
  });

  describe('time cards (计时卡)', () => {
    it('bills a stopped timer’s minutes, rounded up, and records what the card could not cover', async () => {
      const { card } = await sellNew({ kind: 'time', serviceCodes: ['BILLIARDS'], minutes: 60 });
      expect(card).toMatchObject({ unit: 'minutes', unitsTotal: 60, unitsLeft: 60 });
      expect(await balanceOf(card.id)).toBe(60);
      const timer = await api.start(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'BILLIARDS', staffId: cashierA.id }).expect(201);
      expect(timer.body).toMatchObject({ countCardId: card.id, storeId: storeA.id, stoppedAt: null, minutesUsed: null });
      const twice = await api.start(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'BILLIARDS' }).expect(409);
      expect(twice.body.error.code).toBe('COUNT_CARD_TIMER_RUNNING');
      expect((await api.card(cashierA.auth, card.id)).body.runningTimerId).toBe(timer.body.id);

      await t.ds.query(`UPDATE count_card_timer SET started_at = now() - interval '25 minutes 10 seconds' WHERE id = $1`, [timer.body.id]);
      const stopped = await api.stop(cashierA.auth, timer.body.id, 'stop-key-0001').expect(200);
      expect(stopped.body).toMatchObject({ minutesUsed: 26, minutesBilled: 26, shortfallMinutes: 0, unitsLeft: 34, stoppedAt: expect.any(String) });
      const replay = await api.stop(cashierA.auth, timer.body.id, 'stop-key-0001').expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(stopped.body);
      const again = await api.stop(cashierA.auth, timer.body.id).expect(409);
      expect(again.body.error.code).toBe('COUNT_CARD_TIMER_STOPPED');
      expect(await balanceOf(card.id)).toBe(34);

      const second = await api.start(cashierB.auth, card.id, { storeId: storeB.id, serviceCode: 'BILLIARDS' }).expect(201);
      await t.ds.query(`UPDATE count_card_timer SET started_at = now() - interval '2 hours' WHERE id = $1`, [second.body.id]);
      const over = await api.stop(cashierB.auth, second.body.id).expect(200);
      expect(over.body).toMatchObject({ minutesBilled: 34, unitsLeft: 0 });
      expect(over.body.minutesUsed).toBeGreaterThanOrEqual(120);
      expect(over.body.shortfallMinutes).toBe(over.body.minutesUsed - 34);
      const after = await api.card(cashierA.auth, card.id).expect(200);
      expect(after.body).toMatchObject({ status: 'used_up', unitsLeft: 0, runningTimerId: null });
      expect(after.body.timers.map((x: { minutesBilled: number }) => x.minutesBilled).sort()).toEqual([26, 34]);
      const empty = await api.start(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'BILLIARDS' }).expect(409);
      expect(empty.body.error.code).toBe('COUNT_CARD_NO_USES_LEFT');
      const entries = await t.ds.query(`SELECT amount, reason, ref_type, store_id FROM ledger_entry WHERE reason = 'timer' AND member_id = $1 ORDER BY id`, [card.memberId]);
      expect(entries).toEqual([
        { amount: '-26', reason: 'timer', ref_type: 'count_card_timer', store_id: storeA.id },
        { amount: '-34', reason: 'timer', ref_type: 'count_card_timer', store_id: storeB.id },
      ]);
      await expectReconciled();
    });

    it('takes timers on time cards only and redemptions on the others', async () => {
      const { card: time } = await sellNew({ kind: 'time', serviceCodes: ['BILLIARDS'], minutes: 60 });
      const { card: count } = await sellNew({ kind: 'count', serviceCodes: ['BILLIARDS'], uses: 3 });
      const r = await api.redeem(cashierA.auth, time.id, { storeId: storeA.id, serviceCode: 'BILLIARDS' }).expect(409);
      expect(r.body.error.code).toBe('COUNT_CARD_WRONG_KIND');
      const s = await api.start(cashierA.auth, count.id, { storeId: storeA.id, serviceCode: 'BILLIARDS' }).expect(409);
      expect(s.body.error.code).toBe('COUNT_CARD_WRONG_KIND');
      const svc = await api.start(cashierA.auth, time.id, { storeId: storeA.id, serviceCode: 'DARTS' }).expect(409);
      expect(svc.body.error.code).toBe('COUNT_CARD_SERVICE_NOT_COVERED');
    });

    it('starts one timer and bills one stop when many arrive at once', async () => {
      const { card } = await sellNew({ kind: 'time', serviceCodes: ['GAME'], minutes: 300 });
      const starts = await Promise.all(Array.from({ length: 16 }, () => api.start(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'GAME' })));
      expect(starts.filter((r) => r.status === 201).length).toBe(1);
      expect(starts.filter((r) => r.status !== 201).map((r) => r.body.error.code)).toEqual(Array(15).fill('COUNT_CARD_TIMER_RUNNING'));
      const timerId = starts.find((r) => r.status === 201)!.body.id;
      await t.ds.query(`UPDATE count_card_timer SET started_at = now() - interval '10 minutes' WHERE id = $1`, [timerId]);
      const stops = await Promise.all(Array.from({ length: 16 }, () => api.stop(cashierA.auth, timerId)));
      expect(stops.filter((r) => r.status === 200).length).toBe(1);
      expect(stops.filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual(Array(15).fill('COUNT_CARD_TIMER_STOPPED'));
      const billed = stops.find((r) => r.status === 200)!.body.minutesBilled;
      expect(await balanceOf(card.id)).toBe(300 - billed);
      await expectReconciled();
    });
  });

  describe('expiry', () => {
    it('expires cards past their end, writes off what is left once, and refuses them afterwards', async () => {
      const svc = t.app.get(CountCardsService);
      const { card } = await sellNew({ kind: 'count', uses: 10, validityDays: 30 });
      const { card: period } = await sellNew({ kind: 'period', periodDays: 30, serviceCodes: ['GYM'] });
      const { card: noEnd } = await sellNew({ kind: 'count', uses: 3, validityDays: null });
      expect(noEnd.validUntil).toBeNull();
      const r = await api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'HAIRCUT', quantity: 3 }).expect(201);
      const end = new Date(card.validUntil);

      const statusOf = async (id: string) => (await t.ds.query('SELECT status FROM member_count_card WHERE id = $1', [id]))[0].status;
      await svc.expireCards(new Date(end.getTime() - 1000));
      expect([await statusOf(card.id), await balanceOf(card.id)]).toEqual(['active', 7]);
      const later = new Date(end.getTime() + 1000);
      expect(await svc.expireCards(later)).toBeGreaterThanOrEqual(2);
      // Idempotent: a second run at the same instant finds nothing left to do.
      expect(await svc.expireCards(later)).toBe(0);

      const [row] = await t.ds.query('SELECT status, expired_at FROM member_count_card WHERE id = $1', [card.id]);
      expect(row).toEqual({ status: 'expired', expired_at: later });
      expect((await t.ds.query('SELECT status FROM member_count_card WHERE id = $1', [period.id]))[0].status).toBe('expired');
      expect((await t.ds.query('SELECT status FROM member_count_card WHERE id = $1', [noEnd.id]))[0].status).toBe('active');
      expect(await balanceOf(card.id)).toBe(0);
      expect(await balanceOf(noEnd.id)).toBe(3);
      const written = await t.ds.query(`SELECT amount, ref_type FROM ledger_entry WHERE reason = 'expire' AND ref_id = $1`, [card.id]);
      expect(written).toEqual([{ amount: '-7', ref_type: 'member_count_card_expiry' }]);

      const refused = await api.redeem(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'HAIRCUT' }).expect(409);
      expect(refused.body.error.code).toBe('COUNT_CARD_EXPIRED');
      const noReversal = await api.reverse(cashierA.auth, r.body.id, { reason: '过期后撤销' }).expect(409);
      expect(noReversal.body.error.code).toBe('COUNT_CARD_EXPIRED');
      expect(await balanceOf(card.id)).toBe(0);
      const shown = await api.card(cashierA.auth, card.id).expect(200);
      expect(shown.body).toMatchObject({ status: 'expired', unitsLeft: 0 });
      await expectReconciled();
    });

    it('waits for a running timer to stop before expiring a time card', async () => {
      const svc = t.app.get(CountCardsService);
      const { card } = await sellNew({ kind: 'time', serviceCodes: ['KTV'], minutes: 90, validityDays: 1 });
      const timer = await api.start(cashierA.auth, card.id, { storeId: storeA.id, serviceCode: 'KTV' }).expect(201);
      const later = new Date(new Date(card.validUntil).getTime() + 60_000);
      const statusOf = async () => (await t.ds.query('SELECT status FROM member_count_card WHERE id = $1', [card.id]))[0].status;
      await svc.expireCards(later);
      expect(await statusOf()).toBe('active');
      await api.stop(cashierA.auth, timer.body.id).expect(200);
      await svc.expireCards(later);
      expect(await statusOf()).toBe('expired');
      expect(await balanceOf(card.id)).toBe(0);
      await expectReconciled();
    });

    it('runs hourly through the job scheduler', async () => {
      const scheduler = t.app.get(JobScheduler);
      expect(scheduler.registered).toContain('count-cards.expire');
      const { card } = await sellNew({ kind: 'count', uses: 4, validityDays: 2 });
      const later = new Date(new Date(card.validUntil).getTime() + 5 * 60_000);
      const ran = (await scheduler.tick(later)).filter((r) => r.job === 'count-cards.expire');
      expect(ran).toEqual([{ job: 'count-cards.expire', period: expect.any(String), status: 'done' }]);
      expect((await t.ds.query('SELECT status FROM member_count_card WHERE id = $1', [card.id]))[0].status).toBe('expired');
      expect(await balanceOf(card.id)).toBe(0);
      await expectReconciled();
    });

    it('ends a card with a fixed last day at the following Shanghai midnight', async () => {
      const { card } = await sellNew({ kind: 'time', serviceCodes: ['KTV'], minutes: 90, validityDays: null, fixedValidUntil: '2099-12-31' });
      expect(card.validUntil).toBe('2099-12-31T16:00:00.000Z');
    });
  });
});
