import { ApiProperty } from '@nestjs/swagger';
import { ALL_PERMISSIONS, type Permission, type RoleScope } from '@chaincard/shared';
import { IsString, Length, Matches } from 'class-validator';
import { PASSWORD_RULE } from '../../../common/auth/password';

export class LoginRequest {
  @ApiProperty({ example: 'owner', description: 'Username or phone' })
  @IsString()
  @Length(1, 64)
  login!: string;

  @ApiProperty({ example: 'Owner@2026' })
  @IsString()
  @Length(1, 128)
  password!: string;
}

export class RefreshRequest {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

export class ChangePasswordRequest {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  currentPassword!: string;

  @ApiProperty({ description: 'At least 8 characters with letters and digits' })
  @Matches(PASSWORD_RULE, { message: 'newPassword needs at least 8 characters with letters and digits' })
  newPassword!: string;
}

export class MeStore {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class MeResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) username!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ enum: ['chain', 'store'] }) scope!: RoleScope;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true }) permissions!: Permission[];
  @ApiProperty({ type: [MeStore], description: 'Stores the caller reaches (every store for HQ)' }) stores!: MeStore[];
}

export class TokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({ type: MeResponse }) staff!: MeResponse;
}

export class MemberTokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty() expiresIn!: number;
}
