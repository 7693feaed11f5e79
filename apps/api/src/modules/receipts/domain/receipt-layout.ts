import { localTime, quantity, yuan } from './text';
import type { ReceiptView } from './receipt-view';

/**
 * The receipt's content in order, independent of the medium: both the ESC/POS and the HTML
 * renderer print exactly these blocks, so paper and page always agree. Texts are raw here; each
 * renderer makes them safe for its medium (printable() / HTML escaping).
 */
export type Block =
  /** The store's name: centred, double size. */
  | { kind: 'title'; text: string }
  | { kind: 'centre'; text: string; bold?: boolean }
  /** "单号：…" */
  | { kind: 'field'; label: string; value: string }
  | { kind: 'rule' }
  /** One order line: amount is quantity × unit price, before its discounts. */
  | { kind: 'item'; name: string; quantity: string; unitPrice: string; amount: string }
  /** Indented under an item: a discount (with its amount), the price after them, the serving staff. */
  | { kind: 'detail'; text: string; amount: string | null }
  /** Label left, amount right: totals, payments, balances. strong = the amount due. */
  | { kind: 'amount'; label: string; amount: string; strong?: boolean }
  | { kind: 'heading'; text: string }
  | { kind: 'qr'; content: string }
  | { kind: 'note'; text: string };

export const ITEM_HEADINGS = { name: '品名', quantity: '数量', unitPrice: '单价', amount: '金额' } as const;

const minus = (fen: number) => yuan(-fen);

export function receiptBlocks(v: ReceiptView): Block[] {
  const b: Block[] = [{ kind: 'title', text: v.store.name }];
  if (v.store.address) b.push({ kind: 'centre', text: v.store.address });
  if (v.store.phone) b.push({ kind: 'centre', text: `电话：${v.store.phone}` });
  if (v.reprint) b.push({ kind: 'centre', text: '*** 重打小票 ***', bold: true });
  b.push({ kind: 'rule' });

  b.push({ kind: 'field', label: '单号', value: v.orderNo });
  b.push({ kind: 'field', label: '时间', value: localTime(v.createdAt, v.timeZone) });
  if (v.cashierName) b.push({ kind: 'field', label: '收银', value: v.cashierName });
  if (v.member) {
    b.push({ kind: 'field', label: '会员', value: [v.member.memberNo, v.member.name].filter(Boolean).join(' ') });
    if (v.member.maskedPhone) b.push({ kind: 'field', label: '手机', value: v.member.maskedPhone });
  }
  b.push({ kind: 'rule' });

  for (const line of v.lines) {
    b.push({ kind: 'item', name: line.name, quantity: quantity(line.quantity), unitPrice: yuan(line.unitPriceFen), amount: yuan(line.originalFen) });
    for (const d of line.discounts) b.push({ kind: 'detail', text: d.label, amount: minus(d.amountFen) });
    // The price after discounts, whenever it differs from quantity × unit price.
    if (line.totalFen !== line.originalFen) b.push({ kind: 'detail', text: '折后', amount: yuan(line.totalFen) });
    if (line.servingStaff.length) b.push({ kind: 'detail', text: `服务：${line.servingStaff.join('、')}`, amount: null });
  }
  if (v.orderDiscounts.length) {
    b.push({ kind: 'rule' });
    for (const d of v.orderDiscounts) b.push({ kind: 'amount', label: d.label, amount: minus(d.amountFen) });
  }
  b.push({ kind: 'rule' });

  b.push({ kind: 'amount', label: '商品合计', amount: yuan(v.subtotalFen) });
  if (v.discountFen !== 0) b.push({ kind: 'amount', label: '优惠合计', amount: minus(v.discountFen) });
  b.push({ kind: 'amount', label: '应收', amount: yuan(v.totalFen), strong: true });
  if (v.payments.length || v.tenderedFen !== null || v.changeFen !== null) {
    b.push({ kind: 'rule' });
    for (const p of v.payments) b.push({ kind: 'amount', label: p.label, amount: yuan(p.amountFen) });
    if (v.tenderedFen !== null) b.push({ kind: 'amount', label: '实收现金', amount: yuan(v.tenderedFen) });
    if (v.changeFen !== null) b.push({ kind: 'amount', label: '找零', amount: yuan(v.changeFen) });
  }

  if (v.after) {
    b.push({ kind: 'rule' });
    b.push({ kind: 'amount', label: '储值余额', amount: yuan(v.after.balanceFen) });
    b.push({ kind: 'detail', text: `本金 ${yuan(v.after.principalFen)}  赠送 ${yuan(v.after.bonusFen)}`, amount: null });
    b.push({ kind: 'amount', label: '积分余额', amount: String(v.after.points) });
    if (v.after.pointsEarned !== 0) b.push({ kind: 'amount', label: '本单积分', amount: `${v.after.pointsEarned > 0 ? '+' : ''}${v.after.pointsEarned}` });
  }

  if (v.refunds.length) {
    b.push({ kind: 'rule' });
    b.push({ kind: 'heading', text: '退款记录' });
    for (const r of v.refunds) b.push({ kind: 'amount', label: localTime(r.at, v.timeZone), amount: minus(r.amountFen) });
  }

  if (v.qrContent) b.push({ kind: 'qr', content: v.qrContent });
  if (v.footer) b.push({ kind: 'note', text: v.footer });
  return b;
}
