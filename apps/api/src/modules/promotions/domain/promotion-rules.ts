import type { FieldError } from '../../../common/errors/app-error';
import type { PromotionEntity } from '../entities/promotion.entity';

type PromotionShape = Pick<
  PromotionEntity,
  | 'kind'
  | 'startsAt'
  | 'endsAt'
  | 'dailyStart'
  | 'dailyEnd'
  | 'weekdays'
  | 'monthDays'
  | 'discountBps'
  | 'reductionMode'
  | 'steps'
  | 'flashSkuId'
  | 'flashPriceFen'
  | 'flashStock'
  | 'flashSold'
  | 'flashPerMemberLimit'
>;

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_STEPS = 10;

/** What makes a promotion unusable, field by field (empty when it is fine); the database CHECKs agree. */
export function promotionProblems(p: PromotionShape): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, error: string) => problems.push({ field, errors: [error] });
  if (p.startsAt && p.endsAt && p.endsAt.getTime() <= p.startsAt.getTime()) add('endsAt', 'endsAt must be after startsAt');
  if ((p.dailyStart === null) !== (p.dailyEnd === null)) add('dailyEnd', 'daily hours need both dailyStart and dailyEnd');
  for (const [field, v] of [['dailyStart', p.dailyStart], ['dailyEnd', p.dailyEnd]] as const) if (v !== null && !HH_MM.test(v)) add(field, `${field} is HH:mm`);
  if (p.dailyStart !== null && p.dailyStart === p.dailyEnd) add('dailyEnd', 'dailyEnd must differ from dailyStart');
  if (p.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) add('weekdays', 'weekdays are 1 (Monday) to 7 (Sunday)');
  if (p.monthDays.some((d) => !Number.isInteger(d) || d < 1 || d > 31)) add('monthDays', 'monthDays are 1 to 31');
  const flashFields = p.flashSkuId !== null || p.flashPriceFen !== null || p.flashStock !== null || p.flashPerMemberLimit !== null;

  if (p.kind === 'member_day') {
    if (p.discountBps === null || p.discountBps < 1 || p.discountBps > 9999) add('discountBps', 'a member day needs discountBps, the rate members pay (1–9999, 8800 = 8.8折)');
    if (p.weekdays.length === 0 && p.monthDays.length === 0) add('weekdays', 'a member day needs weekdays or monthDays');
  } else if (p.discountBps !== null) add('discountBps', `a ${p.kind} takes no discountBps`);

  if (p.kind === 'full_reduction') {
    if (!p.reductionMode) add('reductionMode', 'a full reduction needs reductionMode amount (满减) or rate (满折)');
    if (p.steps.length < 1 || p.steps.length > MAX_STEPS) add('steps', `a full reduction needs 1–${MAX_STEPS} steps`);
    const thresholds = new Set<number>();
    p.steps.forEach((s, i) => {
      if (!Number.isSafeInteger(s.thresholdFen) || s.thresholdFen < 1) add(`steps[${i}].thresholdFen`, 'thresholdFen must be at least 1');
      if (thresholds.has(s.thresholdFen)) add(`steps[${i}].thresholdFen`, 'two steps have this threshold');
      thresholds.add(s.thresholdFen);
      if (p.reductionMode === 'amount') {
        if (s.amountOffFen === null || s.amountOffFen < 1) add(`steps[${i}].amountOffFen`, 'an amount step needs amountOffFen ≥ 1');
        if (s.discountBps !== null) add(`steps[${i}].discountBps`, 'an amount step takes no discountBps');
      } else if (p.reductionMode === 'rate') {
        if (s.discountBps === null || s.discountBps < 1 || s.discountBps > 9999) add(`steps[${i}].discountBps`, 'a rate step needs discountBps 1–9999 (9000 = 9折)');
        if (s.amountOffFen !== null) add(`steps[${i}].amountOffFen`, 'a rate step takes no amountOffFen');
      }
    });
  } else {
    if (p.reductionMode !== null) add('reductionMode', `a ${p.kind} takes no reductionMode`);
    if (p.steps.length) add('steps', `a ${p.kind} takes no steps`);
  }

  if (p.kind === 'flash_sale') {
    if (!p.flashSkuId) add('flashSkuId', 'a flash sale needs flashSkuId');
    if (p.flashPriceFen === null || p.flashPriceFen < 0) add('flashPriceFen', 'a flash sale needs flashPriceFen ≥ 0');
    if (p.flashStock === null || p.flashStock < 0) add('flashStock', 'a flash sale needs flashStock ≥ 0');
  } else if (flashFields) add('flashSkuId', `a ${p.kind} takes no flash-sale fields`);
  return problems;
}
