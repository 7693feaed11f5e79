import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { CardsController, MemberCardsController, MemberCodesController, MyCardsController } from './cards.controller';
import { CardsRepository } from './cards.repository';
import { CardsService } from './cards.service';
import { MemberCodeService } from './member-code.service';

@Module({
  imports: [MembersModule, ShiftsModule],
  controllers: [CardsController, MemberCardsController, MemberCodesController, MyCardsController],
  providers: [CardsService, CardsRepository, MemberCodeService],
  exports: [CardsService, MemberCodeService],
})
export class CardsModule {}
