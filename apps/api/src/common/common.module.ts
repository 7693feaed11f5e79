import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AccessGuard } from './access/access.guard';
import { AccessRepository } from './access/access.repository';
import { AuditService } from './audit/audit.service';
import { ActorRepository } from './auth/actor.repository';
import { TransactionHost } from './db/transaction-host';
import { ErrorFilter } from './errors/error.filter';
import { IdempotencyInterceptor, IdempotencySweeper } from './idempotency/idempotency.interceptor';
import { JobScheduler } from './jobs/job-scheduler';
import type { JsonLogger } from './logger';

/** Cross-cutting services every capability uses: config, transactions, access, audit, idempotency. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: AppConfig, logger: JsonLogger): DynamicModule {
    return {
      module: CommonModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: 'LOGGER', useValue: logger },
        TransactionHost,
        AccessRepository,
        ActorRepository,
        AuditService,
        IdempotencySweeper,
        JobScheduler,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useFactory: () => new ErrorFilter(logger) },
      ],
      exports: [APP_CONFIG, 'LOGGER', TransactionHost, AccessRepository, ActorRepository, AuditService, IdempotencySweeper, JobScheduler],
    };
  }
}
