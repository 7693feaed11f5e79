import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Actor, StaffActor } from '../../common/auth/actor';
import { ActorRepository } from '../../common/auth/actor.repository';
import { dummyHash, hashPassword, verifyPassword } from '../../common/auth/password';
import { signAccessToken } from '../../common/auth/token';
import { AuditService } from '../../common/audit/audit.service';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { requestContext } from '../../common/request-context';
import { StaffRepository } from '../staff/staff.repository';
import { AuthRepository } from './auth.repository';
import type { ChangePasswordRequest, MemberTokenResponse, MeResponse, TokenResponse } from './dto/auth.dto';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly auth: AuthRepository,
    private readonly staff: StaffRepository,
    private readonly actors: ActorRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Signs a staff member in. Unknown accounts, wrong passwords and disabled accounts all answer
   * the same AUTH_INVALID_CREDENTIALS after the same argon2 work, and are counted and locked the
   * same way, so that no answer tells whether an account exists.
   */
  async login(login: string, password: string): Promise<TokenResponse> {
    const normalized = login.trim().toLowerCase();
    const accountKey = `acct:${normalized}`;
    const ipKey = `ip:${requestContext.get()?.ip ?? 'unknown'}`;
    const { login: limits } = this.config;
    const m = this.tx.dataSource.manager;

    if (await this.auth.lockedUntil(m, [accountKey, ipKey])) throw new AppError('AUTH_LOCKED');
    const acct = await this.auth.countAttempt(m, accountKey, limits.maxFailuresPerAccount, limits.windowMinutes, limits.lockMinutes);
    const ip = await this.auth.countAttempt(m, ipKey, limits.maxFailuresPerIp, limits.windowMinutes, limits.lockMinutes);
    if (acct.locked || ip.locked) throw new AppError('AUTH_LOCKED');

    const staff = await this.staff.findByLogin(m, normalized);
    const ok = staff ? await verifyPassword(staff.passwordHash, password) : await verifyPassword(await dummyHash(), password);
    if (!staff || !ok || staff.status !== 'active') throw new AppError('AUTH_INVALID_CREDENTIALS');

    return this.tx.run(async (tm) => {
      await this.auth.forgive(tm, accountKey, ipKey);
      await this.auth.touchLogin(tm, staff.id);
      const familyId = randomUUID();
      const tokens = await this.issue(tm, { staffId: staff.id }, familyId);
      const actor = await this.actors.loadStaff(tm, staff.id, familyId);
      if (!actor) throw new AppError('AUTH_INVALID_CREDENTIALS');
      const ctx = requestContext.get();
      if (ctx) ctx.actor = actor;
      await this.audit.record(tm, { action: 'auth.login', entityType: 'staff', entityId: staff.id, storeId: actor.storeIds[0] ?? null });
      return { ...tokens, staff: await this.me(actor, tm) };
    });
  }

  /**
   * Rotates a refresh token. A token presented a second time means it was copied: the whole
   * family (every token descended from that sign-in) is revoked and the caller must sign in again.
   */
  async refresh(refreshToken: string): Promise<TokenResponse | MemberTokenResponse> {
    const outcome = await this.tx.run(async (m) => {
      const row = await this.auth.findRefreshForUpdate(m, sha256(refreshToken));
      if (!row || row.revokedAt || row.expiresAt.getTime() <= Date.now()) return { error: 'AUTH_TOKEN_INVALID' as const };
      if (row.usedAt) {
        await this.auth.revokeFamily(m, row.familyId);
        await this.audit.record(m, {
          action: 'auth.refresh-reuse',
          entityType: row.staffId ? 'staff' : 'member',
          entityId: (row.staffId ?? row.memberId)!,
          reason: 'refresh token reused; family revoked',
        });
        return { error: 'AUTH_REFRESH_REUSED' as const };
      }
      await this.auth.markUsed(m, row.id);
      if (row.memberId) {
        const member = await this.actors.loadMember(m, row.memberId, row.familyId);
        if (!member) return { error: 'AUTH_TOKEN_INVALID' as const };
        return { result: { ...(await this.issue(m, { memberId: row.memberId }, row.familyId)), staff: undefined } };
      }
      const actor = await this.actors.loadStaff(m, row.staffId!, row.familyId);
      if (!actor) return { error: 'AUTH_TOKEN_INVALID' as const };
      const tokens = await this.issue(m, { staffId: row.staffId! }, row.familyId);
      return { result: { ...tokens, staff: await this.me(actor, m) } };
    });
    // The revocation above must commit, so the error is raised only after the transaction.
    if ('error' in outcome) throw new AppError(outcome.error!);
    return outcome.result as TokenResponse | MemberTokenResponse;
  }

  logout(actor: Actor): Promise<void> {
    return this.tx.run(async (m) => {
      await this.auth.revokeFamily(m, actor.familyId);
      await this.audit.record(m, { action: 'auth.logout', entityType: actor.kind, entityId: actor.id });
    });
  }

  /**
   * Opens a session for a member whose identity a sign-in channel has proven (WeChat code2Session
   * in the member app). The member API then takes the access token like the staff API does.
   */
  issueMemberSession(memberId: string): Promise<MemberTokenResponse> {
    return this.tx.run((m) => this.issue(m, { memberId }, randomUUID()));
  }

  changePassword(actor: StaffActor, input: ChangePasswordRequest): Promise<void> {
    return this.tx.run(async (m) => {
      const staff = await this.staff.findById(m, actor.id);
      if (!staff || !(await verifyPassword(staff.passwordHash, input.currentPassword))) throw new AppError('AUTH_INVALID_CREDENTIALS');
      staff.passwordHash = await hashPassword(input.newPassword);
      await this.staff.save(m, staff);
      await this.auth.revokeOtherFamilies(m, actor.id, actor.familyId);
      await this.audit.record(m, { action: 'auth.change-password', entityType: 'staff', entityId: actor.id });
    });
  }

  async me(actor: StaffActor, m: EntityManager = this.tx.manager): Promise<MeResponse> {
    const staff = await this.staff.findById(m, actor.id);
    return {
      id: actor.id,
      name: actor.name,
      username: staff?.username ?? null,
      phone: staff?.phone ?? null,
      scope: actor.scope,
      roles: (staff?.roles ?? []).map((r) => r.code).sort(),
      permissions: [...actor.permissions].sort(),
      stores: await this.auth.storesOf(m, actor.scope === 'chain' ? null : actor.storeIds),
    };
  }

  private async issue(m: EntityManager, subject: { staffId: string } | { memberId: string }, familyId: string) {
    const refreshToken = randomBytes(32).toString('base64url');
    const staffId = 'staffId' in subject ? subject.staffId : null;
    const memberId = 'memberId' in subject ? subject.memberId : null;
    await this.auth.insertRefresh(m, {
      staffId,
      memberId,
      familyId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86400_000),
    });
    return {
      accessToken: signAccessToken(
        staffId ? { sub: staffId, typ: 'staff', fid: familyId } : { sub: memberId!, typ: 'member', fid: familyId },
        this.config.jwtSecret,
        this.config.accessTokenTtlSeconds,
      ),
      refreshToken,
      tokenType: 'Bearer' as const,
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }
}
