import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { MemberTokenResponse } from '../../auth/dto/auth.dto';
import { MemberResponse } from '../../members/dto/member.dto';

export class WechatLoginRequest {
  @ApiProperty({ description: 'The code of Taro.login / wx.login (valid 5 minutes, once)', example: '0a3Bc…' })
  @IsString()
  @Length(1, 128)
  code!: string;

  @ApiPropertyOptional({ description: 'The scene of the store QR code the app was opened through (launch options query.scene), to join that store', example: 's=SH001&k=Ab3x_9' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  scene?: string;
}

export class WechatLoginResponse extends MemberTokenResponse {
  @ApiProperty({ type: MemberResponse }) member!: MemberResponse;
  @ApiProperty({ description: 'True when this sign-in created the (pending) member' }) isNew!: boolean;
}

export class WechatPhoneRequest {
  @ApiProperty({ description: 'The code of the getPhoneNumber button (e.detail.code)' })
  @IsString()
  @Length(1, 128)
  code!: string;
}

export class WechatPhoneResponse {
  @ApiProperty({ type: MemberResponse }) member!: MemberResponse;
  @ApiProperty({ description: 'True when the number belonged to a member registered before: this sign-up was merged into him' }) merged!: boolean;
  @ApiProperty({ type: MemberTokenResponse, nullable: true, description: 'After a merge, the session of the member the app is now signed in as (the old one is revoked)' })
  session!: MemberTokenResponse | null;
}

export class WechatJoinRequest {
  @ApiProperty({ description: 'The scene of a store QR code scanned inside the app', example: 's=SH001&k=Ab3x_9' })
  @IsString()
  @Length(1, 128)
  @Matches(/^\S+$/)
  scene!: string;
}

export class WechatSceneResponse {
  @ApiProperty({ description: 'The scene the store QR code carries (≤ 32 characters)' }) scene!: string;
}
