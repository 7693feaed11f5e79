import { newPickupCode, PICKUP_CODE_FORMAT } from './pickup-code';

describe('pickup codes', () => {
  it('are eight digits, leading zeros kept, and vary between calls', () => {
    const codes = Array.from({ length: 200 }, newPickupCode);
    for (const c of codes) expect(c).toMatch(PICKUP_CODE_FORMAT);
    expect(codes.every((c) => c.length === 8)).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});
