import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { StaffActor as Actor } from '../../common/auth/actor';
import { CurrentStaff, Public } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordRequest, LoginRequest, MemberTokenResponse, MeResponse, RefreshRequest, TokenResponse } from './dto/auth.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff sign-in with username or phone and password (员工登录)' })
  @ApiErrors('AUTH_INVALID_CREDENTIALS', 'AUTH_LOCKED')
  @ApiResult(TokenResponse)
  login(@Body() body: LoginRequest): Promise<TokenResponse> {
    return this.auth.login(body.login, body.password);
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token (staff or member) for new tokens; the old one stops working' })
  @ApiErrors('AUTH_TOKEN_INVALID', 'AUTH_REFRESH_REUSED')
  @ApiResult(TokenResponse)
  refresh(@Body() body: RefreshRequest): Promise<TokenResponse | MemberTokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Sign out: revokes this session and its tokens' })
  @ApiErrors('UNAUTHENTICATED')
  logout(@CurrentStaff() actor: Actor): Promise<void> {
    return this.auth.logout(actor);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in staff member, permissions and stores' })
  @ApiErrors('UNAUTHENTICATED')
  @ApiResult(MeResponse)
  me(@CurrentStaff() actor: Actor): Promise<MeResponse> {
    return this.auth.me(actor);
  }

  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Change my password; other sessions are signed out' })
  @ApiErrors('AUTH_INVALID_CREDENTIALS')
  changePassword(@CurrentStaff() actor: Actor, @Body() body: ChangePasswordRequest): Promise<void> {
    return this.auth.changePassword(actor, body);
  }
}
