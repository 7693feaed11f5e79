import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { JsonLogger } from '../../common/logger';
import { PointsService } from './points.service';

/**
 * Runs the expiry job every hour, so that a year's points lapse within the hour after midnight of
 * 1 January (chain time zone). The job is idempotent; several API processes may run it at once.
 */
@Injectable()
export class PointsExpiryScheduler implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly points: PointsService,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.points
        .expirePoints()
        .then((r) => r.lots && this.logger.write('info', 'points expired', { ...r }))
        .catch((err) => this.logger.write('warn', 'points expiry failed', { err: String(err) }));
    }, 3600_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
