import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The dynamic member code (会员动态码): 18 digits, shown as a barcode and a QR code in the member
 * app, valid for the 60-second window it was made in and the next one.
 *
 *   9  WW  IIIIIIII  MMMMMMM
 *   │  │   │         └ 7 digits: HMAC-SHA256(secret, "v1|memberId|index|window|uses") as a
 *   │  │   │           64-bit number mod 10^7
 *   │  │   └ 8 digits: the member's code index (member_code_key.code_index): finds the member by key
 *   │  └ 2 digits: the window (unix seconds / 60) mod 100, to tell an expired code from a forged one
 *   └ version marker; also keeps the code apart from WeChat Pay payment codes (18 digits, 10–15…)
 *
 * The index is not secret; the MAC is what proves the code came from the member's app. Without
 * MEMBER_CODE_SECRET nobody can compute another member's MAC (one guess in 10^7 per attempt, and
 * each attempt only lives for two windows). `uses` is in the MAC and not in the code: once a code
 * is resolved the member's counter moves on, so that code can never match again, and the app can
 * show a fresh one at once.
 */
export const CODE_WINDOW_SECONDS = 60;
export const CODE_LENGTH = 18;
const VERSION = '9';
const INDEX_DIGITS = 8;
const MAC_DIGITS = 7;
export const MAX_CODE_INDEX = 10 ** INDEX_DIGITS - 1;

export function windowOf(now: Date): number {
  return Math.floor(now.getTime() / 1000 / CODE_WINDOW_SECONDS);
}

export interface CodeSubject {
  memberId: string;
  codeIndex: number;
  uses: number;
}

function mac(secret: string, s: CodeSubject, window: number): string {
  const digest = createHmac('sha256', secret).update(`v1|${s.memberId}|${s.codeIndex}|${window}|${s.uses}`).digest();
  return (digest.readBigUInt64BE(0) % BigInt(10 ** MAC_DIGITS)).toString().padStart(MAC_DIGITS, '0');
}

export function makeCode(secret: string, s: CodeSubject, window: number): string {
  if (!Number.isSafeInteger(s.codeIndex) || s.codeIndex < 1 || s.codeIndex > MAX_CODE_INDEX) throw new RangeError(`code index out of range: ${s.codeIndex}`);
  return VERSION + String(window % 100).padStart(2, '0') + String(s.codeIndex).padStart(INDEX_DIGITS, '0') + mac(secret, s, window);
}

export interface ParsedCode {
  windowMod100: number;
  codeIndex: number;
  mac: string;
}

export function parseCode(code: string): ParsedCode | null {
  if (code.length !== CODE_LENGTH || !/^\d+$/.test(code) || code[0] !== VERSION) return null;
  const codeIndex = Number(code.slice(3, 3 + INDEX_DIGITS));
  if (codeIndex < 1) return null;
  return { windowMod100: Number(code.slice(1, 3)), codeIndex, mac: code.slice(3 + INDEX_DIGITS) };
}

/** The latest window not after `current` whose last two digits are the code's. */
export function codeWindow(parsed: ParsedCode, current: number): number {
  return current - ((((current % 100) - parsed.windowMod100) % 100) + 100) % 100;
}

export type CodeCheck = 'valid' | 'expired' | 'used' | 'invalid';

/**
 * Checks a parsed code against its member at `current`. Valid: made in this window or the
 * previous one with the member's current `uses`. Used: it matches an earlier `uses` (it was
 * resolved already). Expired: genuine but made before the previous window.
 */
export function checkCode(secret: string, parsed: ParsedCode, s: CodeSubject, current: number): CodeCheck {
  const window = codeWindow(parsed, current);
  const matches = (subject: CodeSubject) => safeEqual(mac(secret, subject, window), parsed.mac);
  const fresh = window >= current - 1;
  if (matches(s)) return fresh ? 'valid' : 'expired';
  if (s.uses > 0 && matches({ ...s, uses: s.uses - 1 })) return fresh ? 'used' : 'expired';
  return 'invalid';
}

function safeEqual(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
