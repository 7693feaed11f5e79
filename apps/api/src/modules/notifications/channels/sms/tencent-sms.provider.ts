import type { LookupResult, SendResult } from '../channel';
import { httpCall, networkFailure, type HttpAnswer } from '../http';
import { signTencentTc3 } from './signing';
import type { SmsProvider, SmsRequest } from './sms-provider';

const VERSION = '2021-01-11';
const CONTENT_TYPE = 'application/json; charset=utf-8';

/** Flow control (per account, per number) and Tencent's own trouble: try again later. */
const TRANSIENT = /^(RequestLimitExceeded|InternalError|LimitExceeded\.PhoneNumber)/;
/** This number cannot get the SMS: the next channel may. */
const RECIPIENT = /^(InvalidParameterValue\.IncorrectPhoneNumber|FailedOperation\.PhoneNumberInBlacklist|FailedOperation\.PhoneNumberOnBlacklist|UnsupportedOperation\.UnsupportedRegion)/;

interface TencentBody {
  Response?: {
    Error?: { Code: string; Message: string };
    SendStatusSet?: { SerialNo?: string; PhoneNumber?: string; Code?: string; Message?: string; SessionContext?: string }[];
    PullSmsSendStatusSet?: { SerialNo?: string; SessionContext?: string; ReportStatus?: string; Description?: string }[];
    RequestId?: string;
  };
}

/**
 * Tencent Cloud SMS (腾讯云短信, API 2021-01-11) with signature v3: SendSms with our message id as
 * SessionContext; an in-doubt send is looked up with PullSmsSendStatusByPhoneNumber, which lists
 * delivery receipts (with their SessionContext). Receipts come after delivery, so a lookup that
 * finds nothing waits `settleMs` after the send before the message counts as not sent.
 */
export class TencentSmsProvider implements SmsProvider {
  readonly name = 'tencent' as const;
  readonly supportsLookup = true;
  readonly settleMs = 10 * 60_000;
  readonly needsTemplateCode = true;

  constructor(private readonly cfg: { endpoint: string; secretId: string; secretKey: string; sdkAppId: string; region: string }) {}

  async send(req: SmsRequest): Promise<SendResult> {
    let answer: HttpAnswer;
    try {
      answer = await this.call('SendSms', {
        PhoneNumberSet: [`+86${req.phone}`],
        SmsSdkAppId: this.cfg.sdkAppId,
        SignName: req.signName,
        TemplateId: req.templateCode ?? '',
        TemplateParamSet: req.params.map((p) => p.value),
        SessionContext: req.outId,
      });
    } catch (err) {
      return networkFailure(this.name, err);
    }
    return classifyTencent(answer);
  }

  async lookup(req: SmsRequest, since: Date): Promise<LookupResult> {
    const answer = await this.call('PullSmsSendStatusByPhoneNumber', {
      BeginTime: Math.floor(since.getTime() / 1000) - 60,
      EndTime: Math.floor(Date.now() / 1000),
      Offset: 0,
      Limit: 100,
      PhoneNumber: `+86${req.phone}`,
      SmsSdkAppId: this.cfg.sdkAppId,
    });
    const body = (answer.json ?? {}) as TencentBody;
    if (!body.Response || body.Response.Error) throw new Error(`PullSmsSendStatusByPhoneNumber answered ${answer.status} ${body.Response?.Error?.Code ?? answer.text.slice(0, 200)}`);
    const found = (body.Response.PullSmsSendStatusSet ?? []).find((s) => s.SessionContext === req.outId);
    if (found) return { kind: 'found', provider: this.name, providerMessageId: found.SerialNo ?? null, response: found };
    return { kind: 'not_found', provider: this.name, response: null };
  }

  private call(action: string, payload: Record<string, unknown>): Promise<HttpAnswer> {
    const url = new URL(this.cfg.endpoint);
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const { authorization } = signTencentTc3({
      host: url.host,
      service: 'sms',
      action,
      payload: body,
      timestamp,
      contentType: CONTENT_TYPE,
      secretId: this.cfg.secretId,
      secretKey: this.cfg.secretKey,
    });
    return httpCall(`${url.origin}/`, {
      method: 'POST',
      headers: {
        'Content-Type': CONTENT_TYPE,
        'X-TC-Action': action,
        'X-TC-Version': VERSION,
        'X-TC-Timestamp': String(timestamp),
        'X-TC-Region': this.cfg.region,
        Authorization: authorization,
      },
      body,
    });
  }
}

export function classifyTencent(answer: HttpAnswer): SendResult {
  const body = (answer.json ?? {}) as TencentBody;
  const response = body.Response;
  if (!response) return { kind: 'retry', provider: 'tencent', error: `HTTP ${answer.status}`, response: answer.text.slice(0, 500), inDoubt: answer.status >= 500 };
  const code = response.Error?.Code ?? response.SendStatusSet?.[0]?.Code ?? '';
  const message = response.Error?.Message ?? response.SendStatusSet?.[0]?.Message ?? '';
  if (!response.Error && code === 'Ok') return { kind: 'sent', provider: 'tencent', providerMessageId: response.SendStatusSet?.[0]?.SerialNo ?? null, response };
  const error = `${code || 'no status'}: ${message}`;
  if (TRANSIENT.test(code)) return { kind: 'retry', provider: 'tencent', error, response, inDoubt: false };
  if (RECIPIENT.test(code)) return { kind: 'rejected', provider: 'tencent', reason: error, response };
  return { kind: 'failed', provider: 'tencent', error, response };
}
