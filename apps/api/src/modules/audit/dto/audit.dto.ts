import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';

export class ListAuditQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') actorId?: string;
  @ApiPropertyOptional({ example: 'store' }) @IsOptional() @IsString() @Length(1, 40) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) entityId?: string;
  @ApiPropertyOptional({ example: 'store.update', description: 'Exact action, or a prefix ending in "." (e.g. "staff.")' })
  @IsOptional()
  @IsString()
  @Length(1, 60)
  action?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 instant, inclusive' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 instant, exclusive' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class AuditLogResponse {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['staff', 'member', 'system'] }) actorKind!: string;
  @ApiProperty({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty() actorName!: string;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty() action!: string;
  @ApiProperty() entityType!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ nullable: true, type: Object }) before!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: Object }) after!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
}

export class AuditLogPageResponse {
  @ApiProperty({ type: [AuditLogResponse] }) items!: AuditLogResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
