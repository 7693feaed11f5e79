import type { Channel } from '../domain/events';
import type { RenderedContent } from '../domain/render';

/** One delivery through one channel: the outbox row's id travels as the provider's out-id where it has one. */
export interface Delivery {
  messageId: string;
  /** Phone number, openid or e-mail address. */
  address: string;
  content: RenderedContent;
}

/**
 * What a provider said:
 * - sent: accepted (the provider's id kept);
 * - rejected: this recipient cannot get it on this channel (not subscribed, bad number): the next channel is
 *   tried; `consentGone` when WeChat says the member holds no subscription (our count was wrong);
 * - failed: our configuration is wrong (template, keys): the next channel is tried, the error is kept;
 * - retry: a transient failure; `inDoubt` when the request may have reached the provider (a timeout,
 *   a connection cut after sending), so that the next attempt asks before sending again.
 */
export type SendResult =
  | { kind: 'sent'; provider: string; providerMessageId: string | null; response: unknown }
  | { kind: 'rejected'; provider: string; reason: string; response: unknown; consentGone?: boolean }
  | { kind: 'failed'; provider: string; error: string; response: unknown }
  | { kind: 'retry'; provider: string; error: string; response: unknown; inDoubt: boolean };

/** Whether an in-doubt delivery reached the provider. */
export type LookupResult =
  | { kind: 'found'; provider: string; providerMessageId: string | null; response: unknown }
  | { kind: 'not_found'; provider: string; response: unknown }
  | { kind: 'unsupported' };

/**
 * A way to reach a person. What happens after a crash between "the provider accepted" and "we
 * recorded it" differs by channel (the README states it per channel):
 * - dedupe `lookup`: the provider keeps our out-id and can be asked for it, so an in-doubt delivery
 *   is looked up before it is sent again: no second send (Aliyun and Tencent SMS);
 * - dedupe `none`: the provider cannot be asked; an in-doubt delivery is sent again and may arrive
 *   twice, never zero times (WeChat subscribe messages; SMTP, where the fixed Message-ID lets mail
 *   clients fold the copies; the log SMS provider).
 */
export interface NotificationChannel {
  readonly channel: Channel;
  readonly dedupe: 'lookup' | 'none';
  /** The provider's name for the log (e.g. 'aliyun'). */
  readonly provider: string;
  /**
   * How long after an in-doubt send a lookup that finds nothing still means "maybe not yet
   * visible" (delivery receipts arrive late): until then the message waits instead of resending.
   */
  readonly settleMs: number;
  /** null when the channel can be used; otherwise why not (e.g. no AppID configured). */
  unavailable(): string | null;
  send(delivery: Delivery): Promise<SendResult>;
  lookup(delivery: Delivery, since: Date): Promise<LookupResult>;
}

/** Wall-clock limit of one provider call; well below the worker's lease so a lease never expires mid-call. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export function isTimeout(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** A short, log-safe description of an error. */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ? `${err.message} (${cause.code})` : err.message;
  }
  return String(err);
}
