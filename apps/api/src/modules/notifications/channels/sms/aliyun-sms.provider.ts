import { randomUUID } from 'node:crypto';
import type { LookupResult, SendResult } from '../channel';
import { httpCall, networkFailure, type HttpAnswer } from '../http';
import { aliyunContentSha256, canonicalQuery, signAliyunV3 } from './signing';
import type { SmsProvider, SmsRequest } from './sms-provider';

const VERSION = '2017-05-25';

/** Codes worth trying again later (flow control, the provider's own trouble). */
const TRANSIENT = /^(Throttling|isp\.|ServiceUnavailable|InternalError|isv\.BUSINESS_LIMIT_CONTROL|SignatureNonceUsed)/;
/** Codes that say this number cannot get the SMS: the next channel may. */
const RECIPIENT = new Set(['isv.MOBILE_NUMBER_ILLEGAL', 'isv.MOBILE_COUNT_OVER_LIMIT', 'isv.PHONE_NUMBER_ILLEGAL']);

interface AliyunBody {
  Code?: string;
  Message?: string;
  BizId?: string;
  RequestId?: string;
  SmsSendDetailDTOs?: { SmsSendDetailDTO?: { OutId?: string; SendStatus?: number; PhoneNum?: string; Content?: string; ErrCode?: string }[] };
}

/**
 * Aliyun SMS (阿里云短信服务, dysmsapi 2017-05-25), RPC style with signature V3: SendSms with our
 * message id as OutId; an in-doubt send is looked up with QuerySendDetails (records appear as soon
 * as Aliyun accepts a message, SendStatus 1 = waiting for the receipt), matched on OutId.
 */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun' as const;
  readonly supportsLookup = true;
  readonly settleMs = 60_000;
  readonly needsTemplateCode = true;

  constructor(private readonly cfg: { endpoint: string; accessKeyId: string; accessKeySecret: string }) {}

  async send(req: SmsRequest): Promise<SendResult> {
    let answer: HttpAnswer;
    try {
      answer = await this.call('SendSms', {
        PhoneNumbers: req.phone,
        SignName: req.signName,
        TemplateCode: req.templateCode ?? '',
        TemplateParam: JSON.stringify(Object.fromEntries(req.params.map((p) => [p.name, p.value]))),
        OutId: req.outId,
      });
    } catch (err) {
      return networkFailure(this.name, err);
    }
    return classifyAliyun(answer);
  }

  async lookup(req: SmsRequest, since: Date): Promise<LookupResult> {
    // SendDate is the Beijing calendar day; a send around midnight is looked for on both days.
    const days = [...new Set([beijingDay(since), beijingDay(new Date())])];
    for (const day of days) {
      for (let page = 1; page <= 20; page++) {
        const answer = await this.call('QuerySendDetails', { PhoneNumber: req.phone, SendDate: day, PageSize: '50', CurrentPage: String(page) });
        const body = (answer.json ?? {}) as AliyunBody;
        if (body.Code !== 'OK') throw new Error(`QuerySendDetails answered ${answer.status} ${body.Code ?? answer.text.slice(0, 200)}`);
        const details = body.SmsSendDetailDTOs?.SmsSendDetailDTO ?? [];
        const found = details.find((d) => d.OutId === req.outId);
        if (found) return { kind: 'found', provider: this.name, providerMessageId: null, response: found };
        if (details.length < 50) break;
      }
    }
    return { kind: 'not_found', provider: this.name, response: null };
  }

  private call(action: string, params: Record<string, string>): Promise<HttpAnswer> {
    const url = new URL(this.cfg.endpoint);
    const path = url.pathname || '/';
    const body = '';
    const headers: Record<string, string> = {
      host: url.host,
      'x-acs-action': action,
      'x-acs-version': VERSION,
      'x-acs-date': new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': randomUUID(),
      'x-acs-content-sha256': aliyunContentSha256(body),
    };
    const { authorization } = signAliyunV3({ method: 'POST', path, query: params, headers, body, accessKeyId: this.cfg.accessKeyId, accessKeySecret: this.cfg.accessKeySecret });
    // fetch sets Host itself, from the same URL that was signed.
    const { host: _host, ...sent } = headers;
    return httpCall(`${url.origin}${path}?${canonicalQuery(params)}`, { method: 'POST', headers: { ...sent, Authorization: authorization, Accept: 'application/json' } });
  }
}

export function classifyAliyun(answer: HttpAnswer): SendResult {
  const body = (answer.json ?? {}) as AliyunBody;
  const code = body.Code ?? '';
  if (code === 'OK') return { kind: 'sent', provider: 'aliyun', providerMessageId: body.BizId ?? null, response: body };
  if (!code) {
    // No Aliyun answer (a gateway error page): the request may have been taken.
    return { kind: 'retry', provider: 'aliyun', error: `HTTP ${answer.status}`, response: answer.text.slice(0, 500), inDoubt: answer.status >= 500 };
  }
  const error = `${code}: ${body.Message ?? ''}`;
  if (TRANSIENT.test(code)) return { kind: 'retry', provider: 'aliyun', error, response: body, inDoubt: false };
  if (RECIPIENT.has(code)) return { kind: 'rejected', provider: 'aliyun', reason: error, response: body };
  return { kind: 'failed', provider: 'aliyun', error, response: body };
}

function beijingDay(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}
