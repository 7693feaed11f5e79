import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import type { MemberResponse } from '../members/dto/member.dto';
import { MembersService } from '../members/members.service';
import { CardsRepository } from './cards.repository';
import { checkCode, CODE_WINDOW_SECONDS, codeWindow, makeCode, parseCode, windowOf } from './domain/member-code';
import type { MemberCodeResponse } from './dto/card.dto';

/**
 * The dynamic member code (会员动态码); the format is in domain/member-code.ts. `now` is a
 * parameter so that tests can move time; the routes pass the clock.
 *
 * Seam for checkout: a stored-value payment by code calls `resolve` inside its own transaction
 * (TransactionHost joins it), so the code is consumed only if the payment commits, then passes
 * `verifiedByCode = true` to MembersService.assertPayPassword.
 */
@Injectable()
export class MemberCodeService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly cards: CardsRepository,
    private readonly members: MembersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  issue(memberId: string, now: Date = new Date()): Promise<MemberCodeResponse> {
    return this.tx.run(async (m) => {
      const member = await this.members.get(memberId);
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      const key = await this.cards.codeKey(m, memberId);
      const window = windowOf(now);
      const code = makeCode(this.config.memberCodeSecret, { memberId, codeIndex: Number(key.codeIndex), uses: Number(key.uses) }, window);
      const windowEnd = (window + 1) * CODE_WINDOW_SECONDS * 1000;
      return {
        code,
        // Accepted through the next window as well, so a code shown at the end of one still scans.
        expiresAt: new Date(windowEnd + CODE_WINDOW_SECONDS * 1000).toISOString(),
        refreshInSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)),
      };
    });
  }

  /** Finds the member of a scanned code and uses the code up: each code resolves exactly once. */
  resolve(staffId: string | null, code: string, storeId: string, now: Date = new Date()): Promise<MemberResponse> {
    return this.tx.run(async (m) => {
      if (!(await this.cards.storeExists(m, storeId))) throw new AppError('STORE_NOT_FOUND');
      const parsed = parseCode(code);
      if (!parsed) throw new AppError('MEMBER_CODE_INVALID');
      const key = await this.cards.codeKeyByIndex(m, parsed.codeIndex);
      if (!key) throw new AppError('MEMBER_CODE_INVALID');
      const current = windowOf(now);
      const subject = { memberId: key.memberId, codeIndex: Number(key.codeIndex), uses: Number(key.uses) };
      const check = checkCode(this.config.memberCodeSecret, parsed, subject, current);
      if (check === 'invalid') throw new AppError('MEMBER_CODE_INVALID');
      if (check === 'expired') throw new AppError('MEMBER_CODE_EXPIRED');
      if (check === 'used') throw new AppError('MEMBER_CODE_USED');
      const window = codeWindow(parsed, current);
      const recorded = await this.cards.recordCodeUse(m, { memberId: key.memberId, code, window, uses: subject.uses, storeId, staffId });
      // Lost the race to a concurrent resolve of the same code, or of another code of the same
      // counter (both windows are valid at once): either way this code is no longer the member's.
      if (!recorded || !(await this.cards.bumpCodeUses(m, key.memberId, subject.uses))) throw new AppError('MEMBER_CODE_USED');
      return this.members.get(key.memberId);
    });
  }
}
