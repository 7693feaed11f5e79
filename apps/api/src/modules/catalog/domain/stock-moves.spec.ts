import fc from 'fast-check';
import { planStockMoves, type StockMove } from './stock-moves';

const move = (over: Partial<StockMove>): StockMove => ({ storeId: 's1', skuId: 'k1', delta: -1, reason: 'sale', refType: 'order', refId: 'o1', ...over });

describe('planStockMoves', () => {
  it('merges moves of one sku, store, reason and reference, and drops what cancels out', () => {
    expect(planStockMoves([move({ delta: -2 }), move({ delta: -1 }), move({ skuId: 'k0', delta: 3 }), move({ skuId: 'k0', delta: -3 })])).toEqual([move({ delta: -3 })]);
  });

  it('keeps moves with different references or reasons apart', () => {
    expect(planStockMoves([move({ refId: 'o2' }), move({ reason: 'refund', delta: 1 })])).toHaveLength(2);
  });

  it('refuses fractional units', () => {
    expect(() => planStockMoves([move({ delta: 0.5 })])).toThrow(RangeError);
  });

  const ids = fc.constantFrom('a0', 'b1', 'c2', 'd3');
  const moves = fc.array(fc.record({ storeId: ids, skuId: ids, delta: fc.integer({ min: -5, max: 5 }), reason: fc.constantFrom('sale', 'refund'), refType: fc.constant('order'), refId: fc.constantFrom('o1', 'o2') }), { maxLength: 30 });

  it('orders by (store, sku), keeps every row’s total, and never yields a zero move', () => {
    fc.assert(
      fc.property(moves, (input) => {
        const out = planStockMoves(input);
        const rowKeys = out.map((m) => `${m.storeId}/${m.skuId}`);
        expect(rowKeys).toEqual([...rowKeys].sort());
        for (const mv of out) expect(mv.delta).not.toBe(0);
        const total = (list: StockMove[], s: string, k: string) => list.filter((m) => m.storeId === s && m.skuId === k).reduce((n, m) => n + m.delta, 0);
        for (const mv of input) expect(total(out, mv.storeId, mv.skuId)).toBe(total(input, mv.storeId, mv.skuId));
      }),
    );
  });

  it('gives the same plan whatever order the moves come in', () => {
    fc.assert(fc.property(moves, (input) => expect(planStockMoves([...input].reverse())).toEqual(planStockMoves(input))));
  });
});

describe('planStockMoves with costs and strictness', () => {
  it('keeps goods at different costs apart, merges equal ones, and keeps a strict move strict', () => {
    const plan = planStockMoves([
      move({ reason: 'purchase', delta: 2, unitCostFen: 500 }),
      move({ reason: 'purchase', delta: 3, unitCostFen: 600 }),
      move({ reason: 'purchase', delta: 1, unitCostFen: 500 }),
      move({ reason: 'transfer_out', delta: -1 }),
      move({ reason: 'transfer_out', delta: -1, strict: true }),
    ]);
    expect(plan.map((m) => [m.reason, m.delta, m.unitCostFen, m.strict])).toEqual([
      ['purchase', 3, 500, undefined],
      ['purchase', 3, 600, undefined],
      ['transfer_out', -2, undefined, true],
    ]);
  });

  it('refuses a fractional or negative unit cost', () => {
    expect(() => planStockMoves([move({ delta: 1, unitCostFen: 1.5 })])).toThrow(RangeError);
    expect(() => planStockMoves([move({ delta: 1, unitCostFen: -1 })])).toThrow(RangeError);
  });
});
