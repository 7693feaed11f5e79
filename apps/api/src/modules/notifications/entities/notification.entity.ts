import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { MemberEntity } from '../../members/entities/member.entity';
import { StaffEntity } from '../../staff/entities/staff.entity';
import { StoreEntity } from '../../stores/entities/store.entity';
import type { Channel, EventKind, OptOutChannel, OptOutKind } from '../domain/events';
import type { RenderedContent } from '../domain/render';

export const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const ATTEMPT_OUTCOMES = ['sent', 'recovered', 'skipped', 'rejected', 'retry', 'failed', 'in_doubt'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/**
 * The outbox (消息发件箱): one row per business event and recipient, inserted in the transaction
 * of the change it tells of (so a rolled-back change leaves no message, and a committed one always
 * has its message), unique by `dedupe_key` (one event never makes two messages).
 *
 * Life: pending → sending (claimed by a worker with a lease) → sent | skipped | failed, or back to
 * pending with a later `next_attempt_at` after a transient failure. `inflight_channel` is set
 * (committed) just before a provider is called and cleared when the result is recorded: a row
 * whose lease expired while it is set is "in doubt", and the next worker asks the provider (where
 * it can) before sending again. Every write after the claim is conditional on `lease_token`.
 */
@Entity('notification_message')
@Check('notification_message_status_check', `status IN ('pending', 'sending', 'sent', 'skipped', 'failed', 'cancelled')`)
@Check('notification_message_recipient_check', `(member_id IS NOT NULL) <> (staff_id IS NOT NULL)`)
@Check('notification_message_channel_check', `channel IS NULL OR channel IN ('wechat', 'sms', 'email')`)
@Check('notification_message_inflight_check', `inflight_channel IS NULL OR inflight_channel IN ('wechat', 'sms', 'email')`)
@Index('notification_message_dedupe_key_unique', ['dedupeKey'], { unique: true })
@Index('notification_message_due', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('notification_message_leased', ['leaseUntil'], { where: `status = 'sending'` })
@Index(['memberId', 'createdAt'])
@Index(['storeId', 'createdAt'])
@Index(['createdAt'])
export class NotificationMessageEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) event!: string;
  @Column({ type: 'text' }) kind!: EventKind;
  @Column({ type: 'uuid', name: 'member_id', nullable: true }) memberId!: string | null;
  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'uuid', name: 'staff_id', nullable: true }) staffId!: string | null;
  @ManyToOne(() => StaffEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'staff_id' })
  staff?: StaffEntity;
  /** The store the event happened at (or the member's home store): scopes the log for store staff. */
  @Column({ type: 'uuid', name: 'store_id', nullable: true }) storeId!: string | null;
  @ManyToOne(() => StoreEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'store_id' })
  store?: StoreEntity;
  @Column({ type: 'text', name: 'dedupe_key' }) dedupeKey!: string;
  /** The event's facts at the time (amounts, balances after); names and texts are filled in at sending. */
  @Column({ type: 'jsonb', default: () => "'{}'" }) data!: Record<string, unknown>;
  @Column({ type: 'text', default: 'pending' }) status!: MessageStatus;
  /** The channel that delivered it (or was tried last). */
  @Column({ type: 'text', nullable: true }) channel!: Channel | null;
  /** Provider calls made (each send, not each claim). */
  @Column({ type: 'int', default: 0 }) attempts!: number;
  /** clock_timestamp(), not now(): messages of one transaction keep their order of insertion. */
  @Column({ type: 'timestamptz', name: 'next_attempt_at', default: () => 'clock_timestamp()' }) nextAttemptAt!: Date;
  @Column({ type: 'timestamptz', name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @Column({ type: 'uuid', name: 'lease_token', nullable: true }) leaseToken!: string | null;
  @Column({ type: 'text', name: 'inflight_channel', nullable: true }) inflightChannel!: Channel | null;
  @Column({ type: 'timestamptz', name: 'inflight_since', nullable: true }) inflightSince!: Date | null;
  /** The WeChat template whose one-time consent this message holds (taken before sending, given back if not sent). */
  @Column({ type: 'text', name: 'consent_template_id', nullable: true }) consentTemplateId!: string | null;
  @Column({ type: 'text', nullable: true }) provider!: string | null;
  @Column({ type: 'text', name: 'provider_message_id', nullable: true }) providerMessageId!: string | null;
  @Column({ type: 'jsonb', name: 'provider_response', nullable: true }) providerResponse!: unknown;
  /** What was sent, as rendered for the channel. */
  @Column({ type: 'jsonb', nullable: true }) content!: RenderedContent | null;
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError!: string | null;
  @Column({ type: 'text', name: 'skip_reason', nullable: true }) skipReason!: string | null;
  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true }) sentAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/** Append-only history of a message's deliveries (trigger refuses changes): each channel tried, what the provider said. */
@Entity('notification_attempt')
@Index(['messageId', 'id'])
@Check('notification_attempt_outcome_check', `outcome IN ('sent', 'recovered', 'skipped', 'rejected', 'retry', 'failed', 'in_doubt')`)
export class NotificationAttemptEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id!: string;
  @Column({ type: 'uuid', name: 'message_id' }) messageId!: string;
  @ManyToOne(() => NotificationMessageEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'message_id' })
  message?: NotificationMessageEntity;
  @Column({ type: 'text' }) channel!: Channel;
  @Column({ type: 'text', nullable: true }) provider!: string | null;
  @Column({ type: 'text' }) outcome!: AttemptOutcome;
  @Column({ type: 'text', name: 'provider_message_id', nullable: true }) providerMessageId!: string | null;
  @Column({ type: 'jsonb', nullable: true }) response!: unknown;
  @Column({ type: 'text', nullable: true }) detail!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/** A chain's template of one event on one channel (消息模板), edited by HQ. */
@Entity('notification_template')
@Index('notification_template_event_channel_unique', ['event', 'channel'], { unique: true })
@Check('notification_template_channel_check', `channel IN ('wechat', 'sms', 'email')`)
export class NotificationTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) event!: string;
  @Column({ type: 'text' }) channel!: Channel;
  @Column({ type: 'boolean', default: true }) enabled!: boolean;
  @Column({ type: 'text', name: 'external_id', nullable: true }) externalId!: string | null;
  @Column({ type: 'text', nullable: true }) page!: string | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) fields!: { name: string; value: string }[];
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ type: 'text', nullable: true }) body!: string | null;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

export const BIRTHDAY_BENEFITS = ['none', 'points', 'coupon'] as const;
export type BirthdayBenefit = (typeof BIRTHDAY_BENEFITS)[number];

/** The chain's notification settings (通知设置): exactly one row, seeded by the migration. */
@Entity('notification_settings')
@Check('notification_settings_single_row', `id = 1`)
@Check('notification_settings_birthday_benefit_check', `birthday_benefit IN ('none', 'points', 'coupon')`)
@Check('notification_settings_days_check', `membership_expiry_days BETWEEN 0 AND 365 AND points_expiry_days BETWEEN 0 AND 365 AND coupon_expiry_days BETWEEN 0 AND 365`)
@Check('notification_settings_birthday_points_check', `birthday_points BETWEEN 0 AND 1000000`)
export class NotificationSettingsEntity {
  @PrimaryColumn({ type: 'smallint', default: 1 }) id!: number;
  /** Channels tried for a member, in order: the first that can deliver sends (WeChat is free, SMS is paid). */
  @Column({ type: 'text', name: 'channel_order', array: true, default: () => "'{wechat,sms,email}'" }) channelOrder!: Channel[];
  @Column({ type: 'text', name: 'birthday_benefit', default: 'none' }) birthdayBenefit!: BirthdayBenefit;
  @Column({ type: 'int', name: 'birthday_points', default: 0 }) birthdayPoints!: number;
  /** A coupon template of the coupons capability (no foreign key: another capability's table). */
  @Column({ type: 'uuid', name: 'birthday_coupon_template_id', nullable: true }) birthdayCouponTemplateId!: string | null;
  /** Days before the end that reminders go out; 0 = no reminder. */
  @Column({ type: 'int', name: 'membership_expiry_days', default: 7 }) membershipExpiryDays!: number;
  @Column({ type: 'int', name: 'points_expiry_days', default: 30 }) pointsExpiryDays!: number;
  @Column({ type: 'int', name: 'coupon_expiry_days', default: 3 }) couponExpiryDays!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/*
 * The member tables below have a surrogate id and no unique key on the member: a member merge
 * repoints every foreign key to the survivor, and a unique clash there would refuse the merge. Two
 * rows of one member after a merge are harmless: opt-outs are "any row", addresses take the newest,
 * consents are summed.
 */

/** A member's "do not send me this" (退订): a channel or all, an event kind or all. */
@Entity('notification_opt_out')
@Index(['memberId'])
@Check('notification_opt_out_channel_check', `channel IN ('wechat', 'sms', 'email', 'all')`)
@Check('notification_opt_out_kind_check', `kind IN ('balance', 'points', 'birthday', 'expiry', 'booking', 'all')`)
export class NotificationOptOutEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text' }) channel!: OptOutChannel;
  @Column({ type: 'text' }) kind!: OptOutKind;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * Where a member is reached on a channel other than SMS (the member's phone): the mini-program
 * openid (recorded by the WeChat login) and an e-mail address the member gave.
 */
@Entity('notification_address')
@Index(['memberId', 'channel'])
@Check('notification_address_channel_check', `channel IN ('wechat', 'email')`)
export class NotificationAddressEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text' }) channel!: 'wechat' | 'email';
  @Column({ type: 'text' }) address!: string;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * One-time subscribe-message consents of a member per WeChat template (一次性订阅): each "accept"
 * from wx.requestSubscribeMessage allows one message; a send takes one.
 */
@Entity('wechat_subscription')
@Index(['memberId', 'templateId'])
@Check('wechat_subscription_remaining_check', `remaining >= 0`)
export class WechatSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: MemberEntity;
  @Column({ type: 'text', name: 'template_id' }) templateId!: string;
  @Column({ type: 'int', default: 0 }) remaining!: number;
  @Column({ type: 'int', name: 'accepted_total', default: 0 }) acceptedTotal!: number;
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}

/**
 * A birthday greeted (and its benefit given) once per member and year, however often the job runs.
 * No foreign key: it must stay unique per member and year, and a merge would repoint it.
 */
@Entity('birthday_greeting')
@Check('birthday_greeting_benefit_check', `benefit IN ('none', 'points', 'coupon')`)
export class BirthdayGreetingEntity {
  @PrimaryColumn({ type: 'uuid', name: 'member_id' }) memberId!: string;
  @PrimaryColumn({ type: 'int' }) year!: number;
  @Column({ type: 'text' }) benefit!: BirthdayBenefit;
  @Column({ type: 'int', default: 0 }) points!: number;
  @Column({ type: 'text', name: 'coupon_id', nullable: true }) couponId!: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
