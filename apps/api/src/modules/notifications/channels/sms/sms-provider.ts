import type { SmsProviderName } from '../../../../config/config';
import type { JsonLogger } from '../../../../common/logger';
import type { LookupResult, SendResult } from '../channel';

export interface SmsRequest {
  /** The outbox message id: Aliyun OutId, Tencent SessionContext. */
  outId: string;
  /** 11-digit mainland number. */
  phone: string;
  signName: string;
  /** The provider's approved template (模板 CODE / 模板 ID); the log provider needs none. */
  templateCode: string | null;
  params: { name: string; value: string }[];
  /** The text as the log provider prints it. */
  text: string;
}

/** An SMS provider (短信服务商) behind one interface. */
export interface SmsProvider {
  readonly name: SmsProviderName;
  /** Whether an in-doubt send can be looked up by our out-id. */
  readonly supportsLookup: boolean;
  readonly settleMs: number;
  readonly needsTemplateCode: boolean;
  send(req: SmsRequest): Promise<SendResult>;
  lookup(req: SmsRequest, since: Date): Promise<LookupResult>;
}

/** Development provider: writes the SMS to the log and sends nothing. */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'log' as const;
  readonly supportsLookup = false;
  readonly settleMs = 0;
  readonly needsTemplateCode = false;

  constructor(private readonly logger: JsonLogger) {}

  async send(req: SmsRequest): Promise<SendResult> {
    // The log is not a place for full phone numbers: the middle four digits are masked.
    const to = req.phone.replace(/^(\d{3})\d{4}(\d+)$/, '$1****$2');
    this.logger.write('info', 'sms (log provider)', { to, sign: req.signName, template: req.templateCode, text: `【${req.signName}】${req.text}`, outId: req.outId });
    return { kind: 'sent', provider: 'log', providerMessageId: `log-${req.outId}`, response: { logged: true } };
  }

  async lookup(): Promise<LookupResult> {
    return { kind: 'unsupported' };
  }
}
