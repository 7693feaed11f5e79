import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { assertFen, type ErrorCode } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import { AppError } from '../../common/errors/app-error';
import { requestContext } from '../../common/request-context';
import type { AccountKind } from './entities/ledger.entity';
import { LedgerRepository, type LedgerEntryView } from './ledger.repository';

export interface Leg {
  memberId: string;
  kind: AccountKind;
  /** For per-thing accounts (one count card): the thing's id. */
  accountRefId?: string | null;
  /** Signed: positive credits the balance, negative debits it. Never zero. */
  amount: number;
  reason: string;
  /** Set by the points capability when it keeps the expiry lots of this leg itself. */
  lotsHandled?: boolean;
}

/**
 * Keeps points expiry lots in step with points legs posted by anyone else (imports, merges,
 * deletions, top-up bonus points): the points capability registers one at start-up.
 */
export interface PointsLotKeeper {
  onPointsPosted(m: EntityManager, leg: { memberId: string; amount: number; reason: string; refType: string; refId: string }): Promise<void>;
}

export interface Posting {
  legs: Leg[];
  /** The operation that causes the posting (e.g. 'top_up' + its id): every entry points at it. */
  refType: string;
  refId: string;
  storeId: string | null;
  memo?: string | null;
}

export interface PostedEntry {
  entryId: string;
  accountId: string;
  memberId: string;
  kind: AccountKind;
  amount: number;
  reason: string;
  balanceAfter: number;
}

/**
 * Told of every posting, inside its transaction, once all its entries are written. Notifications
 * observe balance changes this way (储值/积分变动通知), so that no balance capability imports them;
 * an observer's error rolls the posting back like any other failure of the use case.
 */
export interface PostingObserver {
  onPosted(m: EntityManager, posting: Posting, posted: { operationId: string; entries: PostedEntry[] }): Promise<void>;
}

const INSUFFICIENT: Record<AccountKind, ErrorCode> = {
  wallet_principal: 'WALLET_INSUFFICIENT_BALANCE',
  wallet_bonus: 'WALLET_INSUFFICIENT_BALANCE',
  points: 'POINTS_INSUFFICIENT',
  count_card: 'COUNT_CARD_NO_USES_LEFT',
};

/**
 * The one way any member balance changes (储值本金, 赠送金, 积分, 次卡次数).
 *
 * Invariants, checked by the reconcile SQL: an account's balance equals the sum of its entries;
 * no balance and no balance_after is ever negative; every entry names the operation that made
 * it; entries are never changed (corrections are new, reversing entries).
 *
 * `post` must run inside the caller's transaction: the balance update and the entry insert commit
 * together with the business record they belong to. Accounts are locked in ascending id order so
 * that two postings touching the same accounts cannot deadlock.
 */
@Injectable()
export class LedgerService {
  private lotKeeper?: PointsLotKeeper;
  private readonly observers: PostingObserver[] = [];

  constructor(private readonly ledger: LedgerRepository) {}

  registerPointsLotKeeper(keeper: PointsLotKeeper): void {
    this.lotKeeper = keeper;
  }

  registerPostingObserver(observer: PostingObserver): void {
    this.observers.push(observer);
  }

  async post(m: EntityManager, posting: Posting): Promise<{ operationId: string; entries: PostedEntry[] }> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('LedgerService.post must run inside a transaction');
    const operationId = randomUUID();
    const actor = requestContext.get()?.actor;
    const resolved = [];
    for (const leg of posting.legs) {
      assertFen(leg.amount, 'leg amount');
      if (leg.amount === 0) continue;
      resolved.push({ leg, accountId: await this.ledger.ensureAccount(m, leg.memberId, leg.kind, leg.accountRefId ?? null) });
    }
    resolved.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
    const entries: PostedEntry[] = [];
    for (const { leg, accountId } of resolved) {
      const balanceAfter = await this.ledger.move(m, accountId, leg.amount);
      if (balanceAfter === null) throw new AppError(INSUFFICIENT[leg.kind], { kind: leg.kind, requested: -leg.amount });
      const entryId = await this.ledger.insertEntry(m, {
        accountId,
        memberId: leg.memberId,
        kind: leg.kind,
        amount: leg.amount,
        balanceAfter,
        operationId,
        reason: leg.reason,
        refType: posting.refType,
        refId: posting.refId,
        storeId: posting.storeId,
        operatorKind: actor?.kind ?? 'system',
        operatorId: actor?.id ?? null,
        memo: posting.memo ?? null,
      });
      entries.push({ entryId, accountId, memberId: leg.memberId, kind: leg.kind, amount: leg.amount, reason: leg.reason, balanceAfter });
      if (leg.kind === 'points' && !leg.lotsHandled && this.lotKeeper) {
        await this.lotKeeper.onPointsPosted(m, { memberId: leg.memberId, amount: leg.amount, reason: leg.reason, refType: posting.refType, refId: posting.refId });
      }
    }
    for (const observer of this.observers) await observer.onPosted(m, posting, { operationId, entries });
    return { operationId, entries };
  }

  /** Current balances of a member, every kind (0 for kinds never touched). */
  async balances(m: EntityManager, memberId: string) {
    return this.ledger.balances(m, memberId);
  }

  async balanceOf(m: EntityManager, memberId: string, kind: AccountKind, refId: string | null = null): Promise<number> {
    const all = await this.ledger.balances(m, memberId);
    return all.find((b) => b.kind === kind && b.refId === refId)?.balance ?? 0;
  }

  entries(m: EntityManager, f: { memberId: string; kinds: AccountKind[]; refId?: string; offset: number; limit: number }): Promise<[LedgerEntryView[], number]> {
    return this.ledger.entries(m, f);
  }
}
