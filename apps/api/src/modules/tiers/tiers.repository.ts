import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TierMetric } from './domain/tier-rules';
import { MemberPaidTierEntity, MemberTierChangeEntity, TierEntity, TierPurchaseEntity } from './entities/tier.entity';

export interface LockedMember {
  id: string;
  tierId: string | null;
  status: string;
}

export interface TierChangeView {
  id: string;
  memberId: string;
  fromTierId: string | null;
  fromTierName: string | null;
  toTierId: string;
  toTierName: string;
  source: MemberTierChangeEntity['source'];
  reason: string;
  staffId: string | null;
  staffName: string | null;
  at: Date;
  expiresAt: Date | null;
}

/**
 * The only SQL of the tiers capability. It owns member.tier_id (the member entity leaves tier
 * rules and history to this capability) and reads ledger_entry for the upgrade metrics.
 */
@Injectable()
export class TiersRepository {
  activeTiers(m: EntityManager): Promise<TierEntity[]> {
    return m.createQueryBuilder(TierEntity, 't').where('t.archived_at IS NULL').orderBy('t.level', 'ASC').getMany();
  }

  findTier(m: EntityManager, id: string): Promise<TierEntity | null> {
    return m.createQueryBuilder(TierEntity, 't').where('t.id = :id AND t.archived_at IS NULL', { id }).getOne();
  }

  /** Archived ones too: a member may still be shown a tier that HQ retired after the change. */
  findAnyTier(m: EntityManager, id: string): Promise<TierEntity | null> {
    return m.findOne(TierEntity, { where: { id } });
  }

  saveTier(m: EntityManager, tier: Partial<TierEntity>): Promise<TierEntity> {
    return m.save(TierEntity, m.create(TierEntity, tier));
  }

  /** Serialises tier-definition edits, so that the one-initial and unique-level checks see each other. */
  async lockTierDefinitions(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('tier-definitions', 0))`);
  }

  async clearInitial(m: EntityManager, exceptId: string | null): Promise<void> {
    await m.query('UPDATE tier SET is_initial = false, updated_at = now() WHERE is_initial AND archived_at IS NULL AND id IS DISTINCT FROM $1', [exceptId]);
  }

  async holderCount(m: EntityManager, tierId: string): Promise<number> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM member WHERE tier_id = $1', [tierId]);
    return n;
  }

  async storeExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM store WHERE id = $1', [id])).length > 0;
  }

  /** Row lock on the member: every tier change of one member happens one at a time. */
  async homeStoreOf(m: EntityManager, memberId: string): Promise<string | null> {
    const rows: { home_store_id: string }[] = await m.query('SELECT home_store_id FROM member WHERE id = $1', [memberId]);
    return rows[0]?.home_store_id ?? null;
  }

  async lockMember(m: EntityManager, memberId: string): Promise<LockedMember | null> {
    const rows: { id: string; tier_id: string | null; status: string }[] = await m.query(
      'SELECT id, tier_id, status FROM member WHERE id = $1 FOR UPDATE',
      [memberId],
    );
    return rows[0] ? { id: rows[0].id, tierId: rows[0].tier_id, status: rows[0].status } : null;
  }

  /** The next batch of members after `afterId` (keyset pagination by id), locked in id order. */
  async lockMemberBatch(m: EntityManager, afterId: string | null, limit: number): Promise<LockedMember[]> {
    const rows: { id: string; tier_id: string | null; status: string }[] = await m.query(
      `SELECT id, tier_id, status FROM member WHERE status <> 'anonymised' AND ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2 FOR UPDATE`,
      [afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, tierId: r.tier_id, status: r.status }));
  }

  async readMember(m: EntityManager, memberId: string): Promise<LockedMember | null> {
    const rows: { id: string; tier_id: string | null; status: string }[] = await m.query('SELECT id, tier_id, status FROM member WHERE id = $1', [memberId]);
    return rows[0] ? { id: rows[0].id, tierId: rows[0].tier_id, status: rows[0].status } : null;
  }

  async setMemberTier(m: EntityManager, memberId: string, tierId: string): Promise<void> {
    await m.query('UPDATE member SET tier_id = $2, updated_at = now() WHERE id = $1', [memberId, tierId]);
  }

  async paidTiers(m: EntityManager, memberIds: string[]): Promise<Map<string, { tierId: string; expiresAt: Date }>> {
    const rows: { member_id: string; tier_id: string; expires_at: Date }[] = await m.query(
      'SELECT member_id, tier_id, expires_at FROM member_paid_tier WHERE member_id = ANY($1::uuid[])',
      [memberIds],
    );
    return new Map(rows.map((r) => [r.member_id, { tierId: r.tier_id, expiresAt: r.expires_at }]));
  }

  async setPaidTier(m: EntityManager, memberId: string, tierId: string, expiresAt: Date): Promise<void> {
    await m.query(
      `INSERT INTO member_paid_tier (member_id, tier_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (member_id) DO UPDATE SET tier_id = EXCLUDED.tier_id, expires_at = EXCLUDED.expires_at`,
      [memberId, tierId, expiresAt],
    );
  }

  async dropPaidTier(m: EntityManager, memberId: string): Promise<void> {
    await m.query('DELETE FROM member_paid_tier WHERE member_id = $1', [memberId]);
  }

  insertChange(m: EntityManager, change: Omit<MemberTierChangeEntity, 'id'>): Promise<MemberTierChangeEntity> {
    return m.save(MemberTierChangeEntity, m.create(MemberTierChangeEntity, change));
  }

  async changes(m: EntityManager, memberId: string, offset: number, limit: number): Promise<[TierChangeView[], number]> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM member_tier_change WHERE member_id = $1', [memberId]);
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT c.id, c.member_id, c.from_tier_id, f.name AS from_name, c.to_tier_id, t.name AS to_name, c.source, c.reason,
              c.staff_id, s.name AS staff_name, c.at, c.expires_at
         FROM member_tier_change c
         JOIN tier t ON t.id = c.to_tier_id
         LEFT JOIN tier f ON f.id = c.from_tier_id
         LEFT JOIN staff s ON s.id = c.staff_id
        WHERE c.member_id = $1 ORDER BY c.id DESC OFFSET $2 LIMIT $3`,
      [memberId, offset, limit],
    );
    return [
      rows.map((r) => ({
        id: String(r.id),
        memberId: r.member_id as string,
        fromTierId: (r.from_tier_id as string) ?? null,
        fromTierName: (r.from_name as string) ?? null,
        toTierId: r.to_tier_id as string,
        toTierName: r.to_name as string,
        source: r.source as TierChangeView['source'],
        reason: r.reason as string,
        staffId: (r.staff_id as string) ?? null,
        staffName: (r.staff_name as string) ?? null,
        at: r.at as Date,
        expiresAt: (r.expires_at as Date) ?? null,
      })),
      n,
    ];
  }

  async insertSpendFact(m: EntityManager, f: { memberId: string; amountFen: number; at: Date; refType: string; refId: string }): Promise<void> {
    await m.query('INSERT INTO member_spend_fact (member_id, amount_fen, at, ref_type, ref_id) VALUES ($1, $2, $3, $4, $5)', [f.memberId, f.amountFen, f.at, f.refType, f.refId]);
  }

  insertPurchase(m: EntityManager, p: Partial<TierPurchaseEntity>): Promise<TierPurchaseEntity> {
    return m.save(TierPurchaseEntity, m.create(TierPurchaseEntity, p));
  }

  /**
   * One upgrade metric for a batch of members over the window (start, now]; start null = lifetime.
   * Entries after `now` are left out, so that an evaluation "as of" a time sees what was known then.
   *   top_up: stored-value principal credited by top-ups (the bonus is a gift, not money paid in);
   *   points: points earned (not exchanged, adjusted or expired ones);
   *   spend:  stored value debited for spending, principal and bonus, plus the non-wallet part of
   *           orders that the checkout writes to member_spend_fact (negative rows for refunds).
   */
  async metric(m: EntityManager, memberIds: string[], metric: TierMetric, start: Date | null, now: Date): Promise<Map<string, number>> {
    const params = [memberIds, start, now];
    const window = (col: string) => `${col} <= $3 AND ($2::timestamptz IS NULL OR ${col} > $2)`;
    const sql =
      metric === 'top_up'
        ? `SELECT member_id, sum(amount) AS v FROM ledger_entry
            WHERE member_id = ANY($1::uuid[]) AND kind = 'wallet_principal' AND reason = 'top_up' AND amount > 0 AND ${window('created_at')}
            GROUP BY member_id`
        : metric === 'points'
          ? `SELECT member_id, sum(amount) AS v FROM ledger_entry
              WHERE member_id = ANY($1::uuid[]) AND kind = 'points' AND reason = 'earn' AND amount > 0 AND ${window('created_at')}
              GROUP BY member_id`
          : `SELECT member_id, sum(v) AS v FROM (
               SELECT member_id, -amount AS v FROM ledger_entry
                WHERE member_id = ANY($1::uuid[]) AND kind IN ('wallet_principal', 'wallet_bonus') AND reason = 'spend' AND amount < 0 AND ${window('created_at')}
               UNION ALL
               SELECT member_id, amount_fen FROM member_spend_fact WHERE member_id = ANY($1::uuid[]) AND ${window('at')}
             ) x GROUP BY member_id`;
    const rows: { member_id: string; v: string }[] = await m.query(sql, params);
    return new Map(rows.map((r) => [r.member_id, Number(r.v)]));
  }

  /** Claims today's run of the daily job; false when another instance already claimed it. */

}
