/**
 * Points earned on a purchase (消费积分), as one pure function so that the checkout, the receipt and
 * the tests agree on every point.
 *
 * Order of application, all in exact integer (BigInt) arithmetic with a single floor at the end:
 *   1. the eligible amount is split at the stage boundaries (不同消费阶段不同积分); each part is
 *      weighted by its stage's rate (10000 bps = 1×; below the first stage the rate is 1×);
 *   2. the weighted amount is multiplied by the member's tier multiplier (等级倍率) and, on the
 *      member's birthday, by the birthday multiplier;
 *   3. converted at the earn unit (`points` per `perFen` fen) and floored.
 * Flooring once (not per stage) means splitting an amount never loses a point to rounding.
 */
export interface StageRate {
  /** The stage starts at this amount of the order (inclusive), in fen. */
  fromFen: number;
  /** Rate for the part of the amount inside this stage; 10000 = 1×, 15000 = 1.5×. */
  rateBps: number;
}

export interface EarnUnit {
  points: number;
  perFen: number;
}

export interface EarnInput {
  eligibleAmountFen: number;
  stageRates: readonly StageRate[];
  unit: EarnUnit;
  tierMultiplierBps: number;
  /** The birthday multiplier when the purchase falls on the member's birthday, else null. */
  birthday: { multiplierBps: number } | null;
}

export interface EarnStageLine {
  fromFen: number;
  toFen: number;
  amountFen: number;
  rateBps: number;
}

export interface EarnResult {
  points: number;
  stages: EarnStageLine[];
  multiplierBps: number;
}

const ONE = 10_000n;

export function computeEarn(input: EarnInput): EarnResult {
  const amount = input.eligibleAmountFen;
  if (!Number.isSafeInteger(amount)) throw new RangeError(`eligibleAmountFen must be an integer, got ${amount}`);
  checkUnit(input.unit);
  checkBps(input.tierMultiplierBps, 'tierMultiplierBps');
  if (input.birthday) checkBps(input.birthday.multiplierBps, 'birthday.multiplierBps');
  const stages = normaliseStages(input.stageRates);
  const lines: EarnStageLine[] = [];
  let weighted = 0n;
  if (amount > 0) {
    for (let i = 0; i < stages.length; i++) {
      const from = stages[i].fromFen;
      const to = i + 1 < stages.length ? stages[i + 1].fromFen : Number.MAX_SAFE_INTEGER;
      if (amount <= from) break;
      const part = Math.min(amount, to) - from;
      lines.push({ fromFen: from, toFen: Math.min(amount, to), amountFen: part, rateBps: stages[i].rateBps });
      weighted += BigInt(part) * BigInt(stages[i].rateBps);
    }
  }
  const birthdayBps = BigInt(input.birthday?.multiplierBps ?? 10_000);
  const multiplier = (BigInt(input.tierMultiplierBps) * birthdayBps) / ONE;
  const numerator = weighted * BigInt(input.tierMultiplierBps) * birthdayBps * BigInt(input.unit.points);
  const denominator = ONE * ONE * ONE * BigInt(input.unit.perFen);
  const points = numerator / denominator;
  // Extreme rules on an extreme amount could exceed what a JS number counts exactly: refuse, never round.
  if (points > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('the earn rules give more points than can be counted exactly');
  return { points: Number(points), stages: lines, multiplierBps: Number(multiplier) };
}

/** Stages sorted by start, with the implicit 1× stage from 0 when the first one starts later. */
export function normaliseStages(stageRates: readonly StageRate[]): StageRate[] {
  const problems = stageRatesProblems(stageRates);
  if (problems.length) throw new RangeError(problems.join('; '));
  const sorted = [...stageRates].sort((a, b) => a.fromFen - b.fromFen);
  return sorted[0]?.fromFen === 0 ? sorted : [{ fromFen: 0, rateBps: 10_000 }, ...sorted];
}

/** Why a list of stage rates is unusable (empty when it is fine). */
export function stageRatesProblems(stageRates: readonly StageRate[]): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const s of stageRates) {
    if (!Number.isSafeInteger(s.fromFen) || s.fromFen < 0) problems.push(`fromFen must be a non-negative integer, got ${s.fromFen}`);
    if (!Number.isInteger(s.rateBps) || s.rateBps < 0 || s.rateBps > MAX_BPS) problems.push(`rateBps must be an integer 0–${MAX_BPS}, got ${s.rateBps}`);
    if (seen.has(s.fromFen)) problems.push(`two stages start at ${s.fromFen}`);
    seen.add(s.fromFen);
  }
  return problems;
}

/** 10× is far beyond any real rule; the bound keeps products exact and typos visible. */
export const MAX_BPS = 100_000;

function checkBps(bps: number, name: string): void {
  if (!Number.isInteger(bps) || bps < 0 || bps > MAX_BPS) throw new RangeError(`${name} must be an integer 0–${MAX_BPS}, got ${bps}`);
}

function checkUnit(unit: EarnUnit): void {
  if (!Number.isInteger(unit.points) || unit.points < 1) throw new RangeError(`unit.points must be a positive integer, got ${unit.points}`);
  if (!Number.isInteger(unit.perFen) || unit.perFen < 1) throw new RangeError(`unit.perFen must be a positive integer, got ${unit.perFen}`);
}
