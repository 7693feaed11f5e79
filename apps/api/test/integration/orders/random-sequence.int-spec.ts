import { allocateFen } from '@chaincard/shared';
import { giveBalance, makeCountCardTemplate, makeMember, makeStore, signedIn } from '../../factories';
import { giveStock, makeSku } from '../../factories/catalog';
import { createTestApp, type TestApp } from '../../support/test-app';
import { allowPointsOffset, checkout, expectReconciled, openShift, quickSale, refund, sellCountCard } from './orders-helpers';

/** mulberry32: a small seeded generator, so that a failing sequence can be replayed by its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] };
}

const SEEDS = (process.env.ORDER_SEQUENCE_SEEDS ?? '20261123,7').split(',').map(Number);

describe.each(SEEDS)('randomised checkouts and refunds (seed %i)', (seed) => {
  let t: TestApp;
  let store: { id: string };
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let cashiers: Awaited<ReturnType<typeof signedIn>>[];
  const skus: { id: string; kind: 'goods' | 'service'; priceFen: number; memberPriceFen: number | null }[] = [];
  const members: { id: string; cards: string[] }[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    store = await makeStore(t.ds);
    owner = await signedIn(t.ds, t.http, 'owner');
    cashiers = [await signedIn(t.ds, t.http, 'cashier', [store.id]), await signedIn(t.ds, t.http, 'cashier', [store.id])];
    for (const c of cashiers) await openShift(t, c.auth, store.id);
    await allowPointsOffset(t, owner);
    const r = rng(seed);
    for (let i = 0; i < 6; i++) {
      const priceFen = r.int(1, 400) * 10 + r.int(0, 9);
      const memberPriceFen = r.next() < 0.5 ? Math.max(1, priceFen - r.int(1, 300)) : null;
      const sku = await makeSku(t.ds, { name: `随机商品${i}`, priceFen, memberPriceFen });
      await giveStock(store.id, sku.id, r.int(5, 40));
      skus.push({ id: sku.id, kind: 'goods', priceFen, memberPriceFen });
    }
    const service = await makeSku(t.ds, { name: '随机服务', kind: 'service', code: 'RND_SERVICE', priceFen: 3333 });
    skus.push({ id: service.id, kind: 'service', priceFen: 3333, memberPriceFen: null });
    const template = await makeCountCardTemplate(t.ds, { serviceCodes: ['RND_SERVICE'], uses: 5 });
    for (let i = 0; i < 5; i++) {
      const m = await makeMember(t.ds, { homeStoreId: store.id });
      await giveBalance(t.ds, m.id, [
        { kind: 'wallet_principal', amount: r.int(1000, 30000) },
        { kind: 'wallet_bonus', amount: r.int(1, 5000) },
        { kind: 'points', amount: r.int(0, 50) * 100 + 1 },
      ]);
      members.push({ id: m.id, cards: i % 2 === 0 ? [await sellCountCard(t, cashiers[0].auth, m.id, store.id, template.id)] : [] });
    }
  });
  afterAll(() => t.close());

  it('keeps every invariant: payments = total, refunds ≤ payments, ledgers = balances, stock ledger = stock', async () => {
    const r = rng(seed * 31 + 1);
    const orders: { id: string; lines: { id: string; quantity: number; kind: string }[] }[] = [];
    const outcome = { orders: 0, refunds: 0, refused: 0 };

    const randomCheckout = () => {
      const member = r.next() < 0.75 ? r.pick(members) : null;
      const lines = Array.from({ length: r.int(1, 4) }, () => ({ sku: r.pick(skus), quantity: r.int(1, 3) }));
      const totals = lines.map((l) => (member && l.sku.memberPriceFen !== null ? l.sku.memberPriceFen : l.sku.priceFen) * l.quantity);
      const total = totals.reduce((s, x) => s + x, 0);
      const payments: Record<string, unknown>[] = [];
      let left = total;
      const serviceLine = lines.findIndex((l) => l.sku.kind === 'service');
      if (member && member.cards.length && serviceLine >= 0 && r.next() < 0.7) {
        payments.push({ method: 'count_card', countCardId: member.cards[0], lineNo: serviceLine + 1 });
        left -= totals[serviceLine];
      }
      // Points pay whole yuan, at most half of the order and of what is left to pay.
      const pointsToUse = member && r.next() < 0.4 ? Math.min(r.int(0, 20) * 100, Math.floor(total / 2 / 100) * 100, Math.floor(left / 100) * 100) : 0;
      left -= pointsToUse;
      const methods = member ? ['stored_value', 'bank_card', 'cash'] : ['bank_card', 'cash'];
      const used = methods.filter(() => r.next() < 0.6);
      if (!used.length) used.push('cash');
      allocateFen(left, used.map(() => r.int(1, 10))).forEach((amountFen, i) => {
        if (amountFen > 0) payments.push({ method: used[i], amountFen, ...(used[i] === 'cash' ? { tenderedFen: amountFen + r.int(0, 5000) } : {}), ...(used[i] === 'bank_card' ? { reference: `T${r.int(1, 1e6)}` } : {}) });
      });
      return { storeId: store.id, memberId: member?.id, lines: lines.map((l) => ({ skuId: l.sku.id, quantity: l.quantity })), pointsToUse, expectedTotalFen: total, payments };
    };

    const randomRefund = () => {
      const order = r.pick(orders);
      if (r.next() < 0.3) return { orderId: order.id, body: { reason: '随机全额退款' } };
      const line = r.pick(order.lines);
      return {
        orderId: order.id,
        body: { reason: '随机部分退款', lines: [line.kind === 'amount' ? { lineId: line.id, amountFen: r.int(1, 500) } : { lineId: line.id, quantity: r.int(1, line.quantity) }] },
      };
    };

    const record = (res: { status: number; body: { id?: string; lines?: { id: string; quantity: number; kind: string }[]; error?: { code: string } } }, kind: 'order' | 'refund') => {
      if (res.status >= 500) throw new Error(`server error: ${JSON.stringify(res.body)}`);
      if (res.status === 201) {
        if (kind === 'order') {
          outcome.orders++;
          orders.push({ id: res.body.id!, lines: res.body.lines!.map((l) => ({ id: l.id, quantity: l.quantity, kind: l.kind })) });
        } else outcome.refunds++;
        return;
      }
      // Refusals are expected (balance, points, stock, uses, nothing left to refund), never bad requests of ours.
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 409, code: expect.stringMatching(/INSUFFICIENT|NO_USES_LEFT|REFUND_EXCEEDS|NOT_REFUNDABLE|POINTS_SPENT|POINTS_OVER_LIMIT/) });
      outcome.refused++;
    };

    for (let step = 0; step < 40; step++) {
      const roll = r.next();
      const cashier = r.pick(cashiers);
      if (roll < 0.15 && orders.length) {
        // A burst: checkouts and refunds at the same time, some of them on one order.
        const target = r.pick(orders);
        const jobs = [
          ...Array.from({ length: 3 }, () => checkout(t, r.pick(cashiers).auth, randomCheckout()).then((res) => [res, 'order'] as const)),
          ...Array.from({ length: 3 }, () => {
            const line = r.pick(target.lines);
            const body = line.kind === 'amount' ? { reason: '并发退款', lines: [{ lineId: line.id, amountFen: 100 }] } : { reason: '并发退款', lines: [{ lineId: line.id, quantity: 1 }] };
            return refund(t, r.pick(cashiers).auth, target.id, body).then((res) => [res, 'refund'] as const);
          }),
        ];
        for (const [res, kind] of await Promise.all(jobs)) record(res, kind);
      } else if (roll < 0.55 || !orders.length) {
        record(await checkout(t, cashier.auth, randomCheckout()), 'order');
      } else if (roll < 0.65) {
        const member = r.pick(members);
        const amountFen = r.int(100, 20000);
        record(await quickSale(t, cashier.auth, { storeId: store.id, memberId: member.id, amountFen, payments: [{ method: 'cash', amountFen }] }), 'order');
      } else {
        const { orderId, body } = randomRefund();
        record(await refund(t, cashier.auth, orderId, body), 'refund');
      }
    }
    expect(outcome.orders).toBeGreaterThan(10);
    expect(outcome.refunds).toBeGreaterThan(3);
    await expectReconciled(t, owner.auth);
  });
});
