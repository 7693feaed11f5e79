import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  WalletBonusInstalmentEntity,
  WalletBonusRuleEntity,
  WalletSettingsEntity,
  WalletSpendEntity,
  WalletTopUpEntity,
  type TopUpStatus,
} from './entities/wallet.entity';

export interface TopUpFilter {
  storeIds: string[] | null;
  memberId?: string;
  from?: Date;
  to?: Date;
  status?: TopUpStatus;
  offset: number;
  limit: number;
}

export interface TopUpRow extends WalletTopUpEntity {
  storeName: string;
  ruleName: string | null;
}

/** The only SQL over the wallet's tables. */
@Injectable()
export class WalletRepository {
  async settings(m: EntityManager): Promise<WalletSettingsEntity> {
    const found = await m.findOne(WalletSettingsEntity, { where: { id: 1 } });
    if (found) return found;
    // The migration seeds the row; recreate the defaults if someone removed it.
    await m.query('INSERT INTO wallet_settings (id) VALUES (1) ON CONFLICT DO NOTHING');
    return m.findOneOrFail(WalletSettingsEntity, { where: { id: 1 } });
  }

  saveSettings(m: EntityManager, s: WalletSettingsEntity): Promise<WalletSettingsEntity> {
    return m.save(WalletSettingsEntity, s);
  }

  /**
   * Serialises the wallet operations of one member (spend, top-up, refund, reversal) for the rest
   * of the transaction: the split of a spend is computed from balances no one else changes
   * meanwhile. An advisory lock, because the account rows belong to the ledger.
   */
  async lockMemberWallet(m: EntityManager, memberId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('wallet:' || $1, 0))`, [memberId]);
  }

  rule(m: EntityManager, id: string): Promise<WalletBonusRuleEntity | null> {
    return m.findOne(WalletBonusRuleEntity, { where: { id } });
  }

  saveRule(m: EntityManager, rule: Partial<WalletBonusRuleEntity>): Promise<WalletBonusRuleEntity> {
    return m.save(WalletBonusRuleEntity, m.create(WalletBonusRuleEntity, rule));
  }

  /** Rules that could apply at a store: active ones of HQ and of the store (the domain picks). */
  rulesFor(m: EntityManager, storeId: string): Promise<WalletBonusRuleEntity[]> {
    return m
      .createQueryBuilder(WalletBonusRuleEntity, 'r')
      .where('r.active AND (r.store_id IS NULL OR r.store_id = :storeId)', { storeId })
      .getMany();
  }

  listRules(
    m: EntityManager,
    f: { storeIds: string[] | null; storeId?: string; active?: boolean; offset: number; limit: number },
  ): Promise<[WalletBonusRuleEntity[], number]> {
    const qb = m.createQueryBuilder(WalletBonusRuleEntity, 'r');
    if (f.storeIds) qb.andWhere('(r.store_id IS NULL OR r.store_id = ANY(:storeIds))', { storeIds: f.storeIds });
    if (f.storeId) qb.andWhere('r.store_id = :storeId', { storeId: f.storeId });
    if (f.active !== undefined) qb.andWhere('r.active = :active', { active: f.active });
    return qb.orderBy('r.storeId', 'ASC', 'NULLS FIRST').addOrderBy('r.thresholdFen', 'ASC').addOrderBy('r.createdAt', 'ASC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  insertTopUp(m: EntityManager, t: Partial<WalletTopUpEntity>): Promise<WalletTopUpEntity> {
    return m.save(WalletTopUpEntity, m.create(WalletTopUpEntity, t));
  }

  async topUpByPaymentRef(m: EntityManager, method: string, ref: string): Promise<WalletTopUpEntity | null> {
    return m.findOne(WalletTopUpEntity, { where: { paymentMethod: method as WalletTopUpEntity['paymentMethod'], paymentRef: ref } });
  }

  /** The top-up, row-locked for the rest of the transaction when `lock` (refund). */
  topUp(m: EntityManager, id: string, lock = false): Promise<WalletTopUpEntity | null> {
    const qb = m.createQueryBuilder(WalletTopUpEntity, 't').where('t.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  async topUpView(m: EntityManager, id: string): Promise<TopUpRow | null> {
    const [rows] = await this.listTopUps(m, { storeIds: null, offset: 0, limit: 1 }, id);
    return rows[0] ?? null;
  }

  async listTopUps(m: EntityManager, f: TopUpFilter, id?: string): Promise<[TopUpRow[], number]> {
    const qb = m
      .createQueryBuilder(WalletTopUpEntity, 't')
      .innerJoinAndSelect('t.store', 's')
      .leftJoinAndSelect('t.rule', 'r');
    if (id) qb.andWhere('t.id = :id', { id });
    if (f.storeIds) qb.andWhere('t.store_id = ANY(:storeIds)', { storeIds: f.storeIds });
    if (f.memberId) qb.andWhere('t.member_id = :memberId', { memberId: f.memberId });
    if (f.from) qb.andWhere('t.created_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('t.created_at < :to', { to: f.to });
    if (f.status) qb.andWhere('t.status = :status', { status: f.status });
    const [rows, total] = await qb.orderBy('t.createdAt', 'DESC').addOrderBy('t.id', 'DESC').offset(f.offset).limit(f.limit).getManyAndCount();
    return [rows.map((t) => Object.assign(t, { storeName: t.store?.name ?? '', ruleName: t.rule?.name ?? null })), total];
  }

  markRefunded(
    m: EntityManager,
    id: string,
    r: { reason: string; cashFen: number; bonusFen: number; by: string | null },
  ): Promise<unknown> {
    return m.query(
      `UPDATE wallet_top_up SET status = 'refunded', refunded_at = now(), refund_reason = $2, refund_cash_fen = $3, refund_bonus_fen = $4, refunded_by = $5
        WHERE id = $1 AND status = 'completed'`,
      [id, r.reason, r.cashFen, r.bonusFen, r.by],
    );
  }

  insertInstalments(m: EntityManager, rows: Partial<WalletBonusInstalmentEntity>[]): Promise<WalletBonusInstalmentEntity[]> {
    return m.save(WalletBonusInstalmentEntity, rows.map((r) => m.create(WalletBonusInstalmentEntity, r)));
  }

  instalments(m: EntityManager, topUpIds: string[]): Promise<WalletBonusInstalmentEntity[]> {
    if (!topUpIds.length) return Promise.resolve([]);
    return m
      .createQueryBuilder(WalletBonusInstalmentEntity, 'i')
      .where('i.top_up_id = ANY(:ids)', { ids: topUpIds })
      .orderBy('i.topUpId')
      .addOrderBy('i.seq')
      .getMany();
  }

  /** Cancels what is still pending; the row locks make a concurrent release wait and then skip it. */
  async cancelPendingInstalments(m: EntityManager, topUpId: string): Promise<number> {
    const [, n] = await m.query(`UPDATE wallet_bonus_instalment SET status = 'cancelled' WHERE top_up_id = $1 AND status = 'pending'`, [topUpId]);
    return Number(n);
  }

  async releasedBonus(m: EntityManager, topUpId: string): Promise<number> {
    const [{ n }] = await m.query(`SELECT COALESCE(sum(amount_fen), 0) AS n FROM wallet_bonus_instalment WHERE top_up_id = $1 AND status = 'released'`, [topUpId]);
    return Number(n);
  }

  async pendingBonus(m: EntityManager, memberId: string): Promise<number> {
    const [{ n }] = await m.query(`SELECT COALESCE(sum(amount_fen), 0) AS n FROM wallet_bonus_instalment WHERE member_id = $1 AND status = 'pending'`, [memberId]);
    return Number(n);
  }

  async dueInstalmentIds(m: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM wallet_bonus_instalment WHERE status = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims one due instalment: pending → released, only while its top-up stands. The conditional
   * UPDATE decides; a second run (or a concurrent job) finds nothing to claim.
   */
  async claimInstalment(m: EntityManager, id: string, now: Date): Promise<{ id: string; memberId: string; amountFen: number; topUpId: string; storeId: string } | null> {
    const [rows] = await m.query(
      `UPDATE wallet_bonus_instalment i SET status = 'released', released_at = $2
         FROM wallet_top_up t
        WHERE i.id = $1 AND i.status = 'pending' AND i.due_at <= $2 AND t.id = i.top_up_id AND t.status = 'completed'
        RETURNING i.id, i.member_id, i.amount_fen, i.top_up_id, t.store_id`,
      [id, now],
    );
    const r = rows[0];
    return r ? { id: r.id, memberId: r.member_id, amountFen: Number(r.amount_fen), topUpId: r.top_up_id, storeId: r.store_id } : null;
  }

  insertSpend(m: EntityManager, s: Partial<WalletSpendEntity>): Promise<WalletSpendEntity> {
    return m.save(WalletSpendEntity, m.create(WalletSpendEntity, s));
  }

  spend(m: EntityManager, id: string, lock = false): Promise<WalletSpendEntity | null> {
    const qb = m.createQueryBuilder(WalletSpendEntity, 's').where('s.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  saveSpend(m: EntityManager, s: WalletSpendEntity): Promise<WalletSpendEntity> {
    return m.save(WalletSpendEntity, s);
  }

  async setTopUpBonusCard(m: EntityManager, topUpId: string, cardId: string): Promise<void> {
    await m.query('UPDATE wallet_top_up SET bonus_count_card_id = $2 WHERE id = $1', [topUpId, cardId]);
  }

  async setTopUpBonusCoupon(m: EntityManager, topUpId: string, couponId: string): Promise<void> {
    await m.query('UPDATE wallet_top_up SET bonus_coupon_id = $2 WHERE id = $1', [topUpId, couponId]);
  }
}
