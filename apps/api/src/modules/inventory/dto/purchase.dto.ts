import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from '../entities/purchase.entity';
import { CostedLine, MAX_LINES, MAX_UNIT_COST_FEN, QuantityLine, SkuLabel } from './common.dto';

export class OrderLineInput extends QuantityLine {
  @ApiProperty({ example: 450, description: 'Agreed unit cost in fen' }) @IsInt() @Min(0) @Max(MAX_UNIT_COST_FEN) unitCostFen!: number;
}

export class CreatePurchaseOrderRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') supplierId!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-11-30', description: 'When the goods are expected (a date)' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true })
  @Length(10, 10)
  expectedDate?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
  @ApiProperty({ type: [OrderLineInput] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInput)
  lines!: OrderLineInput[];
}

export class UpdatePurchaseOrderRequest {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') supplierId?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsISO8601({ strict: true }) @Length(10, 10) expectedDate?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
  @ApiPropertyOptional({ type: [OrderLineInput], description: 'Replaces every line' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineInput)
  lines?: OrderLineInput[];
}

export class ReceivePurchaseRequest {
  @ApiProperty({ type: [CostedLine], description: 'What arrived; unitCostFen defaults to the order’s (state it when the invoice differs)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => CostedLine)
  lines!: CostedLine[];
  @ApiPropertyOptional({ example: '第一批到货' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class ReturnPurchaseRequest {
  @ApiProperty({ type: [CostedLine], description: 'What goes back; unitCostFen (credited by the supplier) defaults to the order’s' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => CostedLine)
  lines!: CostedLine[];
  @ApiProperty({ example: '包装破损退回' }) @IsString() @Length(1, 200) reason!: string;
}

export class ListPurchaseOrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PURCHASE_ORDER_STATUSES }) @IsOptional() @IsIn(PURCHASE_ORDER_STATUSES) status?: PurchaseOrderStatus;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') supplierId?: string;
}

export class PurchaseOrderLineResponse extends SkuLabel {
  @ApiProperty() quantity!: number;
  @ApiProperty() unitCostFen!: number;
  @ApiProperty() amountFen!: number;
  @ApiProperty() receivedQuantity!: number;
  @ApiProperty({ description: 'Still expected: ordered − received (0 once closed or cancelled)' }) outstandingQuantity!: number;
  @ApiProperty() returnedQuantity!: number;
}

export class DocumentLineResponse extends SkuLabel {
  @ApiProperty() quantity!: number;
  @ApiProperty() unitCostFen!: number;
  @ApiProperty() amountFen!: number;
}

export class PurchaseReceiptResponse {
  @ApiProperty() id!: string;
  @ApiProperty() no!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ type: [DocumentLineResponse] }) lines!: DocumentLineResponse[];
  @ApiProperty() amountFen!: number;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PurchaseReturnResponse {
  @ApiProperty() id!: string;
  @ApiProperty() no!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: [DocumentLineResponse] }) lines!: DocumentLineResponse[];
  @ApiProperty({ description: 'What the supplier credits' }) amountFen!: number;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PurchaseOrderSummaryResponse {
  @ApiProperty() id!: string;
  @ApiProperty() no!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() supplierId!: string;
  @ApiProperty() supplierName!: string;
  @ApiProperty({ enum: PURCHASE_ORDER_STATUSES }) status!: PurchaseOrderStatus;
  @ApiProperty({ nullable: true, type: String }) expectedDate!: string | null;
  @ApiProperty() note!: string;
  @ApiProperty({ example: 'manual', description: 'manual, or replenishment (exported from the suggestion)' }) source!: string;
  @ApiProperty({ description: 'Ordered quantity × agreed cost' }) orderedFen!: number;
  @ApiProperty({ description: 'Received, at the receipts’ costs' }) receivedFen!: number;
  @ApiProperty({ description: 'Returned, at the credited prices' }) returnedFen!: number;
  @ApiProperty({ nullable: true, type: String }) orderedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PurchaseOrderResponse extends PurchaseOrderSummaryResponse {
  @ApiProperty({ type: [PurchaseOrderLineResponse] }) lines!: PurchaseOrderLineResponse[];
  @ApiProperty({ type: [PurchaseReceiptResponse] }) receipts!: PurchaseReceiptResponse[];
  @ApiProperty({ type: [PurchaseReturnResponse] }) returns!: PurchaseReturnResponse[];
}

export class PurchaseOrderPageResponse {
  @ApiProperty({ type: [PurchaseOrderSummaryResponse] }) items!: PurchaseOrderSummaryResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
