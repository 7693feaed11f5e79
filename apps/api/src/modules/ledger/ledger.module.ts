import { Global, Module } from '@nestjs/common';
import { ReconcileController } from './ledger.controller';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { ReconcileService } from './reconcile.service';

/** Global: wallet, points and count cards all post through the one LedgerService. */
@Global()
@Module({
  controllers: [ReconcileController],
  providers: [LedgerService, LedgerRepository, ReconcileService],
  exports: [LedgerService, ReconcileService],
})
export class LedgerModule {}
