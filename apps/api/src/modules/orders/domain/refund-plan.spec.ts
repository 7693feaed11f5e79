import fc from 'fast-check';
import { allocateFen } from '@chaincard/shared';
import { planCheckout } from './checkout-plan';
import type { OrderPaymentMethod } from './payments';
import { applyRefund, lineDone, planRefund, type RefundableOrder, type RefundablePayment } from './refund-plan';

const pay = (p: Partial<RefundablePayment> & Pick<RefundablePayment, 'paymentId' | 'seq' | 'method' | 'amountFen'>): RefundablePayment => ({
  refundedFen: 0,
  points: null,
  refundedPoints: 0,
  lineId: null,
  units: null,
  refundedUnits: 0,
  ...p,
});

/**
 * Goods 2 × 30.00 (eligible), a haircut 2 × 50.00 with one unit paid by a count card; points paid
 * 10.00 (1000 points), stored value 40.00, cash 60.00. The money paid (100.00) earned 100 points on
 * the eligible amount 100.00.
 */
function sample(): RefundableOrder {
  return {
    lines: [
      { lineId: 'goods', kind: 'goods', quantity: 2, totalFen: 6000, coveredUnits: 0, moneyFen: 6000, eligibleFen: 5455, refundedQuantity: 0, refundedFen: 0, refundedMoneyFen: 0 },
      { lineId: 'hair', kind: 'service', quantity: 2, totalFen: 10000, coveredUnits: 1, moneyFen: 5000, eligibleFen: 4545, refundedQuantity: 0, refundedFen: 0, refundedMoneyFen: 0 },
    ],
    payments: [
      pay({ paymentId: 'pts', seq: 1, method: 'points', amountFen: 1000, points: 1000 }),
      pay({ paymentId: 'sv', seq: 2, method: 'stored_value', amountFen: 4000 }),
      pay({ paymentId: 'cc', seq: 3, method: 'count_card', amountFen: 5000, lineId: 'hair', units: 1 }),
      pay({ paymentId: 'cash', seq: 4, method: 'cash', amountFen: 6000 }),
    ],
    pointsEarned: 100,
    eligibleFen: 10000,
    eligibleRefundedFen: 0,
  };
}

describe('planRefund', () => {
  it('refunds one unit of goods in proportion to what each payment holds', () => {
    const r = planRefund(sample(), [{ lineId: 'goods', quantity: 1 }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.lines).toEqual([{ lineId: 'goods', quantity: 1, amountFen: 3000, coveredUnits: 0, coveredFen: 0, moneyFen: 3000, eligibleFen: 2727 }]);
    // 3000 over 1000 / 4000 / 6000 = 272.7 / 1090.9 / 1636.4 → largest remainders round 272.7 and 1090.9 up.
    expect(r.plan.payments).toEqual([
      { paymentId: 'pts', method: 'points', amountFen: 273, points: 273, units: 0 },
      { paymentId: 'sv', method: 'stored_value', amountFen: 1091, points: 0, units: 0 },
      { paymentId: 'cash', method: 'cash', amountFen: 1636, points: 0, units: 0 },
    ]);
    expect(r.plan).toMatchObject({ amountFen: 3000, moneyFen: 3000, eligibleFen: 2727, pointsEarnedBack: 27, full: false });
  });

  it('refunds the count-card unit of a service line first, giving the use back', () => {
    const r = planRefund(sample(), [{ lineId: 'hair', quantity: 1 }]);
    expect(r.ok && r.plan.payments).toEqual([{ paymentId: 'cc', method: 'count_card', amountFen: 5000, points: 0, units: 1 }]);
    expect(r.ok && r.plan).toMatchObject({ moneyFen: 0, eligibleFen: 0, pointsEarnedBack: 0 });
  });

  it('refunds everything left exactly, and says so', () => {
    const first = planRefund(sample(), [{ lineId: 'goods', quantity: 1 }]);
    if (!first.ok) throw new Error('first refund failed');
    const after = applyRefund(sample(), first.plan);
    const rest = planRefund(after, 'all');
    expect(rest.ok).toBe(true);
    if (!rest.ok) return;
    expect(rest.plan.full).toBe(true);
    const done = applyRefund(after, rest.plan);
    for (const p of done.payments) {
      expect(p.refundedFen).toBe(p.amountFen);
      if (p.points !== null) expect(p.refundedPoints).toBe(p.points);
      if (p.units !== null) expect(p.refundedUnits).toBe(p.units);
    }
    expect(first.plan.pointsEarnedBack + rest.plan.pointsEarnedBack).toBe(100);
  });

  it('refunds a quick sale by amount', () => {
    const quick: RefundableOrder = {
      lines: [{ lineId: 'q', kind: 'amount', quantity: 1, totalFen: 8800, coveredUnits: 0, moneyFen: 8800, eligibleFen: 8800, refundedQuantity: 0, refundedFen: 0, refundedMoneyFen: 0 }],
      payments: [pay({ paymentId: 'cash', seq: 1, method: 'cash', amountFen: 8800 })],
      pointsEarned: 88,
      eligibleFen: 8800,
      eligibleRefundedFen: 0,
    };
    const part = planRefund(quick, [{ lineId: 'q', amountFen: 800 }]);
    expect(part.ok && part.plan).toMatchObject({ amountFen: 800, pointsEarnedBack: 8, full: false, lines: [{ quantity: 0 }] });
    if (!part.ok) return;
    const rest = planRefund(applyRefund(quick, part.plan), 'all');
    expect(rest.ok && rest.plan).toMatchObject({ amountFen: 8000, pointsEarnedBack: 80, full: true, lines: [{ quantity: 1 }] });
  });

  it.each([
    ['a line of another order', [{ lineId: 'nope' }], 'ORDER_REFUND_LINE_INVALID'],
    ['the same line twice', [{ lineId: 'goods', quantity: 1 }, { lineId: 'goods', quantity: 1 }], 'ORDER_REFUND_LINE_INVALID'],
    ['an amount on a goods line', [{ lineId: 'goods', amountFen: 100 }], 'ORDER_REFUND_LINE_INVALID'],
    ['more units than bought', [{ lineId: 'goods', quantity: 3 }], 'ORDER_REFUND_EXCEEDS'],
    ['zero units', [{ lineId: 'goods', quantity: 0 }], 'ORDER_REFUND_EXCEEDS'],
    ['nothing', [], 'ORDER_REFUND_EXCEEDS'],
  ])('refuses %s', (_label, request, code) => {
    expect(planRefund(sample(), request)).toMatchObject({ ok: false, code });
  });

  it('refuses to refund a unit twice', () => {
    const all = planRefund(sample(), 'all');
    if (!all.ok) throw new Error('refund failed');
    const done = applyRefund(sample(), all.plan);
    expect(planRefund(done, [{ lineId: 'goods', quantity: 1 }])).toMatchObject({ ok: false, code: 'ORDER_REFUND_EXCEEDS' });
    expect(planRefund(done, 'all')).toMatchObject({ ok: false, code: 'ORDER_REFUND_EXCEEDS' });
  });
});

const MONEY_METHODS: OrderPaymentMethod[] = ['stored_value', 'bank_card', 'wechat', 'cash'];

/** A random order built the way checkout builds one: lines, count-card units, points, split money. */
const orderArb = fc
  .record({
    lines: fc.array(
      fc.record({ service: fc.boolean(), quantity: fc.integer({ min: 1, max: 6 }), totalFen: fc.integer({ min: 0, max: 500_000 }), eligible: fc.boolean(), cover: fc.integer({ min: 0, max: 6 }) }),
      { minLength: 1, maxLength: 5 },
    ),
    offsetShare: fc.integer({ min: 0, max: 100 }),
    weights: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
    pointsPerFen: fc.integer({ min: 1, max: 3 }),
    earnBps: fc.integer({ min: 0, max: 20_000 }),
  })
  .map((r) => {
    const lines = r.lines.map((l, i) => ({ lineNo: i + 1, quantity: l.quantity, totalFen: l.totalFen, pointsEligible: l.eligible, coveredUnits: l.service ? Math.min(l.cover, l.quantity) : 0, service: l.service }));
    const money = lines.reduce((s, l) => s + l.totalFen, 0) - planCheckout(lines, { pointsOffsetFen: 0, paidFen: moneyOf(lines) }).lines.reduce((s, l) => s + l.coveredFen, 0);
    const offset = Math.floor((money * r.offsetShare) / 100);
    const plan = planCheckout(lines, { pointsOffsetFen: offset, paidFen: money - offset });
    const split = allocateFen(money - offset, r.weights.some((w) => w > 0) ? r.weights : [1, 0, 0, 0]);
    const payments: RefundablePayment[] = [];
    if (offset > 0) payments.push(pay({ paymentId: 'points', seq: 0, method: 'points', amountFen: offset, points: offset * r.pointsPerFen }));
    split.forEach((amountFen, i) => amountFen > 0 && payments.push(pay({ paymentId: MONEY_METHODS[i], seq: i + 1, method: MONEY_METHODS[i], amountFen })));
    lines.forEach((l, i) => l.coveredUnits > 0 && payments.push(pay({ paymentId: `cc${i}`, seq: 10 + i, method: 'count_card', amountFen: plan.lines[i].coveredFen, lineId: `L${l.lineNo}`, units: l.coveredUnits })));
    const order: RefundableOrder = {
      lines: lines.map((l, i) => ({
        lineId: `L${l.lineNo}`,
        kind: l.service ? 'service' : 'goods',
        quantity: l.quantity,
        totalFen: l.totalFen,
        coveredUnits: l.coveredUnits,
        moneyFen: plan.lines[i].moneyFen,
        eligibleFen: plan.lines[i].eligibleFen,
        refundedQuantity: 0,
        refundedFen: 0,
        refundedMoneyFen: 0,
      })),
      payments,
      pointsEarned: Math.floor((plan.eligibleFen * r.earnBps) / 10_000 / 100),
      eligibleFen: plan.eligibleFen,
      eligibleRefundedFen: 0,
    };
    return order;
  });

function moneyOf(lines: { totalFen: number; quantity: number; coveredUnits: number }[]): number {
  return lines.reduce((s, l) => s + l.totalFen - (l.coveredUnits === 0 ? 0 : l.coveredUnits === l.quantity ? l.totalFen : Math.floor((l.totalFen * l.coveredUnits) / l.quantity)), 0);
}

describe('refund sequences (property)', () => {
  it('never refunds a payment beyond what it paid and, refunded to the end, returns every payment, point and use exactly', () => {
    fc.assert(
      fc.property(orderArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })), { maxLength: 12 }), (order, picks) => {
        let state = order;
        let earnedBack = 0;
        const steps: ('all' | { lineId: string; quantity: number })[] = picks.map(([i, q]) => ({ lineId: order.lines[i % order.lines.length].lineId, quantity: q }));
        for (const step of [...steps, 'all' as const]) {
          const line = step === 'all' ? null : state.lines.find((l) => l.lineId === step.lineId)!;
          if (line && (lineDone(line) || step !== 'all' && step.quantity > line.quantity - line.refundedQuantity)) {
            expect(planRefund(state, [step as { lineId: string; quantity: number }]).ok).toBe(false);
            continue;
          }
          const r = planRefund(state, step === 'all' ? 'all' : [step]);
          if (step === 'all' && state.lines.every(lineDone)) {
            expect(r.ok).toBe(false);
            break;
          }
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.plan.payments.reduce((s, p) => s + p.amountFen, 0)).toBe(r.plan.amountFen);
          earnedBack += r.plan.pointsEarnedBack;
          state = applyRefund(state, r.plan);
          for (const p of state.payments) {
            expect(p.refundedFen).toBeLessThanOrEqual(p.amountFen);
            expect(p.refundedFen).toBeGreaterThanOrEqual(0);
          }
          for (const l of state.lines) expect(l.refundedFen).toBeLessThanOrEqual(l.totalFen);
        }
        expect(state.lines.every(lineDone)).toBe(true);
        for (const p of state.payments) {
          expect(p.refundedFen).toBe(p.amountFen);
          if (p.points !== null) expect(p.refundedPoints).toBe(p.points);
          if (p.units !== null) expect(p.refundedUnits).toBe(p.units);
        }
        for (const l of state.lines) expect(l.refundedFen).toBe(l.totalFen);
        expect(earnedBack).toBe(order.pointsEarned);
        expect(state.eligibleRefundedFen).toBe(order.eligibleFen);
      }),
      { numRuns: 300 },
    );
  });
});
