import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { businessDay } from '@chaincard/shared';
import type { JsonLogger } from '../../common/logger';
import { TransactionHost } from '../../common/db/transaction-host';
import { TierEvaluationService } from './tier-evaluation.service';
import { TiersRepository } from './tiers.repository';

/**
 * Runs TierEvaluationService.evaluateAll once per business day (Asia/Shanghai). Every instance
 * checks hourly; the first to claim the day in tier_job_state runs it, the others skip.
 */
@Injectable()
export class TierJob implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly tx: TransactionHost,
    private readonly tiers: TiersRepository,
    private readonly evaluation: TierEvaluationService,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.tick().catch((err) => this.logger.write('warn', 'tier job failed', { err: String(err) })), 3600_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs today's evaluation unless it already ran; returns null when it was not this instance's turn. */
  async tick(now = new Date()) {
    const claimed = await this.tx.run((m) => this.tiers.claimJobDay(m, businessDay(now)));
    if (!claimed) return null;
    const result = await this.evaluation.evaluateAll(now);
    this.logger.write('info', 'tier job done', { ...result });
    return result;
  }
}
