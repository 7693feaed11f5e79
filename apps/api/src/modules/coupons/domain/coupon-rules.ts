import type { FieldError } from '../../../common/errors/app-error';
import type { CouponKind, CouponRuleSnapshot, CouponStatus, CouponTemplateEntity } from '../entities/coupon.entity';

type TemplateShape = Pick<
  CouponTemplateEntity,
  | 'kind'
  | 'amountOffFen'
  | 'discountBps'
  | 'maxDiscountFen'
  | 'thresholdFen'
  | 'skuId'
  | 'exchangePriceFen'
  | 'validityKind'
  | 'validFromDate'
  | 'validUntilDate'
  | 'validDays'
  | 'totalQuantity'
  | 'issuedCount'
>;

const NEEDS: Record<CouponKind, (keyof TemplateShape)[]> = {
  amount_off: ['amountOffFen'],
  threshold: ['amountOffFen', 'thresholdFen'],
  percent_off: ['discountBps'],
  free_item: ['skuId'],
  exchange: ['skuId', 'exchangePriceFen'],
};
const ALLOWED: Record<CouponKind, (keyof TemplateShape)[]> = {
  amount_off: ['amountOffFen'],
  threshold: ['amountOffFen', 'thresholdFen'],
  percent_off: ['discountBps', 'maxDiscountFen', 'thresholdFen'],
  free_item: ['skuId'],
  exchange: ['skuId', 'exchangePriceFen'],
};
const KIND_FIELDS: (keyof TemplateShape)[] = ['amountOffFen', 'discountBps', 'maxDiscountFen', 'thresholdFen', 'skuId', 'exchangePriceFen'];

/** What makes a template unusable, field by field (empty when it is fine); the database CHECKs agree. */
export function templateProblems(t: TemplateShape): FieldError[] {
  const problems: FieldError[] = [];
  const present = (k: keyof TemplateShape) => t[k] !== null && t[k] !== undefined && !(k === 'thresholdFen' && t[k] === 0);
  for (const k of NEEDS[t.kind]) if (!present(k)) problems.push({ field: k, errors: [`a ${t.kind} coupon needs ${k}`] });
  for (const k of KIND_FIELDS) if (present(k) && !ALLOWED[t.kind].includes(k)) problems.push({ field: k, errors: [`a ${t.kind} coupon takes no ${k}`] });
  if (t.kind === 'percent_off' && t.discountBps !== null && (t.discountBps < 1 || t.discountBps > 9999)) {
    problems.push({ field: 'discountBps', errors: ['discountBps is the rate paid, 1–9999 (8000 = 8折)'] });
  }
  if (t.validityKind === 'fixed') {
    if (!t.validFromDate || !t.validUntilDate) problems.push({ field: 'validUntilDate', errors: ['fixed validity needs validFromDate and validUntilDate'] });
    else if (t.validUntilDate < t.validFromDate) problems.push({ field: 'validUntilDate', errors: ['validUntilDate is before validFromDate'] });
    if (t.validDays !== null) problems.push({ field: 'validDays', errors: ['fixed validity takes no validDays'] });
  } else {
    if (!t.validDays) problems.push({ field: 'validDays', errors: ['relative validity needs validDays'] });
    if (t.validFromDate || t.validUntilDate) problems.push({ field: 'validFromDate', errors: ['relative validity takes no dates'] });
  }
  if (t.totalQuantity !== null && t.totalQuantity < t.issuedCount) {
    problems.push({ field: 'totalQuantity', errors: [`${t.issuedCount} are already issued`] });
  }
  return problems;
}

/** The rule an issued coupon keeps: the template as it is at the moment of issue. */
export function ruleSnapshot(t: CouponTemplateEntity): CouponRuleSnapshot {
  return {
    name: t.name,
    kind: t.kind,
    amountOffFen: t.amountOffFen,
    discountBps: t.discountBps,
    maxDiscountFen: t.maxDiscountFen,
    thresholdFen: t.thresholdFen,
    skuId: t.skuId,
    exchangePriceFen: t.exchangePriceFen,
    storeIds: [...t.storeIds],
    scope: t.scope,
    stackable: t.stackable,
    stackWithMemberPrice: t.stackWithMemberPrice,
  };
}

/** The status a member and a cashier see: an unused coupon past its end is expired even before the job ran. */
export function effectiveStatus(status: CouponStatus, validUntil: Date, now: Date): CouponStatus {
  return status === 'unused' && validUntil.getTime() <= now.getTime() ? 'expired' : status;
}

/** Feb 29 birthdays are celebrated on Feb 28 in common years (as the points birthday rule does). */
export function birthdayKeys(today: string): string[] {
  const md = today.slice(5);
  const year = Number(today.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return md === '02-28' && !leap ? ['02-28', '02-29'] : [md];
}
