import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ImportRow } from './import-row';
import { MemberImportEntity } from './member-import.entity';

@Injectable()
export class MemberImportRepository {
  create(m: EntityManager, row: Partial<MemberImportEntity>): Promise<MemberImportEntity> {
    return m.save(MemberImportEntity, m.create(MemberImportEntity, row));
  }

  findById(m: EntityManager, id: string): Promise<MemberImportEntity | null> {
    return m.findOne(MemberImportEntity, { where: { id } });
  }

  async list(m: EntityManager, storeIds: string[] | null, offset: number, limit: number): Promise<[MemberImportEntity[], number]> {
    const qb = m.createQueryBuilder(MemberImportEntity, 'i');
    if (storeIds) qb.where('i.store_id = ANY(:ids)', { ids: storeIds });
    return qb.orderBy('i.created_at', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  pending(m: EntityManager): Promise<MemberImportEntity[]> {
    return m.find(MemberImportEntity, { where: [{ status: 'queued' }, { status: 'running' }], order: { createdAt: 'ASC' } });
  }

  async setStatus(m: EntityManager, id: string, status: 'running' | 'done' | 'failed', failure: string | null = null, total?: number): Promise<void> {
    await m.query(
      `UPDATE member_import SET status = $2, failure = $3, rows_total = COALESCE($4, rows_total),
              finished_at = CASE WHEN $2 IN ('done', 'failed') THEN now() ELSE finished_at END WHERE id = $1`,
      [id, status, failure, total ?? null],
    );
  }

  async advance(m: EntityManager, id: string, done: number, imported: number, failed: number): Promise<void> {
    await m.query(
      'UPDATE member_import SET rows_done = rows_done + $2, rows_imported = rows_imported + $3, rows_failed = rows_failed + $4 WHERE id = $1',
      [id, done, imported, failed],
    );
  }

  async addError(m: EntityManager, importId: string, line: number, errors: { field: string; message: string }[]): Promise<void> {
    await m.query('INSERT INTO member_import_error (import_id, line, errors) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [importId, line, JSON.stringify(errors)]);
  }

  async errors(m: EntityManager, importId: string, offset: number, limit: number): Promise<[{ line: number; errors: { field: string; message: string }[] }[], number]> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM member_import_error WHERE import_id = $1', [importId]);
    const rows = await m.query('SELECT line, errors FROM member_import_error WHERE import_id = $1 ORDER BY line OFFSET $2 LIMIT $3', [importId, offset, limit]);
    return [rows, n];
  }

  async storeIdsByCode(m: EntityManager): Promise<Map<string, string>> {
    const rows: { id: string; code: string }[] = await m.query('SELECT id, code FROM store');
    return new Map(rows.map((r) => [r.code.toUpperCase(), r.id]));
  }

  /** Inserts one imported member; returns null (and inserts nothing) when phone or ID card is taken. */
  async insertMember(
    m: EntityManager,
    row: ImportRow,
    extra: { homeStoreId: string; registeredBy: string; idCardCipher: string | null; idCardHash: string | null; idCardMasked: string | null },
  ): Promise<{ id: string; memberNo: string } | null> {
    const rows: { id: string; member_no: string }[] = await m.query(
      `INSERT INTO member (member_no, name, phone, gender, birthday, id_card_cipher, id_card_hash, id_card_masked, home_store_id, registered_by_staff_id, tags, valid_until, remark)
       VALUES ('8' || lpad(nextval('member_no_seq')::text, 9, '0'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT DO NOTHING RETURNING id, member_no`,
      [
        row.name,
        row.phone,
        row.gender,
        row.birthday,
        extra.idCardCipher,
        extra.idCardHash,
        extra.idCardMasked,
        extra.homeStoreId,
        extra.registeredBy,
        row.tags,
        row.validUntil,
        row.legacyNo ? `原卡号 ${row.legacyNo}${row.remark ? `；${row.remark}` : ''}` : row.remark,
      ],
    );
    return rows.length ? { id: rows[0].id, memberNo: rows[0].member_no } : null;
  }
}
