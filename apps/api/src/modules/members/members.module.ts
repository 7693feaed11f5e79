import { Module } from '@nestjs/common';
import { MemberDataController, MyDataController } from './member-data.controller';
import { MemberDataRepository } from './member-data.repository';
import { MemberDataService } from './member-data.service';
import { MemberImportRepository } from './import/member-import.repository';
import { MemberImportService } from './import/member-import.service';
import { TierEvaluationModule } from '../tiers/tier-evaluation.module';
import { MeController, MemberAttributesController, MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { MemberPayPasswordController, MyPayPasswordController } from './pay-password.controller';
import { PayPasswordRepository } from './pay-password.repository';
import { PayPasswordService } from './pay-password.service';

@Module({
  // MemberDataController first: its literal paths (imports, export.xlsx) must win over :memberId.
  imports: [TierEvaluationModule],
  controllers: [MemberDataController, MembersController, MemberAttributesController, MeController, MyDataController, MyPayPasswordController, MemberPayPasswordController],
  providers: [
    MembersService,
    MembersRepository,
    MemberDataService,
    MemberDataRepository,
    MemberImportService,
    MemberImportRepository,
    PayPasswordService,
    PayPasswordRepository,
  ],
  exports: [MembersService, MemberDataService],
})
export class MembersModule {}
