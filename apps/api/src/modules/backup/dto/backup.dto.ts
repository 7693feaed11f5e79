import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';

export class BackupChecksumResponse {
  @ApiProperty({ example: 'ledger_entry', description: 'Which ledger: ledger_entry, account_balance, point_lot_move, gift_stock_movement…' }) name!: string;
  @ApiProperty({ example: 'wallet_principal', description: 'Account kind, or the ledger’s one key' }) key!: string;
  @ApiProperty({ description: 'Number of entries (rows)' }) entries!: number;
  @ApiProperty({ description: 'Sum of the amounts: fen for wallet kinds, points, uses, units of stock' }) sum!: number;
}

export class BackupSummaryResponse {
  @ApiProperty({ description: 'Newest migration of the backed-up database' }) schemaVersion!: string;
  @ApiProperty() appVersion!: string;
  @ApiProperty() tables!: number;
  @ApiProperty({ description: 'Rows in all tables' }) rows!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Rows per table' }) rowCounts!: Record<string, number>;
  @ApiProperty({ type: [BackupChecksumResponse] }) checksums!: BackupChecksumResponse[];
}

export class BackupResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['schedule', 'api', 'cli'] }) trigger!: 'schedule' | 'api' | 'cli';
  @ApiProperty({ enum: ['running', 'done', 'failed'] }) status!: 'running' | 'done' | 'failed';
  @ApiProperty({ nullable: true, type: String, example: 'chaincard-20261123T023000123Z-scheduled.ccbak' }) fileName!: string | null;
  @ApiProperty({ nullable: true, type: Number }) sizeBytes!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the encrypted file, to check a copy without the key' }) sha256!: string | null;
  @ApiProperty({ type: [String], example: ['local', 's3'] }) destinations!: string[];
  @ApiProperty({ nullable: true, type: BackupSummaryResponse }) summary!: BackupSummaryResponse | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Staff who asked for it (API backups)' }) requestedBy!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When retention removed the file' }) prunedAt!: string | null;
}

export class BackupPageResponse {
  @ApiProperty({ type: [BackupResponse] }) items!: BackupResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class BackupSettingsResponse {
  @ApiProperty({ nullable: true, type: String, example: 'daily 02:30', description: 'Scheduled backups, or null when off' }) schedule!: string | null;
  @ApiProperty({ example: { daily: 7, weekly: 4, monthly: 12 } }) keep!: { daily: number; weekly: number; monthly: number };
  @ApiProperty({ type: [String], example: ['local', 's3'] }) destinations!: string[];
}

export class ListAlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'all'], default: 'open' }) @IsOptional() @IsIn(['open', 'all']) status: 'open' | 'all' = 'open';
}

export class SystemAlertResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'backup_failed' }) kind!: string;
  @ApiProperty({ enum: ['warning', 'error'] }) severity!: 'warning' | 'error';
  @ApiProperty({ example: '数据备份失败：…' }) message!: string;
  @ApiProperty({ type: Object, nullable: true }) details!: Record<string, unknown> | null;
  @ApiProperty({ description: 'How often it happened while open' }) occurrences!: number;
  @ApiProperty() firstAt!: string;
  @ApiProperty() lastAt!: string;
  @ApiProperty({ nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) resolution!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When HQ was notified (by the notification outbox, once it exists)' }) notifiedAt!: string | null;
}

export class SystemAlertPageResponse {
  @ApiProperty({ type: [SystemAlertResponse] }) items!: SystemAlertResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ResolveAlertRequest {
  @ApiPropertyOptional({ example: '已更换备份磁盘' }) @IsOptional() @IsString() @Length(1, 200) note?: string;
}

export class ChainExportDatasetResponse {
  @ApiProperty({ example: 'members' }) name!: string;
  @ApiProperty({ example: '会员 Members' }) title!: string;
}

export class ChainExportCsvQuery {
  @ApiProperty({ example: 'members', description: 'One of GET /api/chain-export/datasets' }) @IsString() @Matches(/^[a-z][a-z0-9_]{0,62}$/) dataset!: string;
}
