import { Module } from '@nestjs/common';
import { PromotionsController } from './promotions.controller';
import { PromotionsRepository } from './promotions.repository';
import { PromotionsService } from './promotions.service';

/** Promotions (促销). Exports PromotionsService: the pricing engine reads them and takes flash-sale stock through it. */
@Module({
  controllers: [PromotionsController],
  providers: [PromotionsService, PromotionsRepository],
  exports: [PromotionsService],
})
export class PromotionsModule {}
