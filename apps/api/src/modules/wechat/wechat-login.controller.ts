import { Body, Controller, Get, Header, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MemberActor } from '../../common/auth/actor';
import { CurrentMember, MemberRoute, Public, RequirePermissions } from '../../common/auth/decorators';
import { ApiErrors, ApiResult } from '../../common/http/api-error.decorator';
import { MemberResponse } from '../members/dto/member.dto';
import { WechatJoinRequest, WechatLoginRequest, WechatLoginResponse, WechatPhoneRequest, WechatPhoneResponse, WechatSceneResponse } from './dto/wechat-login.dto';
import { WechatLoginService } from './wechat-login.service';

/** A PNG answer, described so that clients get a binary type. */
const PngResponse = () => ApiOkResponse({ description: 'PNG image of a mini-program code (小程序码)', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } });

@ApiTags('auth')
@Controller('auth/wechat')
export class WechatAuthController {
  constructor(private readonly login: WechatLoginService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Member sign-in with a Taro.login code (微信登录); new WeChat users become pending members, joining the store of the QR scene given' })
  @ApiResult(WechatLoginResponse)
  @ApiErrors('WECHAT_LOGIN_FAILED', 'WECHAT_SCENE_INVALID', 'WECHAT_NOT_CONFIGURED', 'WECHAT_UNAVAILABLE')
  signIn(@Body() body: WechatLoginRequest): Promise<WechatLoginResponse> {
    return this.login.login(body.code, body.scene);
  }
}

/** The member's WeChat identity in the member app: phone binding, joining a store, invitation code. */
@ApiTags('me')
@Controller('me/wechat')
export class MyWechatController {
  constructor(private readonly login: WechatLoginService) {}

  @Post('phone')
  @MemberRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Bind the phone number from the getPhoneNumber button (激活会员); merges into the member who already has it' })
  @ApiResult(WechatPhoneResponse)
  @ApiErrors('WECHAT_PHONE_CODE_INVALID', 'MEMBER_NOT_ACTIVE', 'MEMBER_MERGE_CONFLICT', 'WECHAT_NOT_CONFIGURED', 'WECHAT_UNAVAILABLE')
  bindPhone(@CurrentMember() member: MemberActor, @Body() body: WechatPhoneRequest): Promise<WechatPhoneResponse> {
    return this.login.bindPhone(member, body.code);
  }

  @Post('join')
  @MemberRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Join the store of a scanned QR code (扫码入会): home store and referrer, while still pending' })
  @ApiResult(MemberResponse)
  @ApiErrors('WECHAT_SCENE_INVALID')
  join(@CurrentMember() member: MemberActor, @Body() body: WechatJoinRequest): Promise<MemberResponse> {
    return this.login.join(member, body.scene);
  }

  @Get('invite-qr.png')
  @MemberRoute()
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'private, max-age=86400')
  @PngResponse()
  @ApiOperation({ summary: 'My invitation code (邀请码, 老带新): my home store’s QR code carrying my member number' })
  @ApiErrors('WECHAT_NOT_CONFIGURED', 'WECHAT_UNAVAILABLE')
  async inviteQr(@CurrentMember() member: MemberActor): Promise<StreamableFile> {
    return new StreamableFile(await this.login.referralQr(member));
  }
}

/** A store's join QR code (门店入会码), printed at the counter. */
@ApiTags('stores')
@Controller('stores/:storeId/wechat')
export class StoreWechatController {
  constructor(private readonly login: WechatLoginService) {}

  @Get('join-qr.png')
  @Header('Content-Type', 'image/png')
  @Header('Cache-Control', 'private, max-age=86400')
  @PngResponse()
  @ApiOperation({ summary: 'The store’s join QR code (小程序码 from getwxacodeunlimit, cached)' })
  @ApiErrors('STORE_NOT_FOUND', 'WECHAT_NOT_CONFIGURED', 'WECHAT_UNAVAILABLE')
  @RequirePermissions('store.read')
  async joinQr(@Param('storeId') storeId: string): Promise<StreamableFile> {
    return new StreamableFile(await this.login.storeQr(storeId));
  }

  @Get('join-scene')
  @ApiOperation({ summary: 'The scene the store’s join QR code carries (for printing it another way, and for tests)' })
  @ApiResult(WechatSceneResponse)
  @ApiErrors('STORE_NOT_FOUND')
  @RequirePermissions('store.read')
  async joinScene(@Param('storeId') storeId: string): Promise<WechatSceneResponse> {
    return { scene: await this.login.storeScene(storeId) };
  }
}
