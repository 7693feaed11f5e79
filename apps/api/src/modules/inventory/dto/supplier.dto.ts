import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { SUPPLIER_STATUSES, type SupplierStatus } from '../entities/supplier.entity';

export const SUPPLIER_CODE_FORMAT = /^[A-Za-z0-9_.-]{1,40}$/;

export class CreateSupplierRequest {
  @ApiProperty({ example: 'SUP001', description: 'Unique code (letters, digits, _ . -)' }) @Matches(SUPPLIER_CODE_FORMAT) code!: string;
  @ApiProperty({ example: '上海鲜饮供应链有限公司' }) @IsString() @Length(1, 60) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '周经理' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 30) contactName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '021-55550000' }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(/^[0-9+\- ]{5,20}$/) phone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 120) address?: string | null;
  @ApiPropertyOptional({ default: 3, description: 'Days from ordering to goods at the store (replenishment plans with it)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  leadTimeDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class UpdateSupplierRequest {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 60) name?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 30) contactName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(/^[0-9+\- ]{5,20}$/) phone?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 120) address?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) leadTimeDays?: number;
  @ApiPropertyOptional({ enum: SUPPLIER_STATUSES }) @IsOptional() @IsIn(SUPPLIER_STATUSES) status?: SupplierStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class ListSuppliersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Code or name containing this' }) @IsOptional() @IsString() @Length(1, 60) q?: string;
  @ApiPropertyOptional({ enum: SUPPLIER_STATUSES }) @IsOptional() @IsIn(SUPPLIER_STATUSES) status?: SupplierStatus;
}

export class SupplierResponse {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) contactName!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty() leadTimeDays!: number;
  @ApiProperty({ enum: SUPPLIER_STATUSES }) status!: SupplierStatus;
  @ApiProperty() note!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class SupplierPageResponse {
  @ApiProperty({ type: [SupplierResponse] }) items!: SupplierResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class InventorySettingsResponse {
  @ApiProperty({ description: 'Other inbound (其他入库) waits for an approval before it moves stock' }) inboundNeedsApproval!: boolean;
  @ApiProperty({ description: 'Other outbound (其他出库: 报损, 领用, 赠送, …) waits for an approval before it moves stock' }) outboundNeedsApproval!: boolean;
  @ApiProperty() updatedAt!: string;
}

export class UpdateInventorySettingsRequest {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() inboundNeedsApproval?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() outboundNeedsApproval?: boolean;
}
