import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../../common/audit/audit.service';
import { hashPassword, verifyPassword } from '../../common/auth/password';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { isWeakPayPassword, PAY_PASSWORD_POLICY } from './domain/pay-password';
import type { ChangePayPasswordRequest, PayPasswordStatusResponse, ResetPayPasswordRequest } from './dto/pay-password.dto';
import { MembersRepository } from './members.repository';
import { PayPasswordRepository } from './pay-password.repository';

/**
 * The member payment password (支付密码): set and changed by the member only, reset (cleared) by
 * HQ, never shown to anyone, not even as a hash in the audit log. Five wrong attempts within 15
 * minutes lock stored-value payment for 15 minutes (see PayPasswordRepository.recordFailure).
 */
@Injectable()
export class PayPasswordService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly members: MembersRepository,
    private readonly payPasswords: PayPasswordRepository,
    private readonly audit: AuditService,
  ) {}

  async status(memberId: string): Promise<PayPasswordStatusResponse> {
    const m = this.tx.manager;
    const member = await this.members.findById(m, memberId);
    if (!member) throw new AppError('MEMBER_NOT_FOUND');
    const guard = await this.payPasswords.guard(m, memberId);
    const lockedUntil = guard?.lockedUntil && guard.lockedUntil > new Date() ? guard.lockedUntil.toISOString() : null;
    return { isSet: !!member.payPasswordHash, lockedUntil };
  }

  /** The member sets a first password, or changes it by giving the current one. */
  changeMine(memberId: string, input: ChangePayPasswordRequest): Promise<void> {
    return this.tx.run(async (m) => {
      const member = await this.members.findById(m, memberId);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      if (isWeakPayPassword(input.newPassword)) throw new AppError('MEMBER_PAY_PASSWORD_WEAK', { field: 'newPassword' });
      if (member.payPasswordHash) {
        // Changing needs the current password, counted like a payment: this route must not become
        // a way round the lock for someone holding the member's phone.
        await this.assertNotLocked(m, memberId);
        if (!input.currentPassword) throw new AppError('MEMBER_PAY_PASSWORD_REQUIRED', { field: 'currentPassword' });
        await this.verify(memberId, member.payPasswordHash, input.currentPassword);
      }
      await this.payPasswords.setHash(m, memberId, await hashPassword(input.newPassword));
      await this.audit.record(m, {
        action: member.payPasswordHash ? 'member.pay-password.change' : 'member.pay-password.set',
        entityType: 'member',
        entityId: memberId,
        before: { payPasswordSet: !!member.payPasswordHash },
        after: { payPasswordSet: true },
      });
    });
  }

  /** HQ clears the password (the member forgot it); the member sets a new one in the app. */
  reset(memberId: string, input: ResetPayPasswordRequest): Promise<void> {
    return this.tx.run(async (m) => {
      const member = await this.members.findById(m, memberId);
      if (!member) throw new AppError('MEMBER_NOT_FOUND');
      await this.payPasswords.setHash(m, memberId, null);
      await this.payPasswords.clearGuard(m, memberId);
      await this.audit.record(m, {
        action: 'member.pay-password.reset',
        entityType: 'member',
        entityId: memberId,
        storeId: member.homeStoreId,
        before: { payPasswordSet: !!member.payPasswordHash },
        after: { payPasswordSet: false },
        reason: input.reason,
      });
    });
  }

  async assertNotLocked(m: EntityManager, memberId: string): Promise<void> {
    const guard = await this.payPasswords.guard(m, memberId);
    if (guard?.lockedUntil && guard.lockedUntil > new Date()) throw new AppError('MEMBER_PAY_PASSWORD_LOCKED', { lockedUntil: guard.lockedUntil.toISOString() });
  }

  /** Verifies and counts: a wrong password is recorded even though the caller's transaction rolls back. */
  async verify(memberId: string, hash: string, password: string): Promise<void> {
    if (await verifyPassword(hash, password)) {
      await this.payPasswords.clearFailures(memberId);
      return;
    }
    const state = await this.payPasswords.recordFailure(memberId);
    if (state.lockedUntil && state.lockedUntil > new Date()) throw new AppError('MEMBER_PAY_PASSWORD_LOCKED', { lockedUntil: state.lockedUntil.toISOString() });
    throw new AppError('MEMBER_PAY_PASSWORD_WRONG', { attemptsLeft: PAY_PASSWORD_POLICY.maxFailures - state.failures });
  }
}
