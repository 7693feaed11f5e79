import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { CardsModule } from '../cards/cards.module';
import { CatalogModule } from '../catalog/catalog.module';
import { CountCardsModule } from '../count-cards/count-cards.module';
import { PayrollPeriodsModule } from '../payroll/payroll-periods.module';
import { StoresModule } from '../stores/stores.module';
import { WalletModule } from '../wallet/wallet.module';
import { CommissionController } from './commission.controller';
import { CommissionRepository } from './commission.repository';
import { CommissionService } from './commission.service';

/**
 * Commission (提成). Exports CommissionService: checkout calls onOrderCompleted / onOrderRefunded
 * in its transaction; wages read totalsByStaff. Top-ups, count-card sales and card issues reach it
 * through the observers it registers with those capabilities, which never import it.
 */
@Module({
  imports: [StoresModule, CatalogModule, CountCardsModule, CardsModule, WalletModule, BookingsModule, PayrollPeriodsModule],
  controllers: [CommissionController],
  providers: [CommissionService, CommissionRepository],
  exports: [CommissionService],
})
export class CommissionModule {}
