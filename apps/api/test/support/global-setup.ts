import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/db/cli';
import { migrate, openDataSource } from '../../src/db/data-source';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../../src/db/embedded';
import { seedBaseline } from '../../src/db/seed/seed';

/**
 * One PostgreSQL server for the whole run: the embedded one by default, or TEST_DATABASE_URL's.
 * Migrations and the baseline run once into a template database; every test file then gets a
 * fresh copy (CREATE DATABASE … TEMPLATE), so files run in parallel without seeing each other.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    serverUrl = withDatabase(serverUrl, 'postgres');
  } else {
    const pg = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'chaincard-test-pg-')), port: await freePort(), persistent: false });
    (globalThis as Record<string, unknown>).__CHAINCARD_PG__ = pg;
    serverUrl = pg.serverUrl;
  }
  const template = `chaincard_tpl_${process.pid}`;
  await dropDatabase(serverUrl, template);
  await ensureDatabase(serverUrl, template);
  const url = withDatabase(serverUrl, template);
  await migrate(url);
  const ds = await openDataSource(url, 1);
  await seedBaseline(ds, '测试连锁');
  await ds.destroy();
  process.env.CHAINCARD_TEST_SERVER_URL = serverUrl;
  process.env.CHAINCARD_TEST_TEMPLATE = template;
  process.stdout.write(`\n[test db] ${process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL'} ready with template ${template} in ${Date.now() - started} ms\n`);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
