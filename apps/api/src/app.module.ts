import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from './config/config';
import { CommonModule } from './common/common.module';
import type { JsonLogger } from './common/logger';
import { dataSourceOptions } from './db/data-source';
import { AuditModule } from './modules/audit/audit.module';
import { CardsModule } from './modules/cards/cards.module';
import { CatalogModule } from './modules/catalog/catalog.module';
import { AttendanceModule } from './modules/attendance/attendance.module';
import { CommissionModule } from './modules/commission/commission.module';
import { PayrollModule } from './modules/payroll/payroll.module';
import { BookingsModule } from './modules/bookings/bookings.module';
import { SchedulesModule } from './modules/schedules/schedules.module';
import { AuthModule } from './modules/auth/auth.module';
import { BackupModule } from './modules/backup/backup.module';
import { CouponsModule } from './modules/coupons/coupons.module';
import { CountCardsModule } from './modules/count-cards/count-cards.module';
import { HealthModule } from './modules/health/health.controller';
import { InventoryModule } from './modules/inventory/inventory.module';
import { LedgerModule } from './modules/ledger/ledger.module';
import { MallModule } from './modules/mall/mall.module';
import { MembersModule } from './modules/members/members.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { OrdersModule } from './modules/orders/orders.module';
import { PointsModule } from './modules/points/points.module';
import { ShiftsModule } from './modules/shifts/shifts.module';
import { PricingModule } from './modules/pricing/pricing.module';
import { PromotionsModule } from './modules/promotions/promotions.module';
import { StaffModule } from './modules/staff/staff.module';
import { StoresModule } from './modules/stores/stores.module';
import { TiersModule } from './modules/tiers/tiers.module';
import { WalletModule } from './modules/wallet/wallet.module';
import { WechatModule } from './modules/wechat/wechat.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string, logger: JsonLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl, config.dbPoolSize)),
        CommonModule.forRoot(config, logger),
        HealthModule,
        AuthModule,
        StoresModule,
        StaffModule,
        AuditModule,
        LedgerModule,
        MembersModule,
        TiersModule,
        CountCardsModule,
        WalletModule,
        PointsModule,
        MallModule,
        CardsModule,
        BackupModule,
        OrdersModule,
        CatalogModule,
        ShiftsModule,
        SchedulesModule,
        BookingsModule,
        CommissionModule,
        PayrollModule,
        AttendanceModule,
        WechatModule,
        CouponsModule,
        PromotionsModule,
        PricingModule,
        NotificationsModule,
        InventoryModule,
      ],
    };
  }
}
