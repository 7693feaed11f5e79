import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { IMPORT_STATUSES, type ImportStatus } from '../import/member-import.entity';
import { MemberResponse } from './member.dto';

export class ImportUploadQuery {
  @ApiPropertyOptional({ description: 'Home store of rows without a store code; defaults to the caller’s store' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '老系统会员.xlsx' }) @IsOptional() @IsString() @Length(1, 120) fileName?: string;
}

export class MemberImportResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format!: 'csv' | 'xlsx';
  @ApiProperty() fileName!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ enum: IMPORT_STATUSES }) status!: ImportStatus;
  @ApiProperty({ nullable: true, type: Number, description: 'Known once the file has been counted' }) rowsTotal!: number | null;
  @ApiProperty() rowsDone!: number;
  @ApiProperty() rowsImported!: number;
  @ApiProperty() rowsFailed!: number;
  @ApiProperty({ description: '0–100' }) progressPercent!: number;
  @ApiProperty({ nullable: true, type: String }) failure!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
}

export class MemberImportPageResponse {
  @ApiProperty({ type: [MemberImportResponse] }) items!: MemberImportResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ImportRowErrorDetail {
  @ApiProperty() field!: string;
  @ApiProperty() message!: string;
}

export class ImportRowError {
  @ApiProperty({ description: 'Line in the file (the header is line 1)' }) line!: number;
  @ApiProperty({ type: [ImportRowErrorDetail] }) errors!: ImportRowErrorDetail[];
}

export class ImportErrorPageResponse {
  @ApiProperty({ type: [ImportRowError] }) items!: ImportRowError[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class MergeMembersRequest {
  @ApiProperty({ description: 'The duplicate, folded into the member in the path' }) @IsUUID('4') duplicateMemberId!: string;
  @ApiProperty({ example: '同一人两次办卡' }) @IsString() @Length(2, 200) reason!: string;
}

export class MergeMembersResponse {
  @ApiProperty() survivorId!: string;
  @ApiProperty({ type: Object, description: 'Balance moved per account kind' }) moved!: Record<string, number>;
}

export class AnonymiseRequest {
  @ApiProperty({ example: '会员申请注销' }) @IsString() @Length(2, 200) reason!: string;
  @ApiPropertyOptional({ description: 'Confirm forfeiting remaining bonus and points (principal must be refunded first)' })
  @IsOptional()
  @IsBoolean()
  forfeitBonusAndPoints?: boolean;
}

export class MyDeletionRequest {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() forfeitBonusAndPoints?: boolean;
}

export class AnonymiseResponse {
  @ApiProperty() memberId!: string;
  @ApiProperty({ type: Object }) forfeited!: Record<string, number>;
}

export class PersonalDataResponse {
  @ApiProperty() exportedAt!: string;
  @ApiProperty({ type: MemberResponse }) profile!: MemberResponse;
  @ApiProperty({ type: [Object] }) balances!: { kind: string; refId: string | null; balance: number }[];
  @ApiProperty({ type: [Object] }) ledger!: object[];
  @ApiProperty({ type: Object, description: 'Rows of other capabilities that reference the member' }) related!: Record<string, unknown[]>;
}

export class ListImportsQuery extends PageQuery {}
