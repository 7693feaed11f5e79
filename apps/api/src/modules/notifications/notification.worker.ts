import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionHost } from '../../common/db/transaction-host';
import type { JsonLogger } from '../../common/logger';
import { requestContext } from '../../common/request-context';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MembersService } from '../members/members.service';
import { StaffService } from '../staff/staff.service';
import { StoresService } from '../stores/stores.service';
import { describe, type Delivery, type LookupResult, type NotificationChannel, type SendResult } from './channels/channel';
import { EmailChannel } from './channels/email.channel';
import { SmsChannel } from './channels/sms.channel';
import { AliyunSmsProvider } from './channels/sms/aliyun-sms.provider';
import { LogSmsProvider, type SmsProvider } from './channels/sms/sms-provider';
import { TencentSmsProvider } from './channels/sms/tencent-sms.provider';
import { WechatSubscribeChannel } from './channels/wechat-subscribe.channel';
import { retryDelayMs } from './domain/backoff';
import { EVENTS, isEvent, optedOut, type Channel, type OptOutChannel, type OptOutKind } from './domain/events';
import { displayVariables, formatLocalTime, render, type RenderedContent, type TemplateView } from './domain/render';
import type { AttemptOutcome } from './entities/notification.entity';
import { NotificationsRepository, type ClaimedMessage, type Lease } from './notifications.repository';

/** Messages one worker claims per round. */
const BATCH = 20;
/** Messages of a round delivered at the same time (each holds a database connection briefly). */
const PARALLEL = 4;
const IDLE_POLL_MS = 2_000;
/** How long an in-doubt message waits between lookups while the provider may not show it yet. */
const LOOKUP_WAIT_MS = 60_000;

export interface WorkerRun {
  claimed: number;
  sent: number;
  recovered: number;
  skipped: number;
  failed: number;
  retried: number;
  waiting: number;
  lost: number;
}

type Outcome = Exclude<keyof WorkerRun, 'claimed'>;

/** Stands in for a process that dies mid-delivery: nothing after it runs (tests inject it). */
export class SimulatedCrash extends Error {}

export interface WorkerFaults {
  /** Runs after the provider answered and before the answer is recorded. */
  afterSend?: (messageId: string, channel: Channel, result: SendResult) => void | Promise<void>;
}

interface Recipient {
  active: boolean;
  name: string;
  memberNo: string;
  phone: string | null;
  email: string | null;
  openId: string | null;
  optOuts: { channel: OptOutChannel; kind: OptOutKind }[];
}

interface Step {
  channel: Channel;
  template: TemplateView;
}

class NoConsent extends Error {}
class LeaseLost extends Error {}

/**
 * Delivers the outbox (发件箱投递). Each round claims due messages with FOR UPDATE SKIP LOCKED and a
 * lease, so any number of workers (one per API process) share the work without sending a message
 * twice; each message then goes through the chain's channels in order until one delivers it.
 *
 * Crash safety, per message: before a provider is called, "in flight on channel X" is committed;
 * the provider's answer and the new state are committed together afterwards. A worker that dies in
 * between leaves the mark, its lease runs out, and the next worker that claims the message asks
 * the provider first when the channel can be asked (SMS: our message id is the provider's out-id),
 * and only sends again when the provider has no record; channels that cannot be asked send again
 * (at least once). Every write after the claim is conditional on the lease token, so a worker
 * that stalled past its lease cannot overwrite what the next one did.
 *
 * Runs in the API process like the JobScheduler, off under NODE_ENV=test: tests call runOnce.
 */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly channels = new Map<Channel, NotificationChannel>();
  faults: WorkerFaults = {};
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: NotificationsRepository,
    private readonly members: MembersService,
    private readonly staff: StaffService,
    private readonly stores: StoresService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {
    const n = config.notifications;
    this.useChannel(new WechatSubscribeChannel(n.wechat));
    this.useChannel(new SmsChannel(smsProvider(config, logger), n.sms.signName));
    this.useChannel(new EmailChannel(n.mail, logger));
  }

  /** Replaces a channel (tests put fakes in; the adapters above are the production ones). */
  useChannel(channel: NotificationChannel): void {
    this.channels.set(channel.channel, channel);
  }

  channel(name: Channel): NotificationChannel {
    const ch = this.channels.get(name);
    if (!ch) throw new Error(`no ${name} channel`);
    return ch;
  }

  onApplicationBootstrap(): void {
    if (!this.config.notifications.workerEnabled) return;
    this.schedule(3_000);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let busy = false;
    try {
      const run = this.runOnce(new Date());
      this.running = run;
      busy = (await run).claimed >= BATCH;
    } catch (err) {
      this.logger.write('error', 'notification worker round failed', { err: describe(err) });
    } finally {
      this.running = null;
    }
    if (!this.stopped) this.schedule(busy ? 0 : IDLE_POLL_MS);
  }

  /** One round: claims due messages (at `now`) and delivers them. */
  runOnce(now = new Date(), limit = BATCH): Promise<WorkerRun> {
    return requestContext.run({ requestId: `notify-worker:${now.toISOString()}`, ip: '' }, async () => {
      const leaseMs = this.config.notifications.leaseSeconds * 1000;
      const claimed = await this.tx.run((m) => this.repo.claim(m, now, leaseMs, limit));
      const run: WorkerRun = { claimed: claimed.length, sent: 0, recovered: 0, skipped: 0, failed: 0, retried: 0, waiting: 0, lost: 0 };
      // One recipient's messages go out one after another, in claim (due) order: a member reads
      // "balance 100" before "balance 120". Across rounds and workers the order is best effort.
      const groups = new Map<string, ClaimedMessage[]>();
      for (const msg of claimed) {
        const key = msg.memberId ?? `staff:${msg.staffId}`;
        groups.set(key, [...(groups.get(key) ?? []), msg]);
      }
      const queue = [...groups.values()];
      const lane = async () => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          for (const msg of group) {
            const outcome = await this.deliver(msg, now);
            if (outcome) run[outcome]++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, lane));
      return run;
    });
  }

  /** Delivers one claimed message; null when a simulated crash stopped it half-way. */
  private async deliver(msg: ClaimedMessage, now: Date): Promise<Outcome | null> {
    const lease: Lease = { id: msg.id, token: msg.leaseToken };
    try {
      return await this.process(msg, lease, now);
    } catch (err) {
      if (err instanceof SimulatedCrash) return null;
      if (err instanceof LeaseLost) return 'lost';
      this.logger.write('error', 'notification delivery failed', { messageId: msg.id, err: describe(err) });
      // Unknown trouble (database, a bug): try again later, keeping any in-flight mark.
      try {
        const retried = await this.tx.run((m) =>
          this.repo.markRetry(m, lease, { nextAt: new Date(now.getTime() + retryDelayMs(Math.max(msg.attempts, 1), msg.id)), error: describe(err), keepInflight: true, provider: null, response: null, bump: 1 }),
        );
        return retried ? 'retried' : 'lost';
      } catch {
        return 'lost';
      }
    }
  }

  private async process(msg: ClaimedMessage, lease: Lease, now: Date): Promise<Outcome> {
    if (!isEvent(msg.event)) return this.finish(lease, { status: 'failed', error: `unknown event ${msg.event}`, skipReason: null });
    const recipient = await this.recipient(msg);
    if (!recipient.active) return this.finish(lease, { status: 'skipped', error: null, skipReason: 'the member’s account is closed' });
    const m = this.tx.manager;
    const settings = await this.repo.settings(m);
    const templates = new Map((await this.repo.enabledTemplates(m, msg.event)).map((t) => [t.channel, t]));
    const plan: Step[] = settings.channelOrder.filter((c) => templates.has(c)).map((c) => ({ channel: c, template: templates.get(c)! }));
    const vars = await this.variables(msg, recipient);
    const content = (step: Step) => render(step.template, EVENTS[msg.event as keyof typeof EVENTS], vars);

    // 1. A delivery in doubt (its worker died after calling the provider): ask before sending again.
    if (msg.inflightChannel) {
      const step = plan.find((s) => s.channel === msg.inflightChannel);
      const address = step ? addressOf(recipient, step.channel) : null;
      const ch = this.channels.get(msg.inflightChannel);
      if (step && address && ch) {
        const delivery: Delivery = { messageId: msg.id, address, content: content(step) };
        const since = msg.inflightSince ?? msg.createdAt;
        let lookup: LookupResult;
        try {
          lookup = await ch.lookup(delivery, since);
        } catch (err) {
          // Not knowing is not "not sent": wait and ask again; a lookup that never works ends in failed.
          return this.retryLater(msg, lease, now, { channel: step.channel, provider: ch.provider, error: `lookup failed: ${describe(err)}`, response: null, inDoubt: true, countsAsAttempt: true });
        }
        if (lookup.kind === 'found') {
          await this.commit(async (mm) => {
            await this.must(this.repo.markSent(mm, lease, { channel: step.channel, provider: lookup.provider, providerMessageId: lookup.providerMessageId, response: lookup.response, content: delivery.content, at: now }));
            await this.attempt(mm, msg, step.channel, lookup.provider, 'recovered', { providerMessageId: lookup.providerMessageId, response: lookup.response, detail: 'found at the provider after an interrupted send; not sent again' });
          });
          return 'recovered';
        }
        if (lookup.kind === 'not_found' && now.getTime() - since.getTime() < ch.settleMs) {
          const waitMs = Math.min(LOOKUP_WAIT_MS, ch.settleMs - (now.getTime() - since.getTime()));
          await this.commit((mm) => this.must(this.repo.postpone(mm, lease, new Date(now.getTime() + waitMs))));
          return 'waiting';
        }
        await this.commit((mm) =>
          this.attempt(mm, msg, step.channel, ch.provider, 'in_doubt', {
            response: lookup.kind === 'not_found' ? lookup.response : null,
            detail: lookup.kind === 'unsupported' ? 'interrupted send; this channel cannot be asked, sending again (at least once)' : 'interrupted send; the provider has no record, sending again',
          }),
        );
      }
    }

    // 2. The channels in the chain's order: the first that can reach the member delivers.
    const reasons: string[] = [];
    let failure: { error: string; provider: string; response: unknown } | null = null;
    for (const step of plan) {
      const ch = this.channels.get(step.channel);
      const why = !ch
        ? 'channel not available'
        : (ch.unavailable() ??
          (optedOut(recipient.optOuts, step.channel, msg.kind) ? 'the member opted out' : null) ??
          (addressOf(recipient, step.channel) ? null : NO_ADDRESS[step.channel]));
      if (why || !ch) {
        reasons.push(`${step.channel}: ${why}`);
        await this.commit((mm) => this.attempt(mm, msg, step.channel, ch?.provider ?? null, 'skipped', { detail: why }));
        continue;
      }
      const delivery: Delivery = { messageId: msg.id, address: addressOf(recipient, step.channel)!, content: content(step) };
      try {
        msg.attempts = await this.begin(msg, lease, step, now);
      } catch (err) {
        if (!(err instanceof NoConsent)) throw err;
        const detail = 'the member has no subscribe-message consent left for this template';
        reasons.push(`${step.channel}: ${detail}`);
        await this.commit((mm) => this.attempt(mm, msg, step.channel, ch.provider, 'skipped', { detail }));
        continue;
      }

      let result: SendResult;
      try {
        result = await ch.send(delivery);
      } catch (err) {
        result = { kind: 'retry', provider: ch.provider, error: describe(err), response: null, inDoubt: true };
      }
      await this.faults.afterSend?.(msg.id, step.channel, result);

      switch (result.kind) {
        case 'sent':
          await this.commit(async (mm) => {
            await this.must(this.repo.markSent(mm, lease, { channel: step.channel, provider: result.provider, providerMessageId: result.providerMessageId, response: result.response, content: delivery.content, at: now }));
            await this.attempt(mm, msg, step.channel, result.provider, 'sent', { providerMessageId: result.providerMessageId, response: result.response });
          });
          return 'sent';
        case 'rejected':
        case 'failed': {
          const detail = result.kind === 'rejected' ? result.reason : result.error;
          await this.commit(async (mm) => {
            await this.releaseConsent(mm, msg, lease, result.kind === 'rejected' && !!result.consentGone);
            await this.must(this.repo.clearInflight(mm, lease));
            await this.attempt(mm, msg, step.channel, result.provider, result.kind, { response: result.response, detail });
          });
          if (result.kind === 'failed') failure = { error: `${step.channel}: ${result.error}`, provider: result.provider, response: result.response };
          reasons.push(`${step.channel}: ${detail}`);
          continue;
        }
        case 'retry':
          return this.retryLater(msg, lease, now, { channel: step.channel, provider: result.provider, error: result.error, response: result.response, inDoubt: result.inDoubt });
      }
    }
    if (!plan.length) reasons.push('no enabled template for this event');
    if (failure) return this.finish(lease, { status: 'failed', error: failure.error, skipReason: reasons.join('; '), provider: failure.provider, response: failure.response });
    return this.finish(lease, { status: 'skipped', error: null, skipReason: reasons.join('; ') });
  }

  /** Commits "about to send on this channel" (and takes a WeChat consent) before the provider is called. */
  private async begin(msg: ClaimedMessage, lease: Lease, step: Step, now: Date): Promise<number> {
    const templateId = step.channel === 'wechat' && msg.memberId ? step.template.externalId : null;
    const attempts = await this.commit(async (m) => {
      const n = await this.repo.beginSend(m, lease, step.channel, now);
      if (n === null) throw new LeaseLost();
      // A consent taken by an earlier, interrupted send of this message is used, not taken again.
      if (templateId && msg.consentTemplateId !== templateId) {
        if (msg.consentTemplateId) await this.repo.giveBackConsent(m, msg.memberId!, msg.consentTemplateId);
        if (!(await this.repo.takeConsent(m, msg.memberId!, templateId))) throw new NoConsent();
        await this.must(this.repo.setConsentHeld(m, lease, templateId));
      }
      return n;
    });
    if (templateId) msg.consentTemplateId = templateId;
    return attempts;
  }

  /** The WeChat consent this message holds goes back (not sent), or is dropped when WeChat says there is none. */
  private async releaseConsent(m: EntityManager, msg: ClaimedMessage, lease: Lease, gone: boolean): Promise<void> {
    if (!msg.consentTemplateId || !msg.memberId) return;
    if (gone) await this.repo.dropConsents(m, msg.memberId, msg.consentTemplateId);
    else await this.repo.giveBackConsent(m, msg.memberId, msg.consentTemplateId);
    await this.must(this.repo.setConsentHeld(m, lease, null));
  }

  private async retryLater(
    msg: ClaimedMessage,
    lease: Lease,
    now: Date,
    r: { channel: Channel; provider: string; error: string; response: unknown; inDoubt: boolean; countsAsAttempt?: boolean },
  ): Promise<Outcome> {
    const bump = r.countsAsAttempt ? 1 : 0;
    const attempts = Math.max(msg.attempts + bump, 1);
    const final = attempts >= this.config.notifications.maxAttempts;
    await this.commit(async (m) => {
      // When the provider may have acted, the consent and the in-flight mark stay for the next try.
      if (!r.inDoubt) await this.releaseConsent(m, msg, lease, false);
      await this.attempt(m, msg, r.channel, r.provider, final ? 'failed' : 'retry', { response: r.response, detail: r.error });
      if (final) {
        await this.must(this.repo.markFinal(m, lease, { status: 'failed', error: `${r.channel}: ${r.error}`, skipReason: null, provider: r.provider, response: r.response }));
      } else {
        await this.must(
          this.repo.markRetry(m, lease, { nextAt: new Date(now.getTime() + retryDelayMs(attempts, msg.id)), error: `${r.channel}: ${r.error}`, keepInflight: r.inDoubt, provider: r.provider, response: r.response, bump }),
        );
      }
    });
    return final ? 'failed' : 'retried';
  }

  private async finish(lease: Lease, r: { status: 'failed' | 'skipped'; error: string | null; skipReason: string | null; provider?: string; response?: unknown }): Promise<Outcome> {
    await this.commit((m) => this.must(this.repo.markFinal(m, lease, { status: r.status, error: r.error, skipReason: r.skipReason, provider: r.provider ?? null, response: r.response ?? null })));
    return r.status === 'failed' ? 'failed' : 'skipped';
  }

  private attempt(
    m: EntityManager,
    msg: ClaimedMessage,
    channel: Channel,
    provider: string | null,
    outcome: AttemptOutcome,
    more: { providerMessageId?: string | null; response?: unknown; detail?: string | null },
  ): Promise<void> {
    return this.repo.insertAttempt(m, { messageId: msg.id, channel, provider, outcome, ...more });
  }

  private commit<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.tx.run(fn);
  }

  /** A conditional write that found no row: another worker holds the message now. */
  private async must(ok: boolean | Promise<boolean>): Promise<void> {
    if (!(await ok)) throw new LeaseLost();
  }

  private async recipient(msg: ClaimedMessage): Promise<Recipient> {
    const m = this.tx.manager;
    if (msg.staffId) {
      const s = await this.staff.get(msg.staffId);
      return { active: s.status === 'active', name: s.name, memberNo: '', phone: s.phone, email: null, openId: null, optOuts: [] };
    }
    const member = await this.members.get(msg.memberId!);
    return {
      active: member.status === 'active' || member.status === 'frozen',
      name: member.name,
      memberNo: member.memberNo,
      phone: member.phone,
      email: await this.repo.address(m, member.id, 'email'),
      openId: await this.repo.address(m, member.id, 'wechat'),
      optOuts: await this.repo.optOuts(m, member.id),
    };
  }

  private async variables(msg: ClaimedMessage, recipient: Recipient): Promise<Record<string, string>> {
    const chain = await this.repo.chain(this.tx.manager);
    const store = msg.storeId ? await this.stores.get(msg.storeId) : null;
    const timeZone = store?.timeZone ?? chain.timeZone;
    const base = {
      memberName: recipient.name,
      memberNo: recipient.memberNo,
      storeName: store?.name ?? chain.name,
      chainName: chain.name,
      time: formatLocalTime(msg.createdAt, timeZone),
    };
    return displayVariables(msg.data, base, timeZone);
  }
}

const NO_ADDRESS: Record<Channel, string> = {
  wechat: 'the member has not signed in through WeChat (no openid)',
  sms: 'no phone number',
  email: 'no e-mail address',
};

function addressOf(r: Recipient, channel: Channel): string | null {
  return channel === 'sms' ? r.phone : channel === 'email' ? r.email : r.openId;
}

function smsProvider(config: AppConfig, logger: JsonLogger): SmsProvider {
  const sms = config.notifications.sms;
  switch (sms.provider) {
    case 'aliyun':
      return new AliyunSmsProvider(sms.aliyun);
    case 'tencent':
      return new TencentSmsProvider(sms.tencent);
    default:
      return new LogSmsProvider(logger);
  }
}

export type { RenderedContent };
