/**
 * Money is an integer number of fen (分) everywhere. These helpers are the only place where money
 * arithmetic that could produce a fraction happens, and each names its rounding.
 */
export type Fen = number;

/** The largest amount an input may carry: 1 亿元, far above any real sale, top-up or drawer, far below 2^53. */
export const MAX_AMOUNT_FEN = 100_000_000_00;

export type Rounding = 'floor' | 'ceil' | 'half-up';

export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function assertFen(value: unknown, name = 'amount'): Fen {
  if (!isFen(value)) throw new RangeError(`${name} must be a safe integer number of fen, got ${String(value)}`);
  return value;
}

/** Parses a PostgreSQL bigint (returned as a string by node-postgres) into a safe integer. */
export function parseFen(value: string | number | bigint | null | undefined, name = 'amount'): Fen {
  if (value === null || value === undefined) throw new RangeError(`${name} is missing`);
  const n = typeof value === 'number' ? value : Number(value);
  return assertFen(n, name);
}

/** Integer division of a non-negative numerator with the named rounding. */
function divide(numerator: number, denominator: number, rounding: Rounding): number {
  const q = Math.floor(numerator / denominator);
  const r = numerator - q * denominator;
  if (r === 0) return q;
  if (rounding === 'floor') return q;
  if (rounding === 'ceil') return q + 1;
  return 2 * r >= denominator ? q + 1 : q;
}

/**
 * amount × bps / 10000 with the rounding named at the call. 10000 bps = 100 %.
 * Negative amounts are rounded symmetrically (the sign is applied after rounding the magnitude).
 */
export function applyBps(amount: Fen, bps: number, rounding: Rounding): Fen {
  assertFen(amount);
  if (!Number.isInteger(bps) || bps < 0) throw new RangeError(`bps must be a non-negative integer, got ${bps}`);
  const sign = amount < 0 ? -1 : 1;
  const magnitude = Math.abs(amount);
  // Split to keep intermediate products exact: magnitude × bps may exceed 2^53.
  const whole = Math.floor(magnitude / 10000);
  const rest = magnitude - whole * 10000;
  const result = whole * bps + divide(rest * bps, 10000, rounding);
  return sign * result === 0 ? 0 : sign * result;
}

/**
 * Splits `total` into parts proportional to `weights` by the largest-remainder method: every part is
 * an integer, the parts always sum to `total`, and ties go to the earlier index (deterministic).
 */
export function allocateFen(total: Fen, weights: readonly number[]): Fen[] {
  assertFen(total, 'total');
  if (weights.length === 0) {
    if (total !== 0) throw new RangeError('cannot allocate a non-zero total over no weights');
    return [];
  }
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`weights must be non-negative integers, got ${w}`);
  }
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  if (sumWeights === 0) {
    // Nothing to be proportional to: everything goes to the first part.
    return weights.map((_, i) => (i === 0 ? total : 0));
  }
  const sign = total < 0 ? -1 : 1;
  const magnitude = Math.abs(total);
  const parts: number[] = [];
  const remainders: { index: number; remainder: bigint }[] = [];
  let allocated = 0;
  weights.forEach((w, index) => {
    // BigInt keeps magnitude × weight exact for any safe inputs.
    const product = BigInt(magnitude) * BigInt(w);
    const share = product / BigInt(sumWeights);
    parts.push(Number(share));
    allocated += Number(share);
    remainders.push({ index, remainder: product % BigInt(sumWeights) });
  });
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (let i = 0; i < magnitude - allocated; i++) parts[remainders[i].index] += 1;
  return parts.map((p) => (p === 0 ? 0 : sign * p));
}

/** Formats fen as yuan for display only, e.g. 12345 → "123.45". Never parse this back. */
export function formatYuan(amount: Fen): string {
  assertFen(amount);
  const sign = amount < 0 ? '-' : '';
  const magnitude = Math.abs(amount);
  const yuan = Math.floor(magnitude / 100);
  const fen = magnitude % 100;
  return `${sign}${yuan}.${fen.toString().padStart(2, '0')}`;
}

/** Parses a yuan string typed by a person ("12", "12.3", "12.30") into fen; null when malformed. */
export function yuanToFen(text: string): Fen | null {
  const m = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}
