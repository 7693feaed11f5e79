import { Module } from '@nestjs/common';
import { SchedulesModule } from '../schedules/schedules.module';
import { StoresModule } from '../stores/stores.module';
import { AttendanceController } from './attendance.controller';
import { AttendanceRepository } from './attendance.repository';
import { AttendanceService } from './attendance.service';

/** Attendance (考勤): compares clock-ins with SchedulesService.workingTime. */
@Module({
  imports: [StoresModule, SchedulesModule],
  controllers: [AttendanceController],
  providers: [AttendanceService, AttendanceRepository],
  exports: [AttendanceService],
})
export class AttendanceModule {}
