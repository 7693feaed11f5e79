import fc from 'fast-check';
import { COUPON_CODE_ALPHABET, COUPON_CODE_LENGTH, newCouponCode, normaliseCouponCode } from './coupon-code';

describe('coupon codes', () => {
  it('draws ten characters without look-alikes', () => {
    for (let i = 0; i < 200; i++) {
      const code = newCouponCode();
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    }
    expect(COUPON_CODE_ALPHABET).not.toMatch(/[01ILO]/);
  });

  it('reads a code typed with spaces, dashes or lower case', () => {
    expect(normaliseCouponCode('abcd-efgh 23')).toBe('ABCDEFGH23');
    expect(normaliseCouponCode('ABCDEFGH2O')).toBeNull();
    expect(normaliseCouponCode('ABC')).toBeNull();
  });

  it('reads back every code it draws', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: COUPON_CODE_LENGTH, maxLength: COUPON_CODE_LENGTH }), (draws) => {
        let i = 0;
        const code = newCouponCode((max) => draws[i++] % max);
        expect(normaliseCouponCode(code.toLowerCase())).toBe(code);
      }),
    );
  });
});
