// Daily reconciliation (对账) of WeChat Pay against our records: every payment and refund of a
// Beijing day is matched by the merchant's number (out_trade_no / out_refund_no) on both sides.

export type ReconcileResult = 'matched' | 'missing_ours' | 'missing_wechat' | 'amount_mismatch';

export interface ReconcileEntry {
  kind: 'payment' | 'refund';
  /** out_trade_no for a payment, out_refund_no (or the out_trade_no of a reversal) for a refund. */
  key: string;
  amountFen: number;
  transactionId: string | null;
}

export interface ReconcileItem {
  kind: 'payment' | 'refund';
  key: string;
  result: ReconcileResult;
  oursFen: number | null;
  wechatFen: number | null;
  transactionId: string | null;
}

/**
 * Every key of either side lands in exactly one item: in both with the same amount (matched), only
 * in the bill (missing_ours: WeChat took or returned money we have no record of), only ours
 * (missing_wechat: we credited or refunded what WeChat did not settle that day), or in both with
 * different amounts. A key twice on one side (never expected) is summed there.
 */
export function reconcile(wechat: ReconcileEntry[], ours: ReconcileEntry[]): ReconcileItem[] {
  const index = (entries: ReconcileEntry[]) => {
    const map = new Map<string, ReconcileEntry>();
    for (const e of entries) {
      const id = `${e.kind}:${e.key}`;
      const seen = map.get(id);
      map.set(id, seen ? { ...seen, amountFen: seen.amountFen + e.amountFen } : e);
    }
    return map;
  };
  const w = index(wechat);
  const o = index(ours);
  const items: ReconcileItem[] = [];
  for (const id of [...new Set([...w.keys(), ...o.keys()])].sort()) {
    const a = w.get(id);
    const b = o.get(id);
    const base = (a ?? b)!;
    const result: ReconcileResult = !b ? 'missing_ours' : !a ? 'missing_wechat' : a.amountFen === b.amountFen ? 'matched' : 'amount_mismatch';
    items.push({ kind: base.kind, key: base.key, result, oursFen: b?.amountFen ?? null, wechatFen: a?.amountFen ?? null, transactionId: a?.transactionId ?? b?.transactionId ?? null });
  }
  return items;
}
