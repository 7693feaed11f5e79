import { Module } from '@nestjs/common';
import { MeController, MemberAttributesController, MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { MemberPayPasswordController, MyPayPasswordController } from './pay-password.controller';
import { PayPasswordRepository } from './pay-password.repository';
import { PayPasswordService } from './pay-password.service';

@Module({
  controllers: [MembersController, MemberAttributesController, MeController, MyPayPasswordController, MemberPayPasswordController],
  providers: [MembersService, MembersRepository, PayPasswordService, PayPasswordRepository],
  exports: [MembersService],
})
export class MembersModule {}
