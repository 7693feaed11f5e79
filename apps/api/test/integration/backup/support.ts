import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ensureDatabase, withDatabase } from '../../../src/db/embedded';
import { ident } from '../../../src/modules/backup/catalog.repository';

/** A database with nothing in it (not copied from the migrated template), dropped by the returned function. */
export async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.CHAINCARD_TEST_SERVER_URL!;
  const name = `${process.env.CHAINCARD_TEST_TEMPLATE}_r${randomBytes(5).toString('hex')}`;
  await ensureDatabase(serverUrl, name);
  return {
    url: withDatabase(serverUrl, name),
    drop: async () => {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}

export async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Row count and an md5 of every row's text, per table: equal digests mean equal contents. */
export async function tableDigests(url: string): Promise<Record<string, { rows: number; md5: string }>> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const tables = (await c.query(`SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' ORDER BY relname`)).rows as { relname: string }[];
    const out: Record<string, { rows: number; md5: string }> = {};
    for (const { relname } of tables) {
      const [r] = (await c.query(`SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS md5 FROM ${ident(relname)} t`)).rows;
      out[relname] = r;
    }
    return out;
  } finally {
    await c.end();
  }
}

/** A small deterministic generator, so that a failing run can be replayed from its printed seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    return (err as { code?: string }).code ?? `other: ${String(err)}`;
  }
}
