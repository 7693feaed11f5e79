import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { MembersModule } from '../members/members.module';
import { PointsModule } from '../points/points.module';
import { ShiftsModule } from '../shifts/shifts.module';
import { MallController, MemberMallController, StoreMallController } from './mall.controller';
import { MyMallController } from './mall.member.controller';
import { MallRepository } from './mall.repository';
import { MallService } from './mall.service';

@Module({
  imports: [MembersModule, PointsModule, ShiftsModule, CatalogModule],
  controllers: [MallController, StoreMallController, MemberMallController, MyMallController],
  providers: [MallService, MallRepository],
})
export class MallModule {}
