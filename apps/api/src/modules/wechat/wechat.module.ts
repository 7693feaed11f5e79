import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AuthModule } from '../auth/auth.module';
import { MembersModule } from '../members/members.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { WalletModule } from '../wallet/wallet.module';
import { StoreWechatController, MyWechatController, WechatAuthController } from './wechat-login.controller';
import { WechatLoginService } from './wechat-login.service';
import { WECHAT_MP_GATEWAY, WechatMiniProgramClient } from './wechat-mp.client';
import { CounterWechatTopUpController, MyOrderWechatPayController, MyWechatTopUpController, OrderWechatController, WechatNotifyController, WechatPayController } from './wechat-pay.controller';
import { WECHAT_PAY_GATEWAY } from './wechat-pay.gateway';
import { WechatPayService } from './wechat-pay.service';
import { WechatReconcileService } from './wechat-reconcile.service';
import { WechatPayV3Client } from './wechatpay-v3.client';
import { WechatRepository } from './wechat.repository';

/**
 * WeChat (微信): mini-program sign-in and WeChat Pay, as adapters behind two interfaces
 * (WechatMiniProgramGateway, WechatPayGateway) built from the configuration. Unconfigured, the
 * gateways are null and the routes answer WECHAT_NOT_CONFIGURED. Orders' WeChat parts complete and
 * fail through OrdersService, and its refunds send WeChat parts back through us (registered at start).
 */
@Module({
  imports: [AuthModule, MembersModule, WalletModule, ShiftsModule, NotificationsModule, OrdersModule],
  controllers: [WechatAuthController, MyWechatController, StoreWechatController, WechatNotifyController, MyWechatTopUpController, CounterWechatTopUpController, MyOrderWechatPayController, OrderWechatController, WechatPayController],
  providers: [
    WechatRepository,
    WechatLoginService,
    WechatPayService,
    WechatReconcileService,
    { provide: WECHAT_PAY_GATEWAY, inject: [APP_CONFIG], useFactory: (config: AppConfig) => (config.wechat.pay ? new WechatPayV3Client(config.wechat.pay) : null) },
    { provide: WECHAT_MP_GATEWAY, inject: [APP_CONFIG], useFactory: (config: AppConfig) => (config.wechat.miniProgram ? new WechatMiniProgramClient(config.wechat.miniProgram) : null) },
  ],
  exports: [WechatPayService],
})
export class WechatModule {}
