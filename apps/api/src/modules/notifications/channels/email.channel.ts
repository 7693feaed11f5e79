import { createTransport, type Transporter } from 'nodemailer';
import type { JsonLogger } from '../../../common/logger';
import type { NotificationsConfig } from '../../../config/config';
import { describe, PROVIDER_TIMEOUT_MS, type Delivery, type LookupResult, type NotificationChannel, type SendResult } from './channel';

interface SmtpError {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
  message?: string;
}

/**
 * E-mail through SMTP (nodemailer), or into the log when no SMTP_URL is set. SMTP cannot be asked
 * whether a message went out, so an in-doubt e-mail is sent again (at least once); every copy
 * carries the same Message-ID (<message id@chaincard>), which mail clients use to fold duplicates.
 */
export class EmailChannel implements NotificationChannel {
  readonly channel = 'email' as const;
  readonly dedupe = 'none' as const;
  readonly settleMs = 0;
  readonly provider: 'smtp' | 'log';
  private readonly transport: Transporter;

  constructor(
    private readonly cfg: NotificationsConfig['mail'],
    private readonly logger: JsonLogger,
  ) {
    this.provider = cfg.smtpUrl ? 'smtp' : 'log';
    this.transport = cfg.smtpUrl
      ? createTransport({ url: cfg.smtpUrl, connectionTimeout: PROVIDER_TIMEOUT_MS, greetingTimeout: PROVIDER_TIMEOUT_MS, socketTimeout: PROVIDER_TIMEOUT_MS })
      : createTransport({ jsonTransport: true });
  }

  unavailable(): string | null {
    return null;
  }

  async send(d: Delivery): Promise<SendResult> {
    if (d.content.channel !== 'email') throw new Error(`e-mail channel got ${d.content.channel} content`);
    try {
      const info = await this.transport.sendMail({
        from: this.cfg.from,
        to: d.address,
        subject: d.content.subject,
        text: d.content.text,
        messageId: `<${d.messageId}@chaincard>`,
      });
      if (this.provider === 'log') this.logger.write('info', 'e-mail (log transport)', { to: d.address, subject: d.content.subject, text: d.content.text, messageId: d.messageId });
      const rejected = ((info.rejected ?? []) as (string | { address: string })[]).map((r) => (typeof r === 'string' ? r : r.address));
      const response = { messageId: info.messageId, response: info.response ?? null, accepted: info.accepted ?? [], rejected };
      if (rejected.includes(d.address)) return { kind: 'rejected', provider: this.provider, reason: `recipient refused: ${info.response ?? ''}`, response };
      return { kind: 'sent', provider: this.provider, providerMessageId: info.messageId ?? null, response };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  async lookup(): Promise<LookupResult> {
    return { kind: 'unsupported' };
  }
}

export function classifySmtpError(err: unknown): SendResult {
  const e = (err ?? {}) as SmtpError;
  const response = { code: e.code ?? null, responseCode: e.responseCode ?? null, command: e.command ?? null, response: e.response ?? null };
  const error = describe(err);
  if (e.code === 'EAUTH' || e.responseCode === 535) return { kind: 'failed', provider: 'smtp', error, response };
  if (e.responseCode && e.responseCode >= 400 && e.responseCode < 500) return { kind: 'retry', provider: 'smtp', error, response, inDoubt: false };
  if (e.responseCode && e.responseCode >= 500) {
    // Refused at RCPT TO: this address cannot get mail; refused elsewhere (content, size): our problem.
    if (e.code === 'EENVELOPE' || /RCPT/i.test(e.command ?? '')) return { kind: 'rejected', provider: 'smtp', reason: error, response };
    return { kind: 'failed', provider: 'smtp', error, response };
  }
  // Connection trouble: refused before anything was sent is not in doubt; a cut mid-way may be.
  const refused = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(`${error} ${e.code ?? ''}`);
  return { kind: 'retry', provider: 'smtp', error, response, inDoubt: !refused };
}
