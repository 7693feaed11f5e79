import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { StoresModule } from '../stores/stores.module';
import { TierEvaluationModule } from '../tiers/tier-evaluation.module';
import { MemberWalletController, MyWalletController, WalletController } from './wallet.controller';
import { WalletRepository } from './wallet.repository';
import { WalletService } from './wallet.service';

/** Stored value (储值). Exports WalletService: checkout, card sales and WeChat Pay call topUp/spend/reverseSpend. */
@Module({
  imports: [MembersModule, StoresModule, TierEvaluationModule, ShiftsModule],
  controllers: [WalletController, MemberWalletController, MyWalletController],
  providers: [WalletService, WalletRepository],
  exports: [WalletService],
})
export class WalletModule {}
