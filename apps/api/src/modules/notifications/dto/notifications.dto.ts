import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { CHANNELS, EVENT_KINDS, EVENT_NAMES, OPT_OUT_CHANNELS, OPT_OUT_KINDS, type Channel, type EventKind, type OptOutChannel, type OptOutKind } from '../domain/events';
import { BIRTHDAY_BENEFITS, MESSAGE_STATUSES, type BirthdayBenefit, type MessageStatus } from '../entities/notification.entity';

// ── settings ──────────────────────────────────────────────────────────────────

export class NotificationSettingsResponse {
  @ApiProperty({ enum: CHANNELS, isArray: true, example: ['wechat', 'sms', 'email'], description: 'Channels tried in order; the first that can reach the member sends' })
  channelOrder!: Channel[];
  @ApiProperty({ enum: BIRTHDAY_BENEFITS, description: 'Birthday benefit (生日礼遇): none, points, or a coupon (with the coupons capability)' }) birthdayBenefit!: BirthdayBenefit;
  @ApiProperty({ example: 200 }) birthdayPoints!: number;
  @ApiProperty({ nullable: true, type: String }) birthdayCouponTemplateId!: string | null;
  @ApiProperty({ example: 7, description: 'Days before the membership validity ends that the reminder goes out; 0 = none' }) membershipExpiryDays!: number;
  @ApiProperty({ example: 30 }) pointsExpiryDays!: number;
  @ApiProperty({ example: 3 }) couponExpiryDays!: number;
  @ApiProperty({ enum: BIRTHDAY_BENEFITS, isArray: true, description: 'Benefits this deployment can give' }) availableBirthdayBenefits!: BirthdayBenefit[];
  @ApiProperty() updatedAt!: string;
}

export class UpdateNotificationSettingsRequest {
  @ApiPropertyOptional({ enum: CHANNELS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(CHANNELS, { each: true })
  channelOrder?: Channel[];
  @ApiPropertyOptional({ enum: BIRTHDAY_BENEFITS }) @IsOptional() @IsIn(BIRTHDAY_BENEFITS) birthdayBenefit?: BirthdayBenefit;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) birthdayPoints?: number;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @IsUUID('4') birthdayCouponTemplateId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) membershipExpiryDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) pointsExpiryDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) couponExpiryDays?: number;
}

// ── events and templates ──────────────────────────────────────────────────────

export class EventVariableResponse {
  @ApiProperty({ example: 'amountYuan' }) name!: string;
  @ApiProperty({ example: '变动金额（元）' }) description!: string;
}

export class NotificationEventResponse {
  @ApiProperty({ enum: EVENT_NAMES }) event!: string;
  @ApiProperty({ example: '充值成功' }) name!: string;
  @ApiProperty({ enum: EVENT_KINDS }) kind!: EventKind;
  @ApiProperty({ example: '储值变动与消费' }) kindName!: string;
  @ApiProperty({ type: [EventVariableResponse] }) variables!: EventVariableResponse[];
  @ApiProperty() defaultSubject!: string;
  @ApiProperty() defaultBody!: string;
}

export class NotificationTemplateFieldDto {
  @ApiProperty({ example: 'amount1', description: 'WeChat keyword (thing1, amount2…) or SMS template parameter name' })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { message: 'name must be a letter followed by letters, digits or _' })
  name!: string;
  @ApiProperty({ example: '{{amountYuan}}元' }) @IsString() @Length(0, 200) value!: string;
}

export class PutNotificationTemplateRequest {
  @ApiProperty({ enum: EVENT_NAMES }) @IsIn(EVENT_NAMES) event!: string;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel!: Channel;
  @ApiProperty() @IsBoolean() enabled!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'WeChat template id, or the SMS provider’s template code' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  externalId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'pages/wallet/index', description: 'Mini-program page opened from the WeChat message' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  page?: string | null;
  @ApiPropertyOptional({ type: [NotificationTemplateFieldDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NotificationTemplateFieldDto)
  fields?: NotificationTemplateFieldDto[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'E-mail subject; omitted = the event’s default' }) @IsOptional() @IsString() @Length(1, 200) subject?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Text of e-mails and log SMS; omitted = the event’s default' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  body?: string | null;
}

export class NotificationTemplateResponse {
  @ApiProperty({ enum: EVENT_NAMES }) event!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ nullable: true, type: String }) externalId!: string | null;
  @ApiProperty({ nullable: true, type: String }) page!: string | null;
  @ApiProperty({ type: [NotificationTemplateFieldDto] }) fields!: NotificationTemplateFieldDto[];
  @ApiProperty({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ nullable: true, type: String }) body!: string | null;
  @ApiProperty() updatedAt!: string;
}

// ── the message log ───────────────────────────────────────────────────────────

export class ListNotificationMessagesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Store of the event (or the member’s home store); omitted = every store the caller reaches' })
  @IsOptional()
  @IsUUID('4')
  storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') staffId?: string;
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: Channel;
  @ApiPropertyOptional({ enum: MESSAGE_STATUSES }) @IsOptional() @IsIn(MESSAGE_STATUSES) status?: MessageStatus;
  @ApiPropertyOptional({ enum: EVENT_NAMES }) @IsOptional() @IsIn(EVENT_NAMES) event?: string;
  @ApiPropertyOptional({ enum: EVENT_KINDS }) @IsOptional() @IsIn(EVENT_KINDS) kind?: EventKind;
  @ApiPropertyOptional({ description: 'Created from this instant (inclusive)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'Created before this instant (exclusive)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class NotificationMessageResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: EVENT_NAMES }) event!: string;
  @ApiProperty({ example: '充值成功' }) eventName!: string;
  @ApiProperty({ enum: EVENT_KINDS }) kind!: EventKind;
  @ApiProperty({ enum: MESSAGE_STATUSES }) status!: MessageStatus;
  @ApiProperty({ enum: CHANNELS, nullable: true }) channel!: Channel | null;
  @ApiProperty({ nullable: true, type: String }) memberId!: string | null;
  @ApiProperty({ nullable: true, type: String }) memberName!: string | null;
  @ApiProperty({ nullable: true, type: String }) memberNo!: string | null;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) storeName!: string | null;
  @ApiProperty({ description: 'Provider calls made' }) attempts!: number;
  @ApiProperty({ description: 'When it is (or was) due to be tried' }) nextAttemptAt!: string;
  @ApiProperty({ nullable: true, type: String, example: 'aliyun' }) provider!: string | null;
  @ApiProperty({ nullable: true, type: String }) providerMessageId!: string | null;
  @ApiProperty({ nullable: true, description: 'What the provider answered last' }) providerResponse!: unknown;
  @ApiProperty({ nullable: true, description: 'What was sent, as rendered for the channel' }) content!: unknown;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ nullable: true, type: String }) skipReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class NotificationMessagePageResponse {
  @ApiProperty({ type: [NotificationMessageResponse] }) items!: NotificationMessageResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class NotificationAttemptResponse {
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ nullable: true, type: String }) provider!: string | null;
  @ApiProperty({ enum: ['sent', 'recovered', 'skipped', 'rejected', 'retry', 'failed', 'in_doubt'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) providerMessageId!: string | null;
  @ApiProperty({ nullable: true }) response!: unknown;
  @ApiProperty({ nullable: true, type: String }) detail!: string | null;
  @ApiProperty() at!: string;
}

export class NotificationMessageDetailResponse extends NotificationMessageResponse {
  @ApiProperty({ type: [NotificationAttemptResponse] }) history!: NotificationAttemptResponse[];
}

// ── member preferences and WeChat consents ────────────────────────────────────

export class OptOutDto {
  @ApiProperty({ enum: OPT_OUT_CHANNELS, description: 'A channel, or all' }) @IsIn(OPT_OUT_CHANNELS) channel!: OptOutChannel;
  @ApiProperty({ enum: OPT_OUT_KINDS, description: 'An event kind, or all' }) @IsIn(OPT_OUT_KINDS) kind!: OptOutKind;
}

export class NotificationPreferencesResponse {
  @ApiProperty({ nullable: true, type: String, description: 'Where e-mail notifications go' }) email!: string | null;
  @ApiProperty({ description: 'Whether the member has signed in through WeChat (subscribe messages can reach them)' }) wechatBound!: boolean;
  @ApiProperty({ type: [OptOutDto], description: 'What the member does not want (退订)' }) optOuts!: OptOutDto[];
}

export class UpdateNotificationPreferencesRequest {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'zhang@example.com' }) @IsOptional() @IsEmail() @Length(3, 200) email?: string | null;
  @ApiPropertyOptional({ type: [OptOutDto], description: 'Replaces the whole list' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => OptOutDto)
  optOuts?: OptOutDto[];
}

export const SUBSCRIBE_RESULTS = ['accept', 'reject', 'ban', 'filter'] as const;

export class SubscribeResultDto {
  @ApiProperty({ example: 'tmpl-top-up', description: 'A template id passed to wx.requestSubscribeMessage' }) @IsString() @Length(1, 100) templateId!: string;
  @ApiProperty({ enum: SUBSCRIBE_RESULTS, description: 'What the member chose, as wx.requestSubscribeMessage reports it' }) @IsIn(SUBSCRIBE_RESULTS) status!: (typeof SUBSCRIBE_RESULTS)[number];
}

export class RecordSubscriptionsRequest {
  @ApiProperty({ type: [SubscribeResultDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SubscribeResultDto)
  results!: SubscribeResultDto[];
}

export class SubscriptionTemplateResponse {
  @ApiProperty({ enum: EVENT_NAMES }) event!: string;
  @ApiProperty({ example: '充值成功' }) eventName!: string;
  @ApiProperty() templateId!: string;
  @ApiProperty({ description: 'One-time consents left: each allows one message' }) remaining!: number;
}

export class SubscriptionsResponse {
  @ApiProperty({ type: [SubscriptionTemplateResponse], description: 'The chain’s subscribe-message templates, to pass to wx.requestSubscribeMessage' })
  templates!: SubscriptionTemplateResponse[];
}
