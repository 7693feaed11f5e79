import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { BARCODE_FORMAT } from '../../catalog/dto/catalog.dto';
import { PageQuery } from '../../../common/http/pagination';
import { STOCKTAKE_SCOPES, STOCKTAKE_STATUSES, UNCOUNTED_RULES, type StocktakeScope, type StocktakeStatus, type UncountedRule } from '../entities/stocktake.entity';
import { MAX_UNITS, SkuLabel, StepLine } from './common.dto';

export class StartStocktakeRequest {
  @ApiProperty({ enum: STOCKTAKE_SCOPES, description: 'full: every item that keeps stock; categories: those in the given categories and below' })
  @IsIn(STOCKTAKE_SCOPES)
  scope!: StocktakeScope;
  @ApiPropertyOptional({ type: [String], description: 'Required for scope categories' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('4', { each: true })
  categoryIds?: string[];
  @ApiPropertyOptional({ example: '月末盘点' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class SetCountsRequest {
  @ApiProperty({ type: [StepLine], description: 'The counted quantity of each item (replaces an earlier count)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => StepLine)
  lines!: StepLine[];
}

export class ScanInput {
  @ApiProperty({ example: '6921168509256' }) @Matches(BARCODE_FORMAT, { message: 'barcode must be 4–32 letters, digits or dashes' }) barcode!: string;
  @ApiPropertyOptional({ default: 1, description: 'Units for this scan (a case counts several)' }) @IsOptional() @IsInt() @Min(1) @Max(MAX_UNITS) quantity?: number;
}

export class ScanBatchRequest {
  @ApiProperty({ type: [ScanInput], description: 'A batch of scans from a handheld: each adds to its item’s count. One unknown or out-of-scope barcode refuses the whole batch.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ScanInput)
  scans!: ScanInput[];
}

export class PostStocktakeRequest {
  @ApiProperty({ enum: UNCOUNTED_RULES, description: 'Lines nobody counted: ignore (leave their stock) or zero (none found: all of it is a loss)' })
  @IsIn(UNCOUNTED_RULES)
  uncounted!: UncountedRule;
}

export const STOCKTAKE_LINE_FILTERS = ['all', 'counted', 'uncounted', 'variance'] as const;

export class StocktakeLinesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STOCKTAKE_LINE_FILTERS, default: 'all', description: 'variance: counted lines whose count differs from expected' })
  @IsOptional()
  @IsIn(STOCKTAKE_LINE_FILTERS)
  filter?: (typeof STOCKTAKE_LINE_FILTERS)[number];
}

export class ListStocktakesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STOCKTAKE_STATUSES }) @IsOptional() @IsIn(STOCKTAKE_STATUSES) status?: StocktakeStatus;
}

export class StocktakeLineResponse extends SkuLabel {
  @ApiProperty({ description: 'Ledger quantity at the snapshot' }) snapshotQuantity!: number;
  @ApiProperty({ nullable: true, type: Number }) countedQuantity!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Ledger quantity when last counted: snapshot + movements since, up to the count' }) expectedQuantity!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Movements between the snapshot and the count (sales, receipts, …)' }) movedSinceSnapshot!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'counted − expected' }) varianceQuantity!: number | null;
  @ApiProperty({ description: 'Unit cost the variance is valued at (the average at posting, else now)' }) unitCostFen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'variance × unit cost' }) varianceValueFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) countedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The adjustment posted through the stock ledger' }) postedDelta!: number | null;
}

export class StocktakeLinePageResponse {
  @ApiProperty({ type: [StocktakeLineResponse] }) items!: StocktakeLineResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class StocktakeTotals {
  @ApiProperty() lines!: number;
  @ApiProperty() countedLines!: number;
  @ApiProperty() gainQuantity!: number;
  @ApiProperty() gainValueFen!: number;
  @ApiProperty({ description: 'A positive number of units missing' }) lossQuantity!: number;
  @ApiProperty({ description: 'A positive value at cost of what is missing' }) lossValueFen!: number;
  @ApiProperty({ description: 'gain − loss value' }) netValueFen!: number;
  @ApiProperty({ description: 'Value at cost of the snapshot' }) snapshotValueFen!: number;
}

export class StocktakeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() no!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ enum: STOCKTAKE_SCOPES }) scope!: StocktakeScope;
  @ApiProperty({ type: [String] }) categoryIds!: string[];
  @ApiProperty({ enum: STOCKTAKE_STATUSES }) status!: StocktakeStatus;
  @ApiProperty() note!: string;
  @ApiProperty({ enum: UNCOUNTED_RULES, nullable: true }) uncounted!: UncountedRule | null;
  @ApiProperty({ type: StocktakeTotals, description: 'The variance report’s totals (at cost)' }) totals!: StocktakeTotals;
  @ApiProperty({ nullable: true, type: String }) startedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({ description: 'The snapshot’s time' }) createdAt!: string;
}

export class StocktakePageResponse {
  @ApiProperty({ type: [StocktakeResponse] }) items!: StocktakeResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class CountResultResponse {
  @ApiProperty({ type: [StocktakeLineResponse], description: 'The lines as counted now' }) lines!: StocktakeLineResponse[];
}
