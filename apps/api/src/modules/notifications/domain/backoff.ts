/**
 * When to try a message again after a transient failure: 30 s, 1 min, 2 min, … doubling, at most
 * 6 h, spread by up to +20 % derived from the message id so that messages failed by one outage do
 * not all come back in the same second (deterministic, so tests and reasoning stay exact).
 */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 6 * 3600_000;

export function retryDelayMs(attempt: number, seed: string): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 30), MAX_RETRY_MS);
  return base + Math.floor((base * spread(seed)) / 5);
}

/** A number in [0, 1) from the seed (FNV-1a). */
function spread(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}
