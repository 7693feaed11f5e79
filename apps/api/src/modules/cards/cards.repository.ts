import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CardEntity,
  CardEventEntity,
  CardReturnEntity,
  CardSettingsEntity,
  MemberCodeKeyEntity,
  type CardEventKind,
  type CardFeeMethod,
} from './entities/card.entity';

export interface NewCardEvent {
  cardId: string;
  memberId: string;
  kind: CardEventKind;
  storeId: string | null;
  staffId: string | null;
  relatedCardId?: string | null;
  feeFen?: number;
  feeMethod?: CardFeeMethod | null;
  reason?: string | null;
}

export interface NewCardReturn {
  cardId: string;
  memberId: string;
  storeId: string;
  staffId: string | null;
  reason: string;
  principalFen: number;
  feeBps: number;
  feeFen: number;
  refundFen: number;
  bonusForfeitedFen: number;
}

@Injectable()
export class CardsRepository {
  /** Locks the card for the rest of the transaction: two operations on one card run one after the other. */
  lockCard(m: EntityManager, id: string): Promise<CardEntity | null> {
    return m.createQueryBuilder(CardEntity, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  findByNo(m: EntityManager, cardNo: string): Promise<CardEntity | null> {
    return m.findOne(CardEntity, { where: { cardNo } });
  }

  async cardNoTaken(m: EntityManager, cardNo: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM card WHERE card_no = $1', [cardNo])).length > 0;
  }

  async memberHasCardInUse(m: EntityManager, memberId: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM card WHERE member_id = $1 AND status IN ('active', 'lost')`, [memberId])).length > 0;
  }

  /** System card numbers: 6 + 11 digits from a sequence (pre-printed numbers are typed in instead). */
  async nextCardNo(m: EntityManager): Promise<string> {
    const [{ n }] = await m.query(`SELECT nextval('card_no_seq') AS n`);
    return `6${String(n).padStart(11, '0')}`;
  }

  insertCard(m: EntityManager, card: Partial<CardEntity>): Promise<CardEntity> {
    return m.save(CardEntity, m.create(CardEntity, card));
  }

  saveCard(m: EntityManager, card: CardEntity): Promise<CardEntity> {
    return m.save(CardEntity, card);
  }

  async insertEvent(m: EntityManager, e: NewCardEvent): Promise<void> {
    await m.insert(CardEventEntity, {
      cardId: e.cardId,
      memberId: e.memberId,
      kind: e.kind,
      storeId: e.storeId,
      staffId: e.staffId,
      relatedCardId: e.relatedCardId ?? null,
      feeFen: String(e.feeFen ?? 0),
      feeMethod: e.feeMethod ?? null,
      reason: e.reason ?? null,
    });
  }

  cardsOfMember(m: EntityManager, memberId: string): Promise<CardEntity[]> {
    return m.find(CardEntity, { where: { memberId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  async eventsOf(m: EntityManager, cardIds: string[]): Promise<CardEventEntity[]> {
    if (!cardIds.length) return [];
    return m.createQueryBuilder(CardEventEntity, 'e').where('e.card_id = ANY(:ids)', { ids: cardIds }).orderBy('e.id', 'ASC').getMany();
  }

  insertReturn(m: EntityManager, r: NewCardReturn): Promise<CardReturnEntity> {
    return m.save(
      CardReturnEntity,
      m.create(CardReturnEntity, {
        ...r,
        principalFen: String(r.principalFen),
        feeFen: String(r.feeFen),
        refundFen: String(r.refundFen),
        bonusForfeitedFen: String(r.bonusForfeitedFen),
        refundMethod: 'cash',
      }),
    );
  }

  async storeExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM store WHERE id = $1', [id])).length > 0;
  }

  /** The one settings row (the migration seeds it; a restored old dump gets it on first read). */
  async settings(m: EntityManager, lock = false): Promise<CardSettingsEntity> {
    await m.query('INSERT INTO card_settings (id) VALUES (1) ON CONFLICT (id) DO NOTHING');
    const qb = m.createQueryBuilder(CardSettingsEntity, 's').where('s.id = 1');
    if (lock) qb.setLock('pessimistic_write');
    return (await qb.getOne())!;
  }

  saveSettings(m: EntityManager, s: CardSettingsEntity): Promise<CardSettingsEntity> {
    return m.save(CardSettingsEntity, s);
  }

  /** The member's code key, made on first use; the index comes from a sequence, never reused. */
  async codeKey(m: EntityManager, memberId: string): Promise<MemberCodeKeyEntity> {
    await m.query(
      `INSERT INTO member_code_key (member_id, code_index) VALUES ($1, nextval('member_code_index_seq')) ON CONFLICT (member_id) DO NOTHING`,
      [memberId],
    );
    return (await m.findOne(MemberCodeKeyEntity, { where: { memberId } }))!;
  }

  codeKeyByIndex(m: EntityManager, codeIndex: number): Promise<MemberCodeKeyEntity | null> {
    return m.findOne(MemberCodeKeyEntity, { where: { codeIndex: String(codeIndex) } });
  }

  /**
   * Records a resolved code. The unique (member, window, uses) key decides between concurrent
   * resolves of one code: exactly one inserts, the others wait for it and insert nothing.
   */
  async recordCodeUse(m: EntityManager, u: { memberId: string; code: string; window: number; uses: number; storeId: string; staffId: string | null }): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO member_code_use (member_id, code, "window", uses, store_id, staff_id) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (member_id, "window", uses) DO NOTHING RETURNING id`,
      [u.memberId, u.code, u.window, u.uses, u.storeId, u.staffId],
    );
    return rows.length === 1;
  }

  /** Moves the member's counter on, so that the resolved code can never match again. */
  async bumpCodeUses(m: EntityManager, memberId: string, uses: number): Promise<boolean> {
    const [, affected] = await m.query('UPDATE member_code_key SET uses = uses + 1 WHERE member_id = $1 AND uses = $2', [memberId, uses]);
    return affected === 1;
  }
}
