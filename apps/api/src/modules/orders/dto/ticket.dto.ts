import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../../../common/http/pagination';
import { TICKET_KINDS, TICKET_STATUSES, type TicketKind, type TicketStatus } from '../entities/ticket.entity';
import { CartLineRequest, MAX_FEN, PaymentRequest, StaffRefResponse } from './order.dto';

export class OpenTicketRequest {
  @ApiProperty() @IsUUID('4') storeId!: string;
  @ApiPropertyOptional({ enum: TICKET_KINDS, default: 'open', description: 'open: 开单 (a visit); parked: 挂单 (a cart put aside)' })
  @IsOptional()
  @IsIn(TICKET_KINDS)
  kind?: TicketKind;
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') memberId?: string;
  @ApiPropertyOptional({ example: '3号床', description: 'What the counter calls it: a table, a bed, a plate number' }) @IsOptional() @IsString() @Length(1, 40) label?: string;
  @ApiPropertyOptional({ type: [CartLineRequest] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CartLineRequest)
  lines?: CartLineRequest[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsUUID('4', { each: true }) couponIds?: string[];
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) pointsToUse?: number;
}

export class UpdateTicketRequest {
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID('4') memberId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @Length(1, 40) label?: string | null;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsUUID('4', { each: true }) couponIds?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) pointsToUse?: number;
}

export class SettleTicketRequest {
  @ApiPropertyOptional({ type: [String], description: 'Replaces the ticket’s coupons when given' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  couponIds?: string[];
  @ApiPropertyOptional({ description: 'Replaces the ticket’s points to use when given' }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000_000) pointsToUse?: number;
  @ApiPropertyOptional({ description: 'The total the cashier showed (ORDER_QUOTE_CHANGED when it moved)' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_FEN) expectedTotalFen?: number;
  @ApiProperty({ type: [PaymentRequest] }) @IsArray() @ArrayMaxSize(10) @ValidateNested({ each: true }) @Type(() => PaymentRequest) payments!: PaymentRequest[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) memo?: string;
}

export class CancelTicketRequest {
  @ApiProperty({ example: '顾客离开' }) @IsString() @Length(1, 200) reason!: string;
}

export class ListTicketsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ enum: TICKET_STATUSES, default: 'open' }) @IsOptional() @IsIn(TICKET_STATUSES) status?: TicketStatus;
  @ApiPropertyOptional({ enum: TICKET_KINDS }) @IsOptional() @IsIn(TICKET_KINDS) kind?: TicketKind;
}

export class TicketLineResponse {
  @ApiProperty() id!: string;
  @ApiProperty() skuId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty({ nullable: true, type: Number }) manualDiscountFen!: number | null;
  @ApiProperty({ type: [StaffRefResponse] }) servingStaff!: StaffRefResponse[];
  @ApiProperty({ nullable: true, type: String }) addedBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class TicketResponse {
  @ApiProperty() id!: string;
  @ApiProperty() ticketNo!: string;
  @ApiProperty({ enum: TICKET_KINDS }) kind!: TicketKind;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: TicketStatus;
  @ApiProperty() storeId!: string;
  @ApiProperty({ nullable: true, type: String }) memberId!: string | null;
  @ApiProperty({ nullable: true, type: String }) memberName!: string | null;
  @ApiProperty({ nullable: true, type: String }) label!: string | null;
  @ApiProperty({ type: [String] }) couponIds!: string[];
  @ApiProperty() pointsToUse!: number;
  @ApiProperty({ type: [TicketLineResponse] }) lines!: TicketLineResponse[];
  @ApiProperty({ nullable: true, type: String }) openedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) openedByName!: string | null;
  @ApiProperty({ nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelReason!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
}

export class TicketPageResponse {
  @ApiProperty({ type: [TicketResponse] }) items!: TicketResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
