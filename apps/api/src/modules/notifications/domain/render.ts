import { formatYuan } from '@chaincard/shared';
import type { Channel } from './events';

/** A template's per-channel settings, as configured by HQ (notification_template). */
export interface TemplateView {
  channel: Channel;
  /** WeChat: the subscribe-message template id; SMS: the provider's template code (模板 CODE / ID). */
  externalId: string | null;
  /** WeChat: the mini-program page a tap on the message opens. */
  page: string | null;
  /** WeChat: keyword fields (thing1, amount2…); SMS: template parameters, in the provider's order. */
  fields: { name: string; value: string }[];
  /** E-mail subject; null = the event's default. */
  subject: string | null;
  /** Free text (e-mail body, the log SMS provider); null = the event's default. */
  body: string | null;
}

export type RenderedContent =
  | { channel: 'wechat'; templateId: string; page: string | null; data: Record<string, { value: string }> }
  | { channel: 'sms'; templateCode: string | null; params: { name: string; value: string }[]; text: string }
  | { channel: 'email'; subject: string; text: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Replaces {{name}} with the variable's value; an unknown or empty variable becomes ''. */
export function fill(pattern: string, vars: Readonly<Record<string, string>>): string {
  return pattern.replace(PLACEHOLDER, (_, name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : ''));
}

/** The variable names a pattern uses, in order of first use. */
export function placeholders(pattern: string): string[] {
  return [...new Set([...pattern.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * The keyword types of WeChat subscribe messages and their value limits (characters). WeChat
 * refuses a whole message whose value breaks its keyword's rule (errcode 47003), so values are cut
 * to fit rather than lost. https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
 */
export const WECHAT_KEYWORD_LIMITS: Record<string, number> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  time: 32,
  date: 32,
  amount: 32,
  phone_number: 17,
  car_number: 8,
  name: 10,
  phrase: 5,
};

export const WECHAT_KEYWORD = /^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|car_number|name|phrase)\d{1,2}$/;

/**
 * Fits a value to its WeChat keyword: too-long text ends in … within the limit. WeChat refuses an
 * empty value too, so an empty text keyword says 无 (none) and an empty code says -.
 */
export function wechatValue(keyword: string, value: string): string {
  const type = WECHAT_KEYWORD.exec(keyword)?.[1];
  if (value.trim() === '') {
    if (type === 'thing' || type === 'name' || type === 'phrase') return '无';
    if (type === 'character_string' || type === 'symbol') return '-';
    return value;
  }
  const limit = type ? WECHAT_KEYWORD_LIMITS[type] : 20;
  const chars = [...value];
  if (chars.length <= limit) return value;
  // thing may end in an ellipsis; numbers, codes and amounts are cut without one (it would be refused).
  return type === 'thing' || type === 'name' ? chars.slice(0, limit - 1).join('') + '…' : chars.slice(0, limit).join('');
}

/** yyyy-MM-dd HH:mm of an instant in the time zone. */
export function formatLocalTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/**
 * Turns a message's data into template variables (strings): `xxxFen` money becomes `xxxYuan`
 * (formatted, never parsed back), changes get their sign, `at` becomes `time` in the time zone,
 * ISO instants named `…At` become `…Time`. Everything else is shown as it is.
 */
export function displayVariables(data: Readonly<Record<string, unknown>>, base: Readonly<Record<string, string>>, timeZone: string): Record<string, string> {
  const vars: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) {
      vars[key] = '';
    } else if (typeof value === 'number' && key.endsWith('Fen') && Number.isSafeInteger(value)) {
      const yuan = formatYuan(value);
      vars[`${key.slice(0, -3)}Yuan`] = isSignedChange(key) && value > 0 ? `+${yuan}` : yuan;
      vars[key] = String(value);
    } else if (typeof value === 'number') {
      vars[key] = isSignedChange(key) && value > 0 ? `+${value}` : String(value);
    } else if (typeof value === 'string' && (key === 'at' || key.endsWith('At')) && !Number.isNaN(Date.parse(value))) {
      const local = formatLocalTime(new Date(value), timeZone);
      vars[key === 'at' ? 'time' : `${key.slice(0, -2)}Time`] = local;
      vars[key] = value;
    } else {
      vars[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return vars;
}

const isSignedChange = (key: string) => /^change|Change(Fen)?$/.test(key);

/** The content a channel sends, from the template and the variables. */
export function render(template: TemplateView, defaults: { subject: string; body: string }, vars: Readonly<Record<string, string>>): RenderedContent {
  const text = fill(template.body ?? defaults.body, vars);
  switch (template.channel) {
    case 'wechat':
      return {
        channel: 'wechat',
        templateId: template.externalId ?? '',
        page: template.page ? fill(template.page, vars) : null,
        data: Object.fromEntries(template.fields.map((f) => [f.name, { value: wechatValue(f.name, fill(f.value, vars)) }])),
      };
    case 'sms':
      return { channel: 'sms', templateCode: template.externalId, params: template.fields.map((f) => ({ name: f.name, value: fill(f.value, vars) })), text };
    case 'email':
      return { channel: 'email', subject: fill(template.subject ?? defaults.subject, vars), text };
  }
}
