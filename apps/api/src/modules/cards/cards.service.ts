import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StaffActor } from '../../common/auth/actor';
import { AuditService, diff } from '../../common/audit/audit.service';
import { pgConstraint, TransactionHost } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import { LedgerService, type Leg } from '../ledger/ledger.service';
import type { MemberResponse } from '../members/dto/member.dto';
import { MembersService } from '../members/members.service';
import { ShiftsService } from '../shifts/shifts.service';
import { CardsRepository } from './cards.repository';
import { normaliseCardNo, transition, type CardAction } from './domain/card-lifecycle';
import { returnAmounts } from './domain/card-return';
import type {
  CardActionRequest,
  CardEventResponse,
  CardResponse,
  CardReturnResponse,
  CardSettingsResponse,
  IssueCardRequest,
  ReplaceCardRequest,
  ReplaceCardResponse,
  ReturnCardRequest,
  UpdateCardSettingsRequest,
} from './dto/card.dto';
import type { CardEntity, CardEventEntity, CardReturnEntity, CardSettingsEntity } from './entities/card.entity';

/**
 * Physical member cards (实体会员卡). A card is only a way to find its member: every balance is
 * the member's, so replacing a card moves nothing, and only a return (退卡) touches money — through
 * the ledger, with its own card_return record. Cards belong to the chain like members do (跨店通用):
 * any store serves any card; where each action happened is recorded on the card's events.
 */
@Injectable()
export class CardsService {
  constructor(
    private readonly tx: TransactionHost,
    private readonly cards: CardsRepository,
    private readonly members: MembersService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly shifts: ShiftsService,
  ) {}

  /** Issues a card (发卡) to a member who holds none in use. */
  issue(actor: StaffActor, memberId: string, input: IssueCardRequest): Promise<CardResponse> {
    return this.tx.run(async (m) => {
      const member = await this.members.get(memberId);
      if (member.status !== 'active') throw new AppError('MEMBER_NOT_ACTIVE');
      await this.assertStore(m, input.storeId);
      if (await this.cards.memberHasCardInUse(m, memberId)) throw new AppError('CARD_MEMBER_HAS_CARD');
      const card = await this.newCard(m, { cardNo: input.cardNo, memberId, storeId: input.storeId, staffId: actor.id, replacesCardId: null });
      await this.cards.insertEvent(m, { cardId: card.id, memberId, kind: 'issued', storeId: input.storeId, staffId: actor.id });
      const after = await this.view(m, card);
      await this.audit.record(m, { action: 'card.issue', entityType: 'card', entityId: card.id, storeId: input.storeId, after: { cardNo: card.cardNo, memberId } });
      return after;
    });
  }

  /** Reports a card lost (挂失): from now on the card does not identify the member. */
  reportLoss(actor: StaffActor, cardId: string, input: CardActionRequest): Promise<CardResponse> {
    return this.changeStatus(actor, cardId, input, 'report_loss');
  }

  /** Lifts a loss report (解挂) once the member has the card back. */
  unfreeze(actor: StaffActor, cardId: string, input: CardActionRequest): Promise<CardResponse> {
    return this.changeStatus(actor, cardId, input, 'unfreeze');
  }

  /** Replaces a card (补卡): the old number is void, the new one serves the same member and accounts. */
  replace(actor: StaffActor, cardId: string, input: ReplaceCardRequest): Promise<ReplaceCardResponse> {
    return this.tx.run(async (m) => {
      const feeFen = input.feeFen ?? 0;
      // A fee is money taken at the counter: a taking of the cashier's open shift (whose lock comes first).
      const take = feeFen > 0 ? await this.shifts.takeAtCounter(m, actor, input.storeId) : null;
      const old = await this.lockedCard(m, cardId, 'replace');
      await this.assertStore(m, input.storeId);
      const before = { cardNo: old.cardNo, status: old.status };
      old.status = 'replaced';
      old.closedAt = new Date();
      await this.cards.saveCard(m, old);
      const fresh = await this.newCard(m, { cardNo: input.newCardNo, memberId: old.memberId, storeId: input.storeId, staffId: actor.id, replacesCardId: old.id });
      await this.cards.insertEvent(m, {
        cardId: old.id,
        memberId: old.memberId,
        kind: 'replaced',
        storeId: input.storeId,
        staffId: actor.id,
        relatedCardId: fresh.id,
        feeFen,
        feeMethod: feeFen > 0 ? input.paymentMethod ?? null : null,
        reason: input.reason ?? null,
      });
      await this.cards.insertEvent(m, { cardId: fresh.id, memberId: old.memberId, kind: 'issued', storeId: input.storeId, staffId: actor.id, relatedCardId: old.id });
      if (take && input.paymentMethod) await take(input.paymentMethod, feeFen, 'card_replace', old.id);
      await this.audit.record(m, {
        action: 'card.replace',
        entityType: 'card',
        entityId: old.id,
        storeId: input.storeId,
        before,
        after: { status: 'replaced', newCardId: fresh.id, newCardNo: fresh.cardNo, feeFen, paymentMethod: feeFen > 0 ? input.paymentMethod : null },
        reason: input.reason ?? null,
      });
      return { oldCard: await this.view(m, old), newCard: await this.view(m, fresh) };
    });
  }

  /**
   * Returns a card (退卡): closes it and pays the principal back in cash under the chain's rule —
   * fee in bps of the principal (rounded down), bonus forfeited unless the rule keeps it. The
   * principal and forfeited bonus leave the wallet by one ledger posting whose refId is the
   * card_return row. Needs the member's payment password when one is set: money leaves the wallet.
   */
  returnCard(actor: StaffActor, cardId: string, input: ReturnCardRequest): Promise<CardReturnResponse> {
    return this.tx.run(async (m) => {
      // The refund is cash out of the returning cashier's drawer: the shift first (its lock comes before every other).
      const take = await this.shifts.takeAtCounter(m, actor, input.storeId);
      const card = await this.lockedCard(m, cardId, 'return');
      const statusBefore = card.status;
      await this.assertStore(m, input.storeId);
      await this.members.assertPayPassword(m, card.memberId, input.payPassword);
      const settings = await this.cards.settings(m);
      const principal = await this.ledger.balanceOf(m, card.memberId, 'wallet_principal');
      const bonus = await this.ledger.balanceOf(m, card.memberId, 'wallet_bonus');
      const amounts = returnAmounts(principal, bonus, { feeBps: settings.returnFeeBps, forfeitBonus: settings.returnForfeitsBonus });
      const record = await this.cards.insertReturn(m, {
        cardId: card.id,
        memberId: card.memberId,
        storeId: input.storeId,
        staffId: actor.id,
        reason: input.reason,
        feeBps: settings.returnFeeBps,
        ...amounts,
      });
      const legs = (
        [
          { memberId: card.memberId, kind: 'wallet_principal', amount: -amounts.principalFen, reason: 'card_return' },
          { memberId: card.memberId, kind: 'wallet_bonus', amount: -amounts.bonusForfeitedFen, reason: 'card_return_forfeit' },
        ] satisfies Leg[]
      ).filter((l) => l.amount !== 0);
      if (legs.length) {
        const posted = await this.ledger.post(m, { legs, refType: 'card_return', refId: record.id, storeId: input.storeId, memo: input.reason });
        // The balances were read without a lock; the posting locked the accounts. Anything left
        // means money arrived in between: refuse rather than refund a stale amount.
        if (posted.entries.some((e) => e.balanceAfter !== 0)) throw new AppError('CONFLICT', { reason: 'the balance changed during the return; retry' });
      }
      await take('cash', -amounts.refundFen, 'card_return', record.id);
      card.status = 'returned';
      card.closedAt = new Date();
      await this.cards.saveCard(m, card);
      await this.cards.insertEvent(m, { cardId: card.id, memberId: card.memberId, kind: 'returned', storeId: input.storeId, staffId: actor.id, reason: input.reason });
      const response = toReturnResponse(record);
      await this.audit.record(m, {
        action: 'card.return',
        entityType: 'card',
        entityId: card.id,
        storeId: input.storeId,
        before: { status: statusBefore, principalFen: principal, bonusFen: bonus },
        after: { status: 'returned', ...amounts, feeBps: settings.returnFeeBps, cardReturnId: record.id },
        reason: input.reason,
      });
      return response;
    });
  }

  /** Finds the member of a card number, as typed or scanned at the counter; only active cards do. */
  async resolve(cardNo: string): Promise<MemberResponse> {
    const card = await this.cards.findByNo(this.tx.manager, normaliseCardNo(cardNo));
    if (!card) throw new AppError('CARD_NOT_FOUND');
    const t = transition(card.status, 'identify');
    if (!t.ok) throw new AppError(t.code);
    return this.members.get(card.memberId);
  }

  /** Every card the member ever held, newest first, each with its history (卡片履历). */
  async history(memberId: string): Promise<CardResponse[]> {
    await this.members.get(memberId);
    const m = this.tx.manager;
    const cards = await this.cards.cardsOfMember(m, memberId);
    const events = await this.cards.eventsOf(m, cards.map((c) => c.id));
    return cards.map((c) => toCardResponse(c, events.filter((e) => e.cardId === c.id)));
  }

  async settings(): Promise<CardSettingsResponse> {
    return this.tx.run(async (m) => toSettingsResponse(await this.cards.settings(m)));
  }

  updateSettings(input: UpdateCardSettingsRequest): Promise<CardSettingsResponse> {
    return this.tx.run(async (m) => {
      const s = await this.cards.settings(m, true);
      const before = toSettingsResponse(s);
      if (input.returnFeeBps !== undefined) s.returnFeeBps = input.returnFeeBps;
      if (input.returnForfeitsBonus !== undefined) s.returnForfeitsBonus = input.returnForfeitsBonus;
      const after = toSettingsResponse(await this.cards.saveSettings(m, s));
      const { updatedAt: _b, ...b } = before;
      const { updatedAt: _a, ...a } = after;
      await this.audit.record(m, { action: 'card-settings.update', entityType: 'card_settings', entityId: '1', ...diff(b, a) });
      return after;
    });
  }

  private changeStatus(actor: StaffActor, cardId: string, input: CardActionRequest, action: 'report_loss' | 'unfreeze'): Promise<CardResponse> {
    return this.tx.run(async (m) => {
      const card = await this.lockedCard(m, cardId, action);
      const storeId = input.storeId ?? null;
      if (storeId) await this.assertStore(m, storeId);
      const before = card.status;
      card.status = action === 'report_loss' ? 'lost' : 'active';
      card.lostAt = action === 'report_loss' ? new Date() : null;
      await this.cards.saveCard(m, card);
      await this.cards.insertEvent(m, { cardId, memberId: card.memberId, kind: action === 'report_loss' ? 'lost' : 'unfrozen', storeId, staffId: actor.id, reason: input.reason ?? null });
      await this.audit.record(m, {
        action: action === 'report_loss' ? 'card.report-loss' : 'card.unfreeze',
        entityType: 'card',
        entityId: cardId,
        storeId,
        before: { status: before },
        after: { status: card.status },
        reason: input.reason ?? null,
      });
      return this.view(m, card);
    });
  }

  private async lockedCard(m: EntityManager, cardId: string, action: CardAction): Promise<CardEntity> {
    const card = await this.cards.lockCard(m, cardId);
    if (!card) throw new AppError('CARD_NOT_FOUND');
    const t = transition(card.status, action);
    if (!t.ok) throw new AppError(t.code, { status: card.status });
    return card;
  }

  private async newCard(
    m: EntityManager,
    c: { cardNo: string | undefined; memberId: string; storeId: string; staffId: string; replacesCardId: string | null },
  ): Promise<CardEntity> {
    let cardNo: string;
    if (c.cardNo) {
      cardNo = normaliseCardNo(c.cardNo);
      if (await this.cards.cardNoTaken(m, cardNo)) throw new AppError('CARD_NO_TAKEN', { field: 'cardNo' });
    } else {
      // A typed pre-printed number may already hold the next system number: skip it.
      do cardNo = await this.cards.nextCardNo(m);
      while (await this.cards.cardNoTaken(m, cardNo));
    }
    try {
      return await this.cards.insertCard(m, {
        cardNo,
        memberId: c.memberId,
        status: 'active',
        issuedStoreId: c.storeId,
        issuedByStaffId: c.staffId,
        replacesCardId: c.replacesCardId,
        lostAt: null,
        closedAt: null,
      });
    } catch (err) {
      // Concurrent issues: the unique indexes decide; the loser gets the business error.
      const constraint = pgConstraint(err);
      if (constraint === 'card_no_unique') throw new AppError('CARD_NO_TAKEN', { field: 'cardNo' });
      if (constraint === 'card_member_in_use_unique') throw new AppError('CARD_MEMBER_HAS_CARD');
      throw err;
    }
  }

  private async assertStore(m: EntityManager, storeId: string): Promise<void> {
    if (!(await this.cards.storeExists(m, storeId))) throw new AppError('STORE_NOT_FOUND');
  }

  private async view(m: EntityManager, card: CardEntity): Promise<CardResponse> {
    return toCardResponse(card, await this.cards.eventsOf(m, [card.id]));
  }
}

export function toCardResponse(c: CardEntity, events: CardEventEntity[]): CardResponse {
  return {
    id: c.id,
    cardNo: c.cardNo,
    memberId: c.memberId,
    status: c.status,
    issuedStoreId: c.issuedStoreId,
    issuedByStaffId: c.issuedByStaffId,
    replacesCardId: c.replacesCardId,
    lostAt: c.lostAt ? c.lostAt.toISOString() : null,
    closedAt: c.closedAt ? c.closedAt.toISOString() : null,
    createdAt: c.createdAt.toISOString(),
    events: events.map(toEventResponse),
  };
}

function toEventResponse(e: CardEventEntity): CardEventResponse {
  return {
    kind: e.kind,
    storeId: e.storeId,
    staffId: e.staffId,
    relatedCardId: e.relatedCardId,
    feeFen: Number(e.feeFen),
    feeMethod: e.feeMethod,
    reason: e.reason,
    createdAt: e.createdAt.toISOString(),
  };
}

function toReturnResponse(r: CardReturnEntity): CardReturnResponse {
  return {
    id: r.id,
    cardId: r.cardId,
    memberId: r.memberId,
    storeId: r.storeId,
    reason: r.reason,
    principalFen: Number(r.principalFen),
    feeBps: r.feeBps,
    feeFen: Number(r.feeFen),
    refundFen: Number(r.refundFen),
    refundMethod: r.refundMethod,
    bonusForfeitedFen: Number(r.bonusForfeitedFen),
    createdAt: r.createdAt.toISOString(),
  };
}

function toSettingsResponse(s: CardSettingsEntity): CardSettingsResponse {
  return { returnFeeBps: s.returnFeeBps, returnForfeitsBonus: s.returnForfeitsBonus, updatedAt: s.updatedAt.toISOString() };
}
