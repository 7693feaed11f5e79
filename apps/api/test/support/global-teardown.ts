import { Client } from 'pg';
import type { RunningPostgres } from '../../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const pg = (globalThis as Record<string, unknown>).__CHAINCARD_PG__ as RunningPostgres | undefined;
  if (pg) {
    await pg.stop();
    return;
  }
  // On a shared server, leave nothing behind: the template and any test database of this run.
  const serverUrl = process.env.CHAINCARD_TEST_SERVER_URL;
  const template = process.env.CHAINCARD_TEST_TEMPLATE;
  if (!serverUrl || !template) return;
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    const rows = await c.query(`SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [template, `${template}_t%`]);
    for (const r of rows.rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
