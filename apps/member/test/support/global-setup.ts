import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../api/src/db/cli';
import { migrate } from '../../../api/src/db/data-source';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from '../../../api/src/db/embedded';

/**
 * The member e2e run's PostgreSQL: the embedded one (started here, outside Jest's module sandbox,
 * like the API tests do) or TEST_DATABASE_URL's server; one migrated database for the run.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) serverUrl = withDatabase(serverUrl, 'postgres');
  else {
    const pg = await startEmbeddedPostgres({ dataDir: mkdtempSync(join(tmpdir(), 'chaincard-member-pg-')), port: await freePort(), persistent: false });
    (globalThis as Record<string, unknown>).__CHAINCARD_MEMBER_PG__ = pg;
    serverUrl = pg.serverUrl;
  }
  const name = `chaincard_member_e2e_${process.pid}`;
  await ensureDatabase(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await migrate(url);
  process.env.CHAINCARD_MEMBER_E2E_SERVER_URL = serverUrl;
  process.env.CHAINCARD_MEMBER_E2E_DATABASE = name;
}
