import { Injectable } from '@nestjs/common';
import { monthOfDay, nextMonth } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { PayrollPeriodsRepository } from './payroll-periods.repository';

/**
 * Payroll months as other capabilities see them. Whatever is booked into a month (commission,
 * adjustments) takes the month row FOR SHARE until its transaction ends; closing a month takes it
 * FOR UPDATE, so the close waits for every booking in flight and no booking lands after it.
 */
@Injectable()
export class PayrollPeriodsService {
  constructor(private readonly repo: PayrollPeriodsRepository) {}

  /**
   * The month an event of the given business day is booked into: its own month while open, else
   * the first open month after it (commission earned after HQ closed a month early is paid with the
   * next one; a reversal of a closed month's commission lands in the current month).
   */
  async openMonthFor(m: EntityManager, day: string): Promise<string> {
    let month = monthOfDay(day);
    for (;;) {
      await this.repo.ensure(m, month);
      if ((await this.repo.lock(m, month, 'share')) === 'open') return month;
      month = nextMonth(month);
    }
  }

  /** PAYROLL_MONTH_CLOSED unless the month is open; share-locks it like a booking into it. */
  async assertOpen(m: EntityManager, month: string): Promise<void> {
    await this.repo.ensure(m, month);
    if ((await this.repo.lock(m, month, 'share')) !== 'open') throw new AppError('PAYROLL_MONTH_CLOSED', { month });
  }
}
