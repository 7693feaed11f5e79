import fc from 'fast-check';
import { allocateFen } from '@chaincard/shared';
import { checkPayments, type PayableLine, type TenderRequest } from './payments';

const lines: PayableLine[] = [
  { lineNo: 1, kind: 'goods', quantity: 2, totalFen: 3000 },
  { lineNo: 2, kind: 'service', quantity: 3, totalFen: 10000 },
];

describe('checkPayments', () => {
  it('accepts a split that adds up to the amount due and computes the change', () => {
    const r = checkPayments({
      dueFen: 13000,
      lines,
      hasMember: true,
      tenders: [
        { method: 'stored_value', amountFen: 5000 },
        { method: 'bank_card', amountFen: 3000, reference: 'T-1' },
        { method: 'cash', amountFen: 5000, tenderedFen: 10000 },
      ],
    });
    expect(r).toMatchObject({ ok: true, changeFen: 5000, tenderedFen: 10000, pending: false });
    if (r.ok) expect(r.tenders.map((t) => [t.method, t.amountFen, t.changeFen])).toEqual([
      ['stored_value', 5000, null],
      ['bank_card', 3000, null],
      ['cash', 5000, 5000],
    ]);
  });

  it('values a count card by the units of the service line it pays for', () => {
    // 3 units for 10000: the first unit is worth 3333, two are worth 6666.
    const r = checkPayments({ dueFen: 13000, lines, hasMember: true, tenders: [{ method: 'count_card', countCardId: 'c', lineNo: 2, quantity: 1 }, { method: 'cash', amountFen: 9667 }] });
    expect(r.ok && r.tenders[0]).toMatchObject({ method: 'count_card', amountFen: 3333, quantity: 1, lineNo: 2 });
    const all = checkPayments({ dueFen: 13000, lines, hasMember: true, tenders: [{ method: 'count_card', countCardId: 'c', lineNo: 2 }, { method: 'cash', amountFen: 3000 }] });
    expect(all.ok && all.tenders[0]).toMatchObject({ amountFen: 10000, quantity: 3 });
  });

  it('refuses sums that are off by one fen either way', () => {
    for (const cash of [12999, 13001]) {
      expect(checkPayments({ dueFen: 13000, lines, hasMember: false, tenders: [{ method: 'cash', amountFen: cash }] })).toEqual({
        ok: false,
        code: 'ORDER_PAYMENT_MISMATCH',
        details: { dueFen: 13000, paidFen: cash },
      });
    }
  });

  it('lets a fully discounted order go without payments', () => {
    expect(checkPayments({ dueFen: 0, lines, hasMember: false, tenders: [] })).toMatchObject({ ok: true, changeFen: 0 });
  });

  it.each<[string, TenderRequest[], boolean, string]>([
    ['two cash parts', [{ method: 'cash', amountFen: 1 }, { method: 'cash', amountFen: 12999 }], true, 'ORDER_PAYMENT_DUPLICATE'],
    ['two stored-value parts', [{ method: 'stored_value', amountFen: 1 }, { method: 'stored_value', amountFen: 12999 }], true, 'ORDER_PAYMENT_DUPLICATE'],
    ['two WeChat parts', [{ method: 'wechat', amountFen: 1 }, { method: 'wechat', amountFen: 12999 }], true, 'ORDER_PAYMENT_DUPLICATE'],
    ['two count cards on one line', [{ method: 'count_card', lineNo: 2, quantity: 1 }, { method: 'count_card', lineNo: 2, quantity: 1 }], true, 'ORDER_PAYMENT_DUPLICATE'],
    ['stored value without a member', [{ method: 'stored_value', amountFen: 13000 }], false, 'ORDER_PAYMENT_NEEDS_MEMBER'],
    ['a count card without a member', [{ method: 'count_card', lineNo: 2 }], false, 'ORDER_PAYMENT_NEEDS_MEMBER'],
    ['a count card on a goods line', [{ method: 'count_card', lineNo: 1 }], true, 'ORDER_COUNT_CARD_LINE_INVALID'],
    ['a count card on a missing line', [{ method: 'count_card', lineNo: 9 }], true, 'ORDER_COUNT_CARD_LINE_INVALID'],
    ['a count card beyond the quantity', [{ method: 'count_card', lineNo: 2, quantity: 4 }], true, 'ORDER_COUNT_CARD_LINE_INVALID'],
    ['too little cash handed over', [{ method: 'cash', amountFen: 13000, tenderedFen: 12000 }], true, 'ORDER_CASH_TENDERED_SHORT'],
  ])('refuses %s', (_label, tenders, hasMember, code) => {
    expect(checkPayments({ dueFen: 13000, lines, hasMember, tenders })).toMatchObject({ ok: false, code });
  });

  it('accepts two bank cards and leaves a WeChat part pending', () => {
    const r = checkPayments({ dueFen: 13000, lines, hasMember: false, tenders: [{ method: 'bank_card', amountFen: 3000 }, { method: 'bank_card', amountFen: 5000 }, { method: 'wechat', amountFen: 5000 }] });
    expect(r).toMatchObject({ ok: true, pending: true });
  });

  it('accepts every split of the amount due, and only those', () => {
    const methods = ['stored_value', 'bank_card', 'wechat', 'cash'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -3, max: 3 }),
        fc.integer({ min: 0, max: 1e6 }),
        (due, weights, off, extraTendered) => {
          const parts = allocateFen(due, weights).filter((p) => p > 0);
          const tenders: TenderRequest[] = parts.map((amountFen, i) => ({ method: methods[i], amountFen }));
          const cash = tenders.find((t) => t.method === 'cash');
          if (cash) cash.tenderedFen = cash.amountFen! + extraTendered;
          if (tenders.length && off !== 0 && tenders[0].amountFen! + off > 0) tenders[0].amountFen! += off;
          else off = 0;
          const r = checkPayments({ dueFen: due, lines, hasMember: true, tenders });
          if (off !== 0) return expect(r).toMatchObject({ ok: false, code: 'ORDER_PAYMENT_MISMATCH' });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.tenders.reduce((s, t) => s + t.amountFen, 0)).toBe(due);
          expect(r.changeFen).toBe(cash ? extraTendered : 0);
        },
      ),
    );
  });
});
