import type { LookupResult, NotificationChannel, Delivery, SendResult } from './channel';
import type { SmsProvider, SmsRequest } from './sms/sms-provider';

/** SMS (短信) to the member's phone through the configured provider. */
export class SmsChannel implements NotificationChannel {
  readonly channel = 'sms' as const;

  constructor(
    private readonly sms: SmsProvider,
    private readonly signName: string,
  ) {}

  get dedupe(): 'lookup' | 'none' {
    return this.sms.supportsLookup ? 'lookup' : 'none';
  }

  get provider(): string {
    return this.sms.name;
  }

  get settleMs(): number {
    return this.sms.settleMs;
  }

  unavailable(): string | null {
    return null;
  }

  async send(d: Delivery): Promise<SendResult> {
    const req = this.request(d);
    // A provider refuses an SMS without an approved template; that is the chain's set-up, not the member.
    if (this.sms.needsTemplateCode && !req.templateCode) return { kind: 'failed', provider: this.sms.name, error: 'no SMS template code configured for this event', response: null };
    return this.sms.send(req);
  }

  async lookup(d: Delivery, since: Date): Promise<LookupResult> {
    if (!this.sms.supportsLookup) return { kind: 'unsupported' };
    return this.sms.lookup(this.request(d), since);
  }

  private request(d: Delivery): SmsRequest {
    if (d.content.channel !== 'sms') throw new Error(`SMS channel got ${d.content.channel} content`);
    return { outId: d.messageId, phone: d.address, signName: this.signName, templateCode: d.content.templateCode, params: d.content.params, text: d.content.text };
  }
}
