import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { CARD_NO } from '../domain/card-lifecycle';
import { CARD_EVENT_KINDS, CARD_FEE_METHODS, CARD_STATUSES, type CardEventKind, type CardFeeMethod, type CardStatus } from '../entities/card.entity';

const CARD_NO_MESSAGE = 'card numbers are 4–16 letters or digits';

export class IssueCardRequest {
  @ApiProperty({ description: 'The store issuing the card' }) @IsUUID('4') storeId!: string;
  @ApiPropertyOptional({ description: 'Number of a pre-printed card; omitted = the system assigns one', example: '600000012345' })
  @IsOptional()
  @Matches(CARD_NO, { message: CARD_NO_MESSAGE })
  cardNo?: string;
}

export class CardActionRequest {
  @ApiPropertyOptional({ description: 'The store where it happens; HQ may leave it out (e.g. a phone call)' }) @IsOptional() @IsUUID('4') storeId?: string;
  @ApiPropertyOptional({ example: '会员来电挂失' }) @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

export class ReplaceCardRequest {
  @ApiProperty({ description: 'The store issuing the new card' }) @IsUUID('4') storeId!: string;
  @ApiPropertyOptional({ description: 'Number of the pre-printed new card; omitted = the system assigns one' })
  @IsOptional()
  @Matches(CARD_NO, { message: CARD_NO_MESSAGE })
  newCardNo?: string;
  @ApiPropertyOptional({ description: 'Replacement fee (补卡工本费) in fen, collected by the store', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_00)
  feeFen?: number;
  @ApiPropertyOptional({ enum: CARD_FEE_METHODS, description: 'How the fee was paid; required when feeFen > 0' })
  @ValidateIf((o: ReplaceCardRequest) => (o.feeFen ?? 0) > 0 || o.paymentMethod !== undefined)
  @IsIn(CARD_FEE_METHODS, { message: `paymentMethod must be one of ${CARD_FEE_METHODS.join(', ')} when a fee is charged` })
  paymentMethod?: CardFeeMethod;
  @ApiPropertyOptional({ example: '卡片损坏' }) @IsOptional() @IsString() @Length(1, 200) reason?: string;
}

export class ReturnCardRequest {
  @ApiProperty({ description: 'The store paying the refund out in cash' }) @IsUUID('4') storeId!: string;
  @ApiProperty({ example: '会员搬家，不再消费' }) @IsString() @Length(1, 200) reason!: string;
  @ApiPropertyOptional({ description: 'The member’s payment password, required when one is set (the principal leaves the wallet)' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'payPassword must be 6 digits' })
  payPassword?: string;
}

export class ResolveCardRequest {
  @ApiProperty({ example: '600000012345' }) @Matches(CARD_NO, { message: CARD_NO_MESSAGE }) cardNo!: string;
}

export class CardEventResponse {
  @ApiProperty({ enum: CARD_EVENT_KINDS }) kind!: CardEventKind;
  @ApiProperty({ nullable: true, type: String }) storeId!: string | null;
  @ApiProperty({ nullable: true, type: String }) staffId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The other card of a replacement' }) relatedCardId!: string | null;
  @ApiProperty() feeFen!: number;
  @ApiProperty({ nullable: true, enum: CARD_FEE_METHODS }) feeMethod!: CardFeeMethod | null;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() createdAt!: string;
}

export class CardResponse {
  @ApiProperty() id!: string;
  @ApiProperty() cardNo!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty({ enum: CARD_STATUSES }) status!: CardStatus;
  @ApiProperty() issuedStoreId!: string;
  @ApiProperty({ nullable: true, type: String }) issuedByStaffId!: string | null;
  @ApiProperty({ nullable: true, type: String }) replacesCardId!: string | null;
  @ApiProperty({ nullable: true, type: String }) lostAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: [CardEventResponse], description: 'The card’s history, oldest first' }) events!: CardEventResponse[];
}

export class ReplaceCardResponse {
  @ApiProperty({ type: CardResponse }) oldCard!: CardResponse;
  @ApiProperty({ type: CardResponse }) newCard!: CardResponse;
}

export class CardReturnResponse {
  @ApiProperty() id!: string;
  @ApiProperty() cardId!: string;
  @ApiProperty() memberId!: string;
  @ApiProperty() storeId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'Stored-value principal taken out of the wallet' }) principalFen!: number;
  @ApiProperty() feeBps!: number;
  @ApiProperty({ description: 'Kept by the chain: principal × feeBps, rounded down' }) feeFen!: number;
  @ApiProperty({ description: 'Paid out to the member in cash' }) refundFen!: number;
  @ApiProperty({ enum: ['cash'] }) refundMethod!: 'cash';
  @ApiProperty({ description: 'Bonus (赠送金) forfeited' }) bonusForfeitedFen!: number;
  @ApiProperty() createdAt!: string;
}

export class CardSettingsResponse {
  @ApiProperty({ description: 'Fee kept on a card return, in basis points of the principal' }) returnFeeBps!: number;
  @ApiProperty({ description: 'Whether the bonus balance is forfeited on return' }) returnForfeitsBonus!: boolean;
  @ApiProperty() updatedAt!: string;
}

export class UpdateCardSettingsRequest {
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10000) returnFeeBps?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() returnForfeitsBonus?: boolean;
}

export class MemberCodeResponse {
  @ApiProperty({ example: '923000000421234567', description: '18 digits, for a barcode (Code 128) and a QR code' }) code!: string;
  @ApiProperty({ description: 'The last moment the code is accepted' }) expiresAt!: string;
  @ApiProperty({ description: 'Fetch a new code after this many seconds (the window ends)' }) refreshInSeconds!: number;
}

export class ResolveMemberCodeRequest {
  @ApiProperty({ example: '923000000421234567' }) @Matches(/^\d{18}$/, { message: 'code must be 18 digits' }) code!: string;
  @ApiProperty({ description: 'The store where the code is scanned' }) @IsUUID('4') storeId!: string;
}
