import { Module } from '@nestjs/common';
import { CardsModule } from '../cards/cards.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CountCardsModule } from '../count-cards/count-cards.module';
import { LedgerModule } from '../ledger/ledger.module';
import { MembersModule } from '../members/members.module';
import { PointsModule } from '../points/points.module';
import { PricingModule } from '../pricing/pricing.module';
import { StaffModule } from '../staff/staff.module';
import { StoresModule } from '../stores/stores.module';
import { TierEvaluationModule } from '../tiers/tier-evaluation.module';
import { WalletModule } from '../wallet/wallet.module';
import { CheckoutService } from './checkout.service';
import { ShiftsModule } from '../shifts/shifts.module';
import { MyOrdersController, OrdersController, OrderSettingsController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';
import { RefundsService } from './refunds.service';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

/**
 * Checkout (收银): orders, payments, refunds, open tickets and parked sales. It orchestrates the
 * catalog, pricing, shifts, wallet, points, count cards and tiers; none of those imports it.
 * Exports OrdersService for the WeChat Pay capability (completeExternalPayment / failExternalPayment).
 */
@Module({
  imports: [CatalogModule, PricingModule, ShiftsModule, MembersModule, StaffModule, StoresModule, LedgerModule, WalletModule, PointsModule, CountCardsModule, TierEvaluationModule, CardsModule],
  controllers: [OrdersController, OrderSettingsController, MyOrdersController, TicketsController],
  providers: [OrdersRepository, CheckoutService, RefundsService, OrdersService, TicketsService],
  exports: [OrdersService],
})
export class OrdersModule {}
