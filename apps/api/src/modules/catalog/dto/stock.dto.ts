import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min, NotEquals } from 'class-validator';
import { CatalogSearchQuery } from './catalog.dto';

const MAX_UNITS = 1_000_000;

export const ADJUSTMENT_TYPES = ['opening', 'adjustment'] as const;
export type AdjustmentType = (typeof ADJUSTMENT_TYPES)[number];

export class StockQuery extends CatalogSearchQuery {}

export class AdjustStockRequest {
  @ApiProperty({ enum: ADJUSTMENT_TYPES, description: 'opening: stock the store starts with (期初库存); adjustment: a correction by hand' })
  @IsIn(ADJUSTMENT_TYPES)
  type!: AdjustmentType;
  @ApiProperty({ example: 24, description: 'Signed change in units: positive adds, negative removes' })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_UNITS)
  @Max(MAX_UNITS)
  delta!: number;
  @ApiProperty({ example: '开业期初库存', description: 'Why (kept on the movement and in the audit log)' }) @IsString() @Length(1, 200) reason!: string;
}

export class StockResponse {
  @ApiProperty() storeId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() productId!: string;
  @ApiProperty() productName!: string;
  @ApiProperty({ nullable: true, type: String }) specName!: string | null;
  @ApiProperty({ nullable: true, type: String }) barcode!: string | null;
  @ApiProperty() unit!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'The store’s moving-average cost per unit in fen (the catalog’s cost until the store has its own)' }) avgCostFen!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Last change; null when the store never had stock of it' }) updatedAt!: string | null;
}

export class StockPageResponse {
  @ApiProperty({ type: [StockResponse] }) items!: StockResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class StockMovementResponse {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() delta!: number;
  @ApiProperty() quantityAfter!: number;
  @ApiProperty({ example: 'sale', description: 'opening, adjustment, sale, refund, purchase, purchase_return, transfer_out, transfer_in, other_in, other_out, stocktake, gift_redemption, gift_redemption_cancel' }) reason!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ example: 'order' }) refType!: string;
  @ApiProperty() refId!: string;
  @ApiProperty({ example: 'staff' }) operatorKind!: string;
  @ApiProperty({ nullable: true, type: String }) operatorId!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Value of one unit of this movement at cost, in fen (its stated cost, else the store’s average)' }) unitCostFen!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The store’s moving-average cost after this movement' }) avgCostAfterFen!: number | null;
  @ApiProperty() createdAt!: string;
}

export class StockMovementPageResponse {
  @ApiProperty({ type: [StockMovementResponse] }) items!: StockMovementResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

