import fc from 'fast-check';
import { difference, inTransit, planApproval, planReceipt, planShipment, requireTransferStatus, TRANSFER_FLOW, type TransferLineState } from './transfer';

const line = (over: Partial<TransferLineState> = {}): TransferLineState => ({ skuId: 'a', requestedQuantity: 10, approvedQuantity: null, shippedQuantity: null, receivedQuantity: null, ...over });

describe('transfers', () => {
  it('follow request → approve → ship → receive, and can be withdrawn only before shipping', () => {
    expect(requireTransferStatus('approve', 'requested')).toBe('approved');
    expect(requireTransferStatus('ship', 'approved')).toBe('in_transit');
    expect(requireTransferStatus('receive', 'in_transit')).toBe('done');
    expect(() => requireTransferStatus('ship', 'requested')).toThrow(expect.objectContaining({ code: 'INVENTORY_TRANSFER_STATUS' }));
    expect(() => requireTransferStatus('cancel', 'in_transit')).toThrow(expect.objectContaining({ code: 'INVENTORY_TRANSFER_STATUS' }));
    expect(() => requireTransferStatus('receive', 'done')).toThrow(expect.objectContaining({ code: 'INVENTORY_TRANSFER_STATUS' }));
    expect(TRANSFER_FLOW.ship.side).toBe('from');
    expect(TRANSFER_FLOW.receive.side).toBe('to');
  });

  it('narrows quantities step by step and refuses more than the step before', () => {
    const lines = [line(), line({ skuId: 'b', requestedQuantity: 4 })];
    expect([...planApproval(lines, [{ skuId: 'a', quantity: 6 }])]).toEqual([['a', 6], ['b', 4]]);
    expect(() => planApproval(lines, [{ skuId: 'b', quantity: 5 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_APPROVE_EXCEEDS_REQUESTED' }));
    const approved = [line({ approvedQuantity: 6 }), line({ skuId: 'b', requestedQuantity: 4, approvedQuantity: 0 })];
    expect(() => planShipment(approved, [{ skuId: 'a', quantity: 7 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_SHIP_EXCEEDS_APPROVED' }));
    expect(() => planShipment(approved, [{ skuId: 'a', quantity: 0 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_TRANSFER_EMPTY' }));
    const shipped = [line({ approvedQuantity: 6, shippedQuantity: 5 })];
    expect(() => planReceipt(shipped, [{ skuId: 'a', quantity: 6 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_RECEIVE_EXCEEDS_SHIPPED' }));
    expect([...planReceipt(shipped, undefined)]).toEqual([['a', 5]]);
    expect(() => planReceipt(shipped, [{ skuId: 'x', quantity: 1 }])).toThrow(expect.objectContaining({ code: 'INVENTORY_SKU_NOT_IN_DOCUMENT' }));
  });

  it('accounts for every unit shipped: in transit until received, then received or a recorded difference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(30), fc.nat(30), fc.nat(30), (requested, a, s, r) => {
        const approved = Math.min(a, requested);
        const shippedQ = Math.min(s, approved);
        const receivedQ = Math.min(r, shippedQ);
        const l = line({ requestedQuantity: requested, approvedQuantity: approved, shippedQuantity: shippedQ });
        expect(inTransit('in_transit', l) + difference(l)).toBe(shippedQ);
        const done = { ...l, receivedQuantity: planReceipt([l], [{ skuId: 'a', quantity: receivedQ }]).get('a')! };
        expect(inTransit('done', done)).toBe(0);
        expect(done.receivedQuantity! + difference(done)).toBe(shippedQ);
      }),
    );
  });
});
