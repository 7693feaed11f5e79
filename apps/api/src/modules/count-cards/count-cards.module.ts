import { Module } from '@nestjs/common';
import { CountCardExpiryJob } from './count-card-expiry.job';
import { CountCardsController, CountCardTemplatesController, MyCountCardsController } from './count-cards.controller';
import { CountCardsRepository } from './count-cards.repository';
import { CountCardsService } from './count-cards.service';

@Module({
  controllers: [CountCardTemplatesController, CountCardsController, MyCountCardsController],
  providers: [CountCardsService, CountCardsRepository, CountCardExpiryJob],
  exports: [CountCardsService],
})
export class CountCardsModule {}
