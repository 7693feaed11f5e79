import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** The body of every non-2xx answer (see the API's global error filter). `code` is one of `@chaincard/shared`'s error codes. */
export type ApiError = { error: { code: string; message: string; details?: unknown; requestId?: string } };

export type ChainCardClient = Client<paths>;

export interface ChainCardClientOptions {
  /** The API's origin, e.g. `https://api.example.com`; the document's paths already start with `/api`. */
  baseUrl: string;
  /** Called before every request; a token adds `Authorization: Bearer <token>`. */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Sent as `Accept-Language`; the API answers error messages in `zh-CN` (default) or `en`. */
  locale?: string | (() => string | undefined);
  /** Passed through to openapi-fetch (a custom `fetch`, for instance, on Mini Program platforms). */
  fetch?: ClientOptions['fetch'];
}

/**
 * A typed client for the ChainCard API: `client.GET('/api/stores/{storeId}', { params: { path: { storeId } } })`
 * answers `{ data }` typed from the document or `{ error }` (an `ApiError`), plus the raw `response`.
 */
export function createChainCardClient(options: ChainCardClientOptions): ChainCardClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: options.fetch });
  const headers: Middleware = {
    async onRequest({ request }) {
      const locale = typeof options.locale === 'function' ? options.locale() : options.locale;
      if (locale) request.headers.set('Accept-Language', locale);
      const token = await options.getToken?.();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  client.use(headers);
  return client;
}

/** True for an `error` returned by the client that has the API's error shape. */
export function isApiError(value: unknown): value is ApiError {
  const error = (value as { error?: unknown } | null)?.error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}
