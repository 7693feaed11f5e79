import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor, StaffActor } from '../../common/auth/actor';
import { CurrentMember, CurrentStaff, MemberRoute, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import {
  ListNotificationMessagesQuery,
  NotificationMessageDetailResponse,
  NotificationMessagePageResponse,
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
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('settings')
  @ApiOperation({ summary: 'Notification settings: channel order, birthday benefit, reminder days (通知设置)' })
  @ApiResult(NotificationSettingsResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('notification.read')
  settings(): Promise<NotificationSettingsResponse> {
    return this.notifications.settings();
  }

  @Patch('settings')
  @ApiOperation({ summary: 'Change the notification settings (HQ); audited' })
  @ApiResult(NotificationSettingsResponse)
  @ApiErrors('FORBIDDEN', 'NOTIFICATION_BENEFIT_UNAVAILABLE')
  @RequirePermissions('notification.settings.write')
  @RequireChainScope()
  updateSettings(@Body() body: UpdateNotificationSettingsRequest): Promise<NotificationSettingsResponse> {
    return this.notifications.updateSettings(body);
  }

  @Get('events')
  @ApiOperation({ summary: 'The events ChainCard notifies, with the variables their templates may use' })
  @ApiResult([NotificationEventResponse])
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('notification.read')
  events(): NotificationEventResponse[] {
    return this.notifications.events();
  }

  @Get('templates')
  @ApiOperation({ summary: 'The chain’s templates per event and channel (消息模板)' })
  @ApiResult([NotificationTemplateResponse])
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('notification.read')
  templates(): Promise<NotificationTemplateResponse[]> {
    return this.notifications.templates();
  }

  @Put('templates')
  @ApiOperation({ summary: 'Set the template of one event on one channel (HQ); audited' })
  @ApiResult(NotificationTemplateResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('notification.settings.write')
  @RequireChainScope()
  putTemplate(@Body() body: PutNotificationTemplateRequest): Promise<NotificationTemplateResponse> {
    return this.notifications.putTemplate(body);
  }

  @Get('messages')
  @ApiOperation({ summary: 'The message log: by member, channel, status, event and period, with the provider’s answer; store staff see their stores’' })
  @ApiResult(NotificationMessagePageResponse)
  @ApiErrors('FORBIDDEN')
  @RequirePermissions('notification.read')
  messages(@CurrentStaff() actor: StaffActor, @Query() q: ListNotificationMessagesQuery): Promise<NotificationMessagePageResponse> {
    return this.notifications.listMessages(actor, q);
  }

  @Get('messages/:messageId')
  @ApiOperation({ summary: 'One message with every delivery attempt' })
  @ApiResult(NotificationMessageDetailResponse)
  @ApiErrors('NOTIFICATION_MESSAGE_NOT_FOUND', 'FORBIDDEN')
  @RequirePermissions('notification.read')
  message(@Param('messageId') messageId: string): Promise<NotificationMessageDetailResponse> {
    return this.notifications.message(messageId);
  }

  @Post('messages/:messageId/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a failed message again (重发); audited' })
  @ApiResult(NotificationMessageDetailResponse)
  @ApiErrors('NOTIFICATION_MESSAGE_NOT_FOUND', 'NOTIFICATION_NOT_RETRYABLE', 'FORBIDDEN')
  @RequirePermissions('notification.retry')
  retry(@Param('messageId') messageId: string): Promise<NotificationMessageDetailResponse> {
    return this.notifications.retry(messageId);
  }
}

@ApiTags('notifications')
@Controller('members/:memberId/notification-preferences')
export class MemberNotificationPreferencesController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'A member’s e-mail and opt-outs (退订)' })
  @ApiResult(NotificationPreferencesResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.read')
  get(@Param('memberId') memberId: string): Promise<NotificationPreferencesResponse> {
    return this.notifications.preferences(memberId);
  }

  @Put()
  @ApiOperation({ summary: 'Change a member’s e-mail and opt-outs on the member’s behalf; audited' })
  @ApiResult(NotificationPreferencesResponse)
  @ApiErrors('MEMBER_NOT_FOUND')
  @RequirePermissions('member.write')
  put(@Param('memberId') memberId: string, @Body() body: UpdateNotificationPreferencesRequest): Promise<NotificationPreferencesResponse> {
    return this.notifications.updatePreferences(memberId, body);
  }
}

/** The member's own notification settings, for the member mini-program. */
@ApiTags('me')
@Controller('me')
export class MyNotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('notification-preferences')
  @MemberRoute()
  @ApiOperation({ summary: 'My e-mail and opt-outs (member app)' })
  @ApiResult(NotificationPreferencesResponse)
  @ApiErrors('UNAUTHENTICATED')
  preferences(@CurrentMember() member: MemberActor): Promise<NotificationPreferencesResponse> {
    return this.notifications.preferences(member.id);
  }

  @Put('notification-preferences')
  @MemberRoute()
  @ApiOperation({ summary: 'Change my e-mail and opt-outs (member app)' })
  @ApiResult(NotificationPreferencesResponse)
  @ApiErrors('UNAUTHENTICATED')
  updatePreferences(@CurrentMember() member: MemberActor, @Body() body: UpdateNotificationPreferencesRequest): Promise<NotificationPreferencesResponse> {
    return this.notifications.updatePreferences(member.id, body);
  }

  @Get('subscriptions')
  @MemberRoute()
  @ApiOperation({ summary: 'The subscribe-message templates to ask for (wx.requestSubscribeMessage) and my consents left' })
  @ApiResult(SubscriptionsResponse)
  @ApiErrors('UNAUTHENTICATED')
  subscriptions(@CurrentMember() member: MemberActor): Promise<SubscriptionsResponse> {
    return this.notifications.subscriptions(member.id);
  }

  @Post('subscriptions')
  @HttpCode(200)
  @MemberRoute()
  @ApiOperation({ summary: 'Record what I chose in wx.requestSubscribeMessage: each accept allows one message (一次性订阅)' })
  @ApiResult(SubscriptionsResponse)
  @ApiErrors('UNAUTHENTICATED')
  recordSubscriptions(@CurrentMember() member: MemberActor, @Body() body: RecordSubscriptionsRequest): Promise<SubscriptionsResponse> {
    return this.notifications.recordSubscriptions(member.id, body);
  }
}
