import type { ErrorCode } from '@chaincard/shared';
import type { CardStatus } from '../entities/card.entity';

export type CardAction = 'report_loss' | 'unfreeze' | 'replace' | 'return' | 'identify';

/**
 * The card's life (卡片状态机):
 *   active --report_loss--> lost --unfreeze--> active
 *   active | lost --replace--> replaced (a new active card takes over)
 *   active | lost --return--> returned
 * replaced and returned are final. Only an active card identifies its member.
 * Returns the new status, or the error code that explains why the action is refused.
 */
export function transition(status: CardStatus, action: CardAction): { ok: true; next: CardStatus } | { ok: false; code: ErrorCode } {
  if (status === 'replaced') return { ok: false, code: 'CARD_REPLACED' };
  if (status === 'returned') return { ok: false, code: 'CARD_RETURNED' };
  switch (action) {
    case 'identify':
      return status === 'active' ? { ok: true, next: 'active' } : { ok: false, code: 'CARD_LOST' };
    case 'report_loss':
      return status === 'active' ? { ok: true, next: 'lost' } : { ok: false, code: 'CARD_LOST' };
    case 'unfreeze':
      return status === 'lost' ? { ok: true, next: 'active' } : { ok: false, code: 'CARD_NOT_LOST' };
    case 'replace':
      return { ok: true, next: 'replaced' };
    case 'return':
      return { ok: true, next: 'returned' };
  }
}

/** Card numbers as printed: 4–16 letters or digits, kept upper-case; 18-digit numbers are dynamic codes. */
export const CARD_NO = /^[0-9A-Za-z]{4,16}$/;

export function normaliseCardNo(cardNo: string): string {
  return cardNo.trim().toUpperCase();
}
