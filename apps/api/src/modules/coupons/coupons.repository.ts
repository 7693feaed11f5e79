import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CouponEntity, CouponIssueRunEntity, CouponTemplateEntity, type AutoIssueEvent, type CouponKind, type CouponStatus, type CouponTemplateStatus } from './entities/coupon.entity';

export interface CouponFilter {
  memberId?: string;
  templateId?: string;
  code?: string;
  /** Effective status: unused ones past their end count as expired. */
  status?: CouponStatus;
  /** Usable at this store (their store list is empty or names it). */
  storeId?: string;
  /** Issued or used at one of these stores (a store's own view). */
  seenAtStoreIds?: string[];
  now: Date;
  offset: number;
  limit: number;
}

/** The only SQL over the coupon tables. */
@Injectable()
export class CouponsRepository {
  async chainTimeZone(m: EntityManager): Promise<string> {
    const rows: { time_zone: string }[] = await m.query('SELECT time_zone FROM chain LIMIT 1');
    return rows[0]?.time_zone ?? 'Asia/Shanghai';
  }

  /**
   * A coupon's validity issued at `now`, in the chain's time zone: relative = from now to the
   * midnight that ends day N counting today; fixed = from the midnight starting the first day to
   * the midnight after the last.
   */
  async validity(m: EntityManager, t: CouponTemplateEntity, now: Date, timeZone: string): Promise<{ validFrom: Date; validUntil: Date }> {
    if (t.validityKind === 'relative') {
      const [{ until }] = await m.query(`SELECT ((($1::timestamptz AT TIME ZONE $2)::date + $3::int)::timestamp AT TIME ZONE $2) AS until`, [now, timeZone, t.validDays]);
      return { validFrom: now, validUntil: until };
    }
    const [{ since, until }] = await m.query(`SELECT ($1::date::timestamp AT TIME ZONE $3) AS since, (($2::date + 1)::timestamp AT TIME ZONE $3) AS until`, [
      t.validFromDate,
      t.validUntilDate,
      timeZone,
    ]);
    return { validFrom: since, validUntil: until };
  }

  async missingStores(m: EntityManager, ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows: { id: string }[] = await m.query('SELECT id FROM store WHERE id = ANY($1::uuid[])', [ids]);
    return ids.filter((id) => !rows.some((r) => r.id === id));
  }

  async storeExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM store WHERE id = $1', [id])).length > 0;
  }

  listTemplates(
    m: EntityManager,
    f: { status?: CouponTemplateStatus; kind?: CouponKind; storeId?: string; reachableStoreIds?: string[]; offset: number; limit: number },
  ): Promise<[CouponTemplateEntity[], number]> {
    const qb = m.createQueryBuilder(CouponTemplateEntity, 't');
    if (f.reachableStoreIds) qb.andWhere(`(t.store_ids = '{}' OR t.store_ids && :reachable::uuid[])`, { reachable: f.reachableStoreIds });
    if (f.status) qb.andWhere('t.status = :status', { status: f.status });
    if (f.kind) qb.andWhere('t.kind = :kind', { kind: f.kind });
    if (f.storeId) qb.andWhere(`(t.store_ids = '{}' OR :storeId = ANY(t.store_ids))`, { storeId: f.storeId });
    return qb.orderBy('t.created_at', 'DESC').addOrderBy('t.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  template(m: EntityManager, id: string): Promise<CouponTemplateEntity | null> {
    return m.findOne(CouponTemplateEntity, { where: { id } });
  }

  /** Locks the template: every issue of it serialises here, so per-member counts and the quantity are read safely. */
  lockTemplate(m: EntityManager, id: string): Promise<CouponTemplateEntity | null> {
    return m.createQueryBuilder(CouponTemplateEntity, 't').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
  }

  saveTemplate(m: EntityManager, t: Partial<CouponTemplateEntity>): Promise<CouponTemplateEntity> {
    return m.save(CouponTemplateEntity, m.create(CouponTemplateEntity, t));
  }

  async autoTemplates(m: EntityManager, event: AutoIssueEvent): Promise<string[]> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM coupon_template WHERE status = 'active' AND $1 = ANY(auto_issue) ORDER BY created_at, id`, [event]);
    return rows.map((r) => r.id);
  }

  /** Coupons of the template each member was ever issued (voided and used ones too). */
  async issuedCounts(m: EntityManager, templateId: string, memberIds: string[]): Promise<Map<string, number>> {
    const rows: { member_id: string; n: number }[] = await m.query(
      'SELECT member_id, count(*)::int AS n FROM coupon WHERE template_id = $1 AND member_id = ANY($2::uuid[]) GROUP BY member_id',
      [templateId, memberIds],
    );
    return new Map(rows.map((r) => [r.member_id, r.n]));
  }

  /** Members who already got the template for this event (coupon_event_once). */
  async issuedForEvent(m: EntityManager, templateId: string, memberIds: string[], source: string, sourceRef: string): Promise<Set<string>> {
    const rows: { member_id: string }[] = await m.query(
      'SELECT member_id FROM coupon WHERE template_id = $1 AND member_id = ANY($2::uuid[]) AND source = $3 AND source_ref = $4',
      [templateId, memberIds, source, sourceRef],
    );
    return new Set(rows.map((r) => r.member_id));
  }

  /** The coupon an event gave the member (e.g. this year's birthday coupon of a template), if any. */
  async couponOfEvent(m: EntityManager, templateId: string, memberId: string, source: string, sourceRef: string): Promise<CouponEntity | null> {
    return m.findOne(CouponEntity, { where: { templateId, memberId, source: source as CouponEntity['source'], sourceRef } });
  }

  /** Unused coupons whose end falls in (from, until], in id order after `afterId` (keyset pages). */
  async expiringBetween(m: EntityManager, from: Date, until: Date, afterId: string | null, limit: number): Promise<CouponEntity[]> {
    const qb = m
      .createQueryBuilder(CouponEntity, 'c')
      .where(`c.status = 'unused' AND c.valid_until > :from AND c.valid_until <= :until`, { from, until })
      .orderBy('c.id', 'ASC')
      .take(limit);
    if (afterId) qb.andWhere('c.id > :afterId', { afterId });
    return qb.getMany();
  }

  /**
   * Inserts coupons; a row whose code or (template, member, event) is taken is skipped, and the
   * ids of the rows written are returned (the caller draws new codes for the rest).
   */
  async insertCoupons(m: EntityManager, rows: Partial<CouponEntity>[]): Promise<CouponEntity[]> {
    if (!rows.length) return [];
    const result = await m.createQueryBuilder().insert().into(CouponEntity).values(rows).orIgnore().returning('*').execute();
    const ids = (result.raw as { id: string }[]).map((r) => r.id);
    return ids.length ? m.getRepository(CouponEntity).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).orderBy('c.id').getMany() : [];
  }

  /**
   * Counts `n` more coupons as issued only if the total quantity allows it: the conditional UPDATE
   * (behind the template lock, with the CHECK as the last line) never lets issued_count pass it.
   */
  async addIssued(m: EntityManager, templateId: string, n: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE coupon_template SET issued_count = issued_count + $2, updated_at = now()
        WHERE id = $1 AND (total_quantity IS NULL OR issued_count + $2 <= total_quantity)`,
      [templateId, n],
    );
    return affected === 1;
  }

  coupon(m: EntityManager, id: string, memberId?: string): Promise<CouponEntity | null> {
    return m.findOne(CouponEntity, { where: memberId ? { id, memberId } : { id } });
  }

  coupons(m: EntityManager, ids: string[]): Promise<CouponEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return m.getRepository(CouponEntity).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids }).orderBy('c.id').getMany();
  }

  lockCoupon(m: EntityManager, id: string): Promise<CouponEntity | null> {
    return m.createQueryBuilder(CouponEntity, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  }

  listCoupons(m: EntityManager, f: CouponFilter): Promise<[CouponEntity[], number]> {
    const qb = m.createQueryBuilder(CouponEntity, 'c');
    if (f.memberId) qb.andWhere('c.member_id = :memberId', { memberId: f.memberId });
    if (f.templateId) qb.andWhere('c.template_id = :templateId', { templateId: f.templateId });
    if (f.code) qb.andWhere('c.code = :code', { code: f.code });
    if (f.storeId) qb.andWhere(`(c.rule -> 'storeIds' = '[]'::jsonb OR c.rule -> 'storeIds' ? :storeId)`, { storeId: f.storeId });
    if (f.seenAtStoreIds) qb.andWhere('(c.issued_store_id = ANY(:seen) OR c.used_store_id = ANY(:seen))', { seen: f.seenAtStoreIds });
    if (f.status === 'unused') qb.andWhere(`c.status = 'unused' AND c.valid_until > :now`, { now: f.now });
    else if (f.status === 'expired') qb.andWhere(`(c.status = 'expired' OR (c.status = 'unused' AND c.valid_until <= :now))`, { now: f.now });
    else if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    return qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  async voidCoupon(m: EntityManager, id: string, v: { reason: string; staffId: string | null; at: Date }): Promise<boolean> {
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE coupon SET status = 'voided', voided_at = $2, void_reason = $3, voided_by_staff_id = $4, updated_at = now()
        WHERE id = $1 AND status = 'unused'`,
      [id, v.at, v.reason, v.staffId],
    );
    return affected === 1;
  }

  /**
   * Marks a coupon used by an order only if it is still the member's, unused and valid at `at`:
   * of two orders racing for one coupon, the row lock makes the second see 'used' and get false.
   */
  async useCoupon(m: EntityManager, id: string, u: { memberId: string; orderId: string; storeId: string; at: Date }): Promise<boolean> {
    const [, affected]: [unknown, number] = await m.query(
      `UPDATE coupon SET status = 'used', order_id = $3, used_at = $5, used_store_id = $4, updated_at = now()
        WHERE id = $1 AND member_id = $2 AND status = 'unused' AND valid_from <= $5 AND valid_until > $5`,
      [id, u.memberId, u.orderId, u.storeId, u.at],
    );
    return affected === 1;
  }

  /** Gives back an order's coupons: unused while still valid, expired otherwise. */
  async restoreForOrder(m: EntityManager, orderId: string, at: Date): Promise<{ id: string; status: CouponStatus; used_store_id: string | null }[]> {
    const [rows] = await m.query(
      `UPDATE coupon c SET status = CASE WHEN c.valid_until > $2 THEN 'unused' ELSE 'expired' END,
              expired_at = CASE WHEN c.valid_until > $2 THEN NULL ELSE $2 END,
              order_id = NULL, used_at = NULL, used_store_id = NULL, updated_at = now()
         FROM (SELECT id, used_store_id FROM coupon WHERE order_id = $1 AND status = 'used' ORDER BY id FOR UPDATE) old
        WHERE c.id = old.id
        RETURNING c.id, c.status, old.used_store_id`,
      [orderId, at],
    );
    return rows;
  }

  /** Marks up to `limit` unused coupons past their end as expired; rows another transaction holds are left for the next round. */
  async expireDue(m: EntityManager, now: Date, limit: number): Promise<number> {
    const [, n] = await m.query(
      `UPDATE coupon SET status = 'expired', expired_at = $1, updated_at = now()
        WHERE id IN (SELECT id FROM coupon WHERE status = 'unused' AND valid_until <= $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
      [now, limit],
    );
    return n as number;
  }

  insertRun(m: EntityManager, run: Partial<CouponIssueRunEntity>): Promise<CouponIssueRunEntity> {
    return m.save(CouponIssueRunEntity, m.create(CouponIssueRunEntity, run));
  }

  async addToRun(m: EntityManager, id: string, d: { matched: number; issued: number; skippedLimit: number; skippedSoldOut: number }): Promise<void> {
    await m.query(
      `UPDATE coupon_issue_run SET matched = matched + $2, issued = issued + $3, skipped_limit = skipped_limit + $4, skipped_sold_out = skipped_sold_out + $5 WHERE id = $1`,
      [id, d.matched, d.issued, d.skippedLimit, d.skippedSoldOut],
    );
  }

  async finishRun(m: EntityManager, id: string, at: Date): Promise<CouponIssueRunEntity> {
    await m.query(`UPDATE coupon_issue_run SET status = 'done', finished_at = $2 WHERE id = $1`, [id, at]);
    return m.findOneOrFail(CouponIssueRunEntity, { where: { id } });
  }
}
