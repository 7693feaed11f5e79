import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { TierEvaluationModule } from '../tiers/tier-evaluation.module';
import { WalletModule } from '../wallet/wallet.module';
import { CouponsController, CouponTemplatesController, MyCouponsController } from './coupons.controller';
import { CouponsRepository } from './coupons.repository';
import { CouponsService } from './coupons.service';

/** Coupons (优惠券). Exports CouponsService: the pricing engine reads, uses and gives back coupons through it. */
@Module({
  imports: [MembersModule, TierEvaluationModule, WalletModule],
  controllers: [CouponTemplatesController, CouponsController, MyCouponsController],
  providers: [CouponsService, CouponsRepository],
  exports: [CouponsService],
})
export class CouponsModule {}
