import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { WalletModule } from '../wallet/wallet.module';
import { TierEvaluationModule } from './tier-evaluation.module';
import { TierJob } from './tier.job';
import { MemberTierController, MeTierController, TiersController } from './tiers.controller';
import { TiersService } from './tiers.service';

@Module({
  imports: [TierEvaluationModule, MembersModule, WalletModule, ShiftsModule],
  controllers: [TiersController, MemberTierController, MeTierController],
  providers: [TiersService, TierJob],
  exports: [TierEvaluationModule],
})
export class TiersModule {}
