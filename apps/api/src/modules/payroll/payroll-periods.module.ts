import { Module } from '@nestjs/common';
import { PayrollPeriodsRepository } from './payroll-periods.repository';
import { PayrollPeriodsService } from './payroll-periods.service';

/** Payroll months, apart from wages so that commission can book into them without a module cycle. */
@Module({
  providers: [PayrollPeriodsService, PayrollPeriodsRepository],
  exports: [PayrollPeriodsService, PayrollPeriodsRepository],
})
export class PayrollPeriodsModule {}
