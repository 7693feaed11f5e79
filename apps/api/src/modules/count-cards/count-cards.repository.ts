import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  CountCardRedemptionEntity,
  CountCardRedemptionReversalEntity,
  CountCardTemplateEntity,
  CountCardTimerEntity,
  MemberCountCardEntity,
  type CountCardKind,
  type CountCardStatus,
  type TemplateStatus,
} from './entities/count-card.entity';

export interface RedemptionRow extends CountCardRedemptionEntity {
  reversedAt: Date | null;
  reversalReason: string | null;
}

/** The only SQL over the count-card tables. */
@Injectable()
export class CountCardsRepository {
  template(m: EntityManager, id: string): Promise<CountCardTemplateEntity | null> {
    return m.findOne(CountCardTemplateEntity, { where: { id } });
  }

  saveTemplate(m: EntityManager, t: Partial<CountCardTemplateEntity>): Promise<CountCardTemplateEntity> {
    return m.save(CountCardTemplateEntity, m.create(CountCardTemplateEntity, t));
  }

  listTemplates(
    m: EntityManager,
    f: { status?: TemplateStatus; kind?: CountCardKind; storeId?: string; offset: number; limit: number },
  ): Promise<[CountCardTemplateEntity[], number]> {
    const qb = m.createQueryBuilder(CountCardTemplateEntity, 't');
    if (f.status) qb.andWhere('t.status = :status', { status: f.status });
    if (f.kind) qb.andWhere('t.kind = :kind', { kind: f.kind });
    if (f.storeId) qb.andWhere(`(cardinality(t.store_ids) = 0 OR :storeId = ANY(t.store_ids))`, { storeId: f.storeId });
    return qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  async missingStores(m: EntityManager, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await m.query('SELECT id FROM store WHERE id = ANY($1::uuid[])', [ids]);
    return ids.filter((id) => !rows.some((r) => r.id === id));
  }

  async storeTimeZone(m: EntityManager, storeId: string): Promise<string | null> {
    const rows: { time_zone: string }[] = await m.query('SELECT time_zone FROM store WHERE id = $1', [storeId]);
    return rows[0]?.time_zone ?? null;
  }

  async staffExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM staff WHERE id = $1', [id])).length > 0;
  }

  async memberStatus(m: EntityManager, id: string): Promise<string | null> {
    const rows: { status: string }[] = await m.query('SELECT status FROM member WHERE id = $1', [id]);
    return rows[0]?.status ?? null;
  }

  /**
   * Midnight that starts the business day `days` after the day of `now` in `timeZone`: a card sold
   * on day D with N days of validity is valid through day D+N-1 and stops at the start of D+N.
   */
  async startOfDayAfter(m: EntityManager, now: Date, timeZone: string, days: number): Promise<Date> {
    const [{ t }] = await m.query(`SELECT ((($1::timestamptz AT TIME ZONE $2)::date + $3::int)::timestamp AT TIME ZONE $2) AS t`, [now, timeZone, days]);
    return t;
  }

  /** The midnight that ends a fixed last day (inclusive) in `timeZone`. */
  async endOfDate(m: EntityManager, date: string, timeZone: string): Promise<Date> {
    const [{ t }] = await m.query(`SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) AS t`, [date, timeZone]);
    return t;
  }

  insertCard(m: EntityManager, card: Partial<MemberCountCardEntity>): Promise<MemberCountCardEntity> {
    return m.save(MemberCountCardEntity, m.create(MemberCountCardEntity, card));
  }

  card(m: EntityManager, id: string, memberId?: string): Promise<MemberCountCardEntity | null> {
    return m.findOne(MemberCountCardEntity, { where: memberId ? { id, memberId } : { id } });
  }

  /**
   * Locks the card row: every use case that changes a card (redeem, timers, reverse, expire) takes
   * this lock first and the ledger account's second, so they serialise per card without deadlocks,
   * and the per-day count of a period card cannot be read stale by two redemptions at once.
   */
  lockCard(m: EntityManager, id: string): Promise<MemberCountCardEntity | null> {
    return m.createQueryBuilder(MemberCountCardEntity, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  async redemptionCount(m: EntityManager, cardId: string): Promise<number> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM count_card_redemption WHERE count_card_id = $1', [cardId]);
    return n;
  }

  async setStatus(m: EntityManager, id: string, status: CountCardStatus, expiredAt?: Date): Promise<void> {
    await m.query('UPDATE member_count_card SET status = $2, expired_at = COALESCE($3, expired_at), updated_at = now() WHERE id = $1', [id, status, expiredAt ?? null]);
  }

  cardsOf(m: EntityManager, memberId: string, status?: CountCardStatus): Promise<MemberCountCardEntity[]> {
    return m.find(MemberCountCardEntity, { where: status ? { memberId, status } : { memberId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Balances of the cards' ledger accounts (count_card, ref_id = card id). */
  async unitsLeft(m: EntityManager, cardIds: string[]): Promise<Map<string, number>> {
    if (!cardIds.length) return new Map();
    const rows: { ref_id: string; balance: string }[] = await m.query(
      `SELECT ref_id, balance FROM account WHERE kind = 'count_card' AND ref_id = ANY($1::uuid[])`,
      [cardIds],
    );
    return new Map(rows.map((r) => [r.ref_id, Number(r.balance)]));
  }

  async runningTimers(m: EntityManager, cardIds: string[]): Promise<Map<string, string>> {
    if (!cardIds.length) return new Map();
    const rows: { id: string; count_card_id: string }[] = await m.query(
      'SELECT id, count_card_id FROM count_card_timer WHERE count_card_id = ANY($1::uuid[]) AND stopped_at IS NULL',
      [cardIds],
    );
    return new Map(rows.map((r) => [r.count_card_id, r.id]));
  }

  /** Uses redeemed (and not reversed) on the business day of `now` in `timeZone`. */
  async usesOnDay(m: EntityManager, cardId: string, now: Date, timeZone: string): Promise<number> {
    const [{ n }] = await m.query(
      `SELECT COALESCE(sum(r.quantity), 0)::int AS n
         FROM count_card_redemption r
        WHERE r.count_card_id = $1
          AND r.redeemed_at >= (date_trunc('day', $2::timestamptz AT TIME ZONE $3) AT TIME ZONE $3)
          AND r.redeemed_at < ((date_trunc('day', $2::timestamptz AT TIME ZONE $3) + interval '1 day') AT TIME ZONE $3)
          AND NOT EXISTS (SELECT 1 FROM count_card_redemption_reversal v WHERE v.redemption_id = r.id)`,
      [cardId, now, timeZone],
    );
    return n;
  }

  insertRedemption(m: EntityManager, r: Partial<CountCardRedemptionEntity>): Promise<CountCardRedemptionEntity> {
    return m.save(CountCardRedemptionEntity, m.create(CountCardRedemptionEntity, r));
  }

  async redemption(m: EntityManager, id: string): Promise<RedemptionRow | null> {
    const rows = await this.redemptionsWhere(m, 'r.id = $1', [id], 1);
    return rows[0] ?? null;
  }

  redemptionsOf(m: EntityManager, cardId: string, limit: number): Promise<RedemptionRow[]> {
    return this.redemptionsWhere(m, 'r.count_card_id = $1', [cardId], limit);
  }

  /** Redemptions made for another capability's record (an order payment) not reversed yet, latest first. */
  openRedemptionsFor(m: EntityManager, refType: string, refId: string, limit: number): Promise<RedemptionRow[]> {
    return this.redemptionsWhere(m, 'r.ref_type = $1 AND r.ref_id = $2 AND v.redemption_id IS NULL', [refType, refId], limit);
  }

  /** Inserts the reversal; false when the redemption was already reversed (the primary key decides). */
  async insertReversal(m: EntityManager, r: Pick<CountCardRedemptionReversalEntity, 'redemptionId' | 'reason' | 'operatorStaffId'>): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO count_card_redemption_reversal (redemption_id, reason, operator_staff_id) VALUES ($1, $2, $3) ON CONFLICT (redemption_id) DO NOTHING RETURNING redemption_id`,
      [r.redemptionId, r.reason, r.operatorStaffId],
    );
    return rows.length > 0;
  }

  insertTimer(m: EntityManager, t: Partial<CountCardTimerEntity>): Promise<CountCardTimerEntity> {
    return m.save(CountCardTimerEntity, m.create(CountCardTimerEntity, t));
  }

  timer(m: EntityManager, id: string): Promise<CountCardTimerEntity | null> {
    return m.findOne(CountCardTimerEntity, { where: { id } });
  }

  timersOf(m: EntityManager, cardId: string, limit: number): Promise<CountCardTimerEntity[]> {
    return m.find(CountCardTimerEntity, { where: { countCardId: cardId }, order: { startedAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** Stops a running timer; null when it had already stopped (the WHERE clause decides who wins). */
  async stopTimer(
    m: EntityManager,
    id: string,
    v: { stoppedAt: Date; minutesUsed: number; minutesBilled: number; shortfallMinutes: number },
  ): Promise<CountCardTimerEntity | null> {
    const [rows] = await m.query(
      `UPDATE count_card_timer SET stopped_at = $2, minutes_used = $3, minutes_billed = $4, shortfall_minutes = $5
        WHERE id = $1 AND stopped_at IS NULL RETURNING id`,
      [id, v.stoppedAt, v.minutesUsed, v.minutesBilled, v.shortfallMinutes],
    );
    return rows.length ? this.timer(m, id) : null;
  }

  /** Cards past their end that the expiry job has not handled yet; cards with a running timer wait for it to stop. */
  async dueForExpiry(m: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT c.id FROM member_count_card c
        WHERE c.status IN ('active', 'used_up') AND c.valid_until <= $1
          AND NOT EXISTS (SELECT 1 FROM count_card_timer t WHERE t.count_card_id = c.id AND t.stopped_at IS NULL)
        ORDER BY c.valid_until, c.id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  private async redemptionsWhere(m: EntityManager, where: string, params: unknown[], limit: number): Promise<RedemptionRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT r.id, r.count_card_id, r.member_id, r.store_id, r.service_code, r.quantity, r.staff_id, r.operator_staff_id, r.redeemed_at,
              r.ref_type, r.ref_id, v.created_at AS reversed_at, v.reason AS reversal_reason
         FROM count_card_redemption r LEFT JOIN count_card_redemption_reversal v ON v.redemption_id = r.id
        WHERE ${where} ORDER BY r.redeemed_at DESC, r.id DESC LIMIT ${Number(limit)}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id as string,
      countCardId: r.count_card_id as string,
      memberId: r.member_id as string,
      storeId: r.store_id as string,
      serviceCode: r.service_code as string,
      quantity: Number(r.quantity),
      staffId: (r.staff_id as string) ?? null,
      operatorStaffId: (r.operator_staff_id as string) ?? null,
      redeemedAt: r.redeemed_at as Date,
      refType: (r.ref_type as string) ?? null,
      refId: (r.ref_id as string) ?? null,
      reversedAt: (r.reversed_at as Date) ?? null,
      reversalReason: (r.reversal_reason as string) ?? null,
    }));
  }
}
