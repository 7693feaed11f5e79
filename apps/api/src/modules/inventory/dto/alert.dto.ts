import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { STOCK_ALERT_STATUSES, type StockAlertStatus } from '../entities/stock-alert.entity';
import { MAX_UNITS, SkuLabel } from './common.dto';

export class SetAlertLineRequest {
  @ApiProperty({ example: 10, description: 'Alert when the store’s stock is at or below this (also the safety stock of replenishment)' })
  @IsInt()
  @Min(0)
  @Max(MAX_UNITS)
  minQuantity!: number;
}

export class AlertLineResponse extends SkuLabel {
  @ApiProperty() storeId!: string;
  @ApiProperty() minQuantity!: number;
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: 'At or below the line now (an open alert exists)' }) low!: boolean;
  @ApiProperty() updatedAt!: string;
}

export class AlertLinePageResponse {
  @ApiProperty({ type: [AlertLineResponse] }) items!: AlertLineResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class ListAlertsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: STOCK_ALERT_STATUSES }) @IsOptional() @IsIn(STOCK_ALERT_STATUSES) status?: StockAlertStatus;
}

export class StockAlertResponse extends SkuLabel {
  @ApiProperty() id!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty({ description: 'The line when raised' }) minQuantity!: number;
  @ApiProperty({ description: 'Stock when raised' }) quantity!: number;
  @ApiProperty({ description: 'Stock now' }) currentQuantity!: number;
  @ApiProperty({ enum: STOCK_ALERT_STATUSES }) status!: StockAlertStatus;
  @ApiProperty() raisedAt!: string;
  @ApiProperty({ nullable: true, type: String }) resolvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'restocked or line_removed' }) resolution!: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedAt!: string | null;
  @ApiProperty({ description: 'Notifications handed to the outbox for the store’s managers when raised' }) notifiedCount!: number;
}

export class StockAlertPageResponse {
  @ApiProperty({ type: [StockAlertResponse] }) items!: StockAlertResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
