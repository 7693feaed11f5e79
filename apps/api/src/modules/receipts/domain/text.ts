import * as iconv from 'iconv-lite';

/**
 * Text as a thermal printer in Chinese mode (FS &) prints it: a single-byte (ASCII) character takes
 * one column (12 dots), every GB18030 multi-byte character takes two (24 dots) — CJK ideographs,
 * full-width punctuation, and also symbols such as × · — which a generic East-Asian-width table
 * would count as one. Widths here follow the encoding, so the layout matches the paper.
 */

const ZERO_WIDTH = /[\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFE00-\uFE0F\uFEFF]/gu;

/**
 * What can be printed safely: control characters (which would be printer commands: a name holding
 * ESC could cut the paper) become spaces, zero-width characters go, and characters outside the
 * GB18030 two-byte range that printer fonts lack (emoji, symbols) become '?'; CJK ideographs of
 * the four-byte range stay (GB18030 printers carry them).
 */
export function printable(text: string): string {
  let out = '';
  for (const ch of text.replace(ZERO_WIDTH, '')) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) out += ' ';
    else if (cp < 0x7f) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '?';
    else if (encodedLength(ch) === 2 || /\p{Script=Han}/u.test(ch)) out += ch;
    else out += '?';
  }
  return out;
}

function encodedLength(ch: string): number {
  return iconv.encode(ch, 'gb18030').length;
}

/** Columns a printable string takes: 1 per ASCII character, 2 per other character. */
export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return n;
}

/** Splits text into lines of at most `width` columns, never inside a character; breaks at a space when one is near. */
export function wrap(text: string, width: number): string[] {
  if (width < 2) throw new RangeError('wrap needs at least 2 columns');
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let rest = paragraph.trimEnd();
    if (!rest) {
      lines.push('');
      continue;
    }
    while (columns(rest) > width) {
      const chars = [...rest];
      let cut = 0;
      let used = 0;
      while (cut < chars.length && used + columns(chars[cut]) <= width) used += columns(chars[cut++]);
      // Prefer the last space in the second half of the line (keeps ASCII words together).
      const space = chars.slice(0, cut).lastIndexOf(' ');
      if (space > cut / 2) cut = space + 1;
      lines.push(chars.slice(0, cut).join('').trimEnd());
      rest = chars.slice(cut).join('').trimStart();
    }
    lines.push(rest);
  }
  return lines;
}

/** left and right on one line of exactly `width` columns; null when they do not fit with a space between. */
export function spread(left: string, right: string, width: number): string | null {
  const gap = width - columns(left) - columns(right);
  return gap >= 1 ? left + ' '.repeat(gap) + right : null;
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - columns(text))) + text;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - columns(text)));
}

/** Integer fen as yuan with two decimals: 12345 → "123.45", -80 → "-0.80". Printing only; no arithmetic. */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an amount in fen: ${fen}`);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An instant as local date and time in a time zone: "2026-11-23 14:05:09". */
export function localTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not an ISO instant: ${iso}`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** Quantities as written: integers plain, fractions (weighed goods) up to three decimals. */
export function quantity(q: number): string {
  if (!Number.isFinite(q)) throw new RangeError(`not a quantity: ${q}`);
  return Number.isInteger(q) ? String(q) : String(Number(q.toFixed(3)));
}
