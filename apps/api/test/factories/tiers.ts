import type { DataSource } from 'typeorm';
import type { AccountKind } from '../../src/modules/ledger/entities/ledger.entity';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import type { TestApp } from '../support/test-app';

let fixtureSeq = 0;

/**
 * Posts ledger entries as the wallet and points capabilities would (top_up, spend, earn, …), with
 * refType 'test_fixture'. Returns the entries' created_at, the instant windows are measured from.
 */
export async function postFixture(t: TestApp, memberId: string, legs: { kind: AccountKind; amount: number; reason: string }[]): Promise<Date> {
  const ledger = t.app.get(LedgerService);
  const { entries } = await t.ds.transaction((m) =>
    ledger.post(m, { legs: legs.map((l) => ({ memberId, ...l })), refType: 'test_fixture', refId: `fixture-${++fixtureSeq}`, storeId: null }),
  );
  const [row] = await t.ds.query('SELECT max(created_at) AS at FROM ledger_entry WHERE id = ANY($1::bigint[])', [entries.map((e) => e.entryId)]);
  return row.at;
}

/** A spend fact as the checkout will write for the non-wallet part of an order. */
export async function insertSpendFact(ds: DataSource, memberId: string, amountFen: number, at: Date): Promise<void> {
  await ds.query(`INSERT INTO member_spend_fact (member_id, amount_fen, at, ref_type, ref_id) VALUES ($1, $2, $3, 'test_fixture', gen_random_uuid()::text)`, [
    memberId,
    amountFen,
    at,
  ]);
}

export const DAY = 86_400_000;
export const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
