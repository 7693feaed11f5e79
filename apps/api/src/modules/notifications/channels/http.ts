import { describe, isTimeout, PROVIDER_TIMEOUT_MS, type SendResult } from './channel';

/** Errors that prove the request never left this machine: the provider cannot have acted on it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL']);

export interface HttpAnswer {
  status: number;
  text: string;
  json: unknown;
}

/** One provider call with the provider timeout; the body is parsed as JSON when it is JSON. */
export async function httpCall(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<HttpAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

/** A call that threw: transient, and in doubt unless the request provably never went out. */
export function networkFailure(provider: string, err: unknown): SendResult {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  const inDoubt = isTimeout(err) || !code || !NOT_SENT_CODES.has(code);
  return { kind: 'retry', provider, error: describe(err), response: null, inDoubt };
}
