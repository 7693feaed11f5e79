import fc from 'fast-check';
import { money, signedMoney } from './money';

describe('money', () => {
  it('shows fen as yuan with the sign in front', () => {
    expect(money(0)).toBe('¥0.00');
    expect(money(112000)).toBe('¥1120.00');
    expect(money(1)).toBe('¥0.01');
    expect(signedMoney(20000)).toBe('+¥200.00');
    expect(signedMoney(-8800)).toBe('-¥88.00');
    expect(signedMoney(0)).toBe('¥0.00');
  });

  it('never loses a fen: the digits read back to the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const text = signedMoney(fen).replace('¥', '');
        expect(Math.round(Number(text) * 100)).toBe(fen);
      }),
    );
  });
});
