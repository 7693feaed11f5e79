import { Module } from '@nestjs/common';
import { StoresModule } from '../stores/stores.module';
import { ShiftsController } from './shifts.controller';
import { ShiftsRepository } from './shifts.repository';
import { ShiftsService } from './shifts.service';

/**
 * Shifts (交班). Exports ShiftsService: every use case that takes money at the counter (top-ups,
 * card and tier sales, checkout) calls requireOpenShift and recordTakings in its transaction.
 */
@Module({
  imports: [StoresModule],
  controllers: [ShiftsController],
  providers: [ShiftsService, ShiftsRepository],
  exports: [ShiftsService],
})
export class ShiftsModule {}
