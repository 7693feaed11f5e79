import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CatalogSearchQuery } from '../../catalog/dto/catalog.dto';
import { PageQuery } from '../../../common/http/pagination';
import { SkuLabel } from './common.dto';

export const MOVEMENT_REASONS = [
  'opening',
  'adjustment',
  'sale',
  'refund',
  'purchase',
  'purchase_return',
  'transfer_out',
  'transfer_in',
  'other_in',
  'other_out',
  'stocktake',
  'gift_redemption',
  'gift_redemption_cancel',
] as const;

export class ValuationQuery extends CatalogSearchQuery {}

export class ValuationLine extends SkuLabel {
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'The store’s moving-average cost' }) avgCostFen!: number;
  @ApiProperty({ description: 'quantity × average cost' }) valueFen!: number;
}

export class InTransitTotals {
  @ApiProperty({ description: 'Units on their way to the store' }) incomingQuantity!: number;
  @ApiProperty() incomingValueFen!: number;
  @ApiProperty({ description: 'Units the store has shipped that have not arrived' }) outgoingQuantity!: number;
  @ApiProperty() outgoingValueFen!: number;
}

export class ValuationResponse {
  @ApiProperty({ type: [ValuationLine], description: 'Items the store holds (quantity ≠ 0)' }) items!: ValuationLine[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Items held, over the whole filter' }) skuCount!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'Stock value at cost over the whole filter' }) valueFen!: number;
  @ApiProperty({ type: InTransitTotals }) inTransit!: InTransitTotals;
}

export class StoreValuation {
  @ApiProperty() storeId!: string;
  @ApiProperty() storeCode!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() skuCount!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty() valueFen!: number;
  @ApiProperty({ description: 'Shipped to this store, not yet received' }) incomingQuantity!: number;
  @ApiProperty() incomingValueFen!: number;
}

export class ChainValuationResponse {
  @ApiProperty({ type: [StoreValuation] }) stores!: StoreValuation[];
  @ApiProperty({ description: 'Units on hand in every store' }) quantity!: number;
  @ApiProperty() valueFen!: number;
  @ApiProperty({ description: 'Units in transit between stores (counted once: neither store holds them)' }) inTransitQuantity!: number;
  @ApiProperty() inTransitValueFen!: number;
}

export class JournalQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00+08:00' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'Exclusive' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ enum: MOVEMENT_REASONS }) @IsOptional() @IsIn(MOVEMENT_REASONS) reason?: (typeof MOVEMENT_REASONS)[number];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') skuId?: string;
}

export class JournalLine extends SkuLabel {
  @ApiProperty() id!: string;
  @ApiProperty() delta!: number;
  @ApiProperty() quantityAfter!: number;
  @ApiProperty() reason!: string;
  @ApiProperty() note!: string;
  @ApiProperty() refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ nullable: true, type: Number }) unitCostFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'delta × unit cost' }) valueFen!: number | null;
  @ApiProperty({ nullable: true, type: Number }) avgCostAfterFen!: number | null;
  @ApiProperty() operatorKind!: string;
  @ApiProperty({ nullable: true, type: String }) operatorId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class JournalPageResponse {
  @ApiProperty({ type: [JournalLine] }) items!: JournalLine[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class InTransitLine extends SkuLabel {
  @ApiProperty() transferId!: string;
  @ApiProperty() transferNo!: string;
  @ApiProperty() fromStoreId!: string;
  @ApiProperty() fromStoreName!: string;
  @ApiProperty() toStoreId!: string;
  @ApiProperty() toStoreName!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() unitCostFen!: number;
  @ApiProperty() valueFen!: number;
  @ApiProperty() shippedAt!: string;
}

export class InTransitResponse {
  @ApiProperty({ type: [InTransitLine] }) items!: InTransitLine[];
  @ApiProperty() quantity!: number;
  @ApiProperty() valueFen!: number;
}

export class SlowMovingQuery extends PageQuery {
  @ApiPropertyOptional({ default: 30, description: 'No sale in this many days' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(365) days: number = 30;
}

export class SlowMovingLine extends SkuLabel {
  @ApiProperty() quantity!: number;
  @ApiProperty() avgCostFen!: number;
  @ApiProperty() valueFen!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Last sale at the store; null: never sold here' }) lastSaleAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastInboundAt!: string | null;
}

export class SlowMovingPageResponse {
  @ApiProperty({ type: [SlowMovingLine] }) items!: SlowMovingLine[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ReplenishmentQuery {
  @ApiPropertyOptional({ default: 28, description: 'Sales window: average daily sales over the last N days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  days: number = 28;
  @ApiPropertyOptional({ description: 'Days until ordered goods arrive; default: the supplier’s lead time, else 3' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(365)
  leadTimeDays?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'Plan with this supplier’s lead time' }) @IsOptional() @IsUUID('4') supplierId?: string;
  @ApiPropertyOptional({ description: 'End of the sales window (default now)' }) @IsOptional() @IsISO8601() asOf?: string;
}

export class ReplenishmentLine extends SkuLabel {
  @ApiProperty({ description: 'Sales less refunds in the window' }) soldInWindow!: number;
  @ApiProperty({ description: 'Average daily net sales (for reading; the suggestion is computed exactly)' }) averageDailySales!: number;
  @ApiProperty({ description: 'The alert line (库存预警线)' }) safetyStock!: number;
  @ApiProperty() onHand!: number;
  @ApiProperty({ description: 'Shipped to the store by other stores, not yet received' }) inTransit!: number;
  @ApiProperty({ description: 'Still expected on the store’s open purchase orders' }) onOrder!: number;
  @ApiProperty() leadTimeDays!: number;
  @ApiProperty({ description: '⌈sold × lead time ÷ days⌉ + safety stock − on hand − in transit − on order, at least 0' }) suggestedQuantity!: number;
  @ApiProperty({ description: 'What an exported order would pay per unit: last purchase cost from the supplier, else the average' }) unitCostFen!: number;
}

export class ReplenishmentResponse {
  @ApiProperty() days!: number;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: [ReplenishmentLine], description: 'Items to order (suggested quantity > 0), by product name' }) items!: ReplenishmentLine[];
}

export class ExportReplenishmentRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') supplierId!: string;
  @ApiPropertyOptional({ default: 28 }) @IsOptional() @IsInt() @Min(1) @Max(365) days?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(365) leadTimeDays?: number;
  @ApiPropertyOptional({ type: [String], description: 'Only these items (default: every item with a suggestion)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('4', { each: true })
  skuIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsISO8601() asOf?: string;
}
