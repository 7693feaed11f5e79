import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError, type FieldError } from '../../common/errors/app-error';
import { pageOf, type Page } from '../../common/http/pagination';
import { MembersService } from '../members/members.service';
import {
  COMMON_VARIABLES,
  EVENT_KIND_NAMES,
  EVENT_NAMES,
  EVENTS,
  isEvent,
  variablesOf,
  type Channel,
  type NotificationEvent,
  type OptOutChannel,
  type OptOutKind,
} from './domain/events';
import { placeholders, WECHAT_KEYWORD } from './domain/render';
import type {
  ListNotificationMessagesQuery,
  NotificationMessageDetailResponse,
  NotificationMessageResponse,
  NotificationEventResponse,
  NotificationSettingsResponse,
  NotificationPreferencesResponse,
  PutNotificationTemplateRequest,
  RecordSubscriptionsRequest,
  SubscriptionsResponse,
  NotificationTemplateResponse,
  UpdateNotificationSettingsRequest,
  UpdateNotificationPreferencesRequest,
} from './dto/notifications.dto';
import type { BirthdayBenefit, NotificationAttemptEntity, NotificationSettingsEntity, NotificationTemplateEntity } from './entities/notification.entity';
import { NotificationsRepository, type MessageRow } from './notifications.repository';

/** What a capability asks to be told to a member (or a staff member), in its own transaction. */
export interface EnqueueInput {
  event: NotificationEvent;
  memberId?: string;
  staffId?: string;
  /** Where it happened (or the member's home store): store staff see the message in their log. */
  storeId: string | null;
  /** The facts of the event: amounts in fen as `xxxFen`, instants as ISO `xxxAt`, dates as YYYY-MM-DD. */
  data: Record<string, unknown>;
  /** One business event, one key (e.g. `booking:<id>:confirmed`): a second enqueue with it does nothing. */
  dedupeKey: string;
  /** Not before this instant (e.g. a booking reminder two hours before the start). */
  sendAt?: Date;
}

/**
 * Gives the coupon of the birthday benefit (生日券), registered at start-up (coupon-notices.ts);
 * without one, the benefit can only be points. null when the template cannot issue now.
 */
export interface BirthdayCouponGranter {
  templateExists(m: EntityManager, templateId: string): Promise<boolean>;
  grantBirthdayCoupon(m: EntityManager, cmd: { memberId: string; templateId: string; year: number }): Promise<{ couponId: string; couponName: string } | null>;
}

/** Something of a member's that expires and deserves a reminder (优惠券到期提醒), registered by its capability. */
export interface ExpiryReminderSource {
  event: 'coupon.expiring';
  /**
   * What expires after `now` and no later than `until`, a page at a time in `key` order after
   * `afterKey`. `key` is stable per expiring thing (e.g. the coupon id) and becomes the dedupe key.
   */
  dueBetween(now: Date, until: Date, afterKey: string | null, limit: number): Promise<{ key: string; memberId: string; storeId: string | null; data: Record<string, unknown> }[]>;
}

@Injectable()
export class NotificationsService {
  private couponGranter?: BirthdayCouponGranter;
  private readonly reminderSources: ExpiryReminderSource[] = [];

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: NotificationsRepository,
    private readonly members: MembersService,
    private readonly audit: AuditService,
  ) {}

  registerBirthdayCouponGranter(granter: BirthdayCouponGranter): void {
    this.couponGranter = granter;
  }

  get birthdayCoupons(): BirthdayCouponGranter | undefined {
    return this.couponGranter;
  }

  registerReminderSource(source: ExpiryReminderSource): void {
    this.reminderSources.push(source);
  }

  get expiryReminderSources(): readonly ExpiryReminderSource[] {
    return this.reminderSources;
  }

  /** The open transaction's manager, or the pool's, for reads of the registered sources. */
  get manager(): EntityManager {
    return this.tx.manager;
  }

  // ── the outbox ──────────────────────────────────────────────────────────────

  /**
   * Writes a message to the outbox in the caller's transaction (发件箱): it commits or rolls back
   * with the business change. Returns the message id, or null when the dedupe key was used before
   * or the chain has no enabled template for the event (then nothing is recorded).
   */
  async enqueue(m: EntityManager, input: EnqueueInput): Promise<string | null> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('NotificationsService.enqueue must run inside the business transaction');
    if (!isEvent(input.event)) throw new Error(`unknown notification event ${input.event}`);
    if (!input.memberId === !input.staffId) throw new Error('a notification goes to one member or one staff member');
    if (!input.dedupeKey) throw new Error('a notification needs a dedupe key');
    if (!(await this.repo.hasEnabledTemplate(m, input.event))) return null;
    return this.repo.insertMessage(m, {
      event: input.event,
      kind: EVENTS[input.event].kind,
      memberId: input.memberId ?? null,
      staffId: input.staffId ?? null,
      storeId: input.storeId,
      dedupeKey: input.dedupeKey,
      data: input.data,
      nextAttemptAt: input.sendAt ?? null,
    });
  }

  /** Withdraws a message not yet sent (a booking cancelled before its reminder). */
  cancel(m: EntityManager, dedupeKey: string): Promise<boolean> {
    return this.repo.cancelPending(m, dedupeKey);
  }

  /** The WeChat login records the member's mini-program openid here: subscribe messages go to it. */
  async recordWechatOpenId(m: EntityManager, memberId: string, openId: string): Promise<void> {
    if ((await this.repo.address(m, memberId, 'wechat')) === openId) return;
    await this.repo.setAddress(m, memberId, 'wechat', openId);
  }

  /** PIPL deletion of a member (MemberDataService hook). */
  onMemberErased(m: EntityManager, memberId: string): Promise<void> {
    return this.repo.eraseMember(m, memberId);
  }

  // ── settings ────────────────────────────────────────────────────────────────

  async settings(): Promise<NotificationSettingsResponse> {
    return this.toSettingsResponse(await this.repo.settings(this.tx.manager));
  }

  updateSettings(input: UpdateNotificationSettingsRequest): Promise<NotificationSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.repo.settings(m);
      const before = this.toSettingsResponse(s);
      for (const key of ['channelOrder', 'birthdayBenefit', 'birthdayPoints', 'birthdayCouponTemplateId', 'membershipExpiryDays', 'pointsExpiryDays', 'couponExpiryDays'] as const) {
        if (input[key] !== undefined) (s as unknown as Record<string, unknown>)[key] = input[key];
      }
      if (s.birthdayBenefit === 'coupon') {
        if (!this.couponGranter) throw new AppError('NOTIFICATION_BENEFIT_UNAVAILABLE');
        if (!s.birthdayCouponTemplateId) throw new AppError('VALIDATION_FAILED', [{ field: 'birthdayCouponTemplateId', errors: ['a coupon benefit needs birthdayCouponTemplateId'] }]);
        if (!(await this.couponGranter.templateExists(m, s.birthdayCouponTemplateId))) {
          throw new AppError('VALIDATION_FAILED', [{ field: 'birthdayCouponTemplateId', errors: ['no such coupon template'] }]);
        }
      }
      if (s.birthdayBenefit === 'points' && s.birthdayPoints <= 0) {
        throw new AppError('VALIDATION_FAILED', [{ field: 'birthdayPoints', errors: ['a points benefit needs birthdayPoints above 0'] }]);
      }
      const after = this.toSettingsResponse(await this.repo.saveSettings(m, s));
      await this.audit.record(m, { action: 'notification.settings.update', entityType: 'notification_settings', entityId: '1', ...diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' }) });
      return after;
    });
  }

  rules(m: EntityManager): Promise<NotificationSettingsEntity> {
    return this.repo.settings(m);
  }

  // ── events and templates ────────────────────────────────────────────────────

  events(): NotificationEventResponse[] {
    return EVENT_NAMES.map((event) => {
      const def = EVENTS[event];
      const variables: Record<string, string> = { ...COMMON_VARIABLES, ...def.variables };
      return {
        event,
        name: def.name,
        kind: def.kind,
        kindName: EVENT_KIND_NAMES[def.kind],
        variables: Object.entries(variables).map(([name, description]) => ({ name, description })),
        defaultSubject: def.subject,
        defaultBody: def.body,
      };
    });
  }

  async templates(): Promise<NotificationTemplateResponse[]> {
    return (await this.repo.templates(this.tx.manager)).map(toTemplateResponse);
  }

  /** Sets the template of one event on one channel (HQ); checked against WeChat's keyword rules and the event's variables. */
  putTemplate(input: PutNotificationTemplateRequest): Promise<NotificationTemplateResponse> {
    return this.tx.run(async (m) => {
      const event = input.event as NotificationEvent;
      checkTemplate(event, input);
      const existing = await this.repo.template(m, event, input.channel);
      const before = existing ? toTemplateResponse(existing) : null;
      const saved = await this.repo.saveTemplate(m, {
        ...(existing ? { id: existing.id } : {}),
        event,
        channel: input.channel,
        enabled: input.enabled,
        externalId: input.externalId ?? null,
        page: input.page ?? null,
        fields: (input.fields ?? []).map((f) => ({ name: f.name, value: f.value })),
        subject: input.subject ?? null,
        body: input.body ?? null,
      });
      const after = toTemplateResponse(saved);
      const changes = before ? diff({ ...before, updatedAt: '' }, { ...after, updatedAt: '' }) : { before: null, after: { ...after } };
      await this.audit.record(m, { action: 'notification.template.put', entityType: 'notification_template', entityId: saved.id, ...changes });
      return after;
    });
  }

  // ── the message log ─────────────────────────────────────────────────────────

  async listMessages(actor: StaffActor, q: ListNotificationMessagesQuery): Promise<Page<NotificationMessageResponse>> {
    const [rows, total] = await this.repo.listMessages(this.tx.manager, {
      storeIds: q.storeId ? [q.storeId] : actor.scope === 'chain' ? null : actor.storeIds,
      memberId: q.memberId,
      staffId: q.staffId,
      channel: q.channel,
      status: q.status,
      event: q.event,
      kind: q.kind,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      offset: (q.page - 1) * q.pageSize,
      limit: q.pageSize,
    });
    return pageOf(rows.map(toMessageResponse), total, q);
  }

  async message(id: string): Promise<NotificationMessageDetailResponse> {
    const m = this.tx.manager;
    const row = await this.repo.message(m, id);
    if (!row) throw new AppError('NOTIFICATION_MESSAGE_NOT_FOUND');
    return { ...toMessageResponse(row), history: (await this.repo.attempts(m, id)).map(toAttemptResponse) };
  }

  /** Sends a failed message again (重发), its attempts counted afresh; audited. */
  retry(id: string, now = new Date()): Promise<NotificationMessageDetailResponse> {
    return this.tx.run(async (m) => {
      const row = await this.repo.message(m, id);
      if (!row) throw new AppError('NOTIFICATION_MESSAGE_NOT_FOUND');
      if (!(await this.repo.requeueFailed(m, id, now))) throw new AppError('NOTIFICATION_NOT_RETRYABLE', { status: row.status });
      await this.audit.record(m, {
        action: 'notification.retry',
        entityType: 'notification_message',
        entityId: id,
        storeId: row.storeId,
        before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
        after: { status: 'pending', attempts: 0 },
      });
      return this.message(id);
    });
  }

  // ── member preferences ──────────────────────────────────────────────────────

  async preferences(memberId: string): Promise<NotificationPreferencesResponse> {
    await this.members.get(memberId);
    const m = this.tx.manager;
    return {
      email: await this.repo.address(m, memberId, 'email'),
      wechatBound: (await this.repo.address(m, memberId, 'wechat')) !== null,
      optOuts: await this.repo.optOuts(m, memberId),
    };
  }

  /** The member's e-mail and opt-outs (退订), by the member or by staff on the member's behalf; audited. */
  updatePreferences(memberId: string, input: UpdateNotificationPreferencesRequest): Promise<NotificationPreferencesResponse> {
    return this.tx.run(async (m) => {
      const member = await this.members.get(memberId);
      const before = await this.preferences(memberId);
      if (input.email !== undefined) await this.repo.setAddress(m, memberId, 'email', input.email ? input.email.trim() : null);
      if (input.optOuts !== undefined) {
        const unique = new Map<string, { channel: OptOutChannel; kind: OptOutKind }>();
        for (const o of input.optOuts) unique.set(`${o.channel}:${o.kind}`, { channel: o.channel, kind: o.kind });
        await this.repo.replaceOptOuts(m, memberId, [...unique.values()]);
      }
      const after = await this.preferences(memberId);
      await this.audit.record(m, {
        action: 'notification.preferences.update',
        entityType: 'member',
        entityId: memberId,
        storeId: member.homeStoreId,
        ...diff({ ...before, email: before.email ? 'set' : null }, { ...after, email: after.email ? 'set' : null }),
      });
      return after;
    });
  }

  // ── WeChat subscribe-message consents ───────────────────────────────────────

  async subscriptions(memberId: string): Promise<SubscriptionsResponse> {
    const m = this.tx.manager;
    const consents = await this.repo.consents(m, memberId);
    return { templates: (await this.wechatTemplates(m)).map((t) => ({ ...t, remaining: consents.get(t.templateId) ?? 0 })) };
  }

  /**
   * Records what the member chose in wx.requestSubscribeMessage: each "accept" of a template the
   * chain uses is one consent (一次性订阅), used up by one message. Other results change nothing:
   * a refusal now does not withdraw consents given earlier.
   */
  recordSubscriptions(memberId: string, input: RecordSubscriptionsRequest): Promise<SubscriptionsResponse> {
    return this.tx.run(async (m) => {
      const known = new Set((await this.wechatTemplates(m)).map((t) => t.templateId));
      await this.repo.lockMemberConsents(m, memberId);
      for (const r of input.results) {
        if (r.status === 'accept' && known.has(r.templateId)) await this.repo.addConsents(m, memberId, r.templateId, 1);
      }
      return this.subscriptions(memberId);
    });
  }

  private async wechatTemplates(m: EntityManager): Promise<{ event: string; eventName: string; templateId: string }[]> {
    const seen = new Set<string>();
    const out: { event: string; eventName: string; templateId: string }[] = [];
    for (const t of await this.repo.templates(m)) {
      if (t.channel !== 'wechat' || !t.enabled || !t.externalId || seen.has(t.externalId) || !isEvent(t.event)) continue;
      seen.add(t.externalId);
      out.push({ event: t.event, eventName: EVENTS[t.event].name, templateId: t.externalId });
    }
    return out;
  }

  private toSettingsResponse(s: NotificationSettingsEntity): NotificationSettingsResponse {
    const available: BirthdayBenefit[] = this.couponGranter ? ['none', 'points', 'coupon'] : ['none', 'points'];
    return {
      channelOrder: s.channelOrder,
      birthdayBenefit: s.birthdayBenefit,
      birthdayPoints: s.birthdayPoints,
      birthdayCouponTemplateId: s.birthdayCouponTemplateId,
      membershipExpiryDays: s.membershipExpiryDays,
      pointsExpiryDays: s.pointsExpiryDays,
      couponExpiryDays: s.couponExpiryDays,
      availableBirthdayBenefits: available,
      updatedAt: s.updatedAt.toISOString(),
    };
  }
}

function checkTemplate(event: NotificationEvent, input: PutNotificationTemplateRequest): void {
  const problems: FieldError[] = [];
  const allowed = new Set(variablesOf(event));
  const unknownIn = (text: string | null | undefined) => (text ? placeholders(text).filter((p) => !allowed.has(p)) : []);
  const check = (field: string, text: string | null | undefined) => {
    const unknown = unknownIn(text);
    if (unknown.length) problems.push({ field, errors: [`unknown variables for ${event}: ${unknown.join(', ')}`] });
  };
  check('page', input.page);
  check('subject', input.subject);
  check('body', input.body);
  (input.fields ?? []).forEach((f, i) => check(`fields[${i}].value`, f.value));
  const names = (input.fields ?? []).map((f) => f.name);
  if (new Set(names).size !== names.length) problems.push({ field: 'fields', errors: ['field names must be unique'] });
  if (input.channel === 'wechat') {
    if (input.enabled && !input.externalId) problems.push({ field: 'externalId', errors: ['a WeChat template needs its template id'] });
    if (input.enabled && !names.length) problems.push({ field: 'fields', errors: ['a WeChat template needs its keyword fields'] });
    names.forEach((n, i) => {
      if (!WECHAT_KEYWORD.test(n)) problems.push({ field: `fields[${i}].name`, errors: ['not a WeChat keyword (thing1, amount2, time3, …)'] });
    });
  }
  if (problems.length) throw new AppError('VALIDATION_FAILED', problems);
}

function toTemplateResponse(t: NotificationTemplateEntity): NotificationTemplateResponse {
  return {
    event: t.event,
    channel: t.channel,
    enabled: t.enabled,
    externalId: t.externalId,
    page: t.page,
    fields: t.fields.map((f) => ({ name: f.name, value: f.value })),
    subject: t.subject,
    body: t.body,
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toMessageResponse(r: MessageRow): NotificationMessageResponse {
  return {
    id: r.id,
    event: r.event,
    eventName: isEvent(r.event) ? EVENTS[r.event].name : r.event,
    kind: r.kind,
    status: r.status,
    channel: r.channel as Channel | null,
    memberId: r.memberId,
    memberName: r.memberName,
    memberNo: r.memberNo,
    staffId: r.staffId,
    storeId: r.storeId,
    storeName: r.storeName,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt.toISOString(),
    provider: r.provider,
    providerMessageId: r.providerMessageId,
    providerResponse: r.providerResponse ?? null,
    content: r.content ?? null,
    lastError: r.lastError,
    skipReason: r.skipReason,
    sentAt: r.sentAt ? r.sentAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}

function toAttemptResponse(a: NotificationAttemptEntity) {
  return {
    channel: a.channel,
    provider: a.provider,
    outcome: a.outcome,
    providerMessageId: a.providerMessageId,
    response: a.response ?? null,
    detail: a.detail,
    at: a.createdAt.toISOString(),
  };
}
