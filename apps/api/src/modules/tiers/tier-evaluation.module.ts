import { Module } from '@nestjs/common';
import { TierEvaluationService } from './tier-evaluation.service';
import { TiersRepository } from './tiers.repository';

/**
 * The part of tiers that other capabilities call (members at sign-up; wallet, points and orders
 * after activity). Kept apart from TiersModule, which needs MembersService for payment passwords,
 * so that MembersModule can import this one without a cycle.
 */
@Module({
  providers: [TierEvaluationService, TiersRepository],
  exports: [TierEvaluationService, TiersRepository],
})
export class TierEvaluationModule {}
