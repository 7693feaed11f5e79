import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import { CatalogSearchQuery } from '../../catalog/dto/catalog.dto';
import { PageQuery } from '../../../common/http/pagination';
import { TRANSFER_STATUSES, type TransferStatus } from '../entities/transfer.entity';
import { MAX_LINES, QuantityLine, SkuLabel, StepLine } from './common.dto';

export class CreateTransferRequest {
  @ApiProperty({ format: 'uuid', description: 'The store asked for the goods (it approves and ships); the route’s store receives them' })
  @IsUUID('4')
  fromStoreId!: string;
  @ApiPropertyOptional({ example: '周末活动备货' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
  @ApiProperty({ type: [QuantityLine] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => QuantityLine)
  lines!: QuantityLine[];
}

export class TransferStepRequest {
  @ApiPropertyOptional({ type: [StepLine], description: 'Quantities per line; lines left out keep the previous step’s quantity' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => StepLine)
  lines?: StepLine[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class ReceivedLine extends StepLine {
  @ApiPropertyOptional({ example: '2 瓶破损', description: 'Why fewer arrived than were shipped' }) @IsOptional() @IsString() @Length(0, 200) note?: string;
}

export class ReceiveTransferRequest {
  @ApiPropertyOptional({ type: [ReceivedLine], description: 'What arrived per line (default: all that was shipped); more than shipped is refused' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => ReceivedLine)
  lines?: ReceivedLine[];
}

export const TRANSFER_DIRECTIONS = ['in', 'out', 'all'] as const;

export class ListTransfersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TRANSFER_STATUSES }) @IsOptional() @IsIn(TRANSFER_STATUSES) status?: TransferStatus;
  @ApiPropertyOptional({ enum: TRANSFER_DIRECTIONS, default: 'all', description: 'in: to this store; out: from it' })
  @IsOptional()
  @IsIn(TRANSFER_DIRECTIONS)
  direction?: (typeof TRANSFER_DIRECTIONS)[number];
}

export class TransferLineResponse extends SkuLabel {
  @ApiProperty() requestedQuantity!: number;
  @ApiProperty({ nullable: true, type: Number }) approvedQuantity!: number | null;
  @ApiProperty({ nullable: true, type: Number }) shippedQuantity!: number | null;
  @ApiProperty({ nullable: true, type: Number }) receivedQuantity!: number | null;
  @ApiProperty({ description: 'Shipped and not yet received (while in transit)' }) inTransitQuantity!: number;
  @ApiProperty({ description: 'Shipped − received, once received' }) differenceQuantity!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The sending store’s average cost when shipped' }) unitCostFen!: number | null;
  @ApiProperty() differenceNote!: string;
}

export class StoreRef {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class TransferResponse {
  @ApiProperty() id!: string;
  @ApiProperty() no!: string;
  @ApiProperty({ type: StoreRef }) fromStore!: StoreRef;
  @ApiProperty({ type: StoreRef }) toStore!: StoreRef;
  @ApiProperty({ enum: TRANSFER_STATUSES }) status!: TransferStatus;
  @ApiProperty() note!: string;
  @ApiProperty({ type: [TransferLineResponse] }) lines!: TransferLineResponse[];
  @ApiProperty({ description: 'Value at cost of what is in transit' }) inTransitValueFen!: number;
  @ApiProperty({ nullable: true, type: String }) requestedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) approvedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) shippedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) shippedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) receivedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) receivedAt!: string | null;
  @ApiProperty() closingNote!: string;
  @ApiProperty() createdAt!: string;
}

export class TransferPageResponse {
  @ApiProperty({ type: [TransferResponse] }) items!: TransferResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class AvailabilityQuery extends CatalogSearchQuery {}

export class StoreQuantity {
  @ApiProperty() storeId!: string;
  @ApiProperty() storeCode!: string;
  @ApiProperty() storeName!: string;
  @ApiProperty() quantity!: number;
}

export class AvailabilityResponse extends SkuLabel {
  @ApiProperty({ description: 'What the asking store holds' }) quantity!: number;
  @ApiProperty({ type: [StoreQuantity], description: 'What other stores hold (only where they hold some): quantities, nothing else' }) elsewhere!: StoreQuantity[];
}

export class AvailabilityPageResponse {
  @ApiProperty({ type: [AvailabilityResponse] }) items!: AvailabilityResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
