import qrcode from 'qrcode-generator';
import { ITEM_HEADINGS, receiptBlocks, type Block } from './receipt-layout';
import type { PaperWidth, ReceiptView } from './receipt-view';

const QR_MAX_BYTES = 2331; // version 40 at error correction M, as on paper

/**
 * A receipt as a printable HTML page (the same blocks as the ESC/POS receipt): a paper-wide column
 * on screen, the paper's width under @media print, every text escaped, the QR code as inline SVG
 * (no request leaves the page). 80 mm unless told 58.
 */
export function renderReceiptHtml(view: ReceiptView, paper: PaperWidth = 80): string {
  if (paper !== 58 && paper !== 80) throw new RangeError(`paper must be 58 or 80 (mm), not ${paper}`);
  const body: string[] = [];
  const blocks = receiptBlocks(view);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.kind === 'item') {
      // An item table runs over the items and the details under them.
      const rows: string[] = [];
      while (i < blocks.length && (blocks[i].kind === 'item' || blocks[i].kind === 'detail')) rows.push(itemRow(blocks[i++]));
      i--;
      body.push(
        `<table class="items"><thead><tr><th class="name">${ITEM_HEADINGS.name}</th><th class="num">${ITEM_HEADINGS.quantity}</th><th class="num">${ITEM_HEADINGS.unitPrice}</th><th class="num">${ITEM_HEADINGS.amount}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      );
      continue;
    }
    body.push(blockHtml(b));
  }
  const bodyWidth = paper === 80 ? '80mm' : '58mm';
  const printWidth = paper === 80 ? '72mm' : '48mm';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>小票 ${escapeHtml(view.orderNo)}</title>
<style>
@page { size: ${paper}mm auto; margin: 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; background: #fff; color: #000; }
body { width: ${bodyWidth}; margin: 0 auto; padding: 4mm ${paper === 80 ? '4mm' : '5mm'}; font: 12px/1.5 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif; }
h1 { font-size: 18px; font-weight: bold; text-align: center; margin: 0 0 2px; }
h2 { font-size: 12px; font-weight: bold; margin: 0; }
p { margin: 0; }
hr { border: 0; border-top: 1px dashed #000; margin: 4px 0; }
.centre { text-align: center; }
.bold, .strong { font-weight: bold; }
.strong { font-size: 15px; }
.amount { display: flex; justify-content: space-between; gap: 8px; }
.num, .amount .value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.detail { padding-left: 1em; color: #333; }
table.items { width: 100%; border-collapse: collapse; }
table.items th { font-weight: normal; text-align: left; border-bottom: 1px dashed #000; }
table.items th.num { text-align: right; }
table.items td { vertical-align: top; padding: 0; }
table.items .num { padding-left: 0.8em; }
table.items td.name { overflow-wrap: anywhere; }
table.items tr.detail td:first-child { padding-left: 1em; }
.qr { margin: 6px auto 2px; text-align: center; }
.qr svg { width: ${paper === 80 ? '36mm' : '30mm'}; height: auto; }
.note { text-align: center; white-space: pre-line; margin-top: 4px; }
@media screen { body { margin: 16px auto; box-shadow: 0 0 6px rgba(0, 0, 0, 0.3); } }
@media print { body { width: ${printWidth}; padding: 0; margin: 0 auto; box-shadow: none; } }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'title':
      return `<h1>${escapeHtml(b.text)}</h1>`;
    case 'centre':
      return `<p class="centre${b.bold ? ' bold' : ''}">${escapeHtml(b.text)}</p>`;
    case 'field':
      return `<p class="field"><span class="label">${escapeHtml(b.label)}</span>：<span class="value">${escapeHtml(b.value)}</span></p>`;
    case 'rule':
      return '<hr>';
    case 'detail':
      return `<p class="detail">${escapeHtml(b.text)}${b.amount === null ? '' : ` <span class="value">${escapeHtml(b.amount)}</span>`}</p>`;
    case 'amount':
      return `<div class="amount${b.strong ? ' strong' : ''}"><span class="label">${escapeHtml(b.label)}</span><span class="value">${escapeHtml(b.amount)}</span></div>`;
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'qr':
      return `<div class="qr">${qrSvg(b.content)}</div>`;
    case 'note':
      return `<p class="note">${escapeHtml(b.text)}</p>`;
    case 'item':
      return itemRow(b);
  }
}

function itemRow(b: Block): string {
  if (b.kind === 'item') {
    return `<tr class="item"><td class="name">${escapeHtml(b.name)}</td><td class="num">${escapeHtml(b.quantity)}</td><td class="num">${escapeHtml(b.unitPrice)}</td><td class="num">${escapeHtml(b.amount)}</td></tr>`;
  }
  if (b.kind !== 'detail') throw new Error(`not an item row: ${b.kind}`);
  return `<tr class="detail"><td colspan="3">${escapeHtml(b.text)}</td><td class="num">${b.amount === null ? '' : escapeHtml(b.amount)}</td></tr>`;
}

/** The QR code as one SVG path of its dark modules, with the 4-module quiet zone readers need. */
export function qrSvg(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  if (bytes.length > QR_MAX_BYTES) throw new RangeError(`QR content of ${bytes.length} bytes is more than a QR code holds at level M (${QR_MAX_BYTES})`);
  const qr = qrcode(0, 'M');
  // Byte mode takes one character per byte: hand it the UTF-8 bytes (readers take UTF-8).
  qr.addData(bytes.toString('latin1'), 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let d = '';
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.isDark(y, x)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
  const size = n + 2 * quiet;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img" aria-label="${escapeHtml(content)}"><rect width="${size}" height="${size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
