import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PAY_PASSWORD } from '../domain/pay-password';

export class ChangePayPasswordRequest {
  @ApiPropertyOptional({ description: 'The current password; required when one is set', example: '802417' })
  @IsOptional()
  @Matches(PAY_PASSWORD, { message: 'currentPassword must be 6 digits' })
  currentPassword?: string;
  @ApiProperty({ description: '6 digits, not all alike and not a run (123456)', example: '135790' })
  @Matches(PAY_PASSWORD, { message: 'newPassword must be 6 digits' })
  newPassword!: string;
}

export class ResetPayPasswordRequest {
  @ApiProperty({ description: 'Why HQ resets it (kept in the audit log)', example: '会员本人持身份证到店申请重置' })
  @IsString()
  @Length(2, 200)
  reason!: string;
}

export class PayPasswordStatusResponse {
  @ApiProperty({ description: 'Whether a payment password is set (stored-value payment then needs it)' }) isSet!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Stored-value payment is locked until then after too many wrong attempts' })
  lockedUntil!: string | null;
}
