import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobScheduler } from '../../common/jobs/job-scheduler';
import { CountCardsService } from './count-cards.service';

/**
 * Registers the count-card expiry (过期) with the scheduler: hourly, once per hour across
 * instances. Cards are refused from their end instant anyway; the job writes off what they still
 * hold so that the liability report is right, and stores in other time zones are caught within the hour.
 */
@Injectable()
export class CountCardExpiryJob implements OnModuleInit {
  constructor(
    private readonly scheduler: JobScheduler,
    private readonly cards: CountCardsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: 'count-cards.expire', schedule: { everyMinutes: 60 }, run: async (now) => ({ expired: await this.cards.expireCards(now) }) });
  }
}
