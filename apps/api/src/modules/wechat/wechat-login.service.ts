import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { MemberActor } from '../../common/auth/actor';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import type { JsonLogger } from '../../common/logger';
import { AuthService } from '../auth/auth.service';
import type { MemberTokenResponse } from '../auth/dto/auth.dto';
import { MemberDataService } from '../members/member-data.service';
import { MembersService } from '../members/members.service';
import { NotificationsService } from '../notifications/notifications.service';
import { buildScene, parseScene, sceneFits } from './domain/numbers';
import type { WechatLoginResponse, WechatPhoneResponse } from './dto/wechat-login.dto';
import { WECHAT_MP_GATEWAY, WechatMpError, type WechatMiniProgramGateway } from './wechat-mp.client';
import { WechatRepository } from './wechat.repository';

/** jscode2session errors that mean the code itself is bad (invalid, used, expired): the app must call wx.login again. */
const BAD_CODE = new Set([40029, 40163, 41008, 40226]);
const QR_CACHE_MAX = 500;

/**
 * Member sign-in with WeChat (Taro.login → jscode2session), phone binding (getPhoneNumber →
 * getuserphonenumber), joining through a store's QR code (扫码入会) and the QR codes themselves.
 */
@Injectable()
export class WechatLoginService implements OnModuleInit {
  private readonly qrCache = new Map<string, Buffer>();

  constructor(
    private readonly tx: TransactionHost,
    private readonly repo: WechatRepository,
    private readonly members: MembersService,
    private readonly memberData: MemberDataService,
    private readonly auth: AuthService,
    private readonly notifications: NotificationsService,
    @Inject(WECHAT_MP_GATEWAY) private readonly mp: WechatMiniProgramGateway | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject('LOGGER') private readonly logger: JsonLogger,
  ) {}

  onModuleInit(): void {
    // PIPL deletion: the member's WeChat identity (openid, unionid) goes with his other personal data.
    this.memberData.registerErasureHook({ onMemberErased: (m, memberId) => this.repo.deleteAccounts(m, memberId) });
  }

  /**
   * A Taro.login code → the member's session. A WeChat user seen for the first time becomes a
   * pending member (待激活) at the store of the QR code he came through, or the chain's first
   * store; a known one signs in as himself, and a scene only counts while he is still pending.
   */
  async login(code: string, scene?: string): Promise<WechatLoginResponse> {
    const mp = this.requireMp();
    const join = scene ? await this.resolveScene(scene) : null;
    let session: { openid: string; unionid: string | null };
    try {
      session = await mp.code2Session(code);
    } catch (e) {
      throw this.mpFailure(e, 'WECHAT_LOGIN_FAILED');
    }
    const signIn = () => this.tx.run(async (m) => {
      const existing = await this.repo.accountByOpenid(m, mp.appId, session.openid);
      if (existing) {
        await this.repo.touchAccount(m, existing.id, session.unionid);
        if (join) await this.members.joinStore(m, existing.memberId, join);
        await this.notifications.recordWechatOpenId(m, existing.memberId, session.openid);
        return { memberId: existing.memberId, created: false };
      }
      const member = await this.members.registerPending(m, { homeStoreId: join?.storeId ?? null, referrerId: join?.referrerId ?? null });
      if (!(await this.repo.insertAccount(m, { appid: mp.appId, openid: session.openid, unionid: session.unionid, memberId: member.id }))) {
        // Two sign-ins of a new user raced: the other one's member wins, this transaction's goes away.
        throw new AppError('CONFLICT');
      }
      // Subscribe messages (notifications) go to this openid.
      await this.notifications.recordWechatOpenId(m, member.id, session.openid);
      return { memberId: member.id, created: true };
    });
    // Two first sign-ins of one user racing: the loser's transaction is gone; the second pass finds the winner's account.
    const { memberId, created } = await signIn().catch((e: unknown) => (e instanceof AppError && e.code === 'CONFLICT' ? signIn() : Promise.reject(e)));
    const tokens = await this.auth.issueMemberSession(memberId);
    return { ...tokens, member: await this.members.get(memberId), isNew: created };
  }

  /**
   * Binds the phone number WeChat verified. A number already held by a member (registered at a
   * counter) means that member is this person: the WeChat sign-up is merged into him (合并) and a
   * session for him is returned; otherwise the number is bound and a pending member becomes active.
   */
  async bindPhone(actor: MemberActor, code: string): Promise<WechatPhoneResponse> {
    const mp = this.requireMp();
    let phone: string;
    try {
      ({ phone } = await mp.phoneNumber(code));
    } catch (e) {
      throw this.mpFailure(e, 'WECHAT_PHONE_CODE_INVALID');
    }
    const outcome = await this.tx.run(async (m) => {
      const holder = await this.members.findIdByPhone(m, phone);
      if (!holder || holder.id === actor.id) return { memberId: (await this.members.activateWithPhone(m, actor.id, phone)).id, merged: false };
      if (holder.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const openid = await this.repo.openidOf(m, actor.id, mp.appId);
      // The sign-up's WeChat account (and anything else it holds) moves to the member of that phone.
      await this.memberData.merge(holder.id, actor.id, '微信绑定手机号：与已有会员合并');
      if (openid) await this.notifications.recordWechatOpenId(m, holder.id, openid);
      return { memberId: holder.id, merged: true };
    });
    return {
      member: await this.members.get(outcome.memberId),
      merged: outcome.merged,
      session: outcome.merged ? await this.auth.issueMemberSession(outcome.memberId) : null,
    };
  }

  /** A signed-in pending member scanned a store's QR code inside the app. */
  async join(actor: MemberActor, scene: string) {
    const join = await this.resolveScene(scene);
    await this.tx.run((m) => this.members.joinStore(m, actor.id, { storeId: join.storeId, referrerId: join.referrerId }));
    return this.members.get(actor.id);
  }

  /** The store's join QR code (门店入会码): a mini-program code whose scene names the store. */
  async storeQr(storeId: string): Promise<Buffer> {
    const code = await this.repo.storeCode(this.tx.manager, storeId);
    if (!code) throw new AppError('STORE_NOT_FOUND');
    return this.qr(buildScene(this.config.memberCodeSecret, code));
  }

  /** A member's invitation code (邀请码, 老带新): his home store's code carrying his member number. */
  async referralQr(actor: MemberActor): Promise<Buffer> {
    const m = this.tx.manager;
    const me = await this.repo.memberNoAndHome(m, actor.id);
    const code = me ? await this.repo.storeCode(m, me.homeStoreId) : null;
    if (!me || !code) throw new AppError('MEMBER_NOT_FOUND');
    return this.qr(buildScene(this.config.memberCodeSecret, code, me.memberNo));
  }

  /** The scene a store QR code carries, for apps and tests that need the text rather than the picture. */
  async storeScene(storeId: string): Promise<string> {
    const code = await this.repo.storeCode(this.tx.manager, storeId);
    if (!code) throw new AppError('STORE_NOT_FOUND');
    return buildScene(this.config.memberCodeSecret, code);
  }

  /**
   * getwxacodeunlimit answers the same picture for the same scene, and WeChat limits how often it
   * may be called: pictures are kept in this process (a bounded map; a restart just asks again).
   */
  private async qr(scene: string): Promise<Buffer> {
    const mp = this.requireMp();
    if (!sceneFits(scene)) throw new AppError('WECHAT_SCENE_INVALID');
    const cached = this.qrCache.get(scene);
    if (cached) return cached;
    let png: Buffer;
    try {
      png = await mp.wxacodeUnlimit({ scene, page: 'pages/index/index', checkPath: false });
    } catch (e) {
      throw this.mpFailure(e, 'WECHAT_UNAVAILABLE');
    }
    if (this.qrCache.size >= QR_CACHE_MAX) this.qrCache.delete(this.qrCache.keys().next().value!);
    this.qrCache.set(scene, png);
    return png;
  }

  private async resolveScene(scene: string): Promise<{ storeId: string; referrerId: string | null }> {
    const parsed = parseScene(this.config.memberCodeSecret, scene);
    if (!parsed) throw new AppError('WECHAT_SCENE_INVALID');
    const m = this.tx.manager;
    const store = await this.repo.storeByCode(m, parsed.storeCode);
    if (!store) throw new AppError('WECHAT_SCENE_INVALID');
    const referrerId = parsed.referrerMemberNo ? await this.repo.memberIdByNo(m, parsed.referrerMemberNo) : null;
    return { storeId: store.id, referrerId };
  }

  private requireMp(): WechatMiniProgramGateway {
    if (!this.mp) throw new AppError('WECHAT_NOT_CONFIGURED');
    return this.mp;
  }

  private mpFailure(e: unknown, badInput: 'WECHAT_LOGIN_FAILED' | 'WECHAT_PHONE_CODE_INVALID' | 'WECHAT_UNAVAILABLE'): AppError {
    if (e instanceof AppError) return e;
    if (e instanceof WechatMpError && (BAD_CODE.has(e.errcode) || (badInput === 'WECHAT_PHONE_CODE_INVALID' && e.errcode > 0))) {
      return new AppError(badInput, { errcode: e.errcode });
    }
    this.logger.write('warn', 'wechat mini-program call failed', { err: String(e) });
    return new AppError('WECHAT_UNAVAILABLE', e instanceof WechatMpError ? { errcode: e.errcode } : undefined);
  }
}
