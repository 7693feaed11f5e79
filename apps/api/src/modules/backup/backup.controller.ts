import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { StaffActor } from '../../common/auth/actor';
import { CurrentStaff, RequireChainScope, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { PageQuery, pageOf } from '../../common/http/pagination';
import { BackupService } from './backup.service';
import { ChainExportService } from './chain-export.service';
import {
  BackupPageResponse,
  BackupResponse,
  BackupSettingsResponse,
  ChainExportCsvQuery,
  ChainExportDatasetResponse,
  ListAlertsQuery,
  ResolveAlertRequest,
  SystemAlertPageResponse,
  SystemAlertResponse,
} from './dto/backup.dto';

/** A streamed file as the success response, so that clients know it is bytes, not JSON. */
const ApiFile = (mime: string, description: string) => ApiResponse({ status: 200, description, content: { [mime]: { schema: { type: 'string', format: 'binary' } } } });

@ApiTags('backups')
@Controller('backups')
@RequirePermissions('backup.manage')
@RequireChainScope()
export class BackupController {
  constructor(private readonly backups: BackupService) {}

  @Post()
  @ApiOperation({ summary: 'Back up the whole database now: encrypted, to the backup folder and S3 when configured (HQ, 立即备份)' })
  @ApiResult(BackupResponse, 201)
  @ApiErrors('FORBIDDEN', 'BACKUP_IN_PROGRESS', 'BACKUP_FAILED')
  create(@CurrentStaff() actor: StaffActor): Promise<BackupResponse> {
    return this.backups.runNow(actor);
  }

  @Get()
  @ApiOperation({ summary: 'Backups, newest first: scheduled, from the API and from the command line, with their manifests (HQ)' })
  @ApiResult(BackupPageResponse)
  @ApiErrors('FORBIDDEN')
  async list(@Query() q: PageQuery): Promise<BackupPageResponse> {
    const [items, total] = await this.backups.list((q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(items, total, q);
  }

  @Get('settings')
  @ApiOperation({ summary: 'When backups run, how many are kept, and where they go (from the configuration)' })
  @ApiResult(BackupSettingsResponse)
  @ApiErrors('FORBIDDEN')
  settings(): BackupSettingsResponse {
    return this.backups.settings();
  }

  @Get(':backupId')
  @ApiOperation({ summary: 'One backup with its manifest: row counts per table and ledger checksums' })
  @ApiResult(BackupResponse)
  @ApiErrors('BACKUP_NOT_FOUND')
  get(@Param('backupId') backupId: string): Promise<BackupResponse> {
    return this.backups.get(backupId);
  }

  @Get(':backupId/file')
  @ApiOperation({ summary: 'Download the encrypted backup file (useless without BACKUP_KEY); audited' })
  @ApiFile('application/octet-stream', 'The encrypted backup file (.ccbak)')
  @ApiErrors('BACKUP_NOT_FOUND', 'BACKUP_FILE_MISSING')
  download(@Param('backupId') backupId: string, @Res() res: Response): Promise<void> {
    return this.backups.download(backupId, res);
  }
}

@ApiTags('backups')
@Controller('system-alerts')
@RequirePermissions('backup.manage')
@RequireChainScope()
export class SystemAlertController {
  constructor(private readonly backups: BackupService) {}

  @Get()
  @ApiOperation({ summary: 'System alerts for HQ, e.g. a failed backup (系统告警); open ones by default' })
  @ApiResult(SystemAlertPageResponse)
  @ApiErrors('FORBIDDEN')
  async list(@Query() q: ListAlertsQuery): Promise<SystemAlertPageResponse> {
    const [items, total] = await this.backups.alerts(q.status === 'open', (q.page - 1) * q.pageSize, q.pageSize);
    return pageOf(items, total, q);
  }

  @Post(':alertId/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an alert as handled (a later successful backup also resolves a backup alert)' })
  @ApiResult(SystemAlertResponse)
  @ApiErrors('SYSTEM_ALERT_NOT_FOUND')
  resolve(@CurrentStaff() actor: StaffActor, @Param('alertId') alertId: string, @Body() body: ResolveAlertRequest): Promise<SystemAlertResponse> {
    return this.backups.resolveAlert(actor, alertId, body.note);
  }
}

@ApiTags('backups')
@Controller('chain-export')
@RequirePermissions('data.export')
@RequireChainScope()
export class ChainExportController {
  constructor(private readonly exports: ChainExportService) {}

  @Get('datasets')
  @ApiOperation({ summary: 'Datasets of the whole-chain export: members, cards, balances, ledger, count cards, orders (when they exist)' })
  @ApiResult([ChainExportDatasetResponse])
  @ApiErrors('FORBIDDEN')
  datasets(): Promise<ChainExportDatasetResponse[]> {
    return this.exports.datasets();
  }

  @Get('xlsx')
  @ApiOperation({ summary: 'The whole chain as one XLSX, a sheet per dataset, streamed from one snapshot (HQ, 整体导出); audited' })
  @ApiFile('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'One sheet per dataset')
  @ApiErrors('FORBIDDEN')
  async xlsx(@Res() res: Response): Promise<void> {
    await this.exports.recordExport({ format: 'xlsx' });
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="chaincard-export-${new Date().toISOString().slice(0, 10)}.xlsx"`);
    await this.exports.writeXlsx(res);
  }

  @Get('csv')
  @ApiOperation({ summary: 'One dataset of the whole-chain export as CSV (UTF-8 with BOM), streamed (HQ); audited' })
  @ApiFile('text/csv', 'UTF-8 with a byte-order mark; money columns in fen')
  @ApiErrors('FORBIDDEN', 'CHAIN_EXPORT_DATASET_UNKNOWN')
  async csv(@Query() q: ChainExportCsvQuery, @Res() res: Response): Promise<void> {
    await this.exports.prepareCsv(q.dataset);
    await this.exports.recordExport({ format: 'csv', dataset: q.dataset });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="chaincard-${q.dataset}-${new Date().toISOString().slice(0, 10)}.csv"`);
    await this.exports.writeCsv(q.dataset, res);
  }
}
