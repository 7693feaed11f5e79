import Taro from '@tarojs/taro';
import { ERRORS, errorMessage, type ErrorCode } from '@chaincard/shared';
import type { paths } from '@chaincard/api-client';
import { getSession, setSession, type Session } from './session';
import { locale, t } from './i18n';

/**
 * The one request path of the app: Taro.request on both platforms (wx.request in WeChat, fetch in
 * H5), the member's bearer token, one refresh-and-retry on 401, and every API error shown as a
 * toast in the member's language from @chaincard/shared's messages.
 */
export class ApiRequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Lower<M extends Method> = Lowercase<M>;
type Op<P extends keyof paths, M extends Method> = paths[P] extends Record<Lower<M>, infer O> ? O : never;
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : void;
type Ok<O> = O extends { responses: infer R } ? (R extends { 200: infer A } ? Json<A> : R extends { 201: infer C } ? Json<C> : void) : never;
type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : never;

export interface RequestOptions<O> {
  path?: Record<string, string>;
  query?: QueryOf<O>;
  body?: BodyOf<O>;
  /** Money routes need an Idempotency-Key; the caller keeps the key across its own retries. */
  idempotencyKey?: string;
  /** false: the caller shows the error itself. */
  toast?: boolean;
}

/** Called when the session cannot be refreshed (pages send the member to sign in). */
let onSignedOut: () => void = () => {
  void Taro.navigateTo({ url: '/account/login/index' });
};
export function setSignedOutHandler(fn: () => void): void {
  onSignedOut = fn;
}

export function messageFor(code: string, fallback?: string): string {
  if (code in ERRORS) return errorMessage(code as ErrorCode, locale());
  return fallback || t('error.generic');
}

function url(template: string, params: Record<string, string> = {}, query: Record<string, unknown> = {}): string {
  const p = template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params[k] ?? ''));
  const qs = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${API_BASE}${p}${qs ? `?${qs}` : ''}`;
}

async function send(method: Method, target: string, session: Session | null, body: unknown, idem?: string) {
  const header: Record<string, string> = { 'Accept-Language': locale() };
  if (session) header.Authorization = `Bearer ${session.accessToken}`;
  if (idem) header['Idempotency-Key'] = idem;
  if (body !== undefined) header['Content-Type'] = 'application/json';
  try {
    return await Taro.request({ url: target, method, header, data: body as never, dataType: 'json' });
  } catch (e) {
    throw new ApiRequestError(0, 'NETWORK', (e as { errMsg?: string }).errMsg || 'network error');
  }
}

let refreshing: Promise<Session | null> | null = null;

/** One refresh at a time: parallel 401s wait for the same rotation (the API refuses reuse). */
function refresh(old: Session): Promise<Session | null> {
  refreshing ??= (async () => {
    const r = await send('POST', url('/api/auth/refresh'), null, { refreshToken: old.refreshToken });
    const data = r.data as { accessToken?: string; refreshToken?: string };
    const next = r.statusCode < 300 && data.accessToken && data.refreshToken ? { accessToken: data.accessToken, refreshToken: data.refreshToken } : null;
    setSession(next);
    return next;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function api<P extends keyof paths, M extends Method>(method: M, path: P, opts: RequestOptions<Op<P, M>> = {}): Promise<Ok<Op<P, M>>> {
  const target = url(path as string, opts.path, (opts.query ?? {}) as Record<string, unknown>);
  let session = getSession();
  let res = await send(method, target, session, opts.body, opts.idempotencyKey).catch((e: ApiRequestError) => fail(e, opts));
  if (res.statusCode === 401 && session) {
    session = await refresh(session);
    if (session) res = await send(method, target, session, opts.body, opts.idempotencyKey).catch((e: ApiRequestError) => fail(e, opts));
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as Ok<Op<P, M>>;
  const err = (res.data as { error?: { code?: string; message?: string } } | undefined)?.error;
  const code = err?.code ?? 'INTERNAL_ERROR';
  if (res.statusCode === 401) {
    setSession(null);
    onSignedOut();
  }
  return fail(new ApiRequestError(res.statusCode, code, messageFor(code, err?.message)), opts);
}

function fail(e: ApiRequestError, opts: { toast?: boolean }): never {
  if (opts.toast !== false) void Taro.showToast({ title: e.code === 'NETWORK' ? t('error.generic') : e.message, icon: 'none', duration: 2500 });
  throw e;
}

/** A fresh key per user action (not per retry). */
export function newIdempotencyKey(): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(Math.random() * 4)]}${hex(3)}-${hex(12)}`;
}
