import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { CouponsModule } from '../coupons/coupons.module';
import { MembersModule } from '../members/members.module';
import { PointsModule } from '../points/points.module';
import { PromotionsModule } from '../promotions/promotions.module';
import { TierEvaluationModule } from '../tiers/tier-evaluation.module';
import { PricingController } from './pricing.controller';
import { PricingRepository } from './pricing.repository';
import { PricingService } from './pricing.service';

/** The pricing engine (计价). Exports PricingService: orders quote, commit and release through it. */
@Module({
  imports: [CatalogModule, CouponsModule, PromotionsModule, MembersModule, TierEvaluationModule, PointsModule],
  controllers: [PricingController],
  providers: [PricingService, PricingRepository],
  exports: [PricingService],
})
export class PricingModule {}
