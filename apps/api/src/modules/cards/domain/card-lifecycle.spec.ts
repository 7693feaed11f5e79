import fc from 'fast-check';
import { CARD_STATUSES } from '../entities/card.entity';
import { transition, type CardAction } from './card-lifecycle';

const ACTIONS: CardAction[] = ['report_loss', 'unfreeze', 'replace', 'return', 'identify'];

describe('card lifecycle', () => {
  it('moves an active card to lost and back', () => {
    expect(transition('active', 'report_loss')).toEqual({ ok: true, next: 'lost' });
    expect(transition('lost', 'unfreeze')).toEqual({ ok: true, next: 'active' });
  });

  it('lets only an active card identify its member', () => {
    expect(transition('active', 'identify')).toEqual({ ok: true, next: 'active' });
    expect(transition('lost', 'identify')).toEqual({ ok: false, code: 'CARD_LOST' });
    expect(transition('replaced', 'identify')).toEqual({ ok: false, code: 'CARD_REPLACED' });
    expect(transition('returned', 'identify')).toEqual({ ok: false, code: 'CARD_RETURNED' });
  });

  it('refuses to unfreeze a card that is not lost, and to report a lost card lost again', () => {
    expect(transition('active', 'unfreeze')).toEqual({ ok: false, code: 'CARD_NOT_LOST' });
    expect(transition('lost', 'report_loss')).toEqual({ ok: false, code: 'CARD_LOST' });
  });

  it('never reopens a replaced or returned card, whatever the action', () => {
    fc.assert(
      fc.property(fc.constantFrom('replaced' as const, 'returned' as const), fc.constantFrom(...ACTIONS), (status, action) => {
        expect(transition(status, action).ok).toBe(false);
      }),
    );
  });

  it('lets an active or lost card be replaced or returned', () => {
    fc.assert(
      fc.property(fc.constantFrom('active' as const, 'lost' as const), fc.constantFrom('replace' as const, 'return' as const), (status, action) => {
        expect(transition(status, action)).toEqual({ ok: true, next: action === 'replace' ? 'replaced' : 'returned' });
      }),
    );
  });

  it('only ever yields a known status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CARD_STATUSES), fc.constantFrom(...ACTIONS), (status, action) => {
        const r = transition(status, action);
        if (r.ok) expect(CARD_STATUSES).toContain(r.next);
      }),
    );
  });
});
