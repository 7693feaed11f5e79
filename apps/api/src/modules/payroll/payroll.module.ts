import { Module } from '@nestjs/common';
import { CommissionModule } from '../commission/commission.module';
import { PayrollPeriodsModule } from './payroll-periods.module';
import { PayrollController } from './payroll.controller';
import { PayrollRepository } from './payroll.repository';
import { PayrollService } from './payroll.service';

/** Wages (工资): reads commission per month from CommissionService; months from PayrollPeriodsModule. */
@Module({
  imports: [CommissionModule, PayrollPeriodsModule],
  controllers: [PayrollController],
  providers: [PayrollService, PayrollRepository],
})
export class PayrollModule {}
