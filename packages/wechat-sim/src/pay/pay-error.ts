// WeChat Pay v3 answers errors as `{ "code", "message", "detail"? }` with a meaningful HTTP status.
// Its documentation spells some codes two ways (ORDERNOTEXIST / ORDER_NOT_EXIST,
// USERPAYING / USER_PAYING); each code below is the one the current API documentation lists for
// that call.
export class PayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

export function paramError(field: string, value: unknown, issue: string, location: 'body' | 'query' | 'path' = 'body'): PayError {
  return new PayError(400, 'PARAM_ERROR', `输入源“/${location}${field}”映射到值字段校验失败，${issue}`, {
    field,
    value: value === undefined ? null : value,
    issue,
    location,
  });
}

export const orderNotExist = () => new PayError(404, 'ORDER_NOT_EXIST', '订单不存在');

type Json = Record<string, unknown>;

function at(body: Json, path: string): unknown {
  let cur: unknown = body;
  for (const key of path.split('/').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Json)[key];
  }
  return cur;
}

/** string(n) in WeChat's tables counts UTF-8 bytes. */
export function str(
  body: Json,
  path: string,
  rule: { required?: boolean; maxBytes?: number; minLength?: number; pattern?: RegExp; patternIssue?: string },
): string | undefined {
  const v = at(body, path);
  if (v === undefined || v === null) {
    if (rule.required) throw paramError(path, null, '字段不能为空');
    return undefined;
  }
  if (typeof v !== 'string') throw paramError(path, v, '应为字符串');
  if (rule.required && v.length === 0) throw paramError(path, v, '字段不能为空');
  if (rule.maxBytes !== undefined && Buffer.byteLength(v, 'utf8') > rule.maxBytes) throw paramError(path, v, `长度不能超过${rule.maxBytes}字节`);
  if (rule.minLength !== undefined && v.length < rule.minLength) throw paramError(path, v, `长度不能少于${rule.minLength}个字符`);
  if (rule.pattern && !rule.pattern.test(v)) throw paramError(path, v, rule.patternIssue ?? '格式错误');
  return v;
}

export function int(body: Json, path: string, rule: { required?: boolean; min?: number; max?: number }): number | undefined {
  const v = at(body, path);
  if (v === undefined || v === null) {
    if (rule.required) throw paramError(path, null, '字段不能为空');
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw paramError(path, v, '应为整数');
  if (rule.min !== undefined && v < rule.min) throw paramError(path, v, `值必须大于等于${rule.min}`);
  if (rule.max !== undefined && v > rule.max) throw paramError(path, v, `值必须小于等于${rule.max}`);
  return v;
}

export function obj(body: Json, path: string, required: boolean): Json | undefined {
  const v = at(body, path);
  if (v === undefined || v === null) {
    if (required) throw paramError(path, null, '字段不能为空');
    return undefined;
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw paramError(path, v, '应为对象');
  return v as Json;
}

export function bool(body: Json, path: string): boolean | undefined {
  const v = at(body, path);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw paramError(path, v, '应为布尔值');
  return v;
}

export const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
export const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

export function absoluteUrl(body: Json, path: string, required: boolean): string | undefined {
  const v = str(body, path, { required, maxBytes: 255 });
  if (v === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw paramError(path, v, '必须为完整的URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw paramError(path, v, '必须为http或https协议的URL');
  return v;
}
