import fc from 'fast-check';
import { ledgerNotice, type PostedLeg } from './ledger-notice';

const leg = (kind: PostedLeg['kind'], amount: number, reason: string, balanceAfter = 0): PostedLeg => ({ kind, amount, reason, balanceAfter });

describe('which notice a ledger posting makes', () => {
  it('tells of a top-up with its bonus and bonus points in one notice', () => {
    const n = ledgerNotice('wallet_top_up', [leg('wallet_principal', 100000, 'top_up'), leg('wallet_bonus', 20000, 'top_up_bonus'), leg('points', 500, 'top_up_bonus', 500)]);
    expect(n).toEqual({
      event: 'wallet.top_up',
      data: expect.objectContaining({ amountFen: 100000, bonusFen: 20000, bonusPoints: 500, changeFen: 120000, reason: 'top_up' }),
    });
  });

  it('tells of a spend, a reversal and a refund as such', () => {
    expect(ledgerNotice('order', [leg('wallet_principal', -3000, 'spend'), leg('wallet_bonus', -800, 'spend')])).toMatchObject({ event: 'wallet.spend', data: { amountFen: 3800 } });
    expect(ledgerNotice('wallet_spend', [leg('wallet_principal', 500, 'spend_reversal')])).toMatchObject({ event: 'wallet.refund', data: { amountFen: 500, directionText: '退回' } });
    expect(ledgerNotice('wallet_top_up', [leg('wallet_principal', -10000, 'top_up_refund'), leg('points', -100, 'top_up_refund')])).toMatchObject({
      event: 'wallet.refund',
      data: { amountFen: 10000, directionText: '扣除', reasonText: '充值退款' },
    });
  });

  it('tells of points changes with the balance after, and of a points exchange as a points change', () => {
    expect(ledgerNotice('point_earning', [leg('points', 120, 'earn', 620)])).toEqual({
      event: 'points.changed',
      data: { pointsChange: 120, pointsBalance: 620, walletChangeFen: 0, reason: 'earn', reasonText: '消费获得' },
    });
    expect(ledgerNotice('point_exchange', [leg('points', -1000, 'exchange', 0), leg('wallet_bonus', 1000, 'points_exchange')])).toMatchObject({
      event: 'points.changed',
      data: { pointsChange: -1000, walletChangeFen: 1000 },
    });
    expect(ledgerNotice('point_lot', [leg('points', -80, 'expire', 0)])).toMatchObject({ event: 'points.changed', data: { reasonText: '过期' } });
  });

  it('tells of other stored-value changes, and of nothing for bookkeeping or count cards', () => {
    expect(ledgerNotice('wallet_bonus_instalment', [leg('wallet_bonus', 500, 'bonus_instalment')])).toMatchObject({ event: 'wallet.changed', data: { changeFen: 500 } });
    expect(ledgerNotice('member_import', [leg('wallet_principal', 500, 'opening_balance')])).toBeNull();
    expect(ledgerNotice('member_merge', [leg('points', 10, 'merge_in', 10)])).toBeNull();
    expect(ledgerNotice('birthday_greeting', [leg('points', 200, 'birthday', 200)])).toBeNull();
    expect(ledgerNotice('count_card_redemption', [leg('count_card', -1, 'redeem', 9)])).toBeNull();
  });

  it('makes at most one notice whatever the legs, and only from the fixed list of events', () => {
    const reasons = ['top_up', 'top_up_bonus', 'spend', 'spend_reversal', 'top_up_refund', 'earn', 'adjust', 'expire', 'opening_balance', 'bonus_instalment', 'redeem'];
    const anyLeg = fc.record({
      kind: fc.constantFrom('wallet_principal', 'wallet_bonus', 'points', 'count_card') as fc.Arbitrary<PostedLeg['kind']>,
      amount: fc.integer({ min: -100000, max: 100000 }).filter((n) => n !== 0),
      reason: fc.constantFrom(...reasons),
      balanceAfter: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(anyLeg, { maxLength: 6 }), (legs) => {
        const n = ledgerNotice('x', legs);
        if (n === null) return;
        expect(['wallet.top_up', 'wallet.spend', 'wallet.refund', 'wallet.changed', 'points.changed']).toContain(n.event);
        if (n.event !== 'points.changed') expect(n.data.amountFen).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
