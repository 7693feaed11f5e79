import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import { PointsService } from './points.service';

/**
 * Registers the expiry run with the shared scheduler, hourly, so that a year's points lapse within
 * the hour after midnight of 1 January (chain time zone). The run itself is idempotent.
 */
@Injectable()
export class PointsExpiryScheduler implements OnModuleInit {
  constructor(
    private readonly points: PointsService,
    private readonly scheduler: JobScheduler,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'points.expire', schedule: { everyMinutes: 60 }, run: (now) => this.points.expirePoints(now) });
  }
}
