import fc from 'fast-check';
import { amountFen, planReceipt, planReturn, requirePurchaseStatus, statusAfterReceipt, type OrderLineState } from './purchase';

const line = (over: Partial<OrderLineState> = {}): OrderLineState => ({ skuId: 'a', quantity: 10, unitCostFen: 500, receivedQuantity: 0, returnedQuantity: 0, ...over });

describe('purchase orders', () => {
  it('receives up to what is outstanding, at the order’s cost unless the invoice says otherwise', () => {
    const order = [line(), line({ skuId: 'b', quantity: 5, receivedQuantity: 3, unitCostFen: 120 })];
    expect(planReceipt(order, [{ skuId: 'a', quantity: 4, unitCostFen: 480 }, { skuId: 'b', quantity: 2 }])).toEqual([
      { skuId: 'a', quantity: 4, unitCostFen: 480 },
      { skuId: 'b', quantity: 2, unitCostFen: 120 },
    ]);
    expect(() => planReceipt(order, [{ skuId: 'b', quantity: 3 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_RECEIVE_EXCEEDS_ORDERED', details: { lines: [{ skuId: 'b', requested: 3, outstanding: 2 }] } }));
    expect(() => planReceipt(order, [{ skuId: 'z', quantity: 1 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_SKU_NOT_IN_DOCUMENT' }));
    expect(() => planReceipt(order, [{ skuId: 'a', quantity: 1 }, { skuId: 'a', quantity: 1 }])).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('is fully received only when every line has all of its quantity', () => {
    expect(statusAfterReceipt([line({ receivedQuantity: 10 }), line({ skuId: 'b', quantity: 2, receivedQuantity: 1 })])).toBe('partially_received');
    expect(statusAfterReceipt([line({ receivedQuantity: 10 }), line({ skuId: 'b', quantity: 2, receivedQuantity: 2 })])).toBe('received');
  });

  it('returns at most what was received and not yet returned', () => {
    const order = [line({ receivedQuantity: 6, returnedQuantity: 2 })];
    expect(planReturn(order, [{ skuId: 'a', quantity: 4 }])).toEqual([{ skuId: 'a', quantity: 4, unitCostFen: 500 }]);
    expect(() => planReturn(order, [{ skuId: 'a', quantity: 5 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_RETURN_EXCEEDS_RECEIVED' }));
  });

  it('allows each action only from its statuses', () => {
    expect(() => requirePurchaseStatus('receive', 'draft')).toThrow(expect.objectContaining({ code: 'INVENTORY_PURCHASE_ORDER_STATUS' }));
    expect(() => requirePurchaseStatus('cancel', 'partially_received')).toThrow(expect.objectContaining({ code: 'INVENTORY_PURCHASE_ORDER_STATUS' }));
    expect(() => requirePurchaseStatus('receive', 'partially_received')).not.toThrow();
  });

  it('never lets successive receipts pass the ordered quantity, whatever their sizes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 12 }), (ordered, receipts) => {
        const state = line({ quantity: ordered });
        for (const q of receipts) {
          try {
            planReceipt([state], [{ skuId: 'a', quantity: q }]);
            state.receivedQuantity += q;
          } catch {
            expect(state.receivedQuantity + q).toBeGreaterThan(ordered);
          }
          expect(state.receivedQuantity).toBeLessThanOrEqual(ordered);
        }
        expect(statusAfterReceipt([state])).toBe(state.receivedQuantity === ordered ? 'received' : 'partially_received');
      }),
    );
  });

  it('adds up quantity × cost', () => {
    expect(amountFen([{ quantity: 3, unitCostFen: 150 }, { quantity: 2, unitCostFen: 5 }])).toBe(460);
  });
});
