import { Module } from '@nestjs/common';
import { StoresModule } from '../stores/stores.module';
import { SchedulesController } from './schedules.controller';
import { SchedulesRepository } from './schedules.repository';
import { SchedulesService } from './schedules.service';

/**
 * Work schedules (排班). Exports SchedulesService: bookings compute free slots from workingTime and
 * openingHours; attendance compares clock-ins with workingTime.
 */
@Module({
  imports: [StoresModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, SchedulesRepository],
  exports: [SchedulesService],
})
export class SchedulesModule {}
