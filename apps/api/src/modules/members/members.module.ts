import { Module } from '@nestjs/common';
import { TierEvaluationModule } from '../tiers/tier-evaluation.module';
import { MeController, MemberAttributesController, MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

@Module({
  imports: [TierEvaluationModule],
  controllers: [MembersController, MemberAttributesController, MeController],
  providers: [MembersService, MembersRepository],
  exports: [MembersService],
})
export class MembersModule {}
