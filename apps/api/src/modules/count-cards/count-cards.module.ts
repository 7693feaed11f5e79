import { Module } from '@nestjs/common';
import { ShiftsModule } from '../shifts/shifts.module';
import { WalletModule } from '../wallet/wallet.module';
import { CountCardExpiryJob } from './count-card-expiry.job';
import { CountCardsController, CountCardTemplatesController, MyCountCardsController } from './count-cards.controller';
import { CountCardsRepository } from './count-cards.repository';
import { CountCardsService } from './count-cards.service';

@Module({
  imports: [WalletModule, ShiftsModule],
  controllers: [CountCardTemplatesController, CountCardsController, MyCountCardsController],
  providers: [CountCardsService, CountCardsRepository, CountCardExpiryJob],
  exports: [CountCardsService],
})
export class CountCardsModule {}
