// WeChat Pay's trade bill (交易账单, GET /v3/bill/tradebill then download_url): CSV whose first line
// names 27 columns, one row per payment (交易状态 SUCCESS), refund (REFUND) or reversal (REVOKED),
// every field prefixed with a backquote, amounts in yuan with two decimals, then two summary lines.
// https://pay.weixin.qq.com/doc/v3/merchant/4012125149

export interface TradeBillRow {
  kind: 'payment' | 'refund';
  /** 交易状态: SUCCESS, REFUND or REVOKED. */
  state: string;
  time: string;
  appId: string;
  mchid: string;
  transactionId: string;
  outTradeNo: string;
  /** Refunds and reversals only. */
  refundId: string | null;
  outRefundNo: string | null;
  /** The payment's settlement amount, or the refund's amount (positive). */
  amountFen: number;
  feeFen: number;
}

export class TradeBillFormatError extends Error {}

/** "12.34" → 1234 without floating point; "-0.06" → -6; fee columns carry five decimals (rounded half up to the fen). */
export function yuanToFen(text: string): number {
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new TradeBillFormatError(`not an amount: "${text}"`);
  const decimals = (m[3] ?? '').padEnd(2, '0');
  let fen = Number(m[2]) * 100 + Number(decimals.slice(0, 2));
  if (decimals.length > 2 && Number(decimals[2]) >= 5) fen += 1;
  if (!Number.isSafeInteger(fen)) throw new TradeBillFormatError(`amount out of range: "${text}"`);
  return m[1] ? -fen : fen;
}

const unquote = (cell: string) => (cell.startsWith('`') ? cell.slice(1) : cell).trim();

/** Parses the bill's rows (the summary lines are checked against them: a truncated file is refused). */
export function parseTradeBill(csv: string): TradeBillRow[] {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 3) throw new TradeBillFormatError('the bill has no header or no summary');
  const header = lines[0].split(',').map(unquote);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new TradeBillFormatError(`the bill has no column ${name}`);
    return i;
  };
  const c = {
    time: col('交易时间'),
    appId: col('公众账号ID'),
    mchid: col('商户号'),
    transactionId: col('微信订单号'),
    outTradeNo: col('商户订单号'),
    state: col('交易状态'),
    settlement: col('应结订单金额'),
    refundId: col('微信退款单号'),
    outRefundNo: col('商户退款单号'),
    refund: col('退款金额'),
    fee: col('手续费'),
  };
  const summaryAt = lines.findIndex((l, i) => i > 0 && unquote(l.split(',')[0]) === '总交易单数');
  if (summaryAt < 0 || summaryAt + 1 >= lines.length) throw new TradeBillFormatError('the bill has no summary line');
  const rows = lines.slice(1, summaryAt).map((line) => {
    const cells = line.split(',').map(unquote);
    if (cells.length !== header.length) throw new TradeBillFormatError(`a row has ${cells.length} columns, the header ${header.length}`);
    const state = cells[c.state];
    const refund = state === 'REFUND' || state === 'REVOKED';
    return {
      kind: refund ? ('refund' as const) : ('payment' as const),
      state,
      time: cells[c.time],
      appId: cells[c.appId],
      mchid: cells[c.mchid],
      transactionId: cells[c.transactionId],
      outTradeNo: cells[c.outTradeNo],
      refundId: refund ? cells[c.refundId] || null : null,
      outRefundNo: refund ? cells[c.outRefundNo] || null : null,
      amountFen: refund ? Math.abs(yuanToFen(cells[c.refund])) : yuanToFen(cells[c.settlement]),
      feeFen: yuanToFen(cells[c.fee]),
    };
  });
  const count = Number(unquote(lines[summaryAt + 1].split(',')[0]));
  if (count !== rows.length) throw new TradeBillFormatError(`the summary counts ${count} rows, the bill has ${rows.length}`);
  return rows;
}
