import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccountKind } from './entities/ledger.entity';

export interface EntryRow {
  accountId: string;
  memberId: string;
  kind: AccountKind;
  amount: number;
  balanceAfter: number;
  operationId: string;
  reason: string;
  refType: string;
  refId: string;
  storeId: string | null;
  operatorKind: string;
  operatorId: string | null;
  memo: string | null;
}

/** The only SQL over account and ledger_entry. */
@Injectable()
export class LedgerRepository {
  async ensureAccount(m: EntityManager, memberId: string, kind: AccountKind, refId: string | null): Promise<string> {
    const conflict = refId ? '(member_id, kind, ref_id) WHERE ref_id IS NOT NULL' : '(member_id, kind) WHERE ref_id IS NULL';
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO account (member_id, kind, ref_id) VALUES ($1, $2, $3) ON CONFLICT ${conflict} DO NOTHING RETURNING id`,
      [memberId, kind, refId],
    );
    if (inserted.length) return inserted[0].id;
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM account WHERE member_id = $1 AND kind = $2 AND ref_id IS NOT DISTINCT FROM $3`,
      [memberId, kind, refId],
    );
    return rows[0].id;
  }

  /**
   * Moves a balance by `amount` only if it stays non-negative. The row lock taken by the UPDATE
   * serialises concurrent posts on one account; the WHERE clause, not a read in JS, decides.
   * Returns the new balance, or null when the balance would go below zero.
   */
  async move(m: EntityManager, accountId: string, amount: number): Promise<number | null> {
    const rows: [{ balance: string }[], number] = await m.query(
      `UPDATE account SET balance = balance + $2 WHERE id = $1 AND balance + $2 >= 0 RETURNING balance`,
      [accountId, amount],
    );
    const updated = rows[0];
    return updated.length ? Number(updated[0].balance) : null;
  }

  async insertEntry(m: EntityManager, e: EntryRow): Promise<string> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO ledger_entry (account_id, member_id, kind, amount, balance_after, operation_id, reason, ref_type, ref_id, store_id, operator_kind, operator_id, memo)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [e.accountId, e.memberId, e.kind, e.amount, e.balanceAfter, e.operationId, e.reason, e.refType, e.refId, e.storeId, e.operatorKind, e.operatorId, e.memo],
    );
    return String(rows[0].id);
  }

  async balances(m: EntityManager, memberId: string): Promise<{ kind: AccountKind; refId: string | null; balance: number }[]> {
    const rows: { kind: AccountKind; ref_id: string | null; balance: string }[] = await m.query(
      'SELECT kind, ref_id, balance FROM account WHERE member_id = $1 ORDER BY kind, ref_id',
      [memberId],
    );
    return rows.map((r) => ({ kind: r.kind, refId: r.ref_id, balance: Number(r.balance) }));
  }

  async entries(
    m: EntityManager,
    f: { memberId: string; kinds: AccountKind[]; refId?: string; offset: number; limit: number },
  ): Promise<[LedgerEntryView[], number]> {
    const where = `e.member_id = $1 AND e.kind = ANY($2)${f.refId ? ' AND a.ref_id = $3' : ''}`;
    const params: unknown[] = [f.memberId, f.kinds];
    if (f.refId) params.push(f.refId);
    const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM ledger_entry e JOIN account a ON a.id = e.account_id WHERE ${where}`, params);
    const rows = await m.query(
      `SELECT e.id, e.kind, e.amount, e.balance_after, e.reason, e.ref_type, e.ref_id, e.store_id, s.name AS store_name, e.operation_id, e.memo, e.created_at
         FROM ledger_entry e JOIN account a ON a.id = e.account_id LEFT JOIN store s ON s.id = e.store_id
        WHERE ${where} ORDER BY e.id DESC OFFSET ${Number(f.offset)} LIMIT ${Number(f.limit)}`,
      params,
    );
    return [
      rows.map((r: Record<string, unknown>) => ({
        id: String(r.id),
        kind: r.kind as AccountKind,
        amount: Number(r.amount),
        balanceAfter: Number(r.balance_after),
        reason: r.reason as string,
        refType: r.ref_type as string,
        refId: r.ref_id as string,
        storeId: (r.store_id as string) ?? null,
        storeName: (r.store_name as string) ?? null,
        operationId: r.operation_id as string,
        memo: (r.memo as string) ?? null,
        createdAt: (r.created_at as Date).toISOString(),
      })),
      n,
    ];
  }
}

export interface LedgerEntryView {
  id: string;
  kind: AccountKind;
  amount: number;
  balanceAfter: number;
  reason: string;
  refType: string;
  refId: string;
  storeId: string | null;
  storeName: string | null;
  operationId: string;
  memo: string | null;
  createdAt: string;
}
