import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { pgConstraint, pgErrorCode } from '../../common/db/transaction-host';
import { AppError } from '../../common/errors/app-error';
import type { ListMembersQuery } from './dto/member.dto';

/**
 * Tables whose member reference a merge handles itself rather than by re-pointing: balances move
 * by ledger transfer (and points lots follow those postings), sessions are revoked, and history
 * rows of the duplicate (lot moves) stay where they were written.
 */
const NOT_REPOINTED = new Set(['account', 'ledger_entry', 'refresh_token', 'member', 'point_lot', 'point_lot_move']);

export interface ExportRow {
  id: string;
  member_no: string;
  name: string;
  phone: string | null;
  gender: string;
  birthday: string | null;
  id_card_masked: string | null;
  store_name: string;
  tags: string[];
  valid_until: string | null;
  status: string;
  created_at: Date;
  principal: string;
  bonus: string;
  points: string;
}

@Injectable()
export class MemberDataRepository {
  async exportPage(
    m: EntityManager,
    q: ListMembersQuery & { homeStoreIds: string[] | null },
    after: { createdAt: Date; id: string } | null,
    limit: number,
  ): Promise<ExportRow[]> {
    const where: string[] = [`mb.status <> 'merged'`];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (q.homeStoreIds) add('mb.home_store_id = ANY(?)', q.homeStoreIds);
    if (q.storeId) add('mb.home_store_id = ?', q.storeId);
    if (q.tag) add('? = ANY(mb.tags)', q.tag);
    if (q.tierId) add('mb.tier_id = ?', q.tierId);
    if (q.status) add('mb.status = ?', q.status);
    if (q.name) add('mb.name ILIKE ?', `%${q.name.replace(/[%_\\]/g, (c) => '\\' + c)}%`);
    if (after) {
      params.push(after.createdAt, after.id);
      where.push(`(mb.created_at, mb.id) > ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit);
    return m.query(
      `SELECT mb.id, mb.member_no, mb.name, mb.phone, mb.gender, mb.birthday::text, mb.id_card_masked, s.name AS store_name, mb.tags,
              mb.valid_until::text, mb.status, mb.created_at,
              COALESCE((SELECT balance FROM account a WHERE a.member_id = mb.id AND a.kind = 'wallet_principal' AND a.ref_id IS NULL), 0) AS principal,
              COALESCE((SELECT balance FROM account a WHERE a.member_id = mb.id AND a.kind = 'wallet_bonus' AND a.ref_id IS NULL), 0) AS bonus,
              COALESCE((SELECT balance FROM account a WHERE a.member_id = mb.id AND a.kind = 'points' AND a.ref_id IS NULL), 0) AS points
         FROM member mb JOIN store s ON s.id = mb.home_store_id
        WHERE ${where.join(' AND ')}
        ORDER BY mb.created_at, mb.id
        LIMIT $${params.length}`,
      params,
    );
  }

  async lockMembers(m: EntityManager, ids: string[]): Promise<void> {
    await m.query('SELECT id FROM member WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
  }

  /**
   * Every foreign key that points at member(id), found from the catalogue, so that tables added by
   * later capabilities (cards, count cards, bookings, orders) are re-pointed without a list here.
   */
  async memberReferences(m: EntityManager): Promise<{ table: string; column: string }[]> {
    const rows: { table: string; column: string }[] = await m.query(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS column
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
        WHERE c.contype = 'f' AND c.confrelid = 'member'::regclass`,
    );
    return rows.map((r) => ({ table: r.table.replace(/^"|"$/g, ''), column: r.column }));
  }

  async repointReferences(m: EntityManager, from: string, to: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const ref of await this.memberReferences(m)) {
      if (NOT_REPOINTED.has(ref.table)) continue;
      // A savepoint lets a unique clash (both members hold a card in use…) become a clear refusal.
      await m.query('SAVEPOINT repoint');
      let n: number;
      try {
        [, n] = await m.query(`UPDATE "${ref.table}" SET "${ref.column}" = $2 WHERE "${ref.column}" = $1`, [from, to]);
        await m.query('RELEASE SAVEPOINT repoint');
      } catch (err) {
        await m.query('ROLLBACK TO SAVEPOINT repoint');
        if (pgErrorCode(err) === '23505') throw new AppError('MEMBER_MERGE_CONFLICT', { table: ref.table, constraint: pgConstraint(err) });
        throw err;
      }
      if (n) counts[`${ref.table}.${ref.column}`] = n;
    }
    // Members the duplicate referred now count as the survivor's referrals (never the survivor himself).
    const [, referred] = await m.query('UPDATE member SET referrer_id = CASE WHEN id = $2 THEN NULL ELSE $2::uuid END WHERE referrer_id = $1', [from, to]);
    if (referred) counts['member.referrer_id'] = referred;
    return counts;
  }

  async revokeSessions(m: EntityManager, memberId: string): Promise<void> {
    await m.query('UPDATE refresh_token SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL', [memberId]);
  }

  async retireDuplicate(m: EntityManager, id: string, into: string): Promise<void> {
    // Phone and ID card are unique: the duplicate lets go of them before the survivor takes them.
    await m.query(
      `UPDATE member SET status = 'merged', merged_into_id = $2, phone = NULL, id_card_cipher = NULL, id_card_hash = NULL, id_card_masked = NULL, pay_password_hash = NULL WHERE id = $1`,
      [id, into],
    );
  }

  async fillSurvivor(
    m: EntityManager,
    id: string,
    v: { phone: string | null; birthday: string | null; tags: string[]; attributes: Record<string, unknown>; validUntil: string | null; idCard: { cipher: string | null; hash: string; masked: string | null } | null },
  ): Promise<void> {
    await m.query(
      `UPDATE member SET phone = $2, birthday = $3, tags = $4, attributes = $5, valid_until = COALESCE($6::date, valid_until),
              id_card_cipher = COALESCE($7, id_card_cipher), id_card_hash = COALESCE($8, id_card_hash), id_card_masked = COALESCE($9, id_card_masked), updated_at = now()
        WHERE id = $1`,
      [id, v.phone, v.birthday, v.tags, JSON.stringify(v.attributes), v.validUntil, v.idCard?.cipher ?? null, v.idCard?.hash ?? null, v.idCard?.masked ?? null],
    );
  }

  async anonymise(m: EntityManager, id: string): Promise<void> {
    await m.query(
      `UPDATE member SET name = '已注销会员', phone = NULL, id_card_cipher = NULL, id_card_hash = NULL, id_card_masked = NULL, birthday = NULL,
              tags = '{}', attributes = '{}', remark = '', pay_password_hash = NULL, status = 'anonymised', updated_at = now()
        WHERE id = $1`,
      [id],
    );
  }

  /** Rows of other capabilities that reference the member, for the personal-data export. */
  async relatedRows(m: EntityManager, memberId: string): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const ref of await this.memberReferences(m)) {
      if (NOT_REPOINTED.has(ref.table)) continue;
      const rows = await m.query(`SELECT * FROM "${ref.table}" WHERE "${ref.column}" = $1 LIMIT 10000`, [memberId]);
      if (rows.length) out[ref.table] = rows;
    }
    return out;
  }
}
