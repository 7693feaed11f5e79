import { AppError } from '../../../common/errors/app-error';

/** A document's lines name each SKU once: a second line of the same SKU is a mistake of the client. */
export function refuseDuplicateSkus(lines: readonly { skuId: string }[], field = 'lines'): void {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const l of lines) (seen.has(l.skuId) ? dup : seen).add(l.skuId);
  if (dup.size) throw new AppError('VALIDATION_FAILED', [{ field, errors: [`each item once per document; repeated: ${[...dup].join(', ')}`] }]);
}

/** Document numbers (单号): a prefix and a chain-wide sequence, e.g. PO-000042. */
export function formatDocNo(prefix: 'PO' | 'GR' | 'PR' | 'IO' | 'TR' | 'ST', seq: number): string {
  return `${prefix}-${String(seq).padStart(6, '0')}`;
}
