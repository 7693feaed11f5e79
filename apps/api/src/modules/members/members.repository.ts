import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MemberStatus } from '@chaincard/shared';
import { MemberAttributeDefEntity, MemberEntity } from './entities/member.entity';

export interface MemberFilter {
  q?: string;
  phone?: string;
  memberNo?: string;
  name?: string;
  tag?: string;
  tierId?: string;
  storeId?: string;
  idCardHash?: string;
  status?: MemberStatus;
  churned?: boolean;
  offset: number;
  limit: number;
}

/** A simple member filter (人群), for coupon issues and campaigns: every given condition must hold. */
export interface MemberSegment {
  tierIds?: string[];
  /** Members with at least one of these tags. */
  tagsAny?: string[];
  homeStoreIds?: string[];
  /** Last visit (or sign-up, when never seen) before / at or after these instants. */
  lastVisitBefore?: Date;
  lastVisitAfter?: Date;
  /** Birthdays on these days ('MM-DD'). */
  birthdayMonthDays?: string[];
}

const likeEscape = (s: string) => s.replace(/[%_\\]/g, (c) => '\\' + c);

@Injectable()
export class MembersRepository {
  findById(m: EntityManager, id: string): Promise<MemberEntity | null> {
    return m.findOne(MemberEntity, { where: { id } });
  }

  async nextMemberNo(m: EntityManager): Promise<string> {
    const [{ n }] = await m.query(`SELECT nextval('member_no_seq') AS n`);
    return `8${String(n).padStart(9, '0')}`;
  }

  insert(m: EntityManager, member: Partial<MemberEntity>): Promise<MemberEntity> {
    return m.save(MemberEntity, m.create(MemberEntity, member));
  }

  save(m: EntityManager, member: MemberEntity): Promise<MemberEntity> {
    return m.save(MemberEntity, member);
  }

  findByPhone(m: EntityManager, phone: string): Promise<MemberEntity | null> {
    return m.findOne(MemberEntity, { where: { phone } });
  }

  /** Locks the member row for a change decided on its current state (join, activation). */
  async lockById(m: EntityManager, id: string): Promise<MemberEntity | null> {
    return m.findOne(MemberEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The chain's first open store (by code): home of a WeChat sign-up that came through no store's QR code. */
  async defaultStoreId(m: EntityManager): Promise<string | null> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM store ORDER BY (status = 'open') DESC, code LIMIT 1`);
    return rows[0]?.id ?? null;
  }

  /** A visit (a completed purchase) moves last_visit_at forward, never back. */
  async touchVisit(m: EntityManager, memberId: string, at: Date): Promise<void> {
    await m.query('UPDATE member SET last_visit_at = $2 WHERE id = $1 AND (last_visit_at IS NULL OR last_visit_at < $2)', [memberId, at]);
  }

  async phoneTaken(m: EntityManager, phone: string, exceptId?: string): Promise<boolean> {
    const rows = await m.query('SELECT 1 FROM member WHERE phone = $1 AND id IS DISTINCT FROM $2', [phone, exceptId ?? null]);
    return rows.length > 0;
  }

  async idCardTaken(m: EntityManager, hash: string, exceptId?: string): Promise<boolean> {
    const rows = await m.query('SELECT 1 FROM member WHERE id_card_hash = $1 AND id IS DISTINCT FROM $2', [hash, exceptId ?? null]);
    return rows.length > 0;
  }

  async churnDays(m: EntityManager): Promise<number> {
    const rows: { churn_days: number }[] = await m.query('SELECT churn_days FROM chain LIMIT 1');
    return rows[0]?.churn_days ?? 90;
  }

  async list(m: EntityManager, f: MemberFilter, churnDays: number): Promise<[MemberEntity[], number]> {
    const qb = m.createQueryBuilder(MemberEntity, 'mb');
    if (f.q) {
      const q = f.q.trim();
      // A physical card number finds its member only while the card is active: a lost card must not.
      const byCard = `EXISTS (SELECT 1 FROM card c WHERE c.card_no = :cardNo AND c.member_id = mb.id AND c.status = 'active')`;
      const cardNo = q.toUpperCase();
      if (/^\d{11}$/.test(q)) qb.andWhere(`(mb.phone = :q OR ${byCard})`, { q, cardNo });
      else qb.andWhere(`(mb.member_no = :q OR mb.phone LIKE :prefix OR mb.name ILIKE :like OR ${byCard})`, { q, cardNo, prefix: `${likeEscape(q)}%`, like: `%${likeEscape(q)}%` });
    }
    if (f.phone) qb.andWhere(f.phone.length === 11 ? 'mb.phone = :phone' : 'mb.phone LIKE :phone', { phone: f.phone.length === 11 ? f.phone : `%${f.phone}` });
    if (f.memberNo) qb.andWhere('mb.member_no = :memberNo', { memberNo: f.memberNo });
    if (f.name) qb.andWhere('mb.name ILIKE :name', { name: `%${likeEscape(f.name)}%` });
    if (f.tag) qb.andWhere(':tag = ANY(mb.tags)', { tag: f.tag });
    if (f.tierId) qb.andWhere('mb.tier_id = :tierId', { tierId: f.tierId });
    if (f.storeId) qb.andWhere('mb.home_store_id = :storeId', { storeId: f.storeId });
    if (f.idCardHash) qb.andWhere('mb.id_card_hash = :h', { h: f.idCardHash });
    if (f.status) qb.andWhere('mb.status = :status', { status: f.status });
    if (f.churned !== undefined) {
      const churn = `COALESCE(mb.last_visit_at, mb.created_at) < now() - make_interval(days => :churnDays)`;
      qb.andWhere(f.churned ? churn : `NOT (${churn})`, { churnDays });
    }
    return qb.orderBy('mb.created_at', 'DESC').addOrderBy('mb.id', 'DESC').skip(f.offset).take(f.limit).getManyAndCount();
  }

  /** One page (by id) of the active members a segment selects; see MembersService.segmentPage. */
  async segmentPage(m: EntityManager, s: MemberSegment, afterId: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM member
        WHERE status = 'active'
          AND ($1::uuid[] IS NULL OR tier_id = ANY($1))
          AND ($2::text[] IS NULL OR tags && $2)
          AND ($3::uuid[] IS NULL OR home_store_id = ANY($3))
          AND ($4::timestamptz IS NULL OR COALESCE(last_visit_at, created_at) < $4)
          AND ($5::timestamptz IS NULL OR COALESCE(last_visit_at, created_at) >= $5)
          AND ($6::text[] IS NULL OR to_char(birthday, 'MM-DD') = ANY($6))
          AND ($7::uuid IS NULL OR id > $7)
        ORDER BY id LIMIT $8`,
      [
        s.tierIds?.length ? s.tierIds : null,
        s.tagsAny?.length ? s.tagsAny : null,
        s.homeStoreIds?.length ? s.homeStoreIds : null,
        s.lastVisitBefore ?? null,
        s.lastVisitAfter ?? null,
        s.birthdayMonthDays?.length ? s.birthdayMonthDays : null,
        afterId,
        limit,
      ],
    );
    return rows.map((r) => r.id);
  }

  async storeExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM store WHERE id = $1', [id])).length > 0;
  }

  async staffExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM staff WHERE id = $1', [id])).length > 0;
  }

  attributeDefs(m: EntityManager): Promise<MemberAttributeDefEntity[]> {
    return m.find(MemberAttributeDefEntity, { order: { sortOrder: 'ASC', code: 'ASC' } });
  }

  attributeDef(m: EntityManager, id: string): Promise<MemberAttributeDefEntity | null> {
    return m.findOne(MemberAttributeDefEntity, { where: { id } });
  }

  saveAttributeDef(m: EntityManager, def: Partial<MemberAttributeDefEntity>): Promise<MemberAttributeDefEntity> {
    return m.save(MemberAttributeDefEntity, m.create(MemberAttributeDefEntity, def));
  }

  async attributeCodeTaken(m: EntityManager, code: string): Promise<boolean> {
    return (await m.count(MemberAttributeDefEntity, { where: { code } })) > 0;
  }

  /** Active members born on one of these month-days (MM-DD), in id order after `afterId` (keyset pages). */
  async birthdaysOn(m: EntityManager, monthDays: string[], afterId: string | null, limit: number): Promise<{ id: string; homeStoreId: string }[]> {
    const rows: { id: string; home_store_id: string }[] = await m.query(
      `SELECT id, home_store_id FROM member
        WHERE status = 'active' AND birthday IS NOT NULL AND to_char(birthday, 'MM-DD') = ANY($1::text[])
          AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [monthDays, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, homeStoreId: r.home_store_id }));
  }

  /** Active members whose validity (有效期) ends on a day in [from, to], in id order after `afterId`. */
  async validityEndingBetween(m: EntityManager, from: string, to: string, afterId: string | null, limit: number): Promise<{ id: string; homeStoreId: string; validUntil: string }[]> {
    const rows: { id: string; home_store_id: string; valid_until: string }[] = await m.query(
      `SELECT id, home_store_id, to_char(valid_until, 'YYYY-MM-DD') AS valid_until FROM member
        WHERE status = 'active' AND valid_until BETWEEN $1::date AND $2::date
          AND ($3::uuid IS NULL OR id > $3) ORDER BY id LIMIT $4`,
      [from, to, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, homeStoreId: r.home_store_id, validUntil: r.valid_until }));
  }

  async homeStores(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; home_store_id: string }[] = await m.query('SELECT id, home_store_id FROM member WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.home_store_id]));
  }
}
