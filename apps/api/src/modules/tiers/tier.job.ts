import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import { TierEvaluationService } from './tier-evaluation.service';

export const TIER_JOB = 'tiers.evaluate-all';

/**
 * The daily tier run (upgrades, downgrades, expiry of bought tiers) at 03:00 chain time, once
 * per business day across instances through the shared JobScheduler.
 */
@Injectable()
export class TierJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly evaluation: TierEvaluationService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: TIER_JOB, schedule: { daily: '03:00' }, run: (now) => this.evaluation.evaluateAll(now) });
  }
}
