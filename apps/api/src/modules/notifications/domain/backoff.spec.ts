import fc from 'fast-check';
import { FIRST_RETRY_MS, MAX_RETRY_MS, retryDelayMs } from './backoff';

describe('retry backoff', () => {
  it('starts at 30 s and doubles', () => {
    const seed = 'x';
    const first = retryDelayMs(1, seed);
    expect(first).toBeGreaterThanOrEqual(FIRST_RETRY_MS);
    expect(first).toBeLessThan(FIRST_RETRY_MS * 1.2);
    expect(retryDelayMs(2, seed) / first).toBeCloseTo(2, 3);
  });

  it('never waits less than the previous attempt, nor beyond 6 h plus the spread, whatever the seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.string(), (attempt, seed) => {
        const d = retryDelayMs(attempt, seed);
        expect(d).toBeGreaterThanOrEqual(Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS));
        expect(d).toBeLessThanOrEqual(MAX_RETRY_MS * 1.2);
        if (attempt > 1) expect(d).toBeGreaterThanOrEqual(retryDelayMs(attempt - 1, seed));
        expect(retryDelayMs(attempt, seed)).toBe(d);
      }),
    );
  });

  it('refuses a non-positive attempt', () => {
    expect(() => retryDelayMs(0, 'x')).toThrow(RangeError);
  });
});
