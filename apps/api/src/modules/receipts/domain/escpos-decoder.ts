import * as iconv from 'iconv-lite';
import { ESC, FS, GS, LF } from './escpos';

/** One ESC/POS command as the decoder understood it. */
export type EscPosCommand =
  | { name: 'init' }
  | { name: 'chinese-on' }
  | { name: 'align'; align: 'left' | 'centre' | 'right' }
  | { name: 'bold'; on: boolean }
  | { name: 'size'; width: number; height: number }
  | { name: 'feed'; lines: number }
  | { name: 'cut'; partial: boolean }
  | { name: 'qr-model'; model: number }
  | { name: 'qr-size'; dots: number }
  | { name: 'qr-ecc'; level: 'L' | 'M' | 'Q' | 'H' }
  | { name: 'qr-store'; data: Buffer }
  | { name: 'qr-print' }
  | { name: 'text'; text: string }
  | { name: 'lf' };

export interface DecodedLine {
  text: string;
  align: 'left' | 'centre' | 'right';
  bold: boolean;
  width: number;
  height: number;
}

export interface DecodedReceipt {
  commands: EscPosCommand[];
  /** Printed lines (empty ones too) with the style in force when each was printed. */
  lines: DecodedLine[];
  /** Content of every printed QR code (UTF-8). */
  qrCodes: string[];
}

const ALIGN = ['left', 'centre', 'right'] as const;
const ECC = { 0x30: 'L', 0x31: 'M', 0x32: 'Q', 0x33: 'H' } as const;

/**
 * Reads ESC/POS bytes back into commands and text lines (GB18030), for tests and previews. Strict:
 * a byte it does not understand is an error, so a stray control byte in a receipt cannot pass.
 * Covers the commands renderEscPos writes.
 */
export function decodeEscPos(bytes: Buffer): DecodedReceipt {
  const commands: EscPosCommand[] = [];
  const lines: DecodedLine[] = [];
  const qrCodes: string[] = [];
  const style = { align: 'left' as DecodedLine['align'], bold: false, width: 1, height: 1 };
  let chinese = false;
  let pending = '';
  let stored: Buffer | null = null;
  let i = 0;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new Error(`ESC/POS: command at ${i} is cut short`);
  };
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === LF) {
      commands.push({ name: 'lf' });
      lines.push({ text: pending, ...style });
      pending = '';
      i += 1;
    } else if (b === ESC) {
      need(2);
      const op = bytes[i + 1];
      if (op === 0x40) {
        commands.push({ name: 'init' });
        Object.assign(style, { align: 'left', bold: false, width: 1, height: 1 });
        i += 2;
      } else if (op === 0x61) {
        need(3);
        const n = bytes[i + 2] % 48;
        if (n > 2) throw new Error(`ESC/POS: bad alignment ${bytes[i + 2]} at ${i}`);
        style.align = ALIGN[n];
        commands.push({ name: 'align', align: style.align });
        i += 3;
      } else if (op === 0x45) {
        need(3);
        style.bold = (bytes[i + 2] & 1) === 1;
        commands.push({ name: 'bold', on: style.bold });
        i += 3;
      } else if (op === 0x64) {
        need(3);
        commands.push({ name: 'feed', lines: bytes[i + 2] });
        i += 3;
      } else throw new Error(`ESC/POS: unknown command ESC 0x${op.toString(16)} at ${i}`);
    } else if (b === FS) {
      need(2);
      if (bytes[i + 1] !== 0x26) throw new Error(`ESC/POS: unknown command FS 0x${bytes[i + 1].toString(16)} at ${i}`);
      chinese = true;
      commands.push({ name: 'chinese-on' });
      i += 2;
    } else if (b === GS) {
      need(2);
      const op = bytes[i + 1];
      if (op === 0x21) {
        need(3);
        style.width = (bytes[i + 2] >> 4) + 1;
        style.height = (bytes[i + 2] & 0x0f) + 1;
        commands.push({ name: 'size', width: style.width, height: style.height });
        i += 3;
      } else if (op === 0x56) {
        need(3);
        const m = bytes[i + 2];
        if (m === 0x41 || m === 0x42) {
          need(4);
          commands.push({ name: 'cut', partial: m === 0x42 });
          i += 4;
        } else {
          commands.push({ name: 'cut', partial: m === 1 || m === 0x31 });
          i += 3;
        }
      } else if (op === 0x28 && bytes[i + 2] === 0x6b) {
        need(5);
        const len = bytes[i + 3] + bytes[i + 4] * 256;
        need(5 + len);
        const body = bytes.subarray(i + 5, i + 5 + len);
        if (body[0] !== 0x31) throw new Error(`ESC/POS: GS ( k for symbol ${body[0]} at ${i} (only QR, 49)`);
        const fn = body[1];
        if (fn === 0x41) commands.push({ name: 'qr-model', model: body[2] - 0x30 });
        else if (fn === 0x43) commands.push({ name: 'qr-size', dots: body[2] });
        else if (fn === 0x45) commands.push({ name: 'qr-ecc', level: ECC[body[2] as keyof typeof ECC] });
        else if (fn === 0x50) {
          stored = Buffer.from(body.subarray(3));
          commands.push({ name: 'qr-store', data: stored });
        } else if (fn === 0x51) {
          if (!stored) throw new Error(`ESC/POS: QR printed at ${i} before any data was stored`);
          qrCodes.push(stored.toString('utf8'));
          commands.push({ name: 'qr-print' });
        } else throw new Error(`ESC/POS: unknown QR function ${fn} at ${i}`);
        i += 5 + len;
      } else throw new Error(`ESC/POS: unknown command GS 0x${op.toString(16)} at ${i}`);
    } else if (b < 0x20 || b === 0x7f) {
      throw new Error(`ESC/POS: stray control byte 0x${b.toString(16)} at ${i}`);
    } else {
      // Text runs to the next control byte; GB18030 multi-byte sequences never contain one.
      let end = i;
      while (end < bytes.length && bytes[end] >= 0x20 && bytes[end] !== 0x7f) end++;
      const run = bytes.subarray(i, end);
      if (!chinese && run.some((x) => x >= 0x80)) throw new Error(`ESC/POS: double-byte text at ${i} before Chinese mode (FS &)`);
      const text = iconv.decode(run, 'gb18030');
      commands.push({ name: 'text', text });
      pending += text;
      i = end;
    }
  }
  if (pending) throw new Error('ESC/POS: text left unprinted at the end (no LF)');
  return { commands, lines, qrCodes };
}
