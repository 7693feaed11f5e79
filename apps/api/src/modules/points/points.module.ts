import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { MemberPointsController, MyPointsController, PointsSettingsController } from './points.controller';
import { PointsExpiryScheduler } from './points-expiry.scheduler';
import { PointsRepository } from './points.repository';
import { PointsService } from './points.service';

@Module({
  imports: [MembersModule],
  controllers: [PointsSettingsController, MemberPointsController, MyPointsController],
  providers: [PointsService, PointsRepository, PointsExpiryScheduler],
  exports: [PointsService],
})
export class PointsModule {}
