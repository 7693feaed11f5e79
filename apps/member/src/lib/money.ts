import { formatYuan, type Fen } from '@chaincard/shared';

/** The one way screens show an amount: fen from the API → "¥123.45" (shared's formatYuan). */
export function money(fen: Fen): string {
  return `¥${formatYuan(fen)}`;
}

/** A ledger line's signed amount: "+¥10.00" / "-¥3.50". */
export function signedMoney(fen: Fen): string {
  return fen > 0 ? `+${money(fen)}` : fen < 0 ? `-${money(-fen)}` : money(0);
}
