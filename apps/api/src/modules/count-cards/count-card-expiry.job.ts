import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { JsonLogger } from '../../common/logger';
import { CountCardsService } from './count-cards.service';

/** Runs the expiry (过期) of count cards every hour; a card is refused from its end instant on anyway. */
@Injectable()
export class CountCardExpiryJob implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly cards: CountCardsService,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(
      () =>
        void this.cards
          .expireCards()
          .then((n) => n && this.logger.write('info', 'count cards expired', { count: n }))
          .catch((err) => this.logger.write('warn', 'count-card expiry failed', { err: String(err) })),
      3600_000,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
