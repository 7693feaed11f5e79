// What each keyword type of a subscribe message template accepts (订阅消息参数值内容限制说明):
//   https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
// A value outside its rule makes the send fail with 47003 "argument invalid!".
import type { KeywordType } from '../state';

const KEYWORD_TYPES: KeywordType[] = ['thing', 'number', 'letter', 'symbol', 'character_string', 'time', 'date', 'amount', 'phone_number', 'car_number', 'name', 'phrase'];

export function keywordType(keyword: string): KeywordType | null {
  const t = keyword.replace(/\d+$/, '');
  return (KEYWORD_TYPES as string[]).includes(t) ? (t as KeywordType) : null;
}

const HAN = /\p{Script=Han}/u;
const ONLY_HAN = /^\p{Script=Han}+$/u;
const SYMBOLS = /^[\p{P}\p{S}]+$/u;
const DATE = '\\d{4}年\\d{1,2}月\\d{1,2}日';
const DATE_DASH = '\\d{4}-\\d{1,2}-\\d{1,2}';
const CLOCK = '\\d{1,2}:\\d{2}(:\\d{2})?';
const ONE_TIME = new RegExp(`^((${DATE}|${DATE_DASH})\\s*)?${CLOCK}$|^(${DATE}|${DATE_DASH})$`);
const ONE_DATE = new RegExp(`^(${DATE}|${DATE_DASH})(\\s*${CLOCK})?$`);

function range(value: string, single: RegExp): boolean {
  const parts = value.split('~').map((p) => p.trim());
  return parts.length <= 2 && parts.every((p) => single.test(p));
}

/** null when the value fits the keyword's type, otherwise why not. */
export function checkKeywordValue(type: KeywordType, value: string): string | null {
  const len = [...value].length;
  if (len === 0) return 'is empty';
  switch (type) {
    case 'thing':
      return len <= 20 ? null : 'exceeds 20 characters';
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) && value.replace(/[-.]/g, '').length <= 32 ? null : 'must be a number of at most 32 digits';
    case 'letter':
      return /^[A-Za-z]{1,32}$/.test(value) ? null : 'must be at most 32 letters';
    case 'symbol':
      return len <= 5 && SYMBOLS.test(value) ? null : 'must be at most 5 symbols';
    case 'character_string':
      return len <= 32 && /^[\x21-\x7e]+$/.test(value) ? null : 'must be at most 32 digits, letters or symbols';
    case 'time':
      return range(value, ONE_TIME) ? null : 'is not a time such as 15:01 or 2019年10月1日 15:01';
    case 'date':
      return range(value, ONE_DATE) ? null : 'is not a date such as 2019年10月1日';
    case 'amount':
      return /^[¥￥$€£]?\d{1,12}(\.\d{1,2})?元?$/.test(value) ? null : 'must be an amount such as ¥99.8 or 99.8元';
    case 'phone_number':
      return len <= 17 && /^[\d+\-() ]+$/.test(value) ? null : 'must be a phone number of at most 17 digits and symbols';
    case 'car_number': {
      if (len > 8) return 'exceeds 8 characters';
      const chars = [...value];
      const inner = chars.slice(1, -1).every((c) => /[A-Za-z0-9]/.test(c));
      const edge = (c: string) => /[A-Za-z0-9]/.test(c) || HAN.test(c);
      return inner && edge(chars[0]) && edge(chars[chars.length - 1]) ? null : 'is not a licence plate';
    }
    case 'name':
      if (HAN.test(value)) return len <= 10 ? null : 'exceeds 10 Chinese characters';
      return len <= 20 && /^[A-Za-z\s.·'-]+$/.test(value) ? null : 'must be at most 20 letters';
    case 'phrase':
      return len <= 5 && ONLY_HAN.test(value) ? null : 'must be at most 5 Chinese characters';
  }
}

/** Checks a send's `data` against the template's keywords; the errmsg of 47003 when it does not fit. */
export function checkTemplateData(keywords: string[], data: unknown): string | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return 'argument invalid! data is empty';
  const d = data as Record<string, unknown>;
  for (const kw of keywords) {
    const entry = d[kw];
    const value = entry !== null && typeof entry === 'object' ? (entry as { value?: unknown }).value : undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return `argument invalid! data.${kw}.value is empty`;
    const type = keywordType(kw);
    if (!type) continue;
    const why = checkKeywordValue(type, String(value));
    if (why) return `argument invalid! data.${kw}.value ${why}`;
  }
  return null;
}
