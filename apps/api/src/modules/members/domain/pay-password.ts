/** The member payment password (支付密码): six digits, as on every Chinese payment terminal. */
export const PAY_PASSWORD = /^\d{6}$/;

/** Wrong attempts allowed within the window before stored-value payment is locked. */
export const PAY_PASSWORD_POLICY = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;

/**
 * Six digits that are all alike (000000) or a run up or down (123456, 987654) are the first
 * guesses of anyone holding a stolen card; they are refused.
 */
export function isWeakPayPassword(pw: string): boolean {
  if (!PAY_PASSWORD.test(pw)) return true;
  const d = [...pw].map(Number);
  const steps = new Set(d.slice(1).map((x, i) => (x - d[i] + 10) % 10));
  return steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9));
}
