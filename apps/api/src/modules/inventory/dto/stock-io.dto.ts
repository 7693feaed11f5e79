import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { STOCK_IO_DIRECTIONS, STOCK_IO_REASONS, STOCK_IO_STATUSES, type StockIoDirection, type StockIoReason, type StockIoStatus } from '../entities/stock-io.entity';
import { CostedLine, MAX_LINES, SkuLabel } from './common.dto';

export class CreateStockIoRequest {
  @ApiProperty({ enum: STOCK_IO_DIRECTIONS, description: 'in: 其他入库; out: 其他出库' }) @IsIn(STOCK_IO_DIRECTIONS) direction!: StockIoDirection;
  @ApiProperty({ enum: STOCK_IO_REASONS, description: 'damage (报损) and internal_use (领用) go out only; gift (赠送/赠品), adjustment and other either way' })
  @IsIn(STOCK_IO_REASONS)
  reason!: StockIoReason;
  @ApiPropertyOptional({ example: '运输途中压坏' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
  @ApiProperty({ type: [CostedLine], description: 'unitCostFen only for inbound goods with a cost of their own (else they enter at the average cost)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => CostedLine)
  lines!: CostedLine[];
}

export class ListStockIosQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STOCK_IO_STATUSES }) @IsOptional() @IsIn(STOCK_IO_STATUSES) status?: StockIoStatus;
  @ApiPropertyOptional({ enum: STOCK_IO_DIRECTIONS }) @IsOptional() @IsIn(STOCK_IO_DIRECTIONS) direction?: StockIoDirection;
}

export class StockIoLineResponse extends SkuLabel {
  @ApiProperty() quantity!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Stated unit cost (inbound); null: at the average' }) unitCostFen!: number | null;
}

export class StockIoResponse {
  @ApiProperty() id!: string;
  @ApiProperty() no!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ enum: STOCK_IO_DIRECTIONS }) direction!: StockIoDirection;
  @ApiProperty({ enum: STOCK_IO_REASONS }) reason!: StockIoReason;
  @ApiProperty() note!: string;
  @ApiProperty({ enum: STOCK_IO_STATUSES, description: 'pending (waits for approval), posted (stock moved), rejected, cancelled' }) status!: StockIoStatus;
  @ApiProperty({ type: [StockIoLineResponse] }) lines!: StockIoLineResponse[];
  @ApiProperty({ nullable: true, type: Number, description: 'Value at cost of what moved (once posted)' }) valueFen!: number | null;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt!: string | null;
  @ApiProperty() decisionNote!: string;
  @ApiProperty({ nullable: true, type: String }) postedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class StockIoPageResponse {
  @ApiProperty({ type: [StockIoResponse] }) items!: StockIoResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
