import { Injectable } from '@nestjs/common';
import { parseFen, type CommissionSource } from '@chaincard/shared';
import type { EntityManager } from 'typeorm';
import { CommissionRuleEntity, StaffLevelEntity } from './entities/commission.entity';

export interface AccrualRow {
  id: string;
  staffId: string;
  storeId: string;
  source: CommissionSource;
  refType: string;
  refId: string;
  itemRef: string;
  targetId: string | null;
  quantity: number;
  baseFen: number;
  lineFen: number;
  amountFen: number;
}

export interface NewEntry {
  staffId: string;
  storeId: string;
  source: CommissionSource;
  kind: 'accrual' | 'reversal';
  refType: string;
  refId: string;
  itemRef: string;
  targetId: string | null;
  accrualId: string | null;
  reversalRef: string | null;
  ruleId: string | null;
  levelId: string | null;
  quantity: number;
  baseFen: number;
  lineFen: number;
  amountFen: number;
  period: string;
  businessDay: string;
}

export interface EntryRow extends NewEntry {
  id: string;
  staffName: string;
  storeName: string;
  createdAt: Date;
}

export interface EntryFilter {
  storeIds: string[] | null;
  staffId?: string;
  period?: string;
  source?: CommissionSource;
  offset: number;
  limit: number;
}

export interface PerformanceRow {
  staffId: string;
  staffName: string;
  salesFen: number;
  servicesPerformed: number;
  productsSold: number;
  topUpFen: number;
  countCardsSold: number;
  cardsIssued: number;
  commissionFen: number;
}

const fen = (v: unknown) => parseFen(String(v ?? 0));

/** The only SQL over staff levels, commission rules and the commission ledger. */
@Injectable()
export class CommissionRepository {
  // ── levels ──────────────────────────────────────────────────────────────────

  levels(m: EntityManager): Promise<StaffLevelEntity[]> {
    return m.createQueryBuilder(StaffLevelEntity, 'l').orderBy('l.rank').addOrderBy('l.name').getMany();
  }

  level(m: EntityManager, id: string): Promise<StaffLevelEntity | null> {
    return m.findOne(StaffLevelEntity, { where: { id } });
  }

  saveLevel(m: EntityManager, level: Partial<StaffLevelEntity>): Promise<StaffLevelEntity> {
    return m.save(StaffLevelEntity, level);
  }

  async levelInUse(m: EntityManager, id: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM staff_level_assignment WHERE level_id = $1 UNION ALL SELECT 1 FROM commission_rule WHERE level_id = $1 LIMIT 1`, [id]);
    return rows.length > 0;
  }

  async deleteLevel(m: EntityManager, id: string): Promise<void> {
    await m.delete(StaffLevelEntity, { id });
  }

  async levelsOf(m: EntityManager, staffIds: string[]): Promise<Map<string, string>> {
    if (!staffIds.length) return new Map();
    const rows: { staff_id: string; level_id: string }[] = await m.query(`SELECT staff_id, level_id FROM staff_level_assignment WHERE staff_id = ANY($1::uuid[])`, [staffIds]);
    return new Map(rows.map((r) => [r.staff_id, r.level_id]));
  }

  async setLevel(m: EntityManager, staffId: string, levelId: string | null): Promise<void> {
    if (!levelId) {
      await m.query(`DELETE FROM staff_level_assignment WHERE staff_id = $1`, [staffId]);
      return;
    }
    await m.query(
      `INSERT INTO staff_level_assignment (staff_id, level_id) VALUES ($1, $2) ON CONFLICT (staff_id) DO UPDATE SET level_id = EXCLUDED.level_id, updated_at = now()`,
      [staffId, levelId],
    );
  }

  async staffExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query('SELECT 1 FROM staff WHERE id = $1', [id])).length > 0;
  }

  // ── rules ───────────────────────────────────────────────────────────────────

  rules(m: EntityManager, f: { source?: CommissionSource; active?: boolean } = {}): Promise<CommissionRuleEntity[]> {
    const qb = m.createQueryBuilder(CommissionRuleEntity, 'r');
    if (f.source) qb.andWhere('r.source = :source', { source: f.source });
    if (f.active !== undefined) qb.andWhere('r.active = :active', { active: f.active });
    return qb.orderBy('r.source').addOrderBy('r.created_at').addOrderBy('r.id').getMany();
  }

  rule(m: EntityManager, id: string): Promise<CommissionRuleEntity | null> {
    return m.findOne(CommissionRuleEntity, { where: { id } });
  }

  saveRule(m: EntityManager, rule: Partial<CommissionRuleEntity>): Promise<CommissionRuleEntity> {
    return m.save(CommissionRuleEntity, rule);
  }

  // ── the ledger ──────────────────────────────────────────────────────────────

  /** Inserts entries; an accrual or reversal already written (same sale item and staff, same refund) is skipped. */
  async insertEntries(m: EntityManager, entries: NewEntry[]): Promise<number> {
    let inserted = 0;
    for (const e of entries) {
      const rows = await m.query(
        `INSERT INTO commission_entry (staff_id, store_id, source, kind, ref_type, ref_id, item_ref, target_id, accrual_id, reversal_ref, rule_id, level_id,
                                       quantity, base_fen, line_fen, amount_fen, period, business_day, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, clock_timestamp())
         ON CONFLICT DO NOTHING RETURNING id`,
        [e.staffId, e.storeId, e.source, e.kind, e.refType, e.refId, e.itemRef, e.targetId, e.accrualId, e.reversalRef, e.ruleId, e.levelId, e.quantity, e.baseFen, e.lineFen, e.amountFen, e.period, e.businessDay],
      );
      inserted += rows.length;
    }
    return inserted;
  }

  /** The accruals of sale items, locked (a refund computes its reversals from what they still hold). */
  async lockAccruals(m: EntityManager, refType: string, itemRefs: string[]): Promise<AccrualRow[]> {
    if (!itemRefs.length) return [];
    const rows = await m.query(
      `SELECT * FROM commission_entry WHERE kind = 'accrual' AND ref_type = $1 AND item_ref = ANY($2::text[]) ORDER BY id FOR UPDATE`,
      [refType, itemRefs],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      staffId: r.staff_id as string,
      storeId: r.store_id as string,
      source: r.source as CommissionSource,
      refType: r.ref_type as string,
      refId: r.ref_id as string,
      itemRef: r.item_ref as string,
      targetId: (r.target_id as string | null) ?? null,
      quantity: r.quantity as number,
      baseFen: fen(r.base_fen),
      lineFen: fen(r.line_fen),
      amountFen: fen(r.amount_fen),
    }));
  }

  /** Per accrual: the item amount and units refunded so far (from its reversals). */
  async refundedSoFar(m: EntityManager, accrualIds: string[]): Promise<Map<string, { lineFen: number; quantity: number }>> {
    const out = new Map(accrualIds.map((id) => [id, { lineFen: 0, quantity: 0 }]));
    if (!accrualIds.length) return out;
    const rows: { accrual_id: string; line_fen: string; quantity: number }[] = await m.query(
      `SELECT accrual_id, sum(line_fen) AS line_fen, (-sum(quantity))::int AS quantity FROM commission_entry WHERE kind = 'reversal' AND accrual_id = ANY($1::uuid[]) GROUP BY accrual_id`,
      [accrualIds],
    );
    for (const r of rows) out.set(r.accrual_id, { lineFen: fen(r.line_fen), quantity: r.quantity });
    return out;
  }

  /** Net commission per staff member booked into a payroll month. */
  async totalsByStaff(m: EntityManager, period: string): Promise<Map<string, number>> {
    const rows: { staff_id: string; amount: string }[] = await m.query(`SELECT staff_id, sum(amount_fen) AS amount FROM commission_entry WHERE period = $1 GROUP BY staff_id`, [period]);
    return new Map(rows.map((r) => [r.staff_id, fen(r.amount)]));
  }

  async entries(m: EntityManager, f: EntryFilter): Promise<[EntryRow[], number, number]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.storeIds) add('e.store_id = ANY(?::uuid[])', f.storeIds);
    if (f.staffId) add('e.staff_id = ?', f.staffId);
    if (f.period) add('e.period = ?', f.period);
    if (f.source) add('e.source = ?', f.source);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n, total }] = await m.query(`SELECT count(*)::int AS n, COALESCE(sum(amount_fen), 0) AS total FROM commission_entry e ${clause}`, params);
    const rows = await m.query(
      `SELECT e.*, e.business_day::text AS day_text, sf.name AS staff_name, st.name AS store_name FROM commission_entry e
         JOIN staff sf ON sf.id = e.staff_id JOIN store st ON st.id = e.store_id ${clause}
        ORDER BY e.created_at DESC, e.id LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
      params,
    );
    return [rows.map(toEntryRow), n, fen(total)];
  }

  /** Sales credited, services performed, cards and top-ups sold and commission per staff member over business days. */
  async performance(m: EntityManager, f: { storeIds: string[] | null; from: string; to: string }): Promise<PerformanceRow[]> {
    const rows = await m.query(
      `SELECT e.staff_id, sf.name AS staff_name,
              COALESCE(sum(e.base_fen) FILTER (WHERE e.source IN ('service', 'product')), 0) AS sales_fen,
              COALESCE(sum(e.quantity) FILTER (WHERE e.source = 'service'), 0)::int AS services,
              COALESCE(sum(e.quantity) FILTER (WHERE e.source = 'product'), 0)::int AS products,
              COALESCE(sum(e.base_fen) FILTER (WHERE e.source = 'top_up'), 0) AS top_up_fen,
              COALESCE(sum(e.quantity) FILTER (WHERE e.source = 'count_card'), 0)::int AS count_cards,
              COALESCE(sum(e.quantity) FILTER (WHERE e.source = 'card_issue'), 0)::int AS cards,
              COALESCE(sum(e.amount_fen), 0) AS commission_fen
         FROM commission_entry e JOIN staff sf ON sf.id = e.staff_id
        WHERE e.business_day BETWEEN $1 AND $2 AND ($3::uuid[] IS NULL OR e.store_id = ANY($3::uuid[]))
        GROUP BY e.staff_id, sf.name`,
      [f.from, f.to, f.storeIds],
    );
    return rows.map((r: Record<string, unknown>) => ({
      staffId: r.staff_id as string,
      staffName: r.staff_name as string,
      salesFen: fen(r.sales_fen),
      servicesPerformed: r.services as number,
      productsSold: r.products as number,
      topUpFen: fen(r.top_up_fen),
      countCardsSold: r.count_cards as number,
      cardsIssued: r.cards as number,
      commissionFen: fen(r.commission_fen),
    }));
  }

  async staffNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows: { id: string; name: string }[] = await m.query(`SELECT id, name FROM staff WHERE id = ANY($1::uuid[])`, [ids]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

function toEntryRow(r: Record<string, unknown>): EntryRow {
  return {
    id: r.id as string,
    staffId: r.staff_id as string,
    staffName: r.staff_name as string,
    storeId: r.store_id as string,
    storeName: r.store_name as string,
    source: r.source as CommissionSource,
    kind: r.kind as 'accrual' | 'reversal',
    refType: r.ref_type as string,
    refId: r.ref_id as string,
    itemRef: r.item_ref as string,
    targetId: (r.target_id as string | null) ?? null,
    accrualId: (r.accrual_id as string | null) ?? null,
    reversalRef: (r.reversal_ref as string | null) ?? null,
    ruleId: (r.rule_id as string | null) ?? null,
    levelId: (r.level_id as string | null) ?? null,
    quantity: r.quantity as number,
    baseFen: fen(r.base_fen),
    lineFen: fen(r.line_fen),
    amountFen: fen(r.amount_fen),
    period: r.period as string,
    businessDay: r.day_text as string,
    createdAt: r.created_at as Date,
  };
}
