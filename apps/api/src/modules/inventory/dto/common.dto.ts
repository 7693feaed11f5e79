import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

/** Far above any quantity a store moves at once, far below an int's limit. */
export const MAX_UNITS = 1_000_000;
/** 1,000,000 yuan per unit. */
export const MAX_UNIT_COST_FEN = 100_000_000;
/** Lines per document. */
export const MAX_LINES = 500;

export class QuantityLine {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') skuId!: string;
  @ApiProperty({ example: 12, minimum: 1 }) @IsInt() @Min(1) @Max(MAX_UNITS) quantity!: number;
}

/** A quantity that may be zero (approve, ship or receive none of a line). */
export class StepLine {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') skuId!: string;
  @ApiProperty({ example: 12, minimum: 0 }) @IsInt() @Min(0) @Max(MAX_UNITS) quantity!: number;
}

export class CostedLine extends QuantityLine {
  @ApiPropertyOptional({ example: 450, description: 'Unit cost in fen; defaults as the route says' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_UNIT_COST_FEN)
  unitCostFen?: number;
}

export class NoteRequest {
  @ApiPropertyOptional({ example: '供应商缺货' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class RequiredNoteRequest {
  @ApiProperty({ example: '门店暂不需要' }) @IsString() @Length(1, 200) note!: string;
}

/** How documents name a SKU. */
export class SkuLabel {
  @ApiProperty() skuId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ nullable: true, type: String }) specName!: string | null;
  @ApiProperty({ nullable: true, type: String }) barcode!: string | null;
  @ApiProperty() unit!: string;
}
