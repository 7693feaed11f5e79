import fc from 'fast-check';
import { isWeakPayPassword } from './pay-password';

describe('payment password rule', () => {
  it('refuses repeated digits and runs up or down', () => {
    for (const pw of ['000000', '888888', '123456', '654321', '789012', '210987']) expect({ pw, weak: isWeakPayPassword(pw) }).toEqual({ pw, weak: true });
  });

  it('accepts other six-digit passwords', () => {
    for (const pw of ['135790', '802417', '112233', '123457']) expect({ pw, weak: isWeakPayPassword(pw) }).toEqual({ pw, weak: false });
  });

  it('refuses anything that is not exactly six digits', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        if (!/^\d{6}$/.test(s)) expect(isWeakPayPassword(s)).toBe(true);
      }),
    );
  });
});
