import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel, EventKind, OptOutChannel, OptOutKind } from './domain/events';
import type { RenderedContent } from './domain/render';
import {
  NotificationAttemptEntity,
  NotificationMessageEntity,
  NotificationSettingsEntity,
  NotificationTemplateEntity,
  type AttemptOutcome,
  type MessageStatus,
} from './entities/notification.entity';

/** A message a worker holds: every write after the claim names the lease token. */
export interface ClaimedMessage {
  id: string;
  event: string;
  kind: EventKind;
  memberId: string | null;
  staffId: string | null;
  storeId: string | null;
  data: Record<string, unknown>;
  attempts: number;
  leaseToken: string;
  inflightChannel: Channel | null;
  inflightSince: Date | null;
  consentTemplateId: string | null;
  createdAt: Date;
}

export interface Lease {
  id: string;
  token: string;
}

export interface MessageFilter {
  storeIds: string[] | null;
  memberId?: string;
  staffId?: string;
  channel?: Channel;
  status?: MessageStatus;
  event?: string;
  kind?: EventKind;
  from?: Date;
  to?: Date;
  offset: number;
  limit: number;
}

export interface MessageRow extends NotificationMessageEntity {
  memberName: string | null;
  memberNo: string | null;
  storeName: string | null;
}

/** The only SQL over the notification tables. */
@Injectable()
export class NotificationsRepository {
  // ── outbox ────────────────────────────────────────────────────────────────

  /** Inserts the message unless one with the same dedupe key exists; the new id, or null for a duplicate. */
  async insertMessage(
    m: EntityManager,
    row: { event: string; kind: EventKind; memberId: string | null; staffId: string | null; storeId: string | null; dedupeKey: string; data: Record<string, unknown>; nextAttemptAt: Date | null },
  ): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO notification_message (event, kind, member_id, staff_id, store_id, dedupe_key, data, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::timestamptz, clock_timestamp()))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [row.event, row.kind, row.memberId, row.staffId, row.storeId, row.dedupeKey, JSON.stringify(row.data), row.nextAttemptAt],
    );
    return rows[0]?.id ?? null;
  }

  async cancelPending(m: EntityManager, dedupeKey: string): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message SET status = 'cancelled', inflight_channel = NULL, inflight_since = NULL, updated_at = now() WHERE dedupe_key = $1 AND status = 'pending'`,
      [dedupeKey],
    );
    return n > 0;
  }

  async hasEnabledTemplate(m: EntityManager, event: string): Promise<boolean> {
    const rows = await m.query('SELECT 1 FROM notification_template WHERE event = $1 AND enabled LIMIT 1', [event]);
    return rows.length > 0;
  }

  /**
   * Claims up to `limit` due messages for one worker: pending ones whose time has come, and
   * sending ones whose lease expired (their worker died or stalled). FOR UPDATE SKIP LOCKED makes
   * concurrent workers take disjoint sets; the new lease token fences off the previous holder.
   */
  async claim(m: EntityManager, now: Date, leaseMs: number, limit: number): Promise<ClaimedMessage[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [Record<string, unknown>[], number] = await m.query(
      `WITH due AS (
         SELECT id FROM notification_message
          WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until < $1)
          ORDER BY next_attempt_at, id
          LIMIT $3
          FOR UPDATE SKIP LOCKED)
       UPDATE notification_message msg
          SET status = 'sending', lease_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000),
              lease_token = gen_random_uuid(), updated_at = now()
         FROM due WHERE msg.id = due.id
       RETURNING msg.id, msg.event, msg.kind, msg.member_id, msg.staff_id, msg.store_id, msg.data, msg.attempts, msg.lease_token,
                 msg.inflight_channel, msg.inflight_since, msg.consent_template_id, msg.created_at`,
      [now, leaseMs, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      event: r.event as string,
      kind: r.kind as EventKind,
      memberId: (r.member_id as string | null) ?? null,
      staffId: (r.staff_id as string | null) ?? null,
      storeId: (r.store_id as string | null) ?? null,
      data: (r.data as Record<string, unknown>) ?? {},
      attempts: Number(r.attempts),
      leaseToken: r.lease_token as string,
      inflightChannel: (r.inflight_channel as Channel | null) ?? null,
      inflightSince: r.inflight_since ? new Date(r.inflight_since as string) : null,
      consentTemplateId: (r.consent_template_id as string | null) ?? null,
      createdAt: new Date(r.created_at as string),
    }));
  }

  /** Records "about to call the provider on this channel" (committed before the call). */
  async beginSend(m: EntityManager, lease: Lease, channel: Channel, now: Date): Promise<number | null> {
    const [rows]: [{ attempts: number }[], number] = await m.query(
      `UPDATE notification_message SET inflight_channel = $3, inflight_since = $4, channel = $3, attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending' RETURNING attempts`,
      [lease.id, lease.token, channel, now],
    );
    return rows.length ? Number(rows[0].attempts) : null;
  }

  async setConsentHeld(m: EntityManager, lease: Lease, templateId: string | null): Promise<boolean> {
    const [, n] = await m.query(`UPDATE notification_message SET consent_template_id = $3 WHERE id = $1 AND lease_token = $2 AND status = 'sending'`, [
      lease.id,
      lease.token,
      templateId,
    ]);
    return n > 0;
  }

  async markSent(
    m: EntityManager,
    lease: Lease,
    r: { channel: Channel; provider: string; providerMessageId: string | null; response: unknown; content: RenderedContent | null; at: Date },
  ): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message
          SET status = 'sent', channel = $3, provider = $4, provider_message_id = $5, provider_response = $6, content = COALESCE($7, content),
              sent_at = $8, lease_until = NULL, lease_token = NULL, inflight_channel = NULL, inflight_since = NULL, last_error = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [lease.id, lease.token, r.channel, r.provider, r.providerMessageId, JSON.stringify(r.response ?? null), r.content ? JSON.stringify(r.content) : null, r.at],
    );
    return n > 0;
  }

  /** Back to pending for a later try; the in-flight mark stays when the last call may have reached the provider. */
  async markRetry(
    m: EntityManager,
    lease: Lease,
    r: { nextAt: Date; error: string; keepInflight: boolean; provider: string | null; response: unknown; bump: number },
  ): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message
          SET status = 'pending', next_attempt_at = $3, last_error = $4, provider = COALESCE($6, provider), provider_response = $7, attempts = attempts + $8,
              lease_until = NULL, lease_token = NULL,
              inflight_channel = CASE WHEN $5 THEN inflight_channel ELSE NULL END,
              inflight_since = CASE WHEN $5 THEN inflight_since ELSE NULL END, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [lease.id, lease.token, r.nextAt, r.error, r.keepInflight, r.provider, JSON.stringify(r.response ?? null), r.bump],
    );
    return n > 0;
  }

  /** Waits for an in-doubt delivery to show at the provider, keeping the in-flight mark. */
  async postpone(m: EntityManager, lease: Lease, nextAt: Date): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message SET status = 'pending', next_attempt_at = $3, lease_until = NULL, lease_token = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [lease.id, lease.token, nextAt],
    );
    return n > 0;
  }

  async clearInflight(m: EntityManager, lease: Lease): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message SET inflight_channel = NULL, inflight_since = NULL, updated_at = now() WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [lease.id, lease.token],
    );
    return n > 0;
  }

  async markFinal(
    m: EntityManager,
    lease: Lease,
    r: { status: 'failed' | 'skipped'; error: string | null; skipReason: string | null; provider: string | null; response: unknown },
  ): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message
          SET status = $3, last_error = COALESCE($4, last_error), skip_reason = $5, provider = COALESCE($6, provider),
              provider_response = COALESCE($7::jsonb, provider_response),
              lease_until = NULL, lease_token = NULL, inflight_channel = NULL, inflight_since = NULL, updated_at = now()
        WHERE id = $1 AND lease_token = $2 AND status = 'sending'`,
      [lease.id, lease.token, r.status, r.error, r.skipReason, r.provider, r.response === undefined || r.response === null ? null : JSON.stringify(r.response)],
    );
    return n > 0;
  }

  async insertAttempt(
    m: EntityManager,
    a: { messageId: string; channel: Channel; provider: string | null; outcome: AttemptOutcome; providerMessageId?: string | null; response?: unknown; detail?: string | null },
  ): Promise<void> {
    await m.query(
      `INSERT INTO notification_attempt (message_id, channel, provider, outcome, provider_message_id, response, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [a.messageId, a.channel, a.provider, a.outcome, a.providerMessageId ?? null, JSON.stringify(a.response ?? null), a.detail ?? null],
    );
  }

  /** A failed message back to pending now, its attempts starting again (manual retry). */
  async requeueFailed(m: EntityManager, id: string, now: Date): Promise<boolean> {
    const [, n] = await m.query(
      `UPDATE notification_message SET status = 'pending', attempts = 0, next_attempt_at = $2, last_error = NULL, skip_reason = NULL, updated_at = now()
        WHERE id = $1 AND status = 'failed'`,
      [id, now],
    );
    return n > 0;
  }

  // ── WeChat one-time consents ────────────────────────────────────────────────

  /** Takes one consent of the member for the template; false when none is left. */
  async takeConsent(m: EntityManager, memberId: string, templateId: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await m.query(
      `UPDATE wechat_subscription SET remaining = remaining - 1, updated_at = now()
        WHERE id = (SELECT id FROM wechat_subscription WHERE member_id = $1 AND template_id = $2 AND remaining > 0 ORDER BY updated_at LIMIT 1 FOR UPDATE)
        RETURNING id`,
      [memberId, templateId],
    );
    return rows.length > 0;
  }

  async giveBackConsent(m: EntityManager, memberId: string, templateId: string): Promise<void> {
    await this.addConsents(m, memberId, templateId, 1, false);
  }

  /** WeChat said the member holds none: our count was wrong. */
  async dropConsents(m: EntityManager, memberId: string, templateId: string): Promise<void> {
    await m.query('UPDATE wechat_subscription SET remaining = 0, updated_at = now() WHERE member_id = $1 AND template_id = $2', [memberId, templateId]);
  }

  async addConsents(m: EntityManager, memberId: string, templateId: string, n: number, accepted = true): Promise<void> {
    const [, updated] = await m.query(
      `UPDATE wechat_subscription SET remaining = remaining + $3, accepted_total = accepted_total + $4, updated_at = now()
        WHERE id = (SELECT id FROM wechat_subscription WHERE member_id = $1 AND template_id = $2 ORDER BY updated_at DESC LIMIT 1 FOR UPDATE)`,
      [memberId, templateId, n, accepted ? n : 0],
    );
    if (!updated) {
      await m.query('INSERT INTO wechat_subscription (member_id, template_id, remaining, accepted_total) VALUES ($1, $2, $3, $4)', [memberId, templateId, n, accepted ? n : 0]);
    }
  }

  async consents(m: EntityManager, memberId: string): Promise<Map<string, number>> {
    const rows: { template_id: string; remaining: string }[] = await m.query(
      'SELECT template_id, sum(remaining) AS remaining FROM wechat_subscription WHERE member_id = $1 GROUP BY template_id',
      [memberId],
    );
    return new Map(rows.map((r) => [r.template_id, Number(r.remaining)]));
  }

  /** Serialises consent changes of one member (two accepts racing to create the first row). */
  async lockMemberConsents(m: EntityManager, memberId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('wechat-consent:' || $1, 0))`, [memberId]);
  }

  // ── templates and settings ──────────────────────────────────────────────────

  templates(m: EntityManager): Promise<NotificationTemplateEntity[]> {
    return m.find(NotificationTemplateEntity, { order: { event: 'ASC', channel: 'ASC' } });
  }

  enabledTemplates(m: EntityManager, event: string): Promise<NotificationTemplateEntity[]> {
    return m.find(NotificationTemplateEntity, { where: { event, enabled: true } });
  }

  template(m: EntityManager, event: string, channel: Channel): Promise<NotificationTemplateEntity | null> {
    return m.findOne(NotificationTemplateEntity, { where: { event, channel } });
  }

  saveTemplate(m: EntityManager, t: Partial<NotificationTemplateEntity>): Promise<NotificationTemplateEntity> {
    return m.save(NotificationTemplateEntity, m.create(NotificationTemplateEntity, t));
  }

  async settings(m: EntityManager): Promise<NotificationSettingsEntity> {
    const found = await m.findOne(NotificationSettingsEntity, { where: { id: 1 } });
    if (found) return found;
    // The migration seeds the row; a restored or hand-made database may lack it.
    await m.query('INSERT INTO notification_settings (id) VALUES (1) ON CONFLICT DO NOTHING');
    return m.findOneOrFail(NotificationSettingsEntity, { where: { id: 1 } });
  }

  saveSettings(m: EntityManager, s: NotificationSettingsEntity): Promise<NotificationSettingsEntity> {
    return m.save(NotificationSettingsEntity, s);
  }

  async chain(m: EntityManager): Promise<{ name: string; timeZone: string }> {
    const rows: { name: string; time_zone: string }[] = await m.query('SELECT name, time_zone FROM chain LIMIT 1');
    return { name: rows[0]?.name ?? '', timeZone: rows[0]?.time_zone ?? 'Asia/Shanghai' };
  }

  // ── member preferences and addresses ────────────────────────────────────────

  async optOuts(m: EntityManager, memberId: string): Promise<{ channel: OptOutChannel; kind: OptOutKind }[]> {
    const rows: { channel: OptOutChannel; kind: OptOutKind }[] = await m.query(
      'SELECT DISTINCT channel, kind FROM notification_opt_out WHERE member_id = $1 ORDER BY channel, kind',
      [memberId],
    );
    return rows;
  }

  async replaceOptOuts(m: EntityManager, memberId: string, optOuts: { channel: OptOutChannel; kind: OptOutKind }[]): Promise<void> {
    await m.query('DELETE FROM notification_opt_out WHERE member_id = $1', [memberId]);
    for (const o of optOuts) await m.query('INSERT INTO notification_opt_out (member_id, channel, kind) VALUES ($1, $2, $3)', [memberId, o.channel, o.kind]);
  }

  async address(m: EntityManager, memberId: string, channel: 'wechat' | 'email'): Promise<string | null> {
    const rows: { address: string }[] = await m.query(
      'SELECT address FROM notification_address WHERE member_id = $1 AND channel = $2 ORDER BY updated_at DESC LIMIT 1',
      [memberId, channel],
    );
    return rows[0]?.address ?? null;
  }

  async setAddress(m: EntityManager, memberId: string, channel: 'wechat' | 'email', address: string | null): Promise<void> {
    await m.query('DELETE FROM notification_address WHERE member_id = $1 AND channel = $2', [memberId, channel]);
    if (address) await m.query('INSERT INTO notification_address (member_id, channel, address) VALUES ($1, $2, $3)', [memberId, channel, address]);
  }

  /** PIPL deletion: the member's addresses, preferences and consents go; the log keeps no text of its messages. */
  async eraseMember(m: EntityManager, memberId: string): Promise<void> {
    await m.query('DELETE FROM notification_address WHERE member_id = $1', [memberId]);
    await m.query('DELETE FROM notification_opt_out WHERE member_id = $1', [memberId]);
    await m.query('DELETE FROM wechat_subscription WHERE member_id = $1', [memberId]);
    await m.query(`UPDATE notification_message SET content = NULL, provider_response = NULL, data = '{}' WHERE member_id = $1`, [memberId]);
    await m.query(
      `UPDATE notification_message SET status = 'cancelled', lease_token = NULL, lease_until = NULL, inflight_channel = NULL, inflight_since = NULL, updated_at = now()
        WHERE member_id = $1 AND status IN ('pending', 'sending')`,
      [memberId],
    );
  }

  // ── birthday greetings ──────────────────────────────────────────────────────

  /** Claims the member's birthday of `year`; false when it was greeted already. */
  async claimBirthday(m: EntityManager, memberId: string, year: number, benefit: string): Promise<boolean> {
    const rows = await m.query(
      'INSERT INTO birthday_greeting (member_id, year, benefit) VALUES ($1, $2, $3) ON CONFLICT (member_id, year) DO NOTHING RETURNING member_id',
      [memberId, year, benefit],
    );
    return rows.length > 0;
  }

  async recordBirthdayBenefit(m: EntityManager, memberId: string, year: number, benefit: { points: number; couponId: string | null }): Promise<void> {
    await m.query('UPDATE birthday_greeting SET points = $3, coupon_id = $4 WHERE member_id = $1 AND year = $2', [memberId, year, benefit.points, benefit.couponId]);
  }

  // ── the message log ─────────────────────────────────────────────────────────

  async listMessages(m: EntityManager, f: MessageFilter): Promise<[MessageRow[], number]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => {
      args.push(v);
      return `$${args.length}`;
    };
    if (f.storeIds) where.push(`msg.store_id = ANY(${arg(f.storeIds)}::uuid[])`);
    if (f.memberId) where.push(`msg.member_id = ${arg(f.memberId)}`);
    if (f.staffId) where.push(`msg.staff_id = ${arg(f.staffId)}`);
    if (f.channel) where.push(`msg.channel = ${arg(f.channel)}`);
    if (f.status) where.push(`msg.status = ${arg(f.status)}`);
    if (f.event) where.push(`msg.event = ${arg(f.event)}`);
    if (f.kind) where.push(`msg.kind = ${arg(f.kind)}`);
    if (f.from) where.push(`msg.created_at >= ${arg(f.from)}`);
    if (f.to) where.push(`msg.created_at < ${arg(f.to)}`);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM notification_message msg ${clause}`, args);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT msg.*, mb.name AS member_name, mb.member_no, s.name AS store_name
         FROM notification_message msg
         LEFT JOIN member mb ON mb.id = msg.member_id
         LEFT JOIN store s ON s.id = msg.store_id
         ${clause}
        ORDER BY msg.created_at DESC, msg.id DESC
        LIMIT ${arg(f.limit)} OFFSET ${arg(f.offset)}`,
      args,
    );
    return [rows.map(toMessageRow), n];
  }

  async message(m: EntityManager, id: string): Promise<MessageRow | null> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT msg.*, mb.name AS member_name, mb.member_no, s.name AS store_name
         FROM notification_message msg
         LEFT JOIN member mb ON mb.id = msg.member_id
         LEFT JOIN store s ON s.id = msg.store_id
        WHERE msg.id = $1`,
      [id],
    );
    return rows.length ? toMessageRow(rows[0]) : null;
  }

  attempts(m: EntityManager, messageId: string): Promise<NotificationAttemptEntity[]> {
    return m.find(NotificationAttemptEntity, { where: { messageId }, order: { id: 'ASC' } });
  }

  messageByDedupeKey(m: EntityManager, dedupeKey: string): Promise<NotificationMessageEntity | null> {
    return m.findOne(NotificationMessageEntity, { where: { dedupeKey } });
  }
}

function toMessageRow(r: Record<string, unknown>): MessageRow {
  const date = (v: unknown) => (v ? new Date(v as string) : null);
  return {
    id: r.id as string,
    event: r.event as string,
    kind: r.kind as EventKind,
    memberId: (r.member_id as string) ?? null,
    staffId: (r.staff_id as string) ?? null,
    storeId: (r.store_id as string) ?? null,
    dedupeKey: r.dedupe_key as string,
    data: (r.data as Record<string, unknown>) ?? {},
    status: r.status as MessageStatus,
    channel: (r.channel as Channel) ?? null,
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(r.next_attempt_at as string),
    leaseUntil: date(r.lease_until),
    leaseToken: (r.lease_token as string) ?? null,
    inflightChannel: (r.inflight_channel as Channel) ?? null,
    inflightSince: date(r.inflight_since),
    consentTemplateId: (r.consent_template_id as string) ?? null,
    provider: (r.provider as string) ?? null,
    providerMessageId: (r.provider_message_id as string) ?? null,
    providerResponse: r.provider_response ?? null,
    content: (r.content as RenderedContent) ?? null,
    lastError: (r.last_error as string) ?? null,
    skipReason: (r.skip_reason as string) ?? null,
    sentAt: date(r.sent_at),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    memberName: (r.member_name as string) ?? null,
    memberNo: (r.member_no as string) ?? null,
    storeName: (r.store_name as string) ?? null,
  };
}
