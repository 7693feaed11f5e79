import { Module } from '@nestjs/common';
import { BackupController, ChainExportController, SystemAlertController } from './backup.controller';
import { BackupRepository } from './backup.repository';
import { BackupService } from './backup.service';
import { ChainExportRepository } from './chain-export.repository';
import { ChainExportService } from './chain-export.service';

/** Encrypted backups with retention and HQ alerts, and the whole-chain export (issue 13). */
@Module({
  controllers: [BackupController, SystemAlertController, ChainExportController],
  providers: [BackupService, BackupRepository, ChainExportService, ChainExportRepository],
  exports: [BackupService],
})
export class BackupModule {}
