import type { ClientBase } from 'pg';

/**
 * The SQL that backup and restore run against PostgreSQL's own catalog, on a raw `pg` client (the
 * snapshot and the restore each hold one connection for their whole transaction, and COPY streams
 * need the client itself). Everything is read from the database, never from a list in the code,
 * so tables added by later capabilities are backed up without anyone touching this module.
 */

/** Bookkeeping of the migrations: recreated by migrating the target, never copied. */
export const MIGRATION_TABLES = ['schema_migration', 'typeorm_metadata'];

export interface TableInfo {
  name: string;
  /** Stored columns in their order (generated columns are recomputed, never copied). */
  columns: string[];
}

export interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface Checksum {
  /** Which ledger: ledger_entry (per account kind), account balances, stock movements… */
  name: string;
  /** The account kind, or the ledger's one key. */
  key: string;
  entries: string;
  sum: string;
}

/**
 * A checksum per ledger, compared between the manifest and the restored database: count and sum of
 * entries per account kind, the balances they add up to, gift and catalog stock, shift takings per
 * payment method, flash-sale units held. A capability that adds a ledger (order payments,
 * commissions) adds a line here; a line whose table does not exist in the database being read is
 * skipped, so older backups still compare.
 */
export const LEDGER_CHECKSUMS: { name: string; table: string; sql: string }[] = [
  {
    name: 'ledger_entry',
    table: 'ledger_entry',
    sql: 'SELECT kind AS key, count(*)::text AS entries, COALESCE(sum(amount), 0)::text AS sum FROM ledger_entry GROUP BY kind',
  },
  {
    name: 'account_balance',
    table: 'account',
    sql: 'SELECT kind AS key, count(*)::text AS entries, COALESCE(sum(balance), 0)::text AS sum FROM account GROUP BY kind',
  },
  {
    name: 'point_lot_move',
    table: 'point_lot_move',
    sql: `SELECT 'points' AS key, count(*)::text AS entries, COALESCE(sum(amount), 0)::text AS sum FROM point_lot_move`,
  },
  {
    name: 'gift_stock_movement',
    table: 'gift_stock_movement',
    sql: `SELECT 'gift_stock' AS key, count(*)::text AS entries, COALESCE(sum(delta), 0)::text AS sum FROM gift_stock_movement`,
  },
  {
    name: 'stock_movement',
    table: 'stock_movement',
    sql: `SELECT 'stock' AS key, count(*)::text AS entries, COALESCE(sum(delta), 0)::text AS sum FROM stock_movement`,
  },
  {
    name: 'stock',
    table: 'stock',
    sql: `SELECT 'stock' AS key, count(*)::text AS entries, COALESCE(sum(quantity), 0)::text AS sum FROM stock`,
  },
  {
    name: 'shift_taking',
    table: 'shift_taking',
    sql: 'SELECT method AS key, count(*)::text AS entries, COALESCE(sum(amount_fen), 0)::text AS sum FROM shift_taking GROUP BY method',
  },
  {
    name: 'flash_sale_take',
    table: 'flash_sale_take',
    sql: `SELECT 'held' AS key, count(*)::text AS entries, COALESCE(sum(quantity - released_quantity), 0)::text AS sum FROM flash_sale_take`,
  },
  {
    name: 'order_payment',
    table: 'order_payment',
    sql: 'SELECT method AS key, count(*)::text AS entries, COALESCE(sum(amount_fen - refunded_fen), 0)::text AS sum FROM order_payment GROUP BY method',
  },
  {
    name: 'order_refund_payment',
    table: 'order_refund_payment',
    sql: 'SELECT method AS key, count(*)::text AS entries, COALESCE(sum(amount_fen), 0)::text AS sum FROM order_refund_payment GROUP BY method',
  },
];

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function serverInfo(c: ClientBase): Promise<{ database: string; serverVersion: string }> {
  const { rows } = await c.query(`SELECT current_database() AS database, current_setting('server_version') AS version`);
  return { database: rows[0].database, serverVersion: rows[0].version };
}

/** Names of the applied migrations, oldest first. */
export async function appliedMigrations(c: ClientBase): Promise<string[]> {
  const exists = await c.query(`SELECT to_regclass('schema_migration') IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return [];
  const { rows } = await c.query('SELECT name FROM schema_migration ORDER BY id');
  return rows.map((r: { name: string }) => r.name);
}

/** Relations of any kind in the current schema: a restore target must have none. */
export async function existingRelations(c: ClientBase, limit = 10): Promise<string[]> {
  const { rows } = await c.query(
    `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY relname LIMIT $1`,
    [limit],
  );
  return rows.map((r: { relname: string }) => r.relname);
}

/** Every table of the current schema (partitions through their parent), in load order. */
export async function listTables(c: ClientBase): Promise<TableInfo[]> {
  const { rows } = await c.query(
    `SELECT t.relname AS name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class t
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind IN ('r', 'p') AND NOT t.relispartition
        AND t.relname <> ALL($1::text[])
      GROUP BY t.relname`,
    [MIGRATION_TABLES],
  );
  const edges = await c.query(
    `SELECT DISTINCT child.relname AS child, parent.relname AS parent
       FROM pg_constraint k
       JOIN pg_class child ON child.oid = k.conrelid
       JOIN pg_class parent ON parent.oid = k.confrelid
      WHERE k.contype = 'f' AND child.relnamespace = current_schema()::regnamespace AND k.conrelid <> k.confrelid`,
  );
  const tables = new Map<string, TableInfo>(rows.map((r: TableInfo) => [r.name, { name: r.name, columns: r.columns }]));
  return loadOrder(
    tables,
    edges.rows.filter((e: { child: string; parent: string }) => tables.has(e.child) && tables.has(e.parent)),
  );
}

/**
 * Parents before children (Kahn's algorithm, ties by name so that every backup of one schema has
 * the same order). A table that references itself is fine: foreign keys are checked at the end of
 * each COPY. A cycle between tables has no such order and is refused here, where the tests see it.
 */
export function loadOrder(tables: Map<string, TableInfo>, edges: { child: string; parent: string }[]): TableInfo[] {
  const parents = new Map<string, Set<string>>([...tables.keys()].map((t) => [t, new Set<string>()]));
  for (const e of edges) parents.get(e.child)!.add(e.parent);
  const done = new Set<string>();
  const order: TableInfo[] = [];
  while (order.length < tables.size) {
    const ready = [...tables.keys()].filter((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p))).sort();
    if (!ready.length) {
      const stuck = [...tables.keys()].filter((t) => !done.has(t)).sort();
      throw new Error(`foreign keys form a cycle among ${stuck.join(', ')}: give one of them a DEFERRABLE constraint and teach the restore to defer it`);
    }
    for (const t of ready) {
      done.add(t);
      order.push(tables.get(t)!);
    }
  }
  return order;
}

/** Sequences of the schema (identity, serial and standalone such as member_no_seq) with their state. */
export async function sequences(c: ClientBase): Promise<SequenceState[]> {
  const { rows } = await c.query(
    `SELECT s.relname AS name
       FROM pg_class s
      WHERE s.relkind = 'S' AND s.relnamespace = current_schema()::regnamespace
        AND NOT EXISTS (
          SELECT 1 FROM pg_depend d JOIN pg_class owner ON owner.oid = d.refobjid
           WHERE d.classid = 'pg_class'::regclass AND d.objid = s.oid AND d.deptype IN ('a', 'i') AND owner.relname = ANY($1::text[]))
      ORDER BY s.relname`,
    [MIGRATION_TABLES],
  );
  const out: SequenceState[] = [];
  for (const { name } of rows as { name: string }[]) {
    const state = await c.query(`SELECT last_value::text AS value, is_called FROM ${ident(name)}`);
    out.push({ name, lastValue: state.rows[0].value, isCalled: state.rows[0].is_called });
  }
  return out;
}

export async function setSequence(c: ClientBase, s: SequenceState): Promise<void> {
  await c.query('SELECT setval($1::regclass, $2::bigint, $3)', [ident(s.name), s.lastValue, s.isCalled]);
}

export async function rowCount(c: ClientBase, table: string): Promise<number> {
  const { rows } = await c.query(`SELECT count(*)::bigint::text AS n FROM ${ident(table)}`);
  return Number(rows[0].n);
}

export async function ledgerChecksums(c: ClientBase): Promise<Checksum[]> {
  const out: Checksum[] = [];
  for (const l of LEDGER_CHECKSUMS) {
    const exists = await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [ident(l.table)]);
    if (!exists.rows[0].ok) continue;
    const { rows } = await c.query(l.sql);
    for (const r of rows as { key: string; entries: string; sum: string }[]) out.push({ name: l.name, key: r.key, entries: r.entries, sum: r.sum });
  }
  return out.sort((a, b) => `${a.name}/${a.key}`.localeCompare(`${b.name}/${b.key}`));
}

export function copyOutSql(t: TableInfo): string {
  return `COPY (SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)}) TO STDOUT`;
}

export function copyInSql(t: TableInfo): string {
  return `COPY ${ident(t.name)} (${t.columns.map(ident).join(', ')}) FROM STDIN`;
}

/**
 * Append-only tables refuse TRUNCATE (and UPDATE/DELETE) by trigger; during a restore the user
 * triggers are off (foreign keys, being constraint triggers, stay on), inside the restore's
 * transaction, so nobody else ever sees them off.
 */
export async function setUserTriggers(c: ClientBase, tables: string[], enabled: boolean): Promise<void> {
  for (const t of tables) await c.query(`ALTER TABLE ${ident(t)} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
}

/** Empties the tables the migrations seeded (settings singletons): the backup brings their rows. */
export async function truncateAll(c: ClientBase, tables: string[]): Promise<void> {
  if (tables.length) await c.query(`TRUNCATE ${tables.map(ident).join(', ')}`);
}
