import { Module } from '@nestjs/common';
import { MeController, MemberAttributesController, MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

@Module({
  controllers: [MembersController, MemberAttributesController, MeController],
  providers: [MembersService, MembersRepository],
  exports: [MembersService],
})
export class MembersModule {}
