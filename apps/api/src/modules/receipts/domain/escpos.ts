import * as iconv from 'iconv-lite';
import { ITEM_HEADINGS, receiptBlocks, type Block } from './receipt-layout';
import { PAPER_COLUMNS, type PaperWidth, type ReceiptView } from './receipt-view';
import { columns, padEnd, padStart, printable, spread, wrap } from './text';

/**
 * The few ESC/POS commands a receipt needs, written by hand (Epson's ESC/POS reference; the
 * Chinese-mode printers of Xprinter, Gprinter, Sunmi and the like follow it). No ESC/POS library
 * fits: the maintained ones drive USB/network devices and bring their own encoders, while this
 * module only produces bytes for whoever sends them.
 */
export const ESC = 0x1b;
export const FS = 0x1c;
export const GS = 0x1d;
export const LF = 0x0a;

export const CMD = {
  /** ESC @ — reset the printer to its defaults (alignment, size, bold). */
  init: [ESC, 0x40],
  /** FS & — Chinese (double-byte) character mode on: text bytes are GB18030. */
  chineseOn: [FS, 0x26],
  /** ESC a n — justification: 0 left, 1 centre, 2 right. */
  align: (n: 0 | 1 | 2) => [ESC, 0x61, n],
  /** ESC E n — emphasis (bold) off / on. */
  bold: (on: boolean) => [ESC, 0x45, on ? 1 : 0],
  /** GS ! n — character size: high nibble width − 1, low nibble height − 1 (applies to Chinese characters too). */
  size: (width: 1 | 2, height: 1 | 2) => [GS, 0x21, ((width - 1) << 4) | (height - 1)],
  /** ESC d n — print and feed n lines. */
  feed: (n: number) => [ESC, 0x64, n],
  /** GS V 66 n — feed to the cutter (+ n dots) and cut, leaving a hinge (partial cut). */
  cut: [GS, 0x56, 0x42, 0x00],
} as const;

/** GS ( k — the printer draws the QR code itself (model 2), from the bytes stored in its symbol buffer. */
export function qrCommands(content: string, moduleSize: number): number[] {
  const data = Buffer.from(content, 'utf8');
  // Version 40 at error correction M holds 2331 bytes; the command's length field allows 65535.
  if (data.length > 2331) throw new RangeError(`QR content of ${data.length} bytes is more than a QR code holds at level M (2331)`);
  const k = (fn: number, ...params: number[]) => {
    const len = params.length + 2;
    return [GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, fn, ...params];
  };
  return [
    ...k(0x41, 0x32, 0x00), // fn 165: model 2
    ...k(0x43, moduleSize), // fn 167: module size in dots
    ...k(0x45, 0x31), // fn 169: error correction M (15 %)
    ...k(0x50, 0x30, ...data), // fn 180: store the data
    ...k(0x51, 0x30), // fn 181: print the stored symbol
  ];
}

/** Keeps the text's own line breaks (a footer of several lines); everything else as printable(). */
function printableLines(text: string): string {
  return text.split(/\r?\n/).map(printable).join('\n');
}

/** Columns of the item table on 80 mm paper; 58 mm prints each item on two rows instead. */
const TABLE = { quantity: 5, unitPrice: 10, amount: 11 };

/**
 * A receipt as ESC/POS bytes for a 58 mm (32 columns) or 80 mm (48 columns) thermal printer in
 * Chinese mode: every text byte is GB18030, every line fits its columns (a CJK character counts
 * two), amounts are right-aligned on the last column. The layout rules are in the README.
 */
export function renderEscPos(view: ReceiptView, paper: PaperWidth): Buffer {
  const width = PAPER_COLUMNS[paper];
  if (!width) throw new RangeError(`paper must be 58 or 80 (mm), not ${paper}`);
  const out: number[] = [...CMD.init, ...CMD.chineseOn];
  const text = (s: string) => {
    // Every line is checked against the paper: a layout bug must not print garbled receipts.
    if (columns(s) > width) throw new Error(`receipt line wider than ${width} columns: ${s}`);
    out.push(...iconv.encode(s, 'gb18030'), LF);
  };
  const amountLine = (label: string, amount: string) => {
    const one = spread(label, amount, width);
    if (one !== null) return text(one);
    for (const l of wrap(label, width)) text(l);
    text(padStart(amount, width));
  };

  let itemsHeaded = false;
  for (const block of receiptBlocks(view)) {
    switch (block.kind) {
      case 'title':
        // Double width halves the columns.
        out.push(...CMD.align(1), ...CMD.bold(true), ...CMD.size(2, 2));
        for (const l of wrap(printable(block.text), Math.floor(width / 2))) text(l);
        out.push(...CMD.size(1, 1), ...CMD.bold(false), ...CMD.align(0));
        break;
      case 'centre':
      case 'note':
        out.push(...CMD.align(1));
        if (block.kind === 'centre' && block.bold) out.push(...CMD.bold(true));
        for (const l of wrap(printableLines(block.text), width)) text(l);
        if (block.kind === 'centre' && block.bold) out.push(...CMD.bold(false));
        out.push(...CMD.align(0));
        break;
      case 'field':
        for (const l of wrap(printable(`${block.label}：${block.value}`), width)) text(l);
        break;
      case 'rule':
        text('-'.repeat(width));
        break;
      case 'item':
        if (!itemsHeaded) {
          itemsHeaded = true;
          text(paper === 80 ? itemRow(ITEM_HEADINGS.name, ITEM_HEADINGS.quantity, ITEM_HEADINGS.unitPrice, ITEM_HEADINGS.amount, width)! : spread(ITEM_HEADINGS.name, ITEM_HEADINGS.amount, width)!);
        }
        renderItem(block, paper, width, text);
        break;
      case 'detail': {
        // Indented by two columns, continuation lines too.
        if (block.amount === null) for (const l of wrap(printable(block.text), width - 2)) text(`  ${l}`);
        else amountLine(`  ${printable(block.text)}`, block.amount);
        break;
      }
      case 'amount':
        if (block.strong) out.push(...CMD.bold(true), ...CMD.size(1, 2));
        amountLine(printable(block.label), block.amount);
        if (block.strong) out.push(...CMD.size(1, 1), ...CMD.bold(false));
        break;
      case 'heading':
        out.push(...CMD.bold(true));
        for (const l of wrap(printable(block.text), width)) text(l);
        out.push(...CMD.bold(false));
        break;
      case 'qr':
        out.push(...CMD.align(1), ...qrCommands(block.content, paper === 80 ? 8 : 6), LF, ...CMD.align(0));
        break;
    }
  }
  out.push(...CMD.feed(3), ...CMD.cut);
  return Buffer.from(out);
}

function renderItem(item: Extract<Block, { kind: 'item' }>, paper: PaperWidth, width: number, text: (s: string) => void): void {
  const name = printable(item.name);
  if (paper === 80) {
    const nameWidth = width - TABLE.quantity - TABLE.unitPrice - TABLE.amount;
    const [first, ...rest] = wrap(name, nameWidth);
    const row = itemRow(first, item.quantity, item.unitPrice, item.amount, width);
    if (row !== null) {
      text(row);
      for (const l of rest) text(l);
      return;
    }
  }
  // Two rows: the name (wrapped), then "  quantity × unit price" and the amount on the right.
  for (const l of wrap(name, width)) text(l);
  const detail = `  ${item.quantity} × ${item.unitPrice}`;
  const one = spread(detail, item.amount, width);
  if (one !== null) return text(one);
  text(detail);
  text(padStart(item.amount, width));
}

/** name | quantity | unit price | amount on 80 mm paper; null when a figure does not fit its column. */
function itemRow(name: string, qty: string, unitPrice: string, amount: string, width: number): string | null {
  const fits = (s: string, w: number) => columns(s) < w; // at least one space before each figure
  if (!fits(qty, TABLE.quantity) || !fits(unitPrice, TABLE.unitPrice) || !fits(amount, TABLE.amount)) return null;
  const nameWidth = width - TABLE.quantity - TABLE.unitPrice - TABLE.amount;
  return padEnd(name, nameWidth) + padStart(qty, TABLE.quantity) + padStart(unitPrice, TABLE.unitPrice) + padStart(amount, TABLE.amount);
}
